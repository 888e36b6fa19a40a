package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// envOf returns a getenv over a fixed map.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseFlags(t *testing.T) {
	defaults := config{addr: "127.0.0.1:4566", dnsAddr: "127.0.0.1:1053", account: "111122223333", region: "us-east-1", sigv4: "relaxed"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    config
		wantErr string // substring of the error; "" means success
	}{
		{name: "defaults", want: defaults},
		{name: "empty env values keep defaults",
			env:  map[string]string{"KMS53_ADDR": "", "KMS53_ACCOUNT": "", "KMS53_REGION": ""},
			want: defaults},
		{name: "env sets every field",
			env: map[string]string{"KMS53_ADDR": "0.0.0.0:9000", "KMS53_ACCOUNT": "444455556666", "KMS53_REGION": "eu-west-1",
				"KMS53_SIGV4": "strict", "KMS53_CONFIG": "/etc/kms53.yaml", "KMS53_DNS_ADDR": "127.0.0.1:5353"},
			want: config{addr: "0.0.0.0:9000", dnsAddr: "127.0.0.1:5353", account: "444455556666", region: "eu-west-1", sigv4: "strict", configPath: "/etc/kms53.yaml"}},
		{name: "flags set every field",
			args: []string{"-addr", "127.0.0.1:0", "-account", "123456789012", "-region", "ap-south-1", "-sigv4", "strict", "-config", "k.yaml", "-dns-addr", ""},
			want: config{addr: "127.0.0.1:0", dnsAddr: "", account: "123456789012", region: "ap-south-1", sigv4: "strict", configPath: "k.yaml"}},
		{name: "flag wins over env",
			args: []string{"-addr=127.0.0.1:7000", "--region", "us-west-2"},
			env:  map[string]string{"KMS53_ADDR": "127.0.0.1:8000", "KMS53_ACCOUNT": "444455556666", "KMS53_REGION": "eu-west-1"},
			want: config{addr: "127.0.0.1:7000", dnsAddr: "127.0.0.1:1053", account: "444455556666", region: "us-west-2", sigv4: "relaxed"}},
		{name: "env names are upper case only",
			env:  map[string]string{"kms53_addr": "127.0.0.1:1", "KMS53_Addr": "127.0.0.1:2"},
			want: defaults},
		{name: "unknown flag", args: []string{"-port", "1"}, wantErr: "flag provided but not defined: -port"},
		{name: "flag without value", args: []string{"-addr"}, wantErr: "flag needs an argument: -addr"},
		{name: "positional argument", args: []string{"serve"}, wantErr: `unexpected argument "serve"`},
		{name: "argument after flags", args: []string{"-region", "us-east-2", "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "help", args: []string{"-h"}, wantErr: flag.ErrHelp.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := parseFlags(tt.args, envOf(tt.env), &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFlags(%q) error = %v, want one containing %q", tt.args, err, tt.wantErr)
				}
				if got != (config{}) {
					t.Errorf("parseFlags(%q) config = %+v on error, want the zero config", tt.args, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFlags(%q): %v (stderr: %s)", tt.args, err, stderr.String())
			}
			if got != tt.want {
				t.Errorf("parseFlags(%q) = %+v, want %+v", tt.args, got, tt.want)
			}
			if stderr.Len() != 0 {
				t.Errorf("parseFlags(%q) wrote to stderr on success: %s", tt.args, stderr.String())
			}
		})
	}
}

func TestParseFlagsUsageNamesEnvVars(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, envOf(nil), &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("parseFlags(-h) error = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"-addr", "KMS53_ADDR", "-account", "KMS53_ACCOUNT", "-region", "KMS53_REGION", "127.0.0.1:4566"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("usage does not mention %q:\n%s", want, stderr.String())
		}
	}
}

// logWatcher is the stderr of a kms53 under test: it keeps everything written to it and reports
// the address of the first `msg="kms53 ready"` line on ready, so tests wait for the server
// without sleeping.
type logWatcher struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	scanned int // bytes of buf already searched for complete lines
	found   bool
	ready   chan string
}

func newLogWatcher() *logWatcher { return &logWatcher{ready: make(chan string, 1)} }

var readyLine = regexp.MustCompile(`msg="kms53 ready" .*\baddr=(\S+)`)

