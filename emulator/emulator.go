// Package emulator is kms53: a local fake of AWS KMS and Route 53 behind one http.Handler.
//
// New returns a *Server, which opens no socket: serve it with net/http, httptest, or call it
// in-process through an http.RoundTripper. The binary in cmd/kms53 and the client package are
// the hosts; all of them run this one handler.
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/dns"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/kms"
	"github.com/kms53/kms53/emulator/route53"
	"github.com/kms53/kms53/emulator/store"
)

// Options configures a Server. The zero value works: each field documents its default.
type Options struct {
	// Account is the account of callers whose access key is not a 12-digit account id.
	// Default "111122223333".
	Account string
	// Region is the region of requests that carry no SigV4 credential scope. Default "us-east-1".
	Region string
	// Clock is the time source. The admin API moves the emulator's clock relative to it.
	// Default time.Now. Tests pass a fixed time for determinism.
	Clock func() time.Time
	// Rand is the source of identifiers (key ids, grant ids and tokens, zone and change ids,
	// request ids). Default crypto/rand. A seeded reader (for example math/rand/v2's ChaCha8)
	// makes every identifier deterministic. Key material always comes from crypto/rand.
	Rand io.Reader
	// Logger receives the emulator's structured logs. Default: discarded.
	Logger *slog.Logger
	// SigV4 is SigV4Relaxed (the default: signatures are not checked, unknown access keys are the
	// default account's root) or SigV4Strict (signatures verified, unknown access keys refused).
	SigV4 string
	// Identities are the IAM users and roles callers can be, by access key, with their identity
	// policies. A 12-digit access key that is not listed is that account's root.
	Identities []auth.Identity
	// AllowAll turns authorization off: key policies, identity policies and grants are stored
	// but not enforced. The default (false) enforces them as AWS does.
	AllowAll bool
	// PropagationDelay is how long a Route 53 change stays PENDING on the emulator's clock before
	// GetChange reports INSYNC (on AWS, typically under 60s). Default 0: INSYNC at the next read.
	PropagationDelay time.Duration
	// ResignInterval is how often Route 53 re-signs a zone's DNSKEY RRset through KMS (AWS: every
	// 1 to 7 days). It is checked lazily, when the zone is read, on the emulator's clock; that is
	// when a KSK whose key broke turns ACTION_NEEDED. Default 24h.
	ResignInterval time.Duration
	// SignatureValidity is how long the RRSIGs of signed zones are valid. Default 14 days.
	SignatureValidity time.Duration
}

// Server is the emulator: an http.Handler serving the KMS API (POST / with X-Amz-Target),
// Route 53 (under /2013-04-01/) and the admin API (under /_kms53/).
type Server struct {
	opts       Options
	identities atomic.Pointer[auth.Directory]
	clock      *clock
	ids        *idSource
	store      *store.Memory
	kms        *kms.Service
	r53        *route53.Service
	dns        *dns.Handler
	router     *mux.Router
	decisions  access.Log
	log        *slog.Logger
}

// New returns a Server with empty state. It opens no socket and starts no goroutine, so there is
// nothing to close.
func New(opts Options) (*Server, error) {
	if opts.Account == "" {
		opts.Account = "111122223333"
	}
	if !auth.IsAccountID(opts.Account) {
		return nil, fmt.Errorf("emulator: account %q is not a 12-digit AWS account id", opts.Account)
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	switch opts.SigV4 {
	case "":
		opts.SigV4 = SigV4Relaxed
	case SigV4Relaxed, SigV4Strict:
	default:
		return nil, fmt.Errorf("emulator: SigV4 mode %q is not %q or %q", opts.SigV4, SigV4Relaxed, SigV4Strict)
	}
	dir, err := auth.NewDirectory(opts.Identities)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s := &Server{
		opts:  opts,
		clock: &clock{base: opts.Clock},
		ids:   &idSource{r: opts.Rand},
		store: store.NewMemory(),
		log:   opts.Logger,
	}
	s.identities.Store(dir)
	s.kms = kms.New(kms.Config{Store: s.store, Now: s.clock.Now, NewID: s.ids.UUID, Rand: s.ids, Logger: s.log,
		AllowAll: opts.AllowAll, Decisions: &s.decisions})
	s.r53 = route53.New(route53.Config{Store: s.store, Now: s.clock.Now, IDs: s.ids, PropagationDelay: opts.PropagationDelay,
		Decisions: &s.decisions, AllowAll: opts.AllowAll, Logger: s.log,
		KMS: s.kms, ResignInterval: opts.ResignInterval, SignatureValidity: opts.SignatureValidity,
		Authenticate: func(r *http.Request, body []byte) (auth.Caller, *auth.Error) {
			c, _, err := s.authenticate(r, body)
			return c, err
		}})
	s.dns = dns.New(dns.Config{Zones: dnsZones{s.store, s.r53}, Now: s.clock.Now, SignatureValidity: opts.SignatureValidity, Logger: s.log})
	s.router = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			// A panic is a bug; it must not take the process or the caller's state down with it.
			s.log.Error("panic serving request", "path", r.URL.Path, "panic", v)
			awsproto.WriteJSONError(w, "", &awsproto.Error{Code: "InternalFailure", Message: fmt.Sprint(v), Status: 500})
		}
	}()
	s.router.ServeHTTP(w, r)
}

