/* Gofer confinement (placeholder until the full version lands). */
#include "gofer/gofer.h"

int gofer_confine(struct error **err)
{
	return 0;
}
