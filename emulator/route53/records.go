package route53

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/kms53/kms53/emulator/store"
)

// rrsetKey names a record set: name, type and set identifier.
type rrsetKey struct{ name, typ, id string }

func keyOf(r store.RecordSet) rrsetKey { return rrsetKey{r.Name, r.Type, r.SetIdentifier} }

// describe is how Route 53's messages name a record set.
func (k rrsetKey) describe() string {
	if k.id != "" {
		return fmt.Sprintf("[name='%s', type='%s', set-identifier='%s']", presentName(k.name), k.typ, k.id)
	}
	return fmt.Sprintf("[name='%s', type='%s']", presentName(k.name), k.typ)
}

// compareRecords orders record sets as ListResourceRecordSets lists them: by name with the
// labels reversed, then type, then set identifier.
func compareRecords(a, b store.RecordSet) int {
	if c := compareNames(a.Name, b.Name); c != 0 {
		return c
	}
	if c := compareStrings(a.Type, b.Type); c != 0 {
		return c
	}
	return compareStrings(a.SetIdentifier, b.SetIdentifier)
}

// checkValue validates one ResourceRecord value of a type, returning Route 53's "Invalid
// Resource Record" problem text, or "".
func checkValue(typ, name, value string) string {
	fatal := func(problem string) string {
		return fmt.Sprintf("Invalid Resource Record: 'FATAL problem: %s encountered with '%s''", problem, value)
	}
	switch typ {
	case "A":
		if a, err := netip.ParseAddr(value); err != nil || !a.Is4() {
			return fatal("ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)")
		}
		return ""
	case "AAAA":
		if a, err := netip.ParseAddr(value); err != nil || !a.Is6() || a.Is4In6() && strings.Count(value, ":") < 2 {
			return fatal("AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)")
		}
		return ""
	case "TXT", "SPF":
		if !strings.HasPrefix(value, `"`) || !strings.HasSuffix(value, `"`) || len(value) < 2 {
			return fatal("InvalidCharacterString (Value should be enclosed in quotation marks)")
		}
	}
	if _, err := dns.NewRR(fmt.Sprintf("%s 300 IN %s %s", dns.Fqdn(name), typ, value)); err != nil {
		// UNVERIFIED problem text for types other than A, AAAA and TXT.
		return fatal(fmt.Sprintf("InvalidRDATA (Value is not valid %s record data)", typ))
	}
	return ""
}

// routing reports whether a record set names a routing policy (weighted, latency, failover...).
func routing(r store.RecordSet) bool {
	return r.Weight != nil || r.Region != "" || r.GeoLocation != nil || r.Failover != "" ||
		r.MultiValueAnswer != nil || r.CidrRouting != nil || r.GeoProximity != nil
}

// valuesEqual compares the data of two record sets for DELETE, which must name the current
// values exactly.
func valuesEqual(a, b store.RecordSet) bool {
	ttl := func(p *int64) int64 {
		if p == nil {
			return -1
		}
		return *p
	}
	norm := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = strings.ToLower(v)
		}
		slices.Sort(out)
		return out
	}
	aliasEq := (a.Alias == nil) == (b.Alias == nil) && (a.Alias == nil || strings.EqualFold(a.Alias.DNSName, b.Alias.DNSName) &&
		a.Alias.HostedZoneID == b.Alias.HostedZoneID && a.Alias.EvaluateTargetHealth == b.Alias.EvaluateTargetHealth)
	return ttl(a.TTL) == ttl(b.TTL) && slices.Equal(norm(a.Values), norm(b.Values)) && aliasEq
}
