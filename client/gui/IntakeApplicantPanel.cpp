#include "IntakeApplicantPanel.h"

#include "IntakeText.h"
#include "Text.h"
#include "client/core/IdCardReader.h"

#include <algorithm>
#include <set>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/listbox.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::gui {

namespace {

constexpr int kFieldWidth = 180;

const std::vector<model::IdKind>& idKinds()
{
    using K = model::IdKind;
    static const std::vector<K> kinds = {K::ResidentId, K::HongKongMacaoPermit, K::TaiwanPermit,
        K::ForeignPermanentResidenceId, K::Passport, K::UnifiedSocialCreditCode};
    return kinds;
}

const std::vector<model::DeliveryMethod>& deliveries()
{
    using D = model::DeliveryMethod;
    static const std::vector<D> methods = {D::PickUpAtWindow, D::Post, D::ELicence};
    return methods;
}

int indexOf(const std::vector<model::IdKind>& kinds, model::IdKind kind)
{
    return static_cast<int>(std::find(kinds.begin(), kinds.end(), kind) - kinds.begin());
}

wxArrayString kindLabels(bool personalOnly)
{
    wxArrayString items;
    for (auto k : idKinds())
        if (!personalOnly || model::isPersonalIdKind(k))
            items.Add(idKindLabel(k));
    return items;
}

} // namespace

