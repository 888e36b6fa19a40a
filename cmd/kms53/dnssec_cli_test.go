package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/kms53/kms53/client"
)

// TestDNSSECWithAWSCLI drives the KSK flow through the AWS CLI against the binary: a key with the
// documented Route 53 policy signs the zone, and the DNSKEY the binary serves over DNS matches the
// DS record GetDNSSEC prints; a key with the default policy is refused with InvalidKMSArn.
func TestDNSSECWithAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the AWS CLI; skipped with -short")
	}
	tools := lookTools(t, "aws", "go")
	proc := startKMS53(t, kms53Binary(t, tools["go"]), "-addr", "127.0.0.1:0", "-dns-addr", "127.0.0.1:0")
	cli := newAWSCLI(t, tools["aws"], proc)
	decode := func(out string, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("not the expected JSON: %v\n%s", err, out)
		}
	}
	policy := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(policy, []byte(client.DNSSECKeyPolicy("111122223333", "")), 0o600); err != nil {
		t.Fatal(err)
	}
	goodKey := cli.must("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY",
		"--policy", "file://"+policy, "--query", "KeyMetadata.Arn", "--output", "text")
	badKey := cli.must("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY",
		"--query", "KeyMetadata.Arn", "--output", "text")
	zone := strings.TrimPrefix(cli.must("route53", "create-hosted-zone", "--name", "example.test", "--caller-reference", "cli-dnssec",
		"--query", "HostedZone.Id", "--output", "text"), "/hostedzone/")

	// The refusal: the default key policy does not let Route 53 use the key.
	_, stderr, err := cli.run("route53", "create-key-signing-key", "--hosted-zone-id", zone, "--key-management-service-arn", badKey,
		"--name", "ksk_bad", "--status", "ACTIVE", "--caller-reference", "bad")
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || !strings.Contains(stderr, "(InvalidKMSArn)") ||
		!strings.Contains(stderr, "The CMK with ARN '"+badKey+"' did not grant all required permissions for DNSSEC usage.") {
		t.Fatalf("create-key-signing-key with the default policy: err %v\n%s", err, stderr)
	}

	// The happy path.
	var created struct {
		KeySigningKey struct{ Status, DSRecord string }
	}
	decode(cli.must("route53", "create-key-signing-key", "--hosted-zone-id", zone, "--key-management-service-arn", goodKey,
		"--name", "ksk_1", "--status", "ACTIVE", "--caller-reference", "good", "--output", "json"), &created)
	if created.KeySigningKey.Status != "ACTIVE" {
		t.Fatalf("KSK status %q, want ACTIVE", created.KeySigningKey.Status)
	}
	var enabled struct{ ChangeInfo struct{ Id, Status string } }
	decode(cli.must("route53", "enable-hosted-zone-dnssec", "--hosted-zone-id", zone, "--output", "json"), &enabled)
	if got := cli.must("route53", "get-change", "--id", enabled.ChangeInfo.Id, "--query", "ChangeInfo.Status", "--output", "text"); got != "INSYNC" {
		t.Errorf("get-change = %s, want INSYNC", got)
	}
	var got struct {
		Status         struct{ ServeSignature string }
		KeySigningKeys []struct{ Name, Status, DSRecord, DNSKEYRecord string }
	}
	decode(cli.must("route53", "get-dnssec", "--hosted-zone-id", zone, "--output", "json"), &got)
	if got.Status.ServeSignature != "SIGNING" || len(got.KeySigningKeys) != 1 || got.KeySigningKeys[0].Status != "ACTIVE" {
		t.Fatalf("get-dnssec = %+v", got)
	}
	ds := got.KeySigningKeys[0].DSRecord
	if !regexp.MustCompile(`^[0-9]+ 13 2 [0-9A-F]{64}$`).MatchString(ds) || ds != created.KeySigningKey.DSRecord {
		t.Fatalf("DSRecord %q (at creation %q)", ds, created.KeySigningKey.DSRecord)
	}

	// The binary's DNS server publishes a KSK whose DS is the one GetDNSSEC printed.
	m := regexp.MustCompile(` dns=(\S+)`).FindStringSubmatch(proc.logs.String())
	if m == nil {
		t.Fatalf("the ready line names no DNS address:\n%s", proc.logs.String())
	}
	q := new(dns.Msg)
	q.SetQuestion("example.test.", dns.TypeDNSKEY)
	q.SetEdns0(4096, true)
	in, _, err := new(dns.Client).Exchange(q, m[1])
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rr := range in.Answer {
		if k, ok := rr.(*dns.DNSKEY); ok && k.Flags == 257 {
			d, f := k.ToDS(dns.SHA256), strings.Fields(ds)
			found = found || fmt.Sprintf("%d %d %d %s", d.KeyTag, d.Algorithm, d.DigestType, strings.ToUpper(d.Digest)) == strings.Join(f, " ")
		}
	}
	if !found {
		t.Fatalf("no DNSKEY served at %s matches the DS %s:\n%v", m[1], ds, in)
	}
}
