#include "IntakeTab.h"

#include "model/TimeLimit.h"

#include "IntakeText.h"
#include "Text.h"

#include <algorithm>
#include <utility>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/datectrl.h>
#include <wx/dateevt.h>
#include <wx/intl.h>
#include <wx/msgdlg.h>
#include <wx/radiobut.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/statline.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

namespace ow::gui {

namespace {

using namespace intake;

// What the tab needs before the clerk can start.
struct Setup {
    model::Catalogue catalogue;
    model::Date today;
    model::Date commitmentDefault;
    std::string window;
};

// The checklist of the chosen matters and what acceptance today would promise.
struct Checklist {
    std::vector<model::MergedMaterial> list;
    std::vector<std::string> forMatters;
    std::optional<model::Date> promisedBy;
    model::TimeLimit longest;
    bool provisional = false;
};

// The applicant's commitment (容缺) is due this many working days after acceptance unless
// the clerk agrees on another date.
constexpr int kCommitmentWorkingDays = 5;

wxDateTime toWx(model::Date d)
{
    return wxDateTime(static_cast<wxDateTime::wxDateTime_t>(d.day()),
        static_cast<wxDateTime::Month>(d.month() - 1), d.year());
}

// "A001" of "330102-20260212-A001": what the hall display and the applicant's slip show.
wxString ticketLabel(const std::string& ticket)
{
    const auto dash = ticket.rfind('-');
    return wx(dash == std::string::npos ? ticket : ticket.substr(dash + 1));
}

model::Date fromWx(const wxDateTime& d)
{
    return model::Date(d.GetYear(), static_cast<unsigned>(d.GetMonth()) + 1, d.GetDay());
}

wxString limitLabel(const model::TimeLimit& limit)
{
    const auto n = static_cast<unsigned>(limit.days);
    return limit.counting == model::DayCounting::Working
        ? wxString::Format(wxPLURAL("%d working day", "%d working days", n), limit.days)
        : wxString::Format(wxPLURAL("%d calendar day", "%d calendar days", n), limit.days);
}

// 《中华人民共和国行政许可法》第三十二条: the usual grounds for not accepting an application
// at the window. Chinese legal citations, printed as they are on the refusal notice.
const char* const kLegalBases[] = {
    "\xE3\x80\x8A\xE4\xB8\xAD\xE5\x8D\x8E\xE4\xBA\xBA\xE6\xB0\x91\xE5\x85\xB1\xE5\x92\x8C\xE5\x9B\xBD\xE8\xA1"
    "\x8C\xE6\x94\xBF\xE8\xAE\xB8\xE5\x8F\xAF\xE6\xB3\x95\xE3\x80\x8B\xE7\xAC\xAC\xE4\xB8\x89\xE5\x8D\x81\xE4"
    "\xBA\x8C\xE6\x9D\xA1\xE7\xAC\xAC\xE4\xB8\x80\xE6\xAC\xBE\xE7\xAC\xAC\xEF\xBC\x88\xE4\xB8\x80\xEF\xBC\x89"
    "\xE9\xA1\xB9",
    "\xE3\x80\x8A\xE4\xB8\xAD\xE5\x8D\x8E\xE4\xBA\xBA\xE6\xB0\x91\xE5\x85\xB1\xE5\x92\x8C\xE5\x9B\xBD\xE8\xA1"
    "\x8C\xE6\x94\xBF\xE8\xAE\xB8\xE5\x8F\xAF\xE6\xB3\x95\xE3\x80\x8B\xE7\xAC\xAC\xE4\xB8\x89\xE5\x8D\x81\xE4"
    "\xBA\x8C\xE6\x9D\xA1\xE7\xAC\xAC\xE4\xB8\x80\xE6\xAC\xBE\xE7\xAC\xAC\xEF\xBC\x88\xE4\xBA\x8C\xEF\xBC\x89"
    "\xE9\xA1\xB9",
};

} // namespace

IntakeTab::IntakeTab(wxWindow* parent, Shell& shell, std::string ticket, model::Json draft)
    : Tab(parent, shell)
    , m_ticket(std::move(ticket))
    , m_draft(std::move(draft))
{
    SetName("intake");
    m_message = new wxStaticText(this, wxID_ANY, wxString());
    m_message->SetName("intake.message");
    m_message->SetMinSize(wxSize(100, -1));
    m_message->SetForegroundColour(problemColour());
    m_message->Hide();
    m_scroll
        = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxTAB_TRAVERSAL);
    m_scroll->SetName("intake.scroll");
    m_scroll->SetScrollRate(0, 12);
    // A scroll bar that came and went would change the width the sentences wrap to.
    m_scroll->ShowScrollbars(wxSHOW_SB_NEVER, wxSHOW_SB_ALWAYS);

