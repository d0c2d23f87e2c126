package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestDecodeAbsencesFieldErrors(t *testing.T) {
	for _, c := range []struct {
		body, field string
	}{
		{`{"enrolled": 10, "absent": 11}`, "absent"},
		{`{"enrolled": -1, "absent": 0}`, "enrolled"},
		{`{"enrolled": 10, "absent": -2}`, "absent"},
		{`{"enrolled": 10, "absent": 3, "absent_illness": 4}`, "absent_illness"},
		{`{"enrolled": 10, "absent": 3, "classes_under_measure": -1}`, "classes_under_measure"},
		{`{"enrolled": 2000000, "absent": 3}`, "enrolled"},
		{`{"absent": 3}`, "enrolled"},
		{`{"enrolled": 10, "absent": null}`, "absent"},
		{`{"enrolled": 10, "absent": 3, "classes": [{"name": "1A", "enrolled": 5, "absent": 1}, {"name": "1B", "enrolled": 5}]}`, "classes[1].absent"},
		{`{"enrolled": 10, "absent": 3, "classes": [{"name": "1A", "enrolled": 5, "absent": 1}, {"name": "1B", "enrolled": 6, "absent": 1}]}`, "classes[1].enrolled"},
		{`{"enrolled": 10, "absent": 3, "classes": [{"name": "1A", "enrolled": 5, "absent": 2}, {"name": "1B", "enrolled": 5, "absent": 2}]}`, "classes[1].absent"},
		{`{"enrolled": 10, "absent": 3, "absent_illness": 1, "classes": [{"name": "1A", "enrolled": 5, "absent": 2, "absent_illness": 2}]}`, "classes[0].absent_illness"},
		{`{"enrolled": 10, "absent": 3, "classes": [{"name": "1A", "enrolled": 5, "absent": 6}]}`, "classes[0].absent"},
		{`{"enrolled": 10, "absent": 3, "classes": [{"name": "", "enrolled": 5, "absent": 1}]}`, "classes[0].name"},
		{`{"enrolled": 10, "absent": 3, "classes": [{"name": "1A", "enrolled": 1, "absent": 1}, {"name": "1A", "enrolled": 1, "absent": 1}]}`, "classes[1].name"},
		{`{"enrolled": 10, "absent": 3, "classes_under_measure": 2, "classes": [{"name": "1A", "enrolled": 1, "absent": 1}]}`, "classes_under_measure"},
	} {
		_, err := DecodeAbsences(strings.NewReader(c.body))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: got %v, want a field error on %s", c.body, err, c.field)
		}
	}
}

func TestDecodeAbsencesAccepts(t *testing.T) {
	body := `{"enrolled": 120, "absent": 7, "absent_illness": 4, "classes_under_measure": 1,
		"classes": [{"name": "1A", "enrolled": 60, "absent": 3, "absent_illness": 2}, {"name": "1B", "enrolled": 60, "absent": 4}]}`
	a, err := DecodeAbsences(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if a.Enrolled != 120 || a.Absent != 7 || *a.AbsentIllness != 4 || len(a.Classes) != 2 || a.Classes[1].AbsentIllness != nil {
		t.Errorf("decoded %+v", a)
	}
	// What the client encodes, the portal decodes to the same value.
	again, _ := json.Marshal(a)
	b, err := DecodeAbsences(bytes.NewReader(again))
	if err != nil || !bytes.Equal(mustJSON(t, b), again) {
		t.Errorf("round trip: %s → %v %s", again, err, mustJSON(t, b))
	}
}

func TestDecodeSyntax(t *testing.T) {
	for _, c := range []struct{ body, field string }{
		{`{"enrolled": 10, "absent": 1, "name": "Mario Rossi"}`, "name"},
		{`{"enrolled": 10, "absent": 1, "classes": [{"name": "1A", "enrolled": 1, "absent": 0, "pupil": "x"}]}`, "pupil"},
		{`{"enrolled": "10", "absent": 1}`, "enrolled"},
		{`{"enrolled": 1.5, "absent": 1}`, "enrolled"},
		{`{"enrolled": 10, "absent": 1}{}`, ""},
		{`{"enrolled": 10,`, ""},
		{`null`, ""},
		{`[]`, ""},
		{``, ""},
	} {
		_, err := DecodeAbsences(strings.NewReader(c.body))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Field != c.field {
			t.Errorf("%q: got %v, want a syntax error naming %q", c.body, err, c.field)
		}
	}
	big := `{"enrolled": 10, "absent": 1` + strings.Repeat(" ", MaxBody) + "}"
	if _, err := DecodeAbsences(strings.NewReader(big)); err != ErrTooLarge {
		t.Errorf("a body over MaxBody: %v", err)
	}
}

func TestProfile(t *testing.T) {
	if _, err := DecodeProfile(strings.NewReader(`{"enrolled": 300, "classes": 14, "enrolled_6_19": 290}`)); err != nil {
		t.Error(err)
	}
	for body, field := range map[string]string{
		`{"enrolled": 300, "classes": 14, "enrolled_6_19": 301}`: "enrolled_6_19",
		`{"enrolled": 3, "classes": 14, "enrolled_6_19": 3}`:     "classes",
		`{"enrolled": 300, "enrolled_6_19": 3}`:                  "classes",
		`{"enrolled": 300, "classes": -1, "enrolled_6_19": 3}`:   "classes",
	} {
		_, err := DecodeProfile(strings.NewReader(body))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v, want a field error on %s", body, err, field)
		}
	}
}

