/* The fid table of one connection: a small chained hash keyed by the
 * client's fid number. A fid owns a node reference and its open fd. */
#include "gofer/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static struct gfid **slot(struct gconn *c, uint32_t id)
{
	struct gfid **p = &c->fids[id % GFID_BUCKETS];
	while (*p && (*p)->id != id)
		p = &(*p)->next;
	return p;
}

struct gfid *gfid_find(struct gconn *c, uint32_t id)
{
	return *slot(c, id);
}

/* Adds an empty fid; EBADF if the number is taken (or is NOFID), ENFILE
 * when the client holds too many. */
int gfid_add(struct gconn *c, uint32_t id, struct gfid **out)
{
	struct gfid **p = slot(c, id);
	if (*p || id == P9_NOFID)
		return -EBADF;
	if (c->nfids >= GFID_MAX)
		return -ENFILE;
	struct gfid *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->id = id;
	f->open_fd = -1;
	*p = f;
	c->nfids++;
	*out = f;
	return 0;
}

static void release(struct gfid *f)
{
	if (f->open_fd >= 0)
		close(f->open_fd);
	gnode_put(f->node);
	free(f);
}

void gfid_del(struct gconn *c, uint32_t id)
{
	struct gfid **p = slot(c, id);
	struct gfid *f = *p;
	if (!f)
		return;
	*p = f->next;
	c->nfids--;
	release(f);
}

void gfid_clear(struct gconn *c)
{
	for (size_t i = 0; i < GFID_BUCKETS; i++) {
		while (c->fids[i]) {
			struct gfid *f = c->fids[i];
			c->fids[i] = f->next;
			release(f);
		}
	}
	c->nfids = 0;
}
