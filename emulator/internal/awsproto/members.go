package awsproto

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// memberNames caches, per struct type, its JSON member names and their types.
var memberNames sync.Map // reflect.Type -> map[string]reflect.Type

func membersOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := memberNames.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	memberNames.Store(t, m)
	return m
}

// checkMemberNames walks a JSON document alongside the Go type it decodes into and refuses a
// member whose name matches a field only when case is ignored: encoding/json would accept
// {"KeYId": ...} as KeyId, where AWS matches member names exactly.
func checkMemberNames(body []byte, t reflect.Type) *Error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return walk(dec, t)
}

func walk(dec *json.Decoder, t reflect.Type) *Error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return nil // syntax errors are reported by the decoder proper
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch {
	case d == '{' && t.Kind() == reflect.Struct:
		members := membersOf(t)
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil
			}
			name, _ := key.(string)
			ft, exact := members[name]
			if !exact {
				return Errorf("SerializationException", "Unknown member '%s' in the request", name)
			}
			if e := walk(dec, ft); e != nil {
				return e
			}
		}
	case d == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() != reflect.Uint8:
		for dec.More() {
			if e := walk(dec, t.Elem()); e != nil {
				return e
			}
		}
	default: // maps, blobs, mismatched types: skip the value
		for depth := 1; depth > 0; {
			tok, err := dec.Token()
			if err != nil {
				return nil
			}
			if d, ok := tok.(json.Delim); ok {
				if d == '{' || d == '[' {
					depth++
				} else {
					depth--
				}
			}
		}
		return nil
	}
	_, _ = dec.Token() // the closing delimiter
	return nil
}
