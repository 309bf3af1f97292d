# Shared by the test runners: counting cmocka and plain results.
# shellcheck shell=bash
PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=""
SKIPPED_NAMES=""

# run_counted NAME CMD...: run a test program, echo its output, add its counts.
run_counted() {
    local name=$1
    shift
    local out rc p f k
    # No suite may hang CI: 20 minutes at the most.
    out=$(timeout -k 10 1200 "$@" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    # A suite's own total ("name: P passed, F failed") wins; else add up
    # every cmocka summary in the output.
    local total
    total=$(printf '%s\n' "$out" | grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' | tail -1)
    # Exit 77 with no total: the suite skipped itself and said why.
    if [ "$rc" -eq 77 ] && [ -z "$total" ]; then
        echo "$name: skipped"
        SKIPPED=$((SKIPPED + 1))
        SKIPPED_NAMES="$SKIPPED_NAMES $name"
        return 0
    fi
    if [ -n "$total" ]; then
        p=$(printf '%s\n' "$total" | sed -E 's/^.*: ([0-9]+) passed.*/\1/')
        f=$(printf '%s\n' "$total" | sed -E 's/^.* ([0-9]+) failed.*/\1/')
        # A total of totals ("..., K skipped") hands its skipped suites on.
        k=$(printf '%s\n' "$total" | sed -nE 's/^.* ([0-9]+) skipped.*/\1/p')
        SKIPPED=$((SKIPPED + ${k:-0}))
    else
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    fi
    PASSED=$((PASSED + ${p:-0}))
    FAILED=$((FAILED + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
        # A crash or a sanitizer/valgrind report with no failed count still fails.
        [ "${f:-0}" -eq 0 ] && FAILED=$((FAILED + 1))
        FAILED_NAMES="$FAILED_NAMES $name"
    fi
}

# report LABEL: the closing line "LABEL: P passed, F failed, K skipped" (K:
# suites that skipped themselves, exit 77), after the names of those that
# failed or skipped. Fails when any failed or none passed.
report() {
    [ -n "$SKIPPED_NAMES" ] && echo "$1: skipped:$SKIPPED_NAMES"
    [ -n "$FAILED_NAMES" ] && echo "$1: failing:$FAILED_NAMES" >&2
    echo "$1: $PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
}

# plain_module ROOT BUILD LOG: the module a host process can load. Under
# SANITIZE=1 that is the plain build (made when missing): an ASan-built
# module needs the sanitizer runtime loaded first, which a setuid program
# (su) never allows, and which, preloaded into an uninstrumented sshd,
# corrupts glibc's locale and gettext locks (seen with gdb: _nl_state_lock
# with readers below zero in sshd's listener after its first connection),
# so that every later login deadlocks in dlopen("libcurl.so.4"), in
# gnutls's constructor, and gnutls's p11-kit deadlocks at exit. Every other
# suite runs the ASan build. Prints the module's path.
plain_module() {
    local root=$1 build=$2 log=$3
    local mod=$build/pam_aws_sts.so
    case $mod in /*) ;; *) mod=$root/$mod ;; esac
    if ldd "$mod" | grep -q libasan; then
        env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u SANITIZE \
            make -s -C "$root" SANITIZE=0 BUILD=build build/pam_aws_sts.so > "$log" 2>&1 || return 1
        mod=$root/build/pam_aws_sts.so
    fi
    printf '%s\n' "$mod"
}
