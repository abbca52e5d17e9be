/* 9P2000.L messages: numbers, structures, and the one codec shared by the
 * Gofer (server) and the Sentry (client).
 *
 * Contract:
 * - p9_encode() writes one whole message into a caller buffer. It writes
 *   through a cursor whose overflow poisons the message: a message that does
 *   not fit is never half-sent, the call returns -EMSGSIZE.
 * - p9_decode() checks the frame's size[4] against both msize and the bytes
 *   actually in the buffer, then decodes every field bounds-checked; the
 *   fields must use exactly size[4] bytes. A malformed message is rejected
 *   whole (-EBADMSG) and whatever was allocated is freed.
 * - Ownership after a successful decode: every string (`char *`) is a fresh
 *   NUL-terminated copy owned by the message (strings with an embedded NUL
 *   are malformed); release them with p9_msg_free(). Bulk data
 *   (struct p9_data: Twrite, Rread, Rreaddir) is NOT copied: it points into
 *   the decoded buffer and lives as long as that buffer.
 * - For p9_encode() everything is borrowed; never p9_msg_free() a message you
 *   built yourself.
 * - Functions return >= 0 or a negative errno.
 *
 * File descriptor donation (cvisor extension). A client that sends Tversion
 * with version "9P2000.L.cvisor" (P9_VERSION_DONATE) and gets the same string
 * back has switched the connection to donation mode: an Rlopen or Rlcreate
 * of a regular file then carries the opened host fd as SCM_RIGHTS ancillary
 * data on the same unix socket, attached to the reply's first byte (one fd;
 * directories and others carry none, so the client must check). The fd has
 * the access mode of the open.
 *
 * Directory donation (cvisor extension, `--file-access=direct`). Version
 * "9P2000.L.cvisor.direct" (P9_VERSION_DIRECT) is everything of
 * P9_VERSION_DONATE, and in addition an Rattach of an export that is a
 * directory carries the export's O_PATH directory fd (SCM_RIGHTS, as
 * above), which the client then walks itself with *at calls. A server that
 * will not donate directories answers P9_VERSION_DONATE instead.
 *
 * Any other "9P2000.L..." version gets plain "9P2000.L" and plain 9P; an
 * unknown version gets "unknown" and no session.
 */
#ifndef CVISOR_P9_P9_H
#define CVISOR_P9_P9_H

#include <stddef.h>
#include <stdint.h>

#define P9_VERSION	  "9P2000.L"
#define P9_VERSION_DONATE "9P2000.L.cvisor"
#define P9_VERSION_DIRECT "9P2000.L.cvisor.direct"
#define P9_NOTAG	  ((uint16_t)~0)
#define P9_NOFID	  ((uint32_t)~0)
#define P9_NONUNAME	  ((uint32_t)~0)
#define P9_MAXWELEM	  16
#define P9_HDRSZ	  7  /* size[4] type[1] tag[2] */
#define P9_IOHDRSZ	  24 /* what Linux reserves besides data in Tread/Twrite */
#define P9_RREAD_HDRSZ	  11 /* Rread/Rreaddir: header + count[4], then data */
#define P9_MIN_MSIZE	  4096
#define P9_MAX_STR	  65535

