#!/usr/bin/env python3
"""A small SSM over HTTPS for the refusals moto cannot give.

It answers GetParameter in awsJson1.1 as SSM does, checks every SigV4
signature (botocore's signer, for service ssm) against the credentials in
--creds (the instance role's; its session token must come with them), and
picks the fault from the parameter's name, /fault/SCENARIO/USER:

  denied          AccessDeniedException for ssm:GetParameter
  kms-denied      AccessDeniedException passed on from KMS (kms:Decrypt)
  kms-code        KMSAccessDeniedException
  throttle-once   ThrottlingException, then the parameter (per name)
  throttle-always ThrottlingException every time
  ok              the parameter

The parameter is a SecureString whose value is --value-file's text. Every
request is one JSON line in --log: target, name, scenario, whether the
signature held, status; never a credential or the value.
"""
import argparse
import hmac
import json
import os
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCOUNT = "123456789012"
SCENARIOS = ("denied", "kms-denied", "kms-code", "throttle-once", "throttle-always", "ok")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Server"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, doc, entry):
        entry["status"] = status
        st = self.server
        with st.lock:
            if st.log:
                st.log.write(json.dumps(entry, sort_keys=True) + "\n")
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message, entry):
        self.reply(status, {"__type": code, "message": message}, entry)

    def signature_ok(self, fields, region, body):
        c = self.server.creds
        signed = fields.get("SignedHeaders", "").split(";")
        headers = {k: v for k, v in self.headers.items() if k.lower() in signed}
        if "X-Amz-Date" not in headers or self.headers.get("X-Amz-Security-Token") != c["Token"]:
            return False
        auth = SigV4Auth(Credentials(c["AccessKeyId"], c["SecretAccessKey"], c["Token"]), "ssm",
                         region)
        req = AWSRequest(method="POST", url="https://%s/" % self.headers.get("Host", ""),
                         data=body, headers=headers)
        req.context["timestamp"] = headers["X-Amz-Date"]
        sts = auth.string_to_sign(req, auth.canonical_request(req))
        return hmac.compare_digest(auth.signature(sts, req), fields.get("Signature", ""))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        authz = self.headers.get("Authorization", "")
        fields = dict(p.strip().split("=", 1)
                      for p in authz[len("AWS4-HMAC-SHA256 "):].split(",") if "=" in p)
        scope = fields.get("Credential", "").split("/")
        region = scope[2] if len(scope) > 2 else ""
        target = self.headers.get("X-Amz-Target", "")
        entry = {"t": time.time(), "target": target, "region": region,
                 "content_type": self.headers.get("Content-Type", "")}
        if not self.signature_ok(fields, region, body) or len(scope) < 4 or scope[3] != "ssm":
            entry["signature"] = False
            return self.error(400, "UnrecognizedClientException",
                              "The security token included in the request is invalid.", entry)
        entry["signature"] = True
        if target != "AmazonSSM.GetParameter" or \
                entry["content_type"] != "application/x-amz-json-1.1":
            return self.error(400, "UnknownOperationException", "", entry)
        try:
            req = json.loads(body)
            name = req["Name"]
        except (ValueError, KeyError, TypeError):
            return self.error(400, "SerializationException", "", entry)
        parts = name.split("/")
        scenario = parts[2] if len(parts) == 4 and parts[1] == "fault" else "none"
        entry.update(name=name, scenario=scenario, decryption=req.get("WithDecryption"))
        with self.server.lock:
            n = self.server.counts[name] = self.server.counts.get(name, 0) + 1
        entry["n"] = n
        who = "arn:aws:sts::%s:assumed-role/bastion-instance-role/i-0123456789abcdef0" % ACCOUNT
        res = "arn:aws:ssm:%s:%s:parameter%s" % (region, ACCOUNT, name)
        if scenario == "denied":
            return self.error(400, "AccessDeniedException",
                              "User: %s is not authorized to perform: ssm:GetParameter on "
                              "resource: %s because no identity-based policy allows the "
                              "ssm:GetParameter action" % (who, res), entry)
        if scenario == "kms-denied":
            return self.error(400, "AccessDeniedException",
                              "User: %s is not authorized to perform: kms:Decrypt on resource: "
                              "arn:aws:kms:%s:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab because "
                              "no identity-based policy allows the kms:Decrypt action (Service: "
                              "AWSKMS; Status Code: 400; Error Code: AccessDeniedException; "
                              "Request ID: %s; Proxy: null)"
                              % (who, region, ACCOUNT, uuid.uuid4()), entry)
        if scenario == "kms-code":
            return self.error(400, "KMSAccessDeniedException",
                              "The ciphertext refers to a customer master key that does not "
                              "exist, does not exist in this region, or you are not allowed to "
                              "access.", entry)
        if scenario == "throttle-always" or (scenario == "throttle-once" and n == 1):
            return self.error(400, "ThrottlingException", "Rate exceeded", entry)
        if scenario not in SCENARIOS:
            return self.error(400, "ParameterNotFound", "", entry)
        self.reply(200, {"Parameter": {
            "ARN": res, "DataType": "text", "LastModifiedDate": time.time(), "Name": name,
            "Type": "SecureString", "Value": self.server.value, "Version": 1,
        }}, entry)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--creds", required=True)
    ap.add_argument("--value-file", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    srv = Server((args.host, 0), Handler)
    srv.lock = threading.Lock()
    srv.counts = {}
    srv.log = open(args.log, "a", buffering=1) if args.log else None
    with open(args.creds) as f:
        srv.creds = json.load(f)
    with open(args.value_file) as f:
        srv.value = f.read()
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, args.port_file)
    sys.stdout.write("fault-ssm on https://%s:%d/\n" % (args.host, srv.server_address[1]))
    sys.stdout.flush()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
