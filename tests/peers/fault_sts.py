#!/usr/bin/env python3
"""A small STS over HTTPS for what moto cannot do.

It speaks the Query protocol for GetSessionToken, AssumeRole and
GetCallerIdentity, checks every SigV4 signature (with botocore's signer, an
implementation independent of ours), checks MFA codes as TOTP against
--totp-secret and refuses a code used twice, and enforces the one-hour limit
on roles assumed with temporary credentials. AssumeRole keeps STS's rules on
SourceIdentity (set once, kept through chaining, never changed) and session
tags (session_tags.py; transitive ones carried down a chain), and a role
named with --trust-policy ROLE=FILE is assumed only as that trust policy
allows (trust_policy.py): the templates in conf/iam/ are tested that way.

The fault to inject is chosen by the access key id the client signs with:
AKIA<SCENARIO><anything>, e.g. AKIATHROTTLEONCE0001. All long-term keys share
the secret LONG_TERM_SECRET. Every request is logged as one JSON line.

LOAD keys (AKIALOAD...) are for load tests and benchmarks, which log in more
often than a TOTP device makes codes: their codes may come from five steps
either side and may be used again. Every other key gets AWS's behaviour.
With --issued-log, every secret key and token handed out is appended there,
so a test can look for them wherever they must not be.
"""
import argparse
import base64
import calendar
import hashlib
import hmac
import json
import os
import re
import secrets
import socket
import ssl
import string
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import session_tags
import trust_policy

LONG_TERM_SECRET = "faultSTSsecretKEY/0123456789abcdefghijkl"
# Tokens from the global endpoint are version 1; regional endpoints issue v2.
V1_PREFIX = "FQoGZXIvYXdzV1"
V2_PREFIX = "IQoJb3JpZ2luX2VjV2"
# Regions that must be enabled per account; v1 tokens fail there.
OPT_IN_REGIONS = {"ap-east-1", "me-south-1", "af-south-1", "eu-south-1", "ap-southeast-3",
                  "me-central-1", "ap-south-2", "eu-south-2", "eu-central-2", "il-central-1"}
ACCOUNT = "123456789012"
NS = "https://sts.amazonaws.com/doc/2011-06-15/"

SCENARIOS = [
    # longest names first so prefixes do not shadow them
    "THROTTLEALWAYS", "THROTTLEONCE", "ERROR500ONCE", "ERROR500", "UNAVAILABLE",
    "HANG", "SLOW", "CLOSE", "TRUNCATED", "TRUNCXML", "NOTXML", "GARBAGE",
    "OVERSIZECHUNKED", "OVERSIZE", "HUGE", "ENTITYBOMB", "EXTENTITY", "NEWLINE",
    "MISSINGFIELD", "BADEXPIRATION", "PASTEXPIRATION", "REDIRECT", "DENIED", "CTLERROR",
    "INVALIDKEYS", "EXPIRED", "REGIONDISABLED", "SKEW", "HOSTILEERROR", "QUOTEERROR", "DELAY", "ROLEINVALIDKEYS",
    "LOAD", "OK",
]
# Scenarios that stay with the credentials a key is issued: a call signed
# with those session credentials meets the same fault.
INHERITED = {"DELAY", "ROLEINVALIDKEYS"}


