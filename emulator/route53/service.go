// Package route53 is the Amazon Route 53 API of kms53, spoken in REST-XML under /2013-04-01/.
// Each operation lives in op_<name>.go as a method of Service named after it; routes.go maps
// the paths to them.
package route53

import (
	"context"

	"log/slog"
	"net/http"
	"time"

	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// IDSource makes identifiers.
type IDSource interface {
	// UUID returns a random UUID (request ids).
	UUID() string
	// Alnum returns n random characters of A-Z and 0-9 (zone and change ids).
	Alnum(n int) string
}

// Authenticator finds the caller of a request from its SigV4 credential.
type Authenticator func(r *http.Request, body []byte) (auth.Caller, *auth.Error)

// Config configures a Service. Store, Now, IDs and Authenticate are required.
type Config struct {
	Store        store.Store
	Now          func() time.Time
	IDs          IDSource
	Authenticate Authenticator
	// PropagationDelay is how long a change stays PENDING on the clock before GetChange reports
	// INSYNC. Default 0: INSYNC as soon as the clock is read again.
	PropagationDelay time.Duration
	// Decisions receives every authorization decision; nil: a log of the service's own.
	Decisions *access.Log
	// AllowAll turns identity-policy enforcement off.
	AllowAll bool
	Logger   *slog.Logger
	// KMS is the KMS Route 53 DNSSEC reaches keys through.
	KMS KMS
	// ResignInterval is how often a zone re-signs its DNSKEY RRset through KMS (AWS: every 1 to
	// 7 days), checked lazily when the zone is read. Default 24h.
	ResignInterval time.Duration
	// SignatureValidity is how long RRSIGs are valid from when they are made. Default 14 days.
	SignatureValidity time.Duration
}

// Service implements the Route 53 operations.
type Service struct {
	store     store.Store
	now       func() time.Time
	ids       IDSource
	authn     Authenticator
	delay     time.Duration
	decisions *access.Log
	allowAll  bool
	log       *slog.Logger

	kms            KMS
	resignInterval time.Duration
	validity       time.Duration
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, now: cfg.Now, ids: cfg.IDs, authn: cfg.Authenticate, delay: cfg.PropagationDelay,
		decisions: cfg.Decisions, allowAll: cfg.AllowAll, log: cfg.Logger,
		kms: cfg.KMS, resignInterval: cfg.ResignInterval, validity: cfg.SignatureValidity}
	if s.resignInterval <= 0 {
		s.resignInterval = 24 * time.Hour
	}
	if s.validity <= 0 {
		s.validity = 14 * 24 * time.Hour
	}
	if s.decisions == nil {
		s.decisions = &access.Log{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Request is the context of one Route 53 call.
type Request struct {
	Caller auth.Caller
	ID     string
}

// Errors with statuses other than 400.
func errNoSuchHostedZone(id string) error {
	return awsproto.ErrorStatus(http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: %s", id)
}

// zoneARN is the ARN IAM and aws:SourceArn use for a hosted zone.
func zoneARN(id string) string { return "arn:aws:route53:::hostedzone/" + id }

// authorize decides a Route 53 action on a resource by the caller's identity policies (Route 53
// has no resource policies).
func (s *Service) authorize(rc *Request, action, resource string, extra policy.Context) error {
	if s.allowAll {
		return nil
	}
	ctx := policy.Context{}
	ctx.Set("aws:CurrentTime", s.now().UTC().Format(time.RFC3339))
	if rc.Caller.Service == "" {
		ctx.Set("aws:PrincipalArn", rc.Caller.ARN)
		if rc.Caller.RoleARN != "" {
			ctx.Set("aws:PrincipalArn", rc.Caller.RoleARN)
		}
		ctx.Set("aws:PrincipalAccount", rc.Caller.Account)
	}
	for k, v := range extra {
		ctx[k] = v
	}
	d := access.IdentityOnly(s.now(), rc.Caller, action, resource, ctx)
	s.decisions.Add(d)
	if d.Allowed() {
		return nil
	}
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "access denied",
		slog.String("service", "route53"), slog.String("caller", d.Caller), slog.String("action", d.Action),
		slog.String("resource", d.Resource), slog.String("policy", d.Policy), slog.String("sid", d.Sid),
		slog.String("reason", d.Reason))
	return awsproto.ErrorStatus(http.StatusForbidden, "AccessDenied", "%s", d.Message())
}

// zone finds a hosted zone of the caller's account; zones of other accounts do not exist for it.
func (s *Service) zone(rc *Request, id string) (store.Zone, error) {
	if err := checkID("id", id); err != nil {
		return store.Zone{}, err
	}
	z, err := s.store.Zone(id)
	if err != nil || z.Account != rc.Caller.Account {
		return store.Zone{}, errNoSuchHostedZone(id)
	}
	return z, nil
}

// checkID validates a ResourceId path or body member (at most 32 characters).
func checkID(field, id string) error {
	var c awsproto.Checks
	c.Length(field, id, 1, 32)
	return c.ErrCode("InvalidInput")
}

// newChange records a change and returns its ChangeInfo, PENDING as every change starts.
func (s *Service) newChange(rc *Request, comment string) ChangeInfo {
	c := store.Change{ID: "C" + s.ids.Alnum(20), Account: rc.Caller.Account, Comment: comment, SubmittedAt: s.now()}
	s.store.CreateChange(c)
	return ChangeInfo{ID: "/change/" + c.ID, Status: "PENDING", SubmittedAt: Timestamp(c.SubmittedAt), Comment: comment}
}

// changeStatus is a change's status on the clock: INSYNC once the propagation delay has passed.
func (s *Service) changeStatus(c store.Change) string {
	if s.now().Before(c.SubmittedAt.Add(s.delay)) {
		return "PENDING"
	}
	return "INSYNC"
}

// authError maps a refused signature to Route 53's XML error (HTTP 403, AWS-BEHAVIOUR §7.3).
func authError(e *auth.Error) *awsproto.Error {
	code := map[auth.Failure]string{
		auth.MissingToken:  "MissingAuthenticationToken",
		auth.Incomplete:    "IncompleteSignature",
		auth.UnknownKey:    "InvalidClientTokenId",
		auth.BadSignature:  "SignatureDoesNotMatch",
		auth.Expired:       "SignatureDoesNotMatch",
		auth.NotYetCurrent: "SignatureDoesNotMatch",
	}[e.Failure]
	return &awsproto.Error{Code: code, Message: e.Message, Status: http.StatusForbidden}
}

// result is what an operation handler returns: the HTTP status, the body, and extra headers.
type result struct {
	status   int
	body     any
	location string
}

// serve runs one operation: it reads the body, authenticates the caller and writes the answer.
func (s *Service) serve(w http.ResponseWriter, r *http.Request, op operation) {
	rc := &Request{ID: s.ids.UUID()}
	body, perr := awsproto.ReadBody(r)
	if perr != nil {
		awsproto.WriteXMLError(w, rc.ID, perr)
		return
	}
	caller, aerr := s.authn(r, body)
	if aerr != nil {
		awsproto.WriteXMLError(w, rc.ID, authError(aerr))
		return
	}
	rc.Caller = caller
	res, err := op(rc, r, body)
	if err != nil {
		e := awsproto.As(err)
		if e.Status >= 500 {
			s.log.Error("route53: internal failure", "path", r.URL.Path, "err", err)
		}
		awsproto.WriteXMLError(w, rc.ID, e)
		return
	}
	if res.location != "" {
		w.Header().Set("Location", res.location)
	}
	if res.status == 0 {
		res.status = http.StatusOK
	}
	awsproto.WriteXML(w, rc.ID, res.status, res.body)
}

// location is the Location header of a created resource.
func location(path string) string { return "https://route53.amazonaws.com/2013-04-01/" + path }