func TestCheckDayAndYear(t *testing.T) {
	today := "2026-03-10"
	for day, ok := range map[string]bool{"2026-03-10": true, "2025-09-15": true, "2026-03-11": false, "2026-02-30": false, "2026-3-1": false, "": false} {
		if err := CheckDay("date", day, today); (err == nil) != ok {
			t.Errorf("day %q: %v", day, err)
		}
	}
	for year, ok := range map[string]bool{"2025-26": true, "2026-27": true, "2027-28": false, "2025-27": false, "1999-00": false, "2099-00": false, "2025/26": false, "+202-03": false, "2025-+6": false} {
		if err := CheckYear(year, today); (err == nil) != ok {
			t.Errorf("year %q: %v", year, err)
		}
	}
}

func TestClientSortsFailures(t *testing.T) {
	status := http.StatusCreated
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Authorization"))
		switch status {
		case http.StatusCreated, http.StatusOK:
			w.WriteHeader(status)
			if r.Method == http.MethodGet {
				w.Write([]byte(`{"absences": [{"date": "2026-03-10", "enrolled": 10, "absent": 2}]}`))
			}
		case http.StatusTooManyRequests:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(status)
		default:
			w.WriteHeader(status)
			w.Write([]byte(`{"error": "no", "field": "classes[2].absent"}`))
		}
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, "MIEE00100A", "tok", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if created, err := c.PutAbsences(ctx, "2026-03-10", Absences{Enrolled: 10, Absent: 2}); !created || err != nil {
		t.Errorf("201: %v %v", created, err)
	}
	status = http.StatusOK
	if created, err := c.PutProfile(ctx, "2025-26", Profile{Enrolled: 10, Classes: 1, Enrolled619: 10}); created || err != nil {
		t.Errorf("200: %v %v", created, err)
	}
	days, err := c.Absences(ctx, "2026-03-01", "2026-03-31")
	if err != nil || len(days) != 1 || days[0].Date != "2026-03-10" || days[0].Absent != 2 {
		t.Errorf("GET: %+v %v", days, err)
	}
	want := []string{
		"PUT /api/v1/schools/MIEE00100A/absences/2026-03-10 Bearer tok",
		"PUT /api/v1/schools/MIEE00100A/profile/2025-26 Bearer tok",
		"GET /api/v1/schools/MIEE00100A/absences?from=2026-03-01&to=2026-03-31 Bearer tok",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []int{400, 401, 403, 413, 422} {
		status = s
		_, err := c.PutAbsences(ctx, "2026-03-10", Absences{})
		var r *RefusedError
		if !errors.As(err, &r) || r.Status != s || r.Message != "no" || r.Field != "classes[2].absent" || Retryable(err) {
			t.Errorf("%d: %v", s, err)
		}
	}
	for _, s := range []int{429, 500, 503} {
		status = s
		_, err := c.PutAbsences(ctx, "2026-03-10", Absences{})
		var r *RetryableError
		if !errors.As(err, &r) || r.Status != s || !Retryable(err) || s == 429 && r.RetryAfter != 7*time.Second {
			t.Errorf("%d: %v", s, err)
		}
	}
	srv.Close()
	if _, err := c.PutAbsences(ctx, "2026-03-10", Absences{}); !Retryable(err) {
		t.Errorf("portal down: %v is not retryable", err)
	}
}

func TestClientRefusesPlainHTTPAway(t *testing.T) {
	if _, err := NewClient("http://portal.ats.example", "X", "t", nil); err == nil {
		t.Error("plain http to another machine accepted")
	}
	if _, err := NewClient("https://portal.ats.example", "X", "", nil); err == nil {
		t.Error("no token accepted")
	}
}

func FuzzDecodeAbsences(f *testing.F) {
	f.Add([]byte(`{"enrolled": 120, "absent": 7, "absent_illness": 4, "classes": [{"name": "1A", "enrolled": 60, "absent": 3}]}`))
	f.Add([]byte(`{"enrolled": 1, "absent": 2}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := DecodeAbsences(bytes.NewReader(body))
		if err != nil {
			return
		}
		// Whatever is accepted is true, and reads back the same.
		if a.Absent > a.Enrolled || a.Absent < 0 {
			t.Fatalf("accepted %+v", a)
		}
		again := mustJSON(t, a)
		if _, err := DecodeAbsences(bytes.NewReader(again)); err != nil {
			t.Fatalf("re-encoded %s refused: %v", again, err)
		}
	})
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