// Now returns the emulator's current time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the emulator's clock forward by d.
func (s *Server) Advance(d time.Duration) { s.clock.Advance(d) }

// SetTime sets the emulator's clock to t.
func (s *Server) SetTime(t time.Time) { s.clock.Set(t) }

// SetIdentities replaces the IAM users and roles callers can be (Options.Identities).
func (s *Server) SetIdentities(ids []auth.Identity) error {
	dir, err := auth.NewDirectory(ids)
	if err != nil {
		return err
	}
	s.identities.Store(dir)
	return nil
}

// Reset removes all state: keys, aliases, policies, grants and the decision log. The clock is
// left as it is.
func (s *Server) Reset() {
	s.store.Reset()
	s.decisions.Reset()
}

// DNSHandler returns the DNS server of the hosted zones: a miekg/dns Handler answering
// authoritatively for every public hosted zone, DNSSEC-signed when the zone signs. Serve it
// over UDP and TCP with a dns.Server.
func (s *Server) DNSHandler() mdns.Handler { return s.dns }

// KMS returns the KMS service, for in-process callers.
func (s *Server) KMS() *kms.Service { return s.kms }

func (s *Server) routes() *mux.Router {
	// No path cleaning: AWS answers a path like /2013-04-01//hostedzone with an error, not with a
	// redirect to the cleaned path.
	r := mux.NewRouter().SkipClean(true)
	s.adminRoutes(r.PathPrefix("/_kms53/").Subrouter())
	s.r53.Routes(r.PathPrefix(strings.TrimSuffix(route53.Prefix, "/")).Subrouter())
	r.Methods(http.MethodPost).Path("/").HandlerFunc(s.serveKMS)
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.notFound)
	return r
}

// serveKMS answers AWS JSON 1.1 requests to KMS.
func (s *Server) serveKMS(w http.ResponseWriter, r *http.Request) {
	rc := &kms.Request{ID: s.ids.UUID()}
	body, perr := awsproto.ReadBody(r)
	if perr != nil {
		awsproto.WriteJSONError(w, rc.ID, perr)
		return
	}
	caller, region, aerr := s.authenticate(r, body)
	if aerr != nil {
		awsproto.WriteJSONError(w, rc.ID, kmsAuthError(aerr))
		return
	}
	rc.Caller, rc.Region = caller, region
	s.kms.Respond(w, rc, r.Header.Get("X-Amz-Target"), body)
}

// notFound answers requests no API serves, in the JSON error shape.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	awsproto.WriteJSONError(w, s.ids.UUID(), &awsproto.Error{
		Code:    "UnknownOperationException",
		Message: fmt.Sprintf("No operation is served at %s %s", r.Method, r.URL.Path),
		Status:  http.StatusNotFound,
	})
}

// clock is the emulator's time: the configured source plus an offset the admin API moves.
type clock struct {
	mu     sync.Mutex
	base   func() time.Time
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset).UTC()
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = t.Sub(c.base())
}

// idSource draws identifiers from the configured random source.
type idSource struct {
	mu sync.Mutex
	r  io.Reader
}

// Read reads from the configured source, serialised: the KMS service draws grant ids from it.
func (s *idSource) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return io.ReadFull(s.r, p)
}

// UUID returns a random (version 4) UUID.
func (s *idSource) UUID() string {
	var b [16]byte
	s.mu.Lock()
	_, err := io.ReadFull(s.r, b[:])
	s.mu.Unlock()
	if err != nil {
		panic("emulator: the ID source failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:16])
	return string(out[:])
}

// Alnum returns n random characters of A-Z and 0-9.
func (s *idSource) Alnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	s.mu.Lock()
	_, err := io.ReadFull(s.r, b)
	s.mu.Unlock()
	if err != nil {
		panic("emulator: the ID source failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// dnsZones gives the DNS handler the zones: heads from the store, zones through Route 53, which
// re-signs them when due.
type dnsZones struct {
	*store.Memory
	*route53.Service
}
