# shellcheck shell=bash
# Sourced by tests/su/run-su-test.
#
# Any local user may freeze another user's logins and logouts: su runs the
# module's auth for the target before any code, as root, but the caller
# keeps its real uid, so it may stop su (here the setuid driver) at will,
# and /proc/locks shows when it holds a lock. Nothing auth does may hold a
# lock another login or logout of the target needs. The caller runs its own
# login of the victim again and again (tests/tools/stop_at_lock.c), stops it
# the moment /proc/locks shows it holding a lock, else at the prompt; then
# the victim's own login must complete promptly and its logout must remove
# its credentials. With timeout = 6, a login that waits for the registry's
# lock gives up after 11 s.
su_case lockfreeze sufreeze

lockfreeze_said() { # file text: and show what it said if not
    grep -q -- "$2" "$1" && return 0
    DETAIL=$(grep -v '^  ' "$1" | head -c 600 | tr '\n' ';')
    return 1
}

lockfreeze_no_sts_blame() { # and show the line if one does
    DETAIL=$(grep sufreeze "$T/syslog.log" | grep "STS did not answer" | head -n 1)
    [ -z "$DETAIL" ]
}

lockfreeze_run() {
    local uid=${UID_OF[sufreeze]} rel=$T/freeze.release ctl=$T/freeze.ctl
    local creds=/run/aws-sts/${UID_OF[sufreeze]}/credentials
    gcc -O2 -o "$T/setuid/stop-at-lock" tests/tools/stop_at_lock.c || {
        check "building stop-at-lock" false
        return
    }
    # The victim's first session stays open until $rel appears.
    code_at 0 | setuid_login sufreeze sh -c "until [ -e '$rel' ]; do sleep 0.1; done" \
        > "$T/freeze-a.out" 2>&1 &
    local a=$!
    check "lock freeze: the victim's first session is open" wait_until 100 test -e "$creds"
    check "lock freeze: the victim has a session registry" test -d "/run/aws-sts/sessions/$uid"

    # The attack: the caller's own client for the victim, stopped at a lock
    # if it ever holds one, else at the prompt.
    mkfifo "$ctl"
    setpriv --reuid="$CALLER" --regid="$CALLER" --init-groups env -i PATH=/usr/bin:/bin LANG=C \
        "$T/setuid/stop-at-lock" 200 "AWS MFA code" "$T/setuid/pam-login" su sufreeze true \
        < "$ctl" > "$T/freeze-attack.out" 2>&1 &
    local attacker=$!
    exec 8> "$ctl"
    check "lock freeze: the caller's client for the victim is stopped" \
        wait_until 600 grep -q "^lock held\|^at the prompt" "$T/freeze-attack.out"
    note "lock freeze: $(head -n 1 "$T/freeze-attack.out")"
    check "lock freeze: the stopped client (auth, before any code) holds no lock" \
        lockfreeze_said "$T/freeze-attack.out" "^at the prompt"

    # The victim's own login, with the right code, while the caller's is stopped.
    local t0 t1
    t0=$(date +%s%N)
    code_at 30 | setuid_login sufreeze true > "$T/freeze-b.out" 2>&1
    local rc=$?
    t1=$(date +%s%N)
    note "lock freeze: the victim's login took $(( (t1 - t0) / 1000000 )) ms"
    check "lock freeze: the victim's login succeeds" \
        lockfreeze_said "$T/freeze-b.out" "open_session   Success"
    check "lock freeze: ... and ends" [ "$rc" -eq 0 ]
    check "lock freeze: ... promptly (under 5 s)" [ $(( (t1 - t0) / 1000000 )) -lt 5000 ]

    # The victim's logout: its first session ends, its last; the files go.
    touch "$rel"
    check "lock freeze: the victim's first session ended" \
        wait_until 300 bash -c "! kill -0 $a 2>/dev/null"
    check "lock freeze: the victim's logout succeeds" \
        lockfreeze_said "$T/freeze-a.out" "close_session  Success"
    check "lock freeze: after the victim's logout its credentials are gone" absent "$creds"
    check "lock freeze: no line blames STS for a wait" lockfreeze_no_sts_blame
    exec 8>&-
    wait "$attacker"
    wait "$a"
    # A logout that failed left the victim's files: removed, so that the
    # cases after this one start from a clean /run.
    if mountpoint -q "/run/aws-sts/$uid"; then umount "/run/aws-sts/$uid"; fi
    rm -rf "/run/aws-sts/$uid" "/run/aws-sts/sessions/$uid"
}
