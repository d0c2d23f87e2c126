package office

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/verify/calendar"
)

// Link is how the school's kiosks reach the office: the address their
// pairing QR gives them and the fingerprint of the HTTPS certificate they
// pin. With no URL the office pairs no kiosk.
type Link struct {
	URL, Fingerprint string
	// Refresh is how often the kiosks' bundle is signed again when nothing
	// changed (DefaultRefresh when 0).
	Refresh time.Duration
}

// invitations keeps the pairing QRs made in the last minutes, by a handle
// that is not the secret, for their page to draw them: the database keeps
// only the secret's hash.
type invitations struct {
	mu   sync.Mutex
	byID map[string]shownInvitation
}

type shownInvitation struct {
	link.Invitation
	Expires time.Time
}

func (iv *invitations) add(inv link.Invitation, expires, now time.Time) string {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if iv.byID == nil {
		iv.byID = map[string]shownInvitation{}
	}
	for id, s := range iv.byID {
		if now.After(s.Expires) {
			delete(iv.byID, id)
		}
	}
	id := access.Token()
	iv.byID[id] = shownInvitation{inv, expires}
	return id
}

func (iv *invitations) get(id string, now time.Time) (shownInvitation, bool) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	s, ok := iv.byID[id]
	return s, ok && now.Before(s.Expires)
}

// kioskRow is a kiosk as its list shows it.
type kioskRow struct {
	store.Kiosk
	DataAge time.Duration // how old the bundle it holds was when last seen; -1 for none
	Current bool          // it holds the newest bundle
}

type kiosksData struct {
	Kiosks   []kioskRow
	CanPair  bool
	Bundle   uint64
	Signed   time.Time
	Invite   *shownInvitation
	InviteID string
}

// Age is a duration in minutes, hours or days, as the list reads it.
func (r kioskRow) Age(l lang.Lang) string {
	switch d := r.DataAge; {
	case d < 0:
		return "—"
	case d < time.Hour:
		return format(l.Text(lang.OfficeKiosksMinutes), int(d.Minutes()))
	case d < 48*time.Hour:
		return format(l.Text(lang.OfficeKiosksHours), int(d.Hours()))
	default:
		return format(l.Text(lang.OfficeKiosksDays), int(d.Hours()/24))
	}
}

func (s *Server) kiosksPage(w http.ResponseWriter, rq *request) {
	ks, err := s.store.Kiosks(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	var seqs []uint64
	for _, k := range ks {
		seqs = append(seqs, k.Holds)
	}
	signed, err := s.store.BundleSigned(rq.Context(), seqs)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &kiosksData{CanPair: s.link.URL != ""}
	d.Bundle, d.Signed = s.kiosks.Current()
	for _, k := range ks {
		row := kioskRow{Kiosk: k, DataAge: -1, Current: k.Holds == d.Bundle}
		if at, ok := signed[k.Holds]; ok && !k.LastSeen.IsZero() {
			row.DataAge = max(k.LastSeen.Sub(at), 0)
		}
		d.Kiosks = append(d.Kiosks, row)
	}
	if id := rq.URL.Query().Get("pairing"); id != "" {
		if inv, ok := s.invites.get(id, s.now()); ok {
			d.Invite, d.InviteID = &inv, id
		}
	}
	s.render(w, rq, http.StatusOK, "kiosks", page{Title: lang.OfficeKiosksTitle, Nav: "kiosks", Data: d})
}

// pairingCode makes a one-time pairing QR, valid for PairingLife, and
// shows it on the kiosks' page.
func (s *Server) pairingCode(w http.ResponseWriter, rq *request) {
	if s.link.URL == "" {
		s.fail(w, rq, http.StatusConflict, lang.OfficeKiosksNoLink)
		return
	}
	secret := access.Token()
	expires := s.now().Add(PairingLife)
	err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error {
		return tx.AddPairingCode(rq.Context(), secretHash(secret), expires, s.now())
	})
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	id := s.invites.add(link.Invitation{URL: s.link.URL, Fingerprint: s.link.Fingerprint, Secret: secret}, expires, s.now())
	http.Redirect(w, rq.Request, "/kiosks?pairing="+id, http.StatusSeeOther)
}

// pairingQR draws a pairing QR shown on the kiosks' page.
func (s *Server) pairingQR(w http.ResponseWriter, rq *request) {
	inv, ok := s.invites.get(strings.TrimSuffix(rq.PathValue("id"), ".png"), s.now())
	if !ok {
		s.fail(w, rq, http.StatusNotFound, lang.OfficeKiosksPairingGone)
		return
	}
	s.qrPNG(w, rq, inv.Text(), 420, "pairing.png")
}

func (s *Server) kioskUnpair(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	s.change(w, rq, "/kiosks", "kiosk_unpaired", func(tx *store.Tx) error { return tx.UnpairKiosk(rq.Context(), id) })
}

// countsData is a day's counts: per class, each entrance's and the sum.
type countsData struct {
	formPage
	Day       calendar.Day
	Entrances []string
	Rows      []countsRow
	Total     countsRow
}

type countsRow struct {
	Class            string
	Admitted         int
	Refused          int
	ByEntrance       []int // admitted + refused per entrance, beside Entrances
	ByEntranceDenied []int
}

func (s *Server) countsPage(w http.ResponseWriter, rq *request) {
	day, f := s.queryDay(rq)
	cs, err := s.store.KioskCounts(rq.Context(), day)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &countsData{Day: day}
	d.Form, d.Invalid = f.values, f.invalid()
	entrance := map[string]int{}
	for _, c := range cs {
		if _, ok := entrance[c.Entrance]; !ok {
			entrance[c.Entrance] = 0
			d.Entrances = append(d.Entrances, c.Entrance)
		}
	}
	sort.Strings(d.Entrances)
	for i, e := range d.Entrances {
		entrance[e] = i
	}
	blank := func(name string) countsRow {
		return countsRow{Class: name, ByEntrance: make([]int, len(d.Entrances)), ByEntranceDenied: make([]int, len(d.Entrances))}
	}
	d.Total = blank("")
	for _, c := range cs {
		if len(d.Rows) == 0 || d.Rows[len(d.Rows)-1].Class != c.Class {
			d.Rows = append(d.Rows, blank(c.Class))
		}
		for _, r := range []*countsRow{&d.Rows[len(d.Rows)-1], &d.Total} {
			r.Admitted += c.Admitted
			r.Refused += c.Refused
			r.ByEntrance[entrance[c.Entrance]] += c.Admitted
			r.ByEntranceDenied[entrance[c.Entrance]] += c.Refused
		}
	}
	p := page{Title: lang.OfficeCountsTitle, Nav: "counts", Data: d}
	if f.ok() {
		s.render(w, rq, http.StatusOK, "counts", p)
		return
	}
	s.refuse(w, rq, "counts", p, f)
}
