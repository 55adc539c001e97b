# framescope build. `make run` installs what is missing, builds and writes the sample report;
# `make test` runs every test suite. BUILD lets parallel checkouts/helpers use separate object dirs.
CC      ?= gcc
BUILD   ?= build
BIN     ?= bin
SAN     ?=
OPT     ?= -O2
PKGS    := libcjson libpcre2-8 gsl libutf8proc libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcjson -lpcre2-8 -lgsl -lgslcblas -lutf8proc -lcrypto)
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wpedantic \
           -Wshadow -Wstrict-prototypes -Iinclude -Isrc $(PKG_CFLAGS) $(SAN) -MMD -MP \
           -DFS_DATADIR='"$(CURDIR)/config"' -DFS_FONTDIR='"$(CURDIR)/fonts"' \
           $(if $(wildcard /usr/include/valgrind/valgrind.h),-DFS_HAVE_VALGRIND_H)
LDLIBS  := -lhpdf $(PKG_LIBS) -lpthread -lm
LDFLAGS += $(SAN)

LIB_SRC := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libframescope.a
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
CONFIG  ?= config/default.json

.PHONY: all deps run test unit e2e check-asan valgrind bench sample fuzz fuzz-build clean lint
all: $(BIN)/analyze

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/analyze: $(BUILD)/src/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(LIB) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

deps:
	@bash scripts/install-deps.sh

# One command from a fresh Debian 12 machine to a report: install, build, run, print the PDF path.
run: deps
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@$(BIN)/analyze --config $(CONFIG) --export-dir reports/exports

test: $(BIN)/analyze $(TEST_BIN)
	@BUILD=$(BUILD) BIN=$(BIN) bash tests/run.sh

unit: $(TEST_BIN)
	@BUILD=$(BUILD) BIN=$(BIN) bash tests/run.sh unit

e2e: $(BIN)/analyze
	@BUILD=$(BUILD) BIN=$(BIN) bash tests/run.sh e2e

# Every suite again under AddressSanitizer + UndefinedBehaviorSanitizer, in its own object dir.
check-asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan BIN=$(BUILD)/asan/bin OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

# An end-to-end run of the sample under valgrind: any leak or invalid access fails.
valgrind: $(BIN)/analyze
	@mkdir -p $(BUILD)/valgrind
	valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
	  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
	  $(BIN)/analyze --config $(CONFIG) --output $(BUILD)/valgrind/report.pdf \
	  --export-dir $(BUILD)/valgrind/exports --threads 2 --quiet
	@echo "valgrind: no leaks, no invalid accesses"

# libFuzzer targets (clang): FUZZ_SECONDS per target, corpora seeded from tests/fuzz/seeds/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Iinclude -Isrc \
              $(PKG_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
.SECONDARY:
build/fuzz/lib/%.o: %.c
	@mkdir -p $(dir $@)
	@clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC:%.c=build/fuzz/lib/%.o)
	@echo "  FUZZ $@"
	@clang $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)
fuzz-build: $(FUZZ_TARGETS)
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t); mkdir -p tests/fuzz/out/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=tests/fuzz/out/$$n/ tests/fuzz/out/$$n tests/fuzz/seeds/$$n || exit 1; done

bench: $(BIN)/analyze
	@bash bench/run.sh

sample: $(BIN)/analyze
	@bash scripts/sample.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
	  --inline-suppr --std=c11 -Iinclude -Isrc src tests/*.c

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d
