package kms

import "github.com/kms53/kms53/emulator/internal/awsproto"

// DescribeKeyInput is the DescribeKey request.
type DescribeKeyInput struct {
	KeyID       string   `json:"KeyId"`
	GrantTokens []string `json:"GrantTokens"`
}

// DescribeKeyOutput is the DescribeKey response.
type DescribeKeyOutput struct {
	KeyMetadata *KeyMetadata `json:"KeyMetadata"`
}

// DescribeKey returns a key's metadata, in every key state.
func (s *Service) DescribeKey(rc *Request, in *DescribeKeyInput) (*DescribeKeyOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	checkGrantTokens(&c, in.GrantTokens)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:DescribeKey", in.KeyID, true)
	if err != nil {
		return nil, err
	}
	return &DescribeKeyOutput{KeyMetadata: metadata(k)}, nil
}
