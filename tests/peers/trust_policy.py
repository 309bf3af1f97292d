"""A role trust policy, evaluated as IAM evaluates one for AssumeRole.

Only what the templates in conf/iam use is understood: Allow and Deny
statements, an AWS principal (an account's root, an ARN or "*"), actions
with wildcards, and the condition operators below with ${...} policy
variables. Anything else is refused when the policy is loaded, so a
template that grows past this evaluator fails the peers' start instead of
being half-checked.
"""
import fnmatch
import json
import re

OPERATORS = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike",
             "StringNotLike", "Bool", "Null"}
STATEMENT_KEYS = {"Sid", "Effect", "Principal", "Action", "Condition"}
VARIABLE = re.compile(r"\$\{([^}]+)\}")


class PolicyError(Exception):
    pass


def as_list(v):
    return v if isinstance(v, list) else [v]


def operator_parts(op):
    """StringLikeIfExists -> ("StringLike", True)."""
    if op.endswith("IfExists"):
        return op[: -len("IfExists")], True
    return op, False


def load(path, account):
    """The policy at path, with the templates' ACCOUNT_ID placeholder as account."""
    with open(path) as f:
        text = f.read().replace("ACCOUNT_ID", account)
    doc = json.loads(text)
    if doc.get("Version") != "2012-10-17":
        raise PolicyError("%s: Version must be 2012-10-17" % path)
    for st in as_list(doc.get("Statement", [])):
        unknown = set(st) - STATEMENT_KEYS
        if unknown:
            raise PolicyError("%s: statement keys not understood here: %s" % (path, sorted(unknown)))
        if st.get("Effect") not in ("Allow", "Deny"):
            raise PolicyError("%s: Effect must be Allow or Deny" % path)
        if set(st.get("Principal", {})) - {"AWS"}:
            raise PolicyError("%s: only AWS principals are understood here" % path)
        for op in st.get("Condition", {}):
            if operator_parts(op)[0] not in OPERATORS:
                raise PolicyError("%s: condition operator %s not understood here" % (path, op))
    return doc


def principal_matches(patterns, caller_arn):
    account = caller_arn.split(":")[4]
    for p in as_list(patterns):
        if p == "*" or p == caller_arn:
            return True
        # An account (its root, or its bare id) trusts every principal in it
        # that its own IAM policies let assume the role.
        if p in (account, "arn:aws:iam::%s:root" % account):
            return True
    return False


def substitute(value, context):
    """The value with its ${key} variables filled in; None when one is missing
    (IAM then takes the condition as not met)."""
    missing = []

    def fill(m):
        v = context.get(m.group(1).lower())
        if v is None:
            missing.append(m.group(1))
            return ""
        return v
    out = VARIABLE.sub(fill, value)
    return None if missing else out


def condition_met(op, key, wanted, context):
    base, if_exists = operator_parts(op)
    actual = context.get(key.lower())
    if base == "Null":
        return (actual is None) == (str(as_list(wanted)[0]).lower() == "true")
    if actual is None:
        # A missing key meets a negated operator and, with IfExists, any.
        return if_exists or base in ("StringNotEquals", "StringNotLike")
    values = [substitute(str(w), context) for w in as_list(wanted)]
    values = [v for v in values if v is not None]
    if base == "Bool":
        return any(actual.lower() == v.lower() for v in values)
    if base == "StringEquals":
        return actual in values
    if base == "StringNotEquals":
        return actual not in values
    if base == "StringEqualsIgnoreCase":
        return actual.lower() in (v.lower() for v in values)
    if base == "StringLike":
        return any(fnmatch.fnmatchcase(actual, v) for v in values)
    if base == "StringNotLike":
        return not any(fnmatch.fnmatchcase(actual, v) for v in values)
    raise PolicyError("operator %s" % op)


def statement_applies(st, action, caller_arn, context):
    if not principal_matches(st.get("Principal", {}).get("AWS", []), caller_arn):
        return False
    if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in as_list(st.get("Action", []))):
        return False
    for op, keys in st.get("Condition", {}).items():
        for key, wanted in keys.items():
            if not condition_met(op, key, wanted, context):
                return False
    return True


def allowed(doc, action, caller_arn, context):
    """IAM's rule: an explicit Deny wins, then an Allow is needed."""
    statements = as_list(doc.get("Statement", []))
    applying = [st for st in statements if statement_applies(st, action, caller_arn, context)]
    if any(st["Effect"] == "Deny" for st in applying):
        return False
    return any(st["Effect"] == "Allow" for st in applying)
