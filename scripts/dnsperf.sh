#!/usr/bin/env bash
# Measures the DNS server of kms53 with dnsperf: queries per second for an A record of a zone that
# does not sign (queries without EDNS0) and for an A record of a DNSSEC-signing zone (queries with
# the DO bit, answered with RRSIGs), and the ratio signed/unsigned, which must be at least 0.5.
#
#	scripts/dnsperf.sh [SECONDS [CLIENTS [MAX_QPS]]]
#
# Defaults: 10 seconds per measurement, 4 clients, at most 200000 queries per second. It builds
# the binary, serves it on loopback ports it picks, creates the zones with the AWS CLI (a KMS key
# with the Route 53 DNSSEC key policy, a KSK, DNSSEC enabled), runs dnsperf twice, and cleans up.
# Needs go, the AWS CLI, dig and dnsperf (Debian packages awscli, bind9-dnsutils, dnsperf).
# Exits 1 when the signed rate is below half the unsigned one.
set -euo pipefail

cd "$(dirname "$0")/.."
[[ -d /root/.pyenv/shims ]] && export PATH="/root/.pyenv/shims:$PATH"
command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"
for tool in go aws dig dnsperf; do
	command -v "$tool" >/dev/null 2>&1 || { echo "dnsperf.sh: $tool is not on PATH" >&2; exit 2; }
done

seconds=${1:-10}
clients=${2:-4}
max_qps=${3:-200000}

work=$(mktemp -d)
pid=
cleanup() {
	if [[ -n $pid ]]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "building kms53"
go build -o "$work/kms53" ./cmd/kms53

# Ports 0: the binary picks free ones and logs them in its ready line.
"$work/kms53" -addr 127.0.0.1:0 -dns-addr 127.0.0.1:0 2>"$work/kms53.log" &
pid=$!
ready=
for _ in $(seq 100); do
	if ready=$(grep -m1 'msg="kms53 ready"' "$work/kms53.log"); then
		break
	fi
	kill -0 "$pid" 2>/dev/null || { cat "$work/kms53.log" >&2; exit 1; }
	sleep 0.1
done
[[ -n $ready ]] || { echo "kms53 did not log its ready line:" >&2; cat "$work/kms53.log" >&2; exit 1; }
http_addr=$(sed -E 's/.* addr=([^ ]+).*/\1/' <<<"$ready")
dns_addr=$(sed -E 's/.* dns=([^ ]+).*/\1/' <<<"$ready")
dns_port=${dns_addr##*:}
echo "kms53: http://$http_addr, DNS $dns_addr"

export AWS_ENDPOINT_URL="http://$http_addr" AWS_ACCESS_KEY_ID=AKIAKMS53DNSPERF AWS_SECRET_ACCESS_KEY=kms53 \
	AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=1

# The key policy Route 53 DNSSEC needs (AWS-BEHAVIOUR §6.2).
cat >"$work/policy.json" <<'EOF'
{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"Allow Route 53 DNSSEC Service","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},
  "Action":["kms:DescribeKey","kms:GetPublicKey","kms:Sign"],"Resource":"*"},
 {"Sid":"Allow Route 53 DNSSEC to CreateGrant","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},
  "Action":["kms:CreateGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":true}}}]}
EOF

# zone NAME: creates a hosted zone with www.NAME A 192.0.2.1 and prints its id.
zone() {
	local id
	id=$(aws route53 create-hosted-zone --name "$1" --caller-reference "dnsperf-$1-$$" --query HostedZone.Id --output text)
	aws route53 change-resource-record-sets --hosted-zone-id "$id" --change-batch \
		"{\"Changes\":[{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"www.$1.\",\"Type\":\"A\",\"TTL\":300,\"ResourceRecords\":[{\"Value\":\"192.0.2.1\"}]}}]}" >/dev/null
	echo "$id"
}
plain_id=$(zone plain.test)
signed_id=$(zone signed.test)
key_arn=$(aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --policy "file://$work/policy.json" \
	--query KeyMetadata.Arn --output text)
aws route53 create-key-signing-key --hosted-zone-id "$signed_id" --key-management-service-arn "$key_arn" \
	--name ksk_dnsperf --status ACTIVE --caller-reference "dnsperf-ksk-$$" >/dev/null
aws route53 enable-hosted-zone-dnssec --hosted-zone-id "$signed_id" >/dev/null
echo "zones: plain.test $plain_id, signed.test $signed_id (KSK on $key_arn)"

# The answers are what is measured: the unsigned A alone, the signed A with its RRSIG.
dig +short @127.0.0.1 -p "$dns_port" www.plain.test. A | grep -qx 192.0.2.1 ||
	{ echo "www.plain.test. A is not answered" >&2; exit 1; }
dig +dnssec +norec @127.0.0.1 -p "$dns_port" www.signed.test. A | grep -q 'RRSIG[[:space:]]A 13 3 300' ||
	{ echo "www.signed.test. A is not answered with its RRSIG" >&2; exit 1; }

echo "www.plain.test. A" >"$work/plain.txt"
echo "www.signed.test. A" >"$work/signed.txt"

# perf NAME FILE [ARGS]: runs dnsperf and prints its queries per second.
perf() {
	local name=$1 file=$2
	shift 2
	local cmd=(dnsperf -s 127.0.0.1 -p "$dns_port" -d "$file" -l "$seconds" -c "$clients" -Q "$max_qps" "$@")
	echo "\$ ${cmd[*]}" >&2
	"${cmd[@]}" >"$work/$name.out" 2>&1 || { cat "$work/$name.out" >&2; exit 1; }
	sed -n '/Statistics:/,$p' "$work/$name.out" >&2
	if ! grep -q 'Queries lost: *0 ' "$work/$name.out"; then
		echo "($name: some queries were lost)" >&2
	fi
	awk '/Queries per second:/ {print $4}' "$work/$name.out"
}
unsigned=$(perf unsigned "$work/plain.txt")
signed=$(perf signed "$work/signed.txt" -D)

ratio=$(awk -v s="$signed" -v u="$unsigned" 'BEGIN {printf "%.3f", s / u}')
printf '\nunsigned A, no DO:    %s queries/s\nsigned A, DO (-D):    %s queries/s\nratio signed/unsigned: %s (required: >= 0.5)\n' \
	"$unsigned" "$signed" "$ratio"
awk -v r="$ratio" 'BEGIN {exit !(r >= 0.5)}' || { echo "FAIL: the signed rate is below half the unsigned one" >&2; exit 1; }
echo "OK"
