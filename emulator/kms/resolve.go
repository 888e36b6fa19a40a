package kms

import (
	"errors"
	"regexp"
	"strings"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

var (
	keyIDPattern = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)
	arnPattern   = regexp.MustCompile(`^arn:(aws[a-z-]*):kms:([a-z0-9-]+):([0-9]{12}):(key|alias)/(.+)$`)
)

// arnMatch matches a KMS ARN, skipping the regular expression for the common bare key id.
func arnMatch(keyID string) []string {
	if !strings.HasPrefix(keyID, "arn:") {
		return nil
	}
	return arnPattern.FindStringSubmatch(keyID)
}

// KeyARN returns the ARN of a key.
func KeyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// AliasARN returns the ARN of an alias; name includes "alias/".
func AliasARN(region, account, name string) string {
	return "arn:aws:kms:" + region + ":" + account + ":" + name
}

// keyRef is a parsed KeyId parameter.
type keyRef struct {
	account, region string
	id              string // key id, when the reference names a key
	alias           string // alias name with "alias/", when it names an alias
}

// parseKeyRef parses a KeyId parameter: key id, key ARN and, where aliases are allowed, alias
// name or alias ARN. Its errors are the NotFoundException forms AWS uses (AWS-BEHAVIOUR §5.1).
func (s *Service) parseKeyRef(rc *Request, keyID string, aliases bool) (keyRef, error) {
	invalid := func() error { return awsproto.Errorf(codeNotFound, "Invalid keyId '%s'", keyID) }
	ref := keyRef{account: rc.Caller.Account, region: rc.Region}
	if m := arnMatch(keyID); m != nil {
		if m[2] != rc.Region {
			return keyRef{}, awsproto.Errorf(codeNotFound, "Invalid arn %s", m[2])
		}
		ref.account = m[3]
		if m[4] == "alias" {
			ref.alias = "alias/" + m[5]
		} else {
			ref.id = m[5]
		}
	} else if strings.HasPrefix(keyID, "alias/") {
		ref.alias = keyID
	} else {
		ref.id = keyID
	}
	switch {
	case ref.alias != "" && !aliases:
		// Operations that take only key ids and key ARNs treat an alias as a malformed key id.
		// UNVERIFIED: AWS's exact answer; this is the closest documented form (§5.1).
		return keyRef{}, invalid()
	case ref.id != "" && !keyIDPattern.MatchString(ref.id):
		return keyRef{}, invalid()
	}
	return ref, nil
}

// resolveKey finds the key a KeyId parameter names, in any state, and authorizes action on it
// for the caller (an empty action skips authorization: the caller has decided it). A key whose
// deletion date has passed on the clock is deleted here and is not found, as on AWS.
func (s *Service) resolveKey(rc *Request, action, keyID string, aliases bool) (store.Key, error) {
	ref, err := s.parseKeyRef(rc, keyID, aliases)
	if err != nil {
		return store.Key{}, err
	}
	id := ref.id
	if ref.alias != "" {
		a, err := s.store.Alias(ref.account, ref.region, ref.alias)
		if err != nil {
			return store.Key{}, awsproto.Errorf(codeNotFound, "Alias %s is not found.", AliasARN(ref.region, ref.account, ref.alias))
		}
		id = a.TargetKeyID
	}
	k, err := s.store.Key(id)
	if err == nil && (k.Account != ref.account || k.Region != ref.region) {
		err = store.ErrNotFound
	}
	if err == nil && s.expired(k) {
		_ = s.store.DeleteKey(k.ID)
		err = store.ErrNotFound
		if ref.alias != "" {
			// Deleting the key deleted its aliases with it: the alias is what is not found.
			return store.Key{}, awsproto.Errorf(codeNotFound, "Alias %s is not found.", AliasARN(ref.region, ref.account, ref.alias))
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Key{}, awsproto.Errorf(codeNotFound, "Key '%s' does not exist", KeyARN(ref.region, ref.account, id))
	}
	if err != nil {
		return store.Key{}, err
	}
	if action != "" {
		if err := s.authorizeKey(rc, action, k); err != nil {
			return store.Key{}, err
		}
	}
	return k, nil
}

// expired reports whether a key pending deletion has reached its deletion date.
func (s *Service) expired(k store.Key) bool {
	return k.State == statePendingDeletion && !s.now().Before(k.DeletionDate)
}

// liveKeys lists an account's keys in a region, deleting those whose deletion date has passed.
func (s *Service) liveKeys(account, region string) []store.Key {
	keys := s.store.Keys(account, region)
	live := keys[:0]
	for _, k := range keys {
		if s.expired(k) {
			_ = s.store.DeleteKey(k.ID)
			continue
		}
		live = append(live, k)
	}
	return live
}

// usable checks the key states that refuse cryptographic operations (Sign, Verify, GetPublicKey,
// CreateGrant): Disabled -> DisabledException, PendingDeletion -> KMSInvalidStateException.
func usable(k store.Key) error {
	switch k.State {
	case stateDisabled:
		return errDisabled(k.ARN)
	case statePendingDeletion:
		return errPendingDeletion(k.ARN)
	}
	return nil
}

// notPendingDeletion checks the state of management operations refused while the key is pending
// deletion (EnableKey, DisableKey, TagResource, CreateAlias, UpdateKeyDescription...).
func notPendingDeletion(k store.Key) error {
	if k.State == statePendingDeletion {
		return errPendingDeletion(k.ARN)
	}
	return nil
}

// updateKey applies fn to a key through the store and maps a vanished key to NotFound.
func (s *Service) updateKey(k store.Key, fn func(*store.Key) error) (store.Key, error) {
	out, err := s.store.UpdateKey(k.ID, fn)
	if errors.Is(err, store.ErrNotFound) {
		return store.Key{}, awsproto.Errorf(codeNotFound, "Key '%s' does not exist", k.ARN)
	}
	return out, err
}
