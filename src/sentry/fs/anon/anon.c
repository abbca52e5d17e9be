/* The anonymous inode file system: one synthesized inode per file. */
#include "sentry/fs/anon/anon.h"

#include <fcntl.h>
#include <sys/stat.h>

static struct fs anonfs = {.name = "anon_inodefs", .dev = 0xd, .magic = 0x09041934};

struct file *anon_file_new(const char *name, const struct file_ops *ops, void *priv, int flags)
{
	/* Linux's anonymous inode has no file type bits, mode 0600. */
	struct inode *in = inode_new(&anonfs, NULL, ops, S_IRUSR | S_IWUSR);
	if (!in)
		return NULL;
	struct file *f = file_anon(in, flags & (O_ACCMODE | O_NONBLOCK), name);
	inode_put(in);
	if (!f)
		return NULL;
	f->ops = ops;
	f->priv = priv;
	return f;
}
