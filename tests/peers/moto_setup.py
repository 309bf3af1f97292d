#!/usr/bin/env python3
"""Prepare a running moto_server for the tests, then turn its auth on.

Creates, through moto's IAM API: user alice (inline policy allowing sts:* and
iam:ListMFADevices)
with an access key and a virtual MFA device, enabled, user nobody with a key and no
policy, and role demo-role that alice may assume. Then POSTs 0 to
/moto-api/reset-auth so moto checks signatures, keys and IAM policies for
every request after. Writes shell-style KEY=value lines to --env-out.
"""
import argparse
import json
import sys
import urllib.request
import ssl

import boto3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--env-out", required=True)
    args = ap.parse_args()

    kw = dict(endpoint_url=args.url, region_name="us-east-1", verify=args.ca,
              aws_access_key_id="AKIASETUP0000000000", aws_secret_access_key="setup")
    iam = boto3.client("iam", **kw)
    sts = boto3.client("sts", **kw)
    account = sts.get_caller_identity()["Account"]

    alice = iam.create_user(UserName="alice")["User"]
    iam.put_user_policy(UserName="alice", PolicyName="sts", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"},
                      # awssts check --probe lists her MFA devices (conf/iam's user policy)
                      {"Effect": "Allow", "Action": "iam:ListMFADevices", "Resource": "*"}],
    }))
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    seed = mfa["Base32StringSeed"]
    seed = seed.decode() if isinstance(seed, bytes) else seed
    iam.enable_mfa_device(UserName="alice", SerialNumber=mfa["SerialNumber"],
                          AuthenticationCode1="123456", AuthenticationCode2="654321")

    iam.create_user(UserName="nobody")
    nobody = iam.create_access_key(UserName="nobody")["AccessKey"]

    role = iam.create_role(RoleName="demo-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": alice["Arn"]},
                       "Action": "sts:AssumeRole"}],
    }))["Role"]

    ctx = ssl.create_default_context(cafile=args.ca)
    req = urllib.request.Request(args.url.rstrip("/") + "/moto-api/reset-auth", data=b"0",
                                 headers={"Content-Type": "text/plain"}, method="POST")
    with urllib.request.urlopen(req, context=ctx) as r:
        if r.status != 200:
            sys.exit("reset-auth failed: %d" % r.status)

    with open(args.env_out, "w") as f:
        for k, v in {
            "MOTO_ACCOUNT": account,
            "MOTO_USER_ARN": alice["Arn"],
            "MOTO_KEY_ID": key["AccessKeyId"],
            "MOTO_SECRET": key["SecretAccessKey"],
            "MOTO_NOBODY_KEY_ID": nobody["AccessKeyId"],
            "MOTO_NOBODY_SECRET": nobody["SecretAccessKey"],
            "MOTO_ROLE_ARN": role["Arn"],
            "MOTO_MFA_SERIAL": mfa["SerialNumber"],
            "MOTO_MFA_SEED": seed,
        }.items():
            f.write("%s=%s\n" % (k, v))


if __name__ == "__main__":
    main()