func (w *logWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for !w.found {
		rest := w.buf.Bytes()[w.scanned:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		line := rest[:i]
		w.scanned += i + 1
		if m := readyLine.FindSubmatch(line); m != nil {
			w.found = true
			w.ready <- string(m[1])
		}
	}
	return len(p), nil
}

func (w *logWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// ending is the end of a server under test: done is closed once err is set.
type ending struct {
	done chan struct{}
	err  error
}

// start runs f in a goroutine and returns its ending.
func start(f func() error) *ending {
	e := &ending{done: make(chan struct{})}
	go func() {
		e.err = f()
		close(e.done)
	}()
	return e
}

// wait returns the server's result, or fails the test if it has not ended within d.
func (e *ending) wait(t *testing.T, d time.Duration, logs *logWatcher) error {
	t.Helper()
	select {
	case <-e.done:
		return e.err
	case <-time.After(d):
		t.Fatalf("kms53 still running after %v\nstderr:\n%s", d, logs.String())
		return nil
	}
}

// waitReady returns the address of the ready line, or fails the test if the server ends first or
// nothing arrives in time.
func (w *logWatcher) waitReady(t *testing.T, end *ending) string {
	t.Helper()
	select {
	case addr := <-w.ready:
		return addr
	case <-end.done:
		t.Fatalf("kms53 ended before it was ready: %v\nstderr:\n%s", end.err, w.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("no ready line within 30s; stderr:\n%s", w.String())
	}
	return ""
}

func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := newLogWatcher()
	env := envOf(map[string]string{"KMS53_ACCOUNT": "444455556666"})
	end := start(func() error {
		return run(ctx, []string{"-addr", "127.0.0.1:0", "-dns-addr", "127.0.0.1:0", "-region", "eu-central-1"}, env, logs)
	})
	addr := logs.waitReady(t, end)
	if strings.HasSuffix(addr, ":0") {
		t.Fatalf("ready line shows %q, want the bound port", addr)
	}
	for _, want := range []string{"account=444455556666", "region=eu-central-1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("ready line lacks %s: %s", want, logs.String())
		}
	}

	resp, err := http.Get("http://" + addr + "/_kms53/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_kms53/health = %d %s, want 200", resp.StatusCode, body)
	}
	var health struct{ Status string }
	if err := json.Unmarshal(body, &health); err != nil || health.Status != "ok" {
		t.Errorf("health body = %s (%v), want status ok", body, err)
	}

	cancel()
	if err := end.wait(t, 10*time.Second, logs); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if !strings.Contains(logs.String(), `msg="kms53 stopped"`) {
		t.Errorf("no stopped line in the logs:\n%s", logs.String())
	}
	if _, err := http.Get("http://" + addr + "/_kms53/health"); err == nil {
		t.Error("the server still answers after run returned")
	}
}

// writeFile writes content to a temporary file and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kms53.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"bad flag", []string{"-nope"}, "flag provided but not defined"},
		{"bad account", []string{"-addr", "127.0.0.1:0", "-account", "acct"}, `account "acct" is not a 12-digit`},
		{"bad address", []string{"-addr", "127.0.0.1:99999"}, "invalid port"},
		{"bad sigv4 mode", []string{"-addr", "127.0.0.1:0", "-sigv4", "loose"}, `SigV4 mode "loose"`},
		{"missing config file", []string{"-addr", "127.0.0.1:0", "-config", "/nonexistent/kms53.yaml"}, "no such file"},
		{"bad config file", []string{"-addr", "127.0.0.1:0", "-config", writeFile(t, "identities: [{accessKeyId: A, arn: bob}]")}, "is not an IAM user or role ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := newLogWatcher()
			err := run(context.Background(), tt.args, envOf(nil), logs)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
			if strings.Contains(logs.String(), "kms53 ready") {
				t.Errorf("run(%q) logged ready although it failed:\n%s", tt.args, logs.String())
			}
		})
	}
}

