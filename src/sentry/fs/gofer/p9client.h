/* The Sentry's end of one 9P2000.L connection to a Gofer.
 *
 * Contract:
 * - One connection per mount, synchronous: one request in flight (tag 0),
 *   the Sentry being single-threaded. msize is negotiated by Tversion and fd
 *   donation (P9_VERSION_DONATE) is asked for; c->donate says if granted.
 * - p9client_rpc() sends req and decodes the reply into *rep. The reply's bulk
 *   data (Rread, Rreaddir) points into the connection's buffer and is valid
 *   until the next call; call p9_msg_free(rep) when done with its strings.
 *   Rlerror comes back as -ecode; a reply of the wrong type, a send or
 *   receive error or EOF mark the connection broken and give -EIO, as does
 *   every later call.
 * - Fids are numbered by the connection and never reused while live;
 *   p9client_clunk() releases one (errors ignored: the fid is gone either way).
 */
#ifndef CVISOR_SENTRY_FS_GOFER_P9CLIENT_H
#define CVISOR_SENTRY_FS_GOFER_P9CLIENT_H

#include <stdint.h>

#include "p9/p9.h"

#define P9CLIENT_MSIZE (1u << 20) /* what the client asks for */

struct p9_client {
	int sock;
	uint32_t msize;
	int donate; /* the Gofer donates host fds on Tlopen */
	int broken;
	uint32_t next_fid;
	uint8_t *buf; /* msize bytes, requests and replies */
};

/* Takes over sock; negotiates the version and attaches aname to a new fid.
 * Returns the connection or NULL with *err set (-errno). */
struct p9_client *p9client_connect(int sock, const char *aname, uint32_t *root_fid, int *err);
/* One request/response. If fd_out is not NULL it gets a donated fd or -1. */
int p9client_rpc(struct p9_client *c, struct p9_msg *req, uint8_t rtype, struct p9_msg *rep,
		 int *fd_out);
/* Closes the socket and frees c. */
void p9client_close(struct p9_client *c);
uint32_t p9client_fid_new(struct p9_client *c);
void p9client_clunk(struct p9_client *c, uint32_t fid);
/* Twalk of nwname names (0: clone) from fid to a new fid. */
int p9client_walk(struct p9_client *c, uint32_t fid, const char *name, uint32_t *newfid);
int p9client_getattr(struct p9_client *c, uint32_t fid, struct p9_rgetattr *out);

#endif
