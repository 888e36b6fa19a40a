// Package auth reads who is calling from a request's SigV4 signature and maps the access key to a
// caller principal.
package auth

import (
	"net/http"
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
	Account string // 12-digit account id
	ARN     string // arn:aws:iam::ACCT:root, a user or role ARN, or a service principal name
	Service bool   // true for AWS service principals (e.g. dnssec-route53.amazonaws.com)
}

// Root returns the root principal of an account.
func Root(account string) Caller {
	return Caller{Account: account, ARN: "arn:aws:iam::" + account + ":root"}
}

// CallerFor maps an access key to its caller: a 12-digit key is that account's root; any other key
// (or none) is the root of defaultAccount.
func CallerFor(accessKeyID, defaultAccount string) Caller {
	if IsAccountID(accessKeyID) {
		return Root(accessKeyID)
	}
	return Root(defaultAccount)
}
