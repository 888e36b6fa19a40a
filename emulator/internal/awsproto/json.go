package awsproto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// JSONContentType is the content type of AWS JSON 1.1 requests and responses.
const JSONContentType = "application/x-amz-json-1.1"

// MaxBodyBytes bounds every request body the emulator reads.
const MaxBodyBytes = 1 << 20

// WriteJSON writes a 200 AWS JSON 1.1 answer. A nil v writes "{}".
func WriteJSON(w http.ResponseWriter, requestID string, v any) {
	body := []byte("{}")
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			WriteJSONError(w, requestID, As(err))
			return
		}
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", JSONContentType)
	h.Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// WriteJSONError writes e as AWS JSON 1.1 services do: {"__type","message"} with X-Amzn-ErrorType.
func WriteJSONError(w http.ResponseWriter, requestID string, e *Error) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.Code, e.Message})
	h := w.Header()
	h.Set("Content-Type", JSONContentType)
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

// ReadBody reads a request body of at most MaxBodyBytes. A larger body is refused with a 413-free
// client error, as AWS front ends refuse oversize requests before the service sees them.
func ReadBody(r *http.Request) ([]byte, *Error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, Errorf("SerializationException", "could not read the request body: %v", err)
	}
	if len(b) > MaxBodyBytes {
		return nil, &Error{Code: "RequestEntityTooLargeException",
			Message: fmt.Sprintf("Request body of more than %d bytes is not accepted", MaxBodyBytes),
			Status:  http.StatusRequestEntityTooLarge}
	}
	return b, nil
}

// DecodeJSON decodes an AWS JSON 1.1 request body into v, refusing unknown members, wrong types and
// trailing data with SerializationException, as the JSON protocol does. An empty body is "{}".
func DecodeJSON(body []byte, v any) *Error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return serializationError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf("SerializationException", "Unexpected content after the end of the JSON document")
	}
	return checkMemberNames(body, reflect.TypeOf(v))
}

func serializationError(err error) *Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "request"
		}
		return Errorf("SerializationException", "Unexpected value type for '%s': expected %s, got %s",
			field, typeErr.Type, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return Errorf("SerializationException", "Malformed JSON at offset %d: %v", syntaxErr.Offset, syntaxErr)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Errorf("SerializationException", "Unknown member '%s' in the request", name)
	default:
		return Errorf("SerializationException", "Malformed JSON: %v", err)
	}
}