enum p9_type {
	P9_TLERROR = 6,
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_RSTATFS = 9,
	P9_TLOPEN = 12,
	P9_RLOPEN = 13,
	P9_TLCREATE = 14,
	P9_RLCREATE = 15,
	P9_TSYMLINK = 16,
	P9_RSYMLINK = 17,
	P9_TMKNOD = 18,
	P9_RMKNOD = 19,
	P9_TRENAME = 20,
	P9_RRENAME = 21,
	P9_TREADLINK = 22,
	P9_RREADLINK = 23,
	P9_TGETATTR = 24,
	P9_RGETATTR = 25,
	P9_TSETATTR = 26,
	P9_RSETATTR = 27,
	P9_TXATTRWALK = 30,
	P9_RXATTRWALK = 31,
	P9_TXATTRCREATE = 32,
	P9_RXATTRCREATE = 33,
	P9_TREADDIR = 40,
	P9_RREADDIR = 41,
	P9_TFSYNC = 50,
	P9_RFSYNC = 51,
	P9_TLOCK = 52,
	P9_RLOCK = 53,
	P9_TGETLOCK = 54,
	P9_RGETLOCK = 55,
	P9_TLINK = 70,
	P9_RLINK = 71,
	P9_TMKDIR = 72,
	P9_RMKDIR = 73,
	P9_TRENAMEAT = 74,
	P9_RRENAMEAT = 75,
	P9_TUNLINKAT = 76,
	P9_RUNLINKAT = 77,
	P9_TVERSION = 100,
	P9_RVERSION = 101,
	P9_TAUTH = 102,
	P9_RAUTH = 103,
	P9_TATTACH = 104,
	P9_RATTACH = 105,
	P9_TFLUSH = 108,
	P9_RFLUSH = 109,
	P9_TWALK = 110,
	P9_RWALK = 111,
	P9_TREAD = 116,
	P9_RREAD = 117,
	P9_TWRITE = 118,
	P9_RWRITE = 119,
	P9_TCLUNK = 120,
	P9_RCLUNK = 121,
	P9_TREMOVE = 122,
	P9_RREMOVE = 123,
	P9_TYPE_MAX = 124,
};

/* qid.type bits */
#define P9_QTDIR     0x80
#define P9_QTAPPEND  0x40
#define P9_QTEXCL    0x20
#define P9_QTSYMLINK 0x02
#define P9_QTFILE    0x00

/* Tgetattr request_mask / Rgetattr valid */
#define P9_GETATTR_MODE		0x00000001ULL
#define P9_GETATTR_NLINK	0x00000002ULL
#define P9_GETATTR_UID		0x00000004ULL
#define P9_GETATTR_GID		0x00000008ULL
#define P9_GETATTR_RDEV		0x00000010ULL
#define P9_GETATTR_ATIME	0x00000020ULL
#define P9_GETATTR_MTIME	0x00000040ULL
#define P9_GETATTR_CTIME	0x00000080ULL
#define P9_GETATTR_INO		0x00000100ULL
#define P9_GETATTR_SIZE		0x00000200ULL
#define P9_GETATTR_BLOCKS	0x00000400ULL
#define P9_GETATTR_BTIME	0x00000800ULL
#define P9_GETATTR_GEN		0x00001000ULL
#define P9_GETATTR_DATA_VERSION 0x00002000ULL
#define P9_GETATTR_BASIC	0x000007ffULL
#define P9_GETATTR_ALL		0x00003fffULL

/* Tsetattr valid */
#define P9_SETATTR_MODE	     0x00000001U
#define P9_SETATTR_UID	     0x00000002U
#define P9_SETATTR_GID	     0x00000004U
#define P9_SETATTR_SIZE	     0x00000008U
#define P9_SETATTR_ATIME     0x00000010U
#define P9_SETATTR_MTIME     0x00000020U
#define P9_SETATTR_CTIME     0x00000040U
#define P9_SETATTR_ATIME_SET 0x00000080U
#define P9_SETATTR_MTIME_SET 0x00000100U

/* Tlock type / Rlock status */
#define P9_LOCK_TYPE_RDLCK 0
#define P9_LOCK_TYPE_WRLCK 1
#define P9_LOCK_TYPE_UNLCK 2
#define P9_LOCK_SUCCESS	   0
#define P9_LOCK_BLOCKED	   1
#define P9_LOCK_ERROR	   2
#define P9_LOCK_GRACE	   3

/* Lopen/Lcreate flags are Linux's x86-64 open(2) flags (O_RDONLY ...). */

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* Bulk payload; on decode, data points into the decoded buffer. */
struct p9_data {
	uint32_t count;
	const uint8_t *data;
};

