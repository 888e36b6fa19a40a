package kms

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// requestContext builds the condition keys every KMS request carries, plus the operation's own
// (rc.Context) and the key's. Keys are set in lower case directly: this runs on every request.
func (s *Service) requestContext(rc *Request, k *store.Key) policy.Context {
	now := s.now().UTC()
	ctx := make(policy.Context, 12+len(rc.Context))
	ctx["aws:currenttime"] = []string{now.Format(time.RFC3339)}
	ctx["aws:epochtime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	ctx["kms:calleraccount"] = []string{rc.Caller.Account}
	if rc.Caller.Service == "" {
		ctx["aws:principalarn"] = []string{principalARN(rc.Caller)}
		ctx["aws:principalaccount"] = []string{rc.Caller.Account}
		ctx["aws:principaltype"] = []string{principalType(rc.Caller)}
	} else {
		ctx["aws:principalservicename"] = []string{rc.Caller.Service}
	}
	if k != nil {
		ctx["kms:keyspec"] = []string{k.KeySpec}
		ctx["kms:keyusage"] = []string{k.KeyUsage}
		ctx["kms:keyorigin"] = []string{k.Origin}
		ctx["kms:multiregion"] = []string{strconv.FormatBool(k.MultiRegion)}
		ctx["aws:resourceaccount"] = []string{k.Account}
		for _, t := range k.Tags {
			ctx.Set("aws:ResourceTag/"+t.Key, t.Value)
		}
	}
	for key, vals := range rc.Context {
		ctx[key] = vals // already lower-cased by Context.Set
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
	req := &policy.Request{Principal: rc.Caller.Principal(), Action: action, Resource: k.ARN,
		MakeContext: func() policy.Context { return s.requestContext(rc, &k) }}
	d := access.Decision{Time: s.now(), Caller: rc.Caller.ARN, Action: action, Resource: k.ARN, Context: rc.Context}

	kr := policy.Result{Effect: policy.NotApplicable, Statement: -1}
	if k.Compiled != nil {
		kr = k.Compiled.Evaluate(req)
	} else if p, err := policy.Parse(k.Policy); err == nil {
		kr = p.Evaluate(req)
	}
	idDeny, idAllow := access.EvaluateIdentity(rc.Caller, req)

	sameAccount := rc.Caller.Service != "" || rc.Caller.Account == k.Account
	identityOK := rc.Caller.IsRoot() || idAllow != nil
	switch {
	case kr.Effect == policy.Deny:
		d.Effect, d.Policy, d.Sid = "Deny", "key policy", kr.Sid
		d.Reason, d.Why = "explicit deny in the key policy", access.WhyResourceDeny
		return s.deny(d, fullContext(req))
	case idDeny != nil:
		d.Effect, d.Policy, d.Sid = "Deny", "identity policy "+idDeny.Name, idDeny.Sid
		d.Reason, d.Why = "explicit deny in an identity policy", access.WhyIdentityDeny
		return s.deny(d, fullContext(req))
	case kr.Effect == policy.Allow && !kr.ViaAccount && (sameAccount || identityOK):
		d.Effect, d.Policy, d.Sid = "Allow", "key policy", kr.Sid
		d.Reason = "the key policy allows the caller"
		s.decisions.Add(d)
		return nil
	case kr.Effect == policy.Allow && identityOK:
		d.Effect, d.Policy, d.Sid = "Allow", "key policy", kr.Sid
		d.Reason = "the key policy allows the caller's account and the caller is its root"
		if idAllow != nil {
			d.Policy, d.Sid = "identity policy "+idAllow.Name, idAllow.Sid
			d.Reason = fmt.Sprintf("the key policy (statement %q) delegates to IAM and an identity policy allows", kr.Sid)
		}
		s.decisions.Add(d)
		return nil
	}
	if g, ok := s.grantAllows(rc, action, k); ok {
		d.Effect, d.Policy = "Allow", "grant "+g.ID
		d.Reason = "a grant on the key allows the operation for the caller"
		s.decisions.Add(d)
		return nil
	}
	d.Effect, d.Policy = "Deny", "none"
	if kr.Effect == policy.Allow {
		d.Sid = kr.Sid
		d.Reason = fmt.Sprintf("the key policy (statement %q) allows only through IAM, and no identity policy allows %s", kr.Sid, action)
		d.Why = fmt.Sprintf(access.WhyNoIdentityPolicy, action)
		return s.deny(d, fullContext(req))
	}
	d.Reason = "no statement of the key policy allows the caller, and no grant does"
	d.Why = fmt.Sprintf(access.WhyNoResourcePolicy, action)
	return s.deny(d, fullContext(req))
}

// authorizeIAM decides actions that only identity policies govern (CreateKey, ListKeys,
// ListAliases, and the alias half of alias operations).
func (s *Service) authorizeIAM(rc *Request, action, resource string, extra policy.Context) error {
	if s.allowAll {
		return nil
	}
	ctx := s.requestContext(rc, nil)
	for k, v := range extra {
		ctx[k] = v
	}
	d := access.IdentityOnly(s.now(), rc.Caller, action, resource, ctx)
	if !d.Allowed() {
		return s.deny(d, ctx)
	}
	d.Context = extra
	s.decisions.Add(d)
	return nil
}

// deny logs the decision, with the full context that explains it, and returns AWS's
// AccessDeniedException.
func (s *Service) deny(d access.Decision, ctx policy.Context) error {
	d.Context = ctx
	s.decisions.Add(d)
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "access denied",
		slog.String("service", "kms"), slog.String("caller", d.Caller), slog.String("action", d.Action),
		slog.String("resource", d.Resource), slog.String("policy", d.Policy), slog.String("sid", d.Sid),
		slog.String("reason", d.Reason))
	return awsproto.Errorf("AccessDeniedException", "%s", d.Message())
}

// fullContext returns a request's condition keys, building them if no condition needed them:
// a denial keeps them all, to explain it.
func fullContext(req *policy.Request) policy.Context {
	if req.Context == nil && req.MakeContext != nil {
		req.Context = req.MakeContext()
	}
	return req.Context
}

// withKey returns ctx (created if nil) with one more condition key.
func withKey(ctx policy.Context, key string, values ...string) policy.Context {
	if ctx == nil {
		ctx = policy.Context{}
	}
	ctx.Set(key, values...)
	return ctx
}
