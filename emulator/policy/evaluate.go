package policy

import (
	"strings"
)

// Principal is who makes a request, as policies see it.
type Principal struct {
	// ARN is the principal's ARN: arn:aws:iam::ACCT:root, arn:aws:iam::ACCT:user/NAME,
	// arn:aws:sts::ACCT:assumed-role/ROLE/SESSION. Empty for service principals.
	ARN string
	// RoleARN is the role of an assumed-role session (arn:aws:iam::ACCT:role/ROLE), which is what
	// policies name.
	RoleARN string
	// Account is the principal's account id; empty for service principals.
	Account string
	// Service is the service principal name (dnssec-route53.amazonaws.com) of AWS service calls.
	Service string
}

// IsRoot reports whether p is an account's root principal.
func (p Principal) IsRoot() bool {
	return p.Account != "" && p.ARN == "arn:aws:iam::"+p.Account+":root"
}

// Request is what a policy is evaluated against.
type Request struct {
	Principal Principal
	Action    string // "kms:Sign"
	Resource  string // the resource ARN
	// Context holds the condition keys of the request; keys are matched case-insensitively and
	// must be given in lower case (use Context.Set).
	Context Context
	// MakeContext, if set and Context is nil, builds Context the first time a condition is
	// evaluated: most requests match no statement with a condition, and skip building it.
	MakeContext func() Context
}

// context returns the request's condition keys, building them on first use.
func (r *Request) context() Context {
	if r.Context == nil && r.MakeContext != nil {
		r.Context = r.MakeContext()
	}
	return r.Context
}

// Context is the set of condition keys of a request, by lower-cased key name.
type Context map[string][]string

// Set sets a condition key to one or more values.
func (c Context) Set(key string, values ...string) { c[strings.ToLower(key)] = values }

// Effect is the outcome of evaluating a policy or statement.
type Effect string

// The effects. NotApplicable means no statement matched (an implicit deny, unless something else
// allows).
const (
	Allow         Effect = "Allow"
	Deny          Effect = "Deny"
	NotApplicable Effect = "NotApplicable"
)

// Result is how one policy answers a request: the deciding statement and how it matched.
type Result struct {
	Effect Effect
	// Statement is the index of the deciding statement, -1 when none matched.
	Statement int
	Sid       string
	// ViaAccount is true when an Allow matched only because it names the caller's account
	// (arn:aws:iam::ACCT:root or ACCT): in a key policy that delegates the decision to IAM.
	ViaAccount bool
}

// Evaluate answers r with p: a matching Deny statement wins; else the first Allow that names the
// caller itself; else the first Allow that names only the caller's account; else NotApplicable.
// Statements without Action or Resource (and without their Not forms) never match, as in KMS.
// A statement with neither Principal nor NotPrincipal (an identity policy's) matches any caller.
func (p *Policy) Evaluate(r *Request) Result {
	best := Result{Effect: NotApplicable, Statement: -1}
	action := strings.ToLower(r.Action)
	for i := range p.Statements {
		st := &p.Statements[i]
		pm := st.principalMatch(r.Principal)
		if pm == noMatch || !st.actionMatches(action) || !st.resourceMatches(r.Resource) || !st.conditionsHold(r) {
			continue
		}
		if st.Effect == "Deny" {
			return Result{Effect: Deny, Statement: i, Sid: st.Sid}
		}
		switch {
		case best.Effect == NotApplicable:
			best = Result{Effect: Allow, Statement: i, Sid: st.Sid, ViaAccount: pm == accountMatch}
		case best.ViaAccount && pm == directMatch:
			best = Result{Effect: Allow, Statement: i, Sid: st.Sid}
		}
	}
	return best
}

type principalMatchKind int

const (
	noMatch principalMatchKind = iota
	accountMatch
	directMatch
)

func (st *Statement) principalMatch(p Principal) principalMatchKind {
	switch {
	case st.Principal.Present:
		return st.Principal.match(p)
	case st.NotPrincipal.Present:
		if st.NotPrincipal.match(p) != noMatch {
			return noMatch
		}
		return directMatch
	}
	return directMatch // identity policy statement: it is attached to the caller
}

// match finds how the principal element names p.
func (ps Principals) match(p Principal) principalMatchKind {
	best := noMatch
	if p.Service != "" {
		for _, s := range ps.ByKind["Service"] {
			if strings.EqualFold(s, p.Service) {
				return directMatch
			}
		}
	}
	for _, a := range ps.ByKind["AWS"] {
		switch {
		case a == "*":
			return directMatch
		case p.Service != "":
			continue
		case p.ARN != "" && (a == p.ARN || (p.RoleARN != "" && a == p.RoleARN)):
			return directMatch
		case a == p.Account || a == "arn:aws:iam::"+p.Account+":root":
			if p.IsRoot() {
				// The account principal names the account root itself.
				return directMatch
			}
			best = accountMatch
		}
	}
	return best
}

// actionMatches matches a lower-cased action against the statement's lower-cased patterns:
// IAM actions are case-insensitive.
func (st *Statement) actionMatches(action string) bool {
	switch {
	case st.Action != nil:
		for _, a := range st.actions {
			if wildcardMatch(a, action) {
				return true
			}
		}
		return false
	case st.NotAction != nil:
		for _, a := range st.actions {
			if wildcardMatch(a, action) {
				return false
			}
		}
		return true
	}
	return false
}

func (st *Statement) resourceMatches(resource string) bool {
	switch {
	case st.Resource != nil:
		for _, r := range st.Resource {
			if r == "*" || arnMatch(r, resource) {
				return true
			}
		}
		return false
	case st.NotResource != nil:
		for _, r := range st.NotResource {
			if r == "*" || arnMatch(r, resource) {
				return false
			}
		}
		return true
	}
	return false
}

// conditionsHold evaluates the Condition block: every operator and every key must hold (AND).
func (st *Statement) conditionsHold(r *Request) bool {
	if len(st.conditions) == 0 {
		return true
	}
	ctx := r.context()
	for _, c := range st.conditions {
		if !c.holds(ctx) {
			return false
		}
	}
	return true
}