IntakeApplicantPanel::IntakeApplicantPanel(
    wxWindow* parent, IntakeForm& form, Session& session, std::function<void()> changed)
    : wxPanel(parent, wxID_ANY)
    , m_form(form)
    , m_session(session)
    , m_changed(std::move(changed))
    , m_reader(client::makeIdCardReader())
{
    SetName("applicant");
    auto* top = new wxBoxSizer(wxVERTICAL);

    // Earlier applicants and the card reader first: typing comes last.
    auto* findRow = new wxBoxSizer(wxHORIZONTAL);
    findRow->Add(
        new wxStaticText(this, wxID_ANY, _("&Find:")), wxSizerFlags().CentreVertical().Border(wxRIGHT, 6));
    m_find
        = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(120, -1), wxTE_PROCESS_ENTER);
    m_find->SetName("applicant.find");
    m_find->SetHint(_("ID number, name or phone; Enter"));
    findRow->Add(m_find, wxSizerFlags(1).CentreVertical());
    m_read = new wxButton(this, wxID_ANY, _("&Read ID card"));
    m_read->SetName("applicant.readCard");
    findRow->Add(m_read, wxSizerFlags().CentreVertical().Border(wxLEFT, 6));
    m_clear = new wxButton(this, wxID_ANY, _("Clear"));
    m_clear->SetName("applicant.clear");
    m_clear->SetToolTip(_("Empty the applicant's fields for another person"));
    findRow->Add(m_clear, wxSizerFlags().CentreVertical().Border(wxLEFT, 4));
    top->Add(findRow, wxSizerFlags().Expand());
    m_results = new wxListBox(this, wxID_ANY, wxDefaultPosition, wxSize(-1, 84));
    m_results->SetName("applicant.results");
    m_results->SetMinSize(wxSize(160, 84));
    m_results->Hide();
    top->Add(m_results, wxSizerFlags().Expand().Border(wxTOP, 4));
    m_status
        = new wxStaticText(this, wxID_ANY, _("Find an earlier applicant, read the ID card, or type below."));
    m_status->SetName("applicant.status");
    m_status->SetForegroundColour(intake::quietColour());
    m_status->SetMinSize(wxSize(100, -1));
    m_statusText = m_status->GetLabel();
    top->Add(m_status, wxSizerFlags().Expand().Border(wxTOP | wxBOTTOM, 3));

    m_grid = new wxFlexGridSizer(3, wxSize(8, 3));
    m_grid->AddGrowableCol(1);
    wxArrayString types;
    types.Add(_("person"));
    types.Add(_("enterprise"));
    m_type = addChoice(_("T&ype:"), "type", types);
    m_typeNote = fieldNamed("type")->reason;
    m_name = addText(_("&Name:"), "name", [this](const std::string& v) { m_form.setName(v); });
    m_kind = addChoice(_("ID &kind:"), "idKind", kindLabels(false));
    m_id = addText(_("&ID number:"), "idNumber", [this](const std::string& v) {
        m_form.setIdNumber(v);
        // The kind follows a completed number until the clerk chooses one.
        m_kind->SetSelection(indexOf(idKinds(), m_form.applicant().idKind));
        m_type->SetSelection(m_form.applicant().type == model::ApplicantType::Enterprise ? 1 : 0);
    });
    m_legal = addText(_("Legal representative:"), "legalRepresentative",
        [this](const std::string& v) { m_form.setLegalRepresentative(v); });
    m_phone = addText(_("&Phone:"), "phone", [this](const std::string& v) { m_form.setPhone(v); });
    m_address
        = addText(_("A&ddress:"), "postalAddress", [this](const std::string& v) { m_form.setAddress(v); });
    wxArrayString methods;
    for (auto d : deliveries())
        methods.Add(deliveryLabel(d));
    m_delivery = addChoice(_("De&livery:"), "delivery", methods);

    // The two flags side by side in the control column.
    m_grid->AddSpacer(0);
    auto* flags = new wxBoxSizer(wxHORIZONTAL);
    m_agent = new wxCheckBox(this, wxID_ANY, _("A&gent (经办人)"));
    m_agent->SetName("applicant.agent");
    m_assisted = new wxCheckBox(this, wxID_ANY, _("Assis&ted (帮办代办)"));
    m_assisted->SetName("applicant.assisted");
    flags->Add(m_agent, wxSizerFlags().CentreVertical());
    flags->Add(m_assisted, wxSizerFlags().CentreVertical().Border(wxLEFT, 12));
    m_grid->Add(flags, wxSizerFlags().Expand());
    m_grid->AddSpacer(0);

    m_agentName
        = addText(_("Agent's name:"), "agent.name", [this](const std::string& v) { m_form.setAgentName(v); });
    m_agentKind = addChoice(_("Agent's ID kind:"), "agent.idKind", kindLabels(true));
    m_agentId = addText(_("Agent's ID number:"), "agent.idNumber", [this](const std::string& v) {
        m_form.setAgentIdNumber(v);
        auto kinds = idKinds();
        kinds.pop_back(); // the agent is a person: no credit code
        m_agentKind->SetSelection(indexOf(kinds, m_form.applicant().agent->idKind));
    });
    m_agentPhone = addText(
        _("Agent's phone:"), "agent.phone", [this](const std::string& v) { m_form.setAgentPhone(v); });
    m_agentAuthorisation = addText(_("Power of attorney:"), "agent.authorisation",
        [this](const std::string& v) { m_form.setAgentAuthorisation(v); });
    m_agentAuthorisation->SetHint(_("reference of the signed authorisation"));
    top->Add(m_grid, wxSizerFlags().Expand());
    SetSizer(top);

    m_find->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { find(); });
    m_find->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_DOWN && m_results->IsShown()) {
            m_results->SetFocus();
            return;
        }
        e.Skip();
    });
    m_results->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) {
        if (const int i = m_results->GetSelection(); i != wxNOT_FOUND)
            takeFromCase(m_resultCases.at(static_cast<std::size_t>(i)));
    });
    m_results->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) {
            if (const int i = m_results->GetSelection(); i != wxNOT_FOUND)
                takeFromCase(m_resultCases.at(static_cast<std::size_t>(i)));
            return;
        }
        if (e.GetKeyCode() == WXK_ESCAPE) {
            m_results->Hide();
            m_find->SetFocus();
            relayout();
            return;
        }
        e.Skip();
    });
    m_read->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { readCard(); });
    m_clear->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_form.clearApplicant();
        refresh();
        say(_("Fields emptied for the next applicant."));
        m_name->SetFocus();
        m_changed();
    });
    m_type->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        m_form.setType(
            m_type->GetSelection() == 1 ? model::ApplicantType::Enterprise : model::ApplicantType::Person);
        m_kind->SetSelection(indexOf(idKinds(), m_form.applicant().idKind));
        showRows();
        edited();
    });
    m_kind->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        m_form.setIdKind(idKinds().at(static_cast<std::size_t>(m_kind->GetSelection())));
        m_type->SetSelection(m_form.applicant().type == model::ApplicantType::Enterprise ? 1 : 0);
        showRows();
        edited();
    });
    m_agentKind->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        m_form.setAgentIdKind(idKinds().at(static_cast<std::size_t>(m_agentKind->GetSelection())));
        edited();
    });
    m_delivery->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        m_form.setDelivery(deliveries().at(static_cast<std::size_t>(m_delivery->GetSelection())));
        edited();
    });
    m_agent->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
        m_form.setAgentOn(m_agent->GetValue());
        showRows();
        edited();
    });
    m_assisted->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
        m_form.setAssisted(m_assisted->GetValue());
        edited();
    });
    // Numbers taken from a case or the card are shown masked; typing over them starts afresh.
    // Sentences wrap to the width the tab gives the panel.
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        if (e.GetSize().GetWidth() == m_wrappedFor)
            return;
        m_wrappedFor = e.GetSize().GetWidth();
        CallAfter([this] {
            for (auto& [name, f] : m_fields)
                if (!f.reasonText.empty()) {
                    f.reason->SetLabel(f.reasonText);
                    f.reason->Wrap(std::max(kFieldWidth, f.control->GetSize().GetWidth()));
                }
            m_status->SetLabel(m_statusText);
            m_status->Wrap(std::max(200, GetClientSize().GetWidth()));
            relayout();
        });
    });
    holdable(
        m_id, [this] { return m_form.idHeld(); }, [this] { m_form.setIdNumber({}); });
    holdable(
        m_phone, [this] { return m_form.phoneHeld(); }, [this] { m_form.setPhone({}); });
    refresh();
}

