/* The Sentry's end of one 9P2000.L connection to a Gofer.
 *
 * Contract:
 * - One connection per Gofer, shared by every mount attached through it
 *   (reference counted), synchronous: one request in flight (tag 0), the
 *   Sentry being single-threaded. msize is negotiated by Tversion and fd
 *   donation (P9_VERSION_DONATE, or P9_VERSION_DIRECT with directory
 *   donation) is asked for; c->donate / c->direct say what was granted.
 * - p9client_rpc() sends req and decodes the reply into *rep. The reply's bulk
 *   data (Rread, Rreaddir) points into the connection's buffer and is valid
 *   until the next call; call p9_msg_free(rep) when done with its strings.
 *   Rlerror comes back as -ecode; a reply of the wrong type, a send or
 *   receive error or EOF mark the connection broken and give -EIO, as does
 *   every later call.
 * - Fids are numbered by the connection and never reused while live;
 *   p9client_clunk() releases one (errors ignored: the fid is gone either
 *   way) without waiting: its reply is read and dropped with the next one.
 * - Round trips are what 9P costs, so a walk and the request on the new
 *   fid that follows it (Tgetattr on lookup, Tlopen on open) are sent
 *   together and both replies read. Only to the cvisor Gofer (a donation
 *   version was granted), which answers requests in order; a threaded
 *   server (diod) could run the second before the first, so it gets them
 *   one at a time.
 */
#ifndef CVISOR_SENTRY_FS_GOFER_P9CLIENT_H
#define CVISOR_SENTRY_FS_GOFER_P9CLIENT_H

#include <stdint.h>

#include "p9/p9.h"

#define P9CLIENT_MSIZE (1u << 20) /* what the client asks for */

struct p9_client {
	int refs;
	int sock;
	uint32_t msize;
	int donate; /* the Gofer donates host fds on Tlopen */
	int direct; /* ... and directory exports' fds on Tattach */
	int broken;
	uint32_t next_fid;
	unsigned pending;   /* clunks sent whose replies are not read yet */
	unsigned async_seq; /* picks their tags */
	uint8_t *buf;	    /* msize bytes, requests and replies */
};

/* Takes over sock and negotiates the version, asking for version (one of
 * P9_VERSION*). Returns the connection (one reference) or NULL with *err set
 * (-errno). */
struct p9_client *p9client_connect(int sock, const char *version, int *err);
/* Attaches aname to a new fid. With directory donation, *dir_fd gets the
 * export's O_PATH fd (or -1 for a file export); dir_fd may be NULL. */
int p9client_attach(struct p9_client *c, const char *aname, uint32_t *root_fid, int *dir_fd);
struct p9_client *p9client_get(struct p9_client *c);
/* One request/response. If fd_out is not NULL it gets a donated fd or -1. */
int p9client_rpc(struct p9_client *c, struct p9_msg *req, uint8_t rtype, struct p9_msg *rep,
		 int *fd_out);
/* Drops a reference; the last closes the socket and frees c. */
void p9client_put(struct p9_client *c);
uint32_t p9client_fid_new(struct p9_client *c);
void p9client_clunk(struct p9_client *c, uint32_t fid);
/* Twalk of nwname names (0: clone) from fid to a new fid. */
int p9client_walk(struct p9_client *c, uint32_t fid, const char *name, uint32_t *newfid);
int p9client_getattr(struct p9_client *c, uint32_t fid, struct p9_rgetattr *out);
/* Two requests in one round trip (see above): req[1] is sent only if
 * req[0] succeeded, or is answered as if. res[i] gets what p9client_rpc()
 * would have returned for req[i] (rep[i] holds the reply when 0); fd_out
 * goes with req[1]. Returns a negative errno only when the connection
 * failed. */
int p9client_rpc2(struct p9_client *c, struct p9_msg req[2], const uint8_t rtype[2],
		  struct p9_msg rep[2], int res[2], int *fd_out);
/* Twalk of one name from fid to a new fid plus its Tgetattr, in one round
 * trip. */
int p9client_walk_getattr(struct p9_client *c, uint32_t fid, const char *name, uint32_t *newfid,
			  struct p9_rgetattr *attr);
/* A clone of fid opened with Tlopen (walk and open in one round trip); *fd
 * gets the donated fd or -1. */
int p9client_open(struct p9_client *c, uint32_t fid, uint32_t flags, uint32_t *ofid, int *fd,
		  uint32_t *iounit);

#endif
