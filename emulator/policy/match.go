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

// arnMatch compares two ARNs as ArnEquals/ArnLike do: the six colon-separated fields separately,
// each with wildcards; the resource field keeps any further colons. It does not allocate.
func arnMatch(pattern, arn string) bool {
	p, a := pattern, arn
	for field := 0; field < 5; field++ {
		pi, ai := strings.IndexByte(p, ':'), strings.IndexByte(a, ':')
		if pi < 0 || ai < 0 {
			// Not two ARNs of six fields: compare the whole strings.
			return wildcardMatch(pattern, arn)
		}
		if !wildcardMatch(p[:pi], a[:ai]) {
			return false
		}
		p, a = p[pi+1:], a[ai+1:]
	}
	return wildcardMatch(p, a)
}
