/*
 * The option table's rows: one row per option of pam_aws_sts.conf, the only
 * place its name, type, limits, default and documentation are written, and
 * whether the renewal state keeps it. No include guard: an includer defines
 * AWSSTS_OPTION and the row's macros, includes this file where it wants the
 * rows (inside an initializer or a function), and undefines them:
 *   login/options.c         the option table: settings, `awssts check`, docs
 *   files/state.c           [awssts]'s fields of the options the state keeps
 *   login/settings_login.c  the copy of those from the settings to the state
 * The includer includes awssts/validate.h (the limits) and aws/imds.h (the
 * IMDS default) first. tests/unit/test_option_rows.c and the docs check hold
 * the three to the rows.
 *
 * AWSSTS_OPTION(name, type, settings field, default,
 *               min, max, [global] only, secret, kept, state field, documentation)
 *   type     STRING, PATH, BOOL, LONG, FLOW, ON_ERROR, LOG_FORMAT
 *   default  OPT_DEFAULT("as written in the file"), which the docs show as
 *            code, or OPT_SHOWN("what the docs say instead") for none
 *   min, max LONG's limits, in the file and in the state
 *   kept     KEPT: the state keeps the value, under the option's name, in
 *            the state field named next; NOT_KEPT (state field 0): it does not
 */

#ifndef AWSSTS_OPTION_STR
/* A limit in the documentation, from the one number. */
#define AWSSTS_OPTION_STR_(x) #x
#define AWSSTS_OPTION_STR(x)  AWSSTS_OPTION_STR_(x)
#endif

AWSSTS_OPTION(
    region, STRING, region, OPT_SHOWN("(required; with `keys = ssm:` the instance's)"), 0, 0, false,
    false, KEPT, region,
    "signing region and regional endpoint `sts.REGION.amazonaws.com`, e.g. `ap-east-1`; with "
    "`keys = ssm:NAME` and none set, the instance's region from IMDS (the log line's "
    "`region_from=imds`)")
AWSSTS_OPTION(
    endpoint, STRING, endpoint, OPT_SHOWN(""), 0, 0, false, false, KEPT, endpoint,
    "`https://host[:port]` override (a VPC endpoint), signed for `region`; `http://` is refused")
AWSSTS_OPTION(fips, BOOL, fips, OPT_DEFAULT("no"), 0, 0, false, false, KEPT, fips,
              "`yes`: the FIPS endpoint `sts-fips.REGION.amazonaws.com`")
AWSSTS_OPTION(dualstack, BOOL, dualstack, OPT_DEFAULT("no"), 0, 0, false, false, KEPT, dualstack,
              "`yes`: the dual-stack endpoint `sts.REGION.api.aws`")
AWSSTS_OPTION(
    keys, STRING, keys, OPT_SHOWN(""), 0, 0, false, false, NOT_KEPT, 0,
    "`/path` of a root-owned keys file (0600 or 0400, one `[USER]` section each); `home`: the "
    "user's `~/.aws/credentials`, section `[PROFILE-long-term]`, read with the user's rights and "
    "refused when others may read it; or `ssm:NAME`: a SecureString parameter of SSM Parameter "
    "Store holding the section's keys as a JSON object, NAME with `%u` (user) or `%U` (uid), "
    "read at login with the instance role over IMDSv2, kept in memory only (docs/fleet.md)")
AWSSTS_OPTION(
    imds_endpoint, STRING, imds_endpoint, OPT_SHOWN("`" AWSSTS_IMDS_ENDPOINT "`"), 0, 0, false,
    false, NOT_KEPT, 0,
    "the instance metadata service for `keys = ssm:` (IMDSv2 only): `http://[fd00:ec2::254]` on "
    "IPv6-only instances")
AWSSTS_OPTION(
    ssm_endpoint, STRING, ssm_endpoint, OPT_SHOWN(""), 0, 0, false, false, NOT_KEPT, 0,
    "`https://host[:port]` override of SSM's regional endpoint `ssm.REGION.amazonaws.com` (a VPC "
    "endpoint) for `keys = ssm:`; `fips` and `dualstack` apply as for STS")
