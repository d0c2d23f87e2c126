package display

import "testing"

func TestItalianDate(t *testing.T) {
	for in, want := range map[string]string{
		"2012-03-07":          "07/03/2012",
		"2012-03":             "03/2012",
		"2012":                "2012",
		"1978-01-26T00:00:00": "26/01/1978",
		"":                    "",
		"07/03/2012":          "07/03/2012",
		"2012-3-7":            "2012-3-7",
		"abcd-ef-gh":          "abcd-ef-gh",
		"2012-03-07junk":      "2012-03-07junk",
	} {
		if got := italianDate(in); got != want {
			t.Errorf("italianDate(%q) = %q, want %q", in, got, want)
		}
	}
}
