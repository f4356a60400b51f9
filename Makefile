# udaudit: plain Makefile for C11 (gcc or clang) on Debian 12.
#   make          build ./udaudit (developer build: warnings are errors)
#   make demo     install missing packages, build, run the sample audit -> out/
#   make check    build and run every test, plain and under ASan+UBSan
#   make bench    synthetic audit: throughput and peak memory
#   make fuzz     run every libFuzzer target for FUZZ_SECONDS each (clang)
#   make deps     install the Debian packages we need (as root), else say how

PROG      := udaudit
PKGS      := sqlite3 libpcre2-8 inih xlsxwriter jansson libcrypto libzip
DEB_PKGS  := build-essential pkg-config libsqlite3-dev libxlsxwriter-dev libhpdf-dev \
             libpcre2-dev libinih-dev libjansson-dev libcsv-dev libssl-dev libzip-dev \
             fonts-dejavu-core icc-profiles-free python3 python3-openpyxl \
             poppler-utils qpdf clang
Q         := $(if $(V),,@)
DEVELOPER ?= 1

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
            -Wpointer-arith -Wvla -Wwrite-strings -fno-common
ifeq ($(DEVELOPER),1)
CFLAGS   += -Werror
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude -D_GNU_SOURCE -MMD -MP $(PKG_CFLAGS)
# libhpdf has no .pc file on Debian 12; libcsv has none either
LDLIBS   += $(PKG_LIBS) -lhpdf -lcsv -lm

SRC      := $(wildcard src/*.c)
OBJ      := $(patsubst src/%.c,build/%.o,$(SRC))
LIB_OBJ  := $(filter-out build/main.o,$(OBJ))

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_OBJ   := $(patsubst src/%.c,build-san/%.o,$(SRC))
SAN_LIB   := $(filter-out build-san/main.o,$(SAN_OBJ))

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
UNIT_SAN  := $(patsubst tests/unit/%.c,build-san/tests/%,$(UNIT_SRC))

SAMPLE_DB := samples/compliance.sqlite

.PHONY: all demo check check-plain check-sanitize deps bench fuzz clean samples lint

all: $(PROG) $(SAMPLE_DB)

$(PROG): $(OBJ)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/%.o: src/%.c
	@mkdir -p build
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p build/tests
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)

build-san/$(PROG): $(SAN_OBJ)
	$(Q)$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build-san/%.o: src/%.c
	@mkdir -p build-san
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<

build-san/tests/%: tests/unit/%.c $(SAN_LIB)
	@mkdir -p build-san/tests
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< $(SAN_LIB) $(LDFLAGS) $(LDLIBS)

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
	$(Q)$(MAKE) --no-print-directory check-plain check-sanitize

check-plain: $(PROG) $(SAMPLE_DB) $(UNIT_BIN)
	$(Q)UDAUDIT=./$(PROG) UNIT_DIR=build/tests sh tests/run.sh

check-sanitize: build-san/$(PROG) $(SAMPLE_DB) $(UNIT_SAN)
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	UDAUDIT=./build-san/$(PROG) UNIT_DIR=build-san/tests TEST_LABEL=sanitize sh tests/run.sh

lint:
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr -Iinclude src/

clean:
	rm -rf build build-san out $(PROG) $(SAMPLE_DB)

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d)