    auto* columns = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    auto* right = new wxBoxSizer(wxVERTICAL);
    // TRANSLATORS: section headings of the intake tab; the number is the Alt+number key.
    left->Add(heading(m_scroll, _("1  Applicant")), wxSizerFlags().Expand().Border(wxBOTTOM, 4));
    m_applicant = new IntakeApplicantPanel(m_scroll, m_form, session(), [this] {
        updateDecision();
        if (m_opened)
            this->shell().retitle(*this);
    });
    left->Add(m_applicant, wxSizerFlags().Expand());
    left->Add(heading(m_scroll, _("2  Matters")), wxSizerFlags().Expand().Border(wxTOP | wxBOTTOM, 4));
    left->Add(buildMatters(m_scroll), wxSizerFlags(1).Expand());
    right->Add(heading(m_scroll, _("3  Materials")), wxSizerFlags().Expand().Border(wxBOTTOM, 4));
    right->Add(buildMaterials(m_scroll), wxSizerFlags(1).Expand());
    right->Add(heading(m_scroll, _("4  Decision")), wxSizerFlags().Expand().Border(wxTOP | wxBOTTOM, 4));
    right->Add(buildDecision(m_scroll), wxSizerFlags().Expand());
    right->Add(heading(m_scroll, _("5  Documents")), wxSizerFlags().Expand().Border(wxTOP | wxBOTTOM, 4));
    m_documents
        = new IntakeDocumentsPanel(m_scroll, session(), shell.user(), [this](const model::CaseState& state) {
              m_decided = state;
              this->shell().dataChanged();
          });
    right->Add(m_documents, wxSizerFlags().Expand());
    columns->Add(left, wxSizerFlags(11).Expand().Border(wxALL, 8));
    columns->Add(right, wxSizerFlags(10).Expand().Border(wxTOP | wxRIGHT | wxBOTTOM, 8));
    m_scroll->SetSizer(columns);

    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(m_message, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, 8));
    top->Add(m_scroll, wxSizerFlags(1).Expand());
    SetSizer(top);

    m_applicant->addMnemonics(m_keys);
    m_documents->addMnemonics(m_keys);
    Bind(wxEVT_CHAR_HOOK, &IntakeTab::onKey, this);
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        if (e.GetSize().GetWidth() != m_wrappedFor) {
            m_wrappedFor = e.GetSize().GetWidth();
            CallAfter([this] { rewrap(); });
        }
    });
    m_scroll->Enable(false);
    load();
}

wxSizer* IntakeTab::heading(wxWindow* parent, const wxString& text)
{
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    auto* label = new wxStaticText(parent, wxID_ANY, text);
    label->SetFont(label->GetFont().Bold());
    row->Add(label, wxSizerFlags().CentreVertical());
    row->Add(new wxStaticLine(parent), wxSizerFlags(1).CentreVertical().Border(wxLEFT, 8));
    return row;
}

wxSizer* IntakeTab::buildMatters(wxWindow* parent)
{
    auto* box = new wxBoxSizer(wxVERTICAL);
    auto* grid = new wxFlexGridSizer(2, wxSize(8, 4));
    grid->AddGrowableCol(1);
    grid->Add(new wxStaticText(parent, wxID_ANY, _("&Bundle:")), wxSizerFlags().CentreVertical());
    m_bundle = new wxChoice(parent, wxID_ANY);
    m_bundle->SetMinSize(wxSize(160, -1));
    m_bundle->SetName("matters.bundle");
    grid->Add(m_bundle, wxSizerFlags().Expand());
    grid->Add(new wxStaticText(parent, wxID_ANY, _("&Matters:")), wxSizerFlags().CentreVertical());
    m_filter
        = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    m_filter->SetName("matters.filter");
    m_filter->SetHint(_("filter by code or name; Down, then Space ticks"));
    grid->Add(m_filter, wxSizerFlags().Expand());
    box->Add(grid, wxSizerFlags().Expand());
    m_matters = new wxCheckListBox(parent, wxID_ANY, wxDefaultPosition, wxSize(-1, 120));
    m_matters->SetMinSize(wxSize(160, 120)); // long names scroll rather than widen the tab
    m_matters->SetName("matters.list");
    box->Add(m_matters, wxSizerFlags(1).Expand().Border(wxTOP, 4));
    m_chosen = new wxStaticText(parent, wxID_ANY, wxString());
    m_chosen->SetName("matters.chosen");
    m_chosen->SetMinSize(wxSize(100, -1));
    box->Add(m_chosen, wxSizerFlags().Expand().Border(wxTOP, 3));

    m_bundle->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        const int i = m_bundle->GetSelection();
        if (i == wxNOT_FOUND)
            return;
        m_form.chooseBundle(m_bundleCodes.at(static_cast<std::size_t>(i)));
        mattersChanged();
    });
    m_filter->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { listMatters(); });
    auto toList = [this] {
        if (m_matters->IsEmpty())
            return;
        m_matters->SetFocus();
        if (m_matters->GetSelection() == wxNOT_FOUND)
            m_matters->SetSelection(0);
    };
    m_filter->Bind(wxEVT_TEXT_ENTER, [toList](wxCommandEvent&) { toList(); });
    m_filter->Bind(wxEVT_KEY_DOWN, [toList](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_DOWN && !e.HasAnyModifiers())
            toList();
        else
            e.Skip();
    });
    m_matters->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) {
        if (wxGetKeyState(WXK_CONTROL))
            carryOut();
    });
    m_matters->Bind(wxEVT_CHECKLISTBOX, [this](wxCommandEvent& e) {
        const auto i = static_cast<unsigned>(e.GetInt());
        if (i >= m_listed.size())
            return;
        m_form.setMatter(m_listed[i], m_matters->IsChecked(i));
        mattersChanged();
    });
    return box;
}

