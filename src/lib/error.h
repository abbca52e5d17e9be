/* Rich errors for host-side code (CLI, OCI, sandbox, Gofer setup).
 *
 * A function that can fail takes `struct error **err`, returns a negative
 * number and fills *err with a status (an errno) and a message. Callers add
 * context with error_wrap(); only main prints. The Sentry's system call paths
 * never use this: they return negative errnos. */
#ifndef CVISOR_LIB_ERROR_H
#define CVISOR_LIB_ERROR_H

#include <stdarg.h>

struct error {
	int status; /* errno value, 0 if none */
	char *msg;
};

/* Sets *err (if err is not NULL) and returns -1. status may be 0. */
int error_set(struct error **err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes "context: " to the message of *err; returns -1. */
int error_wrap(struct error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_free(struct error *e);
/* Formats "msg: strerror(status)" into a new string the caller frees. */
char *error_text(const struct error *e);

#endif
