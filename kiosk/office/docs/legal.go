package docs

import (
	"fmt"
	"strings"

	"github.com/scuola/kiosk/kiosk/lang"
)

// legal holds, in one language, the long paragraphs of the two annexes.
//
// They are this package's own tables rather than entries of kiosk/lang
// because they are documents, not labels: ordered lists of clauses and
// sections that a lawyer reviews and edits as one text per language, with
// named placeholders ({delegate}, {until}) that read as the sentence they
// fill. kiosk/lang's flat key → phrase tables would scatter a clause list
// over numbered keys whose order lives elsewhere. The short words around
// them (titles, headings, labels) are in kiosk/lang.
type legal struct {
	// Allegato A: the premises (VISTO…), the grant, the delegate's duties
	// (the first is the clause that limits the delegate to looking) and
	// the delegation's terms.
	premises []string
	grant    string
	duties   []string
	terms    string
	// Allegato B: the sections, each a heading of kiosk/lang and its
	// paragraphs.
	notice []section
	// translation, when not empty, says which text prevails.
	translation string
}

// section is one heading of the privacy notice and its paragraphs.
type section struct {
	heading    lang.Key
	paragraphs []string
}

// legalTexts are the tables, Italian first; lang.All's languages must all
// be here (a test checks).
var legalTexts = map[lang.Lang]*legal{lang.IT: &italian, lang.EN: &english}

