package kms

import (
	"regexp"
	"strings"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

var aliasNamePattern = regexp.MustCompile(`^[a-zA-Z0-9:/_-]+$`)

// maxAliasesPerKey is the number of aliases one key can have.
const maxAliasesPerKey = 50

// checkAliasName validates an AliasName member: the model's constraints, then KMS's prefix rules.
func checkAliasName(name string, creating bool) error {
	var c awsproto.Checks
	c.Required("aliasName", name != "")
	if name != "" {
		c.Length("aliasName", name, 1, 256)
		c.Pattern("aliasName", name, "^[a-zA-Z0-9:/_-]+$", aliasNamePattern.MatchString(name))
	}
	if err := c.Err(); err != nil {
		return err
	}
	if !strings.HasPrefix(name, "alias/") {
		return awsproto.Errorf(codeValidation,
			`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
	}
	if creating && strings.HasPrefix(name, "alias/aws/") {
		// The code is the model's for invalid alias names; the text is UNVERIFIED.
		return awsproto.Errorf(codeInvalidAliasName,
			"Alias %s cannot be created: the alias/aws/ prefix is reserved for AWS managed keys.", name)
	}
	return nil
}

// aliasTarget resolves the TargetKeyId of CreateAlias and UpdateAlias: a key id or key ARN of a
// key in the caller's account and region that is not pending deletion.
func (s *Service) aliasTarget(rc *Request, action, targetKeyID string) (store.Key, error) {
	k, err := s.resolveKey(rc, action, targetKeyID, false)
	if err != nil {
		return store.Key{}, err
	}
	if k.Account != rc.Caller.Account {
		return store.Key{}, awsproto.Errorf(codeNotFound, "Key '%s' does not exist", KeyARN(rc.Region, rc.Caller.Account, k.ID))
	}
	if err := notPendingDeletion(k); err != nil {
		return store.Key{}, err
	}
	n := 0
	for _, a := range s.store.Aliases(rc.Caller.Account, rc.Region) {
		if a.TargetKeyID == k.ID {
			n++
		}
	}
	if n >= maxAliasesPerKey {
		return store.Key{}, awsproto.Errorf(codeLimitExceeded, "Key %s already has %d aliases, the limit.", k.ARN, maxAliasesPerKey)
	}
	return k, nil
}

func aliasNotFound(rc *Request, name string) error {
	return awsproto.Errorf(codeNotFound, "Alias %s is not found.", AliasARN(rc.Region, rc.Caller.Account, name))
}

// sameKind reports whether two keys may be the old and new targets of one alias: same key type
// (symmetric, asymmetric or HMAC) and same key usage.
func sameKind(a, b store.Key) bool {
	kind := func(k store.Key) string {
		switch {
		case k.KeySpec == "SYMMETRIC_DEFAULT":
			return "symmetric"
		case strings.HasPrefix(k.KeySpec, "HMAC_"):
			return "hmac"
		}
		return "asymmetric"
	}
	return kind(a) == kind(b) && a.KeyUsage == b.KeyUsage
}
