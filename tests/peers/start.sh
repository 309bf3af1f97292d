#!/bin/bash
# Start the STS peers for the integration tests: moto_server (TLS, auth on;
# with the instance role, KMS key and SSM parameters of ssm_setup.py), the
# IMDSv2 stand-in serving that role (imds_standin.py), fault_ssm.py (TLS)
# and fault_sts.py (TLS; one with the test CA's certificate, one with
# another CA's, one with a wrong host name), the CONNECT proxy, and
# plain_http.py (plain HTTP, for unsigned requests). Writes $PEERS/env with
# everything a test needs. A peer that does not come up fails loudly.
# Usage: start.sh PEERS_DIR [moto]   (stop with: stop.sh PEERS_DIR)
#        "moto" starts moto alone (the demo).
set -euo pipefail
PEERS=$1
ONLY=${2:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
TOTP_SECRET=${TOTP_SECRET:-JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP}

die() { echo "peers: FAIL: $*" >&2; exit 1; }
# The Python and moto_server: tests/machine.sh (AWSSTS_TEST_PYTHON, AWSSTS_TEST_MOTO).
# shellcheck source=tests/machine.sh
. "$HERE/../machine.sh"
machine_python || die "$MACHINE_ERR"
machine_moto || die "$MACHINE_ERR"
command -v openssl >/dev/null || die "openssl not installed (scripts/install-deps)"

mkdir -p "$PEERS"
"$HERE/make-certs.sh" "$PEERS/pki"
: > "$PEERS/pids"

wait_for_file() { # file pid what
    for _ in $(seq 1 100); do
        [ -s "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || die "$3 exited: $(tail -5 "$PEERS/$3.out" 2>/dev/null)"
        sleep 0.1
    done
    die "$3 did not start within 10 s"
}

# The role "bastion" trusts as the shipped template does (conf/iam/README.md).
TRUST_POLICY=$(cd "$HERE/../../conf/iam" && pwd)/role-trust-policy.json
start_fault() { # name cert [extra options]
    "$PY" "$HERE/fault_sts.py" --cert "$PEERS/pki/$2.pem" --key "$PEERS/pki/$2.key" \
        --port-file "$PEERS/$1.port" --log "$PEERS/$1.log" --issued-log "$PEERS/$1.issued" \
        --totp-secret "$TOTP_SECRET" --trust-policy "bastion=$TRUST_POLICY" \
        --hang-seconds 20 ${3:+"$3"} > "$PEERS/$1.out" 2>&1 &
    echo $! >> "$PEERS/pids"
    wait_for_file "$PEERS/$1.port" $! "$1"
}

if [ "$ONLY" != moto ]; then
    start_fault fault server
    start_fault fault-other other
    start_fault fault-wronghost wronghost
    start_fault fault-clock server --clock-from-request
    start_fault fault-expired expired
    # An HTTPS proxy that wants Basic credentials (the password is a test value).
    "$PY" "$HERE/connect_proxy.py" --port-file "$PEERS/proxy.port" --log "$PEERS/proxy.log" \
        --user proxyuser --password proxysecret-0123 > "$PEERS/proxy.out" 2>&1 &
    echo $! >> "$PEERS/pids"
    wait_for_file "$PEERS/proxy.port" $! proxy
    # Plain HTTP, for the unsigned requests (an IMDS-like sliver and faults).
    "$PY" "$HERE/plain_http.py" --port-file "$PEERS/plain.port" --log "$PEERS/plain.log" \
        > "$PEERS/plain.out" 2>&1 &
    echo $! >> "$PEERS/pids"
    wait_for_file "$PEERS/plain.port" $! plain
fi

# moto: pick a free loopback port, start, and wait until it answers over TLS.
moto_port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$MOTO" -H 127.0.0.1 -p "$moto_port" --ssl-cert "$PEERS/pki/server.pem" \
    --ssl-key "$PEERS/pki/server.key" > "$PEERS/moto.out" 2>&1 &
moto_pid=$!
echo $moto_pid >> "$PEERS/pids"
moto_url="https://localhost:$moto_port"
for i in $(seq 1 150); do
    curl -s --cacert "$PEERS/pki/ca.pem" -o /dev/null "$moto_url/moto-api/" && break
    kill -0 $moto_pid 2>/dev/null || die "moto_server exited: $(tail -5 "$PEERS/moto.out")"
    [ "$i" -eq 150 ] && die "moto_server did not answer within 15 s"
    sleep 0.1
done
# keys = ssm:NAME: the instance role, its parameters, then the IMDSv2
# stand-in that serves the role and the SSM that refuses as moto cannot.
# Before moto_setup.py, which turns moto's auth on.
start_ssm_peers() {
    "$PY" "$HERE/ssm_setup.py" --url "$moto_url" --ca "$PEERS/pki/ca.pem" \
        --creds-out "$PEERS/imds-creds.json" --value-out "$PEERS/ssm-value.json" \
        --env-out "$PEERS/ssm.env" || die "moto SSM set-up failed"
    "$PY" "$HERE/imds_standin.py" --creds "$PEERS/imds-creds.json" --region eu-west-1 \
        --port-file "$PEERS/imds.port" --control-port-file "$PEERS/imds-control.port" \
        --log "$PEERS/imds.log" --hang-seconds 20 > "$PEERS/imds.out" 2>&1 &
    echo $! >> "$PEERS/pids"
    wait_for_file "$PEERS/imds-control.port" $! imds
    "$PY" "$HERE/fault_ssm.py" --cert "$PEERS/pki/server.pem" --key "$PEERS/pki/server.key" \
        --creds "$PEERS/imds-creds.json" --value-file "$PEERS/ssm-value.json" \
        --port-file "$PEERS/fault-ssm.port" --log "$PEERS/fault-ssm.log" \
        > "$PEERS/fault-ssm.out" 2>&1 &
    echo $! >> "$PEERS/pids"
    wait_for_file "$PEERS/fault-ssm.port" $! fault-ssm
}
[ "$ONLY" != moto ] && start_ssm_peers

"$PY" "$HERE/moto_setup.py" --url "$moto_url" --ca "$PEERS/pki/ca.pem" \
    --env-out "$PEERS/moto.env" || die "moto IAM set-up failed"

{
    echo "TEST_CA=$PEERS/pki/ca.pem"
    echo "TOTP_SECRET=$TOTP_SECRET"
    echo "MOTO_URL=$moto_url"
    cat "$PEERS/moto.env"
    [ "$ONLY" = moto ] && exit 0
    echo "FAULT_URL=https://localhost:$(cat "$PEERS/fault.port")"
    echo "FAULT_PORT=$(cat "$PEERS/fault.port")"
    echo "FAULT_LOG=$PEERS/fault.log"
    echo "FAULT_TRUST_ROLE=arn:aws:iam::123456789012:role/bastion"
    echo "FAULT_ISSUED=$PEERS/fault.issued"
    echo "FAULT_OTHER_URL=https://localhost:$(cat "$PEERS/fault-other.port")"
    echo "FAULT_WRONGHOST_URL=https://localhost:$(cat "$PEERS/fault-wronghost.port")"
    echo "FAULT_EXPIRED_URL=https://localhost:$(cat "$PEERS/fault-expired.port")"
    echo "FAULT_CLOCK_URL=https://localhost:$(cat "$PEERS/fault-clock.port")"
    echo "FAULT_CLOCK_LOG=$PEERS/fault-clock.log"
    echo "PROXY_PORT=$(cat "$PEERS/proxy.port")"
    echo "PROXY_LOG=$PEERS/proxy.log"
    echo "PROXY_USER=proxyuser"
    echo "PROXY_PASSWORD=proxysecret-0123"
    echo "PLAIN_URL=http://127.0.0.1:$(cat "$PEERS/plain.port")"
    echo "PLAIN_LOG=$PEERS/plain.log"
    echo "IMDS_URL=http://127.0.0.1:$(cat "$PEERS/imds.port")"
    echo "IMDS_CONTROL_URL=http://127.0.0.1:$(cat "$PEERS/imds-control.port")"
    echo "IMDS_LOG=$PEERS/imds.log"
    echo "FAULT_SSM_URL=https://localhost:$(cat "$PEERS/fault-ssm.port")"
    echo "FAULT_SSM_LOG=$PEERS/fault-ssm.log"
    echo "PEERS_DIR=$PEERS"
    cat "$PEERS/ssm.env"
} > "$PEERS/env"
if [ "$ONLY" = moto ]; then
    echo "peers: moto on $moto_port"
else
    echo "peers: fault STS on $(cat "$PEERS/fault.port"), moto on $moto_port"
fi
