/* Rich errors; see error.h. */
#include "lib/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

int error_set(struct error **err, int status, const char *fmt, ...)
{
	if (!err)
		return -1;
	struct error *e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	e->msg = vformat(fmt, ap);
	va_end(ap);
	e->status = status;
	error_free(*err);
	*err = e;
	return -1;
}

int error_wrap(struct error **err, const char *fmt, ...)
{
	if (!err || !*err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *ctx = vformat(fmt, ap);
	va_end(ap);
	char *joined = NULL;
	if (ctx && asprintf(&joined, "%s: %s", ctx, (*err)->msg ? (*err)->msg : "") >= 0) {
		free((*err)->msg);
		(*err)->msg = joined;
	}
	free(ctx);
	return -1;
}

void error_free(struct error *e)
{
	if (!e)
		return;
	free(e->msg);
	free(e);
}

char *error_text(const struct error *e)
{
	char *s = NULL;
	if (!e)
		return strdup("unknown error");
	if (e->status) {
		if (asprintf(&s, "%s: %s", e->msg ? e->msg : "", strerror(e->status)) < 0)
			return NULL;
	} else {
		s = strdup(e->msg ? e->msg : "");
	}
	return s;
}
