package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

var ctx = context.Background()

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// An office installed with the first schema opens with today's: its data
// is kept and the tables of the later migrations appear; a database from a
// newer program is refused rather than misread.
func TestMigrationUpgradesAnOldSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	old, err := openPath(path, migrations[:1])
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.Version(ctx); v != 1 {
		t.Fatalf("old version %d", v)
	}
	if _, err := old.db.Exec(`INSERT INTO classes (name, level, enrolled) VALUES ('3A', 'primaria', 22);
		INSERT INTO cases (class_id, day) VALUES (1, '2022-02-07')`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.Exec(`SELECT * FROM delegations`); err == nil {
		t.Fatal("the old schema has delegations already: the test would prove nothing")
	}
	old.Close()

	s, err := openPath(path, migrations)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(ctx); v != len(migrations) {
		t.Fatalf("version after upgrade %d, want %d", v, len(migrations))
	}
	cs, err := s.Classes(ctx)
	if err != nil || len(cs) != 1 || cs[0].Name != "3A" || len(cs[0].Cases) != 1 || cs[0].Cases[0] != calendar.Date(2022, 2, 7) {
		t.Fatalf("classes after upgrade: %+v %v", cs, err)
	}
	if err := s.Update(ctx, "test", func(tx *Tx) error {
		_, err := tx.AddDelegation(ctx, "Maria Rossi", "collaboratrice scolastica", calendar.Date(2022, 6, 30))
		return err
	}); err != nil {
		t.Fatalf("a table of migration 2: %v", err)
	}
	s.Close()

	if _, err := openPath(path, migrations[:1]); err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("an older program on a newer database: %v", err)
	}
}

// A change that fails leaves nothing behind, not even its audit line; a
// change that succeeds is audited with its actor.
func TestUpdateIsOneTransaction(t *testing.T) {
	s := open(t)
	boom := errors.New("boom")
	err := s.Update(ctx, "segreteria", func(tx *Tx) error {
		if _, err := tx.AddClass(ctx, "1A", school.Primaria, 20); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if cs, _ := s.Classes(ctx); len(cs) != 0 {
		t.Fatalf("rolled back class kept: %+v", cs)
	}
	if a, _ := s.Audit(ctx, 10); len(a) != 0 {
		t.Fatalf("audit of a rolled back change: %+v", a)
	}

	var id int64
	if err := s.Update(ctx, "segreteria", func(tx *Tx) (err error) {
		id, err = tx.AddClass(ctx, "1A", school.Primaria, 20)
		if err != nil {
			return err
		}
		return tx.AddCase(ctx, id, calendar.Date(2022, 2, 7))
	}); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, "segreteria", func(tx *Tx) error {
		_, err := tx.AddClass(ctx, "1A", school.Primaria, 20)
		return err
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate class: %v", err)
	}
	a, err := s.Audit(ctx, 10)
	if err != nil || len(a) != 2 || a[0].Action != "case.add" || a[0].Actor != "segreteria" || !strings.Contains(a[0].Detail, "1A") {
		t.Fatalf("audit: %+v %v", a, err)
	}

	// Deleting the class takes its cases and override with it.
	if err := s.Update(ctx, "dirigente", func(tx *Tx) error {
		until := calendar.Date(2022, 2, 12)
		if err := tx.SetVerifyUntil(ctx, id, &until); err != nil {
			return err
		}
		return tx.DeleteClass(ctx, id)
	}); err != nil {
		t.Fatal(err)
	}
	var n int
	s.db.QueryRow(`SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM verify_until)`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d cases or overrides outlive their class", n)
	}
}

// The rule sets the head teacher adds join the built-in ones, checked by
// the engine: two on the same day are refused.
func TestRuleSets(t *testing.T) {
	s := open(t)
	rs := school.RuleSet{Name: "Autunno 2026", From: calendar.Date(2026, 9, 14), EpisodeGapDays: 7,
		Levels: map[school.Level]school.LevelRule{school.Primaria: {Steps: []school.Step{{MinCases: 3, Measure: school.DailyVerification, Days: 7}}}}}
	if err := s.Update(ctx, "dirigente", func(tx *Tx) error { return tx.AddRuleSet(ctx, rs) }); err != nil {
		t.Fatal(err)
	}
	rules, err := s.Rules(ctx)
	if err != nil || len(rules) != 3 || rules.InForce(calendar.Date(2026, 10, 1)).Levels[school.Primaria].Steps[0].Days != 7 {
		t.Fatalf("rules: %+v %v", rules, err)
	}
	rs.Name = "Stesso giorno"
	if err := s.Update(ctx, "dirigente", func(tx *Tx) error { return tx.AddRuleSet(ctx, rs) }); !errors.Is(err, ErrDayTaken) {
		t.Fatalf("two rule sets on one day: %v", err)
	}
}

// A backup taken while the office writes is a consistent database that
// opens, with the school's data in it.
func TestBackupOfALiveDatabase(t *testing.T) {
	s := open(t)
	var id int64
	if err := s.Update(ctx, "dirigente", func(tx *Tx) (err error) {
		if err := tx.SetSchool(ctx, School{Code: "MIEE000001", Name: "Plesso Manzoni", Address: "Via Roma 1, Milano", DPOEmail: "dpo@example.org"}); err != nil {
			return err
		}
		id, err = tx.AddClass(ctx, "2B", school.Secondaria1, 24)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for day := calendar.Date(2022, 2, 5); ; day++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.Update(ctx, "segreteria", func(tx *Tx) error { return tx.AddCase(ctx, id, day) }); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	path := filepath.Join(t.TempDir(), "backup.sqlite")
	err := s.Backup(ctx, path)
	during := written.Load()
	for written.Load() < during+20 { // the office kept writing after the backup
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}

	b, err := openPath(path, migrations)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var check string
	if err := b.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity of the backup: %q %v", check, err)
	}
	sc, _ := b.School(ctx)
	cs, err := b.Classes(ctx)
	if err != nil || sc.Code != "MIEE000001" || sc.DPOEmail != "dpo@example.org" || sc.Updated == 0 || len(cs) != 1 {
		t.Fatalf("backup: %+v %+v %v", sc, cs, err)
	}
	if n := int64(len(cs[0].Cases)); n < 20 || n > during+1 {
		t.Fatalf("backup has %d cases; %d were written before it started", n, during)
	}
	a, _ := b.Audit(ctx, 1000)
	if int64(len(a)) != int64(len(cs[0].Cases))+2 {
		t.Fatalf("backup: %d audit lines for %d cases: not one snapshot", len(a), len(cs[0].Cases))
	}
	if err := s.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("a backup over a file: %v", err)
	}
}

// Sessions are found by their token's hash until they expire.
func TestSessions(t *testing.T) {
	s := open(t)
	if err := s.Update(ctx, "cli", func(tx *Tx) error { return tx.AddAccount(ctx, "preside", Dirigente, "$argon2id$x") }); err != nil {
		t.Fatal(err)
	}
	a, err := s.Account(ctx, "preside")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := s.CreateSession(ctx, []byte("hash"), a.ID, "csrf", now.Add(time.Hour), now); err != nil {
		t.Fatal(err)
	}
	ses, err := s.Session(ctx, []byte("hash"), now)
	if err != nil || ses.Account.Role != Dirigente || ses.CSRF != "csrf" {
		t.Fatalf("%+v %v", ses, err)
	}
	if _, err := s.Session(ctx, []byte("hash"), now.Add(2*time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	if err := s.DeleteSession(ctx, []byte("hash")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, []byte("hash"), now); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
}