wxSizer* IntakeTab::buildMaterials(wxWindow* parent)
{
    auto* box = new wxBoxSizer(wxVERTICAL);
    m_materials = new wxCheckListBox(parent, wxID_ANY, wxDefaultPosition, wxSize(-1, 130));
    m_materials->SetMinSize(wxSize(160, 130));
    m_materials->SetName("materials.list");
    box->Add(m_materials, wxSizerFlags(1).Expand());
    m_materialDetail = new wxStaticText(parent, wxID_ANY, wxString());
    m_materialDetail->SetName("materials.detail");
    m_materialDetail->SetMinSize(wxSize(100, -1));
    box->Add(m_materialDetail, wxSizerFlags().Expand().Border(wxTOP, 3));
    m_materialsNote = new wxStaticText(parent, wxID_ANY, _("Choose the matters first."));
    m_materialsNote->SetName("materials.note");
    m_materialsNote->SetMinSize(wxSize(100, -1));
    m_materialsNote->SetForegroundColour(quietColour());
    box->Add(m_materialsNote, wxSizerFlags().Expand().Border(wxTOP, 2));

    m_materials->Bind(wxEVT_CHECKLISTBOX, [this](wxCommandEvent& e) {
        const auto i = static_cast<unsigned>(e.GetInt());
        const auto& list = m_form.checklist();
        if (i >= list.size())
            return;
        m_form.setReceived(list[i].material.code, m_materials->IsChecked(i));
        showMaterials();
        updateDecision();
    });
    m_materials->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { showMaterialDetail(); });
    // GTK list boxes turn Enter into a double click before any key event is seen.
    m_materials->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) {
        if (wxGetKeyState(WXK_CONTROL))
            carryOut();
    });
    return box;
}

wxSizer* IntakeTab::buildDecision(wxWindow* parent)
{
    auto* box = new wxBoxSizer(wxVERTICAL);
    const std::pair<Decision, wxString> decisions[] = {
        {Decision::Accept, _("&Accept")},
        {Decision::AcceptDeficient, _("Accept with d&eficiencies (容缺)")},
        {Decision::Notice, _("One-time n&otice (一次性告知)")},
        {Decision::Refuse, _("Ref&use")},
    };
    auto* radios = new wxFlexGridSizer(2, wxSize(10, 2));
    radios->AddGrowableCol(1);
    bool first = true;
    for (const auto& [decision, label] : decisions) {
        DecisionRow row;
        row.decision = decision;
        row.radio = new wxRadioButton(
            parent, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, first ? wxRB_GROUP : 0);
        row.radio->SetName("decision." + std::to_string(static_cast<int>(decision)));
        row.note = new wxStaticText(parent, wxID_ANY, wxString());
        row.note->SetForegroundColour(quietColour());
        radios->Add(row.radio, wxSizerFlags().CentreVertical());
        radios->Add(row.note, wxSizerFlags().CentreVertical());
        row.radio->Bind(wxEVT_RADIOBUTTON, [this, d = decision](wxCommandEvent&) {
            m_form.choose(d);
            updateDecision();
        });
        m_decisions.push_back(row);
        first = false;
    }
    box->Add(radios, wxSizerFlags().Expand());

    // What each decision needs, shown while it is chosen; created after the radio buttons
    // so that Tab leaves the group into them.
    m_promised = new wxStaticText(parent, wxID_ANY, wxString());
    m_promised->SetName("decision.promised");
    m_promised->SetMinSize(wxSize(100, -1));
    m_decisions[0].details = m_promised;

    auto* deficient = new wxPanel(parent);
    auto* dsizer = new wxBoxSizer(wxVERTICAL);
    m_owed = new wxStaticText(deficient, wxID_ANY, wxString());
    m_owed->SetName("decision.owed");
    m_owed->SetMinSize(wxSize(100, -1));
    dsizer->Add(m_owed, wxSizerFlags().Expand());
    m_committed = new wxCheckBox(deficient, wxID_ANY, _("The applicant signed the commitment (承诺书)"));
    m_committed->SetName("decision.committed");
    dsizer->Add(m_committed, wxSizerFlags().Border(wxTOP, 3));
    auto* dueRow = new wxBoxSizer(wxHORIZONTAL);
    dueRow->Add(
        new wxStaticText(deficient, wxID_ANY, _("to bring them by:")), wxSizerFlags().CentreVertical());
    m_due = new wxDatePickerCtrl(deficient, wxID_ANY, wxDefaultDateTime, wxDefaultPosition, wxDefaultSize,
        wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    m_due->SetName("decision.due");
    m_due->SetMinSize(wxSize(150, -1));
    dueRow->Add(m_due, wxSizerFlags().CentreVertical().Border(wxLEFT, 6));
    dsizer->Add(dueRow, wxSizerFlags().Border(wxTOP, 3));
    deficient->SetSizer(dsizer);
    m_decisions[1].details = deficient;

    auto* notice = new wxPanel(parent);
    auto* nsizer = new wxBoxSizer(wxVERTICAL);
    m_noticeItems = new wxStaticText(notice, wxID_ANY, wxString());
    m_noticeItems->SetName("decision.noticeItems");
    m_noticeItems->SetMinSize(wxSize(100, -1));
    nsizer->Add(m_noticeItems, wxSizerFlags().Expand());
    nsizer->Add(new wxStaticText(notice, wxID_ANY, _("Other requirements, one per line:")),
        wxSizerFlags().Border(wxTOP, 3));
    m_noticeExtra
        = new wxTextCtrl(notice, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, 44), wxTE_MULTILINE);
    m_noticeExtra->SetName("decision.noticeExtra");
    nsizer->Add(m_noticeExtra, wxSizerFlags().Expand());
    notice->SetSizer(nsizer);
    m_decisions[2].details = notice;

    auto* refuse = new wxPanel(parent);
    auto* rgrid = new wxFlexGridSizer(2, wxSize(8, 3));
    rgrid->AddGrowableCol(1);
    rgrid->Add(new wxStaticText(refuse, wxID_ANY, _("Reason:")), wxSizerFlags().CentreVertical());
    m_reason = new wxTextCtrl(refuse, wxID_ANY);
    m_reason->SetName("decision.reason");
    rgrid->Add(m_reason, wxSizerFlags().Expand());
    rgrid->Add(new wxStaticText(refuse, wxID_ANY, _("Legal basis:")), wxSizerFlags().CentreVertical());
    wxArrayString bases;
    for (const char* b : kLegalBases)
        bases.Add(wxString::FromUTF8(b));
    m_legalBasis = new wxComboBox(refuse, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, bases);
    m_legalBasis->SetName("decision.legalBasis");
    rgrid->Add(m_legalBasis, wxSizerFlags().Expand());
    refuse->SetSizer(rgrid);
    m_decisions[3].details = refuse;

    for (const auto& row : m_decisions)
        box->Add(row.details, wxSizerFlags().Expand().Border(wxLEFT | wxTOP, 6));

    m_readiness = new wxStaticText(parent, wxID_ANY, wxString());
    m_readiness->SetName("decision.readiness");
    m_readiness->SetMinSize(wxSize(100, -1));
    box->Add(m_readiness, wxSizerFlags().Expand().Border(wxTOP, 8));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_result = new wxStaticText(parent, wxID_ANY, wxString());
    m_result->SetName("decision.result");
    m_result->SetFont(m_result->GetFont().Bold().Larger());
    buttons->Add(m_result, wxSizerFlags(1).CentreVertical());
    m_openCase = new wxButton(parent, wxID_ANY, _("&Open case"));
    m_openCase->SetName("decision.openCase");
    m_openCase->Hide();
    buttons->Add(m_openCase, wxSizerFlags().CentreVertical().Border(wxLEFT, 6));
    m_carry = new wxButton(parent, wxID_ANY, _("Carry out (Ctrl+Enter)"));
    m_carry->SetName("decision.carryOut");
    buttons->Add(m_carry, wxSizerFlags().CentreVertical().Border(wxLEFT, 6));
    box->Add(buttons, wxSizerFlags().Expand().Border(wxTOP, 4));

    m_committed->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
        m_form.setCommitted(m_committed->GetValue());
        showReadiness(false);
    });
    m_due->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent& e) {
        if (e.GetDate().IsValid())
            m_form.setCommitmentDue(fromWx(e.GetDate()));
        showReadiness(false);
    });
    m_noticeExtra->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
        m_form.setNoticeExtra(utf8(m_noticeExtra->GetValue()));
        showReadiness(false);
    });
    auto refusal = [this](wxCommandEvent&) {
        m_form.setRefusal(utf8(m_reason->GetValue()), utf8(m_legalBasis->GetValue()));
        showReadiness(false);
    };
    m_reason->Bind(wxEVT_TEXT, refusal);
    m_legalBasis->Bind(wxEVT_TEXT, refusal);
    m_legalBasis->Bind(wxEVT_COMBOBOX, refusal);
    m_carry->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { carryOut(); });
    m_openCase->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_opened)
            shell().openCase(m_opened->number);
    });
    return box;
}

