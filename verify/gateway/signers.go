package gateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"

	"github.com/scuola/kiosk/verify"
)

// MaxSigners bounds the update loop: the real gateway served about 250
// certificates, so a loop past this is a gateway that does not advance.
const MaxSigners = 10000

// Skipped is a signer certificate the gateway served but the kiosk did not
// take: it does not parse, or its kid is not the one announced.
type Skipped struct {
	KID string // as announced by the gateway (x-kid), or "" when none was
	Err error
}

func (s Skipped) Error() string {
	kid := s.KID
	if kid == "" {
		kid = "(none announced)"
	}
	return fmt.Sprintf("kid %s: %v", kid, s.Err)
}

// SignerCertificates runs the update loop (GET signercertificate/update
// with x-resume-token, one certificate per answer, until 204, an empty
// answer or one with no token to continue from) and returns
// every certificate that parses and carries the kid the gateway announced.
// The others are returned in skipped: a bad certificate is reported, not
// fatal. An error means the loop could not finish.
func (c *Client) SignerCertificates(ctx context.Context) (signers []*verify.Signer, skipped []Skipped, err error) {
	token := ""
	for i := 1; ; i++ {
		if i > MaxSigners {
			return nil, nil, fmt.Errorf("signercertificate/update: more than %d certificates: the gateway does not end the list", MaxSigners)
		}
		h := http.Header{}
		if token != "" {
			h.Set("X-Resume-Token", token)
		}
		a, err := c.get(ctx, "signercertificate/update", nil, h, c.limits.Certificate, http.StatusOK, http.StatusNoContent)
		if err != nil {
			return nil, nil, fmt.Errorf("signer certificate %d: %w", i, err)
		}
		if a.status == http.StatusNoContent || len(bytes.TrimSpace(a.body)) == 0 {
			return signers, skipped, nil
		}
		kid := a.header.Get("X-Kid")
		if s, err := ParseSignerCertificate(a.body, kid); err != nil {
			skipped = append(skipped, Skipped{KID: kid, Err: err})
		} else {
			signers = append(signers, s)
		}
		next := a.header.Get("X-Resume-Token")
		switch {
		case next == "": // nothing to continue from: that was the last
			return signers, skipped, nil
		case next == token:
			return nil, nil, fmt.Errorf("signer certificate %d (kid %s): x-resume-token %q did not advance", i, kid, next)
		}
		token = next
	}
}

// ParseSignerCertificate reads one answer of the update loop: the
// certificate as base64 DER text (the gateway's form; line breaks, a PEM
// armour or JSON quotes are tolerated) or as raw DER. It must parse as a
// signer certificate, and when the gateway announced a kid (x-kid), that
// kid must be the certificate's own.
func ParseSignerCertificate(body []byte, announcedKID string) (*verify.Signer, error) {
	der, err := certificateDER(body)
	if err != nil {
		return nil, err
	}
	s, err := verify.NewSigner(der)
	if err != nil {
		return nil, err
	}
	if announcedKID != "" {
		kid, ok := decodeKID(announcedKID)
		if !ok {
			return nil, fmt.Errorf("announced kid %q is not base64 of %d bytes", announcedKID, verify.KIDLen)
		}
		if kid != s.KID {
			return nil, fmt.Errorf("announced kid %s does not match the certificate's kid %s", announcedKID, s.KID)
		}
	}
	return s, nil
}

func certificateDER(body []byte) ([]byte, error) {
	if len(body) > 0 && body[0] == 0x30 { // DER's SEQUENCE; base64 DER starts with "M"
		return body, nil
	}
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return nil, errors.New("empty certificate")
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return nil, fmt.Errorf("certificate in quotes is not a JSON string: %w", err)
		}
		t = []byte(s)
	case bytes.HasPrefix(t, []byte("-----BEGIN")):
		block, _ := pem.Decode(t)
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, errors.New("PEM answer holds no CERTIFICATE block")
		}
		return block.Bytes, nil
	}
	// base64 with any line breaks removed.
	t = bytes.Join(bytes.Fields(t), nil)
	der := make([]byte, base64.StdEncoding.DecodedLen(len(t)))
	n, err := base64.StdEncoding.Decode(der, t)
	if err != nil {
		return nil, fmt.Errorf("certificate is not base64 DER: %w", err)
	}
	return der[:n], nil
}

// decodeKID reads a kid in the encodings gateways use: base64, padded or
// not, standard or URL alphabet.
func decodeKID(s string) (verify.KID, bool) {
	var k verify.KID
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == verify.KIDLen {
			copy(k[:], b)
			return k, true
		}
	}
	return k, false
}

// SignerStatus fetches the kids of the signer certificates currently valid
// (GET signercertificate/status): every stored key not in it is dropped.
func (c *Client) SignerStatus(ctx context.Context) (map[verify.KID]bool, error) {
	a, err := c.get(ctx, "signercertificate/status", nil, nil, c.limits.Status)
	if err != nil {
		return nil, err
	}
	kids, err := ParseStatus(a.body)
	if err != nil {
		return nil, a.errorf(err)
	}
	return kids, nil
}

// ParseStatus reads the status answer: a JSON array of base64 kids. An
// entry that is not a kid of 8 bytes is ignored: it can match no
// certificate, and ignoring it only ever removes trust.
func ParseStatus(body []byte) (map[verify.KID]bool, error) {
	var entries []string
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, fmt.Errorf("not a JSON array of kids: %w", err)
	}
	kids := make(map[verify.KID]bool, len(entries))
	for _, e := range entries {
		if k, ok := decodeKID(e); ok {
			kids[k] = true
		}
	}
	return kids, nil
}

// Settings fetches the settings document (GET settings) and validates it
// as the verify rules read it. It returns the parsed rules and the document
// as served, for storage.
func (c *Client) Settings(ctx context.Context) (*verify.Settings, []byte, error) {
	a, err := c.get(ctx, "settings", nil, nil, c.limits.Settings)
	if err != nil {
		return nil, nil, err
	}
	s, err := verify.ParseSettings(a.body)
	if err != nil {
		return nil, nil, a.errorf(err)
	}
	return s, a.body, nil
}