struct p9_version {
	uint32_t msize;
	char *version;
};
struct p9_tauth {
	uint32_t afid;
	char *uname, *aname;
	uint32_t n_uname;
};
struct p9_tattach {
	uint32_t fid, afid;
	char *uname, *aname;
	uint32_t n_uname;
};
struct p9_rqid { /* Rauth, Rattach, Rsymlink, Rmknod, Rmkdir */
	struct p9_qid qid;
};
struct p9_rlerror {
	uint32_t ecode;
};
struct p9_fid { /* Tclunk, Tremove, Tstatfs, Treadlink */
	uint32_t fid;
};
struct p9_tflush {
	uint16_t oldtag;
};
struct p9_twalk {
	uint32_t fid, newfid;
	uint16_t nwname;
	char *wname[P9_MAXWELEM];
};
struct p9_rwalk {
	uint16_t nwqid;
	struct p9_qid wqid[P9_MAXWELEM];
};
struct p9_tread { /* Tread, Treaddir */
	uint32_t fid;
	uint64_t offset;
	uint32_t count;
};
struct p9_twrite {
	uint32_t fid;
	uint64_t offset;
	struct p9_data data;
};
struct p9_rwrite {
	uint32_t count;
};
struct p9_rstatfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};
struct p9_tlopen {
	uint32_t fid, flags;
};
struct p9_ropen { /* Rlopen, Rlcreate */
	struct p9_qid qid;
	uint32_t iounit;
};
struct p9_tlcreate {
	uint32_t fid;
	char *name;
	uint32_t flags, mode, gid;
};
struct p9_tsymlink {
	uint32_t fid;
	char *name, *symtgt;
	uint32_t gid;
};
struct p9_tmknod {
	uint32_t dfid;
	char *name;
	uint32_t mode, major, minor, gid;
};
struct p9_trename {
	uint32_t fid, dfid;
	char *name;
};
struct p9_rreadlink {
	char *target;
};
struct p9_tgetattr {
	uint32_t fid;
	uint64_t request_mask;
};
struct p9_rgetattr {
	uint64_t valid;
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec, btime_sec, btime_nsec;
	uint64_t gen, data_version;
};
struct p9_tsetattr {
	uint32_t fid, valid, mode, uid, gid;
	uint64_t size, atime_sec, atime_nsec, mtime_sec, mtime_nsec;
};
struct p9_txattrwalk {
	uint32_t fid, newfid;
	char *name;
};
struct p9_rxattrwalk {
	uint64_t size;
};
struct p9_txattrcreate {
	uint32_t fid;
	char *name;
	uint64_t attr_size;
	uint32_t flags;
};
struct p9_tfsync {
	uint32_t fid, datasync;
};
struct p9_tlock {
	uint32_t fid;
	uint8_t type;
	uint32_t flags;
	uint64_t start, length;
	uint32_t proc_id;
	char *client_id;
};
struct p9_rlock {
	uint8_t status;
};
struct p9_getlock {   /* Tgetlock and Rgetlock */
	uint32_t fid; /* Tgetlock only */
	uint8_t type;
	uint64_t start, length;
	uint32_t proc_id;
	char *client_id;
};
struct p9_tlink {
	uint32_t dfid, fid;
	char *name;
};
struct p9_tmkdir {
	uint32_t dfid;
	char *name;
	uint32_t mode, gid;
};
struct p9_trenameat {
	uint32_t olddirfid;
	char *oldname;
	uint32_t newdirfid;
	char *newname;
};
struct p9_tunlinkat {
	uint32_t dirfid;
	char *name;
	uint32_t flags;
};

/* One message. `type` selects the union member (named after the message,
 * shared layouts noted on the structs above); R-messages without a body use
 * none. */
