/* Fuzz harness: the json reader, through corpus_read_path on a file named
 * in.json (see read_input.c for what is checked). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_as(data, size, "in.json");
	return 0;
}
