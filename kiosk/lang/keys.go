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

// school office: the texts of `kiosk office` that its Go code names; the
// pages' own labels are keys under "office." that only the templates use
// (kiosk/office checks that each exists).
const (
	OfficeLoginTitle       Key = "office.login.title"
	OfficeSchoolTitle      Key = "office.school.title"
	OfficeClassesTitle     Key = "office.classes.title"
	OfficeImportTitle      Key = "office.import.title"
	OfficeCasesTitle       Key = "office.cases.title"
	OfficeMeasuresTitle    Key = "office.measures.title"
	OfficeRulesTitle       Key = "office.rules.title"
	OfficeDelegationsTitle Key = "office.delegations.title"
	OfficeAuditTitle       Key = "office.audit.title"
	OfficeErrorTitle       Key = "office.error.title"

	OfficeLoginWrong   Key = "office.login.wrong"
	OfficeLoginLimited Key = "office.login.limited"
	OfficeCSRF         Key = "office.error.csrf"
	OfficeForbidden    Key = "office.error.forbidden"
	OfficeTooLarge     Key = "office.error.too_large"
	OfficeInternal     Key = "office.error.internal"
	OfficeNoBadge      Key = "office.error.no_badge"

	OfficeDocsIncomplete     Key = "office.docs.incomplete"
	OfficeDocsIncompleteHint Key = "office.docs.incomplete_hint"

	OfficeFieldError Key = "office.field_error" // "{0}: {1}", the field and its problem
	OfficeLineError  Key = "office.line_error"  // "line {0}: {1}"

	OfficeFieldAccount        Key = "office.field.account"
	OfficeFieldCode           Key = "office.field.code"
	OfficeFieldSchoolName     Key = "office.field.school_name"
	OfficeFieldAddress        Key = "office.field.address"
	OfficeFieldInstitution    Key = "office.field.institution"
	OfficeFieldCity           Key = "office.field.city"
	OfficeFieldEmail          Key = "office.field.email"
	OfficeFieldHeadTeacher    Key = "office.field.head_teacher"
	OfficeFieldDPOName        Key = "office.field.dpo_name"
	OfficeFieldDPOEmail       Key = "office.field.dpo_email"
	OfficeFieldInformativaURL Key = "office.field.informativa_url"
	OfficeFieldClass          Key = "office.field.class"
	OfficeFieldLevel          Key = "office.field.level"
	OfficeFieldEnrolled       Key = "office.field.enrolled"
	OfficeFieldFile           Key = "office.field.file"
	OfficeFieldLine           Key = "office.field.line"
	OfficeFieldCaseDay        Key = "office.field.case_day"
	OfficeFieldDay            Key = "office.field.day"
	OfficeFieldVerifyUntil    Key = "office.field.verify_until"
	OfficeFieldDelegate       Key = "office.field.delegate"
	OfficeFieldRole           Key = "office.field.role"
	OfficeFieldValidUntil     Key = "office.field.valid_until"
	OfficeFieldRuleName       Key = "office.field.rule_name"
	OfficeFieldFrom           Key = "office.field.from"
	OfficeFieldEpisodeGap     Key = "office.field.episode_gap"
	OfficeFieldWatchFrom      Key = "office.field.watch_from"
	OfficeFieldWatchDays      Key = "office.field.watch_days"
	OfficeFieldStrict         Key = "office.field.strict"
	OfficeFieldStrictFrom     Key = "office.field.strict_from"
	OfficeFieldStrictDays     Key = "office.field.strict_days"

	OfficeErrRequired      Key = "office.err.required"
	OfficeErrTooLong       Key = "office.err.too_long"
	OfficeErrControl       Key = "office.err.control"
	OfficeErrNumber        Key = "office.err.number"
	OfficeErrDate          Key = "office.err.date"
	OfficeErrDateRange     Key = "office.err.date_range"
	OfficeErrLevel         Key = "office.err.level"
	OfficeErrMeasure       Key = "office.err.measure"
	OfficeErrCode          Key = "office.err.code"
	OfficeErrEmail         Key = "office.err.email"
	OfficeErrURL           Key = "office.err.url"
	OfficeErrDocsField     Key = "office.err.docs_field"
	OfficeErrExists        Key = "office.err.exists"
	OfficeErrFromTaken     Key = "office.err.from_taken"
	OfficeErrRevoked       Key = "office.err.revoked"
	OfficeErrColumns       Key = "office.err.columns"
	OfficeErrDuplicateLine Key = "office.err.duplicate_line"
	OfficeErrCSVSize       Key = "office.err.csv_size"
	OfficeErrCSVSyntax     Key = "office.err.csv_syntax"
	OfficeErrCSVText       Key = "office.err.csv_text"
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
	// The school's kiosks, in the office (kiosk/office/kioskpages.go).
	OfficeKiosksTitle       Key = "office.kiosks.title"
	OfficeKiosksMinutes     Key = "office.kiosks.minutes"
	OfficeKiosksHours       Key = "office.kiosks.hours"
	OfficeKiosksDays        Key = "office.kiosks.days"
	OfficeKiosksNoLink      Key = "office.kiosks.no_link"
	OfficeKiosksPairingGone Key = "office.kiosks.pairing_gone"
	OfficeCountsTitle       Key = "office.counts.title"
)