struct p9_msg {
	uint8_t type;
	uint16_t tag;
	union {
		struct p9_version version; /* Tversion, Rversion */
		struct p9_tauth tauth;
		struct p9_tattach tattach;
		struct p9_rqid rqid;
		struct p9_rlerror rlerror;
		struct p9_fid fid;
		struct p9_tflush tflush;
		struct p9_twalk twalk;
		struct p9_rwalk rwalk;
		struct p9_tread tread; /* Tread, Treaddir */
		struct p9_data rread;  /* Rread, Rreaddir */
		struct p9_twrite twrite;
		struct p9_rwrite rwrite;
		struct p9_rstatfs rstatfs;
		struct p9_tlopen tlopen;
		struct p9_ropen ropen; /* Rlopen, Rlcreate */
		struct p9_tlcreate tlcreate;
		struct p9_tsymlink tsymlink;
		struct p9_tmknod tmknod;
		struct p9_trename trename;
		struct p9_rreadlink rreadlink;
		struct p9_tgetattr tgetattr;
		struct p9_rgetattr rgetattr;
		struct p9_tsetattr tsetattr;
		struct p9_txattrwalk txattrwalk;
		struct p9_rxattrwalk rxattrwalk;
		struct p9_txattrcreate txattrcreate;
		struct p9_tfsync tfsync;
		struct p9_tlock tlock;
		struct p9_rlock rlock;
		struct p9_getlock getlock; /* Tgetlock, Rgetlock */
		struct p9_tlink tlink;
		struct p9_tmkdir tmkdir;
		struct p9_trenameat trenameat;
		struct p9_tunlinkat tunlinkat;
	};
};

/* Encodes m into buf (cap bytes). Returns the message length, -EMSGSIZE if
 * it does not fit, -EINVAL for an unknown type or an unencodable field
 * (string longer than 65535, more than P9_MAXWELEM walk elements). */
int p9_encode(const struct p9_msg *m, uint8_t *buf, size_t cap);

/* Decodes the message at buf (len bytes available) into *m. Returns the
 * message length (size[4]) on success. Errors: -EMSGSIZE if size[4] exceeds
 * msize, -EBADMSG if it exceeds len or the body is malformed,
 * -EPROTONOSUPPORT for a well-framed message of unknown type (m->type and
 * m->tag are then set so a server can answer Rlerror), -ENOMEM. On error *m
 * holds nothing that needs freeing. */
int p9_decode(const uint8_t *buf, size_t len, uint32_t msize, struct p9_msg *m);

/* Frees the strings a successful p9_decode() allocated; idempotent. */
void p9_msg_free(struct p9_msg *m);

/* The size[4] field of a frame whose first 4 bytes are at buf. */
uint32_t p9_frame_size(const uint8_t *buf);

/* Name of a message type for logs ("Twalk"), or NULL if unknown. */
const char *p9_type_name(uint8_t type);

/* Rreaddir payload: a sequence of qid[13] offset[8] type[1] name[s]. */
struct p9_dirent {
	struct p9_qid qid;
	uint64_t offset;
	uint8_t type;
	uint16_t namelen;
	const char *name; /* points into the payload, not NUL-terminated */
};

/* Appends one entry at buf+*pos (cap bytes in all); -EMSGSIZE if it does not
 * fit (nothing written). */
int p9_dirent_put(uint8_t *buf, size_t cap, size_t *pos, const struct p9_dirent *d);
/* Reads the entry at data+*pos: 1 and advances *pos, 0 at the end, -EBADMSG
 * if the entry is truncated. */
int p9_dirent_next(const uint8_t *data, size_t len, size_t *pos, struct p9_dirent *d);

/* Transport over a stream unix socket (p9_io.c). */

/* Sends one encoded message; if pass_fd >= 0 it rides along as SCM_RIGHTS.
 * Retries on EINTR and short writes. Returns 0 or -errno. */
int p9_send(int sock, const uint8_t *buf, size_t len, int pass_fd);
/* Receives one whole frame into buf (cap bytes, at most msize). If fd_out is
 * not NULL it receives a passed fd or -1 (extra fds are closed). Returns the
 * frame length, 0 on orderly EOF before a frame, -EMSGSIZE if the frame
 * exceeds cap, -EBADMSG if it is shorter than a header, -errno otherwise. */
int p9_recv(int sock, uint8_t *buf, size_t cap, int *fd_out);

#endif
