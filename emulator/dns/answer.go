package dns

import (
	"strings"

	mdns "github.com/miekg/dns"
)

// maxCNAMEChain bounds CNAME chasing inside a zone.
const maxCNAMEChain = 8

// answer fills m for question q in zone z; sign adds DNSSEC records.
func (h *Handler) answer(m *mdns.Msg, z *zone, q mdns.Question, sign bool) {
	qname := strings.ToLower(mdns.Fqdn(q.Name))
	if cut, ok := z.cutAbove(qname); ok && !(cut == qname && q.Qtype == mdns.TypeDS) {
		h.referral(m, z, cut, sign)
		return
	}
	for range maxCNAMEChain {
		if z.exists(qname) {
			if z.signing && (q.Qtype == mdns.TypeNSEC || q.Qtype == mdns.TypeRRSIG) {
				m.Answer = append(m.Answer, h.dnssecRecords(z, qname, q.Qtype, sign)...)
				return
			}
			if rrs := h.lookup(z, qname, q.Qtype); len(rrs) > 0 {
				m.Answer = append(m.Answer, h.withSigs(z, rrs, sign)...)
				return
			}
			if q.Qtype != mdns.TypeCNAME {
				if cname := z.rrsets[qname][mdns.TypeCNAME]; len(cname) > 0 {
					m.Answer = append(m.Answer, h.withSigs(z, cname, sign)...)
					target := strings.ToLower(cname[0].(*mdns.CNAME).Target)
					if _, delegated := z.cutAbove(target); delegated || !mdns.IsSubDomain(z.name, target) {
						// The resolver follows targets outside the zone, and in delegated
						// children: the parent has no authoritative answer there (glue is not).
						return
					}
					qname = target
					continue
				}
			}
			h.negative(m, z, qname, mdns.RcodeSuccess, sign)
			return
		}
		if z.hasDescendant(qname) {
			h.negative(m, z, qname, mdns.RcodeSuccess, sign) // empty non-terminal: NODATA
			return
		}
		if h.wildcard(m, z, qname, q.Qtype, sign) {
			return
		}
		h.negative(m, z, qname, mdns.RcodeNameError, sign)
		return
	}
}

// dnssecRecords answers a query for the NSEC or the RRSIGs of a name of a signing zone: records
// that exist there though no stored record set holds them (RRSIGs are not signed themselves).
func (h *Handler) dnssecRecords(z *zone, name string, t uint16, sign bool) []mdns.RR {
	nsec := []mdns.RR{h.nsec(z, name)}
	if t == mdns.TypeNSEC {
		return h.withSigs(z, nsec, sign)
	}
	var out []mdns.RR
	for _, typ := range nsec[0].(*mdns.NSEC).TypeBitMap { // every type at the name
		rrs := nsec
		switch typ {
		case mdns.TypeRRSIG:
			continue
		case mdns.TypeNSEC:
		default:
			rrs = h.lookup(z, name, typ)
		}
		out = append(out, h.withSigs(z, rrs, true)[len(rrs):]...)
	}
	return out
}

// lookup returns the RRset of a type at a name: its own records or, for an alias to another
// hosted zone, the target's records under the alias's name.
func (h *Handler) lookup(z *zone, name string, t uint16) []mdns.RR {
	if rrs := z.rrsets[name][t]; len(rrs) > 0 {
		return rrs
	}
	a, ok := z.aliases[name][t]
	if !ok {
		return nil
	}
	target := wireName(a.DNSName)
	tz := h.find(target)
	if tz == nil {
		return nil // an alias to a resource outside the emulator (CloudFront, ELB...) has no data here
	}
	var out []mdns.RR
	for _, rr := range tz.rrsets[target][t] {
		cp := mdns.Copy(rr)
		cp.Header().Name = name
		out = append(out, cp)
	}
	return out
}

