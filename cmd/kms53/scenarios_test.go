package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kms53/kms53/emulator"
)

func TestScenariosCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	var out bytes.Buffer
	if err := runScenarios(ctx, []string{"happy-path", "ksk-key-wrong-spec"}, &out, &out); err != nil {
		t.Fatalf("in-process scenarios: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "happy-path") || !strings.Contains(lines[1], "PASS") ||
		!strings.Contains(lines[2], "InvalidKMSArn") {
		t.Errorf("table:\n%s", out.String())
	}

	out.Reset()
	if err := runScenarios(ctx, []string{"-list"}, &out, &out); err != nil || !strings.Contains(out.String(), "resolver-fails-after-expiry\n    ") {
		t.Errorf("-list: %v\n%s", err, out.String())
	}

	out.Reset()
	if err := runScenarios(ctx, []string{"-v", "delete-active-ksk"}, &out, &out); err != nil ||
		!strings.Contains(out.String(), "AWS answered InvalidKeySigningKeyStatus") {
		t.Errorf("-v: %v\n%s", err, out.String())
	}

	if err := runScenarios(ctx, []string{"no-such-scenario"}, &out, &out); err == nil || !strings.Contains(err.Error(), "no-such-scenario") {
		t.Errorf("unknown scenario: %v", err)
	}
}

// TestScenariosCommandFailsOnFAIL runs scenarios against an endpoint whose emulator enforces
// no policy: the policy scenarios FAIL and the command reports an error (a non-zero exit).
func TestScenariosCommandFailsOnFAIL(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Options{AllowAll: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	var out bytes.Buffer
	err = runScenarios(context.Background(), []string{"-endpoint", hs.URL, "happy-path", "other-account-cannot-use-key"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 scenarios failed") || !strings.Contains(out.String(), "FAIL") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
}
