package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/qluster/qluster"
)

// decodeJSON reads the request body, at most limit bytes, into v (authed
// has already capped the body with the ResponseWriter, so the server
// closes the connection after a body too large). Unknown
// fields, trailing data, a wrong content type and a body too large are
// errors with the matching codes; syntax and type errors give the byte
// offset.
func decodeJSON(r *http.Request, limit int64, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return errorf(codeUnsupportedMediaType, "Content-Type must be application/json, got %q", ct)
	}
	if r.ContentLength > limit {
		return errorf(qluster.ETOOLARGE, "request body of %d bytes is over the limit of %d bytes", r.ContentLength, limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(qluster.ETOOLARGE, "request body is over the limit of %d bytes", limit)
		}
		return errorf(qluster.EINVALID, "reading request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errorf(qluster.EINVALID, "empty request body: a JSON object is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, dec.InputOffset())
	}
	if dec.More() {
		return errorf(qluster.EINVALID, "invalid JSON at offset %d: data after the top-level value", dec.InputOffset())
	}
	// Decode stops after the value; anything but white space after it is an
	// error, including a second value.
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return errorf(qluster.EINVALID, "invalid JSON at offset %d: data after the top-level value", dec.InputOffset())
	}
	return nil
}

// jsonError describes a decoding error with its byte offset.
func jsonError(err error, offset int64) error {
	var (
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &se):
		return errorf(qluster.EINVALID, "invalid JSON at offset %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		if te.Field == "" {
			return errorf(qluster.EINVALID, "invalid JSON at offset %d: the body must be a JSON object, not %s", te.Offset, te.Value)
		}
		return errorf(qluster.EINVALID, "invalid JSON at offset %d: %s must be %s, not %s", te.Offset, te.Field, te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errorf(qluster.EINVALID, "invalid JSON at offset %d: unexpected end of input", offset)
	}
	// Unknown fields and other decoder complaints carry no offset type.
	return errorf(qluster.EINVALID, "invalid JSON at offset %d: %s", offset, strings.TrimPrefix(err.Error(), "json: "))
}
