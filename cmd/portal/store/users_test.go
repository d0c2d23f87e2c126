package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
)

func TestUsersAndSessions(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		op := store.User{Name: "Rossi", Role: store.Operator, ATS: "ATS Milano", Password: "$argon2id$x"}
		if err := s.AddUser(ctx, op); err != nil {
			t.Fatal(err)
		}
		if err := s.AddUser(ctx, store.User{Name: "rossi", Role: store.Regional, Password: "p"}); !errors.Is(err, store.ErrExists) {
			t.Errorf("the same name in another case: %v", err)
		}
		if err := s.AddUser(ctx, store.User{Name: "x", Role: "admin", Password: "p"}); err == nil {
			t.Error("a user of no role was added")
		}
		// The schema itself refuses an operator of no ATS.
		if err := s.AddUser(ctx, store.User{Name: "bianchi", Role: store.Operator, Password: "p"}); err == nil {
			t.Error("an operator of no ATS was added")
		}
		if err := s.AddUser(ctx, store.User{Name: "neri", Role: store.Regional, ATS: "ATS Milano", Password: "p"}); err == nil {
			t.Error("a regional user of one ATS was added")
		}
		if err := s.AddUser(ctx, store.User{Name: "verdi", Role: store.Regional, Password: "p"}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.User(ctx, "ROSSI"); err != nil || got != op {
			t.Errorf("User: %+v %v", got, err)
		}
		if got, _ := s.User(ctx, "verdi"); got.ATS != "" || got.Role != store.Regional {
			t.Errorf("a regional user: %+v", got)
		}
		if _, err := s.User(ctx, "nessuno"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown user: %v", err)
		}

		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		if err := s.CreateSession(ctx, "h1", "Rossi", "csrf1", now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		ses, err := s.Session(ctx, "h1", now.Add(59*time.Minute))
		want := store.Session{User: store.User{Name: "Rossi", Role: store.Operator, ATS: "ATS Milano"}, CSRF: "csrf1", Expires: now.Add(time.Hour)}
		if err != nil || ses.User != want.User || ses.CSRF != want.CSRF || !ses.Expires.Equal(want.Expires) {
			t.Errorf("Session: %+v %v", ses, err)
		}
		if _, err := s.Session(ctx, "h1", now.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an expired session: %v", err)
		}
		// A later login forgets the expired session.
		if err := s.CreateSession(ctx, "h2", "verdi", "csrf2", now.Add(2*time.Hour), now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "h1", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an expired session was kept: %v", err)
		}
		if err := s.DeleteSession(ctx, "h2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "h2", now.Add(2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after logout: %v", err)
		}
		if err := s.CreateSession(ctx, "h3", "nessuno", "c", now, now.Add(time.Hour)); err == nil {
			t.Error("a session of no user")
		}
	})
}

func TestSchoolsListAndDetails(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		addSchool(t, s, "B2")
		addSchool(t, s, "A1")
		if _, err := s.ImportSchools(ctx, []store.School{{Code: "C3", Name: "Tre", ATS: "ATS Brianza"}}, []string{"h3"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Revoke(ctx, "B2"); err != nil {
			t.Fatal(err)
		}
		codes := func(list []store.School) (c []string) {
			for _, sc := range list {
				c = append(c, sc.Code)
			}
			return c
		}
		milano, err := s.Schools(ctx, "ATS Milano")
		if err != nil || !reflect.DeepEqual(codes(milano), []string{"A1", "B2"}) || !milano[0].HasToken || milano[1].HasToken || !milano[1].Revoked {
			t.Errorf("Schools(ATS Milano): %+v %v", milano, err)
		}
		if all, _ := s.Schools(ctx, ""); !reflect.DeepEqual(codes(all), []string{"A1", "B2", "C3"}) {
			t.Errorf("Schools(all): %+v", all)
		}
		if err := s.SetSchoolDetails(ctx, "A1", false, 123); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.School(ctx, "A1"); got.Sentinel || got.Pupils619 != 123 || !got.HasToken {
			t.Errorf("after SetSchoolDetails: %+v", got)
		}
		if err := s.SetSchoolDetails(ctx, "NOPE", true, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown school: %v", err)
		}
	})
}

func TestAuditLog(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		events := []store.Event{
			{At: t0, Actor: "rossi", ATS: "ATS Milano", Action: "school.add", Detail: "A1"},
			{At: t0.Add(time.Microsecond), Actor: "verdi", ATS: "ATS Brianza", Action: "school.revoke", Detail: "C3"},
			{At: t0.Add(time.Second), Actor: "rossi", ATS: "ATS Milano", Action: "login", Detail: ""},
		}
		for _, e := range events {
			if err := s.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.AuditLog(ctx, "ATS Milano", 10); err != nil || !reflect.DeepEqual(got, []store.Event{events[2], events[0]}) {
			t.Errorf("AuditLog(ATS Milano): %+v %v", got, err)
		}
		if got, _ := s.AuditLog(ctx, "", 2); !reflect.DeepEqual(got, []store.Event{events[2], events[1]}) {
			t.Errorf("AuditLog(all, 2): %+v", got)
		}
		// Events of one instant keep the order they were recorded in.
		for _, action := range []string{"b.first", "a.second"} {
			if err := s.Audit(ctx, store.Event{At: t0, Actor: "rossi", ATS: "ATS Como", Action: action}); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.AuditLog(ctx, "ATS Como", 2); len(got) != 2 || got[0].Action != "a.second" || got[1].Action != "b.first" {
			t.Errorf("one instant's events: %+v", got)
		}
	})
}

// A revoked user's sessions end and it cannot open one; a new password
// lifts the revocation and ends the sessions of the old one.
func TestRevokeAndNewPassword(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		if err := s.AddUser(ctx, store.User{Name: "Rossi", Role: store.Operator, ATS: "ATS Milano", Password: "old"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, "h1", "Rossi", "c", now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeUser(ctx, "rossi"); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.User(ctx, "rossi"); !u.Revoked {
			t.Errorf("after RevokeUser: %+v", u)
		}
		if _, err := s.Session(ctx, "h1", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a revoked user's session: %v", err)
		}
		if err := s.CreateSession(ctx, "h2", "Rossi", "c", now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "h2", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a session opened for a revoked user: %v", err)
		}
		if err := s.SetPassword(ctx, "ROSSI", "new"); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.User(ctx, "rossi"); u.Revoked || u.Password != "new" {
			t.Errorf("after SetPassword: %+v", u)
		}
		if _, err := s.Session(ctx, "h2", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a session kept across a new password: %v", err)
		}
		for _, err := range []error{s.RevokeUser(ctx, "nessuno"), s.SetPassword(ctx, "nessuno", "x")} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("an unknown user: %v", err)
			}
		}
	})
}
