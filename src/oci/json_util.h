/* Typed getters over jansson for the OCI parsers (internal to src/oci/).
 *
 * Each getter reads obj[key], where obj is the JSON object found at the
 * dotted path `parent` ("" for the top level), and on a wrong type or value
 * fails with a message naming `parent.key`. JSON null and a missing key both
 * mean absent: *present (if given) is set to false and *out is untouched.
 * Numbers may arrive as integers or, when a document held integers beyond
 * 64-bit signed range, as integral reals (see oj_loads). */
#ifndef CVISOR_OCI_JSON_UTIL_H
#define CVISOR_OCI_JSON_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"

/* Parses a JSON document; integers beyond int64 (18446744073709551615 for
 * an unlimited rlimit) are retried as reals rather than refused. */
json_t *oj_loads(const char *buf, size_t len, struct error **err);
/* Turns integral reals (left by oj_loads' fallback) back into integers in
 * a subtree about to be re-serialized; ones beyond int64 stay reals. */
void oj_reals_to_ints(json_t *j);
/* Reads a whole file of at most max bytes into a new NUL-terminated buffer. */
int oj_read_file(const char *path, size_t max, char **out, size_t *len, struct error **err);

/* Loads the JSON object in path ("-": stdin); NULL with *err naming the
 * file if it is not JSON or not an object. */
json_t *oj_load_object(const char *path, struct error **err);

/* Joins parent and key into buf ("linux.resources" + "memory"). */
const char *oj_path(char *buf, size_t size, const char *parent, const char *key);

json_t *oj_get(json_t *obj, const char *key);
int oj_object(json_t *obj, const char *parent, const char *key, json_t **out, struct error **err);
int oj_array(json_t *obj, const char *parent, const char *key, json_t **out, struct error **err);
int oj_string(json_t *obj, const char *parent, const char *key, bool required, char **out,
	      struct error **err);
int oj_bool(json_t *obj, const char *parent, const char *key, bool *out, bool *present,
	    struct error **err);
int oj_int64(json_t *obj, const char *parent, const char *key, int64_t min, int64_t max,
	     int64_t *out, bool *present, struct error **err);
int oj_uint64(json_t *obj, const char *parent, const char *key, uint64_t max, uint64_t *out,
	      bool *present, struct error **err);
/* An array of strings into a NULL-terminated vector; absent gives NULL/0. */
int oj_strv(json_t *obj, const char *parent, const char *key, char ***out, size_t *n,
	    struct error **err);
/* The n strings of v as a JSON array (the inverse of oj_strv). */
json_t *oj_strv_json(char *const *v, size_t n);
/* An object of string values into key/value pairs. */
struct oci_kv;
int oj_strmap(json_t *obj, const char *parent, const char *key, struct oci_kv **out, size_t *n,
	      struct error **err);
void oj_kv_free(struct oci_kv *kv, size_t n);

/* Converts a JSON number that must be integral; 0 on success. */
int oj_num_to_int64(json_t *v, int64_t *out);
int oj_num_to_uint64(json_t *v, uint64_t *out);

#endif
