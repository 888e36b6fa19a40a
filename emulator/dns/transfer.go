package dns

import (
	mdns "github.com/miekg/dns"
)

// transfer answers AXFR (over TCP only): SOA, every authoritative RRset (with its RRSIGs and the
// NSEC chain when the zone signs), glue, and the SOA again. IXFR is answered with a full
// transfer.
func (h *Handler) transfer(w mdns.ResponseWriter, r *mdns.Msg, z *zone) {
	if isUDP(w) || z.soa == nil {
		m := new(mdns.Msg)
		m.SetRcode(r, mdns.RcodeRefused)
		_ = w.WriteMsg(m)
		return
	}
	sign := z.signing
	records := h.withSigs(z, []mdns.RR{z.soa}, sign)
	for i, name := range z.names {
		for t := range z.rrsets[name] {
			if t == mdns.TypeSOA && name == z.name {
				continue
			}
			rrs := z.rrsets[name][t]
			if z.cuts[name] && t == mdns.TypeNS {
				records = append(records, rrs...) // delegation NS records are not signed
				continue
			}
			records = append(records, h.withSigs(z, rrs, sign)...)
		}
		for t := range z.aliases[name] {
			records = append(records, h.withSigs(z, h.lookup(z, name, t), sign)...)
		}
		if sign {
			records = append(records, h.withSigs(z, []mdns.RR{h.nsecAt(z, i)}, true)...)
		}
	}
	for cut := range z.cuts { // glue
		for _, ns := range z.rrsets[cut][mdns.TypeNS] {
			host := ns.(*mdns.NS).Ns
			if z.occluded(host) {
				records = append(records, z.rrsets[host][mdns.TypeA]...)
				records = append(records, z.rrsets[host][mdns.TypeAAAA]...)
			}
		}
	}
	records = append(records, z.soa)

	ch := make(chan *mdns.Envelope)
	tr := new(mdns.Transfer)
	done := make(chan error, 1)
	go func() { done <- tr.Out(w, r, ch) }()
	const perEnvelope = 100
	for i := 0; i < len(records); i += perEnvelope {
		ch <- &mdns.Envelope{RR: records[i:min(i+perEnvelope, len(records))]}
	}
	close(ch)
	if err := <-done; err != nil {
		h.log.Warn("dns: zone transfer failed", "zone", z.id, "err", err)
	}
}
