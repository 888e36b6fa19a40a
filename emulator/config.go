package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/kms53/kms53/emulator/auth"
)

// Config is the content of a -config file: what a dev stack starts with.
//
//	identities:
//	  - accessKeyId: AKIAOPERATOR
//	    secretAccessKey: operator-secret
//	    arn: arn:aws:iam::111122223333:role/DNSSECOperator
//	    sessionName: ci
//	    policies:
//	      - name: dnssec
//	        document:            # a YAML mapping, or a JSON string
//	          Version: "2012-10-17"
//	          Statement:
//	            - Effect: Allow
//	              Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"]
//	              Resource: "*"
type Config struct {
	Identities []auth.Identity
}

// configFile is the YAML shape of Config; policy documents may be mappings.
type configFile struct {
	Identities []struct {
		AccessKeyID     string `yaml:"accessKeyId"`
		SecretAccessKey string `yaml:"secretAccessKey"`
		ARN             string `yaml:"arn"`
		SessionName     string `yaml:"sessionName"`
		Policies        []struct {
			Name     string    `yaml:"name"`
			Document yaml.Node `yaml:"document"`
		} `yaml:"policies"`
	} `yaml:"identities"`
}

// ParseConfig reads a -config YAML document. Unknown fields are errors, so a typo does not pass
// silently.
func ParseConfig(data []byte) (Config, error) {
	var f configFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err.Error() != "EOF" {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	var c Config
	for i, id := range f.Identities {
		out := auth.Identity{AccessKeyID: id.AccessKeyID, SecretAccessKey: id.SecretAccessKey, ARN: id.ARN, SessionName: id.SessionName}
		for j, p := range id.Policies {
			doc, err := policyDocument(&p.Document)
			if err != nil {
				return Config{}, fmt.Errorf("config: identity %d policy %d: %w", i+1, j+1, err)
			}
			out.Policies = append(out.Policies, auth.IdentityPolicy{Name: p.Name, Document: doc})
		}
		c.Identities = append(c.Identities, out)
	}
	if _, err := auth.NewDirectory(c.Identities); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// policyDocument returns a policy given as a JSON string or a YAML mapping as JSON text.
func policyDocument(n *yaml.Node) (string, error) {
	if n.Kind == yaml.ScalarNode {
		return n.Value, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("document is not a JSON-compatible mapping: %w", err)
	}
	return string(b), nil
}
