#!/usr/bin/env python3
"""Prepare a running moto_server for keys = ssm:NAME, before its auth is on.

Creates, through moto's IAM, STS, KMS and SSM APIs: the instance role
bastion-instance-role (ssm:GetParameter and kms:Decrypt only), assumed once
for the credentials the IMDS stand-in serves (--creds-out); user ssm-alice
with an access key, the long-term keys a parameter holds (--value-out); a
KMS key; and in --region the parameters:

  /bastion/keys/alice   SecureString, the keys (aws-mfa's member names)
  /bastion/uid/4242     SecureString, the keys (the AWS CLI's member names)
  /bastion/fault-sts/alice  SecureString, keys of the fault STS (the default flow)
  /bastion/fault-sts/ssmplan  the same kind, with a device of its own
  /bastion/keys/plain   String: refused, keys must be encrypted at rest
  /bastion/keys/broken  SecureString, truncated JSON
  /bastion/keys/extra   SecureString, a member no keys section has
  /bastion/keys/NAME    for each --keys-for NAME: alice's, the same value
                        (a test's own login user, e.g. the ssh e2e's)

Writes shell-style KEY=value lines to --env-out.
"""
import argparse
import json

import boto3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--region", default="eu-west-1")
    ap.add_argument("--creds-out", required=True)
    ap.add_argument("--value-out", required=True)
    ap.add_argument("--env-out", required=True)
    ap.add_argument("--keys-for", action="append", default=[], metavar="NAME",
                    help="also /bastion/keys/NAME with ssm-alice's keys")
    args = ap.parse_args()

    kw = dict(endpoint_url=args.url, region_name=args.region, verify=args.ca,
              aws_access_key_id="AKIASETUP0000000000", aws_secret_access_key="setup")
    iam = boto3.client("iam", **kw)
    sts = boto3.client("sts", **kw)
    kms = boto3.client("kms", **kw)
    ssm = boto3.client("ssm", **kw)
    account = sts.get_caller_identity()["Account"]

    role = iam.create_role(RoleName="bastion-instance-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    }))["Role"]
    iam.put_role_policy(RoleName="bastion-instance-role", PolicyName="keys",
                        PolicyDocument=json.dumps({
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow",
                                           "Action": ["ssm:GetParameter", "kms:Decrypt"],
                                           "Resource": "*"}],
                        }))
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="i-0123456789abcdef0",
                            DurationSeconds=3600)["Credentials"]
    with open(args.creds_out, "w") as f:
        json.dump({"AccessKeyId": creds["AccessKeyId"],
                   "SecretAccessKey": creds["SecretAccessKey"],
                   "Token": creds["SessionToken"],
                   "Expiration": creds["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")}, f)

    user = iam.create_user(UserName="ssm-alice")["User"]
    key = iam.create_access_key(UserName="ssm-alice")["AccessKey"]
    mfa = "arn:aws:iam::%s:mfa/ssm-alice" % account
    target = "arn:aws:iam::%s:role/bastion-admin" % account
    # What a bastion user's keys may do once moto checks policies: STS
    # (moto matches an action's resource as "*", so no role ARN here).
    iam.put_user_policy(UserName="ssm-alice", PolicyName="bastion", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow",
                       "Action": "sts:*", "Resource": "*"}],
    }))
    # Trusting the user by ARN: moto does not read an account's :root.
    iam.create_role(RoleName="bastion-admin", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": user["Arn"]},
                       "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]}],
    }))
    value = json.dumps({"aws_access_key_id": key["AccessKeyId"],
                        "aws_secret_access_key": key["SecretAccessKey"],
                        "aws_mfa_device": mfa, "assume_role": target})
    with open(args.value_out, "w") as f:
        f.write(value)

    key_id = kms.create_key(Description="bastion keys")["KeyMetadata"]["KeyId"]

    def put(name, v, kind="SecureString"):
        extra = {"KeyId": key_id} if kind == "SecureString" else {}
        ssm.put_parameter(Name=name, Value=v, Type=kind, **extra)

    put("/bastion/keys/alice", value)
    for name in args.keys_for:
        put("/bastion/keys/" + name, value)
    put("/bastion/uid/4242", json.dumps({"aws_access_key_id": key["AccessKeyId"],
                                         "aws_secret_access_key": key["SecretAccessKey"],
                                         "mfa_serial": mfa, "role_arn": target}))
    # Keys the fault STS takes (its OK scenario, its one secret), for the
    # default flow, which moto cannot serve: GetSessionToken, then the role.
    put("/bastion/fault-sts/alice", json.dumps({
        "aws_access_key_id": "AKIAOKSSMALICE000000",
        "aws_secret_access_key": "faultSTSsecretKEY/0123456789abcdefghijkl",
        "aws_mfa_device": "arn:aws:iam::123456789012:mfa/ssmalice",
        "assume_role": "arn:aws:iam::123456789012:role/bastion-admin"}))
    # The same for test_checkplan.c's user, with a device of its own, so
    # that its login never spends a code test_ssm.c's alice needs.
    put("/bastion/fault-sts/ssmplan", json.dumps({
        "aws_access_key_id": "AKIAOKSSMPLAN0000000",
        "aws_secret_access_key": "faultSTSsecretKEY/0123456789abcdefghijkl",
        "aws_mfa_device": "arn:aws:iam::123456789012:mfa/ssmplan",
        "assume_role": "arn:aws:iam::123456789012:role/bastion-admin"}))
    put("/bastion/keys/plain", value, "String")
    put("/bastion/keys/broken", value[:60])
    put("/bastion/keys/extra", json.dumps({"aws_access_key_id": key["AccessKeyId"],
                                           "aws_secret_access_key": key["SecretAccessKey"],
                                           "region": args.region}))

    with open(args.env_out, "w") as f:
        for k, v in {
            "SSM_REGION": args.region,
            "SSM_USER_KEY_ID": key["AccessKeyId"],
            "SSM_USER_SECRET": key["SecretAccessKey"],
            "SSM_USER_MFA": mfa,
            "SSM_USER_ROLE": target,
            "IMDS_ROLE": "bastion-instance-role",
            "IMDS_ROLE_KEY_ID": creds["AccessKeyId"],
            "IMDS_ROLE_SECRET": creds["SecretAccessKey"],
        }.items():
            f.write("%s=%s\n" % (k, v))


if __name__ == "__main__":
    main()
