/* Pseudo-terminals inside the Sentry: the devpts file system (/dev/pts),
 * /dev/ptmx, /dev/tty, controlling terminals and the bridge of a sandbox pty
 * to a host terminal.
 *
 * One devpts instance per sandbox. A pty lives while its master is open
 * (then its /dev/pts/N entry goes and the slave side is hung up) and is
 * freed when its last file closes. */
#ifndef CVISOR_SENTRY_FS_DEVPTS_DEVPTS_H
#define CVISOR_SENTRY_FS_DEVPTS_DEVPTS_H

#include <stdint.h>
#include <sys/types.h>

#include "sentry/fs/vfs.h"

/* The devpts root directory, to mount on /dev/pts (a new reference). */
struct inode *devpts_root(void);
/* Opens a new pty master into f (/dev/ptmx, /dev/pts/ptmx). */
int devpts_open_ptmx(struct file *f);
/* Opens the controlling terminal of the current task's session into f
 * (/dev/tty); -ENXIO when the session has none. */
int devpts_open_ctty(struct file *f);
/* The controlling terminal of session sid as /proc/[pid]/stat shows it
 * (tty_nr: device number of /dev/pts/N, 0 if none) and its foreground
 * process group in *fg (-1 if none). */
unsigned devpts_stat_tty(pid_t sid, pid_t *fg);
/* The session sid ends (its leader exits): its terminal's foreground group
 * gets SIGHUP and the terminal is free again. */
void devpts_session_end(pid_t sid);

/* Makes a sandbox pty whose master is relayed to a host terminal: bytes
 * read from host_fd (taken over, made O_NONBLOCK: it should be an open
 * file of its own, and in raw mode) are typed into the pty, what the
 * sandbox writes goes to host_fd. The pty starts with the host
 * terminal's window size. Returns the slave opened O_RDWR, or NULL with
 * *err set. The bridge lives until the host side hangs up or the Sentry
 * exits. Call before the Sentry confines itself. */
struct file *devpts_bridge_new(int host_fd, int *err);
/* Makes the pty of slave the controlling terminal of session sid with
 * foreground group pgrp (the first program's terminal). */
int devpts_set_ctty(struct file *slave, pid_t sid, pid_t pgrp);
/* The host terminals changed size (SIGWINCH reached the Sentry): each
 * bridged pty takes its host terminal's size. Returns whether any bridge
 * exists. */
int devpts_bridge_winch(void);
/* Writes out what the sandbox left for the host terminals (at exit;
 * waits up to a second per stalled terminal). */
void devpts_bridge_drain(void);

#endif
