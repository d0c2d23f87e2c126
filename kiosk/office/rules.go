package office

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
)

// ruleView is a rule set as the rules page shows it.
type ruleView struct {
	school.RuleSet
	BuiltIn bool
}

// Steps lists a level's steps, the short form included.
func (v ruleView) Steps(l school.Level) []school.Step { return v.Levels[l].AllSteps() }

type rulesData struct {
	formPage
	Sets []ruleView
}

func (s *Server) rulesPage(w http.ResponseWriter, rq *request) {
	s.showRules(w, rq, nil)
}

func (s *Server) showRules(w http.ResponseWriter, rq *request, f *form) {
	added, err := s.store.RuleSets(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &rulesData{}
	for _, rs := range school.DefaultRuleSets() {
		d.Sets = append(d.Sets, ruleView{RuleSet: rs, BuiltIn: true})
	}
	for _, rs := range added {
		d.Sets = append(d.Sets, ruleView{RuleSet: rs.RuleSet})
	}
	p := page{Title: lang.OfficeRulesTitle, Nav: "rules", Data: d}
	if f == nil {
		// The form starts from the law in force last: a new rule set is
		// most often a change of a few numbers.
		d.Form = ruleForm(d.Sets[len(d.Sets)-1].RuleSet)
		s.render(w, rq, http.StatusOK, "rules", p)
		return
	}
	d.Form, d.Invalid = f.values, f.invalid()
	s.refuse(w, rq, "rules", p, f)
}

// ruleForm fills the form's fields from a rule set: for each level, a
// milder step (autosorveglianza) and a stricter one (daily verification or
// suspension), each from a number of cases for a number of days.
func ruleForm(rs school.RuleSet) url.Values {
	v := url.Values{"episode_gap": {itoa(rs.EpisodeGapDays)}}
	for _, l := range school.Levels {
		for _, st := range rs.Levels[l].AllSteps() {
			kind := "strict"
			if st.Measure == school.Autosorveglianza {
				kind = "watch"
			} else {
				v.Set(string(l)+".strict", string(st.Measure))
			}
			v.Set(string(l)+"."+kind+"_from", itoa(st.MinCases))
			v.Set(string(l)+"."+kind+"_days", itoa(st.Days))
		}
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }

// Bounds of a rule set's numbers.
const (
	maxGapDays  = 30
	maxCases    = 50
	maxStepDays = 60
)

func (s *Server) ruleAdd(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	rs := school.RuleSet{Levels: map[school.Level]school.LevelRule{}}
	rs.Name = f.text("name", lang.OfficeFieldRuleName, true, 80)
	rs.From = f.day("from", lang.OfficeFieldFrom, firstDay, lastDay)
	rs.EpisodeGapDays = f.number("episode_gap", lang.OfficeFieldEpisodeGap, 0, maxGapDays)
	for _, l := range school.Levels {
		scope := lang.Key("office.level." + string(l))
		field := func(name string) string { return string(l) + "." + name }
		var steps []school.Step
		if from := f.scoped(scope).number(field("watch_from"), lang.OfficeFieldWatchFrom, 0, maxCases); from > 0 {
			days := f.scoped(scope).number(field("watch_days"), lang.OfficeFieldWatchDays, 1, maxStepDays)
			steps = append(steps, school.Step{MinCases: from, Measure: school.Autosorveglianza, Days: days})
		}
		if m := f.values.Get(field("strict")); m != "" {
			measure, err := school.ParseMeasure(m)
			if err != nil || measure == school.None || measure == school.Autosorveglianza {
				f.scoped(scope).bad(field("strict"), lang.OfficeFieldStrict, lang.OfficeErrMeasure)
			}
			from := f.scoped(scope).number(field("strict_from"), lang.OfficeFieldStrictFrom, 1, maxCases)
			days := f.scoped(scope).number(field("strict_days"), lang.OfficeFieldStrictDays, 1, maxStepDays)
			steps = append(steps, school.Step{MinCases: from, Measure: measure, Days: days})
		}
		if len(steps) > 0 {
			rs.Levels[l] = school.LevelRule{Steps: steps}
		}
	}
	if f.ok() {
		err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error { return tx.AddRuleSet(rq.Context(), rs) })
		switch {
		case errors.Is(err, store.ErrExists):
			f.bad("name", lang.OfficeFieldRuleName, lang.OfficeErrExists)
		case errors.Is(err, store.ErrDayTaken):
			f.bad("from", lang.OfficeFieldFrom, lang.OfficeErrFromTaken)
		case err != nil:
			s.internal(w, rq, err)
			return
		default:
			done(w, rq, "/rules", "rule_set_added")
			return
		}
	}
	s.showRules(w, rq, f)
}