void IntakeTab::load()
{
    setWrapped(m_readiness, _("Loading…"));
    runAsync<Setup>(
        session(), liveness(),
        [](client::Backend& b) {
            Setup s;
            s.catalogue = b.catalogue();
            s.today = b.today();
            s.commitmentDefault = model::computeDeadline(
                b.calendar(), s.today, {kCommitmentWorkingDays, model::DayCounting::Working})
                                      .deadline;
            s.window = b.workstation();
            return s;
        },
        [this](Setup s) {
            m_form.setCatalogue(std::move(s.catalogue));
            m_form.setToday(s.today);
            m_form.setUser(shell().user());
            m_form.setCommitmentDue(s.commitmentDefault);
            m_due->SetRange(toWx(s.today.addDays(1)), wxDefaultDateTime);
            m_window = s.window;
            m_bundleCodes = {""};
            m_bundle->Append(_("(none)"));
            for (const auto& [code, bundle] : m_form.catalogue().bundles()) {
                m_bundleCodes.push_back(code);
                m_bundle->Append(bundleLabel(bundle));
            }
            m_bundle->SetSelection(0);
            m_ready = true;
            m_scroll->Enable(true);
            const bool restored = restoreDraft();
            // A commitment date agreed on at the other window that has passed since.
            if (restored && m_form.commitmentDue() <= s.today)
                m_form.setCommitmentDue(s.commitmentDefault);
            showDecisionDetails();
            listMatters();
            mattersChanged(); // asks for the checklist of the restored matters, which keeps their ticks
            m_applicant->refresh();
            if (restored) {
                showMaterials();
                updateDecision();
            }
            m_applicant->focusFirst();
        },
        [this](const std::string& message) {
            setWrapped(m_readiness, wx(message));
            m_readiness->SetForegroundColour(problemColour());
        });
}

