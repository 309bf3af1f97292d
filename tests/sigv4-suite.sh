#!/bin/sh
# Drive build/sigv4-sign over every case of the AWS SigV4 test suite and
# compare the canonical request, string to sign and Authorization value.
set -u
BUILD=${BUILD:-build}
SUITE=${SIGV4_SUITE:-$(cd "$(dirname "$0")/../.." && pwd)/shared/sigv4-testsuite}
TOOL=$BUILD/sigv4-sign

if [ ! -f "$SUITE/INDEX.tsv" ]; then
    echo "sigv4-suite: FAIL: no test suite at $SUITE (set SIGV4_SUITE)" >&2
    exit 1
fi
[ -x "$TOOL" ] || { echo "sigv4-suite: FAIL: $TOOL not built" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
while IFS="$(printf '\t')" read -r case _line token _body; do
    base=$SUITE/$case
    set -- --access-key AKIDEXAMPLE --secret-key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
        --region us-east-1 --service service
    case "$token" in
        signed*)
            # The token is given to the signer when the .req does not carry it.
            if ! grep -qi '^X-Amz-Security-Token:' "$base.req"; then
                tok=$(sed -n 's/^x-amz-security-token://p' "$base.creq")
                set -- "$@" --token "$tok"
            fi ;;
        added-after*)
            tok=$(sed -n 's/^X-Amz-Security-Token://p' "$base.sreq" | tr -d '\r')
            set -- "$@" --token "$tok" --token-after ;;
    esac
    if ! "$TOOL" "$@" "$base.req" > "$tmp/out" 2> "$tmp/err"; then
        echo "FAIL $case: $(cat "$tmp/err")"
        fail=$((fail + 1))
        continue
    fi
    # Expected: creq, blank, sts, blank, authz (the suite's files have no final newline).
    { cat "$base.creq"; printf '\n\n'; cat "$base.sts"; printf '\n\n'; cat "$base.authz"; printf '\n'; } > "$tmp/want"
    if cmp -s "$tmp/want" "$tmp/out"; then
        pass=$((pass + 1))
    else
        echo "FAIL $case"
        diff "$tmp/want" "$tmp/out" | head -20
        fail=$((fail + 1))
    fi
done <<EOF_INDEX
$(tail -n +2 "$SUITE/INDEX.tsv")
EOF_INDEX

total=$((pass + fail))
expected=$(($(wc -l < "$SUITE/INDEX.tsv") - 1))
echo "sigv4-suite: $pass passed, $fail failed"
if [ "$total" -ne "$expected" ] || [ "$total" -eq 0 ]; then
    echo "sigv4-suite: FAIL: ran $total of $expected cases" >&2
    exit 1
fi
[ "$fail" -eq 0 ]
