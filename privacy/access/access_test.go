package access

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// cheap keeps the tests fast; the cost is recorded in each hash.
var cheap = Argon2{MemoryKiB: 64, Time: 1, Threads: 1}

func TestPasswordHash(t *testing.T) {
	phc, err := cheap.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("PHC string %q", phc)
	}
	if again, _ := cheap.Hash("correct horse battery"); again == phc {
		t.Error("two hashes of one password are equal: no fresh salt")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false,
		strings.Repeat("x", MaxPasswordLen+1): false} {
		if ok, err := VerifyPassword(phc, pw); ok != want || err != nil {
			t.Errorf("VerifyPassword(%.20q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// A tampered database cannot make a login take the machine's memory,
	// nor pass with a hash this program cannot read.
	for _, bad := range []string{
		strings.Replace(phc, "m=64", "m=4194304", 1),
		strings.Replace(phc, "t=1", "t=99", 1),
		strings.Replace(phc, "argon2id", "argon2i", 1),
		"$2a$10$bcrypthash", "",
	} {
		if ok, err := VerifyPassword(bad, "correct horse battery"); ok || !errors.Is(err, ErrHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v; want ErrHash", bad, ok, err)
		}
	}
	if CheckName("rossi.m") != nil || CheckName("") == nil || CheckName("a b") == nil || CheckName(strings.Repeat("a", 61)) == nil {
		t.Error("CheckName")
	}
	if CheckPassword("short") == nil || CheckPassword(strings.Repeat("è", MinPasswordLen)) != nil ||
		CheckPassword(strings.Repeat("x", MaxPasswordLen+1)) == nil {
		t.Error("CheckPassword's bounds")
	}
}

func TestTokens(t *testing.T) {
	a, b := Token(), Token()
	if len(a) != 43 || a == b {
		t.Errorf("tokens %q %q", a, b)
	}
	if len(TokenHash(a)) != 32 || string(TokenHash(a)) == string(TokenHash(b)) {
		t.Error("token hashes")
	}
	if !SameToken(a, a) || SameToken(a, b) || SameToken("", "") || SameToken(a, a[:42]) {
		t.Error("SameToken")
	}
}

func TestLimiterWindow(t *testing.T) {
	l := NewLimiter(2, time.Minute)
	t0 := time.Date(2026, 1, 12, 8, 0, 0, 0, time.UTC)
	l.Fail("k", t0)
	l.Fail("k", t0.Add(30*time.Second))
	if l.Allowed("k", t0.Add(59*time.Second)) || !l.Allowed("other", t0) {
		t.Error("two failures within the window should block k only")
	}
	if !l.Allowed("k", t0.Add(time.Minute)) {
		t.Error("the first failure has left the window")
	}
	l.Fail("k", t0.Add(61*time.Second))
	l.Reset("k")
	if !l.Allowed("k", t0.Add(62*time.Second)) {
		t.Error("Reset forgets")
	}
}

func TestLogins(t *testing.T) {
	logins, err := NewLogins(cheap)
	if err != nil {
		t.Fatal(err)
	}
	phc, _ := cheap.Hash("the-right-password")
	now := time.Date(2026, 1, 12, 8, 0, 0, 0, time.UTC)
	account := func() (string, error) { return phc, nil }
	unknown := func() (string, error) { return "", ErrNoAccount }
	if err := logins.Check("Preside", "10.0.0.1", "the-right-password", now, account); err != nil {
		t.Fatal(err)
	}
	if err := logins.Check("nessuno", "10.0.0.1", "the-right-password", now, unknown); err != ErrBadLogin {
		t.Errorf("an unknown name: %v", err)
	}
	broken := func() (string, error) { return "$argon2id$garbage", nil }
	if err := logins.Check("rotto", "10.0.0.1", "x", now, broken); !errors.Is(err, ErrBadLogin) || !errors.Is(err, ErrHash) {
		t.Errorf("an unreadable hash: %v", err)
	}
	down := errors.New("database down")
	if err := logins.Check("preside", "10.0.0.1", "x", now, func() (string, error) { return "", down }); err != down {
		t.Errorf("a failed lookup: %v", err)
	}
	// Five failures lock the account (any letter case) from every address,
	// before its hash is even looked up; the window frees it.
	for i := range MaxFailsPerAccount {
		if err := logins.Check("preside", "10.0.0.2", "wrong", now, account); err != ErrBadLogin {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	looked := false
	if err := logins.Check("PRESIDE", "10.0.0.9", "the-right-password", now, func() (string, error) { looked = true; return phc, nil }); err != ErrLimited || looked {
		t.Errorf("a locked account: %v (looked up: %v)", err, looked)
	}
	if err := logins.Check("preside", "10.0.0.9", "the-right-password", now.Add(FailWindow), account); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// One address sweeping names is stopped too.
	for i := range MaxFailsPerAddress {
		logins.Check("name"+string(rune('a'+i)), "10.0.0.3", "wrong", now, unknown)
	}
	if err := logins.Check("preside", "10.0.0.3", "the-right-password", now, account); err != ErrLimited {
		t.Errorf("a sweeping address: %v", err)
	}
}

func TestLocalPath(t *testing.T) {
	for back, want := range map[string]string{"/schools?q=a": "/schools?q=a", "": "/f", "//evil.example": "/f",
		"https://evil.example": "/f", `/\evil.example`: "/f", "schools": "/f"} {
		if got := LocalPath(back, "/f"); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", back, got, want)
		}
	}
}

func TestParseForm(t *testing.T) {
	post := func(contentType, body string) error {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		err := ParseForm(httptest.NewRecorder(), r, 100)
		if err == nil && r.PostFormValue("csrf") != "t" {
			t.Errorf("%s: csrf %q", contentType, r.PostFormValue("csrf"))
		}
		return err
	}
	form := "application/x-www-form-urlencoded"
	multi := "multipart/form-data; boundary=B"
	part := "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nt\r\n--B--\r\n"
	if err := post(form, "csrf=t&a=1"); err != nil {
		t.Errorf("a small form: %v", err)
	}
	if err := post(multi, part); err != nil {
		t.Errorf("a small multipart form: %v", err)
	}
	if err := post(form, "csrf=t&a="+strings.Repeat("x", 100)); !errors.Is(err, ErrFormTooLarge) {
		t.Errorf("a large form: %v", err)
	}
	if err := post(multi, strings.Replace(part, "\r\nt\r\n", "\r\n"+strings.Repeat("x", 100)+"\r\n", 1)); !errors.Is(err, ErrFormTooLarge) {
		t.Errorf("a large multipart form: %v", err)
	}
	if err := post(form, "csrf=%zz"); err == nil || errors.Is(err, ErrFormTooLarge) {
		t.Errorf("a malformed form: %v", err)
	}
}

// A login's cost: one check of a password at the default cost (OWASP's
// minimum; about 30 ms was measured on an office PC).
func BenchmarkVerifyDefault(b *testing.B) {
	phc, err := DefaultArgon2.Hash("correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := VerifyPassword(phc, "correct horse battery"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