// TestBinaryWithAWSCLI builds the kms53 binary and drives it with the AWS CLI as a user would,
// checking the signature it returns with openssl, then stops it with SIGTERM.
func TestBinaryWithAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the AWS CLI; skipped with -short")
	}
	tools := lookTools(t, "aws", "openssl", "go")
	dir := t.TempDir()
	bin := kms53Binary(t, tools["go"])
	proc := startKMS53(t, bin, "-addr", "127.0.0.1:0", "-dns-addr", "127.0.0.1:0")
	srv, end, logs := proc.cmd, proc.end, proc.logs
	cli := newAWSCLI(t, tools["aws"], proc)
	aws, mustAWS := cli.run, cli.must
	file := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	b64 := func(what, s string) []byte {
		t.Helper()
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("%s is not base64: %q: %v", what, s, err)
		}
		return b
	}

	var created struct {
		KeyMetadata struct{ KeyId, KeySpec, KeyUsage, KeyState string }
	}
	out := mustAWS("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY", "--output", "json")
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatalf("create-key output is not JSON: %v\n%s", err, out)
	}
	km := created.KeyMetadata
	if km.KeyId == "" || km.KeySpec != "ECC_NIST_P256" || km.KeyUsage != "SIGN_VERIFY" || km.KeyState != "Enabled" {
		t.Fatalf("create-key returned %+v", km)
	}
	keyID := km.KeyId

	der := b64("PublicKey", mustAWS("kms", "get-public-key", "--key-id", keyID, "--output", "text", "--query", "PublicKey"))
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatalf("PublicKey is not a DER SubjectPublicKeyInfo: %v", err)
	}
	if ec, ok := pub.(*ecdsa.PublicKey); !ok || ec.Curve != elliptic.P256() {
		t.Fatalf("PublicKey is a %T, want a P-256 ECDSA key", pub)
	}
	pubDER := file("pub.der", der)
	pubPEM := filepath.Join(dir, "pub.pem")
	if out, err := exec.Command(tools["openssl"], "pkey", "-pubin", "-inform", "DER", "-in", pubDER, "-out", pubPEM).CombinedOutput(); err != nil {
		t.Fatalf("openssl pkey: %v\n%s", err, out)
	}

	msg := file("msg", []byte("kms53: signed by the AWS CLI\n"))
	sig := b64("Signature", mustAWS("kms", "sign", "--key-id", keyID, "--message", "fileb://"+msg,
		"--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256", "--output", "text", "--query", "Signature"))
	sigBin := file("sig.bin", sig)

	out2, err := exec.Command(tools["openssl"], "dgst", "-sha256", "-verify", pubPEM, "-signature", sigBin, msg).CombinedOutput()
	if err != nil || !strings.Contains(string(out2), "Verified OK") {
		t.Fatalf("openssl does not verify the signature: %v\n%s", err, out2)
	}
	other := file("other", []byte("kms53: not what was signed\n"))
	if out, err := exec.Command(tools["openssl"], "dgst", "-sha256", "-verify", pubPEM, "-signature", sigBin, other).CombinedOutput(); err == nil {
		t.Fatalf("openssl verified the signature over another message:\n%s", out)
	}

	verifyArgs := func(message string) []string {
		return []string{"kms", "verify", "--key-id", keyID, "--message", "fileb://" + message, "--message-type", "RAW",
			"--signing-algorithm", "ECDSA_SHA_256", "--signature", "fileb://" + sigBin, "--output", "json"}
	}
	var verified struct {
		SignatureValid   bool
		SigningAlgorithm string
	}
	out = mustAWS(verifyArgs(msg)...)
	if err := json.Unmarshal([]byte(out), &verified); err != nil || !verified.SignatureValid || verified.SigningAlgorithm != "ECDSA_SHA_256" {
		t.Fatalf("verify returned %s (%v), want SignatureValid true", out, err)
	}
	if _, stderr, err := aws(verifyArgs(other)...); err == nil || !strings.Contains(stderr, "KMSInvalidSignatureException") {
		t.Fatalf("verify over another message: err %v, stderr %q; want a failure with KMSInvalidSignatureException", err, stderr)
	}

	mustAWS("kms", "disable-key", "--key-id", keyID)
	_, stderr, err := aws("kms", "sign", "--key-id", keyID, "--message", "fileb://"+msg,
		"--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256")
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() == 0 {
		t.Fatalf("sign with a disabled key: err %v, want a non-zero exit", err)
	}
	if !strings.Contains(stderr, "DisabledException") {
		t.Fatalf("sign with a disabled key: stderr %q lacks DisabledException", stderr)
	}

	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := end.wait(t, 15*time.Second, logs); err != nil {
		t.Fatalf("kms53 exited with %v after SIGTERM, want exit status 0\nstderr:\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), `msg="kms53 stopped"`) {
		t.Errorf("kms53 did not log its stop:\n%s", logs.String())
	}
}

// honorsEndpointEnv reports whether the AWS CLI reads AWS_ENDPOINT_URL: versions 1.29 and 2.13
// on do. Debian 12's awscli package (2.9) does not; the test passes --endpoint-url to those.
func honorsEndpointEnv(t *testing.T, aws string, env []string) bool {
	t.Helper()
	cmd := exec.Command(aws, "--version")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws --version: %v\n%s", err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
	m := regexp.MustCompile(`aws-cli/(\d+)\.(\d+)\.`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("cannot read the version of aws --version: %s", out)
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	if major > 2 || major == 2 && minor >= 13 || major == 1 && minor >= 29 {
		return true
	}
	t.Logf("this AWS CLI predates AWS_ENDPOINT_URL; passing --endpoint-url instead")
	return false
}

// withoutPrefix returns env without the variables whose names start with prefix.
func withoutPrefix(env []string, prefix string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, prefix) {
			out = append(out, kv)
		}
	}
	return out
}

