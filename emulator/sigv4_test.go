package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kms53/kms53/emulator"
)

// newStrictEnv starts an emulator in strict SigV4 mode whose clock is the real time (the SDK
// signs with the real time) moved by skew.
func newStrictEnv(t *testing.T, skew time.Duration) *testEnv {
	t.Helper()
	srv, err := emulator.New(emulator.Options{SigV4: emulator.SigV4Strict, Identities: testIdentities,
		Clock: func() time.Time { return time.Now().Add(skew) }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testEnv{Server: srv, URL: hs.URL}
}

// strictClient signs with the given secret; tamper, if set, alters each request after signing.
func strictClient(url, accessKey, secret string, tamper func(*http.Request)) *kms.Client {
	cfg := aws.Config{
		Region:      defaultRegion,
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	if tamper != nil {
		cfg.HTTPClient = &http.Client{Transport: tamperTransport(tamper)}
	}
	return kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(url) })
}

type tamperTransport func(*http.Request)

func (f tamperTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f(r)
	return http.DefaultTransport.RoundTrip(r)
}

func TestStrictSigV4(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	alterBody := func(r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		b = bytes.Replace(b, []byte(`{`), []byte(`{ `), 1) // same JSON, different bytes
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
	}
	tests := []struct {
		name      string
		skew      time.Duration // emulator clock minus real time
		accessKey string
		secret    string
		tamper    func(*http.Request)
		code      string // empty: accepted
		msgPrefix string
	}{
		{"correct signature", 0, adminKey, "admin-secret", nil, "", ""},
		{"within the skew window", 4 * time.Minute, adminKey, "admin-secret", nil, "", ""},
		{"wrong secret", 0, adminKey, "not-the-secret", nil, "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided."},
		{"altered body", 0, adminKey, "admin-secret", alterBody, "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided."},
		{"expired date", 10 * time.Minute, adminKey, "admin-secret", nil, "InvalidSignatureException", "Signature expired: "},
		{"date in the future", -10 * time.Minute, adminKey, "admin-secret", nil, "InvalidSignatureException", "Signature not yet current: "},
		{"unknown access key", 0, "AKIAUNKNOWN00000000", "whatever", nil, "UnrecognizedClientException",
			"The security token included in the request is invalid."},
		{"12-digit key without a configured secret", 0, "999988887777", "whatever", nil, "InvalidSignatureException", "The request signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newStrictEnv(t, tt.skew)
			_, err := strictClient(env.URL, tt.accessKey, tt.secret, tt.tamper).ListKeys(ctx, &kms.ListKeysInput{})
			if tt.code == "" {
				if err != nil {
					t.Fatalf("ListKeys: %v", err)
				}
				return
			}
			got := wantCode(t, err, tt.code)
			if !strings.HasPrefix(got.ErrorMessage(), tt.msgPrefix) {
				t.Errorf("message = %q, want prefix %q", got.ErrorMessage(), tt.msgPrefix)
			}
		})
	}
}

func TestStrictSigV4MissingAuthentication(t *testing.T) {
	t.Parallel()
	env := newStrictEnv(t, 0)
	for _, auth := range []string{"", "Bearer abc"} {
		req, _ := http.NewRequest(http.MethodPost, env.URL+"/", strings.NewReader(`{}`))
		req.Header.Set("X-Amz-Target", "TrentService.ListKeys")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := map[string]string{"": "MissingAuthenticationTokenException", "Bearer abc": "IncompleteSignatureException"}[auth]
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Amzn-ErrorType") != want {
			t.Errorf("Authorization %q: %d %s, want 400 %s", auth, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), want)
		}
	}
}

// TestStrictSigV4Botocore checks that a request signed by botocore (the AWS CLI) verifies, and
// that one signed with the wrong secret does not.
func TestStrictSigV4Botocore(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the AWS CLI")
	}
	aws, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("KMS53_REQUIRE_TOOLS") == "1" {
			t.Fatal("the AWS CLI is required (KMS53_REQUIRE_TOOLS=1) but not on PATH")
		}
		t.Skip("the AWS CLI is not installed; install it to check botocore's signatures")
	}
	env := newStrictEnv(t, 0)
	run := func(secret string) (string, error) {
		cmd := exec.Command(aws, "kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY",
			"--description", "signed by botocore", "--output", "text", "--query", "KeyMetadata.KeyId")
		cmd.Env = append(cleanAWSEnv(), "AWS_ENDPOINT_URL="+env.URL, "AWS_ACCESS_KEY_ID="+adminKey,
			"AWS_SECRET_ACCESS_KEY="+secret, "AWS_DEFAULT_REGION="+defaultRegion)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("admin-secret"); err != nil {
		t.Fatalf("aws kms create-key with the right secret: %v\n%s", err, out)
	}
	out, err := run("wrong-secret")
	if err == nil || !strings.Contains(out, "InvalidSignatureException") {
		t.Fatalf("aws kms create-key with a wrong secret: err %v, output %s; want InvalidSignatureException", err, out)
	}
}

// cleanAWSEnv is the environment without AWS_* variables, so a developer's profile or
// credentials cannot leak into a test.
func cleanAWSEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
}
