package kms

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"slices"
	"strings"

	"github.com/kms53/kms53/emulator/store"
)

// grantOperations lists the operations a grant may allow on a key of each kind (AWS KMS
// developer guide, "Grant operations"): grants on asymmetric keys cannot allow data key
// operations, and so on.
func grantOperations(k store.Key) []string {
	common := []string{"DescribeKey", "CreateGrant", "RetireGrant"}
	switch {
	case k.KeySpec == "SYMMETRIC_DEFAULT":
		return append(common, "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
			"ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext")
	case k.KeyUsage == "GENERATE_VERIFY_MAC":
		return append(common, "GenerateMac", "VerifyMac")
	case k.KeyUsage == "SIGN_VERIFY":
		return append(common, "Sign", "Verify", "GetPublicKey")
	case k.KeyUsage == "KEY_AGREEMENT":
		return append(common, "DeriveSharedSecret", "GetPublicKey")
	}
	return append(common, "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey")
}

// granteeMatches reports whether a grant's principal names the caller: its ARN, its role (for
// an assumed-role session), its account root, or its service principal name.
func granteeMatches(principal string, rc *Request) bool {
	c := rc.Caller
	switch {
	case principal == "":
		return false
	case c.Service != "":
		return strings.EqualFold(principal, c.Service)
	}
	return principal == c.ARN || (c.RoleARN != "" && principal == c.RoleARN) ||
		(c.IsRoot() && (principal == c.Account || principal == "arn:aws:iam::"+c.Account+":root"))
}

// grantAllows finds a grant on k that lets the caller perform action.
func (s *Service) grantAllows(rc *Request, action string, k store.Key) (store.Grant, bool) {
	op, ok := strings.CutPrefix(action, "kms:")
	if !ok {
		return store.Grant{}, false
	}
	for _, g := range s.store.Grants(k.ID) {
		if !granteeMatches(g.GranteePrincipal+g.GranteeServicePrincipal, rc) || !slices.Contains(g.Operations, op) {
			continue
		}
		if g.SourceArn != "" {
			if src := rc.Context[strings.ToLower("aws:SourceArn")]; len(src) == 0 || src[0] != g.SourceArn {
				continue
			}
		}
		return g, true
	}
	return store.Grant{}, false
}

// newGrantID returns a grant id: 64 hex characters, as KMS's are.
func (s *Service) newGrantID() string { return hex.EncodeToString(s.random(32)) }

// newGrantToken returns an opaque grant token.
func (s *Service) newGrantToken() string { return base64.RawStdEncoding.EncodeToString(s.random(96)) }

// random reads n bytes from the identifier source (Config.Rand).
func (s *Service) random(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		panic("kms: the ID source failed: " + err.Error())
	}
	return b
}

// findGrantByToken finds the grant a token belongs to.
func (s *Service) findGrantByToken(token string) (store.Grant, bool) {
	for _, g := range s.store.AllGrants() {
		if g.Token == token {
			return g, true
		}
	}
	return store.Grant{}, false
}
