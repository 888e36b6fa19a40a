// Package awsproto holds the one wire error type of kms53 and the writers that turn results and
// errors into the bytes of AWS's protocols. Only the writers touch response bytes.
package awsproto

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an AWS error as it leaves the emulator: the error code, the message, and the HTTP status.
// Domain code returns an *Error (or wraps one); the protocol writer renders it.
type Error struct {
	Code    string
	Message string
	Status  int
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns a client-fault (400) *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// WithStatus returns a copy of e with another HTTP status.
func (e *Error) WithStatus(status int) *Error {
	c := *e
	c.Status = status
	return &c
}

// As converts any error to an *Error. Errors that are not an *Error become InternalFailure (500):
// they are bugs, and are reported as such rather than hidden.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: "InternalFailure", Message: err.Error(), Status: http.StatusInternalServerError}
}
