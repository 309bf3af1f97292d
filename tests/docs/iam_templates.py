#!/usr/bin/env python3
"""Checks the IAM templates of a directory (tests/docs/check-iam-templates
starts the moto it is given). For each *.json: JSON without a repeated key,
Version 2012-10-17, every placeholder (ACCOUNT_ID, ROLE_NAME, KMS_KEY_ID:
capitals and underscores; and REGION) named in the directory's README.md
with a test value here, and, placeholders filled, taken by moto's IAM: a
trust policy (statements with a Principal) through CreateRole and
UpdateAssumeRolePolicy, any other through CreatePolicy.
Prints "ok   ..." or "FAIL ..." a check and the total; exits 1 on a FAIL."""
import argparse
import glob
import json
import os
import re
import sys

import boto3
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"  # moto's default account
FILLED = {"ACCOUNT_ID": ACCOUNT, "ROLE_NAME": "bastion", "REGION": "eu-west-1",
          "KMS_KEY_ID": "1234abcd-12ab-34cd-56ef-1234567890ab"}
# Capitals with underscores; REGION, the one placeholder without one, by name
# (a bare capital word such as "AWS" in a Principal is no placeholder).
PLACEHOLDER = re.compile(r"\b(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|REGION)\b")
TRUST_OF_NOBODY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
    "Action": "sts:AssumeRole"}]})

passed = failed = 0


def check(what, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + (": " + why if why else ""))


def no_repeats(pairs):
    keys = [k for k, _ in pairs]
    repeated = {k for k in keys if keys.count(k) > 1}
    if repeated:
        raise ValueError("repeated key %s" % ", ".join(sorted(repeated)))
    return dict(pairs)


def statements(doc):
    st = doc.get("Statement", [])
    return st if isinstance(st, list) else [st]


def moto_takes(iam, name, text, trust):
    """None when moto's IAM takes the document, else its error."""
    try:
        if trust:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_OF_NOBODY)
            # CreateRole stores any document; UpdateAssumeRolePolicy checks it.
            iam.update_assume_role_policy(RoleName=name, PolicyDocument=text)
            iam.create_role(RoleName=name + "-created", AssumeRolePolicyDocument=text)
        else:
            iam.create_policy(PolicyName=name, PolicyDocument=text)
        return None
    except ClientError as e:
        return "%s: %s" % (e.response["Error"]["Code"], e.response["Error"]["Message"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--moto", required=True, help="moto_server's URL")
    ap.add_argument("dir")
    args = ap.parse_args()
    iam = boto3.client("iam", endpoint_url=args.moto, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    readme_path = os.path.join(args.dir, "README.md")
    readme = open(readme_path).read() if os.path.exists(readme_path) else ""
    check("%s exists" % readme_path, readme != "")

    # Moto must be able to say no, or its yes means nothing.
    bad = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Action": "not-an-action", "Resource": "*"}]})
    check("moto refuses a malformed policy", moto_takes(iam, "malformed", bad, False) is not None)
    bad_trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                            "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
                            "Action": "s3:GetObject", "Resource": "*"}]})
    check("moto refuses a malformed trust policy",
          moto_takes(iam, "malformed-trust", bad_trust, True) is not None)

    files = sorted(glob.glob(os.path.join(args.dir, "*.json")))
    check("%s holds templates" % args.dir, len(files) > 0)
    for i, path in enumerate(files):
        base = os.path.basename(path)
        with open(path) as f:
            text = f.read()
        try:
            doc = json.loads(text, object_pairs_hook=no_repeats)
        except ValueError as e:
            check("%s is JSON" % path, False, str(e))
            continue
        check("%s is JSON" % path, isinstance(doc, dict), "not an object")
        if not isinstance(doc, dict):
            continue
        check("%s has Version 2012-10-17" % path, doc.get("Version") == "2012-10-17",
              "Version is %r" % doc.get("Version"))
        check("%s is explained in README.md" % path, base in readme)
        for name in sorted(set(PLACEHOLDER.findall(text))):
            check("%s: placeholder %s is explained in README.md" % (path, name), name in readme)
            check("%s: placeholder %s has a test value" % (path, name), name in FILLED)
        filled = text
        for name, value in FILLED.items():
            filled = filled.replace(name, value)
        trust = any("Principal" in st for st in statements(doc))
        err = moto_takes(iam, "template%d" % i, filled, trust)
        check("%s is a %s moto's IAM takes" % (path, "trust policy" if trust else "policy"),
              err is None, err or "")

    print("iam: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
