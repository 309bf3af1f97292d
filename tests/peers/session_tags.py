"""AssumeRole's session tags as STS checks them.

STS's own rules, not libawssts's (which refuses some of these before
sending, and allows only the ASCII part of STS's characters): so the tests
can show both that the library refuses first and what STS would answer.
Each check returns None or (HTTP status, error code, message).
"""
import re
import unicodedata

MAX_TAGS = 50
KEY_MAX = 128
VALUE_MAX = 256
PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]"
MEMBER = re.compile(r"^(Tags|TransitiveTagKeys)\.member\.(\d+)(?:\.(Key|Value))?$")


def allowed_char(c):
    """\\p{L}, \\p{Z}, \\p{N} or one of _.:/=+-@."""
    return unicodedata.category(c)[0] in "LZN" or c in "_.:/=+-@"


def parse(form):
    """(tags as [(key, value)], transitive keys), each in member order.
    A Key without its Value (or the reverse) is kept with None."""
    tags, transitive = {}, {}
    for name, value in form.items():
        m = MEMBER.match(name)
        if m is None:
            continue
        n = int(m.group(2))
        if m.group(1) == "TransitiveTagKeys":
            transitive[n] = value
        else:
            tags.setdefault(n, [None, None])[0 if m.group(3) == "Key" else 1] = value
    return ([tuple(tags[n]) for n in sorted(tags)], [transitive[n] for n in sorted(transitive)])


def validation(where, constraint):
    return (400, "ValidationError",
            "1 validation error detected: Value at '%s' failed to satisfy constraint: %s"
            % (where, constraint))


def check_text(text, where, lo, hi, required=True):
    if text is None:
        return validation(where, "Member must not be null") if required else None
    if len(text) < lo:
        return validation(where, "Member must have length greater than or equal to %d" % lo)
    if len(text) > hi:
        return validation(where, "Member must have length less than or equal to %d" % hi)
    if not all(allowed_char(c) for c in text):
        return validation(where, "Member must satisfy regular expression pattern: %s%s"
                          % (PATTERN, "+" if lo else "*"))
    return None


def invalid(message):
    return (400, "InvalidParameterValue", message)


def check(tags, transitive, inherited):
    """The request's tags and transitive keys against STS's limits and the
    calling session's transitive tags (inherited: {lower key: (key, value)})."""
    if len(tags) > MAX_TAGS:
        return validation("tags", "Member must have length less than or equal to %d" % MAX_TAGS)
    if len(transitive) > MAX_TAGS:
        return validation("transitiveTagKeys",
                          "Member must have length less than or equal to %d" % MAX_TAGS)
    for i, (key, value) in enumerate(tags, 1):
        err = (check_text(key, "tags.%d.member.key" % i, 1, KEY_MAX)
               or check_text(value, "tags.%d.member.value" % i, 0, VALUE_MAX))
        if err:
            return err
    for i, key in enumerate(transitive, 1):
        err = check_text(key, "transitiveTagKeys.%d.member" % i, 1, KEY_MAX)
        if err:
            return err
    lowered = [k.lower() for k, _ in tags]
    if any(k.startswith("aws:") for k in lowered):
        return invalid("Tag keys cannot start with the reserved prefix aws:")
    if len(set(lowered)) != len(lowered):
        return invalid("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
    if any(k.lower() not in lowered for k in transitive):
        return invalid("TransitiveTagKeys must name session tags of the request.")
    # A transitive tag stays as the chain's first session set it.
    if any(k in inherited for k in lowered):
        return invalid("One of the specified transitive tag keys can't be set because it "
                       "conflicts with a transitive tag key from the calling session.")
    return None


def session_tags(tags, transitive, inherited):
    """What the new session carries: (all its tags, its transitive tags), the
    inherited transitive ones included."""
    mine = {k.lower(): (k, v) for k, v in tags}
    carried = dict(inherited)
    carried.update({k.lower(): mine[k.lower()] for k in transitive})
    every = dict(inherited)
    every.update(mine)
    return every, carried
