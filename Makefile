# udaudit: plain Makefile for C11 (gcc or clang) on Debian 12.
#   make          build ./udaudit (developer build: warnings are errors)
#   make demo     install missing packages, build, run the sample audit -> out/
#   make check    build and run every test, plain and under ASan+UBSan
#   make bench    synthetic audit: throughput and peak memory
#   make fuzz     run every libFuzzer target for FUZZ_SECONDS each (clang)
#   make deps     install the Debian packages we need (as root), else say how
#   make clang    the same build with clang into build-clang/ (CI builds both)
#
# CFLAGS=, CPPFLAGS=, LDFLAGS=, LDLIBS= on the command line are the user's
# (optimisation, debugging, extra paths): the flags udaudit needs (C11, the
# warnings, include paths, libraries) are added to them, never replaced (as
# git's BASIC_CFLAGS). SANITIZE=thread (default address,undefined) picks the
# sanitizers of the check-sanitize build (build-san/, build-tsan/ for thread).

PROG      := udaudit
PKGS      := sqlite3 libpcre2-8 inih xlsxwriter jansson yajl libcrypto libzip libxml-2.0 gmime-3.0
DEB_PKGS  := build-essential pkg-config groff-base libsqlite3-dev libxlsxwriter-dev libhpdf-dev \
             libpcre2-dev libinih-dev libjansson-dev libyajl-dev libcsv-dev libssl-dev libzip-dev libxml2-dev libgmime-3.0-dev \
             fonts-dejavu-core icc-profiles-free python3 python3-openpyxl \
             poppler-utils qpdf clang clang-tidy cppcheck
Q         := $(if $(V),,@)
DEVELOPER ?= 1

CFLAGS   ?= -O2 -g
BASIC_CFLAGS := -pthread -std=c11 -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
            -Wpointer-arith -Wvla -Wwrite-strings -fno-common
ifeq ($(DEVELOPER),1)
BASIC_CFLAGS += -Werror
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libhpdf has no .pc file on Debian 12; libcsv has none either
BASIC_LDLIBS := $(PKG_LIBS) -lhpdf -lcsv -lm -pthread
# the user's flags last, so that e.g. CFLAGS=-O0 or -Wno-error wins
ALL_CFLAGS   = $(BASIC_CFLAGS) $(CFLAGS)
ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -MMD -MP $(PKG_CFLAGS) $(CPPFLAGS)
ALL_LDLIBS   = $(BASIC_LDLIBS) $(LDLIBS)

# BUILD: the object folder (build-clang for `make clang`)
BUILD    ?= build
SRC      := $(wildcard src/*.c src/*/*.c)
OBJ      := $(patsubst src/%.c,$(BUILD)/%.o,$(SRC))
LIB_OBJ  := $(filter-out $(BUILD)/main.o,$(OBJ))

SANITIZE  ?= address,undefined
SAN       := $(if $(filter thread,$(subst $(comma), ,$(SANITIZE))),build-tsan,build-san)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_OBJ   := $(patsubst src/%.c,$(SAN)/%.o,$(SRC))
SAN_LIB   := $(filter-out $(SAN)/main.o,$(SAN_OBJ))

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
UNIT_SAN  := $(patsubst tests/unit/%.c,$(SAN)/tests/%,$(UNIT_SRC))

SAMPLE_DB := samples/compliance.sqlite

.PHONY: bench-peer all clang demo check check-plain check-sanitize check-fuzz-replay deps bench fuzz clean samples lint

all: $(PROG) $(SAMPLE_DB)

