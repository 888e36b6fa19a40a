package store

import (
	"cmp"
	"crypto"
	"slices"
	"time"
)

// Zone is a Route 53 hosted zone with its record sets.
type Zone struct {
	ID              string // bare id, "Z..."
	Account         string
	Name            string // lower case, with the trailing dot
	CallerReference string
	Comment         string
	Private         bool
	VPCs            []VPC
	NameServers     []string // the delegation set (public zones)
	Records         []RecordSet
	CreatedAt       time.Time
	Seq             uint64
	Version         uint64 // incremented by every change of the zone
	KSKs            []KSK  // key-signing keys, in creation order
	DNSSEC          DNSSEC // signing state
}

// KSK is a Route 53 key-signing key: a KMS key Route 53 signs the zone's DNSKEY RRset with.
type KSK struct {
	Name          string
	KMSArn        string
	Status        string // ACTIVE, INACTIVE, ACTION_NEEDED, INTERNAL_FAILURE, DELETING
	StatusMessage string
	PublicKey     []byte // DNSSEC form, X‖Y
	GrantToken    string // the grant Route 53 holds on the KMS key
	CreatedAt     time.Time
	ModifiedAt    time.Time
}

// DNSSEC is a zone's signing state. ZSK is the zone-signing key Route 53 manages; the DNSKEY
// RRset's signatures (made through KMS) are kept as the last good ones until they expire.
type DNSSEC struct {
	Signing       bool // EnableHostedZoneDNSSEC called and not disabled since
	StatusMessage string
	ZSK           crypto.Signer
	SignedAt      time.Time // when Route 53 last re-signed the DNSKEY RRset
	DNSKEYs       []string  // the DNSKEY RRset last signed, presentation format
	DNSKEYSigs    []string  // its RRSIGs, made through KMS, presentation format
}

// ZoneHead is what identifies a zone and its version, without its records.
type ZoneHead struct {
	ID      string
	Name    string
	Private bool
	Version uint64
	Seq     uint64
}

// VPC is a VPC associated with a private hosted zone.
type VPC struct {
	Region string
	ID     string
}

// RecordSet is a resource record set of a hosted zone. Name is lower case with the trailing dot.
type RecordSet struct {
	Name                    string
	Type                    string
	SetIdentifier           string
	Weight                  *int64
	Region                  string
	GeoLocation             *GeoLocation
	Failover                string
	MultiValueAnswer        *bool
	TTL                     *int64
	Values                  []string
	Alias                   *AliasTarget
	HealthCheckID           string
	TrafficPolicyInstanceID string
	CidrRouting             *CidrRouting
	GeoProximity            *GeoProximity
}

// GeoLocation is a record set's geolocation routing.
type GeoLocation struct{ ContinentCode, CountryCode, SubdivisionCode string }

// AliasTarget is an alias record's target.
type AliasTarget struct {
	HostedZoneID         string
	DNSName              string
	EvaluateTargetHealth bool
}

// GeoProximity is a record set's geoproximity routing.
type GeoProximity struct {
	AWSRegion, LocalZoneGroup, Latitude, Longitude string
	Bias                                           *int64
}

// CidrRouting is a record set's CIDR routing configuration.
type CidrRouting struct{ CollectionID, LocationName string }

// Change is a Route 53 change (ChangeInfo).
type Change struct {
	ID          string // bare id, "C..."
	Account     string
	Comment     string
	SubmittedAt time.Time
}

// zones is the hosted-zone half of Memory's state.
type zones struct {
	byID       map[string]*Zone
	changes    map[string]Change
	callerRefs map[[2]string]bool // account, caller reference: never reusable
}

func (z *zones) reset() {
	z.byID = map[string]*Zone{}
	z.changes = map[string]Change{}
	z.callerRefs = map[[2]string]bool{}
}

func cloneZone(z *Zone) Zone {
	c := *z
	c.VPCs = slices.Clone(z.VPCs)
	c.NameServers = slices.Clone(z.NameServers)
	c.KSKs = slices.Clone(z.KSKs)
	c.DNSSEC.DNSKEYSigs = slices.Clone(z.DNSSEC.DNSKEYSigs)
	c.DNSSEC.DNSKEYs = slices.Clone(z.DNSSEC.DNSKEYs)
	c.Records = make([]RecordSet, len(z.Records))
	for i, r := range z.Records {
		c.Records[i] = r
		c.Records[i].Values = slices.Clone(r.Values)
	}
	return c
}

// CreateZone adds a hosted zone. ErrExists if the account has used its caller reference before
// (caller references are never reusable, even after the zone is deleted).
func (m *Memory) CreateZone(z Zone) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	ref := [2]string{z.Account, z.CallerReference}
	if m.zones.callerRefs[ref] {
		return ErrExists
	}
	if _, ok := m.zones.byID[z.ID]; ok {
		return ErrExists
	}
	m.seq++
	z.Seq = m.seq
	c := cloneZone(&z)
	m.zones.byID[z.ID] = &c
	m.zones.callerRefs[ref] = true
	return nil
}

// Zone returns a hosted zone by id.
func (m *Memory) Zone(id string) (Zone, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	z, ok := m.zones.byID[id]
	if !ok {
		return Zone{}, ErrNotFound
	}
	return cloneZone(z), nil
}

// UpdateZone applies fn to a copy of the zone and stores it if fn succeeds: all or nothing.
func (m *Memory) UpdateZone(id string, fn func(*Zone) error) (Zone, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	z, ok := m.zones.byID[id]
	if !ok {
		return Zone{}, ErrNotFound
	}
	c := cloneZone(z)
	if err := fn(&c); err != nil {
		return Zone{}, err
	}
	c.ID, c.Seq, c.Version = z.ID, z.Seq, z.Version+1
	*z = c
	return cloneZone(z), nil
}

// DeleteZone removes a hosted zone; fn, run under the lock, may refuse.
func (m *Memory) DeleteZone(id string, fn func(Zone) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	z, ok := m.zones.byID[id]
	if !ok {
		return ErrNotFound
	}
	if err := fn(cloneZone(z)); err != nil {
		return err
	}
	delete(m.zones.byID, id)
	return nil
}

// Zones lists the hosted zones of an account ("" for every account) in creation order.
func (m *Memory) Zones(account string) []Zone {
	m.mu.RLock()
	var out []Zone
	for _, z := range m.zones.byID {
		if account == "" || z.Account == account {
			out = append(out, cloneZone(z))
		}
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Zone) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// ZoneHeads lists every zone's identity and version in creation order, cheaply.
func (m *Memory) ZoneHeads() []ZoneHead {
	m.mu.RLock()
	out := make([]ZoneHead, 0, len(m.zones.byID))
	for _, z := range m.zones.byID {
		out = append(out, ZoneHead{ID: z.ID, Name: z.Name, Private: z.Private, Version: z.Version, Seq: z.Seq})
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b ZoneHead) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// CreateChange records a change.
func (m *Memory) CreateChange(c Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.zones.changes[c.ID] = c
}

// Change returns a change by id.
func (m *Memory) Change(id string) (Change, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.zones.changes[id]
	if !ok {
		return Change{}, ErrNotFound
	}
	return c, nil
}
