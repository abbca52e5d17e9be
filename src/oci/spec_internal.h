/* Pieces shared by the config.json parser files (internal to src/oci/). */
#ifndef CVISOR_OCI_SPEC_INTERNAL_H
#define CVISOR_OCI_SPEC_INTERNAL_H

#include <jansson.h>

#include "oci/spec.h"

/* Parses the object j (found at `parent`) as a process. */
int oci_process_from_json(json_t *j, const char *parent, struct oci_process **out,
			  struct error **err);
/* Parses `linux` into l. */
int oci_linux_from_json(json_t *j, struct oci_linux *l, struct error **err);
void oci_linux_clear(struct oci_linux *l);

#endif
