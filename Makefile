# lede — plain Makefile. `make` builds liblede.a, liblede.so and the lede
# binary; `make test` runs every cmocka suite; `make demo` indexes the bundled
# sample and runs example searches. SANITIZE=address,undefined rebuilds
# everything with those sanitizers into build-san/.

PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0
SOVERSION := 0

CC  ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config
PKGS := xapian-core zlib libxml-2.0 jansson libutf8proc

# The lede program allocates from many small objects on two threads:
# jemalloc indexes the corpora 12% faster than glibc's malloc (docs/
# BENCHMARKS.md). The library leaves the choice to the program linking
# it; sanitizer builds keep their own allocator.
ifdef FUZZ
# `make fuzz` builds here with clang: every object instrumented for
# libFuzzer's coverage, with the address and undefined-behaviour sanitizers.
B := build-fuzz
FUZZ_CC ?= clang-14
FUZZ_CXX ?= clang++-14
CC := $(FUZZ_CC)
CXX := $(FUZZ_CXX)
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT ?= -O1
MALLOC_LIB :=
else ifdef SANITIZE
B := build-san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT ?= -O1
MALLOC_LIB :=
else
B := build
SANFLAGS :=
OPT ?= -O2
MALLOC_LIB ?= -ljemalloc
endif

# Warnings are errors in development builds; a release build may say
# WERROR= to build with a newer compiler's new warnings.
WERROR ?= -Werror
WARN := -Wall -Wextra -Wshadow -Wno-unused-parameter $(WERROR)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CFLAGS ?= $(OPT) -g
CXXFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -Iinclude $(CFLAGS)
ALL_CXXFLAGS := -std=c++17 -fPIC $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -Iinclude $(CXXFLAGS)
LIBS := $(PKG_LIBS) -lstemmer -lcsv -lpthread -lm
# libmicrohttpd is the lede program's (lede serve), never the library's.
SERVE_LIBS := $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# Modules. Tests link only the modules they need, so one module's broken
# work in progress does not stop another's tests from building.
COMMON_SRC   := $(wildcard common/*.c)
SHIM_SRC     := $(wildcard shim/*.cc)
CORPUS_SRC   := $(wildcard corpus/*.c)
PIPELINE_SRC := $(wildcard indexer/index_*.c)
ANALYZER_SRC := $(filter-out $(PIPELINE_SRC),$(wildcard indexer/*.c))
# The command line (main.c, cli_*.c) is the lede program's, not the
# library's: liblede holds what include/lede.h promises.
CLI_SRC      := searcher/main.c $(wildcard searcher/cli_*.c)
# lede serve's web pages (searcher/serve_*.c) are the program's too, with
# their assets (searcher/serve_assets/) compiled in.
SERVE_SRC    := $(wildcard searcher/serve_*.c)
SEARCHER_SRC := $(filter-out $(CLI_SRC) $(SERVE_SRC),$(wildcard searcher/*.c))
SERVE_ASSETS := $(sort $(wildcard searcher/serve_assets/*))
GAZ_TSV      := $(sort $(wildcard corpus/gazetteer/*.tsv))
GAZ_C        := $(B)/gen/gazetteer_data.c

obj = $(patsubst %.c,$(B)/%.o,$(patsubst %.cc,$(B)/%.o,$(1)))
COMMON_OBJ   := $(call obj,$(COMMON_SRC))
SHIM_OBJ     := $(call obj,$(SHIM_SRC))
CORPUS_OBJ   := $(call obj,$(CORPUS_SRC))
ANALYZER_OBJ := $(call obj,$(ANALYZER_SRC)) $(B)/gen/gazetteer_data.o
PIPELINE_OBJ := $(call obj,$(PIPELINE_SRC))
SERVE_OBJ    := $(call obj,$(SERVE_SRC)) $(B)/gen/serve_assets.o
SEARCHER_OBJ := $(call obj,$(SEARCHER_SRC))
LIB_OBJ := $(COMMON_OBJ) $(SHIM_OBJ) $(CORPUS_OBJ) $(ANALYZER_OBJ) \
           $(PIPELINE_OBJ) $(SEARCHER_OBJ)

LIB_A  := $(B)/liblede.a
LIB_SO := $(B)/liblede.so.$(SOVERSION)
LEDE   := $(B)/lede

TEST_SRC := $(sort $(wildcard tests/test_*.c))
TESTS    := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))
EXAMPLES := $(patsubst examples/%.c,$(B)/examples/%,$(wildcard examples/*.c))
TEST_HELPERS := $(call obj,$(wildcard tests/helpers/*.c))

# Fuzz harnesses (tests/fuzz/fuzz_NAME.c, each one LLVMFuzzerTestOneInput).
# `make test` links each into a replay driver with the normal compiler and
# runs its seeds and past crash inputs; `make fuzz` links each with
# libFuzzer and runs it for FUZZ_SECONDS.
FUZZ_NAMES  := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_HELPER := $(B)/tests/fuzz/read_input.o
FUZZ_REPLAY := $(patsubst %,$(B)/fuzz/replay_%,$(FUZZ_NAMES))
FUZZ_BINS   := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= $(FUZZ_NAMES)

.PHONY: all test fuzz fuzz-build demo bench bench-scale eval eval-entities eval-quotes install uninstall clean deps check-deps
.DEFAULT_GOAL := all

all: $(LIB_A) $(LIB_SO) $(LEDE)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# The gazetteers are compiled in, so the binary and the library need no data
# files at run time.
$(GAZ_C): $(GAZ_TSV) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $@ $(GAZ_TSV)

$(B)/gen/gazetteer_data.o: $(GAZ_C)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/gen/serve_assets.c: $(SERVE_ASSETS) tools/embed.sh
	@mkdir -p $(dir $@)
	EMBED_ARRAY=serve_asset_files EMBED_STRUCT=serve_asset_file \
		sh tools/embed.sh $@ $(SERVE_ASSETS)

$(B)/gen/serve_assets.o: $(B)/gen/serve_assets.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The Makefile decides what goes into the library: a change to it rebuilds.
$(LIB_A): $(LIB_OBJ) Makefile
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

# Only lede_* is exported from the shared library (lede.map).
$(LIB_SO): $(LIB_OBJ) lede.map Makefile
	$(CXX) -shared -Wl,-soname,liblede.so.$(SOVERSION) -Wl,--version-script=lede.map \
		$(SANFLAGS) -o $@ $(LIB_OBJ) $(LIBS)
	ln -sf liblede.so.$(SOVERSION) $(B)/liblede.so

CLI_OBJ := $(call obj,$(CLI_SRC))
# the subcommands whose JSON writers lede serve shares, for its suites
# (which stand in for main.c's cli_help)
CLI_LIB_OBJ := $(call obj,searcher/cli_common.c searcher/cli_search.c searcher/cli_show.c)
$(LEDE): $(CLI_OBJ) $(SERVE_OBJ) $(LIB_A)
	$(CXX) $(SANFLAGS) -o $@ $(CLI_OBJ) $(SERVE_OBJ) $(LIB_A) $(LIBS) $(SERVE_LIBS) $(MALLOC_LIB)

# Which modules a test suite links: by its name.
test_deps = $(COMMON_OBJ) $(TEST_HELPERS) $(strip \
	$(if $(filter test_shim%,$(1)),$(SHIM_OBJ),\
	$(if $(filter test_analyzer% test_entities% test_tokenizer%,$(1)),$(ANALYZER_OBJ),\
	$(if $(filter test_corpus% test_passage% test_textpack% test_simhash% test_readers% test_dates%,$(1)),$(CORPUS_OBJ),\
	$(if $(filter test_metrics%,$(1)),$(B)/bench/trec_metrics.o $(B)/bench/loo.o,\
	$(if $(filter test_serve%,$(1)),$(filter-out $(B)/searcher/serve_http.o,$(SERVE_OBJ)) $(CLI_LIB_OBJ) $(LIB_A),\
	$(LIB_A)))))))

.SECONDEXPANSION:
$(TESTS): $(B)/tests/%: $(B)/tests/%.o $$(call test_deps,$$*)
	$(CXX) $(SANFLAGS) -o $@ $< $(call test_deps,$*) $(LIBS) $(TEST_LIBS)

$(B)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@.o
	$(CXX) $(SANFLAGS) -o $@ $@.o $(LIB_A) $(LIBS)

$(B)/fuzz/replay_%.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_NAME='"$*"' -c $< -o $@

$(B)/fuzz/replay_%: $(B)/fuzz/replay_%.o $(B)/tests/fuzz/fuzz_%.o $(FUZZ_HELPER) $(LIB_A)
	$(CXX) $(SANFLAGS) -o $@ $^ $(LIBS)

$(B)/fuzz/fuzz_%: $(B)/tests/fuzz/fuzz_%.o $(FUZZ_HELPER) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CXX) $(SANFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

deps:
	@sh tools/deps.sh

# clang and libFuzzer are needed here only, never by `make test`.
fuzz:
	@sh tools/deps.sh fuzz
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@sh tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS)

# Runs every suite even when one fails, then fails if any did.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(TESTS) $(EXAMPLES) $(FUZZ_REPLAY)
	@LEDE_BIN=$(abspath $(LEDE)) LEDE_BUILD=$(abspath $(B)) \
		LEDE_SMOKES="eval bench" sh tools/run-tests.sh $(TESTS) $(FUZZ_REPLAY)

demo: deps
	@$(MAKE) --no-print-directory all
	@LEDE_BIN=$(abspath $(LEDE)) sh tools/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/run.sh

bench-scale: deps
	@$(MAKE) --no-print-directory all
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/scale.sh

# The entity part prints P/R/F1 per type against the gold set outside the
# repository (skipped when it is absent); `make eval-entities
# ENTITY_ARGS=--show-errors` runs it alone and lists every error.
ENTITY_ARGS ?=
eval: deps
	@$(MAKE) --no-print-directory all
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/eval.sh
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/eval_entities.sh $(ENTITY_ARGS)
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/eval_quotes.sh

# Quotes alone: lede and our baseline on the BBC gold set and our Spanish
# set (docs/quote-guidelines.md).
eval-quotes: deps
	@$(MAKE) --no-print-directory all
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/eval_quotes.sh

eval-entities: deps
	@$(MAKE) --no-print-directory all
	@LEDE_BIN=$(abspath $(LEDE)) sh bench/eval_entities.sh $(ENTITY_ARGS)

# Outside /usr the loader does not look for liblede.so.0 by itself (and
# /usr/local/lib only after ldconfig): a program linked the documented way,
# `pkg-config --libs lede`, finds it through an rpath in lede.pc.
# The documents the man page points to.
INSTALL_DOCS := docs/query-language.md docs/output-format.md docs/index-format.md \
	docs/scale-out.md docs/serve.md
comma := ,
PC_RPATH := $(if $(filter /usr,$(PREFIX)),, -Wl$(comma)-rpath$(comma)$${libdir})

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(LEDE) $(DESTDIR)$(PREFIX)/bin/lede
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/liblede.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/liblede.so.$(SOVERSION)
	ln -sf liblede.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/liblede.so
	install -m 644 include/lede.h $(DESTDIR)$(PREFIX)/include/lede.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		-e 's|@RPATH@|$(PC_RPATH)|g' lede.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/lede.pc
	install -m 644 docs/lede.1 $(DESTDIR)$(PREFIX)/share/man/man1/lede.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/lede
	install -m 644 $(INSTALL_DOCS) $(DESTDIR)$(PREFIX)/share/doc/lede/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lede $(DESTDIR)$(PREFIX)/lib/liblede.a \
		$(DESTDIR)$(PREFIX)/lib/liblede.so $(DESTDIR)$(PREFIX)/lib/liblede.so.$(SOVERSION) \
		$(DESTDIR)$(PREFIX)/include/lede.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/lede.pc \
		$(DESTDIR)$(PREFIX)/share/man/man1/lede.1
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/lede

clean:
	rm -rf build build-san build-fuzz lede.db

-include $(shell find $(B) -name '*.d' 2>/dev/null)
