/* The line discipline (Linux's n_tty, the parts programs rely on): flow
 * control (IXON, IXANY), signals (ISIG), input mapping (ICRNL, INLCR,
 * IGNCR), canonical line editing (VERASE, VWERASE, VKILL, VEOF, VEOL,
 * VLNEXT, VREPRINT), echo (ECHO, ECHOE, ECHOK, ECHONL, ECHOCTL) and output
 * processing (OPOST, ONLCR, OCRNL), in Linux's order. Not done: VDISCARD,
 * PARMRK/BRKINT, tab columns when erasing. */
#include "sentry/fs/devpts/tty.h"

#include <signal.h>
#include <string.h>
#include <termios.h>

void ldisc_init(struct pty *p)
{
	static const uint8_t cc[19] = {3,  28, 127, 21, 4,  0,	1,  0, 17,
				       19, 26, 0,   18, 15, 23, 22, 0};
	p->tio.c_iflag = ICRNL | IXON;
	p->tio.c_oflag = OPOST | ONLCR;
	p->tio.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	p->tio.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(p->tio.c_cc, cc, sizeof(cc));
}

static int is_cc(const struct pty *p, int idx, unsigned char c)
{
	return p->tio.c_cc[idx] != 0 && c == p->tio.c_cc[idx]; /* 0 disables */
}

static int out_put(struct pty *p, unsigned char c)
{
	if (p->out_len == TTY_OUT_SIZE)
		return -1;
	p->out[(p->out_head + p->out_len++) % TTY_OUT_SIZE] = c;
	return 0;
}

/* One character through output processing; -1 when it does not fit. */
static int opost(struct pty *p, unsigned char c)
{
	uint32_t of = p->tio.c_oflag;
	if (of & OPOST) {
		if (c == '\n' && (of & ONLCR)) {
			if (TTY_OUT_SIZE - p->out_len < 2)
				return -1;
			out_put(p, '\r');
		} else if (c == '\r' && (of & OCRNL)) {
			c = '\n';
		}
	}
	return out_put(p, c);
}

static int is_ctl(unsigned char c)
{
	return c < 32 || c == 127;
}

/* Echo is dropped when the output buffer is full, as Linux does. */
static void echo_char(struct pty *p, unsigned char c)
{
	if (!(p->tio.c_lflag & ECHO))
		return;
	if ((p->tio.c_lflag & ECHOCTL) && is_ctl(c) && c != '\t' && c != '\n') {
		opost(p, '^');
		opost(p, c ^ 0100);
	} else {
		opost(p, c);
	}
}

static unsigned char in_at(const struct pty *p, size_t i)
{
	return p->in[(p->in_head + i) % TTY_IN_SIZE];
}

/* Removes the last character of the line being edited, visually too. */
static int erase_one(struct pty *p, int visual)
{
	if (p->in_len == p->in_avail)
		return 0;
	unsigned char c = in_at(p, p->in_len - 1);
	p->in_len--;
	if (visual && (p->tio.c_lflag & ECHO)) {
		int cols = ((p->tio.c_lflag & ECHOCTL) && is_ctl(c) && c != '\t') ? 2 : 1;
		for (int i = 0; i < cols; i++) {
			opost(p, '\b');
			opost(p, ' ');
			opost(p, '\b');
		}
	}
	return 1;
}

static void end_line(struct pty *p)
{
	p->lines[(p->line_head + p->nlines++) % TTY_IN_SIZE] = (uint16_t)(p->in_len - p->in_avail);
	p->in_avail = p->in_len;
}

/* Canonical editing characters; returns 1 if c was one. */
static int canon_edit(struct pty *p, unsigned char c)
{
	uint32_t lf = p->tio.c_lflag;
	if (is_cc(p, VERASE, c)) {
		if (lf & ECHOE)
			erase_one(p, 1);
		else if (erase_one(p, 0))
			echo_char(p, c);
		return 1;
	}
	if (is_cc(p, VWERASE, c) && (lf & IEXTEN)) {
		while (p->in_len > p->in_avail &&
		       (in_at(p, p->in_len - 1) == ' ' || in_at(p, p->in_len - 1) == '\t'))
			erase_one(p, lf & ECHOE);
		while (p->in_len > p->in_avail && in_at(p, p->in_len - 1) != ' ' &&
		       in_at(p, p->in_len - 1) != '\t')
			erase_one(p, lf & ECHOE);
		return 1;
	}
	if (is_cc(p, VKILL, c)) {
		if ((lf & ECHOKE) && (lf & ECHOE)) {
			while (erase_one(p, 1))
				;
		} else {
			p->in_len = p->in_avail;
			echo_char(p, c);
			if (lf & ECHOK)
				opost(p, '\n');
		}
		return 1;
	}
	if (is_cc(p, VLNEXT, c) && (lf & IEXTEN)) {
		p->lnext = 1;
		if ((lf & ECHO) && (lf & ECHOCTL)) {
			opost(p, '^');
			opost(p, '\b');
		}
		return 1;
	}
	if (is_cc(p, VREPRINT, c) && (lf & ECHO) && (lf & IEXTEN)) {
		echo_char(p, c);
		opost(p, '\n');
		for (size_t i = p->in_avail; i < p->in_len; i++)
			echo_char(p, in_at(p, i));
		return 1;
	}
	if (is_cc(p, VEOF, c)) {
		if (p->nlines < TTY_IN_SIZE)
			end_line(p);
		return 1;
	}
	return 0;
}

