/* Typed jansson getters for the OCI parsers; see json_util.h. */
#include "oci/json_util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/spec.h"

json_t *oj_loads(const char *buf, size_t len, struct error **err)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, 0, &je);
	/* Go's decoder takes 2^64-1 in a uint64 field; jansson stops at
	 * int64, so retry with every integer read as a real. */
	if (!j && json_error_code(&je) == json_error_numeric_overflow)
		j = json_loadb(buf, len, JSON_DECODE_INT_AS_REAL, &je);
	if (!j)
		error_set(err, 0, "invalid JSON at line %d column %d: %s", je.line, je.column,
			  je.text);
	return j;
}

int oj_read_file(const char *path, size_t max, char **out, size_t *len, struct error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "open `%s`", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, 0, "`%s` is not a regular file", path);
	if ((uint64_t)st.st_size > max)
		return error_set(err, EFBIG, "`%s` is larger than %zu bytes", path, max);
	/* One spare byte beyond the size: EOF is then seen without growing. */
	size_t cap = (size_t)st.st_size + 2, n = 0;
	cleanup_free char *buf = malloc(cap);
	if (!buf)
		return error_set(err, ENOMEM, "read `%s`", path);
	for (;;) {
		if (n + 1 >= cap) {
			/* The file grew while we read it. */
			if (n > max)
				return error_set(err, EFBIG, "`%s` is larger than %zu bytes", path,
						 max);
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				return error_set(err, ENOMEM, "read `%s`", path);
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return error_set(err, errno, "read `%s`", path);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max)
		return error_set(err, EFBIG, "`%s` is larger than %zu bytes", path, max);
	buf[n] = 0;
	*out = steal_ptr(buf);
	*len = n;
	return 0;
}

void oj_reals_to_ints(json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
		{
			int64_t x;
			if (json_is_real(v) && oj_num_to_int64(v, &x) == 0)
				json_object_set_new(j, k, json_integer(x));
			else
				oj_reals_to_ints(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
		{
			int64_t x;
			if (json_is_real(v) && oj_num_to_int64(v, &x) == 0)
				json_array_set_new(j, i, json_integer(x));
			else
				oj_reals_to_ints(v);
		}
	}
}

const char *oj_path(char *buf, size_t size, const char *parent, const char *key)
{
	if (!parent || !*parent)
		snprintf(buf, size, "%s", key);
	else
		snprintf(buf, size, "%s.%s", parent, key);
	return buf;
}

#define FIELD(parent, key) oj_path((char[256]){0}, 256, parent, key)

json_t *oj_get(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_null(v) ? NULL : v;
}

int oj_object(json_t *obj, const char *parent, const char *key, json_t **out, struct error **err)
{
	json_t *v = oj_get(obj, key);
	if (v && !json_is_object(v))
		return error_set(err, 0, "`%s` must be an object", FIELD(parent, key));
	*out = v;
	return 0;
}

int oj_array(json_t *obj, const char *parent, const char *key, json_t **out, struct error **err)
{
	json_t *v = oj_get(obj, key);
	if (v && !json_is_array(v))
		return error_set(err, 0, "`%s` must be an array", FIELD(parent, key));
	*out = v;
	return 0;
}

int oj_string(json_t *obj, const char *parent, const char *key, bool required, char **out,
	      struct error **err)
{
	json_t *v = oj_get(obj, key);
	if (!v) {
		if (required)
			return error_set(err, 0, "`%s` is required", FIELD(parent, key));
		return 0;
	}
	if (!json_is_string(v))
		return error_set(err, 0, "`%s` must be a string", FIELD(parent, key));
	/* C strings end at NUL; a value with an embedded NUL would be cut. */
	if (strlen(json_string_value(v)) != json_string_length(v))
		return error_set(err, 0, "`%s` must not contain NUL", FIELD(parent, key));
	char *s = strdup(json_string_value(v));
	if (!s)
		return error_set(err, ENOMEM, "`%s`", FIELD(parent, key));
	free(*out);
	*out = s;
	return 0;
}

int oj_bool(json_t *obj, const char *parent, const char *key, bool *out, bool *present,
	    struct error **err)
{
	json_t *v = oj_get(obj, key);
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return error_set(err, 0, "`%s` must be true or false", FIELD(parent, key));
	*out = json_is_true(v);
	return 0;
}

int oj_num_to_int64(json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return -1;
	double d = json_real_value(v);
	if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
	    d >= 9223372036854775808.0)
		return -1;
	*out = (int64_t)d;
	return 0;
}

