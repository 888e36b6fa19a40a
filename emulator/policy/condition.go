package policy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// condition is one compiled condition: an operator applied to one key with its policy values.
type condition struct {
	key      string // lower case
	values   []string
	match    func(requestValue, policyValue string) bool
	negated  bool   // StringNotEquals, ArnNotLike...: holds when no policy value matches
	null     bool   // the Null operator
	ifExists bool   // ...IfExists: holds when the key is absent
	set      string // "", "ForAnyValue" or "ForAllValues"
}

// operators maps base operator names to their value matcher and whether they are negated.
var operators = map[string]struct {
	match   func(v, p string) bool
	negated bool
}{
	"StringEquals":              {func(v, p string) bool { return v == p }, false},
	"StringNotEquals":           {func(v, p string) bool { return v == p }, true},
	"StringEqualsIgnoreCase":    {strings.EqualFold, false},
	"StringNotEqualsIgnoreCase": {strings.EqualFold, true},
	"StringLike":                {func(v, p string) bool { return wildcardMatch(p, v) }, false},
	"StringNotLike":             {func(v, p string) bool { return wildcardMatch(p, v) }, true},
	"NumericEquals":             {numeric(func(c int) bool { return c == 0 }), false},
	"NumericNotEquals":          {numeric(func(c int) bool { return c == 0 }), true},
	"NumericLessThan":           {numeric(func(c int) bool { return c < 0 }), false},
	"NumericLessThanEquals":     {numeric(func(c int) bool { return c <= 0 }), false},
	"NumericGreaterThan":        {numeric(func(c int) bool { return c > 0 }), false},
	"NumericGreaterThanEquals":  {numeric(func(c int) bool { return c >= 0 }), false},
	"DateEquals":                {date(func(c int) bool { return c == 0 }), false},
	"DateNotEquals":             {date(func(c int) bool { return c == 0 }), true},
	"DateLessThan":              {date(func(c int) bool { return c < 0 }), false},
	"DateLessThanEquals":        {date(func(c int) bool { return c <= 0 }), false},
	"DateGreaterThan":           {date(func(c int) bool { return c > 0 }), false},
	"DateGreaterThanEquals":     {date(func(c int) bool { return c >= 0 }), false},
	"Bool":                      {strings.EqualFold, false},
	"BinaryEquals":              {func(v, p string) bool { return v == p }, false},
	"IpAddress":                 {ipInRange, false},
	"NotIpAddress":              {ipInRange, true},
	"ArnEquals":                 {func(v, p string) bool { return arnMatch(p, v) }, false},
	"ArnLike":                   {func(v, p string) bool { return arnMatch(p, v) }, false},
	"ArnNotEquals":              {func(v, p string) bool { return arnMatch(p, v) }, true},
	"ArnNotLike":                {func(v, p string) bool { return arnMatch(p, v) }, true},
	"Null":                      {nil, false},
}

// compileCondition turns one operator's block into conditions, one per key.
func compileCondition(op string, keys map[string][]string) ([]condition, error) {
	name := op
	set := ""
	if q, rest, ok := strings.Cut(name, ":"); ok {
		if q != "ForAnyValue" && q != "ForAllValues" {
			return nil, fmt.Errorf("unknown condition set operator %q", q)
		}
		set, name = q, rest
	}
	ifExists := false
	if base, ok := strings.CutSuffix(name, "IfExists"); ok && name != "IfExists" {
		name, ifExists = base, true
	}
	o, ok := operators[name]
	if !ok {
		return nil, fmt.Errorf("unknown condition operator %q", op)
	}
	if name == "Null" && (ifExists || set != "") {
		return nil, fmt.Errorf("condition operator %q is not valid", op)
	}
	out := make([]condition, 0, len(keys))
	for key, values := range keys {
		out = append(out, condition{
			key: strings.ToLower(key), values: values, match: o.match, negated: o.negated,
			null: name == "Null", ifExists: ifExists, set: set,
		})
	}
	return out, nil
}

// holds evaluates the condition against the request context, with IAM's rules for absent keys:
// positive operators fail, negated ones hold, ...IfExists holds, ForAllValues holds and
// ForAnyValue fails.
func (c *condition) holds(ctx Context) bool {
	vals, present := ctx[c.key]
	present = present && len(vals) > 0
	if c.null {
		for _, p := range c.values {
			if strings.EqualFold(p, "true") != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists:
			return true
		case c.set == "ForAllValues":
			return true
		case c.set == "ForAnyValue":
			return false
		}
		return c.negated
	}
	if c.set == "ForAllValues" {
		for _, v := range vals {
			if !c.one(v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if c.one(v) {
			return true
		}
	}
	return false
}

// one evaluates the operator for one request value: for positive operators, some policy value
// matches; for negated ones, none does.
func (c *condition) one(v string) bool {
	m := false
	for _, p := range c.values {
		if c.match(v, p) {
			m = true
			break
		}
	}
	return m != c.negated
}

func numeric(cmp func(int) bool) func(v, p string) bool {
	return func(v, p string) bool {
		a, err1 := strconv.ParseFloat(v, 64)
		b, err2 := strconv.ParseFloat(p, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		switch {
		case a < b:
			return cmp(-1)
		case a > b:
			return cmp(1)
		}
		return cmp(0)
	}
}

func date(cmp func(int) bool) func(v, p string) bool {
	return func(v, p string) bool {
		a, ok1 := parseDate(v)
		b, ok2 := parseDate(p)
		if !ok1 || !ok2 {
			return false
		}
		return cmp(a.Compare(b))
	}
}

// parseDate reads the date forms IAM accepts: RFC 3339 (with or without fractional seconds) and
// epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

func ipInRange(v, p string) bool {
	addr, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	if pfx, err := netip.ParsePrefix(p); err == nil {
		return pfx.Contains(addr)
	}
	a, err := netip.ParseAddr(p)
	return err == nil && a == addr
}
