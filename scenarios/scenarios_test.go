package scenarios_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/scenarios"
)

// TestCatalogue runs every scenario against a fresh emulator, in-process (no socket for the AWS
// APIs) and over loopback.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"in-process", "loopback"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			e := client.Start(t, emulator.Options{})
			opts := scenarios.EnvOptions{DNSAddr: e.DNSAddr}
			if mode == "in-process" {
				opts.HTTPClient = &http.Client{Transport: client.Transport(e.Server)}
			}
			env, err := scenarios.NewEnv(context.Background(), e.URL, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range scenarios.All() {
				r := scenarios.RunOne(context.Background(), env, s)
				if !r.Passed() {
					t.Errorf("%s: FAIL: %v", s.Name, r.Err)
					continue
				}
				if r.Shown == "" {
					t.Errorf("%s: passed without showing what AWS answered", s.Name)
				}
			}
		})
	}
}

// TestScenarioFailsWhenTheEmulatorMisbehaves checks that a scenario is not a test that cannot
// fail: with authorization switched off, the policy refusals are not refused, and they FAIL.
func TestScenarioFailsWhenTheEmulatorMisbehaves(t *testing.T) {
	t.Parallel()
	e := client.Start(t, emulator.Options{AllowAll: true})
	env, err := scenarios.NewEnv(context.Background(), e.URL, scenarios.EnvOptions{DNSAddr: e.DNSAddr})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ksk-key-policy-without-route53", "edit-dnssec-key", "other-account-cannot-use-key"} {
		s, err := scenarios.Find(name)
		if err != nil {
			t.Fatal(err)
		}
		if r := scenarios.RunOne(context.Background(), env, s[0]); r.Passed() {
			t.Errorf("%s passed against an emulator that enforces no policy", name)
		}
	}
}

func TestCatalogueDocumentsEveryScenario(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, s := range scenarios.All() {
		if s.Name == "" || len(s.Doc) < 40 || s.Run == nil || seen[s.Name] {
			t.Errorf("scenario %q: name, a paragraph of doc and Run are required, and names are unique", s.Name)
		}
		seen[s.Name] = true
	}
	if _, err := scenarios.Find("happy-path", "no-such-scenario"); err == nil || !strings.Contains(err.Error(), "no-such-scenario") {
		t.Errorf("Find of an unknown name: %v", err)
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	scenarios.Report(&b, []scenarios.Result{{Name: "a", Shown: "X: y"}, {Name: "longer-name", Err: errString("boom")}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "PASS") || !strings.Contains(lines[1], "X: y") ||
		!strings.Contains(lines[2], "FAIL") || !strings.Contains(lines[2], "boom") {
		t.Fatalf("report:\n%s", b.String())
	}
	if strings.Index(lines[1], "PASS") != strings.Index(lines[2], "FAIL") {
		t.Errorf("columns are not aligned:\n%s", b.String())
	}
}

type errString string

func (e errString) Error() string { return string(e) }