$(PROG): $(OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(BUILD)/tests
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(ALL_LDLIBS)

# The same build with clang (its warnings differ from gcc's), in its own
# folder so it never mixes objects with build/; -O0: it checks that the code
# compiles cleanly, the gcc build is the one tested.
clang:
	$(Q)$(MAKE) --no-print-directory CC=clang CFLAGS="-O0 -g0" BUILD=build-clang \
		PROG=build-clang/$(PROG) build-clang/$(PROG)

$(SAN)/$(PROG): $(SAN_OBJ)
	$(Q)$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(SAN)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(SAN)/tests/%: tests/unit/%.c $(SAN_LIB)
	@mkdir -p $(SAN)/tests
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< $(SAN_LIB) $(LDFLAGS) $(ALL_LDLIBS)

# The sample compliance store is built from its SQL (reviewable text).
$(SAMPLE_DB): samples/compliance.sql
	$(Q)rm -f $@ && python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
	c.executescript(open(sys.argv[2]).read()); c.commit()" $@ $<

samples: $(SAMPLE_DB)

deps:
	$(Q)missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing: $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "missing packages; run: sudo apt-get install -y $$missing"; exit 1; \
	fi

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./$(PROG) run samples/audit.ini
	@echo "reports are in out/"

check: deps
	$(Q)$(MAKE) --no-print-directory check-plain check-sanitize check-fuzz-replay lint

check-plain: $(PROG) $(SAMPLE_DB) $(UNIT_BIN) $(BUILD)/bench
	$(Q)UDAUDIT=./$(PROG) UNIT_DIR=$(BUILD)/tests sh tests/run.sh

check-sanitize: $(SAN)/$(PROG) $(SAMPLE_DB) $(UNIT_SAN)
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	TSAN_OPTIONS=halt_on_error=1 \
	UDAUDIT=./$(SAN)/$(PROG) UNIT_DIR=$(SAN)/tests \
	TEST_LABEL=$(if $(filter build-tsan,$(SAN)),thread,sanitize) sh tests/run.sh

# Fuzzing: one libFuzzer target per parser (tests/fuzz/fuzz_<t>.c, seeds in
# tests/fuzz/corpus/<t>/), built with clang into build-fuzz/; `make fuzz
# FUZZ_SECONDS=600 FUZZ_TARGETS="wickr rsmf"` runs some for longer. The same
# targets link with a plain main() (replay.c) under the sanitizer build so
# `make check` replays every corpus.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJ     := $(patsubst src/%.c,build-fuzz/%.o,$(filter-out src/main.c,$(SRC)))
REPLAY_BIN   := $(patsubst %,$(SAN)/fuzz/replay_%,$(FUZZ_NAMES))
# clang warns about things gcc does not: the gcc builds enforce -Werror
FUZZ_CFLAGS   = $(ALL_CFLAGS) -Wno-error
.SECONDARY: $(FUZZ_OBJ)

build-fuzz/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(Q)$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -Itests/fuzz \
		-o $@ $< $(FUZZ_OBJ) $(LDFLAGS) $(ALL_LDLIBS)

fuzz: $(patsubst %,build-fuzz/fuzz_%,$(FUZZ_TARGETS))
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t tests/fuzz/corpus/$$t; \
		echo "fuzz_$$t: $(FUZZ_SECONDS)s"; \
		build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-close_fd_mask=2 -artifact_prefix=build-fuzz/fuzz_$$t- \
			build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

$(SAN)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(SAN_LIB)
	@mkdir -p $(SAN)/fuzz
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/fuzz -o $@ tests/fuzz/replay.c $< \
		$(SAN_LIB) $(LDFLAGS) $(ALL_LDLIBS)

check-fuzz-replay: $(REPLAY_BIN)
	$(Q)for t in $(FUZZ_NAMES); do \
		ASAN_OPTIONS=detect_leaks=1 $(SAN)/fuzz/replay_$$t tests/fuzz/corpus/$$t \
			2>$(SAN)/fuzz/replay_$$t.log || { tail -n 40 $(SAN)/fuzz/replay_$$t.log; \
			echo "replay fuzz_$$t: FAILED"; exit 1; }; \
	done

# Static analysis: cppcheck and clang-tidy (default checks, minus the C11
# Annex K advice to use memcpy_s, which glibc does not have, and minus
# valist.Uninitialized, which clang-tidy 14 reports on every va_start /
# vfprintf pair in glibc's headers: a false positive).
TIDY_CHECKS := -clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-valist.Uninitialized
# make bench [BENCH_EVENTS="1000000 10000000"]: spec 8, see tests/bench/run.sh
BENCH_EVENTS ?= 1000000 10000000
# the findings workbook of N synthetic findings (tests/bench/xlsx.sh)
BENCH_FINDINGS ?= 1000000
$(BUILD)/bench: tests/bench/bench.c $(LIB_OBJ)
	@mkdir -p $(BUILD)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(ALL_LDLIBS)

# The optional peer of make bench: DuckDB's Node.js package, pinned, in
# build/duckdb (needs node and npm; never part of make check).
DUCKDB_NODE_API ?= @duckdb/node-api@1.5.6-r.1
bench-peer:
	$(Q)mkdir -p build/duckdb && npm install --silent --no-audit --no-fund \
		--prefix build/duckdb $(DUCKDB_NODE_API)

bench: $(PROG) $(BUILD)/bench
	$(Q)BENCH_EVENTS="$(BENCH_EVENTS)" BENCH_CC="$(CC)" BENCH_CFLAGS="$(CFLAGS)" sh tests/bench/run.sh
	$(Q)BENCH_FINDINGS="$(BENCH_FINDINGS)" sh tests/bench/xlsx.sh
	$(Q)sh tests/bench/whatsapp.sh

lint:
	$(Q)sh tests/lint/layers.sh
	$(Q)sh tests/lint/functions.sh
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr -Iinclude src/
	$(Q)clang-tidy --quiet --warnings-as-errors='*' -checks=$(TIDY_CHECKS) $(SRC) -- \
		-std=c11 -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) 2>/dev/null

# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary, the rule packs
# and report definitions (found from the binary: BIN/../share/udaudit) and
# the man page udaudit(1)
PREFIX  ?= /usr/local
SHARE   := $(DESTDIR)$(PREFIX)/share/udaudit
install: $(PROG)
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/rules $(SHARE)/reports \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	$(Q)install -m 755 $(PROG) $(DESTDIR)$(PREFIX)/bin/$(PROG)
	$(Q)install -m 644 rules/*.ini $(SHARE)/rules/
	$(Q)install -m 644 reports/*.ini $(SHARE)/reports/
	$(Q)install -m 644 src/udaudit.1 $(DESTDIR)$(PREFIX)/share/man/man1/udaudit.1
	$(Q)install -m 644 src/udaudit-inputs.5 src/udaudit.ini.5 $(DESTDIR)$(PREFIX)/share/man/man5/

# build products only: out/audit.db holds tracker updates made on the
# command line that exist nowhere else, and out/ is the user's
clean:
	rm -rf build build-clang build-san build-tsan build-fuzz $(PROG) $(SAMPLE_DB)

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
# the unit tests, replay drivers and fuzz targets: their .d files, written
# by -MMD beside each binary, name the headers they include
-include $(UNIT_BIN:=.d) $(UNIT_SAN:=.d) $(REPLAY_BIN:=.d) $(wildcard build-fuzz/fuzz_*.d)
