/* For unit tests that build a host directory tree to look at: writes text
 * to the new file DIR/NAME (the test fails if it cannot). Include after
 * cmocka.h. */
#ifndef CVISOR_TESTS_UNIT_HOST_FILE_H
#define CVISOR_TESTS_UNIT_HOST_FILE_H

#include <stdio.h>

static inline void host_file(const char *dir, const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
