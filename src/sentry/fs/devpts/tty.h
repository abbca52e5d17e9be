/* A pty pair and its line discipline (devpts-internal).
 *
 * Input (typed at the master) goes through the line discipline into in[]:
 * its first in_avail bytes are readable by the slave, the rest is the line
 * being edited (canonical mode); lines[] holds the lengths of the completed
 * lines in order. Output (written to the slave, plus echo) goes through
 * output processing into out[], read at the master. */
#ifndef CVISOR_SENTRY_FS_DEVPTS_TTY_H
#define CVISOR_SENTRY_FS_DEVPTS_TTY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sentry/kernel/task.h"

/* Linux's struct termios as TCGETS/TCSETS move it. */
struct tty_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};
_Static_assert(sizeof(struct tty_termios) == 36, "termios");

struct tty_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TTY_IN_SIZE  4096
#define TTY_OUT_SIZE 16384

struct pty_bridge;

struct pty {
	int index;
	int locked;	/* TIOCSPTLCK: the slave cannot be opened */
	int masters;	/* open master files (the bridge counts as one) */
	int slaves;	/* open slave files */
	int slave_seen; /* a slave was opened once: its last close is a hang-up */
	int hungup;	/* the master is gone */
	int listed;	/* in /dev/pts */
	int stopped;	/* output stopped (IXON VSTOP, TCXONC) */
	int lnext;	/* the next character is literal (VLNEXT) */
	pid_t sid;	/* session it is the controlling terminal of; 0 none */
	pid_t fg_pgrp;	/* foreground process group */
	struct tty_termios tio;
	struct tty_winsize ws;
	unsigned char in[TTY_IN_SIZE];
	size_t in_head, in_len, in_avail;
	uint16_t lines[TTY_IN_SIZE];
	size_t line_head, nlines;
	unsigned char out[TTY_OUT_SIZE];
	size_t out_head, out_len;
	struct waitq slave_rq, slave_wq, master_rq, master_wq;
	struct inode *inode; /* /dev/pts/N; owns the pty */
	struct pty_bridge *bridge;
	struct pty *next;
};

/* ldisc.c */
void ldisc_init(struct pty *p);
/* Types len bytes at the master; returns how many were taken (fewer when
 * the input buffer is full). */
size_t ldisc_receive(struct pty *p, const unsigned char *buf, size_t len);
/* Writes len bytes from the slave through output processing; returns how
 * many fit. */
size_t ldisc_output(struct pty *p, const unsigned char *buf, size_t len);
/* Whether a slave read would find data now. */
int ldisc_readable(const struct pty *p);
/* Bytes a slave read could take now (FIONREAD). */
size_t ldisc_read_avail(const struct pty *p);
/* Takes up to len readable bytes for a slave read (one line at most in
 * canonical mode); *eof is set for an end-of-file line. */
size_t ldisc_read(struct pty *p, unsigned char *buf, size_t len, int *eof);
/* Copies up to len bytes of output for a master read. */
size_t ldisc_take_output(struct pty *p, unsigned char *buf, size_t len);
/* New termios: moves data between canonical and raw accounting. */
void ldisc_set_termios(struct pty *p, const struct tty_termios *tio);
void ldisc_flush_input(struct pty *p);
void ldisc_flush_output(struct pty *p);

/* pty.c */
/* Sends sig to every process of group pgrp. */
void pty_kill_pgrp(pid_t pgrp, int sig);
/* The master side is gone: the slave hangs up. */
void pty_hangup(struct pty *p);
/* Sets the window size; SIGWINCH to the foreground group if it changed. */
void pty_set_winsize(struct pty *p, const struct tty_winsize *ws);
/* A new pty, listed in /dev/pts with one master reference. */
struct pty *pty_new(int *err);
/* Types len bytes at the master (wakes readers); returns how many fit. */
size_t pty_type(struct pty *p, const unsigned char *buf, size_t len);
/* Drops a master reference. */
void pty_master_put(struct pty *p);
/* Opens the slave of p into f; a session leader without a terminal
 * acquires it if may_acquire and f was not opened O_NOCTTY. */
int pty_open_slave(struct pty *p, struct file *f, int may_acquire);
/* The listed pty with the lowest index >= from, or NULL. */
struct pty *pty_next_listed(int from);
/* The pty an open slave file belongs to, or NULL. */
struct pty *pty_of_slave(struct file *f);
/* Frees p (its inode is released). */
void pty_free(struct pty *p);

/* devpts.c: the /dev/pts/N inode of a new pty. */
struct inode *devpts_pty_inode(struct pty *p);

#endif