var italian = legal{
	premises: []string{
		"VISTO il decreto-legge 4 febbraio 2022, n. 5, e in particolare l'articolo 6, che prevede, per le classi in cui si sono verificati casi di positività, la frequenza in presenza degli alunni che dimostrino di avere concluso il ciclo vaccinale primario o di essere guariti da meno di centoventi giorni, di avere effettuato la dose di richiamo o di essere esenti, e attribuisce alle istituzioni scolastiche la verifica di tali requisiti mediante l'applicazione mobile per la verifica delle certificazioni verdi COVID-19;",
		"VISTO il Regolamento (UE) 2016/679 e il decreto legislativo 30 giugno 2003, n. 196, in materia di protezione dei dati personali;",
		"CONSIDERATO che la verifica è svolta presso il plesso {plesso} con un dispositivo dell'istituto che controlla le certificazioni senza collegarsi alla rete e senza registrare alcun dato, e che mostra al personale soltanto l'esito della verifica, il nome, il cognome e la data di nascita dell'alunno, per pochi secondi;",
		"RITENUTO necessario, per l'ordinato svolgimento dell'ingresso, avvalersi di personale in servizio presso l'istituto;",
	},
	grant: "in servizio presso questa istituzione scolastica in qualità di {role}, a verificare all'ingresso del plesso {plesso}, {address}, il possesso dei requisiti per la frequenza in presenza da parte degli alunni delle classi sottoposte alla verifica quotidiana, dalla data della presente fino al {until} compreso.",
	duties: []string{
		"è autorizzato esclusivamente a visualizzare l'esito della verifica della validità della certificazione e i dati identificativi dell'alunno (nome, cognome e data di nascita), al solo fine di confrontarli con la persona che ha davanti; non è mai autorizzato a raccogliere né a conservare le certificazioni o i dati visualizzati;",
		"non copia, fotografa, annota, registra né comunica a terzi, in alcuna forma, i dati visualizzati, e non chiede né commenta informazioni sulla salute degli alunni (tipo di certificazione, vaccinazioni, esiti di test);",
		"è tenuto alla riservatezza su tutto ciò di cui viene a conoscenza nello svolgimento dell'incarico, anche dopo la sua cessazione;",
		"custodisce con cura il badge personale che sblocca il dispositivo, non lo cede ad altri e ne segnala subito lo smarrimento;",
		"si attiene alle istruzioni del Dirigente Scolastico, che resta responsabile della vigilanza sulle operazioni di verifica.",
	},
	terms: "La presente delega è personale e non trasferibile, è valida fino al {until} compreso, può essere rinnovata ed è revocabile in qualsiasi momento. È conservata agli atti dell'istituto nel registro delle deleghe.",
	notice: []section{
		{lang.DocNoticeController, []string{
			"Il titolare del trattamento è {school}, {address}, codice meccanografico {code}, nella persona del Dirigente Scolastico {head}. Per ogni richiesta: {email}.",
		}},
		{lang.DocNoticeDPO, []string{
			"Il responsabile della protezione dei dati (DPO) è {dpo}, raggiungibile all'indirizzo {dpo_email}.",
		}},
		{lang.DocNoticePurpose, []string{
			"I dati sono trattati al solo fine di verificare, per gli alunni delle classi in cui si sono verificati i casi di positività previsti dall'articolo 6 del decreto-legge 4 febbraio 2022, n. 5, il possesso dei requisiti per la frequenza in presenza, nei giorni in cui la verifica è prevista.",
		}},
		{lang.DocNoticeBasis, []string{
			"Il trattamento è necessario per adempiere un obbligo di legge e per eseguire un compito di interesse pubblico (articolo 6, paragrafo 1, lettere c) ed e), del Regolamento (UE) 2016/679) e per motivi di interesse pubblico rilevante nel settore della sanità pubblica (articolo 9, paragrafo 2, lettere g) e i)), in base all'articolo 6 del decreto-legge 4 febbraio 2022, n. 5.",
		}},
		{lang.DocNoticeData, []string{
			"All'ingresso l'alunno mostra alla telecamera del dispositivo il codice QR della propria certificazione verde COVID-19, sul telefono o su carta. Il dispositivo ne verifica l'autenticità e la validità senza collegarsi alla rete e mostra al personale delegato soltanto l'esito (ammesso o non ammesso), il nome, il cognome e la data di nascita, per pochi secondi, perché possa confrontarli con l'alunno.",
			"I dati sono soltanto visualizzati: non vengono registrati, salvati, conservati né trasmessi. Non si scattano foto e non si conservano immagini della telecamera. Non sono mai mostrate informazioni sanitarie, come il tipo di certificazione, le vaccinazioni o gli esiti dei test.",
			"Il dispositivo conserva soltanto il numero di verifiche del giorno per classe (ammessi e non ammessi), senza alcun dato che identifichi gli alunni. Non vi è alcuna decisione automatizzata: l'esito è letto dal personale delegato, che decide.",
		}},
		{lang.DocNoticeRecipients, []string{
			"Vedono i dati soltanto il Dirigente Scolastico e il personale da lui delegato per iscritto, autorizzato a visualizzarli e tenuto alla riservatezza. I dati non sono comunicati a terzi, non sono diffusi e non sono trasferiti fuori dall'Unione europea.",
		}},
		{lang.DocNoticeRetention, []string{
			"Nessuna: i dati restano sullo schermo per il tempo della verifica e sono poi cancellati dalla memoria del dispositivo.",
		}},
		{lang.DocNoticeProvision, []string{
			"Mostrare la certificazione è necessario per frequentare in presenza nei giorni della verifica; chi non la mostra, o non ha i requisiti, segue le attività secondo le modalità previste dalla legge per la sua classe.",
		}},
		{lang.DocNoticeRights, []string{
			"Gli interessati, e per gli alunni minorenni chi esercita la responsabilità genitoriale, possono esercitare i diritti previsti dagli articoli da 15 a 22 del Regolamento (UE) 2016/679 (accesso, rettifica, cancellazione, limitazione, opposizione) scrivendo al titolare o al DPO agli indirizzi indicati sopra, e hanno diritto di proporre reclamo al Garante per la protezione dei dati personali (www.garanteprivacy.it), ai sensi dell'articolo 77 del Regolamento.",
		}},
	},
}

