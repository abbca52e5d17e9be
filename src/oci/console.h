/* Host terminals for `terminal: true` (runc's console protocol).
 *
 * With a console socket, a host pty pair is made: its master goes to the
 * client over the socket (one SCM_RIGHTS fd, payload "/dev/ptmx", as runc
 * sends it) and its slave, in raw mode, is what the Sentry bridges to the
 * program's sandbox pty. Without one, a foreground `run` or `do` bridges
 * the caller's own terminal, put in raw mode until the program ends. */
#ifndef CVISOR_OCI_CONSOLE_H
#define CVISOR_OCI_CONSOLE_H

#include <stdint.h>
#include <termios.h>

#include "lib/error.h"

/* Makes a host pty of rows x cols (0: left as it is), sends its master to
 * the unix socket at socket_path and returns its slave (raw, close-on-exec)
 * in *slave. */
int console_send_pty(const char *socket_path, uint16_t rows, uint16_t cols, int *slave,
		     struct error **err);

/* The caller's terminal on fd: a new open file of it in *out (so the
 * Sentry may make it non-blocking without touching the caller's), and the
 * terminal put in raw mode; *saved gets the settings to restore. */
int console_take_caller(int fd, int *out, struct termios *saved, struct error **err);
/* Puts back the settings console_take_caller saved. */
void console_restore(int fd, const struct termios *saved);

#endif
