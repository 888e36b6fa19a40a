package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeBlock is a shell block of README.md marked <!-- tested: want | want -->.
type readmeBlock struct {
	script string
	want   []string
}

var testedMarker = regexp.MustCompile("<!-- tested: ([^>]*) -->\n```sh\n((?s:.*?))```")

// readmeShellBlocks returns the README's tested shell blocks, in order.
func readmeShellBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []readmeBlock
	for _, m := range testedMarker.FindAllStringSubmatch(string(readme), -1) {
		var want []string
		for _, w := range strings.Split(m[1], " | ") {
			want = append(want, strings.TrimSpace(w))
		}
		out = append(out, readmeBlock{script: m[2], want: want})
	}
	return out
}

// TestReadmeShell runs the README's tested shell blocks, in order, against the built binary as a
// user would with kms53 running on its default ports: the blocks' addresses are rewritten to the
// test's, and `go run ./cmd/kms53` to the binary. Each block must succeed (bash -euo pipefail)
// and print what its marker names.
func TestReadmeShell(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the AWS CLI, openssl, dig and delv; skipped with -short")
	}
	tools := lookTools(t, "aws", "go", "openssl", "dig", "delv", "bash")
	bin := kms53Binary(t, tools["go"])
	proc := startKMS53(t, bin, "-addr", "127.0.0.1:0", "-dns-addr", "127.0.0.1:0")
	m := regexp.MustCompile(` dns=\S+:(\d+)`).FindStringSubmatch(proc.logs.String())
	if m == nil {
		t.Fatalf("the ready line names no DNS address:\n%s", proc.logs.String())
	}
	blocks := readmeShellBlocks(t)
	if len(blocks) < 4 {
		t.Fatalf("README.md has %d tested shell blocks, want at least 4", len(blocks))
	}
	dir := t.TempDir()
	policy, err := os.ReadFile("../../scenarios/testdata/dnssec-key-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "scenarios", "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scenarios", "testdata", "dnssec-key-policy.json"), policy, 0o600); err != nil {
		t.Fatal(err)
	}
	rewrite := strings.NewReplacer("127.0.0.1:4566", proc.addr, "-p 1053", "-p "+m[1], "go run ./cmd/kms53", bin)
	env := append(withoutPrefix(os.Environ(), "AWS_"),
		"AWS_PAGER=", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"),
		// Blocks after the first rely on the exports of earlier ones, as in one terminal.
		"AWS_ENDPOINT_URL=http://"+proc.addr, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1")
	for i, b := range blocks {
		cmd := exec.Command(tools["bash"], "-euo", "pipefail", "-c", rewrite.Replace(b.script))
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README shell block %d failed: %v\n--- block\n%s\n--- output\n%s\n--- kms53 log\n%s", i+1, err, b.script, out, proc.logs.String())
		}
		for _, w := range b.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("README shell block %d printed no %q:\n%s", i+1, w, out)
			}
		}
	}
}