static void isig(struct pty *p, unsigned char c, int sig)
{
	if (!(p->tio.c_lflag & NOFLSH)) {
		ldisc_flush_input(p);
		ldisc_flush_output(p);
	}
	echo_char(p, c);
	if (p->fg_pgrp > 0)
		pty_kill_pgrp(p->fg_pgrp, sig);
}

/* Stores c in the input queue with its echo; -1 when there is no room. */
static int put_char(struct pty *p, unsigned char c, int eol)
{
	uint32_t lf = p->tio.c_lflag;
	int canon = lf & ICANON;
	if (p->in_len == TTY_IN_SIZE || (eol && p->nlines == TTY_IN_SIZE)) {
		/* a full line being edited can never complete: drop, as Linux */
		return canon && p->in_avail < p->in_len ? 0 : -1;
	}
	p->in[(p->in_head + p->in_len++) % TTY_IN_SIZE] = c;
	if (c == '\n' && !(lf & ECHO) && (lf & ECHONL) && canon)
		opost(p, '\n');
	else
		echo_char(p, c);
	if (eol)
		end_line(p);
	else if (!canon)
		p->in_avail = p->in_len;
	return 0;
}

/* One typed character; -1 when the input buffer has no room for it. */
static int receive_one(struct pty *p, unsigned char c)
{
	uint32_t inf = p->tio.c_iflag, lf = p->tio.c_lflag;
	if (inf & ISTRIP)
		c &= 0x7f;
	if (p->lnext) {
		if (put_char(p, c, 0))
			return -1;
		p->lnext = 0;
		return 0;
	}
	if (inf & IXON) {
		if (is_cc(p, VSTART, c)) {
			p->stopped = 0;
			return 0;
		}
		if (is_cc(p, VSTOP, c)) {
			p->stopped = 1;
			return 0;
		}
	}
	if (lf & ISIG) {
		int sig = is_cc(p, VINTR, c)   ? SIGINT
			  : is_cc(p, VQUIT, c) ? SIGQUIT
			  : is_cc(p, VSUSP, c) ? SIGTSTP
					       : 0;
		if (sig) {
			isig(p, c, sig);
			return 0;
		}
	}
	if (p->stopped && (inf & IXON) && (inf & IXANY))
		p->stopped = 0;
	if (c == '\r') {
		if (inf & IGNCR)
			return 0;
		if (inf & ICRNL)
			c = '\n';
	} else if (c == '\n' && (inf & INLCR)) {
		c = '\r';
	}
	int canon = lf & ICANON;
	if (canon && canon_edit(p, c))
		return 0;
	return put_char(p, c, canon && (c == '\n' || is_cc(p, VEOL, c) || is_cc(p, VEOL2, c)));
}

size_t ldisc_receive(struct pty *p, const unsigned char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && receive_one(p, buf[i]) == 0)
		i++;
	return i;
}

size_t ldisc_output(struct pty *p, const unsigned char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && opost(p, buf[i]) == 0)
		i++;
	return i;
}

int ldisc_readable(const struct pty *p)
{
	return (p->tio.c_lflag & ICANON) ? p->nlines > 0 : p->in_avail > 0;
}

size_t ldisc_read_avail(const struct pty *p)
{
	return p->in_avail;
}

static void in_take(struct pty *p, unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = in_at(p, i);
	p->in_head = (p->in_head + n) % TTY_IN_SIZE;
	p->in_len -= n;
	p->in_avail -= n;
}

size_t ldisc_read(struct pty *p, unsigned char *buf, size_t len, int *eof)
{
	*eof = 0;
	if (!(p->tio.c_lflag & ICANON)) {
		size_t n = len < p->in_avail ? len : p->in_avail;
		in_take(p, buf, n);
		return n;
	}
	if (!p->nlines)
		return 0;
	uint16_t *line = &p->lines[p->line_head];
	size_t n = len < *line ? len : *line;
	*eof = *line == 0;
	in_take(p, buf, n);
	*line -= (uint16_t)n;
	if (*line == 0) {
		p->line_head = (p->line_head + 1) % TTY_IN_SIZE;
		p->nlines--;
	}
	return n;
}

size_t ldisc_take_output(struct pty *p, unsigned char *buf, size_t len)
{
	size_t n = len < p->out_len ? len : p->out_len;
	for (size_t i = 0; i < n; i++)
		buf[i] = p->out[(p->out_head + i) % TTY_OUT_SIZE];
	p->out_head = (p->out_head + n) % TTY_OUT_SIZE;
	p->out_len -= n;
	return n;
}

void ldisc_set_termios(struct pty *p, const struct tty_termios *tio)
{
	int was = p->tio.c_lflag & ICANON, now = tio->c_lflag & ICANON;
	p->tio = *tio;
	if (was && !now) {
		/* everything typed becomes readable */
		p->in_avail = p->in_len;
		p->nlines = p->line_head = 0;
	} else if (!was && now && p->in_avail) {
		/* what raw mode left unread reads as one line */
		p->lines[0] = (uint16_t)p->in_avail;
		p->line_head = 0;
		p->nlines = 1;
	}
}

void ldisc_flush_input(struct pty *p)
{
	p->in_head = p->in_len = p->in_avail = 0;
	p->line_head = p->nlines = 0;
}

void ldisc_flush_output(struct pty *p)
{
	p->out_head = p->out_len = 0;
}