// The reports to the ATS (office reports page, issue 11).
const (
	OfficeReportsTitle        Key = "office.reports.title"
	OfficeFieldSchoolYear     Key = "office.field.school_year"
	OfficeFieldClasses        Key = "office.field.classes"
	OfficeFieldEnrolled619    Key = "office.field.enrolled_6_19"
	OfficeFieldAbsent         Key = "office.field.absent"
	OfficeFieldAbsentIllness  Key = "office.field.absent_illness"
	OfficeFieldClassesAbsent  Key = "office.field.classes_absent"
	OfficeFieldClassesIllness Key = "office.field.classes_illness"
	OfficeFieldReport         Key = "office.field.report"
	OfficeFieldPortalURL      Key = "office.field.portal_url"
	OfficeFieldToken          Key = "office.field.token"
	OfficeFieldSentinelDays   Key = "office.field.sentinel_days"
	OfficeErrSchoolYear       Key = "office.err.school_year"
	OfficeErrAtMost           Key = "office.err.at_most"
	OfficeErrReportsNoCode    Key = "office.err.reports_no_code"
	OfficeErrReport           Key = "office.err.report"
	OfficeErrPortalURL        Key = "office.err.portal_url"
	OfficeErrSentinelTwice    Key = "office.err.sentinel_twice"
)

// The ATS portal's pages (cmd/portal/web).
const (
	PortalLoginTitle      Key = "portal.login.title"
	PortalSchoolsTitle    Key = "portal.schools.title"
	PortalSchoolTitle     Key = "portal.school.title"
	PortalCredentialTitle Key = "portal.credential.title"
	PortalImportTitle     Key = "portal.import.title"
	PortalAuditTitle      Key = "portal.audit.title"
	PortalErrorTitle      Key = "portal.error.title"

	PortalLoginWrong   Key = "portal.login.wrong"
	PortalLoginLimited Key = "portal.login.limited"
	PortalCSRF         Key = "portal.error.csrf"
	PortalForbidden    Key = "portal.error.forbidden"
	PortalNoSchool     Key = "portal.error.no_school"
	PortalTooLarge     Key = "portal.error.too_large"
	PortalInternal     Key = "portal.error.internal"

	PortalRuleCode       Key = "portal.rule.code"
	PortalRuleName       Key = "portal.rule.name"
	PortalRuleATS        Key = "portal.rule.ats"
	PortalRuleSentinel   Key = "portal.rule.sentinel"
	PortalRulePupils     Key = "portal.rule.pupils" // {0} the largest count
	PortalRuleColumns    Key = "portal.rule.columns"
	PortalRuleDuplicate  Key = "portal.rule.duplicate"  // {0} code, {1} the earlier line
	PortalRuleUnreadable Key = "portal.rule.unreadable" // {0} the reader's words, in English

	PortalImportLine     Key = "portal.import.line" // {0} line, {1} what is wrong
	PortalImportEmpty    Key = "portal.import.empty"
	PortalImportOtherATS Key = "portal.import.other_ats" // {0} code, {1} its ATS, {2} the operator's
	PortalImportTaken    Key = "portal.import.taken"     // {0} code
	PortalImportDone     Key = "portal.import.done"      // {0} added, {1} updated
)

// ATS surveillance pages (cmd/portal/watch): the texts its Go code names;
// the templates' own labels are keys under "watch." (cmd/portal/watch
// checks that each exists).
const (
	WatchDashboardTitle      Key = "watch.dashboard.title"
	WatchSchoolTitle         Key = "watch.school.title"
	WatchAlarmsTitle         Key = "watch.alarms.title"
	WatchSettingsTitle       Key = "watch.settings.title"
	WatchSummaryTitle        Key = "watch.summary.title"
	WatchErrorTitle          Key = "watch.error.title"
	WatchErrNotYours         Key = "watch.error.not_yours"
	WatchErrNoSchool         Key = "watch.error.no_school"
	WatchErrReadOnly         Key = "watch.error.read_only"
	WatchErrState            Key = "watch.error.state"
	WatchErrNoteNeeded       Key = "watch.error.note_needed"
	WatchErrNote             Key = "watch.error.note"
	WatchErrNoAlarm          Key = "watch.error.no_alarm"
	WatchErrNoATS            Key = "watch.error.no_ats"
	WatchErrBusy             Key = "watch.error.busy"
	WatchErrSetting          Key = "watch.error.setting"
	WatchErrWeek             Key = "watch.error.week"
	WatchChartATS            Key = "watch.chart.ats"
	WatchChartEmpty          Key = "watch.chart.empty"
	WatchChartAlarm          Key = "watch.chart.alarm"
	WatchChartObserved       Key = "watch.chart.observed"
	WatchChartExpected       Key = "watch.chart.expected"
	WatchChartUpper          Key = "watch.chart.upper"
	WatchColCode             Key = "watch.col.code"
	WatchColSchool           Key = "watch.col.school"
	WatchColReports          Key = "watch.col.reports"
	WatchColAbsent           Key = "watch.col.absent"
	WatchColIllness          Key = "watch.col.illness"
	WatchColMeasures         Key = "watch.col.measures"
	WatchColAlarms           Key = "watch.col.alarms"
	WatchSummaryOf           Key = "watch.summary.of"
	WatchPrinted             Key = "watch.printed"
	WatchPage                Key = "watch.page"
	WatchSummaryNote         Key = "watch.summary.note"
	WatchSummaryNoteRegional Key = "watch.summary.note_regional"
)
