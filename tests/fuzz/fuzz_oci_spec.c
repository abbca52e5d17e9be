/* libFuzzer target: config.json and process.json parsing must never crash,
 * leak or read out of bounds, and a successful parse must free cleanly.
 * Built and run by tests/oci/fuzz_spec.sh. */
#include <stddef.h>
#include <stdint.h>

#include "oci/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_spec *s = NULL;
	struct error *err = NULL;
	if (oci_spec_parse((const char *)data, size, "config.json", &s, &err) == 0) {
		/* Touch what the runtime would read first. */
		(void)oci_spec_annotation(s, "io.kubernetes.cri.container-type");
		(void)oci_spec_namespace(s, OCI_NS_USER);
		oci_spec_free(s);
	}
	error_free(err);
	err = NULL;
	struct oci_process *p = NULL;
	if (oci_process_parse((const char *)data, size, "process.json", &p, &err) == 0)
		oci_process_free(p);
	error_free(err);
	return 0;
}
