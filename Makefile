# pam_aws_sts: libawssts, the PAM module, the awssts helper and their tests.
#   make            build into $(BUILD)
#   make check      every test (unit, SigV4 suite, moto and fault STS)
#   make check SANITIZE=1   the same under ASan+UBSan (in build/san)
#   make valgrind   unit tests under valgrind, and (as root) the PAM tests but
#                   the load and module programs
#   make bench      benchmarks: a table, docs/benchmarks.md and its chart
#   make install    DESTDIR, PREFIX and PAMDIR honoured
# No target installs anything: scripts/install-deps does (as root), and the
# targets that need more than the build check first (scripts/check-deps).

VERSION   := 0.1.0
SOVERSION := 0

PREFIX  ?= /usr/local
# Debian multiarch: libraries go under the triplet (x86_64-linux-gnu), taken
# from dpkg's DEB_HOST_MULTIARCH or else the compiler; on a system without
# multiarch it is empty and the plain lib directories are used.
ifeq ($(origin MULTIARCH),undefined)
MULTIARCH := $(or $(DEB_HOST_MULTIARCH),$(shell $(CC) -print-multiarch 2>/dev/null))
endif
LIBDIR  ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCDIR  ?= $(PREFIX)/include
BINDIR  ?= $(PREFIX)/bin
# Where libpam looks for modules, whatever PREFIX is: /lib/TRIPLET/security,
# as Debian's libpam-modules has them.
PAMDIR  ?= $(if $(MULTIARCH),/lib/$(MULTIARCH),$(shell pkg-config --variable=libdir pam 2>/dev/null || echo /lib))/security
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/pam_aws_sts
# pam-auth-update reads profiles from here only.
PAMCONFIGSDIR ?= /usr/share/pam-configs

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD   ?= build/san
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SANLD   := -fsanitize=address,undefined
else
BUILD   ?= build
OPT     := -O2 -g -D_FORTIFY_SOURCE=2
SANLD   :=
endif

CC ?= cc
DEPS_PKGS := libcurl expat libcrypto json-c
DEPS_CFLAGS := $(shell pkg-config --cflags $(DEPS_PKGS)) -I/usr/include/iniparser
# libcurl is loaded on first use (lib/aws/curl_api.c), not linked: its headers only.
DEPS_LIBS   := $(shell pkg-config --libs expat libcrypto json-c) -liniparser -lpthread -ldl

WARN := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith -Wstrict-prototypes \
        -Wmissing-prototypes -Wvla -Wcast-qual -Wwrite-strings
HARDEN := -fstack-protector-strong -fstack-clash-protection -fcf-protection -fPIC
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(OPT) -MMD -MP
LD_HARDEN := -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,--as-needed $(SANLD)

LIB_CFLAGS := $(BASE_CFLAGS) -DAWSSTS_VERSION=\"$(VERSION)\" -fvisibility=hidden -Ilib -Ilib/include $(DEPS_CFLAGS)