IntakeApplicantPanel::~IntakeApplicantPanel() = default;

void IntakeApplicantPanel::addRow(Field& f, const wxString& label, wxWindow* control)
{
    auto* l = new wxStaticText(this, wxID_ANY, label);
    f.control = control;
    control->SetName("applicant." + f.name);
    f.mark = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(44, -1));
    f.mark->SetName("applicant." + f.name + ".mark");
    f.reason = new wxStaticText(this, wxID_ANY, wxString());
    f.reason->SetName("applicant." + f.name + ".reason");
    f.reason->SetForegroundColour(intake::problemColour());
    f.reason->SetMinSize(wxSize(kFieldWidth, -1)); // the sentence wraps; it never widens the column
    f.reason->Hide();
    f.row = {l, control, f.mark, f.reason};
    // The reason goes under the field, so that the columns stay narrow.
    auto* cell = new wxBoxSizer(wxVERTICAL);
    cell->Add(control, wxSizerFlags().Expand());
    cell->Add(f.reason, wxSizerFlags().Expand().Border(wxTOP, 1));
    const int labelTop = std::max(0, (control->GetBestSize().GetHeight() - l->GetBestSize().GetHeight()) / 2);
    m_grid->Add(l, wxSizerFlags().Top().Border(wxTOP, labelTop));
    m_grid->Add(cell, wxSizerFlags().Expand());
    m_grid->Add(f.mark, wxSizerFlags().Top().Border(wxTOP, labelTop));
}

wxTextCtrl* IntakeApplicantPanel::addText(
    const wxString& label, const std::string& name, std::function<void(const std::string&)> set)
{
    Field f;
    f.name = name;
    auto* text = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(kFieldWidth, -1));
    addRow(f, label, text);
    text->Bind(wxEVT_TEXT, [this, text, set = std::move(set)](wxCommandEvent&) {
        if (m_refreshing)
            return;
        set(utf8(text->GetValue()));
        edited();
    });
    text->Bind(wxEVT_KILL_FOCUS, [this, name](wxFocusEvent& e) {
        m_form.touch(name);
        CallAfter([this] { refreshMarks(); });
        e.Skip();
    });
    text->Bind(wxEVT_SET_FOCUS, [this](wxFocusEvent& e) {
        CallAfter([this] { refreshMarks(); });
        e.Skip();
    });
    m_fields[name] = f;
    return text;
}

