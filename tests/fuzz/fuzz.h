/* What the fuzz harnesses share: the libFuzzer entry point each one
 * defines, and the reader plumbing of read_input.c. The same harness
 * objects are linked into libFuzzer binaries (`make fuzz`, clang) and into
 * replay drivers (`make test`, any compiler; replay.c). */
#ifndef LEDE_FUZZ_H
#define LEDE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "../../corpus/article.h"

/* Defined by each harness: run one input, abort() on a broken invariant
 * (the sanitizers catch the rest). Returns 0 as libFuzzer wants. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop with a message naming the broken invariant: in a fuzz run this is
 * a crash, saved by libFuzzer; in a replay, a failed input. */
#define FUZZ_CHECK(cond) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
void fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

/* Write data to a private temporary file called name (its extension picks
 * the reader, as for a user's file) and read it with corpus_read_path,
 * checking every article and every rejection: fields are valid UTF-8
 * strings, body_len is the body's length, a reason is one printable line.
 * An input of odd length is read with a 1 KiB record bound, so the
 * over-the-bound paths are fuzzed too. */
void fuzz_read_as(const uint8_t *data, size_t size, const char *name);

/* 1 if s[0..n) is valid UTF-8 without NUL bytes. */
int fuzz_utf8_ok(const char *s, size_t n);

#endif
