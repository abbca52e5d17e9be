/* Logging; see log.h. One write(2) per message so lines from several
 * processes sharing the log do not interleave. */
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum log_level log_level = LOG_WARN;
static int log_fd = 2;
static int log_json;

void log_set_fd(int fd, int json)
{
	if (log_fd > 2 && log_fd != fd)
		close(log_fd);
	log_fd = fd;
	log_json = json;
}

static const char *level_name[] = {"error", "warning", "info", "debug"};

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	char msg[2048], line[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int n;
	if (log_json) {
		char esc[sizeof(msg) * 2];
		size_t j = 0;
		for (size_t i = 0; msg[i] && j + 7 < sizeof(esc); i++) {
			unsigned char c = (unsigned char)msg[i];
			if (c == '"' || c == '\\') {
				esc[j++] = '\\';
				esc[j++] = (char)c;
			} else if (c < 0x20) {
				j += (size_t)snprintf(esc + j, sizeof(esc) - j, "\\u%04x", c);
			} else {
				esc[j++] = (char)c;
			}
		}
		esc[j] = 0;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		char when[64];
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		n = snprintf(line, sizeof(line),
			     "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s.%09ldZ\"}\n",
			     level_name[lvl], esc, when, ts.tv_nsec);
	} else if (lvl == LOG_ERROR) {
		n = snprintf(line, sizeof(line), "cvisor: %s\n", msg);
	} else {
		n = snprintf(line, sizeof(line), "cvisor: %s: %s\n", level_name[lvl], msg);
	}
	if (n > (int)sizeof(line))
		n = sizeof(line);
	ssize_t r = write(log_fd, line, (size_t)n);
	(void)r;
}
