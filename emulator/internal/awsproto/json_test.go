package awsproto

import (
	"strings"
	"testing"
)

type tag struct {
	TagKey   *string `json:"TagKey"`
	TagValue *string `json:"TagValue"`
}

type request struct {
	KeyID   string            `json:"KeyId"`
	Message []byte            `json:"Message"`
	Tags    []tag             `json:"Tags"`
	Context map[string]string `json:"EncryptionContext"`
	Limit   *int              `json:"Limit"`
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, wantErr string
	}{
		{"valid", `{"KeyId":"k","Message":"aGk=","Tags":[{"TagKey":"a","TagValue":"b"}],"EncryptionContext":{"AnyCase":"x"},"Limit":3}`, ""},
		{"empty body", ``, ""},
		{"member name in another case", `{"KeYId":"k"}`, "Unknown member 'KeYId'"},
		{"nested member name in another case", `{"Tags":[{"tagKey":"a","TagValue":"b"}]}`, "Unknown member 'tagKey'"},
		{"unknown member", `{"KeyId":"k","Nope":1}`, "Unknown member 'Nope'"},
		{"wrong type", `{"KeyId":5}`, "SerializationException"},
		{"bad base64", `{"Message":"!!"}`, "SerializationException"},
		{"malformed", `{"KeyId":`, "SerializationException"},
		{"trailing data", `{} {}`, "Unexpected content"},
		{"not an object", `[1]`, "SerializationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r request
			err := DecodeJSON([]byte(tt.body), &r)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("DecodeJSON(%s) = %v", tt.body, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Code+": "+err.Message, tt.wantErr)):
				t.Fatalf("DecodeJSON(%s) = %v, want an error containing %q", tt.body, err, tt.wantErr)
			case err != nil && (err.Code != "SerializationException" || err.Status != 400):
				t.Fatalf("DecodeJSON(%s) = %+v, want a 400 SerializationException", tt.body, err)
			}
		})
	}
}