// lookTools returns the paths of the named programs. A missing one skips the test, or fails it
// when KMS53_REQUIRE_TOOLS=1.
func lookTools(t *testing.T, names ...string) map[string]string {
	t.Helper()
	tools := map[string]string{}
	for _, tool := range names {
		p, err := exec.LookPath(tool)
		if err != nil {
			if os.Getenv("KMS53_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is not on PATH and KMS53_REQUIRE_TOOLS=1: %v", tool, err)
			}
			t.Skipf("%s is not on PATH (%v); install it (or set KMS53_REQUIRE_TOOLS=1 to make this a failure)", tool, err)
		}
		tools[tool] = p
	}
	return tools
}

// kms53Build is the kms53 binary, built once per test process by kms53Binary and removed by
// TestMain.
var kms53Build struct {
	once sync.Once
	dir  string // temporary directory holding the binary
	bin  string
	out  []byte // go build's output
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if kms53Build.dir != "" {
		os.RemoveAll(kms53Build.dir)
	}
	os.Exit(code)
}

// kms53Binary builds the kms53 binary with goTool on the first call and returns its path; later
// calls, from any test, return the same binary (or the same build failure).
func kms53Binary(t *testing.T, goTool string) string {
	t.Helper()
	b := &kms53Build
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "kms53-test-bin-"); b.err != nil {
			return
		}
		b.bin = filepath.Join(b.dir, "kms53")
		b.out, b.err = exec.Command(goTool, "build", "-buildvcs=false", "-o", b.bin, ".").CombinedOutput()
	})
	if b.err != nil {
		t.Fatalf("go build: %v\n%s", b.err, b.out)
	}
	return b.bin
}

// kms53Process is a kms53 binary running for a test.
type kms53Process struct {
	cmd  *exec.Cmd
	end  *ending
	logs *logWatcher
	addr string // from the ready line
}

// startKMS53 runs bin with args (and no KMS53_ variables in its environment), waits for its
// ready line and kills it when the test ends, unless it has stopped by then.
func startKMS53(t *testing.T, bin string, args ...string) *kms53Process {
	t.Helper()
	p := &kms53Process{cmd: exec.Command(bin, args...), logs: newLogWatcher()}
	p.cmd.Env = withoutPrefix(os.Environ(), "KMS53_")
	p.cmd.Stderr = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.end = start(p.cmd.Wait)
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill() // fails harmlessly once the process has exited
		<-p.end.done
	})
	p.addr = p.logs.waitReady(t, p.end)
	return p
}

// awsCLI runs the AWS CLI against a kms53 process.
type awsCLI struct {
	t            *testing.T
	path         string
	env          []string
	endpointFlag []string // --endpoint-url for CLIs that ignore AWS_ENDPOINT_URL
	logs         *logWatcher
}

// newAWSCLI returns the CLI at path pointed at p: the emulator's endpoint and dummy
// credentials, region us-east-1, nothing from the user's AWS setup (profiles, config files,
// pagers).
func newAWSCLI(t *testing.T, path string, p *kms53Process) *awsCLI {
	t.Helper()
	dir := t.TempDir()
	c := &awsCLI{t: t, path: path, logs: p.logs, env: append(withoutPrefix(os.Environ(), "AWS_"),
		"AWS_ENDPOINT_URL=http://"+p.addr,
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "no-aws-credentials"),
	)}
	if !honorsEndpointEnv(t, path, c.env) {
		c.endpointFlag = []string{"--endpoint-url", "http://" + p.addr}
	}
	return c
}

// withEnv returns a copy of c whose commands also get the variables kv ("NAME=value"), which
// win over c's own.
func (c *awsCLI) withEnv(kv ...string) *awsCLI {
	d := *c
	d.env = append(append([]string(nil), c.env...), kv...)
	return &d
}

// run runs the CLI with args and returns its trimmed stdout, its stderr and its exit error.
func (c *awsCLI) run(args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	cmd := exec.Command(c.path, append(args, c.endpointFlag...)...)
	cmd.Env = c.env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return strings.TrimSpace(o.String()), e.String(), err
}

// must runs the CLI with args and returns its trimmed stdout; it fails the test if the command
// fails.
func (c *awsCLI) must(args ...string) string {
	c.t.Helper()
	out, stderr, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("aws %s: %v\nstderr: %s\nkms53 log:\n%s", strings.Join(args, " "), err, stderr, c.logs.String())
	}
	return out
}
