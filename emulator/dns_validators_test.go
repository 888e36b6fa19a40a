package emulator_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/emulator"
)

// The validators below were written by others (ISC's delv, NLnet Labs' unbound and ldns): they
// check the emulator's DNSSEC against the wall clock, so the emulator runs on the real time
// (Clock time.Now) unless a test moves it and tells the validator so.

// dnsTool returns the path of a validator, skipping the test when it is not installed, or
// failing it when KMS53_REQUIRE_TOOLS=1.
func dnsTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("KMS53_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is not on PATH and KMS53_REQUIRE_TOOLS=1: install the Debian package %s", name, pkg)
		}
		t.Skipf("%s is not on PATH: install the Debian package %s (or set KMS53_REQUIRE_TOOLS=1 to make this a failure)", name, pkg)
	}
	return p
}

// runValidator runs a validator with a time limit and returns its combined output and error.
func runValidator(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	t.Logf("$ %s %s\n%s", filepath.Base(name), strings.Join(args, " "), out)
	return string(out), err
}

// splitAddr splits host:port.
func splitAddr(t testing.TB, addr string) (host, port string) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	noErr(t, err)
	return host, port
}

// dsParts splits a DSRecord ("keytag 13 2 HEX") into the key tag and the digest.
func dsParts(t testing.TB, ds string) (tag, digest string) {
	t.Helper()
	f := strings.Fields(ds)
	if len(f) != 4 || f[1] != "13" || f[2] != "2" {
		t.Fatalf("DSRecord %q is not 'keytag 13 2 digest'", ds)
	}
	return f[0], f[3]
}

// TestDNSValidatedByDelv resolves names of the signing zone with delv, from a trust anchor made
// of GetDNSSEC's DSRecord: answers, a wildcard and every kind of denial are fully validated.
func TestDNSValidatedByDelv(t *testing.T) {
	t.Parallel()
	delv := dnsTool(t, "delv", "bind9-dnsutils")
	z := newDNSZones(t, emulator.Options{Clock: time.Now}, true)
	tag, digest := dsParts(t, z.ds)
	anchor := filepath.Join(t.TempDir(), "anchor.conf")
	noErr(t, os.WriteFile(anchor, fmt.Appendf(nil, "trust-anchors { \"example.test.\" static-ds %s 13 2 \"%s\"; };\n", tag, digest), 0o600))
	host, port := splitAddr(t, z.addr)
	for _, c := range []struct{ name, qtype, want string }{
		{"www.example.test.", "A", "192.0.2.1"},
		{"cname.example.test.", "A", "192.0.2.1"},
		{"alias.example.test.", "A", "192.0.2.1"},
		{"a.wild.example.test.", "A", "192.0.2.80"},
		{"example.test.", "MX", "10 mail.example.test."},
		{"nx.example.test.", "A", "resolution failed: ncache nxdomain"},
		{"www.example.test.", "MX", "resolution failed: ncache nxrrset"},
		{"wild.example.test.", "A", "resolution failed: ncache nxrrset"},
		{"a.wild.example.test.", "AAAA", "resolution failed: ncache nxrrset"},
	} {
		out, err := runValidator(t, delv, "@"+host, "-p", port, "-a", anchor, "+root=example.test.", c.name, c.qtype)
		if err != nil || !strings.Contains(out, "fully validated") || !strings.Contains(out, c.want) {
			t.Errorf("delv %s %s: %v\n%s\nwant 'fully validated' and %q", c.name, c.qtype, err, out, c.want)
		}
	}
}

// unbound is a validating resolver run by a test, in the foreground.
type unbound struct {
	addr string
	mu   sync.Mutex
	log  bytes.Buffer
}

func (u *unbound) Write(p []byte) (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.log.Write(p)
}

func (u *unbound) String() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.log.String()
}

// freeDNSPort returns a loopback port free for UDP and TCP when asked.
func freeDNSPort(t testing.TB) string {
	t.Helper()
	pc, l := listenUDPAndTCP(t)
	_, port := splitAddr(t, pc.LocalAddr().String())
	pc.Close()
	l.Close()
	return port
}

// startUnbound starts unbound (`unbound -d -c FILE`) on a free loopback port as a validating
// resolver for example.test, with the stub zone at the emulator's DNS server and the DS as trust
// anchor; overrideDate, when set, is the time it judges signatures at (val-override-date). It
// returns once unbound answers, and kills it when the test ends.
func startUnbound(t *testing.T, bin, dnsAddr, ds string, overrideDate time.Time) *unbound {
	t.Helper()
	dir := t.TempDir()
	port := freeDNSPort(t)
	tag, digest := dsParts(t, ds)
	override := ""
	if !overrideDate.IsZero() {
		override = fmt.Sprintf("  val-override-date: %q\n", overrideDate.UTC().Format("20060102150405"))
	}
	conf := fmt.Sprintf(`server:
  interface: 127.0.0.1@%[1]s
  port: %[1]s
  do-daemonize: no
  username: ""
  chroot: ""
  directory: %[2]q
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 1
  val-log-level: 2
  num-threads: 1
  do-ip6: no
  do-not-query-localhost: no
  local-zone: "test." nodefault
  module-config: "validator iterator"
  trust-anchor: "example.test. DS %[3]s 13 2 %[4]s"
%[5]sstub-zone:
  name: "example.test."
  stub-addr: %[6]s
`, port, dir, tag, digest, override, strings.Replace(dnsAddr, ":", "@", 1))
	file := filepath.Join(dir, "unbound.conf")
	noErr(t, os.WriteFile(file, []byte(conf), 0o600))
	u := &unbound{addr: net.JoinHostPort("127.0.0.1", port)}
	cmd := exec.Command(bin, "-d", "-c", file)
	cmd.Stdout, cmd.Stderr = u, u
	if err := cmd.Start(); err != nil {
		t.Fatalf("unbound: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("unbound config:\n%s\nunbound log:\n%s", conf, u)
		}
	})

	// Ready when it answers a query it answers itself (the CHAOS id.server), polled a bounded
	// number of times with a short timeout each.
	probe := new(mdns.Msg)
	probe.SetQuestion("id.server.", mdns.TypeTXT)
	probe.Question[0].Qclass = mdns.ClassCHAOS
	c := &mdns.Client{Timeout: 200 * time.Millisecond}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for range 200 {
		if _, _, err := c.Exchange(probe, u.addr); err == nil {
			return u
		}
		select {
		case err := <-exited:
			t.Fatalf("unbound exited before answering: %v\n%s", err, u)
		case <-tick.C:
		}
	}
	t.Fatalf("unbound did not answer on %s within 200 attempts:\n%s", u.addr, u)
	return nil
}