AWSSTS_OPTION(
    ssm_account, STRING, ssm_account, OPT_SHOWN(""), 0, 0, false, false, NOT_KEPT, 0,
    "for `keys = ssm:`: the 12-digit account whose Parameter Store holds the keys; a parameter "
    "of any other account is never used (the metadata service speaks plain HTTP: with `require = "
    "yes` too, no answer of someone else's lets a login skip MFA)")
AWSSTS_OPTION(
    profile, STRING, profile, OPT_DEFAULT("default"), 0, 0, false, false, KEPT, profile,
    "profile written in the credentials file; exported as `AWS_PROFILE` when not `default`")
AWSSTS_OPTION(mfa_serial, STRING, mfa_serial, OPT_SHOWN("from the keys"), 0, 0, false, false,
              NOT_KEPT, 0,
              "MFA device ARN or serial (`aws_mfa_device` or `mfa_serial` in the keys)")
AWSSTS_OPTION(
    role_arn, STRING, role_arn, OPT_SHOWN("from the keys"), 0, 0, false, false, NOT_KEPT, 0,
    "role to assume (`assume_role` or `role_arn` in the keys); none: session credentials only")
AWSSTS_OPTION(
    flow, FLOW, flow, OPT_DEFAULT("session"), 0, 0, false, false, KEPT, flow_direct,
    "`session`: GetSessionToken with the code, then AssumeRole with those session credentials "
    "(renewable by `awssts` without a code; role duration at most " AWSSTS_OPTION_STR(
        AWSSTS_CHAINED_ROLE_DURATION_MAX) " s); `direct`: AssumeRole with the code (aws-mfa's way, "
                                          "up to the role's maximum)")
AWSSTS_OPTION(
    duration, LONG, duration, OPT_DEFAULT("43200"), AWSSTS_SESSION_DURATION_MIN,
    AWSSTS_SESSION_DURATION_MAX, false, false, KEPT, duration,
    "GetSessionToken seconds (" AWSSTS_OPTION_STR(
        AWSSTS_SESSION_DURATION_MIN) "-" AWSSTS_OPTION_STR(AWSSTS_SESSION_DURATION_MAX) ")")
AWSSTS_OPTION(
    role_duration, LONG, role_duration, OPT_DEFAULT("3600"), AWSSTS_ROLE_DURATION_MIN,
    AWSSTS_ROLE_DURATION_MAX, false, false, KEPT, role_duration,
    "AssumeRole seconds (" AWSSTS_OPTION_STR(AWSSTS_ROLE_DURATION_MIN) "-" AWSSTS_OPTION_STR(
        AWSSTS_ROLE_DURATION_MAX) "; at most " AWSSTS_OPTION_STR(AWSSTS_CHAINED_ROLE_DURATION_MAX) " with `flow = session`)")
AWSSTS_OPTION(
    role_session_name, STRING, role_session_name, OPT_DEFAULT("%u"), 0, 0, false, false, KEPT,
    role_session_name,
    "AssumeRole's session name, `[\\w+=,.@-]{2,64}` once `%u` (the user) and `%h` (this host's "
    "short name) are filled in; CloudTrail shows it in the role's ARN")
AWSSTS_OPTION(
    source_identity, STRING, source_identity, OPT_DEFAULT("%u"), 0, 0, false, false, KEPT,
    source_identity,
    "`SourceIdentity` sent on every AssumeRole, the module's and `awssts`'s, with `%u` and `%h` "
    "as for `role_session_name`; `none`: not sent. STS keeps it through role chaining and "
    "refuses another, so CloudTrail names the login in every call made with the role's "
    "credentials (GetSessionToken cannot carry it: the role makes a call attributable)")
AWSSTS_OPTION(
    tags, STRING, tags, OPT_SHOWN(""), 0, 0, false, false, KEPT, tags,
    "session tags on every AssumeRole, the module's and `awssts`'s: `KEY=VALUE KEY=VALUE`, `%u` "
    "and `%h` in values (`linux_user=%u bastion=%h`); STS's rules checked here (50 at most, keys "
    "1-128 and values 0-256 of ASCII letters, digits, space and `_.:/=+-@`, no `aws:` key, no "
    "two keys alike but for case). The role's trust policy must allow `sts:TagSession`")
