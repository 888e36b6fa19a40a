// Package store keeps the emulator's state: keys, aliases and (as later services arrive) grants,
// hosted zones and record sets. Services reach it through the Store interface, so a persistent
// implementation can replace Memory without touching them. Records go in and come out as copies;
// no caller holds a pointer into the store, and no lock is held while a caller does crypto.
package store

import (
	"cmp"
	"crypto"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/kms53/kms53/emulator/policy"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrExists is returned when a record with the same identity exists already.
var ErrExists = errors.New("store: already exists")

// Key is one KMS key. Signer and Secret are the key material: they are set once at creation and
// never change, so copies of a Key share them safely.
type Key struct {
	ID           string
	ARN          string
	Account      string
	Region       string
	Description  string
	KeySpec      string
	KeyUsage     string
	Origin       string
	MultiRegion  bool
	State        string // Enabled, Disabled or PendingDeletion
	CreationDate time.Time
	DeletionDate time.Time // set while State is PendingDeletion
	Policy       string
	Compiled     *policy.Policy // Policy, parsed once when it was set
	Tags         []Tag
	Signer       crypto.Signer // asymmetric keys
	Secret       []byte        // symmetric and HMAC keys
	Seq          uint64        // creation order, set by the store
}

// Tag is a key tag.
type Tag struct {
	Key   string
	Value string
}

// Alias is a KMS alias. Name includes the "alias/" prefix.
type Alias struct {
	Name            string
	ARN             string
	Account         string
	Region          string
	TargetKeyID     string
	CreationDate    time.Time
	LastUpdatedDate time.Time
}

// Store is the state behind the services.
type Store interface {
	// CreateKey adds k; ErrExists if its ID is taken.
	CreateKey(k Key) error
	// Key returns the key with this ID, in any account and region.
	Key(id string) (Key, error)
	// UpdateKey applies fn to the stored key under the store's lock and returns the result.
	// fn must not block; an error from fn leaves the key unchanged.
	UpdateKey(id string, fn func(*Key) error) (Key, error)
	// DeleteKey removes the key and every alias that targets it.
	DeleteKey(id string) error
	// Keys lists the keys of one account and region in creation order.
	Keys(account, region string) []Key

	// CreateAlias adds a; ErrExists if the account and region have an alias of that name.
	CreateAlias(a Alias) error
	// Alias returns the named alias of an account and region.
	Alias(account, region, name string) (Alias, error)
	// UpdateAlias applies fn to the stored alias.
	UpdateAlias(account, region, name string, fn func(*Alias) error) (Alias, error)
	// DeleteAlias removes the alias.
	DeleteAlias(account, region, name string) error
	// Aliases lists the aliases of one account and region, sorted by name.
	Aliases(account, region string) []Alias

	// CreateGrant adds a grant.
	CreateGrant(g Grant) error
	// Grants lists the grants of a key in creation order.
	Grants(keyID string) []Grant
	// AllGrants lists every grant in creation order.
	AllGrants() []Grant
	// DeleteGrant removes a grant of a key.
	DeleteGrant(keyID, grantID string) error

	// CreateZone, Zone, UpdateZone, DeleteZone and Zones keep hosted zones.
	CreateZone(z Zone) error
	Zone(id string) (Zone, error)
	UpdateZone(id string, fn func(*Zone) error) (Zone, error)
	DeleteZone(id string, fn func(Zone) error) error
	Zones(account string) []Zone
	ZoneHeads() []ZoneHead
	// CreateChange and Change keep Route 53 changes.
	CreateChange(c Change)
	Change(id string) (Change, error)

	// Reset removes all state.
	Reset()
}

// Grant is a KMS grant: permission for a grantee to use a key in some operations.
type Grant struct {
	ID    string
	Token string
	KeyID string
	Name  string
	// GranteePrincipal is an IAM principal ARN or account; GranteeServicePrincipal a service
	// principal name. Exactly one is set. Likewise for the retiring principal (optional).
	GranteePrincipal         string
	GranteeServicePrincipal  string
	RetiringPrincipal        string
	RetiringServicePrincipal string
	IssuingAccount           string
	Operations               []string
	// Constraints on the encryption context (symmetric keys only).
	EncryptionContextSubset map[string]string
	EncryptionContextEquals map[string]string
	// SourceArn is the resource a service-principal grant is for (Constraints.SourceArn).
	SourceArn    string
	CreationDate time.Time
	Seq          uint64
}

// Memory is the in-memory Store. The zero value is not usable; call NewMemory.
type Memory struct {
	mu      sync.RWMutex
	seq     uint64
	keys    map[string]*Key
	aliases map[aliasID]*Alias
	grants  map[string][]Grant // by key id
	zones   zones
}

type aliasID struct{ account, region, name string }

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	m := &Memory{}
	m.Reset()
	return m
}

