// Package auth reads who is calling from a request's SigV4 signature and maps the access key to a
// caller principal.
package auth

import (
	"net/http"

	"github.com/kms53/kms53/emulator/policy"
	"regexp"
	"strings"
)

// Credential is the parsed SigV4 credential of a request: what its Authorization header (or its
// presigned query) says, before any verification.
type Credential struct {
	AccessKeyID   string
	Date          string // yyyymmdd of the credential scope
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
	AmzDate       string // X-Amz-Date, yyyymmddTHHMMSSZ
}

// ParseRequest returns the SigV4 credential of r, from the Authorization header or, for presigned
// requests, from the X-Amz-* query parameters. ok is false when the request carries neither.
func ParseRequest(r *http.Request) (c Credential, ok bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		c, ok = parseHeader(h)
		c.AmzDate = r.Header.Get("X-Amz-Date")
		return c, ok
	}
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return Credential{}, false
	}
	c, ok = parseScope(q.Get("X-Amz-Credential"))
	c.SignedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	c.Signature = q.Get("X-Amz-Signature")
	c.AmzDate = q.Get("X-Amz-Date")
	return c, ok
}

// parseHeader reads "AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseHeader(h string) (Credential, bool) {
	alg, rest, _ := strings.Cut(h, " ")
	if alg != "AWS4-HMAC-SHA256" {
		return Credential{}, false
	}
	var c Credential
	ok := false
	for _, part := range strings.Split(rest, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch name {
		case "Credential":
			c, ok = parseScope(value)
		case "SignedHeaders":
			c.SignedHeaders = strings.Split(value, ";")
		case "Signature":
			c.Signature = value
		}
	}
	if !ok {
		return Credential{}, false
	}
	return c, true
}

func parseScope(s string) (Credential, bool) {
	f := strings.Split(s, "/")
	if len(f) != 5 || f[4] != "aws4_request" || f[0] == "" {
		return Credential{}, false
	}
	return Credential{AccessKeyID: f[0], Date: f[1], Region: f[2], Service: f[3]}, true
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool { return accountID.MatchString(s) }

// Caller is the principal a request acts as.
type Caller struct {
	// Account is the caller's 12-digit account id. For a service principal acting for a
	// resource owner, the owner's account.
	Account string
	// ARN is the caller as AWS names it in messages: arn:aws:iam::ACCT:root,
	// arn:aws:iam::ACCT:user/NAME, arn:aws:sts::ACCT:assumed-role/ROLE/SESSION; for a service
	// principal, its name (dnssec-route53.amazonaws.com).
	ARN string
	// RoleARN is the role of an assumed-role caller (arn:aws:iam::ACCT:role/ROLE).
	RoleARN string
	// Service is the service principal name when an AWS service calls (empty otherwise).
	Service string
	// Policies are the caller's IAM identity policies.
	Policies []NamedPolicy
}

// NamedPolicy is an identity policy with its name.
type NamedPolicy struct {
	Name   string
	Policy *policy.Policy
}

// Principal returns the caller as policies see it.
func (c Caller) Principal() policy.Principal {
	if c.Service != "" {
		return policy.Principal{Service: c.Service}
	}
	return policy.Principal{ARN: c.ARN, RoleARN: c.RoleARN, Account: c.Account}
}

// IsRoot reports whether the caller is an account's root.
func (c Caller) IsRoot() bool { return c.Service == "" && c.ARN == "arn:aws:iam::"+c.Account+":root" }

// ServicePrincipal returns the caller for an AWS service acting for a resource in account.
func ServicePrincipal(name, account string) Caller {
	return Caller{Account: account, ARN: name, Service: name}
}

// Root returns the root principal of an account.
func Root(account string) Caller {
	return Caller{Account: account, ARN: "arn:aws:iam::" + account + ":root"}
}
