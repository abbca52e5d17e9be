/* The gofer file system's lookup cache: (directory inode, name) -> inode for
 * the most recently looked-up names, so walking the same path again costs
 * no Twalk/Tgetattr/Tclunk. The VFS keeps a dentry only while something
 * references it; without this every stat of a/b/c would walk a, b and c
 * over 9P again. Used only where nothing but the Sentry changes the files
 * (see goferfs.h). Each entry holds an inode reference (and so a fid
 * and one of the Gofer's fds), hence the small bound. */
#include <stdlib.h>
#include <string.h>

#include "sentry/fs/gofer/internal.h"

#define LC_MAX	   512
#define LC_BUCKETS 1024

struct lc_entry {
	uint32_t dir; /* the directory's fid: fids are never reused, so an
		       * entry of a released directory can never match again */
	char *name;
	struct inode *in; /* referenced */
	struct lc_entry *hnext;
	struct lc_entry *prev, *next; /* LRU, most recent first */
};

struct lookup_cache {
	struct lc_entry *bucket[LC_BUCKETS];
	struct lc_entry *head, *tail;
	size_t n;
};

static size_t hash(uint32_t dir, const char *name)
{
	uint64_t h = (uint64_t)dir * 0x9e3779b97f4a7c15ULL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return (size_t)(h % LC_BUCKETS);
}

static void lru_unlink(struct lookup_cache *c, struct lc_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(struct lookup_cache *c, struct lc_entry *e)
{
	e->next = c->head;
	e->prev = NULL;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

struct inode *gofer_lc_find(struct lookup_cache *c, uint32_t dir, const char *name)
{
	if (!c)
		return NULL;
	for (struct lc_entry *e = c->bucket[hash(dir, name)]; e; e = e->hnext) {
		if (e->dir == dir && !strcmp(e->name, name)) {
			lru_unlink(c, e);
			lru_push(c, e);
			return inode_get(e->in);
		}
	}
	return NULL;
}

static void evict(struct lookup_cache *c, struct lc_entry *e)
{
	struct lc_entry **pp = &c->bucket[hash(e->dir, e->name)];
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(c, e);
	c->n--;
	struct inode *in = e->in;
	free(e->name);
	free(e);
	inode_put(in); /* a directory's own entries stay until they age out */
}

void gofer_lc_add(struct lookup_cache *c, uint32_t dir, const char *name, struct inode *in)
{
	if (!c)
		return;
	struct lc_entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->name = strdup(name))) {
		free(e);
		return;
	}
	e->dir = dir;
	e->in = inode_get(in);
	size_t b = hash(dir, name);
	e->hnext = c->bucket[b];
	c->bucket[b] = e;
	lru_push(c, e);
	if (++c->n > LC_MAX)
		evict(c, c->tail);
}

void gofer_lc_free(struct lookup_cache *c)
{
	while (c && c->tail)
		evict(c, c->tail);
	free(c);
}

struct lookup_cache *gofer_lc_new(void)
{
	return calloc(1, sizeof(struct lookup_cache));
}