bool IntakeTab::restoreDraft()
{
    if (m_draft.isNull())
        return false;
    const model::Json draft = std::exchange(m_draft, model::Json());
    wxString problem;
    try {
        m_form.restore(draft);
        return true;
    } catch (const model::DomainError& e) {
        problem = e.code() == "intake.draft_invalid"
            // TRANSLATORS: a ticket passed on from another window carried its half-done intake, and it
            // could not be read. The first %s names the part that could not be read (such as
            // "version" or "matters"), the second why (such as "unknown_version"), for support staff.
            ? wxString::Format(_("The intake passed on with this ticket could not be taken over (%s: %s); "
                                 "take it in afresh."),
                wx(e.fact("field")), wx(e.fact("reason")))
            : describe(e);
    } catch (const std::exception&) {
        problem = wx(describeError(std::current_exception()));
    }
    setWrapped(m_message, problem);
    m_message->Show();
    Layout();
    return false;
}

void IntakeTab::showDecisionDetails()
{
    m_committed->SetValue(m_form.committed());
    m_due->SetValue(toWx(m_form.commitmentDue()));
    m_noticeExtra->ChangeValue(wx(m_form.noticeExtra()));
    m_reason->ChangeValue(wx(m_form.refusalReason()));
    m_legalBasis->ChangeValue(wx(m_form.refusalLegalBasis()));
    // IntakeApplicantPanel::refresh() leaves the agent's kind of ID as it was chosen there.
    if (auto* kind
        = dynamic_cast<wxChoice*>(wxWindow::FindWindowByName("applicant.agent.idKind", m_applicant)))
        kind->SetStringSelection(idKindLabel(m_form.agent().idKind));
}

model::Json IntakeTab::draft() const
{
    return m_draft.isNull() ? m_form.draft() : m_draft;
}

wxString IntakeTab::title() const
{
    if (!m_opened) {
        if (m_ticket.empty())
            return _("New intake");
        // TRANSLATORS: the title of an intake tab serving a queue ticket; %s is the ticket, such as "A001".
        return wxString::Format(_("New intake · %s"), ticketLabel(m_ticket));
    }
    return wx(m_opened->number) + " " + wx(surnameOf(m_opened->applicant.name));
}

bool IntakeTab::canClose()
{
    if (m_decided || !m_ready)
        return true;
    wxString question;
    if (m_opened)
        question
            = wxString::Format(_("Case %s is open but no decision has been recorded. Close the tab anyway? "
                                 "The case stays in the work list."),
                wx(m_opened->number));
    else if (m_form.started())
        question = _("Discard this intake? Nothing of it has been saved.");
    else
        return true;
    return wxMessageBox(question, _("Close intake"), wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION, this)
        == wxYES;
}

void IntakeTab::onKey(wxKeyEvent& e)
{
    const int key = e.GetKeyCode();
    if (e.GetModifiers() == wxMOD_CONTROL && (key == WXK_RETURN || key == WXK_NUMPAD_ENTER)) {
        carryOut();
        return;
    }
    if (e.GetModifiers() == wxMOD_ALT && m_ready) {
        if (key >= '1' && key <= '5') {
            focusSection(key - '0');
            return;
        }
        if (m_decided && key == 'O') {
            shell().openCase(m_opened->number);
            return;
        }
        const std::pair<int, Decision> decisionKeys[] = {{'A', Decision::Accept},
            {'E', Decision::AcceptDeficient}, {'O', Decision::Notice}, {'U', Decision::Refuse}};
        for (const auto& [letter, decision] : decisionKeys)
            if (key == letter) {
                for (auto& row : m_decisions)
                    if (row.decision == decision && row.radio->IsEnabled()) {
                        m_form.choose(decision);
                        updateDecision();
                        row.radio->SetFocus();
                    }
                return;
            }
        if (key == 'B') {
            if (m_bundle->IsEnabled())
                m_bundle->SetFocus();
            return;
        }
        if (key == 'M') {
            if (m_filter->IsEnabled())
                m_filter->SetFocus();
            return;
        }
        if (auto it = m_keys.find(key); it != m_keys.end()) {
            it->second();
            return;
        }
    }
    e.Skip();
}

void IntakeTab::focusSection(int section)
{
    switch (section) {
    case 1:
        m_applicant->focusFirst();
        break;
    case 2:
        (m_filter->IsEnabled() ? static_cast<wxWindow*>(m_filter) : m_matters)->SetFocus();
        break;
    case 3: {
        // The cursor lands on the first material still missing: that is where the work is.
        const auto missing = m_form.missingMandatory();
        const auto& list = m_form.checklist();
        int row = list.empty() ? wxNOT_FOUND : 0;
        for (std::size_t i = 0; i < list.size() && !missing.empty(); ++i)
            if (list[i].material.code == missing.front())
                row = static_cast<int>(i);
        if (row != wxNOT_FOUND && row != m_materials->GetSelection()) {
            // GTK keeps a keyboard cursor apart from the selection, and Space ticks the
            // cursor's row; a list filled afresh has none, and takes the selected row as
            // its cursor when it gets the focus.
            m_materials->Set(m_materials->GetStrings());
            for (unsigned i = 0; i < list.size(); ++i)
                m_materials->Check(i, m_form.received(list[i].material.code));
            m_materials->SetSelection(row);
        }
        m_materials->SetFocus();
        showMaterialDetail();
        break;
    }
    case 4:
        for (auto& row : m_decisions)
            if (row.radio->GetValue() && row.radio->IsEnabled())
                row.radio->SetFocus();
        if (m_decided)
            m_openCase->SetFocus();
        break;
    case 5:
        m_documents->focusList();
        break;
    default:
        break;
    }
}

