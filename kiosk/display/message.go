package display

import (
	"encoding/json"
	"time"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/lang"
)

// The types below are the JSON the page receives, built field by field from
// a kiosk.Screen. Neither the Screen nor a privacy.Person is ever marshalled
// (they would redact themselves anyway): the name and the date of birth
// enter the message only through encodeScreen's explicit call to Reveal.
// Dates are already in the Italian form (dd/mm/yyyy) so that the page only
// places text.

type screenMessage struct {
	Seq    uint64      `json:"seq"`
	Lang   lang.Lang   `json:"lang"`
	State  kiosk.State `json:"state"`
	School string      `json:"school"`
	// Informativa is the privacy notice's address, on the locked screen
	// only (its QR is /informativa.png).
	Informativa string           `json:"informativa,omitempty"`
	Operator    *operatorMessage `json:"operator,omitempty"`
	Class       *classMessage    `json:"class,omitempty"`
	Classes     []choiceMessage  `json:"classes,omitempty"`
	Result      *resultMessage   `json:"result,omitempty"`
	Notice      string           `json:"notice,omitempty"`
	Health      healthMessage    `json:"health"`
}

type operatorMessage struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

type classMessage struct {
	Name              string `json:"name"`
	Enrolled          int    `json:"enrolled"`
	Admitted          int    `json:"admitted"`
	Refused           int    `json:"refused"`
	VerificationUntil string `json:"verificationUntil"`
}

type choiceMessage struct {
	Name              string `json:"name"`
	Enrolled          int    `json:"enrolled"`
	VerificationUntil string `json:"verificationUntil"`
}

// resultMessage carries Until so that the page clears the person and the
// verdict by itself when the time is up, even if the next event is lost.
type resultMessage struct {
	Admit  bool           `json:"admit"`
	Reason string         `json:"reason"`
	Person *personMessage `json:"person,omitempty"`
	Until  string         `json:"until"` // RFC 3339, milliseconds
}

type personMessage struct {
	FamilyName  string `json:"familyName"`
	GivenName   string `json:"givenName"`
	DateOfBirth string `json:"dateOfBirth"`
}

type healthMessage struct {
	TrustData partMessage  `json:"trustData"`
	Camera    partMessage  `json:"camera"`
	Audio     partMessage  `json:"audio"`
	Light     partMessage  `json:"light"`
	Office    *partMessage `json:"office,omitempty"`
}

type partMessage struct {
	OK      bool   `json:"ok"`
	Message string `json:"message,omitempty"`
}

// encodeScreen builds the page's message for sc at the instant now. The
// result (and so the person) is included only in StateResult, and the
// person is revealed only while now is before the result's Until: a client
// that connects late, or a Screen whose Person the session forgot to wipe,
// never brings an expired name back on screen.
//
// The encoded bytes are not wiped after sending: Reveal's strings and the
// JSON encoder's pooled buffers hold copies that Go cannot wipe, so wiping
// ours would promise what it cannot keep. They live in memory only, and are
// built per client at the moment of sending, not kept between events.
func encodeScreen(sc kiosk.Screen, now time.Time) ([]byte, error) {
	m := screenMessage{
		Seq:    sc.Seq,
		Lang:   sc.Lang,
		State:  sc.State,
		School: sc.School,
		Notice: sc.Notice,
		Health: healthMessage{
			TrustData: partMessage(sc.TrustData),
			Camera:    partMessage(sc.Camera),
			Audio:     partMessage(sc.Audio),
			Light:     partMessage(sc.Light),
		},
	}
	if sc.State == kiosk.StateLocked {
		m.Informativa = sc.Informativa
	}
	if sc.Office != nil {
		o := partMessage(*sc.Office)
		m.Health.Office = &o
	}
	if op := sc.Operator; op != nil {
		m.Operator = &operatorMessage{Name: op.Name, Role: op.Role}
	}
	if c := sc.Class; c != nil {
		m.Class = &classMessage{
			Name:              c.Name,
			Enrolled:          c.Enrolled,
			Admitted:          c.Admitted,
			Refused:           c.Refused,
			VerificationUntil: italianDate(c.VerificationUntil),
		}
	}
	for _, c := range sc.Classes {
		m.Classes = append(m.Classes, choiceMessage{
			Name:              c.Name,
			Enrolled:          c.Enrolled,
			VerificationUntil: italianDate(c.VerificationUntil),
		})
	}
	if r := sc.Result; r != nil && sc.State == kiosk.StateResult {
		m.Result = &resultMessage{
			Admit:  r.Admit,
			Reason: r.Reason,
			Until:  r.Until.Format("2006-01-02T15:04:05.000Z07:00"),
		}
		if now.Before(r.Until) {
			if id, ok := r.Person.Reveal(); ok {
				m.Result.Person = &personMessage{
					FamilyName:  id.FamilyName,
					GivenName:   id.GivenName,
					DateOfBirth: italianDate(id.DateOfBirth),
				}
			}
		}
	}
	return json.Marshal(m)
}
