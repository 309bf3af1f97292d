#!/bin/sh
# Make a throw-away test PKI in DIR:
#   ca.pem             the CA the tests trust
#   server.pem/.key    localhost, loopback and the AWS STS/EC2/SSM names the tests map to loopback
#   wronghost.pem/.key from the same CA, for a name no test connects to
#   other-ca.pem, other.pem/.key   a second CA and a server certificate it signed
#   expired.pem/.key   from the test CA, right names, expired (made under faketime)
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"

names="DNS:localhost,IP:127.0.0.1,IP:::1,DNS:sts.amazonaws.com"
for r in us-east-1 us-west-2 eu-west-1 ap-east-1 ap-southeast-1; do
    names="$names,DNS:sts.$r.amazonaws.com,DNS:sts-fips.$r.amazonaws.com,DNS:ec2.$r.amazonaws.com,DNS:ssm.$r.amazonaws.com,DNS:sts.$r.api.aws"
done

make_ca() { # name subject
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$1.key" -out "$1.pem" -days 30 -subj "/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_leaf() { # name ca san
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$1.key" -out "$1.csr" -subj "/CN=pam_aws_sts test server" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
        -out "$1.pem" -days 30 -extfile "$1.ext" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

make_ca ca "pam_aws_sts test CA"
make_leaf server ca "$names"
make_leaf wronghost ca "DNS:wrong.example"
# Valid for one day, two days ago.
FAKETIME_PREFIX="faketime -f -2d"
command -v faketime >/dev/null || { echo "make-certs: faketime missing" >&2; exit 1; }
make_leaf_dated() { # name ca san
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$1.key" -out "$1.csr" -subj "/CN=pam_aws_sts expired test server" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
    $FAKETIME_PREFIX openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
        -out "$1.pem" -days 1 -extfile "$1.ext" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}
make_leaf_dated expired ca "$names"
make_ca other-ca "some other CA"
make_leaf other other-ca "$names"
chmod 0644 ./*.pem
chmod 0600 ./*.key
