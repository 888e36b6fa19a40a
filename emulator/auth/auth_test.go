package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var signedAt = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// signed returns a request signed by the SDK's own SigV4 signer: the oracle these tests check
// the verifier against.
func signed(t *testing.T, method, url, body, secret string, presign bool) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, url, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "TrentService.ListKeys")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: secret}
	s := v4.NewSigner()
	if presign {
		u, hdr, err := s.PresignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "kms", "eu-west-1", signedAt)
		if err != nil {
			t.Fatal(err)
		}
		pr := httptest.NewRequest(method, u, strings.NewReader(body))
		for k, v := range hdr {
			pr.Header[k] = v
		}
		return pr
	}
	if err := s.SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "kms", "eu-west-1", signedAt); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseRequest(t *testing.T) {
	t.Parallel()
	r := signed(t, http.MethodPost, "http://localhost:4566/", `{}`, "secret", false)
	c, ok := ParseRequest(r)
	if !ok || c.AccessKeyID != "AKIAEXAMPLE" || c.Region != "eu-west-1" || c.Service != "kms" || c.Date != "20261203" ||
		c.AmzDate != "20261203T100000Z" || len(c.Signature) != 64 || len(c.SignedHeaders) == 0 {
		t.Fatalf("ParseRequest = %+v, %v", c, ok)
	}
	p := signed(t, http.MethodGet, "http://localhost:4566/2013-04-01/hostedzone?maxitems=1", ``, "secret", true)
	c, ok = ParseRequest(p)
	if !ok || c.AccessKeyID != "AKIAEXAMPLE" || c.Region != "eu-west-1" || c.Signature == "" {
		t.Fatalf("ParseRequest(presigned) = %+v, %v", c, ok)
	}
	for _, h := range []string{"", "Bearer x", "AWS4-HMAC-SHA256 Credential=AK/20261203/us-east-1/kms", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab"} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if h != "" {
			r.Header.Set("Authorization", h)
		}
		if c, ok := ParseRequest(r); ok {
			t.Errorf("ParseRequest(%q) = %+v, want not ok", h, c)
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		secret  string
		now     time.Time
		failure Failure
	}{
		{"header", func(t *testing.T) *http.Request {
			return signed(t, "POST", "http://h/", `{"Limit":5}`, "s3cret", false)
		}, "s3cret", signedAt, 0},
		{"presigned", func(t *testing.T) *http.Request {
			return signed(t, "GET", "http://h/2013-04-01/hostedzone?maxitems=2&marker=a%20b", ``, "s3cret", true)
		}, "s3cret", signedAt, 0},
		{"escaped path", func(t *testing.T) *http.Request {
			return signed(t, "GET", "http://h/2013-04-01/hostedzone/Z1/rrset?name=a%2Ab.example.com.", ``, "s3cret", false)
		}, "s3cret", signedAt, 0},
		{"wrong secret", func(t *testing.T) *http.Request { return signed(t, "POST", "http://h/", `{}`, "s3cret", false) }, "other", signedAt, BadSignature},
		{"altered body", func(t *testing.T) *http.Request {
			r := signed(t, "POST", "http://h/", `{"Limit":5}`, "s3cret", false)
			r.Body = http.NoBody
			return r
		}, "s3cret", signedAt, BadSignature},
		{"altered header", func(t *testing.T) *http.Request {
			r := signed(t, "POST", "http://h/", `{}`, "s3cret", false)
			r.Header.Set("X-Amz-Target", "TrentService.CreateKey")
			return r
		}, "s3cret", signedAt, BadSignature},
		{"expired", func(t *testing.T) *http.Request { return signed(t, "POST", "http://h/", `{}`, "s3cret", false) }, "s3cret", signedAt.Add(6 * time.Minute), Expired},
		{"not yet current", func(t *testing.T) *http.Request { return signed(t, "POST", "http://h/", `{}`, "s3cret", false) }, "s3cret", signedAt.Add(-6 * time.Minute), NotYetCurrent},
		{"edge of the window", func(t *testing.T) *http.Request { return signed(t, "POST", "http://h/", `{}`, "s3cret", false) }, "s3cret", signedAt.Add(5 * time.Minute), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.req(t)
			cred, ok := ParseRequest(r)
			if !ok {
				t.Fatal("request carries no credential")
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			err = Verify(r, body, cred, tt.secret, tt.now)
			if tt.failure == 0 {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			var ae *Error
			if !errors.As(err, &ae) || ae.Failure != tt.failure {
				t.Fatalf("Verify = %v, want failure %d", err, tt.failure)
			}
		})
	}
}

func TestVerifyExpiredMessage(t *testing.T) {
	t.Parallel()
	r := signed(t, "POST", "http://h/", `{}`, "s", false)
	cred, _ := ParseRequest(r)
	err := Verify(r, []byte(`{}`), cred, "s", time.Date(2026, 12, 3, 10, 7, 30, 0, time.UTC))
	want := "Signature expired: 20261203T100000Z is now earlier than 20261203T100230Z (20261203T100730Z - 5 min.)"
	if err == nil || err.Error() != want {
		t.Fatalf("Verify = %v, want %q", err, want)
	}
}

func TestNewDirectory(t *testing.T) {
	t.Parallel()
	d, err := NewDirectory([]Identity{
		{AccessKeyID: "AKUSER", SecretAccessKey: "s1", ARN: "arn:aws:iam::111122223333:user/team/alice",
			Policies: []IdentityPolicy{{Name: "p", Document: `{"Statement":{"Effect":"Allow","Action":"kms:Sign","Resource":"*"}}`}}},
		{AccessKeyID: "AKROLE", SecretAccessKey: "s2", ARN: "arn:aws:iam::444455556666:role/Deployer", SessionName: "ci-42"},
		{AccessKeyID: "AKROOT", SecretAccessKey: "s3", ARN: "arn:aws:iam::777788889999:root"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key, arn, role, account, secret string
		policies                        int
		known                           bool
	}{
		{"AKUSER", "arn:aws:iam::111122223333:user/team/alice", "", "111122223333", "s1", 1, true},
		{"AKROLE", "arn:aws:sts::444455556666:assumed-role/Deployer/ci-42", "arn:aws:iam::444455556666:role/Deployer", "444455556666", "s2", 0, true},
		{"AKROOT", "arn:aws:iam::777788889999:root", "", "777788889999", "s3", 0, true},
		{"123456789012", "arn:aws:iam::123456789012:root", "", "123456789012", "", 0, true},
		{"AKUNKNOWN", "", "", "", "", 0, false},
	}
	for _, tt := range tests {
		c, secret, known := d.Lookup(tt.key)
		if known != tt.known || c.ARN != tt.arn || c.RoleARN != tt.role || c.Account != tt.account || secret != tt.secret || len(c.Policies) != tt.policies {
			t.Errorf("Lookup(%s) = %+v, %q, %v", tt.key, c, secret, known)
		}
	}

	bad := []Identity{
		{AccessKeyID: "", ARN: "arn:aws:iam::111122223333:user/a"},
		{AccessKeyID: "AK", ARN: "arn:aws:iam::1111:user/a"},
		{AccessKeyID: "AK", ARN: "arn:aws:iam::111122223333:user/a",
			Policies: []IdentityPolicy{{Name: "p", Document: `{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}`}}},
		{AccessKeyID: "AK", ARN: "arn:aws:iam::111122223333:user/a", Policies: []IdentityPolicy{{Name: "p", Document: `not json`}}},
	}
	for i, id := range bad {
		if _, err := NewDirectory([]Identity{id}); err == nil {
			t.Errorf("NewDirectory(bad %d) succeeded", i)
		}
	}
	if _, err := NewDirectory([]Identity{{AccessKeyID: "AK", ARN: "arn:aws:iam::111122223333:user/a"}, {AccessKeyID: "AK", ARN: "arn:aws:iam::111122223333:user/b"}}); err == nil {
		t.Error("NewDirectory with a duplicate access key succeeded")
	}
}