wxChoice* IntakeApplicantPanel::addChoice(
    const wxString& label, const std::string& name, const wxArrayString& items)
{
    Field f;
    f.name = name;
    auto* choice = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxSize(kFieldWidth, -1), items);
    choice->SetSelection(0);
    addRow(f, label, choice);
    m_fields[name] = f;
    return choice;
}

IntakeApplicantPanel::Field* IntakeApplicantPanel::fieldNamed(const std::string& name)
{
    auto it = m_fields.find(name);
    return it == m_fields.end() ? nullptr : &it->second;
}

void IntakeApplicantPanel::holdable(
    wxTextCtrl* text, std::function<bool()> held, std::function<void()> release)
{
    text->Bind(wxEVT_KEY_DOWN, [this, text, held, release](wxKeyEvent& e) {
        const int key = e.GetKeyCode();
        const bool editing = key == WXK_BACK || key == WXK_DELETE
            || (!e.HasAnyModifiers() && e.GetUnicodeKey() != WXK_NONE && e.GetUnicodeKey() >= 32);
        if (!held() || !editing || m_locked) {
            e.Skip();
            return;
        }
        release();
        m_refreshing = true;
        text->SetEditable(true);
        text->ChangeValue(wxString());
        m_refreshing = false;
        edited();
        // A typed character goes into the now empty field; deleting stops here.
        if (key != WXK_BACK && key != WXK_DELETE)
            e.Skip();
    });
}

void IntakeApplicantPanel::addMnemonics(Mnemonics& keys)
{
    auto focus = [](wxWindow* w) {
        return [w] {
            if (w->IsShown() && w->IsEnabled())
                w->SetFocus();
        };
    };
    keys['F'] = focus(m_find);
    keys['R'] = [this] {
        if (m_read->IsEnabled())
            readCard();
    };
    keys['Y'] = focus(m_type);
    keys['N'] = focus(m_name);
    keys['K'] = focus(m_kind);
    keys['I'] = focus(m_id);
    keys['P'] = focus(m_phone);
    keys['D'] = focus(m_address);
    keys['L'] = focus(m_delivery);
    keys['G'] = focus(m_agent);
    keys['T'] = focus(m_assisted);
}

void IntakeApplicantPanel::focusFirst()
{
    if (m_locked)
        m_name->SetFocus();
    else
        m_find->SetFocus();
}

void IntakeApplicantPanel::edited()
{
    refreshMarks();
    m_changed();
}

void IntakeApplicantPanel::refresh()
{
    m_refreshing = true;
    const model::Applicant a = m_form.applicant();
    m_type->SetSelection(a.type == model::ApplicantType::Enterprise ? 1 : 0);
    m_name->ChangeValue(wx(a.name));
    m_kind->SetSelection(indexOf(idKinds(), a.idKind));
    m_id->ChangeValue(wx(m_form.idText()));
    m_id->SetEditable(!m_form.idHeld() && !m_locked);
    m_legal->ChangeValue(wx(a.legalRepresentative));
    m_phone->ChangeValue(wx(m_form.phoneText()));
    m_phone->SetEditable(!m_form.phoneHeld() && !m_locked);
    m_address->ChangeValue(wx(a.postalAddress));
    m_delivery->SetSelection(static_cast<int>(
        std::find(deliveries().begin(), deliveries().end(), a.delivery) - deliveries().begin()));
    m_agent->SetValue(m_form.agentOn());
    m_assisted->SetValue(a.assisted);
    if (a.agent) {
        m_agentName->ChangeValue(wx(a.agent->name));
        m_agentId->ChangeValue(wx(a.agent->idNumber));
        m_agentPhone->ChangeValue(wx(a.agent->phone));
        m_agentAuthorisation->ChangeValue(wx(a.agent->authorisation));
    } else {
        for (auto* t : {m_agentName, m_agentId, m_agentPhone, m_agentAuthorisation})
            t->ChangeValue(wxString());
    }
    m_refreshing = false;
    showRows();
    refreshMarks();
}