int oj_num_to_uint64(json_t *v, uint64_t *out)
{
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return -1;
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return -1;
	double d = json_real_value(v);
	if (!isfinite(d) || d != floor(d) || d < 0)
		return -1;
	/* 2^64-1 read as a double rounds up to 2^64. */
	if (d >= 18446744073709551616.0) {
		if (d > 18446744073709551616.0)
			return -1;
		*out = UINT64_MAX;
		return 0;
	}
	*out = (uint64_t)d;
	return 0;
}

int oj_int64(json_t *obj, const char *parent, const char *key, int64_t min, int64_t max,
	     int64_t *out, bool *present, struct error **err)
{
	json_t *v = oj_get(obj, key);
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	int64_t x;
	if (oj_num_to_int64(v, &x) < 0)
		return error_set(err, 0, "`%s` must be an integer", FIELD(parent, key));
	if (x < min || x > max)
		return error_set(err, 0, "`%s` is out of range (%lld..%lld)", FIELD(parent, key),
				 (long long)min, (long long)max);
	*out = x;
	return 0;
}

int oj_uint64(json_t *obj, const char *parent, const char *key, uint64_t max, uint64_t *out,
	      bool *present, struct error **err)
{
	json_t *v = oj_get(obj, key);
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	uint64_t x;
	if (oj_num_to_uint64(v, &x) < 0)
		return error_set(err, 0, "`%s` must be a non-negative integer", FIELD(parent, key));
	if (x > max)
		return error_set(err, 0, "`%s` is out of range (0..%llu)", FIELD(parent, key),
				 (unsigned long long)max);
	*out = x;
	return 0;
}

int oj_strv(json_t *obj, const char *parent, const char *key, char ***out, size_t *n,
	    struct error **err)
{
	json_t *a;
	if (oj_array(obj, parent, key, &a, err) < 0)
		return -1;
	if (!a)
		return 0;
	size_t count = json_array_size(a);
	char **v = calloc(count + 1, sizeof(*v));
	if (!v)
		return error_set(err, ENOMEM, "`%s`", FIELD(parent, key));
	for (size_t i = 0; i < count; i++) {
		json_t *e = json_array_get(a, i);
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
			oci_strv_free(v);
			return error_set(err, 0, "`%s[%zu]` must be a string", FIELD(parent, key),
					 i);
		}
		if (!(v[i] = strdup(json_string_value(e)))) {
			oci_strv_free(v);
			return error_set(err, ENOMEM, "`%s`", FIELD(parent, key));
		}
	}
	oci_strv_free(*out);
	*out = v;
	*n = count;
	return 0;
}

void oj_kv_free(struct oci_kv *kv, size_t n)
{
	for (size_t i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

int oj_strmap(json_t *obj, const char *parent, const char *key, struct oci_kv **out, size_t *n,
	      struct error **err)
{
	json_t *o;
	if (oj_object(obj, parent, key, &o, err) < 0)
		return -1;
	if (!o)
		return 0;
	size_t count = json_object_size(o), i = 0;
	struct oci_kv *kv = calloc(count ? count : 1, sizeof(*kv));
	if (!kv)
		return error_set(err, ENOMEM, "`%s`", FIELD(parent, key));
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
			oj_kv_free(kv, i);
			return error_set(err, 0, "`%s.%s` must be a string", FIELD(parent, key), k);
		}
		kv[i].key = strdup(k);
		kv[i].value = strdup(json_string_value(v));
		i++;
		if (!kv[i - 1].key || !kv[i - 1].value) {
			oj_kv_free(kv, i);
			return error_set(err, ENOMEM, "`%s`", FIELD(parent, key));
		}
	}
	oj_kv_free(*out, *n);
	*out = kv;
	*n = i;
	return 0;
}

void oci_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

json_t *oj_load_object(const char *path, struct error **err)
{
	json_error_t je;
	json_t *j =
	    strcmp(path, "-") == 0 ? json_loadf(stdin, 0, &je) : json_load_file(path, 0, &je);
	if (!j)
		error_set(err, EINVAL, "`%s`: %s (line %d)", path, je.text, je.line);
	else if (!json_is_object(j)) {
		json_decref(j);
		j = NULL;
		error_set(err, EINVAL, "`%s` must hold a JSON object", path);
	}
	return j;
}

json_t *oj_strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}
