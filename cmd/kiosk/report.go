package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/kiosk/office/outbox"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/verify/calendar"
)

func init() {
	kiosk.Commands["report"] = cli.Command{
		Summary: "the reports to the ATS: queue a day's absences or the yearly profile in the office's outbox; send it",
		Run:     runReport,
	}
}

const reportUsage = `usage:
  kiosk report absences --data DIR --date YYYY-MM-DD --absent N [--illness N] [--enrolled N] [--school CODE]
      queues a day's absences; enrolled and the school's code from the office unless given
  kiosk report profile --data DIR --enrolled-6-19 N [--year 2025-26] [--enrolled N] [--classes N] [--school CODE]
      queues the school year's profile; enrolled, classes and the code from the office unless given
  kiosk report send --data DIR --portal URL --token-file FILE [--timeout D]
      delivers the outbox; exit 0 when it is empty, 1 naming what is refused or still waiting`

func runReport(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "absences":
			return runReportAbsences(args[1:], stderr)
		case "profile":
			return runReportProfile(args[1:], stderr)
		case "send":
			return runReportSend(args[1:], stderr)
		}
	}
	fmt.Fprintln(stderr, reportUsage)
	return cli.ExitUsage
}

// optional is a count flag that may be left out (-1).
func optional(fs *cli.Flags, name, usage string) *int { return fs.Int(name, -1, usage) }

func runReportAbsences(args []string, stderr io.Writer) int {
	fs := kiosk.NewFlags("report absences", reportUsage, stderr)
	data := fs.String("data", "", "the office's data folder (a new one is a new office database)")
	date := fs.String("date", "", "the day, YYYY-MM-DD")
	absent := optional(fs, "absent", "the pupils of the plesso absent that day")
	illness := optional(fs, "illness", "of them, absent for illness (optional)")
	enrolled := optional(fs, "enrolled", "the enrolled pupils (default: the sum of the office's classes)")
	code := fs.String("school", "", "the plesso's code (default: the office's)")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if status, ok := fs.Need("data", "date"); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if *absent == -1 {
		return fs.UsageError("--absent N is required: the pupils absent that day")
	}
	day, err := calendar.Parse(*date)
	if err != nil {
		return fs.UsageError("--date: %v", err)
	}
	return queue(fs, stderr, *data, *code, day, func(ctx context.Context, o *outbox.Outbox, pre outbox.Prefill) error {
		a := report.Absences{Enrolled: pre.Enrolled, Absent: *absent}
		if len(pre.Classes) > 0 {
			a.ClassesUnderMeasure = report.Int(pre.UnderMeasure)
		}
		if *enrolled != -1 {
			a.Enrolled = *enrolled
		}
		if *illness != -1 {
			a.AbsentIllness = illness
		}
		return o.EnqueueAbsences(ctx, "kiosk report absences", pre.School, day.String(), a)
	})
}

func runReportProfile(args []string, stderr io.Writer) int {
	fs := kiosk.NewFlags("report profile", reportUsage, stderr)
	data := fs.String("data", "", "the office's data folder (a new one is a new office database)")
	year := fs.String("year", "", "the school year, like 2025-26 (default: today's)")
	enrolled619 := optional(fs, "enrolled-6-19", "of the enrolled, the pupils aged 6 to 19")
	enrolled := optional(fs, "enrolled", "the enrolled pupils (default: the sum of the office's classes)")
	classes := optional(fs, "classes", "the number of classes (default: the office's)")
	code := fs.String("school", "", "the plesso's code (default: the office's)")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if status, ok := fs.Need("data"); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if *enrolled619 == -1 {
		return fs.UsageError("--enrolled-6-19 N is required: the enrolled pupils aged 6 to 19")
	}
	today := calendar.Of(time.Now())
	if *year == "" {
		*year = outbox.SchoolYear(today)
	}
	return queue(fs, stderr, *data, *code, today, func(ctx context.Context, o *outbox.Outbox, pre outbox.Prefill) error {
		p := report.Profile{Enrolled: pre.Enrolled, Classes: len(pre.Classes), Enrolled619: *enrolled619}
		if *enrolled != -1 {
			p.Enrolled = *enrolled
		}
		if *classes != -1 {
			p.Classes = *classes
		}
		return o.EnqueueProfile(ctx, "kiosk report profile", pre.School, *year, p)
	})
}