def totp(secret_b32, t, step=30, digits=6):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = struct.pack(">Q", int(t // step))
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return "%0*d" % (digits, code)


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def rand_upper(n):
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def rand_b64(n):
    return base64.b64encode(secrets.token_bytes(n)).decode()


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.counts = {}          # access key -> requests seen
        # ASIA key -> dict(secret, token, expires, mfa, arn, chained, kind ("user"
        # from GetSessionToken, "role"), user, source_identity, tags, transitive)
        self.sessions = {}
        self.used_codes = set()   # (serial, code)
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.issued = open(args.issued_log, "a", buffering=1) if args.issued_log else None
        self.trust = {}           # role name -> its trust policy
        for spec in args.trust_policy or []:
            name, _, path = spec.partition("=")
            self.trust[name] = trust_policy.load(path, ACCOUNT)

    def record(self, entry):
        if self.log:
            with self.lock:
                self.log.write(json.dumps(entry, sort_keys=True) + "\n")

    def bump(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


def error_doc(code, message, kind="Sender"):
    rid = rand_upper(8).lower()
    return (
        '<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message>'
        "</Error><RequestId>%s</RequestId></ErrorResponse>" % (NS, kind, code, message, rid)
    ).encode()


def creds_xml(key, secret, token, expiration):
    return (
        "<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>"
        "<SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>"
        % (key, secret, token, expiration)
    )


def wrap(action, inner):
    rid = rand_upper(8).lower()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<%sResponse xmlns="%s"><%sResult>%s</%sResult>'
        "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>"
        % (action, NS, action, inner, action, rid, action)
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-sts"
    # TLS 1.3 session tickets go out as small writes; with Nagle on, the
    # response then waits for the client's delayed ACK (40 ms every request).
    disable_nagle_algorithm = True
    entry = None       # this request's log line, until written
    issued_key = None  # the access key id this request handed out

    def log_message(self, fmt, *args):  # quiet
        pass

    # ---- plumbing -------------------------------------------------------
    def record(self, status):
        """Log this request once, before its answer leaves: a client that
        has its answer must find the line."""
        entry, self.entry = self.entry, None
        if entry is not None:
            entry["status"] = status
            entry["issued"] = self.issued_key  # an access key id, not a secret
            self.server.state.record(entry)

    def send(self, status, body, ctype="text/xml", extra=None):
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "fault-" + rand_upper(6).lower())
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.send(405, b"POST only", "text/plain")

    def do_POST(self):
        st = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
        action = form.get("Action", "")
        authz = self.headers.get("Authorization", "")
        fields = dict(p.strip().split("=", 1) for p in authz[len("AWS4-HMAC-SHA256 "):].split(",") if "=" in p)
        scope = fields.get("Credential", "").split("/")
        key = scope[0] if scope else ""
        region = scope[2] if len(scope) > 2 else ""
        scenario = next((s for s in SCENARIOS if key.startswith("AKIA" + s)), "OK")
        if key.startswith("ASIA"):
            with st.lock:
                issued_for = st.sessions.get(key, {}).get("scenario")
            if issued_for in INHERITED:
                scenario = issued_for
        n = st.bump(key)
        self.issued_key = None
        with st.lock:
            caller = st.sessions.get(key, {})
        tags, transitive = session_tags.parse(form)
        entry = {
            "t": time.time(), "action": action, "host": self.headers.get("Host", ""),
            "token_version": ("v1" if self.headers.get("X-Amz-Security-Token", "").startswith(V1_PREFIX)
                              else "v2" if self.headers.get("X-Amz-Security-Token", "").startswith(V2_PREFIX)
                              else None),
            "key": key, "region": region, "scenario": scenario, "n": n,
            "token": "X-Amz-Security-Token" in self.headers,
            "mfa": "TokenCode" in form, "serial": form.get("SerialNumber"),
            "duration": form.get("DurationSeconds"), "role_arn": form.get("RoleArn"),
            "session_name": form.get("RoleSessionName"), "external_id": form.get("ExternalId"),
            "source_identity": form.get("SourceIdentity"),
            # Tag values are no secrets: the tests read them back here.
            "tags": [[k, v] for k, v in tags], "transitive_tag_keys": transitive,
            # Signed with a role session's credentials: role chaining.
            "chained": caller.get("kind") == "role",
            "n_form": len(form),
            "user_agent": self.headers.get("User-Agent", ""),
        }
        self.entry = entry
        if self.headers.get("Host", "").startswith("ec2."):
            status = self.ec2(action, key, region, fields, body)
        else:
            status = self.respond(scenario, n, action, form, key, region, fields, body)
        self.record(status)  # the faults that never call send()

    # ---- a sliver of EC2, to show which tokens an opt-in region accepts ------
    def ec2(self, action, key, region, fields, body):
        st = self.server.state
        with st.lock:
            session = st.sessions.get(key)
        token = self.headers.get("X-Amz-Security-Token", "")
        rid = rand_upper(8).lower()
        def fail(status, code, msg):
            self.send(status, ('<?xml version="1.0"?><Response><Errors><Error><Code>%s</Code><Message>%s'
                               '</Message></Error></Errors><RequestID>%s</RequestID></Response>'
                               % (code, msg, rid)).encode())
            return status
        if session is None or token != session["token"] or self.now() >= session["expires"]:
            return fail(401, "AuthFailure", "AWS was not able to validate the provided access credentials")
        if not self.signature_ok(key, session["secret"], session, region, fields, body, service="ec2"):
            return fail(403, "SignatureDoesNotMatch", "signature mismatch")
        if region in OPT_IN_REGIONS and token.startswith(V1_PREFIX):
            return fail(401, "AuthFailure", "AWS was not able to validate the provided access credentials")
        if action != "DescribeInstances":
            return fail(400, "InvalidAction", "only DescribeInstances here")
        self.send(200, ('<?xml version="1.0" encoding="UTF-8"?><DescribeInstancesResponse '
                        'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>%s</requestId>'
                        '<reservationSet/></DescribeInstancesResponse>' % rid).encode())
        return 200

    # ---- faults ----------------------------------------------------------
    def respond(self, scenario, n, action, form, key, region, fields, body):
        a = self.server.state.args
        if scenario == "DELAY":
            time.sleep(a.delay_seconds)
        if scenario == "ROLEINVALIDKEYS" and key.startswith("ASIA"):
            # The long-term keys work; the session they bought is refused.
            self.send(403, error_doc("InvalidClientTokenId", "The security token included in the request is invalid."))
            return 403
        if scenario == "THROTTLEALWAYS" or (scenario == "THROTTLEONCE" and n == 1):
            self.send(400, error_doc("Throttling", "Rate exceeded"))
            return 400
        if scenario == "ERROR500" or (scenario == "ERROR500ONCE" and n == 1):
            self.send(500, error_doc("InternalFailure", "internal failure", "Receiver"))
            return 500
        if scenario == "UNAVAILABLE":
            self.send(503, b"", "text/plain")
            return 503
        if scenario == "HANG":
            time.sleep(a.hang_seconds)
            self.close_connection = True
            return 0
        if scenario == "CLOSE":
            self.close_connection = True
            return 0
        if scenario == "SLOW":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", "4096")
            self.end_headers()
            for _ in range(int(a.hang_seconds)):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
            self.close_connection = True
            return 200
        if scenario == "TRUNCATED":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", "2000")
            self.end_headers()
            self.wfile.write(b"<GetSessionTokenResponse><GetSessionTokenResult>")
            self.wfile.flush()
            self.close_connection = True
            return 200
        if scenario == "NOTXML":
            self.send(200, b"<html><body>Service moved</body></html>", "text/html")
            return 200
        if scenario == "GARBAGE":
            self.send(200, secrets.token_bytes(512), "application/octet-stream")
            return 200
        if scenario == "OVERSIZE":
            self.send(200, b"<a>" + b"x" * (2 * 1024 * 1024) + b"</a>")
            return 200
        if scenario == "HUGE":
            # 64 MiB announced and streamed; the client must stop at its cap.
            size = 64 * 1024 * 1024
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass
            self.close_connection = True
            return 200
        if scenario == "OVERSIZECHUNKED":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(40):  # 2.5 MiB
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass
            self.close_connection = True
            return 200
        if scenario == "ENTITYBOMB":
            ents = '<!ENTITY a0 "lol">' + "".join(
                '<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10) for i in range(1, 10))
            self.send(200, ('<?xml version="1.0"?><!DOCTYPE r [%s]><%sResponse>&a9;</%sResponse>'
                            % (ents, action, action)).encode())
            return 200
        if scenario == "EXTENTITY":
            self.send(200, ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                            "<%sResponse>&e;</%sResponse>" % (action, action)).encode())
            return 200
        if scenario == "REDIRECT":
            self.send(302, b"", "text/plain", {"Location": "http://169.254.169.254/latest/"})
            return 302
        errors = {
            "DENIED": (403, "AccessDenied", "User: arn:aws:iam::%s:user/x is not authorized to perform: sts:%s" % (ACCOUNT, action)),
            "INVALIDKEYS": (403, "InvalidClientTokenId", "The security token included in the request is invalid."),
            "EXPIRED": (400, "ExpiredToken", "The security token included in the request is expired"),
            "REGIONDISABLED": (403, "RegionDisabledException", "STS is not activated in this region for account:%s." % ACCOUNT),
            "SKEW": (403, "SignatureDoesNotMatch", "Signature expired: 20150830T123600Z is now earlier than 20991231T000000Z"),
            "HOSTILEERROR": (403, "Weird\nCode", "line one\nline two\t" + "A" * 600),
            "CTLERROR": (403, "AccessDenied", "bell\x07 escape\x1b"),
            # A message that would forge key=value fields in an unescaped log line.
            "QUOTEERROR": (403, "AccessDenied", 'denied" outcome=success user=root latency_ms="0'),
        }
        if scenario in errors:
            status, code, msg = errors[scenario]
            self.send(status, error_doc(code, msg))
            return status
        return self.sts(scenario, action, form, key, region, fields, body)

    def now(self):
        """Server time; with --clock-from-request, the client's signed X-Amz-Date,
        so a client under faketime meets a server that agrees with it."""
        if self.server.state.args.clock_from_request:
            try:
                return calendar.timegm(time.strptime(self.headers.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ"))
            except ValueError:
                pass
        return time.time()

    # ---- the real STS behaviour -------------------------------------------
    def sts(self, scenario, action, form, key, region, fields, body):
        st = self.server.state
        session = None
        if key.startswith("ASIA"):
            with st.lock:
                session = st.sessions.get(key)
            if session is None or self.headers.get("X-Amz-Security-Token") != session["token"]:
                self.send(403, error_doc("InvalidClientTokenId", "The security token included in the request is invalid."))
                return 403
            if self.now() >= session["expires"]:
                self.send(400, error_doc("ExpiredToken", "The security token included in the request is expired"))
                return 400
            secret = session["secret"]
        elif key.startswith("AKIA"):
            secret = LONG_TERM_SECRET
        else:
            self.send(403, error_doc("InvalidClientTokenId", "The security token included in the request is invalid."))
            return 403
        if not self.signature_ok(key, secret, session, region, fields, body):
            self.send(403, error_doc("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."))
            return 403

        if "TokenCode" in form and not self.code_ok(form.get("SerialNumber"), form["TokenCode"],
                                                    load=scenario == "LOAD"):
            self.send(403, error_doc("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. "))
            return 403
        mfa = "TokenCode" in form or (session is not None and session["mfa"])
        host = self.headers.get("Host", "")
        token_prefix = V1_PREFIX if host.split(":")[0] == "sts.amazonaws.com" else V2_PREFIX

        if action == "GetSessionToken":
            if session is not None:
                self.send(403, error_doc("AccessDenied", "Cannot call GetSessionToken with session credentials"))
                return 403
            duration = int(form.get("DurationSeconds", "43200"))
            if not 900 <= duration <= 129600:
                self.send(400, error_doc("ValidationError", "DurationSeconds out of range"))
                return 400
            user = key[4:12].lower()
            return self.issue(action, duration, mfa, "arn:aws:iam::%s:user/%s" % (ACCOUNT, user),
                              token_prefix, scenario, chained=False, kind="user", user=user)
        if action == "AssumeRole":
            return self.assume_role(scenario, form, key, session, mfa, token_prefix)
        if action == "GetCallerIdentity":
            arn = session["arn"] if session else "arn:aws:iam::%s:user/%s" % (ACCOUNT, key[4:12].lower())
            inner = "<Arn>%s</Arn><UserId>AIDA%s</UserId><Account>%s</Account>" % (arn, key[4:16], ACCOUNT)
            self.send(200, wrap(action, inner))
            return 200
        self.send(400, error_doc("InvalidAction", "Could not find operation %s" % action))
        return 400

    def refuse(self, status, code, message):
        self.send(status, error_doc(code, message))
        return status

    def assume_role(self, scenario, form, key, session, mfa, token_prefix):
        arn = form.get("RoleArn", "")
        name = form.get("RoleSessionName", "")
        duration = int(form.get("DurationSeconds", "3600"))
        if not arn.startswith("arn:aws:iam::") or ":role/" not in arn or not name:
            return self.refuse(400, "ValidationError", "RoleArn or RoleSessionName invalid")
        # AWS counts a GetSessionToken session as a link of the chain too.
        if session is not None and duration > 3600:
            return self.refuse(400, "ValidationError",
                               "The requested DurationSeconds exceeds the 1 hour session limit "
                               "for roles assumed by role chaining.")
        from_role = session is not None and session["kind"] == "role"

        # SourceIdentity: set once, then kept by every session chained from it.
        given = form.get("SourceIdentity")
        kept = session["source_identity"] if from_role else None
        if given is not None and (not re.fullmatch(r"[\w+=,.@-]{2,64}", given, re.ASCII)
                                  or given.lower().startswith("aws:")):
            return self.refuse(400, "ValidationError",
                               "1 validation error detected: Value at 'sourceIdentity' failed to "
                               "satisfy constraint: Member must satisfy regular expression pattern: "
                               "[\\w+=,.@-]*")
        if kept is not None and given is not None and given != kept:
            return self.refuse(403, "AccessDenied",
                               "User: %s is not authorized to perform: sts:SetSourceIdentity on "
                               "resource: %s: the source identity of a role session cannot be "
                               "changed" % (session["arn"], arn))
        source_identity = given if given is not None else kept

        tags, transitive = session_tags.parse(form)
        inherited = session["transitive"] if from_role else {}
        err = session_tags.check(tags, transitive, inherited)
        if err:
            return self.refuse(*err)
        every, carried = session_tags.session_tags(tags, transitive, inherited)

        role = arn.split(":role/", 1)[1].split("/")[-1]
        if "mfa" in role.lower() and not mfa:
            return self.refuse(403, "AccessDenied", "Not authorized to perform sts:AssumeRole (MFA required)")
        policy = self.server.state.trust.get(role)
        if policy is not None:
            caller_arn = session["arn"] if session else "arn:aws:iam::%s:user/%s" % (ACCOUNT, key[4:12].lower())
            # The request context IAM builds for the trust policy.
            context = {"aws:principaltype": "AssumedRole" if from_role else "User",
                       "aws:principalarn": caller_arn, "aws:principalaccount": ACCOUNT}
            if not from_role:
                context["aws:username"] = session["user"] if session else key[4:12].lower()
            if session is not None:
                context["aws:multifactorauthpresent"] = "true" if session["mfa"] else "false"
            elif "TokenCode" in form:
                context["aws:multifactorauthpresent"] = "true"  # the code of this very call
            if source_identity is not None:
                context["sts:sourceidentity"] = source_identity
            # Setting (or carrying) a source identity or tags needs its own action.
            actions = ["sts:AssumeRole"]
            if source_identity is not None:
                actions.append("sts:SetSourceIdentity")
            if every:
                actions.append("sts:TagSession")
            for act in actions:
                if not trust_policy.allowed(policy, act, caller_arn, context):
                    return self.refuse(403, "AccessDenied",
                                       "User: %s is not authorized to perform: %s on resource: %s"
                                       % (caller_arn, act, arn))

        self.entry["session_source_identity"] = source_identity
        self.entry["session_tags"] = sorted([k, v] for k, v in every.values())
        assumed = "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, name)
        extra = "<AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROA%s:%s</AssumedRoleId></AssumedRoleUser>" % (
            assumed, rand_upper(16), name)
        if source_identity is not None:
            extra += "<SourceIdentity>%s</SourceIdentity>" % source_identity
        return self.issue("AssumeRole", duration, mfa, assumed, token_prefix, scenario,
                          chained=session is not None, extra=extra, kind="role",
                          source_identity=source_identity, transitive=carried)

    def issue(self, action, duration, mfa, arn, token_prefix, scenario, chained, extra="",
              kind="user", user=None, source_identity=None, transitive=None):
        st = self.server.state
        key = "ASIA" + rand_upper(16)
        secret = rand_b64(30)
        token = token_prefix + rand_b64(180)
        expires = self.now() + duration
        with st.lock:
            st.sessions[key] = {"secret": secret, "token": token, "expires": expires,
                                "mfa": mfa, "arn": arn, "chained": chained, "scenario": scenario,
                                "kind": kind, "user": user, "source_identity": source_identity,
                                "transitive": transitive or {}}
            if st.issued:
                st.issued.write("%s\n%s\n" % (secret, token))
        self.issued_key = key
        expiration = iso(expires)
        if scenario == "NEWLINE":
            secret = secret[:10] + "\n[evil]\naws_access_key_id = AKIAEVIL" + secret[10:]
        if scenario == "MISSINGFIELD":
            token = None
        if scenario == "BADEXPIRATION":
            expiration = "soon"
        if scenario == "PASTEXPIRATION":
            expiration = iso(self.now() - 60)
        creds = creds_xml(key, secret, token, expiration)
        if token is None:
            creds = creds.replace("<SessionToken>None</SessionToken>", "")
        doc = wrap(action, extra + creds)
        if scenario == "TRUNCXML":
            doc = doc[: len(doc) // 2]
        self.send(200, doc)
        return 200

    def code_ok(self, serial, code, load=False):
        st = self.server.state
        if not serial or not st.args.totp_secret:
            return False
        now = time.time()
        steps = range(-5, 6) if load else (-1, 0, 1)
        valid = {totp(st.args.totp_secret, now + d * 30) for d in steps}
        if load:
            return code in valid
        with st.lock:
            if code not in valid or (serial, code) in st.used_codes:
                return False
            st.used_codes.add((serial, code))
        return True

    def signature_ok(self, key, secret, session, region, fields, body, service="sts"):
        signed = fields.get("SignedHeaders", "").split(";")
        headers = {k: v for k, v in self.headers.items() if k.lower() in signed}
        if "X-Amz-Date" not in headers:
            return False
        creds = Credentials(key, secret, session["token"] if session else None)
        auth = SigV4Auth(creds, service, region)
        req = AWSRequest(method="POST", url="https://%s/" % self.headers.get("Host", ""),
                         data=body, headers=headers)
        req.context["timestamp"] = headers["X-Amz-Date"]
        creq = auth.canonical_request(req)
        sts = auth.string_to_sign(req, creq)
        return hmac.compare_digest(auth.signature(sts, req), fields.get("Signature", ""))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # a client that hangs up is part of the tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--issued-log")
    ap.add_argument("--totp-secret")
    ap.add_argument("--hang-seconds", type=float, default=20)
    ap.add_argument("--delay-seconds", type=float, default=1.8,
                    help="DELAY keys (and what they were issued): every answer this late")
    ap.add_argument("--clock-from-request", action="store_true")
    ap.add_argument("--trust-policy", action="append", metavar="ROLE=FILE",
                    help="assume ROLE only as the trust policy in FILE allows (ACCOUNT_ID "
                         "in it taken as this STS's account)")
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    srv = Server((args.host, args.port), Handler)
    srv.state = State(args)
    # Handshake in the handler thread, so one stalled client blocks nobody.
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    sys.stdout.write("fault-sts listening on https://%s:%d/\n" % (args.host, port))
    sys.stdout.flush()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
