/* libFuzzer target: p9_decode() on arbitrary bytes must never crash, leak or
 * read past the input; whatever it accepts must re-encode to the same bytes,
 * and a Rreaddir payload must walk cleanly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "p9/p9.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Copy so the decoder sees exactly `size` readable bytes. */
	uint8_t *in = malloc(size ? size : 1);
	memcpy(in, data, size);
	struct p9_msg m;
	uint32_t msize = size > 4 ? 8192 + data[size - 1] * 64u : 8192;
	int r = p9_decode(in, size, msize, &m);
	if (r > 0) {
		uint8_t *out = malloc((size_t)r);
		if (p9_encode(&m, out, (size_t)r) != r || memcmp(out, in, (size_t)r) != 0)
			abort();
		free(out);
		if (m.type == P9_RREADDIR) {
			struct p9_dirent d;
			size_t pos = 0;
			while (p9_dirent_next(m.rread.data, m.rread.count, &pos, &d) > 0)
				;
		}
		p9_msg_free(&m);
	}
	free(in);
	return 0;
}
