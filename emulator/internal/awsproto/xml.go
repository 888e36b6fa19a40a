package awsproto

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// Route53Namespace is the XML namespace of Route 53 requests and responses.
const Route53Namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

// maxXMLDepth bounds the nesting of request documents.
const maxXMLDepth = 32

// WriteXML writes a REST-XML answer: the XML declaration and v, whose root element carries the
// Route 53 namespace.
func WriteXML(w http.ResponseWriter, requestID string, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		WriteXMLError(w, requestID, As(err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amz-Request-Id", requestID)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(body)
}

// WriteXMLError writes e in Route 53's error envelope:
// <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>.
func WriteXMLError(w http.ResponseWriter, requestID string, e *Error) {
	type errorBody struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	typ := "Sender"
	if e.Status >= 500 {
		typ = "Receiver"
	}
	body, _ := xml.Marshal(struct {
		XMLName   xml.Name  `xml:"ErrorResponse"`
		NS        string    `xml:"xmlns,attr"`
		Error     errorBody `xml:"Error"`
		RequestID string    `xml:"RequestId"`
	}{NS: Route53Namespace, Error: errorBody{typ, e.Code, e.Message}, RequestID: requestID})
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amz-Request-Id", requestID)
	w.WriteHeader(e.Status)
	_, _ = io.WriteString(w, `<?xml version="1.0"?>`+"\n")
	_, _ = w.Write(body)
}

// node is an element of a parsed request document.
type node struct {
	name     xml.Name
	children []*node
	text     bool // has non-space character data
}

// DecodeXML decodes a REST-XML request body into v. Before decoding it checks the document as
// Route 53's schema validation does: well-formed, the expected root element, only elements that
// v's type declares (by their xml tags), no mixed namespaces. Errors are InvalidInput with
// Route 53's "Invalid XML ; ..." form, or MalformedInput for a wrong root element.
func DecodeXML(body []byte, root string, v any) error {
	doc, err := parseXML(body)
	if err != nil {
		return err
	}
	if doc.name.Local != root {
		return Errorf("MalformedInput", "%s is not valid, expected %s", doc.name.Local, root)
	}
	if err := checkElements(doc, reflect.TypeOf(v).Elem()); err != nil {
		return err
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return Errorf("InvalidInput", "Invalid XML ; %s", strings.TrimPrefix(err.Error(), "xml: "))
	}
	return nil
}

func invalidXML(format string, args ...any) *Error {
	return Errorf("InvalidInput", "Invalid XML ; "+format, args...)
}

// parseXML reads a document into a tree of elements.
func parseXML(body []byte) (*node, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalidXML("Premature end of file.")
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF") {
				return nil, invalidXML("XML document structures must start and end within the same entity.")
			}
			return nil, invalidXML("%s", strings.TrimPrefix(err.Error(), "XML syntax error on "))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, invalidXML("the document is nested more than %d elements deep.", maxXMLDepth)
			}
			if t.Name.Space != "" && t.Name.Space != Route53Namespace {
				return nil, invalidXML("cvc-elt.1.a: Cannot find the declaration of element '%s' in namespace '%s'.", t.Name.Local, t.Name.Space)
			}
			n := &node{name: t.Name}
			if len(stack) == 0 {
				if root != nil {
					return nil, invalidXML("The markup in the document following the root element must be well-formed.")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, invalidXML("Content is not allowed in prolog.")
				}
				continue
			}
			if len(bytes.TrimSpace(t)) > 0 {
				stack[len(stack)-1].text = true
			}
		}
	}
	if root == nil {
		return nil, invalidXML("Premature end of file.")
	}
	return root, nil
}

// checkElements checks that every child of n is an element t declares.
func checkElements(n *node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		if len(n.children) > 0 {
			return invalidXML("cvc-type.3.1.2: Element '%s' is a simple type, so it must have no element information item [children].", n.name.Local)
		}
		return nil
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("xml"), ",")[0]
		if tag == "" || tag == "-" || f.Name == "XMLName" || strings.Contains(f.Tag.Get("xml"), ",attr") {
			continue
		}
		fields[tag] = f.Type
	}
	for _, c := range n.children {
		ft, ok := fields[c.name.Local]
		if !ok {
			return invalidXML("cvc-complex-type.2.4.a: Invalid content was found starting with element '%s'.", c.name.Local)
		}
		if err := checkElements(c, ft); err != nil {
			return err
		}
	}
	if n.text && len(fields) > 0 {
		return invalidXML("cvc-complex-type.2.3: Element '%s' cannot have character [children], because the type's content type is element-only.", n.name.Local)
	}
	return nil
}

// ErrCode returns the recorded violations as one error with the given code (Route 53 reports
// constraint violations as InvalidInput), or nil.
func (c *Checks) ErrCode(code string) error {
	err := c.Err()
	if err == nil {
		return nil
	}
	e := err.(*Error)
	return &Error{Code: code, Message: e.Message, Status: e.Status}
}

// ErrorStatus returns an *Error with an explicit HTTP status (404, 409, 403...).
func ErrorStatus(status int, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}
