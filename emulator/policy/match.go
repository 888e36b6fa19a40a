package policy

import "strings"

// wildcardMatch reports whether s matches pattern, where '*' matches any run of characters
// (including none) and '?' exactly one. Matching is byte-wise and case-sensitive.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// actionMatch matches an IAM action pattern ("kms:*", "kms:Get*") against an action; actions are
// case-insensitive.
func actionMatch(pattern, action string) bool {
	return wildcardMatch(strings.ToLower(pattern), strings.ToLower(action))
}

// arnMatch compares two ARNs as ArnEquals/ArnLike do: the six colon-separated fields separately,
// each with wildcards; the resource field keeps any further colons.
func arnMatch(pattern, arn string) bool {
	pf := strings.SplitN(pattern, ":", 6)
	af := strings.SplitN(arn, ":", 6)
	if len(pf) != 6 || len(af) != 6 {
		return pattern == "*" || wildcardMatch(pattern, arn)
	}
	for i := range pf {
		if !wildcardMatch(pf[i], af[i]) {
			return false
		}
	}
	return true
}