// Reset implements Store.
func (m *Memory) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = map[string]*Key{}
	m.aliases = map[aliasID]*Alias{}
	m.grants = map[string][]Grant{}
	m.zones.reset()
}

// CreateKey implements Store.
func (m *Memory) CreateKey(k Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.keys[k.ID]; ok {
		return ErrExists
	}
	m.seq++
	k.Seq = m.seq
	k.Tags = slices.Clone(k.Tags)
	m.keys[k.ID] = &k
	return nil
}

// Key implements Store.
func (m *Memory) Key(id string) (Key, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k, ok := m.keys[id]
	if !ok {
		return Key{}, ErrNotFound
	}
	return k.clone(), nil
}

// UpdateKey implements Store.
func (m *Memory) UpdateKey(id string, fn func(*Key) error) (Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return Key{}, ErrNotFound
	}
	c := k.clone()
	if err := fn(&c); err != nil {
		return Key{}, err
	}
	c.ID, c.Seq = k.ID, k.Seq
	*k = c
	return c.clone(), nil
}

// DeleteKey implements Store.
func (m *Memory) DeleteKey(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.keys[id]; !ok {
		return ErrNotFound
	}
	delete(m.keys, id)
	delete(m.grants, id)
	for aid, a := range m.aliases {
		if a.TargetKeyID == id {
			delete(m.aliases, aid)
		}
	}
	return nil
}

// Keys implements Store.
func (m *Memory) Keys(account, region string) []Key {
	m.mu.RLock()
	var out []Key
	for _, k := range m.keys {
		if k.Account == account && k.Region == region {
			out = append(out, k.clone())
		}
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Key) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// CreateAlias implements Store.
func (m *Memory) CreateAlias(a Alias) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := aliasID{a.Account, a.Region, a.Name}
	if _, ok := m.aliases[id]; ok {
		return ErrExists
	}
	m.aliases[id] = &a
	return nil
}

// Alias implements Store.
func (m *Memory) Alias(account, region, name string) (Alias, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.aliases[aliasID{account, region, name}]
	if !ok {
		return Alias{}, ErrNotFound
	}
	return *a, nil
}

// UpdateAlias implements Store.
func (m *Memory) UpdateAlias(account, region, name string, fn func(*Alias) error) (Alias, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.aliases[aliasID{account, region, name}]
	if !ok {
		return Alias{}, ErrNotFound
	}
	c := *a
	if err := fn(&c); err != nil {
		return Alias{}, err
	}
	*a = c
	return c, nil
}

// DeleteAlias implements Store.
func (m *Memory) DeleteAlias(account, region, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := aliasID{account, region, name}
	if _, ok := m.aliases[id]; !ok {
		return ErrNotFound
	}
	delete(m.aliases, id)
	return nil
}

// Aliases implements Store.
func (m *Memory) Aliases(account, region string) []Alias {
	m.mu.RLock()
	var out []Alias
	for _, a := range m.aliases {
		if a.Account == account && a.Region == region {
			out = append(out, *a)
		}
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Alias) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

func (k *Key) clone() Key {
	c := *k
	c.Tags = slices.Clone(k.Tags)
	return c
}

// AllKeys lists every key of every account and region in creation order.
func (m *Memory) AllKeys() []Key {
	m.mu.RLock()
	out := make([]Key, 0, len(m.keys))
	for _, k := range m.keys {
		out = append(out, k.clone())
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Key) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// AllAliases lists every alias of every account and region, sorted by ARN.
func (m *Memory) AllAliases() []Alias {
	m.mu.RLock()
	out := make([]Alias, 0, len(m.aliases))
	for _, a := range m.aliases {
		out = append(out, *a)
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Alias) int { return cmp.Compare(a.ARN, b.ARN) })
	return out
}

// CreateGrant implements Store.
func (m *Memory) CreateGrant(g Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.keys[g.KeyID]; !ok {
		return ErrNotFound
	}
	for _, have := range m.grants[g.KeyID] {
		if have.ID == g.ID {
			return ErrExists
		}
	}
	m.seq++
	g.Seq = m.seq
	m.grants[g.KeyID] = append(m.grants[g.KeyID], g)
	return nil
}

// Grants implements Store.
func (m *Memory) Grants(keyID string) []Grant {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.grants[keyID])
}

// AllGrants implements Store.
func (m *Memory) AllGrants() []Grant {
	m.mu.RLock()
	var out []Grant
	for _, gs := range m.grants {
		out = append(out, gs...)
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Grant) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// DeleteGrant implements Store.
func (m *Memory) DeleteGrant(keyID, grantID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	gs := m.grants[keyID]
	for i, g := range gs {
		if g.ID == grantID {
			m.grants[keyID] = slices.Delete(slices.Clone(gs), i, i+1)
			return nil
		}
	}
	return ErrNotFound
}
