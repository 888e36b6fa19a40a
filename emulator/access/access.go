// Package access keeps what the services share to decide who may do what: identity-policy
// evaluation, IAM-only decisions, AWS's denial message, and the bounded log of recent decisions
// that GET /_kms53/decisions shows.
package access

import (
	"fmt"
	"sync"
	"time"

	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/policy"
)

// Decision is one authorization decision: who asked to do what to which resource, the answer,
// and what decided it.
type Decision struct {
	Time     time.Time `json:"time"`
	Caller   string    `json:"caller"`
	Action   string    `json:"action"`
	Resource string    `json:"resource"`
	Effect   string    `json:"effect"` // Allow or Deny
	// Policy names what decided: "key policy", "identity policy NAME", "grant ID", "account root"
	// or "none" for an implicit deny.
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Reason string `json:"reason"`
	// Context holds the condition keys of the request: all of them for a denial; for an allowed
	// request, the ones the operation and the caller brought (aws:SourceArn, kms:SigningAlgorithm
	// ...), since keeping every request's full context would cost the hot path memory and GC time.
	Context map[string][]string `json:"context,omitempty"`
	// Why ends AWS's denial message ("because no identity-based policy allows the X action",
	// "with an explicit deny in a resource-based policy"); empty for an Allow.
	Why string `json:"-"`
}

// Message is AWS's AccessDenied text for a denial.
func (d Decision) Message() string {
	return "User: " + d.Caller + " is not authorized to perform: " + d.Action + " on resource: " + d.Resource + " " + d.Why
}

// The endings of AWS's denial messages (format strings take the action).
const (
	WhyNoResourcePolicy = "because no resource-based policy allows the %s action"
	WhyNoIdentityPolicy = "because no identity-based policy allows the %s action"
	WhyResourceDeny     = "with an explicit deny in a resource-based policy"
	WhyIdentityDeny     = "with an explicit deny in an identity-based policy"
)

// Effects of a Decision.
const (
	effectAllow = "Allow"
	effectNo    = "Deny"
)

// maxDecisions bounds the log.
const maxDecisions = 1000

// Log keeps the most recent decisions, bounded. The zero value is ready to use.
type Log struct {
	mu   sync.Mutex
	ring []Decision
	next int
	full bool
}

// Add records a decision.
func (l *Log) Add(d Decision) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ring == nil {
		l.ring = make([]Decision, maxDecisions)
	}
	l.ring[l.next] = d
	l.next = (l.next + 1) % maxDecisions
	if l.next == 0 {
		l.full = true
	}
}

// Recent returns the logged decisions, newest first.
func (l *Log) Recent() []Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.next
	if l.full {
		n = maxDecisions
	}
	out := make([]Decision, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, l.ring[(l.next-i+maxDecisions)%maxDecisions])
	}
	return out
}

// Reset empties the log.
func (l *Log) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring, l.next, l.full = nil, 0, false
}

// StatementRef names the identity policy statement that decided.
type StatementRef struct{ Name, Sid string }

// EvaluateIdentity evaluates a caller's identity policies: the first explicit Deny and the first
// Allow.
func EvaluateIdentity(c auth.Caller, req *policy.Request) (deny, allow *StatementRef) {
	for _, p := range c.Policies {
		r := p.Policy.Evaluate(req)
		switch r.Effect {
		case policy.Deny:
			return &StatementRef{p.Name, r.Sid}, nil
		case policy.Allow:
			if allow == nil {
				allow = &StatementRef{p.Name, r.Sid}
			}
		}
	}
	return nil, allow
}

// IdentityOnly decides an action that identity policies alone govern: an account root (and an
// AWS service) may do everything in its account; anyone else needs an identity policy that
// allows and none that denies.
func IdentityOnly(now time.Time, c auth.Caller, action, resource string, ctx policy.Context) Decision {
	d := Decision{Time: now, Caller: c.ARN, Action: action, Resource: resource, Context: ctx}
	if c.Service != "" || c.IsRoot() {
		d.Effect, d.Policy, d.Reason = effectAllow, "account root", "the account root may perform every action in its account"
		return d
	}
	idDeny, idAllow := EvaluateIdentity(c, &policy.Request{Principal: c.Principal(), Action: action, Resource: resource, Context: ctx})
	switch {
	case idDeny != nil:
		d.Effect, d.Policy, d.Sid = effectNo, "identity policy "+idDeny.Name, idDeny.Sid
		d.Reason, d.Why = "explicit deny in an identity policy", WhyIdentityDeny
	case idAllow != nil:
		d.Effect, d.Policy, d.Sid = effectAllow, "identity policy "+idAllow.Name, idAllow.Sid
		d.Reason = "an identity policy allows"
	default:
		d.Effect, d.Policy, d.Reason = effectNo, "none", "no identity policy allows "+action
		d.Why = fmt.Sprintf(WhyNoIdentityPolicy, action)
	}
	return d
}

// Allowed reports whether the decision allows.
func (d Decision) Allowed() bool { return d.Effect == effectAllow }
