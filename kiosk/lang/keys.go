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

	CameraDown Key = "device.camera_down"
	AudioDown  Key = "device.audio_down"
	LightDown  Key = "device.light_down"
)

// documents: the school office's printed and published documents
// (kiosk/office/docs). Their long legal paragraphs are that package's own
// tables; these are the titles, headings and labels around them.
const (
	DocAnnexA         Key = "doc.annex_a"
	DocAnnexB         Key = "doc.annex_b"
	DocSchoolCode     Key = "doc.school_code"
	DocPage           Key = "doc.page"
	DocProtocol       Key = "doc.protocol"
	DocHeadTeacher    Key = "doc.head_teacher"
	DocSignature      Key = "doc.signature"
	DocDelegaTitle    Key = "doc.delega.title"
	DocDelegaGrants   Key = "doc.delega.grants"
	DocDelegaDuties   Key = "doc.delega.duties"
	DocDelegaAccepts  Key = "doc.delega.accepts"
	DocBadgeTitle     Key = "doc.badge.title"
	DocBadgeHowTo     Key = "doc.badge.howto"
	DocBadgeHeading   Key = "doc.badge.heading"
	DocBadgeUntil     Key = "doc.badge.until"
	DocNoticeTitle    Key = "doc.notice.title"
	DocNoticeSubtitle Key = "doc.notice.subtitle"
	DocNoticePublish  Key = "doc.notice.published"
	DocNoticeOnline   Key = "doc.notice.online"
	DocPrintedSign    Key = "doc.printed_signature"

	DocNoticeController Key = "doc.notice.controller"
	DocNoticeDPO        Key = "doc.notice.dpo"
	DocNoticePurpose    Key = "doc.notice.purpose"
	DocNoticeBasis      Key = "doc.notice.basis"
	DocNoticeData       Key = "doc.notice.data"
	DocNoticeRecipients Key = "doc.notice.recipients"
	DocNoticeRetention  Key = "doc.notice.retention"
	DocNoticeProvision  Key = "doc.notice.provision"
	DocNoticeRights     Key = "doc.notice.rights"
)
