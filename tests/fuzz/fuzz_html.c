/* Fuzz harness: the html reader, through corpus_read_path on a file named
 * in.html (see read_input.c for what is checked). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_as(data, size, "in.html");
	return 0;
}
