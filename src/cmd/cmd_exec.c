/* cvisor exec [options] ID [COMMAND [ARG...]]: runs a new process in a
 * running container, with runc's flags. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "oci/container.h"
#include "oci/container_control.h"

/* "N" or "N:M" into uid (and gid). */
static int parse_user(const char *s, struct oci_exec_opts *o)
{
	char *end;
	unsigned long u = strtoul(s, &end, 10);
	if (end == s || (*end && *end != ':') || u > UINT32_MAX)
		return -1;
	o->has_user = true;
	o->uid = (uint32_t)u;
	if (*end == ':') {
		const char *g = end + 1;
		unsigned long v = strtoul(g, &end, 10);
		if (end == g || *end || v > UINT32_MAX)
			return -1;
		o->has_gid = true;
		o->gid = (uint32_t)v;
	}
	return 0;
}

/* Appends s to the NULL-terminated vector *v. */
static int push(char ***v, size_t *n, char *s)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(*nv));
	if (!nv)
		return -1;
	nv[(*n)++] = s;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

int cmd_exec(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"process", required_argument, 0, 'p'},
	    {"detach", no_argument, 0, 'd'},
	    {"pid-file", required_argument, 0, 'P'},
	    {"tty", no_argument, 0, 't'},
	    {"console-socket", required_argument, 0, 'c'},
	    {"cwd", required_argument, 0, 'w'},
	    {"env", required_argument, 0, 'e'},
	    {"user", required_argument, 0, 'u'},
	    {"additional-gids", required_argument, 0, 'g'},
	    {"cap", required_argument, 0, 'C'},
	    {"no-new-privs", no_argument, 0, 'n'},
	    {"process-label", required_argument, 0, 'l'},
	    {"apparmor", required_argument, 0, 'a'},
	    {"preserve-fds", required_argument, 0, 'f'},
	    {"ignore-paused", no_argument, 0, 'i'},
	    {0, 0, 0, 0},
	};
	struct oci_exec_opts o = {.root = g->root};
	size_t n_env = 0, n_caps = 0;
	int c, rc = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:dte:u:g:w:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o.process_file = optarg;
			break;
		case 'd':
			o.detach = true;
			break;
		case 'P':
			o.pid_file = optarg;
			break;
		case 't':
			o.tty = true;
			break;
		case 'w':
			o.cwd = optarg;
			break;
		case 'e':
			if (!strchr(optarg, '=')) {
				rc = error_set(err, EINVAL, "exec: --env `%s`: KEY=VALUE expected",
					       optarg);
				goto out;
			}
			if (push(&o.env, &n_env, optarg) < 0)
				goto nomem;
			break;
		case 'u':
			if (parse_user(optarg, &o) < 0) {
				rc = error_set(err, EINVAL,
					       "exec: --user `%s`: numeric uid[:gid] expected",
					       optarg);
				goto out;
			}
			break;
		case 'g': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			uint32_t *ng = realloc(o.gids, (o.n_gids + 1) * sizeof(*ng));
			if (end == optarg || *end || v > UINT32_MAX) {
				free(ng ? ng : o.gids);
				o.gids = NULL;
				rc = error_set(err, EINVAL, "exec: --additional-gids `%s`", optarg);
				goto out;
			}
			if (!ng)
				goto nomem;
			o.gids = ng;
			o.gids[o.n_gids++] = (uint32_t)v;
			break;
		}
		case 'C':
			if (push(&o.caps, &n_caps, optarg) < 0)
				goto nomem;
			break;
		case 'n':
			o.no_new_privs = true;
			break;
		case 'c':
			o.console_socket = optarg;
			break;
		case 'l': /* SELinux and AppArmor do not apply inside the Sentry */
		case 'a':
		case 'i':
			break;
		case 'f':
			if (oci_preserve_fds(optarg, &o.preserve_fds, err) < 0) {
				rc = -1;
				goto out;
			}
			break;
		default:
			rc = error_set(err, EINVAL, "exec: bad option");
			goto out;
		}
	}
	if (optind >= argc || (!o.process_file && optind + 1 >= argc)) {
		rc = error_set(err, EINVAL,
			       "usage: cvisor exec [options] CONTAINER-ID COMMAND [ARG...] | "
			       "cvisor exec --process FILE CONTAINER-ID");
		goto out;
	}
	o.id = argv[optind];
	o.args = argv + optind + 1;
	rc = oci_container_exec(&o, err);
	goto out;
nomem:
	rc = error_set(err, ENOMEM, "exec");
out:
	free(o.env);
	free(o.caps);
	free(o.gids);
	return rc;
}
