package store

import (
	"path/filepath"
	"testing"
	"time"
)

// An office of the third schema gains the outbox and the portal's
// settings, Monday and Thursday as the sentinel days; the credential is
// kept when none is typed, and only hinted at.
func TestReportSettingsAndTheOutboxMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	old, err := openPath(path, migrations[:3])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Reports(ctx, 10); err == nil {
		t.Fatal("the third schema has an outbox already: the test would prove nothing")
	}
	old.Close()
	s, err := openPath(path, migrations)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rs, err := s.ReportSettings(ctx)
	if err != nil || rs.PortalURL != "" || rs.Token != "" || len(rs.SentinelDays) != 2 || rs.SentinelDays[0] != time.Monday || rs.SentinelDays[1] != time.Thursday {
		t.Fatalf("defaults: %+v %v", rs, err)
	}
	const token = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"
	for _, tok := range []string{token, ""} {
		if err := s.Update(ctx, "preside", func(tx *Tx) error { return tx.SetPortal(ctx, "https://ats.example/", tok) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Update(ctx, "preside", func(tx *Tx) error { return tx.SetSentinelDays(ctx, []time.Weekday{time.Tuesday, time.Friday}) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "preside", func(tx *Tx) error { return tx.SetSentinelDays(ctx, []time.Weekday{9}) }); err == nil {
		t.Error("a ninth weekday was saved")
	}
	rs, err = s.ReportSettings(ctx)
	if err != nil || rs.Token != token || rs.TokenHint() != "…BCDE" || rs.SentinelDays[0] != time.Tuesday || rs.SentinelDays[1] != time.Friday {
		t.Errorf("after the changes: %+v %q %v", rs, rs.TokenHint(), err)
	}
	if (ReportSettings{Token: "short"}).TokenHint() != "•••••" {
		t.Error("a short credential is hinted at in clear")
	}

	// A report sent, then queued again (a corrected count of the day),
	// waits again as a new version; the old version's late answer changes
	// nothing.
	queue := func(body string) {
		t.Helper()
		if err := s.Update(ctx, "segreteria", func(tx *Tx) error { return tx.QueueReport(ctx, "MIEE01234A", ReportAbsences, "2022-02-14", body) }); err != nil {
			t.Fatal(err)
		}
	}
	queue(`{"enrolled":65,"absent":6}`)
	due, err := s.DueReports(ctx, time.Now())
	if err != nil || len(due) != 1 || due[0].Version != 1 {
		t.Fatalf("due: %+v %v", due, err)
	}
	if err := s.Update(ctx, "outbox", func(tx *Tx) error { return tx.MarkSent(ctx, due[0], 201) }); err != nil {
		t.Fatal(err)
	}
	queue(`{"enrolled":65,"absent":7}`)
	if err := s.Update(ctx, "outbox", func(tx *Tx) error { return tx.MarkRefused(ctx, due[0], 422, "late", "absent") }); err != nil {
		t.Fatal(err)
	}
	items, err := s.Reports(ctx, 10)
	if err != nil || len(items) != 1 || items[0].State != Waiting || items[0].Version != 2 || !items[0].Sent.IsZero() || items[0].Body != `{"enrolled":65,"absent":7}` {
		t.Errorf("after the new version: %+v %v", items, err)
	}
	if err := s.Update(ctx, "x", func(tx *Tx) error { return tx.QueueReport(ctx, "", ReportAbsences, "2022-02-14", "{}") }); err == nil {
		t.Error("a report without a school was queued")
	}
	audit, _ := s.Audit(ctx, 20)
	for _, e := range audit {
		if e.Action == "report.portal" && e.Detail != "portal https://ats.example/, credential changed" && e.Detail != "portal https://ats.example/, credential kept" {
			t.Errorf("audit of the portal: %q", e.Detail)
		}
	}
	if len(audit) != 6 { // 2 portal, 1 sentinel days, 2 queued, 1 sent
		t.Errorf("%d audit lines, want 6: %+v", len(audit), audit)
	}
}
