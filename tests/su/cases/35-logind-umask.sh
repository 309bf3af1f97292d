# shellcheck shell=bash disable=SC2034 # DETAIL: read by run-su-test's check
# Sourced by tests/su/run-su-test.
#
# With logind's /run/user/UID present the module makes the user's aws-sts
# directory in it with the user's rights (pam_modutil_drop_priv: setfsuid,
# the euid stays 0), after authentication, under the caller's umask, which
# su keeps. Its mode must still be exactly 0700: with a umask of 0277 or
# 0777 the user's own su with the right code works and the user reads its
# credentials. A directory there that the user cannot write (0500, as an
# older version made) is refused before the code is asked for, so no code
# is spent on a login that could not write its files.
su_case logindumask sulogind1 sulogind2 sulogind3

logindumask_standin() { # user: logind's /run/user/UID, the user's own tmpfs
    local uid=${UID_OF[$1]}
    mkdir -p "/run/user/$uid" && chmod 0755 /run/user &&
        mount -t tmpfs -o "mode=0700,uid=$uid,gid=$uid,size=4m,nosuid,nodev" tmpfs "/run/user/$uid"
}

logindumask_gone() { # user: logind's clean-up after the last session
    local uid=${UID_OF[$1]}
    umount "/run/user/$uid" && rmdir "/run/user/$uid"
}


logindumask_said() { # name text: and show what su said if not
    grep -q -- "$2" "$T/$1.out" && return 0
    DETAIL=$(grep -v '^CRED\|^ENV\|^spawn' "$T/$1.out" | tail -n 4 | tr '\n' ';')
    return 1
}

logindumask_round() { # mask user
    local mask=$1 user=$2 uid=${UID_OF[$2]}
    check "logind umask $mask: /run/user/$uid stands in for logind's" logindumask_standin "$user"
    su_login_as "${UID_OF[$user]}" "$T/home/$user" "$mask" "logind$mask" "$user" "$(code_at 0)"
    check "logind umask $mask: the user's first login, its own su with umask $mask, works" [ $? -eq 0 ]
    check "logind umask $mask: ... its credentials are under /run/user/$uid/aws-sts" \
        logindumask_said "logind$mask" "^ENV AWS_SHARED_CREDENTIALS_FILE=/run/user/$uid/aws-sts/"
    check "logind umask $mask: ... and the user reads them" \
        logindumask_said "logind$mask" "^CRED aws_session_token = "
    if ! logindumask_said "logind$mask" "^CRED aws_session_token = "; then
        grep "user=${user}[ :]" "$T/syslog.log" | sed "s/^/note /"
    fi
    check "logind umask $mask: logind's directory goes after the last session" logindumask_gone "$user"
}

logindumask_run() {
    logindumask_round 0277 sulogind1
    logindumask_round 0777 sulogind2
    # A user's directory the user cannot write: refused before the prompt.
    local uid=${UID_OF[sulogind3]}
    check "logind 0500: /run/user/$uid stands in for logind's" logindumask_standin sulogind3
    install -d -o "$uid" -g "$uid" -m 0500 "/run/user/$uid/aws-sts"
    su_login_as "${UID_OF[sulogind3]}" "$T/home/sulogind3" 0022 logind0500 sulogind3 "$(code_at 0)"
    check "logind 0500: the login is refused" [ $? -ne 0 ]
    check "logind 0500: no session ran" bash -c "! grep -q '^SESSION' '$T/logind0500.out'"
    check "logind 0500: before the code was asked for" \
        bash -c "! grep -q 'AWS MFA code' '$T/logind0500.out'"
    check "logind 0500: the STS never saw the user" \
        bash -c "! grep -q '$(key_of sulogind3)' '$FAULT_LOG'"
    check "logind 0500: the log names the mode and the one wanted" \
        wait_until 20 grep -q "user=sulogind3 .*/run/user/$uid/aws-sts: mode 0500, must be 0700" \
        "$T/syslog.log"
    grep "user=sulogind3 " "$T/syslog.log" | sed "s/^/note /"
    rm -rf "/run/user/$uid/aws-sts"
    logindumask_gone sulogind3
}
