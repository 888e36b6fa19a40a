package route53

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// normalizeName returns a DNS name as Route 53 stores it: lower case, with the trailing dot,
// octal escapes (\052) decoded. ok is false for names that are not valid domain names.
func normalizeName(name string) (string, bool) {
	if name == "" {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '\\' && i+3 < len(name) {
			if n, err := strconv.ParseUint(name[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(c)
	}
	s := strings.ToLower(b.String())
	if s != "." && !strings.HasSuffix(s, ".") {
		s += "."
	}
	if s == "." {
		return s, true
	}
	if len(s) > 255 {
		return "", false
	}
	for _, label := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if label == "" || len(label) > 63 {
			return "", false
		}
	}
	return s, true
}

// presentName writes a stored name as Route 53 returns it: characters other than a-z, 0-9,
// hyphen, underscore and period as three-digit octal escapes (so * is \052).
func presentName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "\\%03o", c)
	}
	return b.String()
}

// inZone reports whether name is the zone apex or below it.
func inZone(name, zone string) bool {
	return name == zone || strings.HasSuffix(name, "."+zone)
}

// reversedLabels returns a name's labels from the root down: the order Route 53 lists record
// sets and zones by name in.
func reversedLabels(name string) []string {
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	slices.Reverse(labels)
	return labels
}

// compareNames orders names by their reversed labels (com.example < com.example.www).
func compareNames(a, b string) int {
	return slices.Compare(reversedLabels(a), reversedLabels(b))
}