void IntakeTab::listMatters()
{
    const std::string filter = utf8(m_filter->GetValue().Strip(wxString::both));
    std::vector<const model::ServiceMatter*> matters;
    if (filter.empty())
        for (const auto& [code, m] : m_form.catalogue().matters())
            matters.push_back(&m);
    else
        matters = m_form.catalogue().searchMatters(filter, 1000);
    wxArrayString items;
    m_listed.clear();
    for (const auto* m : matters) {
        items.Add(matterLabel(*m));
        m_listed.push_back(m->code);
    }
    m_matters->Set(items);
    for (unsigned i = 0; i < m_listed.size(); ++i)
        m_matters->Check(i, m_form.hasMatter(m_listed[i]));
    if (!m_listed.empty())
        m_matters->SetSelection(0);
}

void IntakeTab::mattersChanged()
{
    // The bundle is dropped when one of its matters is unticked.
    const auto b = std::find(m_bundleCodes.begin(), m_bundleCodes.end(), m_form.bundle());
    m_bundle->SetSelection(b == m_bundleCodes.end() ? 0 : static_cast<int>(b - m_bundleCodes.begin()));
    for (unsigned i = 0; i < m_listed.size(); ++i)
        m_matters->Check(i, m_form.hasMatter(m_listed[i]));
    wxString chosen;
    const auto& codes = m_form.matters();
    for (std::size_t i = 0; i < codes.size(); ++i)
        chosen += (i ? "  " : "") + matterNumber(i) + " " + matterName(m_form.catalogue(), codes[i]);
    setWrapped(m_chosen, codes.empty() ? wxString(_("No matter chosen yet.")) : chosen);
    m_chosen->SetForegroundColour(codes.empty() ? quietColour() : GetForegroundColour());
    requestChecklist();
}

void IntakeTab::requestChecklist()
{
    const auto matters = m_form.matters();
    if (matters.empty()) {
        m_form.setChecklist({}, {});
        m_promisedText.clear();
        showMaterials();
        updateDecision();
        return;
    }
    const auto asked = ++m_checklistAsked;
    showReadiness(false);
    runAsync<Checklist>(
        session(), liveness(),
        [matters, bundle = m_form.bundle()](client::Backend& b) {
            Checklist c;
            c.list = b.intake().checklist(matters, bundle);
            c.forMatters = matters;
            const model::Date today = b.today();
            for (const auto& code : matters)
                if (const auto* m = b.catalogue().findMatter(code)) {
                    const auto r = model::computeDeadline(b.calendar(), today, m->promisedLimit);
                    if (!c.promisedBy || r.deadline > *c.promisedBy) {
                        c.promisedBy = r.deadline;
                        c.longest = m->promisedLimit;
                    }
                    c.provisional = c.provisional || r.provisional;
                }
            return c;
        },
        [this, asked](Checklist c) {
            if (asked != m_checklistAsked || !m_form.setChecklist(std::move(c.list), c.forMatters))
                return; // the matters changed meanwhile; a newer answer is on its way
            if (c.promisedBy) {
                // TRANSLATORS: a date, then a time limit such as "10 working days".
                m_promisedText = wxString::Format(
                    _("promised by %s (%s)"), wx(c.promisedBy->iso()), limitLabel(c.longest));
                if (c.provisional)
                    m_promisedText += " " + wxString(_("(provisional: no holiday calendar for that year)"));
            }
            showMaterials();
            updateDecision();
        },
        [this](const std::string& message) {
            setWrapped(m_materialsNote, wx(message));
            m_materialsNote->SetForegroundColour(problemColour());
        });
}

void IntakeTab::showMaterials()
{
    const auto& list = m_form.checklist();
    const auto& matters = m_form.matters();
    const auto missing = m_form.missingMandatory();
    wxArrayString items;
    for (const auto& mm : list) {
        const auto& m = mm.material;
        wxString line = materialName(m) + "  " + materialForm(m) + "  ";
        line += m.mandatory ? wxString(_("mandatory")) : wxString(_("optional"));
        if (m.dataShared)
            line += " " + wxString(_("(data sharing)"));
        line += " ";
        for (const auto& code : mm.requiredBy) {
            const auto at = std::find(matters.begin(), matters.end(), code);
            line += matterNumber(static_cast<std::size_t>(at - matters.begin()));
        }
        if (std::find(missing.begin(), missing.end(), m.code) != missing.end())
            line += wxString::FromUTF8("   \xE2\x86\x90 ") + _("missing");
        items.Add(line);
    }
    const int selected = m_materials->GetSelection();
    if (m_materials->GetCount() == items.size()) {
        // Same list: change the lines in place so the cursor stays where the clerk is.
        for (unsigned i = 0; i < items.size(); ++i)
            if (m_materials->GetString(i) != items[i])
                m_materials->SetString(i, items[i]);
    } else {
        m_materials->Set(items);
        if (selected != wxNOT_FOUND && static_cast<unsigned>(selected) < items.size())
            m_materials->SetSelection(selected);
    }
    for (unsigned i = 0; i < list.size(); ++i)
        m_materials->Check(i, m_form.received(list[i].material.code));

    if (matters.empty())
        setWrapped(m_materialsNote, _("Choose the matters first."));
    else if (!m_form.checklistCurrent())
        setWrapped(m_materialsNote, _("Loading the checklist…"));
    else
        // TRANSLATORS: under the materials checklist; ① ② … number the chosen matters.
        setWrapped(m_materialsNote, _("Space ticks what was handed over; ①②… are the matters that need it."));
    m_materialsNote->SetForegroundColour(quietColour());
    showMaterialDetail();
}

