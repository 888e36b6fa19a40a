// Package kms is the AWS Key Management Service of kms53, spoken in AWS JSON 1.1
// (POST /, X-Amz-Target: TrentService.<Operation>). Each operation lives in op_<name>.go as a
// method of Service named after it, callable over HTTP or in-process by other services.
package kms

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// TargetPrefix is the X-Amz-Target prefix of KMS operations.
const TargetPrefix = "TrentService."

// Config configures a Service. Store, Now and NewID are required.
type Config struct {
	Store  store.Store
	Now    func() time.Time
	NewID  func() string // returns a random UUID (key ids, request ids)
	Rand   io.Reader     // source of the identifiers that are not UUIDs (grant ids and tokens, mrk- ids); nil: crypto/rand
	Logger *slog.Logger  // nil: discard
	// Decisions receives every authorization decision; nil: a log of the service's own.
	Decisions *access.Log
	// AllowAll turns authorization off: every caller may do everything, and no decision is
	// logged. For tests that do not care about permissions, and to measure what enforcement costs.
	AllowAll bool
}

// Service implements the KMS operations.
type Service struct {
	store     store.Store
	now       func() time.Time
	newID     func() string
	log       *slog.Logger
	decisions *access.Log
	allowAll  bool
	rand      io.Reader
}

// New returns a Service over cfg.Store.
func New(cfg Config) *Service {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	decisions := cfg.Decisions
	if decisions == nil {
		decisions = &access.Log{}
	}
	r := cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	return &Service{store: cfg.Store, now: cfg.Now, newID: cfg.NewID, log: log, allowAll: cfg.AllowAll, decisions: decisions, rand: r}
}

// Request is the context of one KMS call: who calls, in which region. HTTP requests get theirs from
// the SigV4 credential; services calling KMS in-process build one.
type Request struct {
	Caller auth.Caller
	Region string
	ID     string // request id, echoed in x-amzn-RequestId
	// Context holds condition keys the caller brings: a service calling on a customer's behalf
	// sets aws:SourceAccount, aws:SourceArn and kms:GrantIsForAWSResource here. Operations add
	// their own (kms:SigningAlgorithm, ...).
	Context policy.Context
}

// handler decodes one operation's input and runs it.
type handler func(s *Service, rc *Request, body []byte) (any, error)

// op adapts an operation method to a handler.
func op[In, Out any](f func(*Service, *Request, *In) (*Out, error)) handler {
	return func(s *Service, rc *Request, body []byte) (any, error) {
		in := new(In)
		if err := awsproto.DecodeJSON(body, in); err != nil {
			return nil, err
		}
		out, err := f(s, rc, in)
		if err != nil || out == nil {
			return nil, err
		}
		return out, nil
	}
}

// operations maps each X-Amz-Target operation name to its method.
var operations = map[string]handler{
	"CancelKeyDeletion":    op((*Service).CancelKeyDeletion),
	"CreateAlias":          op((*Service).CreateAlias),
	"CreateGrant":          op((*Service).CreateGrant),
	"CreateKey":            op((*Service).CreateKey),
	"DeleteAlias":          op((*Service).DeleteAlias),
	"DescribeKey":          op((*Service).DescribeKey),
	"DisableKey":           op((*Service).DisableKey),
	"EnableKey":            op((*Service).EnableKey),
	"GetKeyPolicy":         op((*Service).GetKeyPolicy),
	"GetPublicKey":         op((*Service).GetPublicKey),
	"ListAliases":          op((*Service).ListAliases),
	"ListGrants":           op((*Service).ListGrants),
	"ListRetirableGrants":  op((*Service).ListRetirableGrants),
	"ListKeyPolicies":      op((*Service).ListKeyPolicies),
	"ListKeys":             op((*Service).ListKeys),
	"ListResourceTags":     op((*Service).ListResourceTags),
	"PutKeyPolicy":         op((*Service).PutKeyPolicy),
	"RetireGrant":          op((*Service).RetireGrant),
	"RevokeGrant":          op((*Service).RevokeGrant),
	"ScheduleKeyDeletion":  op((*Service).ScheduleKeyDeletion),
	"Sign":                 op((*Service).Sign),
	"TagResource":          op((*Service).TagResource),
	"UntagResource":        op((*Service).UntagResource),
	"UpdateAlias":          op((*Service).UpdateAlias),
	"UpdateKeyDescription": op((*Service).UpdateKeyDescription),
	"Verify":               op((*Service).Verify),
}

// Operations returns the names of the operations the service implements.
func Operations() []string {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	return names
}

// Handle runs the operation named by target ("TrentService.Sign") on a JSON body and returns the
// value to encode, or an error that awsproto.As turns into the wire error.
func (s *Service) Handle(rc *Request, target string, body []byte) (any, error) {
	name, ok := strings.CutPrefix(target, TargetPrefix)
	h := operations[name]
	if !ok || h == nil {
		return nil, awsproto.Errorf("UnknownOperationException", "Unknown operation %s", target)
	}
	return h(s, rc, body)
}

// Respond runs the operation and writes its AWS JSON 1.1 answer or error.
func (s *Service) Respond(w http.ResponseWriter, rc *Request, target string, body []byte) {
	out, err := s.Handle(rc, target, body)
	if err != nil {
		e := awsproto.As(err)
		if e.Status >= 500 {
			s.log.Error("kms: internal failure", "target", target, "err", err)
		}
		awsproto.WriteJSONError(w, rc.ID, e)
		return
	}
	awsproto.WriteJSON(w, rc.ID, out)
}
