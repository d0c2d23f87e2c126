package display

// italianDate writes a date of the certificates and the configuration
// (YYYY-MM-DD, YYYY-MM or YYYY, as a date of birth may be partial; a time
// after the day, as some issuers add, is dropped) in the Italian order:
// dd/mm/yyyy, mm/yyyy or yyyy. Anything else is returned unchanged, so the
// screen shows what there is rather than nothing.
func italianDate(s string) string {
	day := s
	if len(s) > 10 && s[10] == 'T' {
		day = s[:10]
	}
	switch {
	case len(day) == 10 && digits(day[:4]) && day[4] == '-' && digits(day[5:7]) && day[7] == '-' && digits(day[8:]):
		return day[8:] + "/" + day[5:7] + "/" + day[:4]
	case len(s) == 7 && digits(s[:4]) && s[4] == '-' && digits(s[5:]):
		return s[5:] + "/" + s[:4]
	default:
		return s
	}
}

// digits reports whether s is made of ASCII digits only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
