# entente: build, test, install.
#   make            build build/entente and the library
#   make run        install what is missing, build, show the CSTO today and the 2022 deployment
#   make test       every test: unit, golden, property, rule coverage; then again under ASan+UBSan
#   make bench      benchmarks (not tests): figures and ratios measured in one run
#   make install PREFIX=/usr/local
#   make clean

PREFIX  ?= /usr/local
CC      ?= cc
PKGS    := sqlite3 libsodium jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Open MPI, for `mpirun -np K entente simulate|sweep` (src/sim/par.c): the simulator's
# files only. Without it, entente runs the simulator in one process and refuses mpirun.
MPI_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags ompi-c 2>/dev/null))
MPI_LIBS   := $(shell pkg-config --libs ompi-c 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT     ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -pthread -Iinclude $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm -pthread

# B is the build directory; the sanitizer build uses B=build/san.
B       ?= build

DATA    := data/sources.chron data/charter.chron data/world.chron data/history.chron data/models.conf
LIB_SRC := $(sort $(wildcard src/util/*.c src/core/*.c src/lang/*.c src/store/*.c src/api/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
SRV_SRC := $(sort $(wildcard src/server/*.c))
SIM_SRC := $(sort $(wildcard src/sim/*.c))
UNIT_SRC:= $(sort $(wildcard tests/unit/*.c tests/unit/*/*.c))
PROP_SRC:= $(sort $(wildcard tests/property/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/data.o
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o) $(SIM_SRC:%.c=$(B)/%.o) $(SRV_SRC:%.c=$(B)/%.o)
SRV_OBJ := $(SRV_SRC:%.c=$(B)/%.o)
SIM_OBJ := $(SIM_SRC:%.c=$(B)/%.o)
UNIT_OBJ:= $(UNIT_SRC:%.c=$(B)/%.o)

# the simulator's objects see mpi.h; the programs made with them link libmpi
$(SIM_OBJ): CFLAGS_ALL += $(if $(MPI_LIBS),$(MPI_CFLAGS) -DENT_MPI)
$(B)/entente $(B)/test-unit $(B)/bench-core: LDLIBS_ALL += $(MPI_LIBS)
# the server (src/server/, entente serve) alone sees libmicrohttpd; only the entente program links it
MHD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
$(SRV_OBJ): CFLAGS_ALL += $(MHD_CFLAGS)
$(B)/entente: LDLIBS_ALL += $(MHD_LIBS)

.PHONY: all run test test-fast test-san bench install uninstall clean deps

all: $(B)/entente $(B)/libentente.a $(B)/libentente.so $(B)/web/.stamp

# The crisis room's page (web/), with its pinned npm packages copied in
# (scripts/build-web.sh); remade only when a file of web/ changes.
WEB_SRC := $(shell find web -path web/node_modules -prune -o -type f -print 2>/dev/null)
$(B)/web/.stamp: $(WEB_SRC) scripts/build-web.sh
	@scripts/build-web.sh $(B)/web
	@touch $@

deps:
	@scripts/install-deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -MMD -MP -c $< -o $@

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror $< -o $@

$(B)/gen/data.c: $(DATA) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ $(foreach f,$(DATA),$(f)=$(f))

$(B)/gen/data.o: $(B)/gen/data.c
	$(CC) $(CSTD) -O1 -fPIC -c $< -o $@

$(B)/libentente.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libentente.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libentente.so.0 $(OPT) $(EXTRA_CFLAGS) $^ -o $@ $(LDLIBS_ALL)

$(B)/entente: $(CLI_OBJ) $(B)/libentente.a
	$(CC) $(OPT) $(EXTRA_CFLAGS) $(CLI_OBJ) $(B)/libentente.a -o $@ $(LDLIBS_ALL)

$(B)/test-unit: $(UNIT_OBJ) $(SIM_OBJ) $(B)/libentente.a
	$(CC) $(OPT) $(EXTRA_CFLAGS) $(UNIT_OBJ) $(SIM_OBJ) $(B)/libentente.a -o $@ $(LDLIBS_ALL)

$(B)/test-property: $(PROP_SRC:%.c=$(B)/%.o) $(B)/libentente.a
	$(CC) $(OPT) $(EXTRA_CFLAGS) $^ -o $@ $(LDLIBS_ALL)

# fault injection (tests/fault): the allocation-failure driver and the I/O shim
$(B)/fault-oom: $(B)/tests/fault/oom.o $(B)/libentente.a
	$(CC) $(OPT) $(EXTRA_CFLAGS) $^ -o $@ $(LDLIBS_ALL)

$(B)/fault-shim.so: tests/fault/shim.c
	$(CC) -shared -fPIC -O1 -g -Wall -Wextra -Werror $< -o $@ -ldl

$(B)/bench-core: $(BENCH_SRC:%.c=$(B)/%.o) $(SIM_OBJ) $(B)/libentente.a
	$(CC) $(OPT) $(EXTRA_CFLAGS) $^ -o $@ $(LDLIBS_ALL)

# ---------------------------------------------------------------- run
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-main.sh $(B)/entente

# ---------------------------------------------------------------- tests
# test-fast: the whole suite on the normal build. test-san: the same suite on
# an ASan+UBSan build. make test runs both and ends with "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory all $(B)/test-unit $(B)/test-property $(B)/fault-oom $(B)/fault-shim.so
	@$(MAKE) --no-print-directory B=build/san OPT="-O1 -g" \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    build/san/entente build/san/test-unit build/san/test-property build/san/fault-oom build/san/fault-shim.so
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang OPT="-O1 -g" \
	    EXTRA_CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzz-build
	@FUZZ_BUILD=build/fuzz FUZZ_SECS=$(FUZZ_TEST_SECS) scripts/run-tests.sh $(B) build/san

test-fast: all $(B)/test-unit $(B)/test-property $(B)/fault-oom $(B)/fault-shim.so
	@scripts/run-tests.sh $(B)

bench:
	@scripts/install-deps.sh --bench
	@$(MAKE) --no-print-directory B=build/bench OPT="-O2 -g -DNDEBUG" build/bench/bench-core build/bench/entente \
	    build/bench/bare-mhd
	@scripts/run-bench.sh build/bench

# the benchmarks' bare libmicrohttpd server (bench/http.sh, bench/peers/README.md): no entente in it
$(B)/bare-mhd: bench/peers/bare_mhd.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(OPT) -pthread $(MHD_CFLAGS) $< -o $@ $(MHD_LIBS)

# ---------------------------------------------------------------- docs
# The sample picture of docs/cli.md and the README (entente timeline --svg).
.PHONY: docs-timeline
docs-timeline: $(B)/entente
	ENTENTE_TODAY=2026-11-28 $(B)/entente timeline --from 2020-01-01 --to 2025-12-31 --svg docs/timeline-2020-2025.svg

# ---------------------------------------------------------------- soak
# make soak [SOAK_ROUNDS=100]: the crash-safety rounds of tests/crash, long.
SOAK_ROUNDS ?= 100
.PHONY: soak
soak: all
	@sh tests/crash/run.sh $(B) $(SOAK_ROUNDS)

# ---------------------------------------------------------------- fuzz
# make fuzz [FUZZ_SECS=60] [FUZZ_TARGETS="chronicle journal"]: each libFuzzer
# target of tests/fuzz for FUZZ_SECS seconds, built by clang with ASan+UBSan
# into build/fuzz (docs/reliability.md).
FUZZ_SECS ?= 60
# make test runs each target this long (CI: 60 s each)
FUZZ_TEST_SECS ?= 60
FUZZ_SAN  := -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_BINS  = $(patsubst tests/fuzz/%.c,$(B)/%,$(wildcard tests/fuzz/fuzz_*.c))
.PHONY: fuzz fuzz-build
fuzz: deps
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang OPT="-O1 -g" \
	    EXTRA_CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzz-build
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECS) $(FUZZ_TARGETS)

fuzz-build: $(B)/entente $(FUZZ_BINS)

# the server in process: its objects, the library, libmicrohttpd
$(B)/fuzz_http: tests/fuzz/fuzz_http.c $(SRV_OBJ) $(B)/libentente.a
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $^ -o $@ $(LDLIBS_ALL) $(MHD_LIBS)

# the server's targets see its private header (libmicrohttpd, jansson)
$(B)/fuzz_server_%: tests/fuzz/fuzz_server_%.c src/server/text.c
	$(CC) $(CFLAGS_ALL) $(MHD_CFLAGS) -fsanitize=fuzzer $^ -o $@

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libentente.a
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $< $(B)/libentente.a -o $@ $(LDLIBS_ALL)

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/entente $(DESTDIR)$(PREFIX)/bin/entente
	install -m 644 $(B)/libentente.a $(DESTDIR)$(PREFIX)/lib/libentente.a
	install -m 755 $(B)/libentente.so $(DESTDIR)$(PREFIX)/lib/libentente.so.0
	ln -sf libentente.so.0 $(DESTDIR)$(PREFIX)/lib/libentente.so
	install -m 644 include/entente.h $(DESTDIR)$(PREFIX)/include/entente.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/^#define ENT_VERSION "\(.*\)"/\1/p' include/entente.h)|' \
	    entente.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/entente.pc
	install -m 644 docs/entente.1 $(DESTDIR)$(PREFIX)/share/man/man1/entente.1
	install -d $(DESTDIR)$(PREFIX)/share/entente/charters
	install -m 644 data/charters/*.chron $(DESTDIR)$(PREFIX)/share/entente/charters/
	rm -rf $(DESTDIR)$(PREFIX)/share/entente/web
	cp -R $(B)/web $(DESTDIR)$(PREFIX)/share/entente/web
	rm -f $(DESTDIR)$(PREFIX)/share/entente/web/.stamp

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/entente $(DESTDIR)$(PREFIX)/lib/libentente.a \
	    $(DESTDIR)$(PREFIX)/lib/libentente.so $(DESTDIR)$(PREFIX)/lib/libentente.so.0 \
	    $(DESTDIR)$(PREFIX)/include/entente.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/entente.pc \
	    $(DESTDIR)$(PREFIX)/share/man/man1/entente.1
	rm -rf $(DESTDIR)$(PREFIX)/share/entente/charters $(DESTDIR)$(PREFIX)/share/entente/web

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
