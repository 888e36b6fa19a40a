package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// r53RecordSet is a record set as the AWS CLI and boto3 print it.
type r53RecordSet struct {
	Name            string
	Type            string
	TTL             *int64
	ResourceRecords []struct{ Value string }
}

// r53HostedZone is a HostedZone as the AWS CLI and boto3 print it.
type r53HostedZone struct {
	Id                     string
	Name                   string
	CallerReference        string
	Config                 struct{ PrivateZone bool }
	ResourceRecordSetCount int64
}

// r53ChangeInfo is a ChangeInfo as the AWS CLI prints it.
type r53ChangeInfo struct {
	ChangeInfo struct{ Id, Status, SubmittedAt string }
}

// TestRoute53WithAWSCLI drives the Route 53 half of the kms53 binary with the AWS CLI: a hosted
// zone's life from creation to deletion, with a record set UPSERTed, listed, refused when
// CREATEd twice and DELETEd. The CLI signs in eu-west-1, as nothing stops a user doing for the
// global Route 53, and posts record changes to botocore's .../rrset/ path with its trailing
// slash. The KMS half answers on the same endpoint.
func TestRoute53WithAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the AWS CLI; skipped with -short")
	}
	tools := lookTools(t, "aws", "go")
	proc := startKMS53(t, kms53Binary(t, tools["go"]), "-addr", "127.0.0.1:0", "-dns-addr", "127.0.0.1:0")
	cli := newAWSCLI(t, tools["aws"], proc)
	r53 := cli.withEnv("AWS_DEFAULT_REGION=eu-west-1")
	decode := func(what, out string, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("%s output is not the expected JSON: %v\n%s", what, err, out)
		}
	}
	// fails runs a command that must fail and returns its stderr, which must name code.
	fails := func(code string, args ...string) string {
		t.Helper()
		out, stderr, err := r53.run(args...)
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() == 0 {
			t.Fatalf("aws %s: err %v, want a non-zero exit\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, stderr)
		}
		if !strings.Contains(stderr, code) {
			t.Fatalf("aws %s: stderr lacks %s:\n%s", strings.Join(args, " "), code, stderr)
		}
		return stderr
	}
	batch := func(action string) string {
		t.Helper()
		p := filepath.Join(t.TempDir(), strings.ToLower(action)+".json")
		doc := fmt.Sprintf(`{"Comment": "kms53 CLI test: %s", "Changes": [{"Action": %q, "ResourceRecordSet":
			{"Name": "www.example.test", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}}]}`, action, action)
		if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}

	// CreateHostedZone, with --debug once to see the CLI sign for eu-west-1.
	callerRef := fmt.Sprintf("kms53-cli-%d", time.Now().UnixNano())
	out, stderr, err := r53.run("route53", "create-hosted-zone", "--name", "example.test", "--caller-reference", callerRef,
		"--output", "json", "--debug")
	if err != nil {
		t.Fatalf("aws route53 create-hosted-zone: %v\nstderr: %s\nkms53 log:\n%s", err, stderr, proc.logs.String())
	}
	if !strings.Contains(stderr, "/eu-west-1/route53/aws4_request") {
		t.Errorf("the CLI's debug log shows no eu-west-1 credential scope; the region test proves nothing:\n%.3000s", stderr)
	}
	var created struct {
		Location      string
		HostedZone    r53HostedZone
		ChangeInfo    struct{ Id, Status string }
		DelegationSet struct{ NameServers []string }
	}
	decode("create-hosted-zone", out, &created)
	hz := created.HostedZone
	if !strings.HasPrefix(hz.Id, "/hostedzone/Z") {
		t.Fatalf("HostedZone.Id = %q, want /hostedzone/Z...", hz.Id)
	}
	if want := "https://route53.amazonaws.com/2013-04-01" + hz.Id; created.Location != want {
		t.Errorf("Location = %q, want %q", created.Location, want)
	}
	if hz.Name != "example.test." || hz.CallerReference != callerRef || hz.Config.PrivateZone || hz.ResourceRecordSetCount != 2 {
		t.Errorf("HostedZone = %+v, want public example.test. with caller reference %s and 2 record sets", hz, callerRef)
	}
	if !strings.HasPrefix(created.ChangeInfo.Id, "/change/") || created.ChangeInfo.Status != "PENDING" {
		t.Errorf("ChangeInfo = %+v, want a PENDING /change/...", created.ChangeInfo)
	}
	nameServers := created.DelegationSet.NameServers
	if len(nameServers) != 4 || len(slices.Compact(slices.Sorted(slices.Values(nameServers)))) != 4 {
		t.Fatalf("DelegationSet.NameServers = %q, want 4 distinct name servers", nameServers)
	}
	for _, ns := range nameServers {
		// The delegation set names its servers without the trailing dot the NS record's values
		// carry: ns-2048.awsdns-64.com, as in the API reference's examples.
		if !strings.HasPrefix(ns, "ns-") || !strings.Contains(ns, ".awsdns-") || strings.HasSuffix(ns, ".") {
			t.Errorf("name server %q is not an ns-N.awsdns-NN.tld name without a trailing dot", ns)
		}
	}

	// UPSERT an A record; the change is INSYNC at once (no propagation delay by default).
	var upsert r53ChangeInfo
	decode("change-resource-record-sets", r53.must("route53", "change-resource-record-sets", "--hosted-zone-id", hz.Id,
		"--change-batch", batch("UPSERT"), "--output", "json"), &upsert)
	if !strings.HasPrefix(upsert.ChangeInfo.Id, "/change/") {
		t.Fatalf("UPSERT ChangeInfo = %+v, want a /change/ id", upsert.ChangeInfo)
	}
	var change r53ChangeInfo
	decode("get-change", r53.must("route53", "get-change", "--id", upsert.ChangeInfo.Id, "--output", "json"), &change)
	if change.ChangeInfo.Id != upsert.ChangeInfo.Id || change.ChangeInfo.Status != "INSYNC" {
		t.Errorf("get-change %s = %+v, want it INSYNC", upsert.ChangeInfo.Id, change.ChangeInfo)
	}

	// The zone holds its NS and SOA record sets and the A record, in Route 53's order.
	var listed struct{ ResourceRecordSets []r53RecordSet }
	decode("list-resource-record-sets", r53.must("route53", "list-resource-record-sets", "--hosted-zone-id", hz.Id, "--output", "json"), &listed)
	rrs := listed.ResourceRecordSets
	var got []string
	for _, r := range rrs {
		got = append(got, r.Type+" "+r.Name)
	}
	if want := []string{"NS example.test.", "SOA example.test.", "A www.example.test."}; !slices.Equal(got, want) {
		t.Fatalf("record sets = %q, want %q\n%+v", got, want, rrs)
	}
	ttl := func(r r53RecordSet) int64 {
		if r.TTL == nil {
			return -1
		}
		return *r.TTL
	}
	values := func(r r53RecordSet) []string {
		var vs []string
		for _, v := range r.ResourceRecords {
			vs = append(vs, v.Value)
		}
		return vs
	}
	if ns := rrs[0]; ttl(ns) != 172800 || !slices.Equal(values(ns), addDots(nameServers)) {
		t.Errorf("NS record set = TTL %d %q, want TTL 172800 and the delegation set's name servers %q", ttl(ns), values(ns), nameServers)
	}
	soa := rrs[1]
	if vs := values(soa); ttl(soa) != 900 || len(vs) != 1 ||
		vs[0] != addDots(nameServers[:1])[0]+" awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" {
		t.Errorf("SOA record set = TTL %d %q, want TTL 900 and the first name server's SOA", ttl(soa), vs)
	}
	if a := rrs[2]; ttl(a) != 300 || !slices.Equal(values(a), []string{"192.0.2.10"}) {
		t.Errorf("A record set = TTL %d %q, want TTL 300 and 192.0.2.10", ttl(a), values(a))
	}

	// CREATE of the same record set again is refused, and the batch leaves the zone alone.
	stderr = fails("InvalidChangeBatch", "route53", "change-resource-record-sets", "--hosted-zone-id", hz.Id,
		"--change-batch", batch("CREATE"), "--output", "json")
	if !strings.Contains(stderr, "already exists") {
		t.Errorf("CREATE of an existing record set: stderr does not say it already exists:\n%s", stderr)
	}

	// DELETE with the same values empties the zone of its own records, so the zone can go.
	r53.must("route53", "change-resource-record-sets", "--hosted-zone-id", hz.Id, "--change-batch", batch("DELETE"))
	var deleted r53ChangeInfo
	decode("delete-hosted-zone", r53.must("route53", "delete-hosted-zone", "--id", hz.Id, "--output", "json"), &deleted)
	if !strings.HasPrefix(deleted.ChangeInfo.Id, "/change/") {
		t.Errorf("delete-hosted-zone ChangeInfo = %+v, want a /change/ id", deleted.ChangeInfo)
	}
	fails("NoSuchHostedZone", "route53", "get-hosted-zone", "--id", hz.Id, "--output", "json")

	// The same endpoint serves KMS.
	var key struct{ KeyMetadata struct{ KeyId string } }
	decode("kms create-key", cli.must("kms", "create-key", "--output", "json"), &key)
	var keys struct {
		Keys []struct{ KeyId, KeyArn string }
	}
	decode("kms list-keys", cli.must("kms", "list-keys", "--output", "json"), &keys)
	if !slices.ContainsFunc(keys.Keys, func(k struct{ KeyId, KeyArn string }) bool { return k.KeyId == key.KeyMetadata.KeyId }) {
		t.Errorf("list-keys = %+v, lacks the key %s just created", keys.Keys, key.KeyMetadata.KeyId)
	}
}

