package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/trustdata"
)

func init() {
	kiosk.Commands["sync"] = cli.Command{
		Summary: "download signer keys, settings and the revocation list into a data folder",
		Run:     runSync,
	}
}

func runSync(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("sync", "usage: kiosk sync --gateway URL --data DIR [--ca FILE] [--timeout DURATION]", stderr)
	gatewayURL := fs.String("gateway", "", "the gateway API's root URL, e.g. https://get.dgc.gov.it/v1/dgc/ (required)")
	dataDir := fs.String("data", "", "the data folder to refresh; created when missing (required)")
	caFile := fs.String("ca", "", "PEM file of the only CAs trusted for the gateway's certificate (default: the system's roots)")
	timeout := fs.Duration("timeout", gateway.DefaultTimeout, "bound on each request, the whole answer included")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	usageErr := fs.UsageError
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case *gatewayURL == "":
		return usageErr("--gateway URL is required")
	case *dataDir == "":
		return usageErr("--data DIR is required")
	case *timeout <= 0:
		return usageErr("--timeout must be positive, got %v", *timeout)
	}
	client, err := gateway.New(gateway.Config{BaseURL: *gatewayURL, CAFile: *caFile, Timeout: *timeout})
	if err != nil {
		return usageErr("%v", err)
	}
	if client.Insecure() {
		fmt.Fprintf(stderr, "kiosk sync: warning: %s is plain http to another machine: nothing protects the keys and lists in transit\n", client.BaseURL())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := (&trustdata.Syncer{Client: client, Dir: *dataDir}).Sync(ctx)
	for _, line := range rep.Lines() {
		fmt.Fprintln(stdout, line)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kiosk sync: %s\n", oneLine(err))
		return 1
	}
	return 0
}

// oneLine joins the errors of every failed set on one line.
func oneLine(err error) string {
	msgs := []string{err.Error()}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		msgs = msgs[:0]
		for _, e := range j.Unwrap() {
			msgs = append(msgs, e.Error())
		}
	}
	return strings.ReplaceAll(strings.Join(msgs, "; "), "\n", " ")
}
