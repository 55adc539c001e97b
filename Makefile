# framescope build. `make run` installs what is missing, builds and writes the sample report;
# `make test` runs every test suite. BUILD lets parallel checkouts/helpers use separate object dirs.
CC      ?= gcc
BUILD   ?= build
BIN     ?= bin
SAN     ?=
OPT     ?= -O2
PKGS    := libcjson libpcre2-8 gsl libutf8proc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcjson -lpcre2-8 -lgsl -lgslcblas -lutf8proc)
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wpedantic \
           -Wshadow -Wstrict-prototypes -Iinclude -Isrc $(PKG_CFLAGS) $(SAN) -MMD -MP
LDLIBS  := -lhpdf $(PKG_LIBS) -lpthread -lm
LDFLAGS += $(SAN)

LIB_SRC := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libframescope.a
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
CONFIG  ?= config/default.json

.PHONY: all deps run test unit e2e check-asan bench sample fuzz clean lint
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

$(BUILD)/tests/%: tests/%.c $(LIB) tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

deps:
	@bash scripts/install-deps.sh

# One command from a fresh Debian 12 machine to a report: install, build, run, print the PDF path.
run: deps
	@$(MAKE) --no-print-directory all
	@$(BIN)/analyze --config $(CONFIG) --export-dir reports/exports

test: $(BIN)/analyze $(TEST_BIN)
	@BUILD=$(BUILD) BIN=$(BIN) bash tests/run.sh

unit: $(TEST_BIN)
	@BUILD=$(BUILD) BIN=$(BIN) bash tests/run.sh unit

e2e: $(BIN)/analyze
	@BUILD=$(BUILD) BIN=$(BIN) bash tests/run.sh e2e

# Every suite again under AddressSanitizer + UndefinedBehaviorSanitizer, in its own object dir.
check-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/bin OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

bench: $(BIN)/analyze
	@bash bench/run.sh

sample: $(BIN)/analyze
	@bash scripts/sample.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c11 -Iinclude -Isrc src

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d