// wildcard answers from a wildcard record at the closest encloser, if there is one.
func (h *Handler) wildcard(m *mdns.Msg, z *zone, qname string, t uint16, sign bool) bool {
	ce := z.closestEncloser(qname)
	wild := "*." + ce
	rrs := z.rrsets[wild][t]
	if len(rrs) == 0 {
		if cname := z.rrsets[wild][mdns.TypeCNAME]; len(cname) > 0 {
			rrs = cname
		} else if z.exists(wild) {
			// NODATA from a wildcard: the wildcard's NSEC and the proof qname does not exist,
			// once when one NSEC is both.
			m.Ns = append(m.Ns, h.soaWithSigs(z, sign)...)
			if sign {
				m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{h.nsec(z, wild)}, true)...)
				if cover := h.covering(z, qname); cover.Header().Name != wild {
					m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{cover}, true)...)
				}
			}
			return true
		} else {
			return false
		}
	}
	var sigs []mdns.RR
	if sign {
		sigs = h.withSigs(z, rrs, true)[len(rrs):]
	}
	for _, rr := range rrs {
		cp := mdns.Copy(rr)
		cp.Header().Name = qname
		m.Answer = append(m.Answer, cp)
	}
	for _, s := range sigs {
		cp := mdns.Copy(s)
		cp.Header().Name = qname
		m.Answer = append(m.Answer, cp)
	}
	if sign {
		// The proof that no closer name matched (RFC 4035 §3.1.3.3).
		m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{h.covering(z, qname)}, true)...)
	}
	return true
}

// referral answers a query at or below a delegation point: the child's NS records, glue and,
// when signing, its DS records or the NSEC proof there are none. Without the DO bit the DS
// records stay out: a DS is a DNSSEC record, returned to such a client only when asked for
// (RFC 3225 §3, RFC 4035 §3.1.4).
func (h *Handler) referral(m *mdns.Msg, z *zone, cut string, sign bool) {
	m.Authoritative = false
	m.Ns = append(m.Ns, z.rrsets[cut][mdns.TypeNS]...)
	if sign {
		if ds := z.rrsets[cut][mdns.TypeDS]; len(ds) > 0 {
			m.Ns = append(m.Ns, h.withSigs(z, ds, true)...)
		} else {
			m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{h.nsec(z, cut)}, true)...)
		}
	}
	for _, ns := range z.rrsets[cut][mdns.TypeNS] {
		host := strings.ToLower(ns.(*mdns.NS).Ns)
		m.Extra = append(m.Extra, z.rrsets[host][mdns.TypeA]...)
		m.Extra = append(m.Extra, z.rrsets[host][mdns.TypeAAAA]...)
	}
}

// negative answers NODATA (rcode success) or NXDOMAIN: the SOA in the authority section and,
// when signing, the NSEC records that prove it.
func (h *Handler) negative(m *mdns.Msg, z *zone, qname string, rcode int, sign bool) {
	m.Rcode = rcode
	m.Ns = append(m.Ns, h.soaWithSigs(z, sign)...)
	if !sign {
		return
	}
	if rcode == mdns.RcodeSuccess && z.exists(qname) {
		m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{h.nsec(z, qname)}, true)...)
		return
	}
	cover := h.covering(z, qname)
	m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{cover}, true)...)
	if rcode == mdns.RcodeNameError {
		wild := h.covering(z, "*."+z.closestEncloser(qname))
		if wild.Header().Name != cover.Header().Name {
			m.Ns = append(m.Ns, h.withSigs(z, []mdns.RR{wild}, true)...)
		}
	}
}

// soaWithSigs is the zone's SOA for a negative answer, its TTL the negative-caching TTL.
func (h *Handler) soaWithSigs(z *zone, sign bool) []mdns.RR {
	if z.soa == nil {
		return nil
	}
	soa := mdns.Copy(z.soa).(*mdns.SOA)
	return h.withSigs(z, []mdns.RR{soa}, sign)
}

// closestEncloser is the longest ancestor of qname that exists in the zone (the apex at least).
func (z *zone) closestEncloser(qname string) string {
	for n := qname; mdns.IsSubDomain(z.name, n); {
		if n == z.name || z.exists(n) || z.hasDescendant(n) {
			return n
		}
		i, end := mdns.NextLabel(n, 0)
		if end {
			break
		}
		n = n[i:]
	}
	return z.name
}
