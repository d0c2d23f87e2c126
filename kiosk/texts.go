package kiosk

// text is a notice in the two languages of the screen.
type text struct{ it, en string }

func (t text) in(lang string) string {
	if lang == "en" {
		return t.en
	}
	return t.it
}

// The notices the session shows.
var (
	txtLocked        = text{"Postazione bloccata: mostrare il badge di delega alla telecamera.", "Kiosk locked: show your delegation badge to the camera."}
	txtChooseClass   = text{"Scegliere prima la classe da verificare.", "Choose the class to check first."}
	txtNoClasses     = text{"Nessuna classe è in verifica quotidiana oggi.", "No class is under daily verification today."}
	txtUnknownClass  = text{"Questa classe non è in verifica oggi.", "This class is not under verification today."}
	txtBadgeForged   = text{"Badge rifiutato: non firmato da questa scuola.", "Badge refused: not signed by this school."}
	txtBadgeBad      = text{"Badge illeggibile.", "Badge unreadable."}
	txtBadgeExpired  = text{"Badge rifiutato: delega scaduta.", "Badge refused: the delegation has expired."}
	txtBadgeRevoked  = text{"Badge rifiutato: delega revocata dal dirigente.", "Badge refused: the delegation was revoked."}
	txtBadgeUnknown  = text{"Badge rifiutato: delega non presente nell'elenco della scuola.", "Badge refused: the delegation is not on the school's list."}
	txtInactivity    = text{"Postazione bloccata per inattività.", "Kiosk locked after inactivity."}
	txtDayChanged    = text{"Nuovo giorno: scegliere la classe.", "A new day: choose the class."}
	txtCountNotSaved = text{"Attenzione: il conteggio non è stato salvato.", "Warning: the count was not saved."}
)

// The trust data's state, for the status bar.
var (
	txtTrustDataOK    = text{"Dati di verifica aggiornati", "Verification data up to date"}
	txtStaleTrustData = text{"Dati di verifica non aggiornati: nessuno può essere ammesso", "Verification data out of date: nobody can be admitted"}
	txtNoTrustData    = text{"Dati di verifica assenti: collegare alla rete", "No verification data yet: connect to the network"}
)

// txtDeviceDown says what the delegate should know when a device fails.
var txtDeviceDown = map[Part]text{
	PartCamera: {"Telecamera scollegata: ricollegarla, riparte da sola", "Camera disconnected: plug it back in, it restarts by itself"},
	PartAudio:  {"Audio assente: si prosegue in silenzio", "No audio: carrying on silently"},
	PartLight:  {"Luce assente: guardare lo schermo", "No light: watch the screen"},
}
