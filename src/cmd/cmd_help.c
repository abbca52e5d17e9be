/* cvisor help [syscalls]: prints usage or the system call table. */
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "sentry/syscalls/table.h"

int cmd_help(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	if (argc > 1 && strcmp(argv[1], "syscalls") == 0) {
		syscall_table_print(stdout);
		return 0;
	}
	printf("usage: cvisor [global options] COMMAND ...\n");
	for (const struct command *c = commands; c->name; c++)
		if (!c->hidden)
			printf("  %-10s %s\n", c->name, c->summary);
	return 0;
}
