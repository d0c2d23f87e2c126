package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/privacy/report"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// backends runs a test on SQLite and on PostgreSQL, each with a fresh
// database: the same suite proves both.
func backends(t *testing.T, test func(t *testing.T, s store.Store, dsn string)) {
	for _, b := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "portal.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.DSN(t) }},
	} {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.dsn(t)
			s, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			test(t, s, dsn)
		})
	}
}

var at = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func addSchool(t testing.TB, s store.Store, code string) string {
	t.Helper()
	token, hash := store.NewToken()
	if err := s.AddSchool(context.Background(), store.School{Code: code, Name: "Scuola " + code, ATS: "ATS Milano", Sentinel: true, Pupils619: 300}, hash); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestSchoolsAndCredentials(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		token := addSchool(t, s, "MIEE00100A")
		if err := s.AddSchool(ctx, store.School{Code: "MIEE00100A"}, "x"); !errors.Is(err, store.ErrExists) {
			t.Errorf("a second school of the same code: %v", err)
		}
		got, err := s.School(ctx, "MIEE00100A")
		want := store.School{Code: "MIEE00100A", Name: "Scuola MIEE00100A", ATS: "ATS Milano", Sentinel: true, Pupils619: 300, HasToken: true}
		if err != nil || got != want {
			t.Errorf("School: %+v %v", got, err)
		}
		if _, err := s.School(ctx, "NOPE"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown school: %v", err)
		}
		if code, err := s.Authenticate(ctx, store.HashToken(token)); code != "MIEE00100A" || err != nil {
			t.Errorf("Authenticate: %q %v", code, err)
		}
		if _, err := s.Authenticate(ctx, store.HashToken(token+"x")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a wrong token: %v", err)
		}
		// A new token revokes the old one.
		next, hash := store.NewToken()
		if err := s.SetToken(ctx, "MIEE00100A", hash); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, store.HashToken(token)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the old token still works: %v", err)
		}
		if code, _ := s.Authenticate(ctx, store.HashToken(next)); code != "MIEE00100A" {
			t.Error("the new token does not work")
		}
		if err := s.Revoke(ctx, "MIEE00100A"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, store.HashToken(next)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a revoked token still works: %v", err)
		}
		if got, _ := s.School(ctx, "MIEE00100A"); !got.Revoked || got.HasToken {
			t.Errorf("after Revoke: %+v", got)
		}
		if err := s.SetToken(ctx, "NOPE", hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetToken of an unknown school: %v", err)
		}
	})
}

func TestImportAddsAndUpdates(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		token := addSchool(t, s, "A1")
		list := []store.School{
			{Code: "A1", Name: "Primaria Manzoni", ATS: "ATS Brianza", Pupils619: 250},
			{Code: "B2", Name: "Liceo Volta", ATS: "ATS Brianza", Sentinel: true, Pupils619: 900},
		}
		added, err := s.ImportSchools(ctx, list, []string{"h1", "h2"})
		if err != nil || !reflect.DeepEqual(added, []string{"B2"}) {
			t.Fatalf("import: %v %v", added, err)
		}
		if got, _ := s.School(ctx, "A1"); got.Name != "Primaria Manzoni" || got.ATS != "ATS Brianza" || got.Sentinel || got.Pupils619 != 250 {
			t.Errorf("updated school: %+v", got)
		}
		if code, _ := s.Authenticate(ctx, store.HashToken(token)); code != "A1" {
			t.Error("an import changed an existing school's credential")
		}
		if code, _ := s.Authenticate(ctx, "h2"); code != "B2" {
			t.Error("the new school has not its credential")
		}
	})
}

