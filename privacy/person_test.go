package privacy

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

const (
	markFamily = "ZZMARKERFAMILY"
	markGiven  = "ZZMARKERGIVEN"
	markDOB    = "1911-11-11"
)

func marked() *Person { return NewPerson(markFamily, markGiven, markDOB) }

// leaks reports which marker, if any, s contains.
func leaks(s string) string {
	for _, m := range []string{markFamily, markGiven, markDOB, "ZZMARKER", "1911"} {
		if strings.Contains(s, m) {
			return m
		}
	}
	return ""
}

func TestRevealReturnsTheData(t *testing.T) {
	p := marked()
	id, ok := p.Reveal()
	if !ok || id.FamilyName != markFamily || id.GivenName != markGiven || id.DateOfBirth != markDOB {
		t.Fatalf("Reveal() = %q/%q/%q, %v", id.FamilyName, id.GivenName, id.DateOfBirth, ok)
	}
}

func TestWipeZeroesTheBuffer(t *testing.T) {
	p := marked()
	backing := p.buf[:cap(p.buf)]
	p.Wipe()
	for i, b := range backing {
		if b != 0 {
			t.Fatalf("byte %d of the backing array is %q after Wipe", i, b)
		}
	}
	if _, ok := p.Reveal(); ok {
		t.Fatal("Reveal succeeded after Wipe")
	}
	if !p.Wiped() {
		t.Fatal("Wiped() = false after Wipe")
	}
	p.Wipe() // twice is fine
	var nilP *Person
	nilP.Wipe()
	if _, ok := nilP.Reveal(); ok {
		t.Fatal("nil person revealed data")
	}
}

func TestEmptyPersonRevealsNothing(t *testing.T) {
	if _, ok := NewPerson("", "", "").Reveal(); ok {
		t.Fatal("an empty person revealed data")
	}
}

// TestNoFormatterLeaks drives every generic path that could carry a Person
// or its revealed Identity to a log line, a file or the network.
func TestNoFormatterLeaks(t *testing.T) {
	p := marked()
	id, _ := p.Reveal()
	type wrapper struct {
		Who   *Person
		ID    Identity
		Inner struct{ P *Person }
	}
	w := wrapper{Who: p, ID: id}
	w.Inner.P = p

	outputs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		outputs["fmt "+verb+" person"] = fmt.Sprintf(verb, p)
		outputs["fmt "+verb+" identity"] = fmt.Sprintf(verb, id)
		outputs["fmt "+verb+" wrapper"] = fmt.Sprintf(verb, w)
		outputs["fmt "+verb+" slice"] = fmt.Sprintf(verb, []any{p, id})
		outputs["fmt "+verb+" map"] = fmt.Sprintf(verb, map[string]any{"p": p, "id": id})
	}
	outputs["errorf %w"] = fmt.Errorf("scan of %v failed: %w", p, errors.New("x")).Error()
	outputs["println"] = fmt.Sprintln(p, id, w)

	j, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	outputs["json"] = string(j)
	type doc struct {
		P  *Person
		ID Identity
	}
	x, err := xml.Marshal(doc{p, id})
	if err != nil {
		t.Fatal(err)
	}
	outputs["xml"] = string(x)
	var g bytes.Buffer
	if err := gob.NewEncoder(&g).Encode(doc{p, id}); err != nil {
		t.Fatal(err)
	}
	outputs["gob"] = g.String()

	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		l := slog.New(h(&b))
		l.Info("scan", "person", p, "identity", id, "any", any(w), slog.Group("g", "p", p))
		outputs[name] = b.String()
	}
	var lb bytes.Buffer
	log.New(&lb, "", 0).Printf("%v %+v", p, w)
	outputs["log"] = lb.String()

	for name, out := range outputs {
		if m := leaks(out); m != "" {
			t.Errorf("%s leaks %q: %s", name, m, out)
		}
		if !strings.Contains(out, Redacted) && !strings.HasPrefix(name, "gob") {
			t.Errorf("%s does not show the redaction marker: %s", name, out)
		}
	}
}

func TestConcurrentRevealAndWipe(t *testing.T) {
	p := marked()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				if id, ok := p.Reveal(); ok && id.FamilyName != markFamily {
					t.Errorf("torn read: %q", id.FamilyName)
					return
				}
			}
		}()
	}
	p.Wipe()
	wg.Wait()
}