// queue opens (or creates) the office database in data, reads what the
// office knows of day, and queues the report enqueue makes of it for the
// plesso code, or the office's own; a report that cannot be true is a
// usage error naming its flag.
func queue(fs *cli.Flags, stderr io.Writer, data, code string, day calendar.Day,
	enqueue func(context.Context, *outbox.Outbox, outbox.Prefill) error) int {
	st, err := store.Open(data)
	if err != nil {
		return fs.UsageError("--data: %v", err)
	}
	defer st.Close()
	ctx := context.Background()
	pre, err := outbox.Prefilled(ctx, st, day)
	if err != nil {
		fmt.Fprintf(stderr, "kiosk report: %v\n", err)
		return 1
	}
	if code != "" {
		pre.School = code
	}
	if pre.School == "" {
		return fs.UsageError("--school CODE is required: the office in %s has no school code yet", data)
	}
	if err := enqueue(ctx, outbox.New(st, nil), pre); err != nil {
		return fs.UsageError("%v", flagged(err))
	}
	return 0
}

// flagged names a report's field as the flag that gave it.
func flagged(err error) error {
	var fe *report.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	flag, ok := map[string]string{"date": "--date", "year": "--year", "enrolled": "--enrolled", "absent": "--absent",
		"absent_illness": "--illness", "enrolled_6_19": "--enrolled-6-19", "classes": "--classes"}[fe.Field]
	if !ok {
		return err
	}
	return fmt.Errorf("%s: %s", flag, fe.Msg)
}

// sendBackoff bounds the waits of kiosk report send between attempts: a
// person is waiting, for at most --timeout.
const sendMinBackoff, sendMaxBackoff = time.Second, 30 * time.Second

func runReportSend(args []string, stderr io.Writer) int {
	fs := kiosk.NewFlags("report send", reportUsage, stderr)
	data := fs.String("data", "", "the office's data folder")
	portal := fs.String("portal", "", "the ATS portal's address, https://…")
	tokenFile := fs.String("token-file", "", "a file holding the plesso's credential")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up on what is still waiting after this long")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if status, ok := fs.Need("data", "portal", "token-file"); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 {
		return fs.UsageError("--timeout %v: a positive duration", *timeout)
	}
	raw, err := os.ReadFile(*tokenFile)
	if err != nil {
		return fs.UsageError("--token-file: %v", err)
	}
	token := strings.TrimSpace(string(raw))
	if token == "" {
		return fs.UsageError("--token-file %s is empty", *tokenFile)
	}
	if _, err := report.NewClient(*portal, "check", token, nil); err != nil {
		return fs.UsageError("--portal: %v", err)
	}
	st, err := openOfficeStore(*data)
	if err != nil {
		return fs.UsageError("--data: %v", err)
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	o := outbox.New(st, func(school string) (outbox.Portal, error) {
		return report.NewClient(*portal, school, token, nil)
	})
	o.MinBackoff, o.MaxBackoff = sendMinBackoff, sendMaxBackoff
	if err := deliver(ctx, o); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "kiosk report send: %v\n", err)
		return 1
	}
	// What is left: the database is read without the deadline.
	items, err := st.Reports(context.Background(), 10000)
	if err != nil {
		fmt.Fprintf(stderr, "kiosk report send: %v\n", err)
		return 1
	}
	status := 0
	for _, it := range items {
		switch it.State {
		case store.Refused:
			fmt.Fprintf(stderr, "kiosk report send: the portal refused the %s %s of %s (%d): %s %s\n", it.Kind, it.Period, it.School, it.Status, it.Field, it.Reason)
			status = 1
		case store.Waiting:
			fmt.Fprintf(stderr, "kiosk report send: after %v the %s %s of %s still waits: %s\n", *timeout, it.Kind, it.Period, it.School, it.Reason)
			status = 1
		}
	}
	return status
}

// deliver sends every waiting report now, then each again at its backoff,
// until none waits or ctx ends.
func deliver(ctx context.Context, o *outbox.Outbox) error {
	if _, err := o.SendWaiting(ctx); err != nil {
		return err
	}
	for {
		wait, ok, err := o.Wait(ctx)
		if err != nil || !ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		if _, err := o.SendDue(ctx); err != nil {
			return err
		}
	}
}