void IntakeApplicantPanel::showRows()
{
    const bool enterprise = m_form.applicant().type == model::ApplicantType::Enterprise;
    for (auto* w : m_fields["legalRepresentative"].row)
        w->Show(enterprise);
    for (const char* name :
        {"agent.name", "agent.idKind", "agent.idNumber", "agent.phone", "agent.authorisation"})
        for (auto* w : m_fields[name].row)
            w->Show(m_form.agentOn());
    relayout();
}

void IntakeApplicantPanel::relayout()
{
    // The tab around the panel scrolls: it needs to know the panel's new height.
    InvalidateBestSize();
    for (wxWindow* w = this; w && !w->IsTopLevel(); w = w->GetParent()) {
        w->Layout();
        if (auto* scrolled = dynamic_cast<wxScrolledWindow*>(w)) {
            scrolled->FitInside();
            break;
        }
    }
}

void IntakeApplicantPanel::setMark(Field& field, const FieldState& state)
{
    wxString mark;
    wxString reason;
    wxColour colour = intake::quietColour();
    switch (state.mark) {
    case Mark::None:
        break;
    case Mark::Typing:
        // TRANSLATORS: characters typed so far of an ID or phone number, e.g. "12/18".
        mark = wxString::Format(_("%s/%s"), wx(state.typed), wx(state.expected));
        break;
    case Mark::Ok:
        mark = wxString::FromUTF8("\xE2\x9C\x93"); // ✓
        colour = intake::okColour();
        break;
    case Mark::Problem:
        mark = wxString::FromUTF8("\xE2\x9C\x97"); // ✗
        reason = describeProblem(*state.problem);
        colour = intake::problemColour();
        break;
    }
    if (field.mark->GetLabel() != mark)
        field.mark->SetLabel(mark);
    field.mark->SetForegroundColour(colour);
    if (field.reasonText != reason) {
        field.reasonText = reason;
        field.reason->SetLabel(reason);
        field.reason->Wrap(std::max(kFieldWidth, field.control->GetSize().GetWidth()));
    }
    field.reason->Show(!reason.empty() && field.control->IsShown());
}

void IntakeApplicantPanel::refreshMarks()
{
    const wxWindow* focus = FindFocus();
    bool moved = false;
    for (auto& [name, f] : m_fields) {
        if (name == "type" || name == "delivery")
            continue;
        const bool shown = f.reason->IsShown();
        const wxString before = f.reasonText;
        setMark(f, m_form.field(name, focus == f.control));
        moved = moved || shown != f.reason->IsShown() || before != f.reasonText;
    }
    // The elderly get priority: say so where the clerk looks.
    const wxString note = m_form.elderly() ? wxString(_("aged 60 or over: priority")) : wxString();
    if (m_typeNote->GetLabel() != note) {
        m_typeNote->SetLabel(note);
        m_typeNote->SetForegroundColour(intake::quietColour());
        m_typeNote->Show(!note.empty());
        moved = true;
    }
    if (moved)
        relayout();
}

void IntakeApplicantPanel::showProblems(const std::vector<model::FieldProblem>& problems)
{
    m_form.touchAll();
    refreshMarks();
    for (const auto& p : problems)
        if (auto* f = fieldNamed(p.field)) {
            FieldState s;
            s.mark = Mark::Problem;
            s.problem = p;
            setMark(*f, s);
        }
    relayout();
}

bool IntakeApplicantPanel::focusFirstProblem()
{
    for (const auto& p : m_form.problems())
        if (auto* f = fieldNamed(p.field); f && f->control->IsShown()) {
            f->control->SetFocus();
            return true;
        }
    return false;
}

