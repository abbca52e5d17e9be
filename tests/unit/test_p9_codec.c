/* The 9P codec: every message round-trips; truncated, oversized, trailing
 * and garbage input is rejected whole without leaks (run under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "p9/p9.h"

static const struct p9_qid Q1 = {P9_QTDIR, 7, 0x1122334455667788ULL};
static const struct p9_qid Q2 = {P9_QTSYMLINK, 9, 42};
static const uint8_t DATA[] = "hello, 9p";

/* One filled-in sample of every message type; returns 0 for unused numbers. */
static int sample(uint8_t type, struct p9_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->tag = (uint16_t)(0x100 + type);
	switch (type) {
	case P9_TVERSION:
	case P9_RVERSION:
		m->version = (struct p9_version){8192, "9P2000.L"};
		break;
	case P9_TAUTH:
		m->tauth = (struct p9_tauth){5, "root", "/srv", 0};
		break;
	case P9_TATTACH:
		m->tattach = (struct p9_tattach){1, P9_NOFID, "u", "/", 1000};
		break;
	case P9_RAUTH:
	case P9_RATTACH:
	case P9_RSYMLINK:
	case P9_RMKNOD:
	case P9_RMKDIR:
		m->rqid.qid = Q1;
		break;
	case P9_RLERROR:
		m->rlerror.ecode = ENOENT;
		break;
	case P9_TSTATFS:
	case P9_TREADLINK:
	case P9_TCLUNK:
	case P9_TREMOVE:
		m->fid.fid = 77;
		break;
	case P9_RSTATFS:
		m->rstatfs = (struct p9_rstatfs){1, 2, 3, 4, 5, 6, 7, 8, 9};
		break;
	case P9_TLOPEN:
		m->tlopen = (struct p9_tlopen){3, 02};
		break;
	case P9_RLOPEN:
	case P9_RLCREATE:
		m->ropen = (struct p9_ropen){Q2, 4096};
		break;
	case P9_TLCREATE:
		m->tlcreate = (struct p9_tlcreate){3, "new", 0101, 0644, 10};
		break;
	case P9_TSYMLINK:
		m->tsymlink = (struct p9_tsymlink){3, "ln", "../target", 5};
		break;
	case P9_TMKNOD:
		m->tmknod = (struct p9_tmknod){3, "fifo", 010644, 1, 2, 3};
		break;
	case P9_TRENAME:
		m->trename = (struct p9_trename){4, 5, "to"};
		break;
	case P9_RREADLINK:
		m->rreadlink.target = "/a/b";
		break;
	case P9_TGETATTR:
		m->tgetattr = (struct p9_tgetattr){6, P9_GETATTR_ALL};
		break;
	case P9_RGETATTR:
		m->rgetattr = (struct p9_rgetattr){1,  Q1, 2,  3,  4,  5,  6,  7,  8,  9,
						   10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
		break;
	case P9_TSETATTR:
		m->tsetattr = (struct p9_tsetattr){1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
		break;
	case P9_TXATTRWALK:
		m->txattrwalk = (struct p9_txattrwalk){1, 2, "user.x"};
		break;
	case P9_RXATTRWALK:
		m->rxattrwalk.size = 99;
		break;
	case P9_TXATTRCREATE:
		m->txattrcreate = (struct p9_txattrcreate){1, "user.y", 12, 1};
		break;
	case P9_TREAD:
	case P9_TREADDIR:
		m->tread = (struct p9_tread){8, 1ULL << 40, 4000};
		break;
	case P9_RREAD:
	case P9_RREADDIR:
		m->rread = (struct p9_data){sizeof(DATA), DATA};
		break;
	case P9_TWRITE:
		m->twrite = (struct p9_twrite){9, 12, {sizeof(DATA), DATA}};
		break;
	case P9_RWRITE:
		m->rwrite.count = 123;
		break;
	case P9_TFSYNC:
		m->tfsync = (struct p9_tfsync){9, 1};
		break;
	case P9_TLOCK:
		m->tlock = (struct p9_tlock){1, 1, 2, 3, 4, 5, "host"};
		break;
	case P9_RLOCK:
		m->rlock.status = P9_LOCK_BLOCKED;
		break;
	case P9_TGETLOCK:
	case P9_RGETLOCK:
		m->getlock = (struct p9_getlock){2, 1, 10, 20, 30, "cid"};
		break;
	case P9_TLINK:
		m->tlink = (struct p9_tlink){1, 2, "hard"};
		break;
	case P9_TMKDIR:
		m->tmkdir = (struct p9_tmkdir){1, "dir", 0755, 0};
		break;
	case P9_TRENAMEAT:
		m->trenameat = (struct p9_trenameat){1, "a", 2, "b"};
		break;
	case P9_TUNLINKAT:
		m->tunlinkat = (struct p9_tunlinkat){1, "gone", 0x200};
		break;
	case P9_TFLUSH:
		m->tflush.oldtag = 3;
		break;
	case P9_TWALK:
		m->twalk.fid = 1;
		m->twalk.newfid = 2;
		m->twalk.nwname = 3;
		m->twalk.wname[0] = "usr";
		m->twalk.wname[1] = "";
		m->twalk.wname[2] = "bin";
		break;
	case P9_RWALK:
		m->rwalk.nwqid = 2;
		m->rwalk.wqid[0] = Q1;
		m->rwalk.wqid[1] = Q2;
		break;
	case P9_RRENAME:
	case P9_RSETATTR:
	case P9_RXATTRCREATE:
	case P9_RFSYNC:
	case P9_RLINK:
	case P9_RRENAMEAT:
	case P9_RUNLINKAT:
	case P9_RFLUSH:
	case P9_RCLUNK:
	case P9_RREMOVE:
		break;
	default:
		return 0;
	}
	return 1;
}

static void roundtrip_all(void **state)
{
	int n = 0;
	for (unsigned t = 0; t < 256; t++) {
		struct p9_msg m, d;
		if (!sample((uint8_t)t, &m)) {
			assert_null(p9_type_name((uint8_t)t));
			continue;
		}
		n++;
		assert_non_null(p9_type_name((uint8_t)t));
		uint8_t a[512], b[512];
		int len = p9_encode(&m, a, sizeof(a));
		assert_true(len >= P9_HDRSZ);
		assert_int_equal(p9_frame_size(a), len);
		assert_int_equal(a[4], t);
		assert_int_equal(p9_decode(a, (size_t)len, 8192, &d), len);
		assert_int_equal(d.type, t);
		assert_int_equal(d.tag, m.tag);
		/* The decoded message encodes to the very same bytes. */
		assert_int_equal(p9_encode(&d, b, sizeof(b)), len);
		assert_memory_equal(a, b, (size_t)len);
		p9_msg_free(&d);
		p9_msg_free(&d); /* idempotent */
	}
	assert_int_equal(n, 57);
}

static void fields_decoded(void **state)
{
	struct p9_msg m, d;
	uint8_t buf[512];
	sample(P9_TWALK, &m);
	int len = p9_encode(&m, buf, sizeof(buf));
	assert_int_equal(p9_decode(buf, (size_t)len, 8192, &d), len);
	assert_int_equal(d.twalk.fid, 1);
	assert_int_equal(d.twalk.newfid, 2);
	assert_int_equal(d.twalk.nwname, 3);
	assert_string_equal(d.twalk.wname[0], "usr");
	assert_string_equal(d.twalk.wname[1], "");
	assert_string_equal(d.twalk.wname[2], "bin");
	p9_msg_free(&d);

	sample(P9_RGETATTR, &m);
	len = p9_encode(&m, buf, sizeof(buf));
	assert_int_equal(p9_decode(buf, (size_t)len, 8192, &d), len);
	assert_memory_equal(&d.rgetattr, &m.rgetattr, sizeof(m.rgetattr));

	sample(P9_TWRITE, &m);
	len = p9_encode(&m, buf, sizeof(buf));
	assert_int_equal(p9_decode(buf, (size_t)len, 8192, &d), len);
	assert_int_equal(d.twrite.offset, 12);
	assert_int_equal(d.twrite.data.count, sizeof(DATA));
	/* Data is borrowed from the buffer, not copied. */
	assert_ptr_equal(d.twrite.data.data, buf + P9_HDRSZ + 4 + 8 + 4);
	assert_memory_equal(d.twrite.data.data, DATA, sizeof(DATA));
}

static void wire_format(void **state)
{
	/* Tversion tag=NOTAG msize=8192 "9P2000.L", byte for byte. */
	static const uint8_t want[] = {21, 0, 0,   0,	100, 0xff, 0xff, 0,   0x20, 0,	0,
				       8,  0, '9', 'P', '2', '0',  '0',	 '0', '.',  'L'};
	struct p9_msg m = {.type = P9_TVERSION, .tag = P9_NOTAG};
	m.version = (struct p9_version){8192, "9P2000.L"};
	uint8_t buf[64];
	assert_int_equal(p9_encode(&m, buf, sizeof(buf)), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void truncated(void **state)
{
	for (unsigned t = 0; t < P9_TYPE_MAX; t++) {
		struct p9_msg m, d;
		if (!sample((uint8_t)t, &m))
			continue;
		uint8_t buf[512];
		int len = p9_encode(&m, buf, sizeof(buf));
		/* The real buffer is shorter than size[4]. */
		for (int cut = 0; cut < len; cut++)
			assert_int_equal(p9_decode(buf, (size_t)cut, 8192, &d), -EBADMSG);
		/* size[4] itself claims fewer bytes than the fields need. */
		for (int cut = P9_HDRSZ; cut < len; cut++) {
			uint8_t c[512];
			memcpy(c, buf, (size_t)cut);
			c[0] = (uint8_t)cut;
			c[1] = c[2] = c[3] = 0;
			assert_int_equal(p9_decode(c, (size_t)cut, 8192, &d), -EBADMSG);
		}
		/* A trailing byte inside size[4] is malformed too. */
		buf[len] = 0;
		buf[0] = (uint8_t)(len + 1);
		assert_int_equal(p9_decode(buf, (size_t)len + 1, 8192, &d), -EBADMSG);
		/* The encoder refuses every buffer that is too small. */
		for (int cap = 0; cap < len; cap++)
			assert_int_equal(p9_encode(&m, buf, (size_t)cap), -EMSGSIZE);
	}
}

static void oversized(void **state)
{
	struct p9_msg m, d;
	uint8_t buf[512];
	sample(P9_TWRITE, &m);
	int len = p9_encode(&m, buf, sizeof(buf));
	assert_int_equal(p9_decode(buf, (size_t)len, (uint32_t)len - 1, &d), -EMSGSIZE);
	assert_int_equal(p9_decode(buf, (size_t)len, (uint32_t)len, &d), len);
	/* A data count past the frame end. */
	buf[P9_HDRSZ + 12] = 0xff;
	assert_int_equal(p9_decode(buf, (size_t)len, 8192, &d), -EBADMSG);
	/* A frame that claims 4 GiB. */
	memset(buf, 0xff, 4);
	assert_int_equal(p9_decode(buf, sizeof(buf), 8192, &d), -EMSGSIZE);
	/* Too long a string or too many names cannot be encoded. */
	char *big = malloc(70000);
	memset(big, 'a', 69999);
	big[69999] = 0;
	sample(P9_TLCREATE, &m);
	m.tlcreate.name = big;
	uint8_t *out = malloc(80000);
	assert_int_equal(p9_encode(&m, out, 80000), -EINVAL);
	free(big);
	free(out);
	sample(P9_TWALK, &m);
	m.twalk.nwname = P9_MAXWELEM + 1;
	assert_int_equal(p9_encode(&m, buf, sizeof(buf)), -EINVAL);
}

static void garbage(void **state)
{
	struct p9_msg m, d;
	uint8_t buf[512];
	/* Embedded NUL in a name: rejected, and the walk names decoded before it
	 * are freed (ASan checks). */
	sample(P9_TWALK, &m);
	m.twalk.wname[2] = "b\001n";
	int len = p9_encode(&m, buf, sizeof(buf));
	uint8_t *p = (uint8_t *)memmem(buf, (size_t)len, "b\001n", 3) + 1;
	*p = 0;
	assert_int_equal(p9_decode(buf, (size_t)len, 8192, &d), -EBADMSG);
	/* 17 walk elements. */
	sample(P9_TWALK, &m);
	len = p9_encode(&m, buf, sizeof(buf));
	buf[P9_HDRSZ + 8] = P9_MAXWELEM + 1;
	assert_int_equal(p9_decode(buf, (size_t)len, 8192, &d), -EBADMSG);
	/* Unknown type, well framed: the header is reported for an Rlerror. */
	uint8_t unk[] = {7, 0, 0, 0, 200, 0x34, 0x12};
	assert_int_equal(p9_decode(unk, sizeof(unk), 8192, &d), -EPROTONOSUPPORT);
	assert_int_equal(d.tag, 0x1234);
	unk[0] = 6;
	assert_int_equal(p9_decode(unk, sizeof(unk), 8192, &d), -EBADMSG);
	/* Random bytes in valid frames never crash; what decodes re-encodes. */
	srand(1);
	for (int i = 0; i < 200000; i++) {
		size_t n = P9_HDRSZ + (size_t)(rand() % 64);
		for (size_t j = 0; j < n; j++)
			buf[j] = (uint8_t)rand();
		buf[0] = (uint8_t)n;
		buf[1] = buf[2] = buf[3] = 0;
		if (i & 1)
			buf[4] = (uint8_t)(rand() % P9_TYPE_MAX);
		int r = p9_decode(buf, n, 8192, &d);
		if (r > 0) {
			uint8_t b[512];
			assert_int_equal(p9_encode(&d, b, sizeof(b)), r);
			assert_memory_equal(b, buf, (size_t)r);
			p9_msg_free(&d);
		}
	}
}

static void dirents(void **state)
{
	uint8_t buf[64];
	size_t pos = 0;
	struct p9_dirent a = {Q1, 1, 4, 3, "abc"}, b = {Q2, 2, 10, 4, "link"}, r;
	assert_int_equal(p9_dirent_put(buf, sizeof(buf), &pos, &a), 0);
	assert_int_equal(pos, 27);
	assert_int_equal(p9_dirent_put(buf, sizeof(buf), &pos, &b), 0);
	assert_int_equal(p9_dirent_put(buf, sizeof(buf), &pos, &b), -EMSGSIZE);
	assert_int_equal(pos, 55);
	size_t len = pos;
	pos = 0;
	assert_int_equal(p9_dirent_next(buf, len, &pos, &r), 1);
	assert_int_equal(r.namelen, 3);
	assert_memory_equal(r.name, "abc", 3);
	assert_int_equal(r.qid.path, Q1.path);
	assert_int_equal(p9_dirent_next(buf, len, &pos, &r), 1);
	assert_int_equal(r.offset, 2);
	assert_int_equal(r.type, 10);
	assert_int_equal(p9_dirent_next(buf, len, &pos, &r), 0);
	pos = 27;
	assert_int_equal(p9_dirent_next(buf, len - 1, &pos, &r), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(roundtrip_all), cmocka_unit_test(fields_decoded),
	    cmocka_unit_test(wire_format),   cmocka_unit_test(truncated),
	    cmocka_unit_test(oversized),     cmocka_unit_test(garbage),
	    cmocka_unit_test(dirents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
