package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary documents to Parse and evaluates whatever parses: neither may panic,
// and a parsed policy evaluates to one of the three effects.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "kms:Sign")
	}
	f.Add(`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["*"]},"NotAction":"kms:*","NotResource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"k":[1,true,"x*"]}}}}`, "KMS:SIGN")
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:*:*:*:*:*","Condition":{"DateLessThan":{"aws:CurrentTime":"2027"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Null":{"x":"false"}}}]}`, "")
	f.Fuzz(func(t *testing.T, doc, action string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		for _, principal := range []Principal{root, alice, operator, route53, {}} {
			r := p.Evaluate(&Request{Principal: principal, Action: action, Resource: keyARN,
				Context: ctx("aws:SourceArn", zoneARN, "k", "x", "aws:CurrentTime", "2026-12-03T00:00:00Z", "aws:SourceIp", "10.1.2.3")})
			if r.Effect != Allow && r.Effect != Deny && r.Effect != NotApplicable {
				t.Fatalf("Evaluate = %+v", r)
			}
		}
	})
}
