package display

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/privacy"
)

// testScreen is a Screen as the session publishes it for a primary school
// with classes under daily verification; every part is healthy.
// testInformativa is the address of the test school's privacy notice.
const testInformativa = "https://www.icrodari.edu.it/privacy/verifica-ingresso"

func testScreen(seq uint64, state kiosk.State) kiosk.Screen {
	ok := kiosk.Health{OK: true}
	sc := kiosk.Screen{
		Seq: seq, Lang: "it", State: state, School: "IC Gianni Rodari – plesso Via Roma",
		Informativa: testInformativa,
		TrustData:   ok, Camera: ok, Audio: ok, Light: ok,
	}
	if state == kiosk.StateLocked {
		return sc
	}
	sc.Operator = &kiosk.Operator{Name: "Maria Bianchi", Role: "collaboratrice scolastica", ValidUntil: "2022-06-30"}
	if state == kiosk.StateChooseClass {
		sc.Classes = []kiosk.ClassChoice{
			{Name: "3A", Enrolled: 22, VerificationUntil: "2022-02-18"},
			{Name: "3B", Enrolled: 21, VerificationUntil: "2022-02-20"},
			{Name: "4A", Enrolled: 19, VerificationUntil: "2022-02-21"},
		}
		return sc
	}
	sc.Class = &kiosk.ClassCount{Name: "3B", Level: "primaria", Enrolled: 22, Admitted: 10, Refused: 2, VerificationUntil: "2022-02-20"}
	return sc
}

// resultScreen is a result on screen until the given instant.
func resultScreen(seq uint64, admit bool, reason string, p *privacy.Person, until time.Time) kiosk.Screen {
	sc := testScreen(seq, kiosk.StateResult)
	sc.Result = &kiosk.Result{Admit: admit, Reason: reason, Person: p, Until: until}
	if admit {
		sc.Result.Status = "VALID"
	} else {
		sc.Result.Status = "EXPIRED"
	}
	return sc
}

// startServer serves a new Server on a free loopback port until the test
// ends or stop is called, and returns it with its base URL.
func startServer(t *testing.T, cfg Config) (s *Server, base string, stop func()) {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	t.Cleanup(stop)
	return s, "http://" + s.Addr(), stop
}
