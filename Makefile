# rectify -- build, test, fuzz, benchmark.
#
#   make            build build/rectify (installs missing Debian packages first)
#   make demo       build and start the demo on the embedded database
#   make check      build and run every test, also under ASan + UBSan
#   make fuzz       build the libFuzzer targets with clang (build/fuzz/)
#   make bench      run the benchmarks in bench/
#   make bench-smoke run every benchmark at tiny sizes (part of make check)
#   make install    copy build/rectify and rectify(1) under $(PREFIX)
#   make deb        the Debian package, under build/deb/ (dpkg-buildpackage)
#   make deb-check  build it, lintian, systemd-analyze, install it in a
#                   copy-on-write root and run it (tests/it/deb_install.sh)
#   make cross-check ARCH=arm64   build for arm64 with Debian's cross
#                   toolchain and run the unit tests under qemu-user, in a
#                   root of its own (build/cross-root, as root)
#   make deb ARCH=arm64           the arm64 package (in the cross-build root)
#   make deb-check ARCH=arm64     that, lintian, and its binary run under
#                   qemu-user in that root (tests/it/deb_foreign.sh)
#
# Sources are found by wildcard: a new src/*.c, tests/test_*.c or
# fuzz/fuzz_*.c needs no change here.

PREFIX  ?= /usr/local
CLANG   ?= clang
PKG_CONFIG ?= pkg-config
# ARCH=arm64 cross-compiles with Debian's toolchain into build/arm64 and runs
# what it built (tests, the man page writer) under qemu-user, in the
# cross-build root (tools/cross-root.sh), whose arm64 C library is the
# multiarch one the -dev packages bring: no -L prefix (with the cross
# toolchain's copy in /usr/aarch64-linux-gnu as prefix, test_doc spins).
ARCH    ?=
ifeq ($(ARCH),arm64)
CC         := aarch64-linux-gnu-gcc
PKG_CONFIG := aarch64-linux-gnu-pkg-config
RUN        ?= qemu-aarch64
B          ?= build/arm64
endif
CC      ?= cc
HOSTCC  ?= cc
RUN     ?=
PKGS    := sqlite3 libpq libmicrohttpd gnutls libsodium jansson xlsxwriter libzip expat libutf8proc uchardet \
           poppler-glib opencc libcurl
B       ?= build

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wvla -Wno-format-nonliteral
# debian/changelog names the same version (make deb checks).
VERSION := 0.1.0
DEFS    := -D_GNU_SOURCE -DRECTIFY_VERSION=\"$(VERSION)\"
# poppler (PDF) and OpenCC (traditional script) are loaded when first needed
# (util_dl_load), not linked: they bring some forty libraries, which would
# triple the start-up time of every command.  Their sonames are read from
# the libraries built against, so that the binary asks for those (and the
# package depends on them: debian/rules).
DL_PKGS := poppler-glib opencc
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(filter-out $(DL_PKGS),$(PKGS)) 2>/dev/null) -ldl
soname     = $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir $(1) 2>/dev/null)/lib$(2).so" \
               2>/dev/null | awk '/SONAME/ {print $$2}')
DL_DEFS   := -DPOPPLER_SONAME=\"$(call soname,poppler-glib,poppler-glib)\" \
             -DOPENCC_SONAME=\"$(call soname,opencc,opencc)\"
BASE    = -std=c17 $(DEFS) $(DL_DEFS) $(WARN) -g -Isrc -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
# CPPFLAGS, CFLAGS and LDFLAGS from the environment (dpkg-buildflags'
# hardening when the package is built) apply to the release build.
REL_CFLAGS  = $(BASE) -O2 $(CPPFLAGS) $(CFLAGS)
ASAN_CFLAGS = $(BASE) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
LIBS    = $(PKG_LIBS) -lpthread -lm
# Tests may call the lazily loaded libraries themselves (OpenCC's other
# directions, to compare with).
TEST_LIBS = $(shell $(PKG_CONFIG) --libs $(DL_PKGS) 2>/dev/null)

