# What the tests, the bench and the demo take from the machine, found rather
# than written in: the multiarch library directory (pam_wrapper, nss_wrapper)
# and a Python 3 with moto, boto3 and botocore (the STS peers). Sourced.
#   AWSSTS_TEST_LIBDIR   the library directory; else /usr/lib/TRIPLET with the
#                        triplet from DEB_HOST_MULTIARCH, the compiler
#                        (cc -print-multiarch) or dpkg-architecture, in that
#                        order, x86_64-linux-gnu when none answers
#   AWSSTS_TEST_PYTHON   the Python; else the python3 on PATH (on the CI
#                        image, pyenv's shim), if it can import all three
#   AWSSTS_TEST_MOTO     moto_server; else the one beside that Python's
#                        real executable, else the one on PATH
# shellcheck shell=bash disable=SC2034 # PY, MOTO, MACHINE_ERR: for the caller

# machine_libdir: prints the directory.
machine_libdir() {
    if [ -n "${AWSSTS_TEST_LIBDIR:-}" ]; then
        printf '%s\n' "$AWSSTS_TEST_LIBDIR"
        return
    fi
    local triplet=${DEB_HOST_MULTIARCH:-}
    [ -n "$triplet" ] || triplet=$(${CC:-cc} -print-multiarch 2>/dev/null) || triplet=""
    [ -n "$triplet" ] || triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null) || triplet=""
    printf '/usr/lib/%s\n' "${triplet:-x86_64-linux-gnu}"
}

# machine_python: sets PY to the Python's real executable (not a shim, so
# that a process started with another PATH runs the same one) and exports it
# as AWSSTS_TEST_PYTHON for the programs started from here. With none, sets
# MACHINE_ERR to why and fails.
machine_python() {
    local py=${AWSSTS_TEST_PYTHON:-} real
    if [ -z "$py" ]; then
        py=$(command -v python3) || {
            MACHINE_ERR="no python3 on PATH: set AWSSTS_TEST_PYTHON to a Python 3 with moto, boto3 and botocore"
            return 1
        }
    fi
    # find_spec: whether they are there, without the second it takes to import moto.
    real=$("$py" -c 'import importlib.util as u, sys
missing = [m for m in ("moto", "boto3", "botocore") if u.find_spec(m) is None]
print(sys.executable if not missing else "lacks " + ", ".join(missing))' 2>/dev/null) || real=""
    case $real in
        /*) ;;
        *)
            MACHINE_ERR="$py ${real:-does not run}: set AWSSTS_TEST_PYTHON to a Python 3 with moto, boto3 and botocore (pip packages, not Debian's)"
            return 1 ;;
    esac
    PY=$real
    export AWSSTS_TEST_PYTHON=$real
}

# machine_moto: sets MOTO to moto_server (after machine_python), or
# MACHINE_ERR to why there is none and fails.
machine_moto() {
    MOTO=${AWSSTS_TEST_MOTO:-}
    if [ -z "$MOTO" ]; then
        MOTO=$(dirname "$PY")/moto_server
        [ -x "$MOTO" ] || MOTO=$(command -v moto_server) || MOTO=""
    fi
    if [ -z "$MOTO" ] || [ ! -x "$MOTO" ]; then
        MACHINE_ERR="no moto_server beside $PY or on PATH: set AWSSTS_TEST_MOTO"
        return 1
    fi
}
