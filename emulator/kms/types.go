package kms

import (
	"strconv"
	"time"

	"github.com/kms53/kms53/emulator/store"
)

// Time is a KMS timestamp: epoch seconds as a JSON number, with milliseconds when there are any.
type Time time.Time

// MarshalJSON writes t as epoch seconds.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(nil, ms/1000, 10), nil
	}
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', 3, 64), nil
}

func timePtr(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	v := Time(t)
	return &v
}

// KeyMetadata is the KMS KeyMetadata structure.
type KeyMetadata struct {
	AWSAccountID             string                    `json:"AWSAccountId"`
	Arn                      string                    `json:"Arn"`
	CreationDate             *Time                     `json:"CreationDate,omitempty"`
	CurrentKeyMaterialID     string                    `json:"CurrentKeyMaterialId,omitempty"`
	CustomerMasterKeySpec    string                    `json:"CustomerMasterKeySpec"`
	DeletionDate             *Time                     `json:"DeletionDate,omitempty"`
	Description              string                    `json:"Description"`
	Enabled                  bool                      `json:"Enabled"`
	EncryptionAlgorithms     []string                  `json:"EncryptionAlgorithms,omitempty"`
	KeyAgreementAlgorithms   []string                  `json:"KeyAgreementAlgorithms,omitempty"`
	KeyID                    string                    `json:"KeyId"`
	KeyManager               string                    `json:"KeyManager"`
	KeySpec                  string                    `json:"KeySpec"`
	KeyState                 string                    `json:"KeyState"`
	KeyUsage                 string                    `json:"KeyUsage"`
	MacAlgorithms            []string                  `json:"MacAlgorithms,omitempty"`
	MultiRegion              bool                      `json:"MultiRegion"`
	MultiRegionConfiguration *multiRegionConfiguration `json:"MultiRegionConfiguration,omitempty"`
	Origin                   string                    `json:"Origin"`
	SigningAlgorithms        []string                  `json:"SigningAlgorithms,omitempty"`
}

type multiRegionConfiguration struct {
	MultiRegionKeyType string           `json:"MultiRegionKeyType"`
	PrimaryKey         multiRegionKey   `json:"PrimaryKey"`
	ReplicaKeys        []multiRegionKey `json:"ReplicaKeys"`
}

type multiRegionKey struct {
	Arn    string `json:"Arn"`
	Region string `json:"Region"`
}

// metadata renders a stored key as KeyMetadata.
func metadata(k store.Key) *KeyMetadata {
	signing, encryption, mac, agreement := algorithms(k.KeySpec, k.KeyUsage)
	m := &KeyMetadata{
		AWSAccountID:           k.Account,
		Arn:                    k.ARN,
		CreationDate:           timePtr(k.CreationDate),
		CustomerMasterKeySpec:  k.KeySpec,
		Description:            k.Description,
		Enabled:                k.State == stateEnabled,
		EncryptionAlgorithms:   encryption,
		KeyAgreementAlgorithms: agreement,
		KeyID:                  k.ID,
		KeyManager:             "CUSTOMER",
		KeySpec:                k.KeySpec,
		KeyState:               k.State,
		KeyUsage:               k.KeyUsage,
		MacAlgorithms:          mac,
		MultiRegion:            k.MultiRegion,
		Origin:                 k.Origin,
		SigningAlgorithms:      signing,
	}
	if k.State == statePendingDeletion {
		m.DeletionDate = timePtr(k.DeletionDate)
	}
	if k.KeySpec == "SYMMETRIC_DEFAULT" {
		// The id of the key material: AWS shows it for symmetric keys only (64 hex characters).
		m.CurrentKeyMaterialID = materialID(k.Secret)
	}
	if k.MultiRegion {
		m.MultiRegionConfiguration = &multiRegionConfiguration{
			MultiRegionKeyType: "PRIMARY",
			PrimaryKey:         multiRegionKey{Arn: k.ARN, Region: k.Region},
			ReplicaKeys:        []multiRegionKey{},
		}
	}
	return m
}

// Key states.
const (
	stateEnabled         = "Enabled"
	stateDisabled        = "Disabled"
	statePendingDeletion = "PendingDeletion"
)
