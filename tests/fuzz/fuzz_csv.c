/* Fuzz harness: the CSV reader, each input read twice, as .csv and as .tsv
 * (one reader, two delimiters; see read_input.c for what is checked). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_as(data, size, "in.csv");
	fuzz_read_as(data, size, "in.tsv");
	return 0;
}