void IntakeTab::showMaterialDetail()
{
    const int i = m_materials->GetSelection();
    const auto& list = m_form.checklist();
    if (i == wxNOT_FOUND || static_cast<std::size_t>(i) >= list.size()) {
        setWrapped(m_materialDetail, wxString());
        return;
    }
    const auto& mm = list[static_cast<std::size_t>(i)];
    wxString text = materialName(mm.material);
    if (!chineseInterface() && !mm.material.nameEn.empty())
        text += " · " + wx(mm.material.nameEn);
    wxString needed;
    const auto& matters = m_form.matters();
    for (const auto& code : mm.requiredBy) {
        const auto at
            = static_cast<std::size_t>(std::find(matters.begin(), matters.end(), code) - matters.begin());
        wxString form;
        if (const auto* matter = m_form.catalogue().findMatter(code))
            for (const auto& m : matter->materials)
                if (m.code == mm.material.code)
                    form = " (" + materialForm(m) + ")";
        needed
            += (needed.empty() ? "" : ", ") + matterNumber(at) + matterName(m_form.catalogue(), code) + form;
    }
    // TRANSLATORS: the first %s is a material, the second the matters that need it.
    text = wxString::Format(_("%s, needed by %s"), text, needed);
    if (mm.material.dataShared)
        text += " " + wxString(_("— fetched by data sharing; the applicant need not bring it."));
    setWrapped(m_materialDetail, text);
    m_scroll->Layout();
}

void IntakeTab::updateDecision()
{
    const Decision chosen = m_form.decision();
    const bool open = m_ready && !m_decided && !m_busy;
    for (auto& row : m_decisions) {
        const Availability a = m_form.availability(row.decision);
        row.radio->Enable(open && a.allowed);
        wxString note;
        if (!a.allowed)
            switch (a.why) {
            case Blocker::NotPermitted:
                note = _("not allowed for your role");
                break;
            case Blocker::MaterialsMissing:
                // TRANSLATORS: beside a decision that is not possible; %s lists materials.
                note = wxString::Format(_("missing: %s"), materialNames(m_form, a.materials));
                break;
            case Blocker::NothingMissing:
                note = _("nothing mandatory is missing");
                break;
            default:
                break;
            }
        if (m_decided)
            note.clear(); // decided: what was not possible then no longer matters
        if (row.note->GetLabel() != note) {
            row.note->SetLabel(note);
            row.note->Wrap(180);
        }
        if (row.decision == chosen && !row.radio->GetValue())
            row.radio->SetValue(true);
        row.details->Show(row.decision == chosen && !m_decided);
    }
    setWrapped(m_promised,
        m_form.checklistCurrent() && !m_form.matters().empty() && !m_promisedText.empty()
            // TRANSLATORS: %s is "promised by <date> (<time limit>)".
            ? wxString::Format(_("If accepted today: %s."), m_promisedText)
            : wxString());
    const auto missing = m_form.missingMandatory();
    // TRANSLATORS: under "accept with deficiencies"; %s lists the materials owed.
    setWrapped(m_owed, wxString::Format(_("Owed: %s."), materialNames(m_form, missing)));
    setWrapped(m_noticeItems,
        missing.empty() ? wxString(_("No mandatory material is missing; list other requirements."))
                        // TRANSLATORS: under "one-time notice"; %s lists the missing materials.
                        : wxString::Format(_("The notice lists: %s."), materialNames(m_form, missing)));
    showReadiness(false);
    m_scroll->FitInside();
    m_scroll->Layout();
}

void IntakeTab::showReadiness(bool attempted)
{
    m_carry->Enable(m_ready && !m_busy && !m_decided);
    if (m_decided || m_busy)
        return;
    const auto blockers = m_form.blockers();
    wxString text;
    if (blockers.empty()) {
        text = m_opened
            // TRANSLATORS: %s is a decision such as "accept".
            ? wxString::Format(
                _("Ready: Ctrl+Enter records the decision (%s)."), decisionLabel(m_form.decision()))
            : wxString::Format(_("Ready: Ctrl+Enter opens the case and records the decision (%s)."),
                decisionLabel(m_form.decision()));
    } else {
        text = !attempted && !m_form.started()
            // Nothing entered yet: say where to begin rather than what is wrong.
            ? wxString(
                _("Read the ID card (Alt+R) or find the applicant (Alt+F), then choose the matters (Alt+B, "
                  "Alt+M) and tick the materials (Alt+3)."))
            : blockerSentence(m_form, blockers.front(), m_form.decision());
    }
    if (m_texts[m_readiness] != text)
        setWrapped(m_readiness, text);
    m_readiness->SetForegroundColour(attempted && !blockers.empty() ? problemColour() : quietColour());
    m_readiness->Refresh();
}

