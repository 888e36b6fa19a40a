package dns

import (
	"crypto/sha256"
	"sort"
	"sync"
	"time"

	mdns "github.com/miekg/dns"
)

// sigKey names a signed RRset: the zone, the ZSK and the RRset's content.
type sigKey struct {
	zone    string
	keyTag  uint16
	content [32]byte
}

type sigEntry struct {
	sig   *mdns.RRSIG
	renew time.Time // re-sign from here on: half-way through the validity
}

// sigCache keeps the ZSK's signatures so that each RRset is signed once per half validity, not
// per query.
type sigCache struct {
	mu      sync.Mutex
	entries map[sigKey]sigEntry
}

// maxSigCache bounds the cache; it is emptied when full.
const maxSigCache = 1 << 16

// withSigs returns rrs followed, when signing, by their RRSIGs: the KMS-made signatures kept by
// Route 53 for the DNSKEY RRset (those not yet expired), the ZSK's for every other RRset.
func (h *Handler) withSigs(z *zone, rrs []mdns.RR, sign bool) []mdns.RR {
	if !sign || len(rrs) == 0 {
		return rrs
	}
	out := append([]mdns.RR(nil), rrs...)
	if rrs[0].Header().Rrtype == mdns.TypeDNSKEY {
		now := h.now()
		for _, s := range z.keySigs {
			if s.ValidityPeriod(now) {
				out = append(out, s)
			}
		}
		return out
	}
	if sig := h.sign(z, rrs); sig != nil {
		out = append(out, sig)
	}
	return out
}

// sign signs an RRset with the zone's ZSK, through the cache.
func (h *Handler) sign(z *zone, rrs []mdns.RR) *mdns.RRSIG {
	if z.zsk == nil {
		return nil
	}
	k := sigKey{zone: z.id, keyTag: z.zskTag, content: digest(rrs)}
	now := h.now()
	h.sigs.mu.Lock()
	e, ok := h.sigs.entries[k]
	h.sigs.mu.Unlock()
	if ok && now.Before(e.renew) {
		return e.sig
	}
	hdr := rrs[0].Header()
	sig := &mdns.RRSIG{
		Hdr:        mdns.RR_Header{Name: hdr.Name, Rrtype: mdns.TypeRRSIG, Class: mdns.ClassINET, Ttl: hdr.Ttl},
		Algorithm:  mdns.ECDSAP256SHA256,
		OrigTtl:    hdr.Ttl,
		Expiration: uint32(now.Add(h.validity).Unix()),
		Inception:  uint32(now.Add(-time.Hour).Unix()),
		KeyTag:     z.zskTag,
		SignerName: z.name,
	}
	if err := sig.Sign(z.zsk, rrs); err != nil {
		h.log.Error("dns: signing with the ZSK failed", "zone", z.id, "name", hdr.Name, "err", err)
		return nil
	}
	h.sigs.mu.Lock()
	if len(h.sigs.entries) >= maxSigCache {
		h.sigs.entries = map[sigKey]sigEntry{}
	}
	h.sigs.entries[k] = sigEntry{sig: sig, renew: now.Add(h.validity / 2)}
	h.sigs.mu.Unlock()
	return sig
}

// digest identifies an RRset's content.
func digest(rrs []mdns.RR) [32]byte {
	h := sha256.New()
	for _, rr := range rrs {
		h.Write([]byte(rr.String()))
		h.Write([]byte{0})
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// nsec is the NSEC record of an existing name: the next name in canonical order and the types
// the name owns.
func (h *Handler) nsec(z *zone, name string) *mdns.NSEC {
	i := sort.Search(len(z.names), func(i int) bool { return canonicalCompare(z.names[i], name) >= 0 })
	if i == len(z.names) || z.names[i] != name {
		return h.covering(z, name)
	}
	return h.nsecAt(z, i)
}

// covering is the NSEC that proves a name does not exist: the one of the last existing name
// before it, whose next name comes after it.
func (h *Handler) covering(z *zone, name string) *mdns.NSEC {
	i := sort.Search(len(z.names), func(i int) bool { return canonicalCompare(z.names[i], name) > 0 })
	prev := (i - 1 + len(z.names)) % len(z.names)
	return h.nsecAt(z, prev)
}

// nsecAt builds the NSEC of z.names[i]. Its bitmap always lists NSEC and RRSIG, since the NSEC
// itself is signed, even at a delegation without DS (RFC 4035 §2.3); at a delegation it lists no
// type but NS and DS, the parent's only authoritative data there (RFC 4034 §4.1.2).
func (h *Handler) nsecAt(z *zone, i int) *mdns.NSEC {
	ttl := h.nsecTTL(z)
	name := z.names[i]
	next := z.names[(i+1)%len(z.names)]
	types := []uint16{mdns.TypeNSEC, mdns.TypeRRSIG}
	for t := range z.rrsets[name] {
		if z.cuts[name] && t != mdns.TypeNS && t != mdns.TypeDS {
			continue
		}
		types = append(types, t)
	}
	for t := range z.aliases[name] {
		// An alias to a resource outside the emulator (CloudFront, a load balancer...) has no
		// data here, so its type is not listed: the NSEC must agree with the NODATA answer.
		if len(h.lookup(z, name, t)) > 0 {
			types = append(types, t)
		}
	}
	sort.Slice(types, func(a, b int) bool { return types[a] < types[b] })
	types = compactTypes(types)
	return &mdns.NSEC{Hdr: mdns.RR_Header{Name: name, Rrtype: mdns.TypeNSEC, Class: mdns.ClassINET, Ttl: ttl},
		NextDomain: next, TypeBitMap: types}
}

func compactTypes(ts []uint16) []uint16 {
	out := ts[:0]
	for i, t := range ts {
		if i == 0 || t != ts[i-1] {
			out = append(out, t)
		}
	}
	return out
}

// nsecTTL is the negative-caching TTL: the smaller of the SOA's TTL and its minimum (RFC 9077).
func (h *Handler) nsecTTL(z *zone) uint32 {
	if z.soa == nil {
		return 900
	}
	return min(z.soa.Hdr.Ttl, z.soa.Minttl)
}