var english = legal{
	premises: []string{
		"HAVING REGARD to Decree-Law no. 5 of 4 February 2022, and in particular its article 6, under which, in classes with positive cases, pupils who show that they have completed the primary vaccination cycle or recovered less than one hundred and twenty days ago, have received the booster dose or are exempt attend in person, and which entrusts schools with checking these requirements through the mobile application that verifies COVID-19 green certificates;",
		"HAVING REGARD to Regulation (EU) 2016/679 and Legislative Decree no. 196 of 30 June 2003 on the protection of personal data;",
		"CONSIDERING that the check takes place at {plesso} with a device of the school that checks the certificates without connecting to the network and without recording any data, and that shows the staff only the result of the check and the pupil's name, surname and date of birth, for a few seconds;",
		"CONSIDERING it necessary, for an orderly entrance, to rely on staff serving at the school;",
	},
	grant: "serving at this school as {role}, to check at the entrance of {plesso}, {address}, that the pupils of the classes under daily verification meet the requirements for attending in person, from the date of this delegation until {until} included.",
	duties: []string{
		"is authorised only to view the result of the check of the certificate's validity and the pupil's identity data (name, surname and date of birth), for the sole purpose of comparing them with the person in front of them; they are never authorised to collect or keep the certificates or the data viewed;",
		"does not copy, photograph, note down, record or disclose to anyone, in any form, the data viewed, and does not ask about or comment on the pupils' health (kind of certificate, vaccinations, test results);",
		"keeps confidential everything they learn while carrying out this task, also after it ends;",
		"keeps safe the personal badge that unlocks the device, does not hand it to anyone and reports its loss at once;",
		"follows the instructions of the Head Teacher, who remains responsible for supervising the checks.",
	},
	terms: "This delegation is personal and not transferable, is valid until {until} included, may be renewed and may be revoked at any time. It is kept in the school's register of delegations.",
	notice: []section{
		{lang.DocNoticeController, []string{
			"The data controller is {school}, {address}, school code {code}, represented by the Head Teacher {head}. For any request: {email}.",
		}},
		{lang.DocNoticeDPO, []string{
			"The data protection officer (DPO) is {dpo}, who can be reached at {dpo_email}.",
		}},
		{lang.DocNoticePurpose, []string{
			"The data are processed for the sole purpose of checking, for the pupils of the classes with the positive cases set out in article 6 of Decree-Law no. 5 of 4 February 2022, that they meet the requirements for attending in person, on the days the check is required.",
		}},
		{lang.DocNoticeBasis, []string{
			"The processing is necessary to comply with a legal obligation and to perform a task in the public interest (article 6(1)(c) and (e) of Regulation (EU) 2016/679) and for reasons of substantial public interest in the area of public health (article 9(2)(g) and (i)), under article 6 of Decree-Law no. 5 of 4 February 2022.",
		}},
		{lang.DocNoticeData, []string{
			"At the entrance the pupil shows the QR code of their COVID-19 green certificate, on a phone or on paper, to the device's camera. The device checks that it is authentic and valid without connecting to the network and shows the delegated staff member only the result (admitted or not admitted) and the name, surname and date of birth, for a few seconds, so that they can compare them with the pupil.",
			"The data are only viewed: they are not recorded, saved, kept or transmitted. No photos are taken and no camera images are kept. No health information, such as the kind of certificate, vaccinations or test results, is ever shown.",
			"The device keeps only the day's number of checks per class (admitted and not admitted), without any data identifying the pupils. There is no automated decision: the result is read by the delegated staff member, who decides.",
		}},
		{lang.DocNoticeRecipients, []string{
			"Only the Head Teacher and the staff members they have delegated in writing, authorised to view the data and bound to confidentiality, see the data. The data are not disclosed to anyone, not published and not transferred outside the European Union.",
		}},
		{lang.DocNoticeRetention, []string{
			"None: the data stay on the screen for the time of the check and are then erased from the device's memory.",
		}},
		{lang.DocNoticeProvision, []string{
			"Showing the certificate is necessary to attend in person on the days of the check; a pupil who does not show it, or does not meet the requirements, follows the activities in the way the law sets for their class.",
		}},
		{lang.DocNoticeRights, []string{
			"Data subjects, and for pupils under age those with parental responsibility, may exercise the rights of articles 15 to 22 of Regulation (EU) 2016/679 (access, rectification, erasure, restriction, objection) by writing to the controller or to the DPO at the addresses above, and have the right to lodge a complaint with the Italian data protection authority, the Garante per la protezione dei dati personali (www.garanteprivacy.it), under article 77 of the Regulation.",
		}},
	},
	translation: "This English version is provided for convenience; the Italian text prevails.",
}

// legalFor returns l's tables, or an error for a language without them.
func legalFor(l lang.Lang) (*legal, error) {
	t, ok := legalTexts[l]
	if !ok {
		return nil, fmt.Errorf("docs: no legal texts in language %q", l)
	}
	return t, nil
}

// filler replaces a document's named placeholders ({delegate}) in the
// legal paragraphs.
type filler struct{ r *strings.Replacer }

func newFiller(pairs map[string]string) filler {
	args := make([]string, 0, 2*len(pairs))
	for k, v := range pairs {
		args = append(args, "{"+k+"}", v)
	}
	return filler{strings.NewReplacer(args...)}
}

func (f filler) fill(s string) string { return f.r.Replace(s) }

// words returns a kiosk/lang text with its positional arguments ({0},
// {1}) filled, as the screen page fills them.
func words(l lang.Lang, k lang.Key, args ...string) string {
	s := l.Text(k)
	for i, a := range args {
		s = strings.ReplaceAll(s, fmt.Sprintf("{%d}", i), a)
	}
	return s
}
