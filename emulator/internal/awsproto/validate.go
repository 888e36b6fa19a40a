package awsproto

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Checks collects constraint violations of one request, so that all of them are reported in one
// ValidationException, as AWS's front end does ("2 validation errors detected: ...; ...").
type Checks struct {
	msgs []string
}

// Add records a violation of field with a value AWS echoes.
func (c *Checks) Add(value any, field, constraint string) {
	c.msgs = append(c.msgs, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint))
}

// AddNoValue records a violation whose value AWS does not echo (blobs, null).
func (c *Checks) AddNoValue(field, constraint string) {
	c.msgs = append(c.msgs, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", field, constraint))
}

// Required records "Member must not be null" for a missing field.
func (c *Checks) Required(field string, present bool) {
	if !present {
		c.msgs = append(c.msgs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", field))
	}
}

// Length checks a string's length in characters against min and max (max < 0: no maximum).
func (c *Checks) Length(field, v string, min, max int) {
	n := utf8.RuneCountInString(v)
	switch {
	case n < min:
		c.Add(v, field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case max >= 0 && n > max:
		c.Add(v, field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// BlobLength checks a blob's length in bytes; AWS does not echo blob values.
func (c *Checks) BlobLength(field string, v []byte, min, max int) {
	switch {
	case len(v) < min:
		c.AddNoValue(field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case len(v) > max:
		c.AddNoValue(field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// Range checks an integer against min and max.
func (c *Checks) Range(field string, v, min, max int) {
	switch {
	case v < min:
		c.Add(v, field, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	case v > max:
		c.Add(v, field, fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

// Enum checks that a non-empty v is one of set.
func (c *Checks) Enum(field, v string, set []string) {
	if v == "" {
		return
	}
	for _, s := range set {
		if s == v {
			return
		}
	}
	c.Add(v, field, "Member must satisfy enum value set: ["+strings.Join(set, ", ")+"]")
}

// Pattern checks v against a pattern; ok is the result of matching it.
func (c *Checks) Pattern(field, v, pattern string, ok bool) {
	if !ok {
		c.Add(v, field, "Member must satisfy regular expression pattern: "+pattern)
	}
}

// Err returns the ValidationException for the recorded violations, or nil.
func (c *Checks) Err() error {
	switch len(c.msgs) {
	case 0:
		return nil
	case 1:
		return Errorf("ValidationException", "1 validation error detected: %s", c.msgs[0])
	}
	return Errorf("ValidationException", "%d validation errors detected: %s", len(c.msgs), strings.Join(c.msgs, "; "))
}
