package lang

// The texts the entrance session puts on the screen. Their words are in
// the tables (it.go, en.go); the screen page's own labels are keys under
// "screen." that only the page uses.
const (
	Locked        Key = "notice.locked"
	ChooseClass   Key = "notice.choose_class"
	NoClasses     Key = "notice.no_classes"
	UnknownClass  Key = "notice.unknown_class"
	Inactivity    Key = "notice.inactivity"
	DayChanged    Key = "notice.day_changed"
	CountNotSaved Key = "notice.count_not_saved"

	BadgeForged  Key = "badge.forged"
	BadgeBad     Key = "badge.unreadable"
	BadgeExpired Key = "badge.expired"
	BadgeRevoked Key = "badge.revoked"
	BadgeUnknown Key = "badge.unknown"

	TrustDataOK    Key = "trust.ok"
	TrustDataStale Key = "trust.stale"
	TrustDataNone  Key = "trust.none"

	NotValid Key = "verdict.not_valid" // a revoked certificate, in discreet mode

	ClockUntrusted       Key = "clock.untrusted"        // the verdict's reason
	ClockUntrustedStatus Key = "clock.untrusted_status" // the status bar

	// The demo's terminal echo of the screen, one line per change.
	EchoScreen   Key = "echo.screen"   // the line's start
	EchoLocked   Key = "echo.locked"   // the states
	EchoChoose   Key = "echo.choose"   //
	EchoReady    Key = "echo.ready"    //
	EchoClass    Key = "echo.class"    // {0} class, {1} admitted, {2} refused, {3} enrolled
	EchoOperator Key = "echo.operator" // {0} the delegate's name

	// Pairing with the school office (kiosk/link).
	PairStarted    Key = "pair.started"
	PairDone       Key = "pair.done"
	PairFailed     Key = "pair.failed"
	PairAlready    Key = "pair.already"
	PairNotHere    Key = "pair.not_here"
	PairBadQR      Key = "pair.bad_qr"
	OfficeUnpaired Key = "office.unpaired"
	// The status bar's word on the school data from the office.
	OfficeOK        Key = "office.ok"
	OfficeOld       Key = "office.old" // {0} when the data was signed
	OfficeNoData    Key = "office.no_data"
	OfficeNotPaired Key = "office.not_paired"

	CameraDown Key = "device.camera_down"
	AudioDown  Key = "device.audio_down"
	LightDown  Key = "device.light_down"
)