void IntakeApplicantPanel::lock()
{
    m_locked = true;
    for (auto* w : std::initializer_list<wxWindow*>{m_find, m_read, m_clear, m_results, m_type, m_kind,
             m_delivery, m_agent, m_assisted, m_agentKind})
        w->Enable(false);
    for (auto* t : {m_name, m_id, m_legal, m_phone, m_address, m_agentName, m_agentId, m_agentPhone,
             m_agentAuthorisation})
        t->SetEditable(false);
}

void IntakeApplicantPanel::say(const wxString& text, bool problem)
{
    m_statusText = text;
    m_status->SetLabel(text);
    m_status->Wrap(std::max(200, GetClientSize().GetWidth()));
    m_status->SetForegroundColour(problem ? intake::problemColour() : intake::quietColour());
}

void IntakeApplicantPanel::find()
{
    const std::string text = utf8(m_find->GetValue().Strip(wxString::both));
    if (text.empty())
        return;
    say(_("Searching…"));
    runAsync<std::vector<db::CaseSummary>>(
        m_session, m_liveness, [text](client::Backend& b) { return b.search(text, 100); },
        [this](std::vector<db::CaseSummary> rows) {
            // One line per person: the same name and masked numbers are the same applicant.
            std::set<std::string> seen;
            m_results->Clear();
            m_resultCases.clear();
            for (const auto& r : rows) {
                if (!seen.insert(r.applicantName + "|" + r.maskedId + "|" + r.maskedPhone).second)
                    continue;
                m_results->Append(wx(r.applicantName) + "    " + wx(r.maskedId) + "    "
                    + wx(r.maskedPhone)
                    // TRANSLATORS: after an applicant found by search: the case it was found in.
                    + "    " + wxString::Format(_("case %s"), wx(r.number)));
                m_resultCases.push_back(r.number);
            }
            const auto n = m_resultCases.size();
            m_results->Show(n > 0);
            relayout();
            if (n == 0) {
                say(_("No earlier applicant found: type the details below."));
                return;
            }
            say(wxString::Format(
                wxPLURAL("%zu earlier applicant; Enter takes the details in.",
                    "%zu earlier applicants; Enter takes the selected one in.", static_cast<unsigned>(n)),
                n));
            m_results->SetSelection(0);
            m_results->SetFocus();
        },
        [this](const std::string& message) { say(wx(message), true); });
}

void IntakeApplicantPanel::takeFromCase(const std::string& caseNumber)
{
    say(_("Loading…"));
    runAsync<std::optional<model::CaseState>>(
        m_session, m_liveness, [caseNumber](client::Backend& b) { return b.findCase(caseNumber); },
        [this, caseNumber](std::optional<model::CaseState> state) {
            if (!state || state->status == model::CaseStatus::None) {
                say(wxString::Format(_("There is no case %s."), wx(caseNumber)), true);
                return;
            }
            m_form.takeApplicant(state->applicant);
            m_results->Hide();
            // TRANSLATORS: %s is the case the applicant's details were taken from.
            took(wxString::Format(
                _("Details taken from case %s; type over a field to change it."), wx(caseNumber)));
        },
        [this](const std::string& message) { say(wx(message), true); });
}

void IntakeApplicantPanel::readCard()
{
    say(_("Reading the ID card…"));
    m_read->Enable(false);
    auto reader = m_reader;
    runAsync<std::optional<model::Applicant>>(
        m_session, m_liveness, [reader](client::Backend&) { return reader->read(); },
        [this](std::optional<model::Applicant> card) {
            m_read->Enable(!m_locked);
            if (!card) {
                say(_("There is no card on the reader."), true);
                return;
            }
            m_form.takeApplicant(*card);
            took(_("Read from the ID card."));
        },
        [this](const std::string& message) {
            m_read->Enable(!m_locked);
            say(wx(message), true);
        });
}

void IntakeApplicantPanel::took(const wxString& status)
{
    refresh();
    say(status);
    m_changed();
    // The phone is what the clerk asks next.
    m_phone->SetFocus();
    m_phone->SetInsertionPointEnd();
}

} // namespace ow::gui
