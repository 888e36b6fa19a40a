package emulator_test

import (
	"errors"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"

	"github.com/kms53/kms53/emulator"
)

// Defaults of the test harness: the emulator's default account, the region clients sign for,
// and the fixed instant the emulator's clock starts at.
const (
	defaultAccount   = "111122223333"
	defaultRegion    = "us-east-1"
	defaultAccessKey = "AKIAKMS53TESTKEY"
)

// t0 is the emulator's time when a test starts. It has a fraction of a second that is exact in
// binary, so epoch-seconds timestamps survive the JSON round trip unchanged.
var t0 = time.Date(2026, time.March, 1, 12, 0, 0, 250_000_000, time.UTC)

// testEnv is one emulator served by an httptest server, with its clock fixed at t0.
type testEnv struct {
	Server *emulator.Server
	URL    string
}

// newEnv starts an emulator for one test. The server is closed when the test ends.
func newEnv(t testing.TB) *testEnv {
	t.Helper()
	srv, err := emulator.New(emulator.Options{
		Clock: func() time.Time { return t0 },
		Rand:  rand.NewChaCha8([32]byte{'k', 'm', 's', '5', '3'}),
	})
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testEnv{Server: srv, URL: hs.URL}
}

// KMS returns a client of the default account in the default region.
func (e *testEnv) KMS() *kms.Client { return e.Client(defaultAccessKey, defaultRegion) }

// Client returns a KMS client that signs with accessKey for region. A 12-digit access key makes
// the caller that account's root. Retries are off, so every error surfaces at once.
func (e *testEnv) Client(accessKey, region string) *kms.Client {
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, "kms53-test-secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(e.URL) })
}

// wantErr asserts that err carries the AWS error E with exactly the message msg, and returns it.
func wantErr[E smithy.APIError](t testing.TB, err error, msg string) E {
	t.Helper()
	got := asErr[E](t, err)
	if m := got.ErrorMessage(); m != msg {
		t.Errorf("%s message = %q, want %q", got.ErrorCode(), m, msg)
	}
	return got
}

// wantErrContaining asserts that err carries the AWS error E with a message containing each of
// parts. It is for messages AWS-BEHAVIOUR.md marks UNVERIFIED: only their stable parts are held.
func wantErrContaining[E smithy.APIError](t testing.TB, err error, parts ...string) E {
	t.Helper()
	got := asErr[E](t, err)
	for _, p := range parts {
		if !strings.Contains(got.ErrorMessage(), p) {
			t.Errorf("%s message = %q, want it to contain %q", got.ErrorCode(), got.ErrorMessage(), p)
		}
	}
	return got
}

// asErr asserts that err carries the AWS error E, sent with HTTP 400 as KMS sends every client
// error (AWS-BEHAVIOUR §1.2), and returns it.
func asErr[E smithy.APIError](t testing.TB, err error) E {
	t.Helper()
	var got E
	if !errors.As(err, &got) {
		t.Fatalf("error = %v (%T), want %T", err, err, got)
	}
	wantStatus400(t, err)
	return got
}

func wantStatus400(t testing.TB, err error) {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Errorf("error %v carries no HTTP response", err)
	} else if re.HTTPStatusCode() != 400 {
		t.Errorf("HTTP status = %d, want 400 for %v", re.HTTPStatusCode(), err)
	}
}

// wantCode asserts that err is an AWS API error with code (for errors the KMS model does not
// type, such as ValidationException, which arrive as smithy.APIError) and returns it.
func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	var got smithy.APIError
	if !errors.As(err, &got) {
		t.Fatalf("error = %v (%T), want the AWS error %s", err, err, code)
	}
	if got.ErrorCode() != code {
		t.Fatalf("error code = %s (%q), want %s", got.ErrorCode(), got.ErrorMessage(), code)
	}
	wantStatus400(t, err)
	return got
}

// wantValidation asserts a ValidationException with exactly the message msg.
func wantValidation(t testing.TB, err error, msg string) {
	t.Helper()
	if got := wantCode(t, err, "ValidationException"); got.ErrorMessage() != msg {
		t.Errorf("ValidationException message = %q, want %q", got.ErrorMessage(), msg)
	}
}

// wantValidationContaining asserts a ValidationException whose message contains each of parts,
// for validation texts AWS-BEHAVIOUR.md marks UNVERIFIED.
func wantValidationContaining(t testing.TB, err error, parts ...string) {
	t.Helper()
	got := wantCode(t, err, "ValidationException")
	for _, p := range parts {
		if !strings.Contains(got.ErrorMessage(), p) {
			t.Errorf("ValidationException message = %q, want it to contain %q", got.ErrorMessage(), p)
		}
	}
}

// must unwraps a call's result, failing the test at once on an error: must(c.ListKeys(ctx, in))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// noErr fails the test at once on an unexpected error.
func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}
