# rectify -- build, test, fuzz, benchmark.
#
#   make            build build/rectify (installs missing Debian packages first)
#   make demo       build and start the demo on the embedded database
#   make check      build and run every test, also under ASan + UBSan
#   make fuzz       build the libFuzzer targets with clang (build/fuzz/)
#   make bench      run the benchmarks in bench/
#   make install    copy build/rectify to $(PREFIX)/bin
#
# Sources are found by wildcard: a new src/*.c, tests/test_*.c or
# fuzz/fuzz_*.c needs no change here.

PREFIX  ?= /usr/local
CC      ?= cc
CLANG   ?= clang
PKGS    := sqlite3 libmicrohttpd gnutls libsodium jansson xlsxwriter libzip expat libutf8proc uchardet \
           poppler-glib opencc
B       := build

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wvla -Wno-format-nonliteral
VERSION := 0.1.0
DEFS    := -D_GNU_SOURCE -DRECTIFY_VERSION=\"$(VERSION)\"
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
BASE    = -std=c17 $(DEFS) $(WARN) -g -Isrc -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
REL_CFLAGS  = $(BASE) -O2
ASAN_CFLAGS = $(BASE) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
LIBS    = $(PKG_LIBS) -lpthread -lm

SRC      := $(wildcard src/*.c)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
FUZZ_SRC := $(filter-out src/cli_%.c,$(LIB_SRC))
DATA     := $(sort $(wildcard data/*.txt data/*.css data/*.js data/*.md data/*.svg))
TESTS    := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
FUZZERS  := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))

REL_OBJ  := $(patsubst src/%.c,$(B)/rel/%.o,$(LIB_SRC)) $(B)/rel/embed_data.o
ASAN_OBJ := $(patsubst src/%.c,$(B)/asan/%.o,$(LIB_SRC)) $(B)/asan/embed_data.o

.PHONY: all deps deps-check demo check unit unit-asan it browser codecheck fuzz \
        fuzz-run bench install clean
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory $(B)/rectify

deps:
	@tools/deps.sh build

deps-check:
	@tools/deps.sh check
	@tools/npm-deps.sh

$(B)/gen/embed_data.c: tools/embed.c $(DATA)
	@mkdir -p $(B)/gen $(B)/tools
	@echo "  EMBED   data/"
	@$(CC) -O1 -o $(B)/tools/embed tools/embed.c
	@$(B)/tools/embed $@ $(DATA)

$(B)/rel/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(REL_CFLAGS) -c -o $@ $<
$(B)/asan/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC asan $<"
	@$(CC) $(ASAN_CFLAGS) -c -o $@ $<
$(B)/rel/embed_data.o: $(B)/gen/embed_data.c
	@mkdir -p $(@D)
	@$(CC) $(REL_CFLAGS) -c -o $@ $<
$(B)/asan/embed_data.o: $(B)/gen/embed_data.c
	@mkdir -p $(@D)
	@$(CC) $(ASAN_CFLAGS) -c -o $@ $<

$(B)/rel/librectify.a: $(REL_OBJ)
	@rm -f $@ && ar rcs $@ $^
$(B)/asan/librectify.a: $(ASAN_OBJ)
	@rm -f $@ && ar rcs $@ $^

$(B)/rectify: $(B)/rel/main.o $(B)/rel/librectify.a
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LIBS)
$(B)/asan/rectify: $(B)/asan/main.o $(B)/asan/librectify.a
	@echo "  LINK    $@"
	@$(CC) -fsanitize=address,undefined -o $@ $^ $(LIBS)

$(B)/rel/tests/%: tests/%.c tests/testutil.h $(B)/rel/librectify.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(REL_CFLAGS) -Itests -o $@ $< $(B)/rel/librectify.a $(LIBS) -lcmocka
$(B)/asan/tests/%: tests/%.c tests/testutil.h $(B)/asan/librectify.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(ASAN_CFLAGS) -Itests -o $@ $< $(B)/asan/librectify.a $(LIBS) -lcmocka

demo: deps
	@$(MAKE) --no-print-directory $(B)/rectify
	$(B)/rectify demo

# The whole suite: unit tests twice (plain and sanitized), the command-line
# and server integration tests and the browser tests against the sanitized
# binary, and the source checks.
check: deps-check
	@$(MAKE) --no-print-directory codecheck unit unit-asan it browser

codecheck:
	@tools/codecheck.sh

unit: $(B)/rectify $(addprefix $(B)/rel/tests/,$(TESTS))
	@tools/run-tests.sh $(B)/rel/tests $(TESTS)

unit-asan: $(B)/asan/rectify $(addprefix $(B)/asan/tests/,$(TESTS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tools/run-tests.sh $(B)/asan/tests $(TESTS)

it: $(B)/rectify $(B)/asan/rectify
	@RECTIFY=$(CURDIR)/$(B)/asan/rectify ASAN_OPTIONS=detect_leaks=1 \
		tools/run-it.sh tests/it

browser: $(B)/rectify $(B)/asan/rectify
	@if ls tests/browser/*.test.mjs >/dev/null 2>&1; then \
		RECTIFY=$(CURDIR)/$(B)/asan/rectify ASAN_OPTIONS=detect_leaks=0 \
		node --test --test-concurrency=1 tests/browser/; fi

# libFuzzer targets: build/fuzz/fuzz_<input>.  `make fuzz-run` runs each for
# FUZZ_SECONDS (default 60), one at a time, from the corpus kept in
# fuzz/corpus/<input>/ and the run's own in build/fuzz/corpus-fuzz_<input>/,
# prints the executions each made, and replaces fuzz/corpus/<input>/ by the
# smallest set of the kept and the found inputs that covers as much
# (-set_cover_merge=1 into an empty directory), so that later runs resume
# from it and it stays small.
FUZZ_CFLAGS = -std=c17 $(DEFS) -g -O1 -Isrc -I$(B)/gen $(PKG_CFLAGS) \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: deps-check $(B)/gen/embed_data.c
	@mkdir -p $(B)/fuzz
	@for f in $(FUZZERS); do \
		echo "$(CLANG) ... -o $(B)/fuzz/$$f"; \
		$(CLANG) $(FUZZ_CFLAGS) -o $(B)/fuzz/$$f fuzz/$$f.c $(FUZZ_SRC) $(B)/gen/embed_data.c \
			$(LIBS) || exit 1; \
	done
FUZZ_SECONDS ?= 60
fuzz-run: fuzz
	@for f in $(FUZZERS); do \
		c=fuzz/corpus/$${f#fuzz_}; log=$(B)/fuzz/$$f.log; \
		mkdir -p $(B)/fuzz/corpus-$$f $$c; \
		$(B)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -print_final_stats=1 \
			$(B)/fuzz/corpus-$$f $$c >$$log 2>&1 || { tail -n 40 $$log; exit 1; }; \
		n=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
		rm -rf $(B)/fuzz/min-$$f && mkdir -p $(B)/fuzz/min-$$f && \
		$(B)/fuzz/$$f -set_cover_merge=1 -rss_limit_mb=4096 $(B)/fuzz/min-$$f $$c $(B)/fuzz/corpus-$$f \
			>$$log.merge 2>&1 || { tail -n 20 $$log.merge; exit 1; }; \
		rm -rf $$c && mv $(B)/fuzz/min-$$f $$c; \
		echo "$$f: $$n executions in $(FUZZ_SECONDS) s, no crash; $$(ls $$c | wc -l) inputs kept in $$c"; \
	done

bench: all
	@tools/deps.sh bench
	@for b in bench/*.sh; do echo "== $$b"; $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(B)/rectify $(DESTDIR)$(PREFIX)/bin/rectify

clean:
	rm -rf $(B)

-include $(wildcard $(B)/rel/*.d $(B)/asan/*.d $(B)/rel/tests/*.d $(B)/asan/tests/*.d)