LIB_SRCS := $(wildcard lib/*/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)

SONAME  := libawssts.so.$(SOVERSION)
LIB_SO  := $(BUILD)/libawssts.so.$(VERSION)
LIB_A   := $(BUILD)/libawssts.a

PAM_SRCS := $(wildcard pam/*.c)
PAM_OBJS := $(PAM_SRCS:%.c=$(BUILD)/obj/%.o)
PAM_SO   := $(BUILD)/pam_aws_sts.so

HELPER_SRCS := $(wildcard helper/*.c)
HELPER_OBJS := $(HELPER_SRCS:%.c=$(BUILD)/obj/%.o)
HELPER      := $(BUILD)/awssts

SIGV4_TOOL := $(BUILD)/sigv4-sign
PAM_LOGIN  := $(BUILD)/pam-login

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
INTEG_SRCS := $(wildcard tests/integration/test_*.c)
INTEG_BINS := $(INTEG_SRCS:tests/integration/%.c=$(BUILD)/tests/%)
# Integration tests of the library's internal layers (the transport under
# the STS client; the STS call under the request checks, to send what they
# refuse; keys = ssm:NAME) see its internals through the static archive.
INTEG_INTERNAL_SRCS := $(wildcard tests/integration/test_transport*.c tests/integration/test_sts_wire*.c tests/integration/test_ssm*.c tests/integration/test_iam*.c)
INTEG_INTERNAL_OBJS := $(INTEG_INTERNAL_SRCS:%.c=$(BUILD)/obj/%.o)
INTEG_INTERNAL_BINS := $(INTEG_INTERNAL_SRCS:tests/integration/%.c=$(BUILD)/tests/%)
INTEG_PUBLIC_BINS   := $(filter-out $(INTEG_INTERNAL_BINS),$(INTEG_BINS))

.SECONDARY:
.PHONY: all check unit valgrind install uninstall clean demo lint format fuzz bench
all: $(LIB_A) $(LIB_SO) $(BUILD)/libawssts.so $(PAM_SO) $(HELPER) $(SIGV4_TOOL) $(PAM_LOGIN)

$(BUILD)/obj/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	@ar rcs $@ $^

$(LIB_SO): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) $(LD_HARDEN) -o $@ $^ $(DEPS_LIBS)

$(BUILD)/libawssts.so: $(LIB_SO)
	ln -sf libawssts.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

# The module carries the library inside it, so a PAM stack needs no
# library search path; -z nodelete keeps it (and libcurl/OpenSSL state)
# mapped after pam_end's dlclose.
$(BUILD)/obj/pam/%.o: pam/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -Ipam -c $< -o $@

$(PAM_SO): $(PAM_OBJS) $(LIB_A)
	$(CC) -shared $(LD_HARDEN) -Wl,-z,nodelete -Wl,--version-script=pam/pam_aws_sts.map \
	    -o $@ $(PAM_OBJS) $(LIB_A) $(DEPS_LIBS) -lpam

$(BUILD)/obj/helper/%.o: helper/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -Ihelper -c $< -o $@

$(HELPER): $(HELPER_OBJS) $(LIB_A)
	$(CC) -pie $(LD_HARDEN) -o $@ $(HELPER_OBJS) $(LIB_A) $(DEPS_LIBS)

$(BUILD)/obj/tests/tools/%.o: tests/tools/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -c $< -o $@

$(SIGV4_TOOL): $(BUILD)/obj/tests/tools/sigv4_sign.o $(LIB_A)
	$(CC) -pie $(LD_HARDEN) -o $@ $< $(LIB_A) $(DEPS_LIBS)

# The documentation's generated parts (scripts/update-docs, tests/docs).
DOCGEN := $(BUILD)/docgen
$(DOCGEN): tests/tools/docgen.c $(LIB_A)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -Ipam -pie $(LD_HARDEN) -o $@ $^ $(DEPS_LIBS)

$(PAM_LOGIN): tests/tools/pam_login.c
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) -pie $(LD_HARDEN) -o $@ $< -lpam

# Unit tests see the library's internals through the static archive.
$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $< $(LIB_A) $(DEPS_LIBS) $(shell pkg-config --libs cmocka)

# The other integration tests use only the public API of the shared library.
$(BUILD)/obj/tests/integration/%.o: tests/integration/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) -Wno-format-truncation -Ilib/include $(shell pkg-config --cflags cmocka) -c $< -o $@

$(INTEG_PUBLIC_BINS): $(BUILD)/tests/%: $(BUILD)/obj/tests/integration/%.o $(BUILD)/libawssts.so
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $< -L$(BUILD) -lawssts -Wl,-rpath,'$$ORIGIN/..' \
	    $(shell pkg-config --libs cmocka)

$(INTEG_INTERNAL_OBJS): $(BUILD)/obj/tests/integration/%.o: tests/integration/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -Wno-format-truncation -Itests/integration $(shell pkg-config --cflags cmocka) -c $< -o $@

$(INTEG_INTERNAL_BINS): $(BUILD)/tests/%: $(BUILD)/obj/tests/integration/%.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $< $(LIB_A) $(DEPS_LIBS) $(shell pkg-config --libs cmocka)

# PAM tests drive the built module through libpam; they link only libpam.
PAMT_SRCS := $(wildcard tests/pam/test_*.c)
PAMT_BINS := $(PAMT_SRCS:tests/pam/test_%.c=$(BUILD)/tests/pam_test_%)

$(BUILD)/obj/tests/pam/%.o: tests/pam/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) -Wno-format-truncation -Ilib/include $(shell pkg-config --cflags cmocka) $(PAMT_CFLAGS) -c $< -o $@

$(BUILD)/tests/pam_test_%: $(BUILD)/obj/tests/pam/test_%.o $(PAM_SO)
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $< -lpam $(shell pkg-config --libs cmocka) $(PAMT_LIBS)

# The script-driven test reads its scripts (tests/pam/scripts) with json-c.
$(BUILD)/obj/tests/pam/test_scripts.o $(BUILD)/obj/tests/pam/test_audit.o: PAMT_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
$(BUILD)/tests/pam_test_scripts $(BUILD)/tests/pam_test_audit: PAMT_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)

# Helper tests set sessions up through the library and drive awssts as a process.
HELPERT_SRCS := $(wildcard tests/helper/test_*.c)
HELPERT_BINS := $(HELPERT_SRCS:tests/helper/test_%.c=$(BUILD)/tests/helper_test_%)

$(BUILD)/obj/tests/helper/%.o: tests/helper/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) -Wno-format-truncation -Ilib -Ilib/include $(shell pkg-config --cflags cmocka) -c $< -o $@

$(BUILD)/tests/helper_test_%: $(BUILD)/obj/tests/helper/test_%.o $(LIB_A) $(HELPER)
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $< $(LIB_A) $(DEPS_LIBS) $(shell pkg-config --libs cmocka)

# The secret-hygiene checker reads what tests/hygiene/run-secret-hygiene kept.
HYGT_SRCS := $(wildcard tests/hygiene/test_*.c)
HYGT_BINS := $(HYGT_SRCS:tests/hygiene/test_%.c=$(BUILD)/tests/hygiene_test_%)

$(BUILD)/obj/tests/hygiene/%.o: tests/hygiene/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) -Wno-format-truncation -Ilib/include $(shell pkg-config --cflags cmocka) -c $< -o $@

$(BUILD)/tests/hygiene_test_%: $(BUILD)/obj/tests/hygiene/test_%.o
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $< $(shell pkg-config --libs cmocka) -lutil

# Fuzz targets: replayed over their corpus by make check (any compiler), and
# fuzzed with libFuzzer by make fuzz (clang, ASan+UBSan).
FUZZ_TARGETS := sts_response credfile config sigv4 endpoint state json ssm imds iam
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz_replay_%)
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -DAWSSTS_VERSION=\"$(VERSION)\" -g -O1 -Ilib -Ilib/include \
                $(DEPS_CFLAGS) -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)

$(BUILD)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/tests/fuzz_replay_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -pie $(LD_HARDEN) -o $@ $^ $(DEPS_LIBS)

$(FUZZ_DIR)/obj/lib/%.o: lib/%.c | fuzz-deps
	@mkdir -p $(@D)
	@echo "  CLANG   $<"
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

.PHONY: fuzz-deps
fuzz-deps:
	@scripts/check-deps fuzz

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS) | fuzz-deps
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(DEPS_LIBS)

# Each target for FUZZ_SECONDS on a working copy of its corpus, two at a
# time; a crash fails the run and leaves its input in $(FUZZ_DIR)/artifacts.
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	@mkdir -p $(FUZZ_DIR)/artifacts
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P 2 -I{} sh -c '\
	    mkdir -p $(FUZZ_DIR)/corpus/{} && cp tests/fuzz/corpus/{}/* $(FUZZ_DIR)/corpus/{}/ && \
	    $(FUZZ_DIR)/fuzz_{} -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=65536 \
	        -artifact_prefix=$(FUZZ_DIR)/artifacts/{}- -print_final_stats=1 \
	        $(FUZZ_DIR)/corpus/{} > $(FUZZ_DIR)/{}.log 2>&1; rc=$$?; \
	    echo "fuzz {}: $$(grep -o "stat::number_of_executed_units: [0-9]*" $(FUZZ_DIR)/{}.log | grep -o "[0-9]*$$") runs, exit $$rc"; \
	    [ $$rc -eq 0 ] || { tail -40 $(FUZZ_DIR)/{}.log; exit 1; }'
	@echo "fuzz: $(words $(FUZZ_TARGETS)) passed, 0 failed"

# Benchmarks (make bench): the login-rate and SigV4 tools, then bench/run.
BENCH_BINS := $(BUILD)/bench/login-rate $(BUILD)/bench/sigv4-rate

# The conversation is the tests' own (tests/pam/conv.h: libpam only, no cmocka).
$(BUILD)/bench/login-rate: bench/login_rate.c tests/pam/conv.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Itests/pam -pie $(LD_HARDEN) -o $@ $< -lpam

$(BUILD)/bench/sigv4-rate: bench/sigv4_rate.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -pie $(LD_HARDEN) -o $@ $< $(LIB_A) $(DEPS_LIBS)

bench:
	@scripts/check-deps bench
	$(MAKE) all $(BENCH_BINS)
	BUILD=$(BUILD) bench/run

tests: $(UNIT_BINS) $(INTEG_BINS) $(PAMT_BINS) $(HELPERT_BINS) $(HYGT_BINS) $(FUZZ_REPLAY) $(DOCGEN)

# As root every suite runs; otherwise those that need root skip themselves
# (exit 77, saying why) and the rest run: what a package build can run.
check:
	@scripts/check-deps check
	$(MAKE) all tests
	BUILD=$(BUILD) tests/run-all

unit: all tests
	BUILD=$(BUILD) tests/run-unit

valgrind:
	@scripts/check-deps valgrind
	$(MAKE) all tests
	BUILD=$(BUILD) tests/run-unit --valgrind
	@# Not root: the PAM tests skip themselves (exit 77) and say why.
	BUILD=$(BUILD) tests/pam/run-pam-tests --valgrind || [ $$? -eq 77 ]

# Static analysis: cppcheck, and clang-tidy with the checked-in .clang-tidy.
LINT_FLAGS := -std=c11 -D_GNU_SOURCE -DAWSSTS_VERSION=\"$(VERSION)\" -Ilib -Ilib/include -Ipam \
              -Ihelper $(DEPS_CFLAGS)
# The C that clang-format holds to .clang-format: everything but the
# fuzzing corpora's data.
FORMAT_SRCS = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

lint:
	@scripts/check-deps lint
	@echo "clang-format --dry-run -Werror (every tracked C file)"
	@clang-format --dry-run -Werror $(FORMAT_SRCS)
	@echo "shellcheck -x (scripts/shell-files)"
	@shellcheck -x $$(scripts/shell-files)
	cppcheck --enable=warning,style,portability,performance --std=c11 --inline-suppr -q \
	    --error-exitcode=1 -D_GNU_SOURCE -DAWSSTS_VERSION='"$(VERSION)"' -Ilib -Ilib/include \
	    -Ipam -Ihelper lib pam helper tests/tools
	clang-tidy -quiet lib/*/*.c pam/*.c helper/*.c -- $(LINT_FLAGS)
	@echo "lint: clang-format, shellcheck, cppcheck and clang-tidy (with the 80-line gate) clean"

# Rewrites the C in place to .clang-format.
format:
	clang-format -i $(FORMAT_SRCS)

demo:
	@scripts/check-deps demo
	$(MAKE) all
	BUILD=$(BUILD) scripts/demo

# Made again by every install: it holds the install paths of that run.
.PHONY: $(BUILD)/libawssts.pc
$(BUILD)/libawssts.pc: lib/libawssts.pc.in
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' $< > $@

install: all $(BUILD)/libawssts.pc
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/awssts $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(PAMDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libawssts.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libawssts.so
	install -m 0644 lib/include/awssts/*.h $(DESTDIR)$(INCDIR)/awssts/
	install -m 0644 $(BUILD)/libawssts.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 0755 $(PAM_SO) $(DESTDIR)$(PAMDIR)/
	install -m 0755 $(HELPER) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 docs/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 docs/man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 docs/man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(DOCDIR)/examples/sshd_config.d $(DESTDIR)$(DOCDIR)/examples/systemd \
	    $(DESTDIR)$(DOCDIR)/examples/iam $(DESTDIR)$(PAMCONFIGSDIR)
	install -m 0644 conf/pam_aws_sts.conf conf/pam_aws_sts.keys.example conf/pam.d-sshd.snippet \
	    conf/check-sshd $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 conf/sshd_config.d/pam_aws_sts.conf $(DESTDIR)$(DOCDIR)/examples/sshd_config.d/
	install -m 0644 conf/systemd/*.mount $(DESTDIR)$(DOCDIR)/examples/systemd/
	install -m 0644 conf/iam/*.json conf/iam/README.md $(DESTDIR)$(DOCDIR)/examples/iam/
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 conf/pam-configs/aws-sts $(DESTDIR)$(PAMCONFIGSDIR)/aws-sts
	@$(LDCONFIG_LIVE)

# ldconfig after the shared library is installed to or removed from the
# running system (no DESTDIR); a staged install is the packager's business.
define LDCONFIG_LIVE
if [ -z "$(DESTDIR)" ]; then \
    if [ "$$(id -u)" -ne 0 ]; then \
        echo "$@: not root, ldconfig not run: run it as root before using $(SONAME)" >&2; \
    else \
        echo ldconfig; ldconfig; \
        if [ -e $(LIBDIR)/$(SONAME) ] && ! ldconfig -p | grep -qF "=> $(LIBDIR)/$(SONAME)"; then \
            echo "$@: $(LIBDIR) is not in ld.so's search path (/etc/ld.so.conf.d)" >&2; \
        fi; \
    fi; \
fi
endef

# A PAM file naming a module that is gone fails that service's logins
# (with "auth required" in it, nobody gets in), so uninstall refuses while any
# active line in /etc/pam.d or /etc/pam.conf names pam_aws_sts; FORCE=1
# removes it anyway, loudly.
PAM_USERS_OF_MODULE = grep -nsE '^[[:space:]]*[^\#[:space:]].*pam_aws_sts' /dev/null \
    $(wildcard $(DESTDIR)/etc/pam.d/* $(DESTDIR)/etc/pam.conf)

uninstall:
	@if $(PAM_USERS_OF_MODULE) >/dev/null; then \
	    echo "************************************************************************" >&2; \
	    echo "uninstall: these PAM lines still use pam_aws_sts; without the module" >&2; \
	    echo "their services fail every login they handle:" >&2; \
	    $(PAM_USERS_OF_MODULE) | sed 's/^/    /' >&2; \
	    echo "Take them out first: pam-auth-update --disable aws-sts for the profile" >&2; \
	    echo "(/etc/pam.d/common-*), an editor for the other files." >&2; \
	    echo "************************************************************************" >&2; \
	    if [ "$(FORCE)" != 1 ]; then echo "uninstall: refused (FORCE=1 to remove anyway)" >&2; exit 1; fi; \
	    echo "uninstall: FORCE=1: removing the module anyway" >&2; \
	fi
	rm -f $(DESTDIR)$(LIBDIR)/libawssts.* $(DESTDIR)$(PKGCONFIGDIR)/libawssts.pc \
	    $(DESTDIR)$(PAMDIR)/pam_aws_sts.so $(DESTDIR)$(BINDIR)/awssts \
	    $(DESTDIR)$(MANDIR)/man1/awssts*.1 $(DESTDIR)$(MANDIR)/man5/pam_aws_sts.conf.5 \
	    $(DESTDIR)$(MANDIR)/man8/pam_aws_sts.8 $(DESTDIR)$(PAMCONFIGSDIR)/aws-sts
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -rf $(DESTDIR)$(INCDIR)/awssts
	@$(LDCONFIG_LIVE)

# Debian packages (debian/, docs/packaging.md). dpkg-buildpackage runs in a
# copy of the tree under $(DEB_DIR)/src, so the .debs, .changes and
# .buildinfo land in $(DEB_DIR) and nothing is written beside the checkout;
# then lintian on the .changes. package-check installs them into a fresh
# debootstrap of Debian 12, logs in through the module against the fault
# STS, and purges them (tests/package/run-package-test).
DEB_DIR := build/deb
.PHONY: deb package-check
deb:
	@scripts/check-deps deb
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/src
	tar -c --exclude=./build --exclude=./.git . | tar -x -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc
	rm -rf $(DEB_DIR)/src
	lintian --fail-on error,warning --display-info $(DEB_DIR)/*.changes
	@echo "deb: packages in $(DEB_DIR), lintian clean"

package-check:
	@scripts/check-deps package-check
	$(MAKE) deb
	tests/package/run-package-test $(DEB_DIR)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