// dig runs `dig @unbound www.example.test. A +dnssec` and returns its output.
func (u *unbound) dig(t *testing.T, dig, name, qtype string) string {
	t.Helper()
	host, port := splitAddr(t, u.addr)
	out, err := runValidator(t, dig, "@"+host, "-p", port, name, qtype, "+dnssec", "+tries=1", "+time=10")
	if err != nil {
		t.Fatalf("dig: %v\n%s", err, out)
	}
	return out
}

// digFlags returns the status and the flags of dig's answer header.
func digFlags(out string) (status string, flags []string) {
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "status: "); i >= 0 {
			status, _, _ = strings.Cut(l[i+len("status: "):], ",")
		}
		if i := strings.Index(l, ";; flags: "); i >= 0 {
			f, _, _ := strings.Cut(l[i+len(";; flags: "):], ";")
			flags = strings.Fields(f)
		}
	}
	return status, flags
}

// TestDNSValidatedByUnbound resolves through unbound, a validating resolver whose trust anchor is
// GetDNSSEC's DS: the answer is authenticated (the ad flag). After DisableKey and 15 days, when
// the DNSKEY RRSIGs made through KMS have expired and Route 53 could make no new ones, a fresh
// unbound judging signatures at the emulator's time answers SERVFAIL.
func TestDNSValidatedByUnbound(t *testing.T) {
	t.Parallel()
	bin := dnsTool(t, "unbound", "unbound")
	dig := dnsTool(t, "dig", "bind9-dnsutils")
	z := newDNSZones(t, emulator.Options{Clock: time.Now}, true)

	u := startUnbound(t, bin, z.addr, z.ds, time.Time{})
	for _, q := range [][2]string{{"www.example.test.", "A"}, {"nx.example.test.", "A"}, {"a.wild.example.test.", "A"}} {
		out := u.dig(t, dig, q[0], q[1])
		status, flags := digFlags(out)
		if want := map[bool]string{true: "NXDOMAIN", false: "NOERROR"}[q[0] == "nx.example.test."]; status != want || !slices.Contains(flags, "ad") {
			t.Errorf("%s %s through unbound: status %s flags %v, want %s with ad", q[0], q[1], status, flags, want)
		}
	}

	need(z.kms.DisableKey(context.Background(), &kms.DisableKeyInput{KeyId: aws.String(z.keyARN)}))(t)
	z.env.Server.Advance(15 * 24 * time.Hour)
	later := startUnbound(t, bin, z.addr, z.ds, z.env.Server.Now())
	if status, flags := digFlags(later.dig(t, dig, "www.example.test.", "A")); status != "SERVFAIL" || slices.Contains(flags, "ad") {
		t.Errorf("15 days after DisableKey, www.example.test. A through unbound: status %s flags %v, want SERVFAIL", status, flags)
	}
	// Unbound says why: the DNSKEY RRset of the trust anchor has no (valid) signature
	// ("failed to prime trust anchor -- DNSKEY rrset is not secure", with val-log-level 2).
	if log := later.String(); !strings.Contains(log, "DNSKEY rrset is not secure") {
		t.Errorf("unbound does not fail the DNSKEY RRset:\n%s", log)
	}
}

// TestDNSZoneVerifiedByLdns transfers the signing zone by AXFR and has ldns-verify-zone check it
// all, from the DS of GetDNSSEC: every RRSIG, the NSEC chain, and that the zone is complete.
func TestDNSZoneVerifiedByLdns(t *testing.T) {
	t.Parallel()
	bin := dnsTool(t, "ldns-verify-zone", "ldnsutils")
	z := newDNSZones(t, emulator.Options{Clock: time.Now}, true)
	dir := t.TempDir()
	var zone strings.Builder
	for _, rr := range transferZone(t, z.addr, dnsParent) {
		zone.WriteString(rr.String() + "\n")
	}
	zoneFile, dsFile := filepath.Join(dir, "example.test.zone"), filepath.Join(dir, "example.test.ds")
	noErr(t, os.WriteFile(zoneFile, []byte(zone.String()), 0o600))
	noErr(t, os.WriteFile(dsFile, []byte("example.test. 3600 IN DS "+z.ds+"\n"), 0o600))
	out, err := runValidator(t, bin, "-k", dsFile, zoneFile)
	if err != nil || !strings.Contains(out, "Zone is verified and complete") {
		t.Errorf("ldns-verify-zone: %v\n%s\nzone:\n%s", err, out, zone.String())
	}
}