func TestAbsencesReplaceAndRead(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		addSchool(t, s, "S1")
		addSchool(t, s, "S2")
		first := report.Absences{Enrolled: 120, Absent: 7, AbsentIllness: report.Int(4), ClassesUnderMeasure: report.Int(0),
			Classes: []report.Class{{Name: "1B", Enrolled: 60, Absent: 3, AbsentIllness: report.Int(2)}, {Name: "1A", Enrolled: 60, Absent: 4}}}
		if created, err := s.PutAbsences(ctx, "S1", "2026-03-10", first, at); !created || err != nil {
			t.Fatalf("first put: %v %v", created, err)
		}
		second := report.Absences{Enrolled: 120, Absent: 9, Classes: []report.Class{{Name: "1A", Enrolled: 60, Absent: 9}}}
		if created, err := s.PutAbsences(ctx, "S1", "2026-03-10", second, at); created || err != nil {
			t.Fatalf("replacing put: %v %v", created, err)
		}
		other := report.Absences{Enrolled: 50, Absent: 1}
		for _, put := range []struct{ code, day string }{{"S1", "2026-03-06"}, {"S1", "2026-03-12"}, {"S2", "2026-03-10"}, {"S1", "2026-02-28"}} {
			if _, err := s.PutAbsences(ctx, put.code, put.day, other, at); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Absences(ctx, "S1", "2026-03-01", "2026-03-10")
		want := []report.DatedAbsences{{Date: "2026-03-06", Absences: other}, {Date: "2026-03-10", Absences: second}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Absences:\n got %+v %v\nwant %+v", got, err, want)
		}
		if _, err := s.PutAbsences(ctx, "S1", "2026-03-11", first, at); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Absences(ctx, "S1", "2026-03-11", "2026-03-11")
		if len(got) != 1 || !reflect.DeepEqual(got[0].Absences, first) {
			t.Errorf("classes in their order and optional counts kept: %+v", got)
		}
		if got, err := s.Absences(ctx, "S3", "2026-01-01", "2026-12-31"); len(got) != 0 || err != nil {
			t.Errorf("no school: %v %v", got, err)
		}
		// A report of a school the store does not know is refused whole.
		if _, err := s.PutAbsences(ctx, "S9", "2026-03-10", first, at); err == nil {
			t.Error("a report of an unknown school was stored")
		}
		if got, _ := s.Absences(ctx, "S9", "2026-03-10", "2026-03-10"); len(got) != 0 {
			t.Errorf("a refused report left %+v", got)
		}
	})
}

func TestProfiles(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		addSchool(t, s, "S1")
		p := report.Profile{Enrolled: 300, Classes: 14, Enrolled619: 290}
		if created, err := s.PutProfile(ctx, "S1", "2025-26", p, at); !created || err != nil {
			t.Fatal(created, err)
		}
		p.Classes = 15
		if created, err := s.PutProfile(ctx, "S1", "2025-26", p, at); created || err != nil {
			t.Fatal(created, err)
		}
		if got, err := s.Profile(ctx, "S1", "2025-26"); got != p || err != nil {
			t.Errorf("Profile: %+v %v", got, err)
		}
		if _, err := s.Profile(ctx, "S1", "2024-25"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no profile: %v", err)
		}
	})
}

// Opening again migrates nothing and keeps the data; many writers at once
// all land.
func TestReopenAndConcurrentWriters(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		const schools = 40
		for i := range schools {
			addSchool(t, s, fmt.Sprintf("C%02d", i))
		}
		var wg sync.WaitGroup
		errs := make(chan error, schools*5)
		for i := range schools {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for d := range 5 {
					day := fmt.Sprintf("2026-03-%02d", d+2)
					if _, err := s.PutAbsences(ctx, fmt.Sprintf("C%02d", i), day, report.Absences{Enrolled: 100, Absent: i + d}, at); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		again, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		for i := range schools {
			got, err := again.Absences(ctx, fmt.Sprintf("C%02d", i), "2026-03-01", "2026-03-31")
			if err != nil || len(got) != 5 || got[4].Absent != i+4 {
				t.Errorf("school %d: %+v %v", i, got, err)
			}
		}
	})
}

func TestOpenRefusesAStrangeDSN(t *testing.T) {
	for _, dsn := range []string{"", "file.db?mode=memory"} {
		if _, err := store.Open(context.Background(), dsn); err == nil {
			t.Errorf("%q opened", dsn)
		}
	}
}