AWSSTS_OPTION(
    transitive_tags, STRING, transitive_tags, OPT_SHOWN(""), 0, 0, false, false, KEPT,
    transitive_tags,
    "`all`, or keys of `tags`: tags that pass on to roles chained from the login's session")
AWSSTS_OPTION(
    roles, STRING, roles, OPT_SHOWN(""), 0, 0, false, false, KEPT, roles,
    "named roles the user may take from the one MFA session with `awssts assume`, `exec`, "
    "`credential-process --role`: `NAME=ARN NAME=ARN`; the login's role is `role_arn`, else the "
    "keys' role, else the first listed")
AWSSTS_OPTION(external_id, STRING, external_id, OPT_SHOWN(""), 0, 0, false, false, KEPT,
              external_id, "passed to AssumeRole")
AWSSTS_OPTION(
    runtime_dir, PATH, runtime_dir, OPT_SHOWN("see [Files](#files)"), 0, 0, true, false, NOT_KEPT,
    0, "where the user's files go; `%U` uid, `%u` user name; its parent must exist, on tmpfs")
AWSSTS_OPTION(staging_dir, PATH, staging_dir, OPT_DEFAULT("/run/aws-sts/staging"), 0, 0, true,
              false, NOT_KEPT, 0, "root-only hand-off directory, on tmpfs")
AWSSTS_OPTION(
    on_error, ON_ERROR, on_error_allow, OPT_DEFAULT("deny"), 0, 0, false, false, NOT_KEPT, 0,
    "`allow`: an STS, network, key, configuration or local failure lets the login go on without "
    "credentials (`PAM_IGNORE`) instead of failing it (`PAM_AUTHINFO_UNAVAIL`); a wrong code "
    "always fails")
AWSSTS_OPTION(require, BOOL, require, OPT_DEFAULT("no"), 0, 0, false, false, NOT_KEPT, 0,
              "`yes`: a user without keys fails (`PAM_AUTH_ERR`) instead of being ignored")
AWSSTS_OPTION(connect_timeout, LONG, connect_timeout, OPT_DEFAULT("3"), 1, 60, false, false, KEPT,
              connect_timeout, "seconds to connect")
AWSSTS_OPTION(
    timeout, LONG, timeout, OPT_DEFAULT("10"), 1, 300, false, false, KEPT, timeout,
    "seconds for all of a login's STS calls together, retries included; also the longest wait "
    "for the user's own lock")
AWSSTS_OPTION(ca_file, PATH, ca_file, OPT_SHOWN("system store"), 0, 0, false, false, KEPT, ca_file,
              "CA bundle for the STS endpoint")
AWSSTS_OPTION(ca_path, PATH, ca_path, OPT_SHOWN("system store"), 0, 0, false, false, KEPT, ca_path,
              "CA directory for the STS endpoint")
AWSSTS_OPTION(
    proxy, STRING, proxy, OPT_SHOWN("none"), 0, 0, false, true, KEPT, proxy,
    "HTTPS proxy `http://[user:password@]host:port`; the environment's proxy variables are never "
    "used; with credentials, the file must be 0600 (refused otherwise), and they never reach the "
    "user's `state` file")
AWSSTS_OPTION(prompt, STRING, prompt, OPT_DEFAULT("AWS MFA code: "), 0, 0, false, false, NOT_KEPT,
              0, "the prompt")
AWSSTS_OPTION(export_region, BOOL, export_region, OPT_DEFAULT("yes"), 0, 0, false, false, KEPT,
              export_region, "export `AWS_REGION` and `AWS_DEFAULT_REGION`")
AWSSTS_OPTION(
    log_format, LOG_FORMAT, log_format, OPT_DEFAULT("keyvalue"), 0, 0, true, false, NOT_KEPT, 0,
    "the login's one log line: `keyvalue` (`name=value`), or `json` (one JSON object a line, the "
    "same fields)")
AWSSTS_OPTION(
    export_endpoint, BOOL, export_endpoint, OPT_DEFAULT("yes"), 0, 0, false, false, KEPT,
    export_endpoint,
    "with `endpoint` set, export it as `AWS_ENDPOINT_URL_STS`, so that AWS CLIs and SDKs that "
    "read it call the same endpoint (the AWS CLI from 2.13; Debian 12's 2.9 does not)")
