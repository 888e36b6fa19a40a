// Package dns serves the hosted zones of the emulator over DNS, authoritatively, from the
// Route 53 state: a miekg/dns Handler. Zones that sign are served with DNSSEC: the DNSKEY RRset
// with the signatures Route 53 made through KMS with each active KSK, every other RRset signed
// with the zone-signing key, and NSEC records for authenticated denial of existence.
package dns

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/emulator/store"
)

// Zones is where the handler reads zones from.
type Zones interface {
	// ZoneHeads lists the zones, cheaply.
	ZoneHeads() []store.ZoneHead
	// SignedZone returns a zone to serve, re-signed first when its re-sign interval has passed.
	SignedZone(id string) (store.Zone, error)
	// ResignAt is when a zone is next due to be re-signed; zero when it has no active KSK.
	ResignAt(z store.Zone) time.Time
}

// Config configures a Handler. Zones and Now are required.
type Config struct {
	Zones Zones
	Now   func() time.Time
	// SignatureValidity is how long the RRSIGs made with the zone-signing key are valid.
	// Default 14 days.
	SignatureValidity time.Duration
	Logger            *slog.Logger
}

// Handler answers DNS queries for the hosted zones. It implements mdns.Handler.
type Handler struct {
	zones    Zones
	now      func() time.Time
	validity time.Duration
	log      *slog.Logger

	mu       sync.Mutex
	compiled map[string]*zone // by zone id, for the zone version it was built from
	sigs     sigCache
}

// New returns a Handler.
func New(cfg Config) *Handler {
	h := &Handler{zones: cfg.Zones, now: cfg.Now, validity: cfg.SignatureValidity, log: cfg.Logger, compiled: map[string]*zone{}}
	if h.validity <= 0 {
		h.validity = 14 * 24 * time.Hour
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.sigs.entries = map[sigKey]sigEntry{}
	return h
}

// ServeDNS answers one query.
func (h *Handler) ServeDNS(w mdns.ResponseWriter, r *mdns.Msg) {
	m := new(mdns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	m.RecursionAvailable = false
	if len(r.Question) != 1 || r.Opcode != mdns.OpcodeQuery {
		m.SetRcode(r, mdns.RcodeNotImplemented)
		m.Authoritative = false
		_ = w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	do := false
	size := uint16(mdns.MinMsgSize)
	if opt := r.IsEdns0(); opt != nil {
		do, size = opt.Do(), max(opt.UDPSize(), mdns.MinMsgSize)
		m.SetEdns0(4096, do)
	}
	var z *zone
	if q.Qclass == mdns.ClassINET { // hosted zones hold class IN only
		z = h.find(q.Name)
	}
	if z != nil && q.Qtype == mdns.TypeDS && strings.EqualFold(mdns.Fqdn(q.Name), z.name) && z.name != "." {
		// DS records live in the parent: answer from the parent zone when it is hosted too.
		if i, end := mdns.NextLabel(z.name, 0); !end {
			if p := h.find(z.name[i:]); p != nil {
				z = p
			}
		}
	}
	if z == nil {
		m.Authoritative = false
		m.Rcode = mdns.RcodeRefused
		_ = w.WriteMsg(m)
		return
	}
	if q.Qtype == mdns.TypeAXFR || q.Qtype == mdns.TypeIXFR {
		h.transfer(w, r, z)
		return
	}
	h.answer(m, z, q, do && z.signing)
	if isUDP(w) {
		// An answer larger than the client can take over UDP is truncated with the TC bit set,
		// so the client retries over TCP.
		m.Truncate(int(size))
	}
	_ = w.WriteMsg(m)
}

func isUDP(w mdns.ResponseWriter) bool {
	return w.RemoteAddr() != nil && w.RemoteAddr().Network() == "udp"
}

// find returns the compiled zone that is authoritative for name: the public hosted zone with the
// longest name that contains it (the first created, among zones of the same name).
func (h *Handler) find(name string) *zone {
	name = strings.ToLower(mdns.Fqdn(name))
	var best store.ZoneHead
	found := false
	for _, head := range h.zones.ZoneHeads() {
		if head.Private || !mdns.IsSubDomain(head.Name, name) {
			continue
		}
		if !found || len(head.Name) > len(best.Name) {
			best, found = head, true
		}
	}
	if !found {
		return nil
	}
	h.mu.Lock()
	c := h.compiled[best.ID]
	h.mu.Unlock()
	if c != nil && c.version == best.Version && (c.resignAt.IsZero() || h.now().Before(c.resignAt)) {
		return c
	}
	z, err := h.zones.SignedZone(best.ID)
	if err != nil {
		return nil
	}
	c = compile(z, h.log)
	c.resignAt = h.zones.ResignAt(z)
	h.mu.Lock()
	h.compiled[z.ID] = c
	h.mu.Unlock()
	return c
}