SRC      := $(wildcard src/*.c)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
FUZZ_SRC := $(filter-out src/cli_%.c,$(LIB_SRC))
DATA     := $(sort $(wildcard data/*.txt data/*.css data/*.js data/*.md data/*.svg))
TESTS    := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
FUZZERS  := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))

REL_OBJ  := $(patsubst src/%.c,$(B)/rel/%.o,$(LIB_SRC)) $(B)/rel/embed_data.o
ASAN_OBJ := $(patsubst src/%.c,$(B)/asan/%.o,$(LIB_SRC)) $(B)/asan/embed_data.o

.PHONY: all deps deps-check demo check unit unit-asan unit-pg it it-pg browser codecheck fuzz \
        fuzz-run bench bench-smoke install clean deb deb-check cross-check cross-unit docs
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory $(B)/rectify $(B)/rectify.1 $(B)/rectify.conf

# rectify(1) and the sample configuration are written by the program from
# its command table and its table of configuration keys: they cannot drift.
docs: $(B)/rectify.1 $(B)/rectify.conf
$(B)/rectify.1: $(B)/rectify
	@echo "  MAN     $@"
	@$(RUN) $(B)/rectify man >$@.tmp && mv $@.tmp $@
$(B)/rectify.conf: $(B)/rectify
	@echo "  CONF    $@"
	@$(RUN) $(B)/rectify sample-config >$@.tmp && mv $@.tmp $@

deps:
	@tools/deps.sh build

deps-check:
	@tools/deps.sh check
	@tools/npm-deps.sh

$(B)/gen/embed_data.c: tools/embed.c $(DATA)
	@mkdir -p $(B)/gen $(B)/tools
	@echo "  EMBED   data/"
	@$(HOSTCC) -O1 -o $(B)/tools/embed tools/embed.c
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
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(B)/asan/rectify: $(B)/asan/main.o $(B)/asan/librectify.a
	@echo "  LINK    $@"
	@$(CC) -fsanitize=address,undefined -o $@ $^ $(LIBS)

$(B)/rel/tests/%: tests/%.c tests/testutil.h $(B)/rel/librectify.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(REL_CFLAGS) $(LDFLAGS) -Itests -o $@ $< $(B)/rel/librectify.a $(LIBS) $(TEST_LIBS) -lcmocka
$(B)/asan/tests/%: tests/%.c tests/testutil.h $(B)/asan/librectify.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(ASAN_CFLAGS) -Itests -o $@ $< $(B)/asan/librectify.a $(LIBS) $(TEST_LIBS) -lcmocka

demo: deps
	@$(MAKE) --no-print-directory $(B)/rectify
	$(B)/rectify demo

# The whole suite: unit tests twice (plain and sanitized), the command-line
# and server integration tests (on SQLite, then on PostgreSQL) and the
# browser tests against the sanitized binary, and the source checks.
check: deps-check
	@$(MAKE) --no-print-directory codecheck unit unit-asan unit-pg it it-pg browser bench-smoke deb-check

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

# The command-line and server integration scripts again on PostgreSQL: a
# throwaway cluster for the run (tools/with-pg.sh), a new database of it
# per script (tests/it/lib/engine.sh).
it-pg: $(B)/rectify $(B)/asan/rectify
	@RECTIFY=$(CURDIR)/$(B)/asan/rectify ASAN_OPTIONS=detect_leaks=1 \
		tools/with-pg.sh tools/run-it.sh tests/it

# The unit tests of the store and of the web application (its permissions)
# again on PostgreSQL, sanitized as unit-asan: a throwaway cluster for the
# run (tools/with-pg.sh), a new database of it for each database a test
# makes (tests/pgtest.h).
PG_TESTS := test_store test_store_fault test_web
unit-pg: $(B)/asan/rectify $(addprefix $(B)/asan/tests/,$(PG_TESTS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tools/with-pg.sh tools/run-tests.sh $(B)/asan/tests $(PG_TESTS)

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
FUZZ_CFLAGS = -std=c17 $(DEFS) $(DL_DEFS) -g -O1 -Isrc -I$(B)/gen $(PKG_CFLAGS) \
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

# The benchmarks' own programs are built here, with the same flags and
# libraries as the product, so that their link lines cannot drift from it.
BENCH_BIN := $(B)/bench/ledger_bench $(B)/bench/office_floor $(B)/bench/hello
$(B)/bench/ledger_bench: bench/ledger_bench.c $(B)/rel/librectify.a
	@mkdir -p $(@D)
	@echo "  BENCH   $@"
	@$(CC) $(REL_CFLAGS) -o $@ $< $(B)/rel/librectify.a $(LIBS)
$(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	@echo "  BENCH   $@"
	@$(CC) $(REL_CFLAGS) -o $@ $< $(LIBS)

bench: all
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory $(BENCH_BIN)
	@for b in bench/*.sh; do echo "== $$b"; $$b || exit 1; done

# Every benchmark at tiny sizes, a few seconds each: a benchmark that stops
# building or running fails the check.  Figures printed here mean nothing.
bench-smoke: $(B)/rectify $(BENCH_BIN)
	@for b in bench/*.sh; do echo "== $$b (smoke)"; \
		BENCH_SMOKE=1 $$b >$(B)/bench/smoke.log 2>&1 || \
		{ cat $(B)/bench/smoke.log; echo "FAIL  $$b (smoke)"; exit 1; }; \
		tail -n 3 $(B)/bench/smoke.log; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/rectify $(DESTDIR)$(PREFIX)/bin/rectify
	install -m 644 $(B)/rectify.1 $(DESTDIR)$(PREFIX)/share/man/man1/rectify.1

# The Debian package: dpkg-buildpackage on a copy of the tree under
# build/pkg/ (its results land beside the copy, not in the checkout's
# parent), the .deb moved to build/deb/.
DEB_ARCH = $(if $(ARCH),$(ARCH),$(shell dpkg --print-architecture))
# For another architecture (ARCH=arm64) it is built in the cross-build root
# (tools/cross-root.sh), then its control data and contents are shown.
deb:
	@if [ "$(DEB_ARCH)" = "$$(dpkg --print-architecture)" ]; then \
		tools/deps.sh deb && tools/make-deb.sh $(VERSION) $(DEB_ARCH); \
	else \
		tools/deps.sh cross && \
		tools/cross-root.sh tools/make-deb.sh $(VERSION) $(DEB_ARCH) && \
		dpkg-deb -I build/deb/rectify_*_$(DEB_ARCH).deb && \
		dpkg-deb -c build/deb/rectify_*_$(DEB_ARCH).deb; fi

deb-check: deb
	@tools/deb-check.sh build/deb/rectify_*_$(DEB_ARCH).deb

# arm64: the release binary and the unit tests, built with the cross
# toolchain in the cross-build root (tools/cross-root.sh, made on the first
# run) and run there under qemu-user.  Not part of `make check`.
# cross-unit is what cross-check runs inside the root.
cross-check:
	@test "$(ARCH)" = arm64 || { echo "make cross-check ARCH=arm64"; exit 2; }
	@tools/deps.sh cross
	@tools/cross-root.sh make --no-print-directory -j$$(nproc) ARCH=$(ARCH) cross-unit
cross-unit:
	@test -e /etc/rectify-cross-root || { echo "cross-unit runs in the cross-build root: make cross-check ARCH=arm64"; exit 2; }
	@$(MAKE) --no-print-directory ARCH=$(ARCH) $(B)/rectify $(B)/rectify.1 \
		$(addprefix $(B)/rel/tests/,$(TESTS))
	@file $(B)/rectify
	@RUN="$(RUN)" tools/run-tests.sh $(B)/rel/tests $(TESTS)

clean:
	rm -rf $(B)

-include $(wildcard $(B)/rel/*.d $(B)/asan/*.d $(B)/rel/tests/*.d $(B)/asan/tests/*.d \
	$(B)/bench/*.d)
