package dns

import (
	"crypto"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/emulator/store"
)

// zone is a hosted zone compiled for serving: its record sets parsed into RRs by owner and type.
type zone struct {
	id, name string
	version  uint64
	resignAt time.Time // when the zone must be read again through SignedZone
	signing  bool
	soa      *mdns.SOA
	rrsets   map[string]map[uint16][]mdns.RR         // owner -> type -> RRset
	aliases  map[string]map[uint16]store.AliasTarget // aliases to other zones, resolved per query
	cuts     map[string]bool                         // delegation points below the apex
	names    []string                                // authoritative owner names in canonical order
	zsk      crypto.Signer
	zskTag   uint16
	dnskeys  []mdns.RR
	keySigs  []*mdns.RRSIG
}

// compile parses a stored zone. Values that do not parse (the API checks them) are logged and
// skipped.
func compile(z store.Zone, log *slog.Logger) *zone {
	c := &zone{id: z.ID, name: z.Name, version: z.Version, signing: z.DNSSEC.Signing,
		rrsets: map[string]map[uint16][]mdns.RR{}, aliases: map[string]map[uint16]store.AliasTarget{}, cuts: map[string]bool{}}
	add := func(owner string, rr mdns.RR) {
		t := rr.Header().Rrtype
		if c.rrsets[owner] == nil {
			c.rrsets[owner] = map[uint16][]mdns.RR{}
		}
		c.rrsets[owner][t] = append(c.rrsets[owner][t], rr)
	}
	chosen := map[[2]string]string{} // name, type -> the set identifier served
	for _, r := range z.Records {
		owner := wireName(r.Name)
		k := [2]string{owner, r.Type}
		if id, seen := chosen[k]; seen && id != r.SetIdentifier && (r.MultiValueAnswer == nil || !*r.MultiValueAnswer) {
			// Routing policies (weighted, latency...) answer with one record set; kms53 answers
			// deterministically with the first by set identifier, or all of a multivalue answer.
			continue
		}
		chosen[k] = r.SetIdentifier
		if r.Alias != nil {
			t := mdns.StringToType[r.Type]
			if c.aliases[owner] == nil {
				c.aliases[owner] = map[uint16]store.AliasTarget{}
			}
			c.aliases[owner][t] = *r.Alias
			continue
		}
		ttl := int64(300)
		if r.TTL != nil {
			ttl = *r.TTL
		}
		for _, v := range r.Values {
			rr, err := mdns.NewRR(fmt.Sprintf("%s %d IN %s %s", owner, ttl, r.Type, v))
			if err != nil || rr == nil {
				log.Warn("dns: skipping a record that does not parse", "zone", z.ID, "name", r.Name, "type", r.Type, "err", err)
				continue
			}
			add(owner, rr)
		}
	}
	if soa, ok := c.rrsets[c.name][mdns.TypeSOA]; ok && len(soa) > 0 {
		c.soa = soa[0].(*mdns.SOA)
	}
	// Aliases whose target lies in this zone are resolved once, here.
	for owner, byType := range c.aliases {
		for t, a := range byType {
			target := wireName(a.DNSName)
			if a.HostedZoneID == z.ID && len(c.rrsets[target][t]) > 0 {
				for _, rr := range c.rrsets[target][t] {
					cp := mdns.Copy(rr)
					cp.Header().Name = owner
					add(owner, cp)
				}
				delete(byType, t)
			}
		}
	}
	for owner := range c.rrsets {
		if owner != c.name && len(c.rrsets[owner][mdns.TypeNS]) > 0 {
			c.cuts[owner] = true
		}
	}
	names := map[string]bool{}
	for owner := range c.rrsets {
		names[owner] = true
	}
	for owner := range c.aliases {
		names[owner] = true
	}
	for n := range names {
		if !c.occluded(n) {
			c.names = append(c.names, n)
		}
	}
	slices.SortFunc(c.names, canonicalCompare)
	if c.signing {
		c.zsk = z.DNSSEC.ZSK
		for _, s := range z.DNSSEC.DNSKEYs {
			if rr, err := mdns.NewRR(s); err == nil {
				c.dnskeys = append(c.dnskeys, rr)
				if k, ok := rr.(*mdns.DNSKEY); ok && k.Flags == 256 {
					c.zskTag = k.KeyTag()
				}
			}
		}
		for _, s := range z.DNSSEC.DNSKEYSigs {
			if rr, err := mdns.NewRR(s); err == nil {
				c.keySigs = append(c.keySigs, rr.(*mdns.RRSIG))
			}
		}
		if len(c.dnskeys) > 0 {
			c.rrsets[c.name][mdns.TypeDNSKEY] = c.dnskeys
		}
	}
	return c
}

// occluded reports whether a name lies below a delegation point: glue, not authoritative data.
func (z *zone) occluded(name string) bool {
	for cut := range z.cuts {
		if name != cut && mdns.IsSubDomain(cut, name) {
			return true
		}
	}
	return false
}

// cutAbove returns the delegation point at or above name, if any.
func (z *zone) cutAbove(name string) (string, bool) {
	for n := name; n != z.name && mdns.IsSubDomain(z.name, n); {
		if z.cuts[n] {
			return n, true
		}
		i, end := mdns.NextLabel(n, 0)
		if end {
			break
		}
		n = n[i:]
	}
	return "", false
}

// exists reports whether a name owns data (or an alias) in the zone.
func (z *zone) exists(name string) bool {
	return len(z.rrsets[name]) > 0 || len(z.aliases[name]) > 0
}

// hasDescendant reports whether some owner lies below name: then name is an empty non-terminal.
func (z *zone) hasDescendant(name string) bool {
	for _, n := range z.names {
		if n != name && mdns.IsSubDomain(name, n) {
			return true
		}
	}
	return false
}

// wireName turns a stored name (lower case, raw bytes) into DNS presentation form.
func wireName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '*' && (i == 0 || name[i-1] == '.'):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03d", c)
		}
	}
	return mdns.Fqdn(b.String())
}

// canonicalCompare orders names canonically (RFC 4034 §6.1): by labels from the root down,
// each compared as lower-case bytes, a name before its descendants.
func canonicalCompare(a, b string) int {
	la, lb := labels(a), labels(b)
	for i := 0; i < len(la) && i < len(lb); i++ {
		if c := strings.Compare(la[i], lb[i]); c != 0 {
			return c
		}
	}
	return len(la) - len(lb)
}

// labels returns a name's labels from the root down, unescaped and lower-cased.
func labels(name string) []string {
	var out []string
	for _, l := range mdns.SplitDomainName(name) {
		out = append(out, strings.ToLower(unescape(l)))
	}
	slices.Reverse(out)
	return out
}

// unescape decodes the \DDD and \X escapes of a presentation-format label.
func unescape(l string) string {
	if !strings.Contains(l, `\`) {
		return l
	}
	digit := func(c byte) bool { return '0' <= c && c <= '9' }
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] != '\\' || i+1 == len(l):
			b.WriteByte(l[i])
		case i+3 < len(l) && digit(l[i+1]) && digit(l[i+2]) && digit(l[i+3]):
			b.WriteByte(byte(int(l[i+1]-'0')*100 + int(l[i+2]-'0')*10 + int(l[i+3]-'0')))
			i += 3
		default:
			b.WriteByte(l[i+1])
			i++
		}
	}
	return b.String()
}
