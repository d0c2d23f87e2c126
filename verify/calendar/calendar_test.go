package calendar

import (
	"testing"
	"time"
)

func TestOfUsesRomeDays(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2022, 2, 15, 22, 59, 59, 0, time.UTC), "2022-02-15"}, // 23:59:59 in Rome
		{time.Date(2022, 2, 15, 23, 0, 0, 0, time.UTC), "2022-02-16"},   // midnight in Rome
		{time.Date(2022, 7, 1, 21, 59, 0, 0, time.UTC), "2022-07-01"},   // summer time: UTC+2
		{time.Date(2022, 7, 1, 22, 0, 0, 0, time.UTC), "2022-07-02"},
		{time.Date(2022, 3, 27, 1, 30, 0, 0, time.UTC), "2022-03-27"}, // the DST switch night
	} {
		if got := Of(c.at).String(); got != c.want {
			t.Errorf("Of(%v) = %s, want %s", c.at, got, c.want)
		}
	}
}

func TestParseAndFormat(t *testing.T) {
	d, err := Parse("2022-02-28")
	if err != nil || (d+1).String() != "2022-03-01" || d.Italian() != "28/02/2022" {
		t.Fatalf("%v %v %s", d, err, d.Italian())
	}
	if !d.Start().Equal(time.Date(2022, 2, 28, 0, 0, 0, 0, Rome)) || Of(d.Start()) != d {
		t.Fatal("Start is not the first instant of the day in Rome")
	}
	for _, bad := range []string{"", "2022-02-30", "28/02/2022", "2022-2-1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}
