package kms

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
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
	// Context holds the condition keys the request carried.
	Context map[string][]string `json:"context,omitempty"`
}

// decisionLog keeps the most recent decisions, bounded.
type decisionLog struct {
	mu   sync.Mutex
	ring []Decision
	next int
	full bool
}

// maxDecisions bounds the decision log.
const maxDecisions = 1000

func (l *decisionLog) add(d Decision) {
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

// recent returns the logged decisions, newest first.
func (l *decisionLog) recent() []Decision {
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

func (l *decisionLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring, l.next, l.full = nil, 0, false
}

// ResetDecisions empties the decision log.
func (s *Service) ResetDecisions() { s.decisions.reset() }

// Decisions returns the recent authorization decisions, newest first.
func (s *Service) Decisions() []Decision { return s.decisions.recent() }

// requestContext builds the condition keys every KMS request carries, plus the operation's own
// (rc.Context) and the key's.
func (s *Service) requestContext(rc *Request, k *store.Key) policy.Context {
	ctx := policy.Context{}
	ctx.Set("aws:CurrentTime", s.now().UTC().Format(time.RFC3339))
	ctx.Set("aws:EpochTime", fmt.Sprint(s.now().Unix()))
	ctx.Set("kms:CallerAccount", rc.Caller.Account)
	if rc.Caller.Service == "" {
		ctx.Set("aws:PrincipalArn", principalARN(rc.Caller))
		ctx.Set("aws:PrincipalAccount", rc.Caller.Account)
		ctx.Set("aws:PrincipalType", principalType(rc.Caller))
	} else {
		ctx.Set("aws:PrincipalServiceName", rc.Caller.Service)
	}
	if k != nil {
		ctx.Set("kms:KeySpec", k.KeySpec)
		ctx.Set("kms:KeyUsage", k.KeyUsage)
		ctx.Set("kms:KeyOrigin", k.Origin)
		ctx.Set("kms:MultiRegion", fmt.Sprint(k.MultiRegion))
		ctx.Set("aws:ResourceAccount", k.Account)
		for _, t := range k.Tags {
			ctx.Set("aws:ResourceTag/"+t.Key, t.Value)
		}
	}
	for key, vals := range rc.Context {
		ctx.Set(key, vals...)
	}
	return ctx
}

// principalARN is the aws:PrincipalArn of a caller: the role ARN for an assumed-role session.
func principalARN(c auth.Caller) string {
	if c.RoleARN != "" {
		return c.RoleARN
	}
	return c.ARN
}

func principalType(c auth.Caller) string {
	switch {
	case c.IsRoot():
		return "Account"
	case c.RoleARN != "":
		return "AssumedRole"
	}
	return "User"
}

// authorizeKey decides whether rc's caller may perform action on key k (AWS-BEHAVIOUR §8.2):
// an explicit Deny in the key policy or an identity policy wins; else the key policy must allow
// the caller itself, or allow its account and an identity policy allow it; else a grant on the
// key must allow the operation; else the request is denied.
func (s *Service) authorizeKey(rc *Request, action string, k store.Key) error {
	if s.allowAll {
		return nil
	}
	ctx := s.requestContext(rc, &k)
	req := &policy.Request{Principal: rc.Caller.Principal(), Action: action, Resource: k.ARN, Context: ctx}
	d := Decision{Time: s.now(), Caller: rc.Caller.ARN, Action: action, Resource: k.ARN, Context: ctx}

	kp := k.Compiled
	if kp == nil {
		kp, _ = policy.Parse(k.Policy)
	}
	var kr policy.Result
	if kp != nil {
		kr = kp.Evaluate(req)
	} else {
		kr = policy.Result{Effect: policy.NotApplicable, Statement: -1}
	}
	idDeny, idAllow := evaluateIdentity(rc.Caller, req)

	sameAccount := rc.Caller.Service != "" || rc.Caller.Account == k.Account
	identityOK := rc.Caller.IsRoot() || idAllow != nil
	switch {
	case kr.Effect == policy.Deny:
		d.Effect, d.Policy, d.Sid = "Deny", "key policy", kr.Sid
		d.Reason = "explicit deny in the key policy"
		return s.deny(rc, d, "with an explicit deny in a resource-based policy")
	case idDeny != nil:
		d.Effect, d.Policy, d.Sid = "Deny", "identity policy "+idDeny.name, idDeny.sid
		d.Reason = "explicit deny in an identity policy"
		return s.deny(rc, d, "with an explicit deny in an identity-based policy")
	case kr.Effect == policy.Allow && !kr.ViaAccount && (sameAccount || identityOK):
		d.Effect, d.Policy, d.Sid = "Allow", "key policy", kr.Sid
		d.Reason = "the key policy allows the caller"
		s.allow(d)
		return nil
	case kr.Effect == policy.Allow && identityOK:
		d.Effect, d.Policy, d.Sid = "Allow", "key policy", kr.Sid
		d.Reason = "the key policy allows the caller's account and the caller is its root"
		if idAllow != nil {
			d.Policy, d.Sid = "identity policy "+idAllow.name, idAllow.sid
			d.Reason = fmt.Sprintf("the key policy (statement %q) delegates to IAM and an identity policy allows", kr.Sid)
		}
		s.allow(d)
		return nil
	}
	if g, ok := s.grantAllows(rc, action, k); ok {
		d.Effect, d.Policy = "Allow", "grant "+g.ID
		d.Reason = "a grant on the key allows the operation for the caller"
		s.allow(d)
		return nil
	}
	d.Effect, d.Policy = "Deny", "none"
	if kr.Effect == policy.Allow {
		d.Sid = kr.Sid
		d.Reason = fmt.Sprintf("the key policy (statement %q) allows only through IAM, and no identity policy allows %s", kr.Sid, action)
		return s.deny(rc, d, "because no identity-based policy allows the "+action+" action")
	}
	d.Reason = "no statement of the key policy allows the caller, and no grant does"
	return s.deny(rc, d, "because no resource-based policy allows the "+action+" action")
}

// authorizeIAM decides actions that only identity policies govern (CreateKey, ListKeys,
// ListAliases, and the alias half of alias operations). An account root is always allowed.
func (s *Service) authorizeIAM(rc *Request, action, resource string, extra policy.Context) error {
	if s.allowAll {
		return nil
	}
	ctx := s.requestContext(rc, nil)
	for k, v := range extra {
		ctx[k] = v
	}
	d := Decision{Time: s.now(), Caller: rc.Caller.ARN, Action: action, Resource: resource, Context: ctx}
	if rc.Caller.Service != "" || rc.Caller.IsRoot() {
		d.Effect, d.Policy, d.Reason = "Allow", "account root", "the account root may perform every IAM action"
		s.allow(d)
		return nil
	}
	req := &policy.Request{Principal: rc.Caller.Principal(), Action: action, Resource: resource, Context: ctx}
	idDeny, idAllow := evaluateIdentity(rc.Caller, req)
	switch {
	case idDeny != nil:
		d.Effect, d.Policy, d.Sid = "Deny", "identity policy "+idDeny.name, idDeny.sid
		d.Reason = "explicit deny in an identity policy"
		return s.deny(rc, d, "with an explicit deny in an identity-based policy")
	case idAllow != nil:
		d.Effect, d.Policy, d.Sid = "Allow", "identity policy "+idAllow.name, idAllow.sid
		d.Reason = "an identity policy allows"
		s.allow(d)
		return nil
	}
	d.Effect, d.Policy, d.Reason = "Deny", "none", "no identity policy allows "+action
	return s.deny(rc, d, "because no identity-based policy allows the "+action+" action")
}

type statementRef struct{ name, sid string }

// evaluateIdentity evaluates the caller's identity policies: the first explicit Deny and the
// first Allow.
func evaluateIdentity(c auth.Caller, req *policy.Request) (deny, allow *statementRef) {
	for _, p := range c.Policies {
		r := p.Policy.Evaluate(req)
		switch r.Effect {
		case policy.Deny:
			return &statementRef{p.Name, r.Sid}, nil
		case policy.Allow:
			if allow == nil {
				allow = &statementRef{p.Name, r.Sid}
			}
		}
	}
	return nil, allow
}

func (s *Service) allow(d Decision) { s.decisions.add(d) }

// deny logs the decision and returns AWS's AccessDeniedException.
func (s *Service) deny(rc *Request, d Decision, why string) error {
	s.decisions.add(d)
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "kms: access denied",
		slog.String("caller", d.Caller), slog.String("action", d.Action), slog.String("resource", d.Resource),
		slog.String("policy", d.Policy), slog.String("sid", d.Sid), slog.String("reason", d.Reason))
	return awsproto.Errorf("AccessDeniedException", "User: %s is not authorized to perform: %s on resource: %s %s",
		rc.Caller.ARN, d.Action, d.Resource, why)
}

// withKey returns ctx (created if nil) with one more condition key.
func withKey(ctx policy.Context, key string, values ...string) policy.Context {
	if ctx == nil {
		ctx = policy.Context{}
	}
	ctx.Set(key, values...)
	return ctx
}
