package policy

import "testing"

// BenchmarkEvaluateRoute53Policy evaluates the Route 53 DNSSEC key policy of AWS-BEHAVIOUR §6.2
// (with the confused-deputy conditions) for one Route 53 Sign request, as KMS does per request.
func BenchmarkEvaluateRoute53Policy(b *testing.B) {
	p := load(b, "route53-dnssec-confused-deputy.json")
	req := &Request{Principal: route53, Action: "kms:Sign", Resource: keyARN,
		Context: ctx("aws:SourceAccount", "111122223333", "aws:SourceArn", zoneARN, "kms:SigningAlgorithm", "ECDSA_SHA_256")}
	b.ReportAllocs()
	for b.Loop() {
		if r := p.Evaluate(req); r.Effect != Allow {
			b.Fatalf("Evaluate = %+v", r)
		}
	}
}

// BenchmarkEvaluateDefaultPolicy evaluates the default key policy for an IAM user (the
// delegation case).
func BenchmarkEvaluateDefaultPolicy(b *testing.B) {
	p := load(b, "default-key-policy.json")
	req := &Request{Principal: alice, Action: "kms:Sign", Resource: keyARN}
	b.ReportAllocs()
	for b.Loop() {
		if r := p.Evaluate(req); r.Effect != Allow {
			b.Fatalf("Evaluate = %+v", r)
		}
	}
}
