// Package policy parses IAM policy documents (key policies and identity policies) once, so that
// requests can be evaluated against them cheaply. The package is pure: no I/O, no clock reads.
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Policy is a parsed policy document.
type Policy struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one policy statement. Values that AWS allows as a string or a list are lists here.
type Statement struct {
	Sid          string
	Effect       string // Allow or Deny
	Principal    Principals
	NotPrincipal Principals
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    map[string]map[string][]string // operator -> key -> values

	conditions []condition // Condition, compiled
	actions    []string    // Action or NotAction, lower-cased
}

// Principals are the principals of a statement by kind ("AWS", "Service", "Federated",
// "CanonicalUser"); the wildcard principal "*" is {"AWS": ["*"]}. Present is false when the
// element is absent.
type Principals struct {
	Present bool
	ByKind  map[string][]string
}

// Error is a malformed policy document.
type Error struct{ Reason string }

func (e *Error) Error() string { return e.Reason }

func malformed(format string, args ...any) error { return &Error{Reason: fmt.Sprintf(format, args...)} }

// Parse parses a policy document and checks its structure: a JSON object with a Statement (an
// object or a list), each statement with an Effect of Allow or Deny. Elements AWS ignores when
// missing (Action, Resource) are allowed to be missing; such statements simply never match.
func Parse(doc string) (*Policy, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, malformed("The policy is not a valid JSON object: %v", err)
	}
	if dec.More() {
		return nil, malformed("The policy has content after its JSON object")
	}
	p := &Policy{}
	for name, v := range raw {
		var err error
		switch name {
		case "Version":
			err = json.Unmarshal(v, &p.Version)
		case "Id":
			err = json.Unmarshal(v, &p.ID)
		case "Statement":
			p.Statements, err = parseStatements(v)
		default:
			err = malformed("Unknown policy element %q", name)
		}
		if err != nil {
			var perr *Error
			if errors.As(err, &perr) {
				return nil, err
			}
			return nil, malformed("Policy element %s is not valid: %v", name, err)
		}
	}
	if raw["Statement"] == nil {
		return nil, malformed("The policy has no Statement")
	}
	if p.Version != "" && p.Version != "2012-10-17" && p.Version != "2008-10-17" {
		return nil, malformed("The policy Version %q is not supported", p.Version)
	}
	return p, nil
}

func parseStatements(v json.RawMessage) ([]Statement, error) {
	var list []json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
		list = []json.RawMessage{v}
	} else if err := json.Unmarshal(v, &list); err != nil {
		return nil, malformed("Statement must be an object or a list of objects")
	}
	out := make([]Statement, 0, len(list))
	for i, raw := range list {
		s, err := parseStatement(raw)
		if err != nil {
			return nil, malformed("Statement %d: %v", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseStatement(v json.RawMessage) (Statement, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return Statement{}, errors.New("a statement must be a JSON object")
	}
	var s Statement
	for name, val := range raw {
		var err error
		switch name {
		case "Sid":
			err = json.Unmarshal(val, &s.Sid)
		case "Effect":
			err = json.Unmarshal(val, &s.Effect)
		case "Principal":
			s.Principal, err = parsePrincipals(val)
		case "NotPrincipal":
			s.NotPrincipal, err = parsePrincipals(val)
		case "Action":
			s.Action, err = stringList(val)
		case "NotAction":
			s.NotAction, err = stringList(val)
		case "Resource":
			s.Resource, err = stringList(val)
		case "NotResource":
			s.NotResource, err = stringList(val)
		case "Condition":
			s.Condition, err = parseCondition(val)
		default:
			err = fmt.Errorf("unknown element %q", name)
		}
		if err != nil {
			return Statement{}, fmt.Errorf("%s: %v", name, err)
		}
	}
	for _, a := range append(s.Action, s.NotAction...) {
		s.actions = append(s.actions, strings.ToLower(a))
	}
	for op, keys := range s.Condition {
		cs, err := compileCondition(op, keys)
		if err != nil {
			return Statement{}, fmt.Errorf("Condition: %v", err)
		}
		s.conditions = append(s.conditions, cs...)
	}
	if s.Effect != "Allow" && s.Effect != "Deny" {
		return Statement{}, fmt.Errorf("Effect must be Allow or Deny, not %q", s.Effect)
	}
	if s.Action != nil && s.NotAction != nil {
		return Statement{}, errors.New("a statement cannot have both Action and NotAction")
	}
	if s.Resource != nil && s.NotResource != nil {
		return Statement{}, errors.New("a statement cannot have both Resource and NotResource")
	}
	if s.Principal.Present && s.NotPrincipal.Present {
		return Statement{}, errors.New("a statement cannot have both Principal and NotPrincipal")
	}
	return s, nil
}

// stringList reads a string or a list of strings.
func stringList(v json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(v, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, errors.New("must be a string or a list of strings")
	}
	return list, nil
}

func parsePrincipals(v json.RawMessage) (Principals, error) {
	var star string
	if err := json.Unmarshal(v, &star); err == nil {
		if star != "*" {
			return Principals{}, errors.New(`a principal given as a string must be "*"`)
		}
		return Principals{Present: true, ByKind: map[string][]string{"AWS": {"*"}}}, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return Principals{}, errors.New(`must be "*" or an object`)
	}
	p := Principals{Present: true, ByKind: map[string][]string{}}
	for kind, val := range raw {
		switch kind {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			return Principals{}, fmt.Errorf("unknown principal type %q", kind)
		}
		list, err := stringList(val)
		if err != nil {
			return Principals{}, fmt.Errorf("%s %v", kind, err)
		}
		p.ByKind[kind] = list
	}
	return p, nil
}

// parseCondition reads {"Operator": {"key": value-or-values}}; values may be strings, numbers or
// booleans, kept as their string forms ("true", "42").
func parseCondition(v json.RawMessage) (map[string]map[string][]string, error) {
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return nil, errors.New("must map operators to objects of condition keys")
	}
	out := make(map[string]map[string][]string, len(raw))
	for op, keys := range raw {
		out[op] = make(map[string][]string, len(keys))
		for key, val := range keys {
			vals, err := scalarList(val)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %v", op, key, err)
			}
			out[op][key] = vals
		}
	}
	return out, nil
}

func scalarList(v json.RawMessage) ([]string, error) {
	var any interface{}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&any); err != nil {
		return nil, err
	}
	items, ok := any.([]interface{})
	if !ok {
		items = []interface{}{any}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch x := it.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, fmt.Sprint(x))
		default:
			return nil, errors.New("condition values must be strings, numbers or booleans")
		}
	}
	return out, nil
}

// Kinds returns the principal kinds of p in sorted order.
func (p Principals) Kinds() []string {
	kinds := make([]string, 0, len(p.ByKind))
	for k := range p.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}