void IntakeTab::carryOut()
{
    if (!m_ready || m_busy || m_decided)
        return;
    const auto blockers = m_form.blockers();
    if (!blockers.empty()) {
        m_applicant->showProblems({});
        showReadiness(true);
        switch (blockers.front()) {
        case Blocker::ApplicantInvalid:
            m_applicant->focusFirstProblem();
            break;
        case Blocker::NoMatters:
            focusSection(2);
            break;
        case Blocker::CommitmentMissing:
            m_committed->SetFocus();
            break;
        case Blocker::CommitmentNotInFuture:
            m_due->SetFocus();
            break;
        case Blocker::ReasonMissing:
            m_reason->SetFocus();
            break;
        case Blocker::LegalBasisMissing:
            m_legalBasis->SetFocus();
            break;
        case Blocker::NothingMissing:
            if (m_form.decision() == Decision::Notice)
                m_noticeExtra->SetFocus();
            break;
        default:
            break;
        }
        m_scroll->FitInside();
        return;
    }
    m_busy = true;
    updateDecision();
    setWrapped(m_readiness, m_opened ? _("Recording the decision…") : _("Opening the case…"));
    m_readiness->SetForegroundColour(quietColour());
    auto request = m_form.request(m_window);
    auto plan = m_form.plan();
    runAsync<IntakeOutcome>(
        session(), liveness(),
        [request = std::move(request), plan = std::move(plan), opened = m_opened](client::Backend& b) {
            return gui::carryOut(b.intake(), b.user().id, request, plan, opened ? &*opened : nullptr);
        },
        [this](IntakeOutcome outcome) {
            m_busy = false;
            if (outcome.opened && !m_opened) {
                // The case exists from now on: its applicant and matters are fixed.
                m_opened = outcome.opened;
                m_applicant->lock();
                m_bundle->Enable(false);
                m_filter->Enable(false);
                m_matters->Enable(false);
                shell().retitle(*this);
                shell().intakeOpened(m_ticket, m_opened->number);
                shell().dataChanged();
            } else if (outcome.opened) {
                m_opened = outcome.opened;
            }
            if (outcome.decided) {
                m_decided = outcome.decided;
                finished();
                return;
            }
            const wxString reason = wx(describeError(outcome.error));
            if (!outcome.problems.empty()) {
                m_applicant->showProblems(outcome.problems);
                m_applicant->focusFirstProblem();
            }
            updateDecision();
            const wxString text = m_opened
                // TRANSLATORS: the first %s is a case number, the second the reason the decision failed.
                ? wxString::Format(
                    _("Case %s is open, but the decision was not recorded: %s"), wx(m_opened->number), reason)
                : reason;
            setWrapped(m_readiness, text);
            m_readiness->SetForegroundColour(problemColour());
            m_scroll->FitInside();
        });
}

void IntakeTab::setWrapped(wxStaticText* label, const wxString& text)
{
    m_texts[label] = text;
    wrap(label);
}

void IntakeTab::wrap(wxStaticText* label)
{
    // The width the column gives the label (its minimum width is small on purpose, so
    // the text never widens the column); a guess before the first layout.
    int width = label->GetSize().GetWidth();
    if (const wxSizer* sizer = label->GetContainingSizer(); sizer && sizer->GetSize().GetWidth() >= 100)
        width = sizer->GetSize().GetWidth();
    if (width < 100)
        width = 360;
    label->SetLabel(m_texts[label]);
    label->Wrap(width);
    label->InvalidateBestSize();
}

void IntakeTab::rewrap()
{
    for (auto& [label, text] : m_texts)
        wrap(label);
    m_scroll->Layout();
    m_scroll->FitInside();
}

wxString IntakeTab::caseLine() const
{
    return wx(m_decided->number) + "  " + statusLabel(m_decided->status);
}

void IntakeTab::finished()
{
    for (auto& row : m_decisions)
        row.radio->Enable(false);
    m_materials->Enable(false);
    m_carry->Hide();
    m_result->SetLabel(wx(m_decided->number));
    m_openCase->Show();
    wxString text;
    switch (m_decided->status) {
    case model::CaseStatus::Accepted:
        // TRANSLATORS: %s is "promised by <date> (<time limit>)".
        text = wxString::Format(_("The result is %s."), m_promisedText);
        break;
    case model::CaseStatus::AcceptedDeficient:
        if (m_decided->commitmentDue)
            // TRANSLATORS: %s is the date by which the applicant brings what is owed.
            text = wxString::Format(
                _("The owed materials are due by %s."), wx(m_decided->commitmentDue->iso()));
        break;
    case model::CaseStatus::AwaitingCorrection:
        text = _("The case waits for the applicant's return visit with what the notice lists.");
        break;
    case model::CaseStatus::Refused:
        // TRANSLATORS: after a refusal: its reason and its legal basis, as recorded.
        text = wxString::Format(_("Reason: %s. Legal basis: %s."), wx(m_decided->refusalReason),
            wx(m_decided->refusalLegalBasis));
        break;
    default:
        break;
    }
    // TRANSLATORS: after an intake: the case's new status, then what follows from it.
    setWrapped(m_readiness, wxString::Format(_("Case %s. %s"), statusLabel(m_decided->status), text));
    m_readiness->SetForegroundColour(GetForegroundColour());
    updateDecision();
    shell().retitle(*this);
    shell().dataChanged();
    // TRANSLATORS: status bar after an intake; %s is the case number and its new status.
    shell().showStatus(wxString::Format(_("Intake done: %s"), caseLine()));
    m_documents->setCase(*m_decided);
    m_scroll->FitInside();
    // The documents of the decision are what the clerk hands over next.
    m_documents->focusList();
}

} // namespace ow::gui
