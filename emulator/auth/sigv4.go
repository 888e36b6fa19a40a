package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Failure says why a request's signature was refused. Each service maps it to its own error
// code (KMS: JSON, 400; Route 53: XML, 403).
type Failure int

// The failures of SigV4 verification.
const (
	// MissingToken: no Authorization header and no presigned query.
	MissingToken Failure = iota + 1
	// Incomplete: an Authorization header that is not a complete SigV4 header.
	Incomplete
	// UnknownKey: the access key is not one the emulator knows.
	UnknownKey
	// BadSignature: the signature does not match the request.
	BadSignature
	// Expired: the request time is more than 5 minutes before the emulator's clock.
	Expired
	// NotYetCurrent: the request time is more than 5 minutes after the emulator's clock.
	NotYetCurrent
)

// Error is a refused signature.
type Error struct {
	Failure Failure
	Message string
}

func (e *Error) Error() string { return e.Message }

// SignatureMismatchMessage is AWS's text for a signature that does not match.
const SignatureMismatchMessage = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// InvalidTokenMessage is AWS's text for an unknown access key.
const InvalidTokenMessage = "The security token included in the request is invalid."

// MaxSkew is how far a request's time may be from the emulator's clock.
const MaxSkew = 5 * time.Minute

const amzDateFormat = "20060102T150405Z"

// Verify checks the SigV4 signature of r (whose body has been read into body) with secret, as
// AWS does: the canonical request built from the client's SignedHeaders, the credential scope,
// and the request time within MaxSkew of now.
func Verify(r *http.Request, body []byte, cred Credential, secret string, now time.Time) error {
	if cred.Signature == "" || len(cred.SignedHeaders) == 0 || cred.AmzDate == "" {
		return &Error{Incomplete, "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and an X-Amz-Date."}
	}
	t, err := time.Parse(amzDateFormat, cred.AmzDate)
	if err != nil {
		return &Error{Incomplete, fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'.", cred.AmzDate)}
	}
	now = now.UTC()
	if t.Before(now.Add(-MaxSkew)) {
		return &Error{Expired, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			cred.AmzDate, now.Add(-MaxSkew).Format(amzDateFormat), now.Format(amzDateFormat))}
	}
	if t.After(now.Add(MaxSkew)) {
		return &Error{NotYetCurrent, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			cred.AmzDate, now.Add(MaxSkew).Format(amzDateFormat), now.Format(amzDateFormat))}
	}
	key := signingKey(secret, cred.Date, cred.Region, cred.Service)
	scope := cred.Date + "/" + cred.Region + "/" + cred.Service + "/aws4_request"
	presigned := r.Header.Get("Authorization") == ""
	for _, payload := range payloadHashes(r, body, presigned) {
		canonical := canonicalRequest(r, cred.SignedHeaders, presigned, payload)
		sum := sha256.Sum256([]byte(canonical))
		toSign := "AWS4-HMAC-SHA256\n" + cred.AmzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
		want := hex.EncodeToString(hmacSHA256(key, toSign))
		if hmac.Equal([]byte(want), []byte(cred.Signature)) {
			return nil
		}
	}
	return &Error{BadSignature, SignatureMismatchMessage}
}

// payloadHashes are the payload hashes a signer may have used: X-Amz-Content-Sha256 when sent;
// else the body's SHA-256, and for presigned requests also UNSIGNED-PAYLOAD (signers differ).
func payloadHashes(r *http.Request, body []byte, presigned bool) []string {
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		return []string{h}
	}
	sum := sha256.Sum256(body)
	hashes := []string{hex.EncodeToString(sum[:])}
	if presigned {
		hashes = append(hashes, "UNSIGNED-PAYLOAD")
	}
	return hashes
}

func canonicalRequest(r *http.Request, signed []string, presigned bool, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query(), presigned))
	b.WriteByte('\n')
	for _, h := range signed {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(headerValue(r, h))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// canonicalURI escapes the path as sent once more, as SigV4 does for every service but S3.
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return escape(p, false)
}

func canonicalQuery(q url.Values, presigned bool) string {
	if presigned {
		q.Del("X-Amz-Signature")
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, escape(k, true)+"="+escape(v, true))
		}
	}
	return strings.Join(parts, "&")
}

func headerValue(r *http.Request, name string) string {
	var vals []string
	switch name {
	case "host":
		vals = []string{r.Host}
	case "content-length":
		if v := r.Header.Values("Content-Length"); len(v) > 0 {
			vals = v
		} else {
			vals = []string{fmt.Sprint(r.ContentLength)}
		}
	default:
		vals = r.Header.Values(name)
	}
	for i, v := range vals {
		vals[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(vals, ",")
}

// escape percent-encodes every byte but the RFC 3986 unreserved ones (and '/' unless encodeSep).
func escape(s string, encodeSep bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSep) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
