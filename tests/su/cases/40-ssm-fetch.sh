# shellcheck shell=bash
# Sourced by tests/su/run-su-test (its helpers and variables).
#
# keys = ssm: costs root an IMDS token, the instance role's credentials and
# an SSM GetParameter with KMS decryption per login. A local user who runs a
# setuid PAM client (su) for another user must not make root spend those at
# will: with a malformed code nothing is fetched, with well-formed wrong codes
# only a few fetches per window. sshd's path (real uid 0, no AT_SECURE) still
# fetches the keys before the prompt, and the victim's own su still works.
#
# The counters are the peers' own: every IMDS request is one JSON line in
# $IMDS_LOG, every moto request one access line in $PEERS_DIR/moto.out (in
# this suite moto serves SSM only: STS is the fault STS).
su_case ssmfetch alice

ssmfetch_conf() {
    # The victim is alice: moto's SSM holds her keys of the fault STS
    # (tests/peers/ssm_setup.py), read over the IMDS stand-in.
    printf '[user:alice]\nkeys = ssm:/bastion/fault-sts/%%u\nssm_endpoint = %s\nimds_endpoint = %s\nregion = %s\n\n' \
        "$MOTO_URL" "$IMDS_URL" "$SSM_REGION"
}

ssmfetch_tokens() { grep -c '"method": "PUT"' "$IMDS_LOG"; }
ssmfetch_ssm() { grep -c '"POST / HTTP/1.1" 200' "$PEERS_DIR/moto.out"; }
ssmfetch_counts() { echo "$(ssmfetch_tokens) $(ssmfetch_ssm)"; }
ssmfetch_grew() { # before-counts expected-delta-op n: e.g. "3 5" -eq 0
    local before=$1 op=$2 n=$3 now d_imds d_ssm
    now=$(ssmfetch_counts)
    d_imds=$(( ${now% *} - ${before% *} ))
    d_ssm=$(( ${now#* } - ${before#* } ))
    DETAIL="IMDS token requests: $d_imds, SSM GetParameter calls: $d_ssm (want $op $n each)"
    echo "note $DETAIL"
    test "$d_imds" "$op" "$n" && test "$d_ssm" "$op" "$n"
}
ssmfetch_root_login() { # code command...: sshd's path: real uid 0, not setuid
    local code=$1; shift
    echo "$code" | env -i PATH=/usr/bin:/bin LANG=C "$T/setuid/pam-login" su alice "$@"
}

ssmfetch_run() {
    local before rc
    check "ssm fetch: the IMDS stand-in's log is there ($IMDS_LOG)" test -f "$IMDS_LOG"
    check "ssm fetch: moto's log is there ($PEERS_DIR/moto.out)" test -f "$PEERS_DIR/moto.out"

    # sshd's path: the keys come before the prompt, so a malformed code is
    # looked at after the fetch (and this shows the counters do count).
    before=$(ssmfetch_counts)
    ssmfetch_root_login notacode true > "$T/ssmfetch-root-bad.out" 2>&1
    check "ssm fetch: as root (sshd's path) a malformed code is refused" [ $? -ne 0 ]
    check "ssm fetch: as root the keys were fetched before the prompt (one each)" ssmfetch_grew "$before" -eq 1

    # The attack: 40 setuid logins for the victim with a malformed code.
    before=$(ssmfetch_counts)
    for _ in $(seq 1 40); do
        echo notacode | setuid_login alice true > "$T/ssmfetch-bad.out" 2>&1
    done
    check "ssm fetch: 40 su logins with a malformed code fetched nothing" ssmfetch_grew "$before" -eq 0
    check "ssm fetch: ... each refused as a malformed code" \
        wait_until 20 bash -c "[ \$(grep -c 'user=alice outcome=bad_code_format' '$T/syslog.log') -ge 41 ]"

    # Well-formed wrong codes: a few fetches per window, then refused with no network call.
    before=$(ssmfetch_counts)
    for _ in $(seq 1 8); do
        wrong_code | setuid_login alice true > "$T/ssmfetch-wrong.out" 2>&1
    done
    check "ssm fetch: 8 su logins with wrong six-digit codes fetched 3 times (the limit)" \
        ssmfetch_grew "$before" -eq 3
    check "ssm fetch: ... the other 5 refused as rate-limited" \
        wait_until 20 bash -c "[ \$(grep -c 'user=alice outcome=rate_limited' '$T/syslog.log') -eq 5 ]"
    note "ssm fetch: $(grep -m1 -o 'user=alice outcome=rate_limited.*' "$T/syslog.log")"
    check "ssm fetch: the count is root's, in a root-only directory" \
        bash -c "[ \"\$(stat -c '%a %u %F' /run/aws-sts/fetch /run/aws-sts/fetch/$CALLER)\" = \"\$(printf '700 0 directory\\n600 0 regular file')\" ]"

    # The victim is not locked out: sshd's path, then the victim's own su.
    before=$(ssmfetch_counts)
    ssmfetch_root_login "$(code_at 0)" true > "$T/ssmfetch-root.out" 2>&1
    rc=$?
    check "ssm fetch: after the attack the victim logs in through sshd's path" [ "$rc" -eq 0 ]
    check "ssm fetch: ... with the keys fetched" ssmfetch_grew "$before" -eq 1
    # su_login runs as $CALLER with HOME $CH: here the victim, for itself.
    # shellcheck disable=SC2034 # read by su_login
    local CALLER=${UID_OF[alice]} CH=$T/home/alice
    su_login ssmfetch-own alice "$(code_at 30)"
    check "ssm fetch: after the attack the victim's own su with the right code logs in" [ $? -eq 0 ]
    check "ssm fetch: ... as the victim" has ssmfetch-own "^SESSION user=alice$"
}
