# shellcheck shell=bash disable=SC2034 # DETAIL: read by run-su-test's check
# su keeps the caller's umask. The first login after boot makes /run/aws-sts;
# a caller's umask of 0077 (or 0777) must not make it closed to the users
# whose credentials lie below it. A /run/aws-sts that others cannot search
# (made so by an older version) is refused before the code is asked for.
su_case umask suumask1 suumask2 suumask3 suumask4 suumask5


mode_is() { # path mode: and say what it is if not
    local m
    m=$(stat -c %a "$1" 2>&1)
    [ "$m" = "$2" ] && return 0
    DETAIL="$1: mode $m, not $2"
    return 1
}

# "Boot": no session is open and nothing is mounted below /run/aws-sts.
umask_reboot() {
    if grep -q ' /run/aws-sts/' /proc/self/mountinfo; then
        DETAIL="a session's tmpfs is still mounted: $(grep -o ' /run/aws-sts/[^ ]*' /proc/self/mountinfo | tr '\n' ' ')"
        return 1
    fi
    rm -rf /run/aws-sts && [ ! -e /run/aws-sts ]
}

umask_round() { # mask first-user next-user
    local mask=$1 first=$2 next=$3
    check "umask $mask: no session open, /run/aws-sts removed (a fresh boot)" umask_reboot
    su_login_as "$CALLER" "$CH" "$mask" "umask$mask" "$first" "$(code_at 0)"
    check "umask $mask: the first login after boot works" [ $? -eq 0 ]
    check "umask $mask: ... and its user reads its own credentials file" \
        has "umask$mask" "^CRED aws_session_token = "
    check "umask $mask: /run/aws-sts is 0755" mode_is /run/aws-sts 755
    check "umask $mask: /run/aws-sts/sessions is 0700" mode_is /run/aws-sts/sessions 700
    check "umask $mask: /run/aws-sts/staging is 0700" mode_is /run/aws-sts/staging 700
    su_login "after$mask" "$next" "$(code_at 0)"
    check "umask $mask: another user's later login works" [ $? -eq 0 ]
    check "umask $mask: ... and that user reads its own credentials file" \
        has "after$mask" "^CRED aws_session_token = "
    if ! has "after$mask" "^CRED aws_session_token = "; then
        grep -v '^CRED\|^ENV' "$T/after$mask.out" | tail -n 5 | sed 's/^/     | /'
    fi
}

umask_run() {
    umask_round 0077 suumask1 suumask2
    umask_round 0777 suumask3 suumask4
    # An older version left /run/aws-sts closed to others: refused before
    # the prompt, with a line that says what to do.
    chmod 0700 /run/aws-sts
    su_login_as "$CALLER" "$CH" 0022 closed suumask5 "$(code_at 0)"
    check "closed /run/aws-sts: the login is refused" [ $? -ne 0 ]
    check "closed /run/aws-sts: no session ran" bash -c "! grep -q '^SESSION' '$T/closed.out'"
    check "closed /run/aws-sts: before the code was asked for" \
        bash -c "! grep -q 'AWS MFA code' '$T/closed.out'"
    check "closed /run/aws-sts: the STS never saw the user" \
        bash -c "! grep -q '$(key_of suumask5)' '$FAULT_LOG'"
    check "closed /run/aws-sts: the log says others cannot search it" \
        wait_until 20 grep -q "user=suumask5 .*/run/aws-sts.*others cannot search" "$T/syslog.log"
    chmod 0755 /run/aws-sts
    grep "user=suumask5 " "$T/syslog.log" | sed "s/^/note /"
    grep -v "^spawn" "$T/closed.out" | sed "s/^/note su: /"
}