// addDots returns names with a trailing dot each (one, if they have it already), as DNS record
// values carry them.
func addDots(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimSuffix(n, ".") + "."
	}
	return out
}

// boto3Script creates a hosted zone with boto3 through an endpoint_url and prints what
// CreateHostedZone and ListHostedZones return, as JSON.
const boto3Script = `
import json, sys
import boto3

endpoint, caller_ref = sys.argv[1], sys.argv[2]
r53 = boto3.client("route53", endpoint_url=endpoint, region_name="eu-west-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
created = r53.create_hosted_zone(Name="boto3.example.test", CallerReference=caller_ref)
listed = r53.list_hosted_zones()
print(json.dumps({"Created": created, "Listed": listed}, default=str))
`

// TestRoute53WithBoto3 creates and lists a hosted zone with boto3 against the kms53 binary.
func TestRoute53WithBoto3(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs python3 with boto3; skipped with -short")
	}
	tools := lookTools(t, "python3", "go")
	dir := t.TempDir()
	// Nothing of the user's AWS setup reaches boto3.
	env := append(withoutPrefix(os.Environ(), "AWS_"),
		"AWS_CONFIG_FILE="+filepath.Join(dir, "no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "no-aws-credentials"))
	probe := exec.Command(tools["python3"], "-c", "import boto3")
	probe.Env = env
	if out, err := probe.CombinedOutput(); err != nil {
		if os.Getenv("KMS53_REQUIRE_TOOLS") == "1" {
			t.Fatalf("python3 cannot import boto3 and KMS53_REQUIRE_TOOLS=1: %v\n%s", err, out)
		}
		t.Skipf("python3 cannot import boto3 (%v); install it (or set KMS53_REQUIRE_TOOLS=1 to make this a failure)", err)
	}
	proc := startKMS53(t, kms53Binary(t, tools["go"]), "-addr", "127.0.0.1:0", "-dns-addr", "127.0.0.1:0")

	script := filepath.Join(dir, "route53.py")
	if err := os.WriteFile(script, []byte(boto3Script), 0o600); err != nil {
		t.Fatal(err)
	}
	callerRef := fmt.Sprintf("kms53-boto3-%d", time.Now().UnixNano())
	cmd := exec.Command(tools["python3"], script, "http://"+proc.addr, callerRef)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3 script: %v\nstderr: %s\nkms53 log:\n%s", err, stderr.String(), proc.logs.String())
	}
	var res struct {
		Created struct {
			Location      string
			HostedZone    r53HostedZone
			DelegationSet struct{ NameServers []string }
		}
		Listed struct {
			HostedZones []r53HostedZone
			IsTruncated bool
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("boto3 script output is not the expected JSON: %v\n%s", err, out)
	}
	hz := res.Created.HostedZone
	if !strings.HasPrefix(hz.Id, "/hostedzone/Z") || hz.Name != "boto3.example.test." || hz.CallerReference != callerRef {
		t.Fatalf("create_hosted_zone HostedZone = %+v, want /hostedzone/Z... boto3.example.test. with caller reference %s", hz, callerRef)
	}
	if !strings.HasSuffix(res.Created.Location, hz.Id) || len(res.Created.DelegationSet.NameServers) != 4 {
		t.Errorf("create_hosted_zone Location %q, name servers %q; want the zone's URL and 4 name servers",
			res.Created.Location, res.Created.DelegationSet.NameServers)
	}
	if len(res.Listed.HostedZones) != 1 || res.Listed.IsTruncated || res.Listed.HostedZones[0] != hz {
		t.Errorf("list_hosted_zones = %+v, want just %+v", res.Listed, hz)
	}
}
