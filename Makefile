# cvisor build. `make demo` and `make test` are the two commands of README.md;
# both install what is missing from Debian's packages first (scripts/deps.sh).

CC      ?= gcc
BUILD   ?= build
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu17 -Wall -Wextra -Werror -Wno-unused-parameter \
           -Wno-missing-field-initializers -fno-strict-aliasing -D_GNU_SOURCE -Isrc -I$(BUILD)/gen -MMD -MP
PKGS    := libseccomp jansson
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Every .c under src/ except the entry point goes into one library that the
# binary and the unit tests link against; adding a file needs no Makefile edit.
SRCS    := $(shell find src -name '*.c' -o -name '*.S' | sort)
LIBSRCS := $(filter-out src/cmd/main.c,$(SRCS))
OBJS    := $(patsubst %,$(BUILD)/obj/%.o,$(LIBSRCS))
UNIT    := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))
SYSTESTS:= $(patsubst tests/syscalls/%.c,$(BUILD)/tests/syscalls/%,$(wildcard tests/syscalls/*.c))
SECTOOLS:= $(patsubst tests/security/%.c,$(BUILD)/tests/security/%,$(wildcard tests/security/*.c))

# The sanitizer build of the unit tests: same sources, own object tree.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_OBJS  := $(patsubst %,$(BUILD)/asan/obj/%.o,$(LIBSRCS))
ASAN_UNIT  := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/unit/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps demo test unit unit-asan check-format format bench clean
all: $(BUILD)/cvisor

deps:
	@scripts/deps.sh

# System call names for the table, from the kernel's own header.
$(BUILD)/gen/syscall_names.h: scripts/gen_syscall_names.sh
	@mkdir -p $(dir $@)
	scripts/gen_syscall_names.sh > $@

$(BUILD)/obj/%.c.o: %.c | $(BUILD)/gen/syscall_names.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/libcvisor.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/cvisor: $(BUILD)/obj/src/cmd/main.c.o $(BUILD)/libcvisor.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libcvisor.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.c %.a,$^) $(LDLIBS) -lcmocka
$(BUILD)/asan/obj/%.c.o: %.c | $(BUILD)/gen/syscall_names.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -c $< -o $@
$(BUILD)/asan/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/asan/libcvisor.a: $(ASAN_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/asan/tests/unit/%: tests/unit/%.c $(BUILD)/asan/libcvisor.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -o $@ $(filter %.c %.a,$^) $(LDLIBS) -lcmocka

# Syscall test programs are plain C run natively and inside cvisor.
$(BUILD)/tests/syscalls/%: tests/syscalls/%.c tests/syscalls/harness.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -o $@ $< -lpthread

# Tools of the security tests (tests/security/*.sh run them).
$(BUILD)/tests/security/%: tests/security/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -o $@ $<

unit: $(UNIT)
unit-asan: $(ASAN_UNIT)

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

test: deps
	@$(MAKE) --no-print-directory all unit unit-asan $(SYSTESTS) $(SECTOOLS) check-format
	@tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh

FORMATTED := $(filter %.c,$(SRCS)) $(shell find src -name '*.h') \
	     $(wildcard tests/*/*.c tests/*/*.h bench/*.c)
check-format:
	@clang-format --dry-run -Werror $(FORMATTED)

format:
	@clang-format -i $(FORMATTED)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
