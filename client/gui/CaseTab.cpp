#include "CaseTab.h"

#include "model/Error.h"

#include "CaseDialogs.h"
#include "Text.h"

#include <algorithm>
#include <set>
#include <spdlog/spdlog.h>
#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/dataview.h>
#include <wx/intl.h>
#include <wx/notebook.h>
#include <wx/radiobox.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/statline.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/wrapsizer.h>

#ifdef __WXGTK__
#include <dlfcn.h>
#endif

namespace ow::gui {

namespace {

using Tone = TableRow::Tone;

const wxColour kConflictBackground(176, 0, 32);
const wxColour kRefusedBackground(253, 236, 234);
const wxColour kRefusedText(140, 0, 20);
const wxColour kDoneBackground(232, 245, 233);
const wxColour kDoneText(0, 90, 30);

wxColour toneColour(Tone tone)
{
    switch (tone) {
    case Tone::Good:
        return wxColour(0, 120, 50);
    case Tone::Warning:
        return wxColour(170, 95, 0);
    case Tone::Bad:
        return wxColour(190, 0, 30);
    case Tone::Muted:
        return wxColour(100, 100, 100);
    case Tone::Normal:
    case Tone::Highlight:
        break;
    }
    return wxNullColour;
}

wxColour statusColour(model::CaseStatus status)
{
    using S = model::CaseStatus;
    switch (status) {
    case S::Suspended:
    case S::AwaitingCorrection:
    case S::AcceptedDeficient:
        return wxColour(170, 95, 0);
    case S::Approved:
    case S::Delivered:
        return wxColour(0, 120, 50);
    case S::Denied:
    case S::Refused:
    case S::Terminated:
    case S::Withdrawn:
        return wxColour(150, 40, 40);
    case S::Closed:
    case S::None:
        return wxColour(100, 100, 100);
    default:
        return wxColour(0, 80, 150);
    }
}

// The case number is copied into other systems all day. GTK's labels can be made
// selectable (mouse selection and a Copy menu) while staying labels for screen readers;
// the function is looked up at run time so that no GTK header is needed.
void makeSelectable(wxStaticText* label)
{
#ifdef __WXGTK__
    using SetSelectable = void (*)(void*, int);
    if (void* symbol = dlsym(RTLD_DEFAULT, "gtk_label_set_selectable"))
        reinterpret_cast<SetSelectable>(symbol)(label->GetHandle(), 1);
#else
    (void)label;
#endif
}

struct ActionText {
    wxString label; // with its mnemonic
    wxString help; // the tooltip while it is allowed
};

ActionText actionText(CaseAction action)
{
    using C = CaseAction;
    switch (action) {
    case C::Accept:
        return {_("Acc&ept…"), _("Accept the application: its time limit starts.")};
    case C::Refuse:
        return {_("Re&fuse…"), _("Refuse to accept the application (不予受理), with the reason.")};
    case C::Route:
        return {_("&Route step…"), _("Send the case to a back-office step of a department.")};
    case C::CompleteStep:
        return {_("Complete ste&p…"), _("Record the outcome of an open step.")};
    case C::ReceiveMaterials:
        return {_("Receive &materials…"), _("Record materials the applicant handed in later.")};
    case C::Correction:
        return {_("Correction v&isit…"),
            _("The applicant came back after the one-time notice: record what they brought.")};
    case C::Suspend:
        return {_("&Suspend…"), _("Stop the clock, e.g. for corrections or an expert review.")};
    case C::Resume:
        return {_("Res&ume…"), _("Start the clock again.")};
    case C::Extend:
        return {_("&Extend…"), _("Approve an extension of the time limit (once per case).")};
    case C::Conclude:
        return {_("Co&nclude…"), _("Approve or deny the application.")};
    case C::Deliver:
        return {_("&Deliver…"), _("Record how the result reached the applicant.")};
    case C::Close:
        return {_("C&lose case…"), _("Archive the finished case.")};
    case C::Withdraw:
        return {_("&Withdraw…"), _("The applicant withdraws the application.")};
    case C::Terminate:
        return {_("&Terminate…"), _("End the procedure (终止), with the reason.")};
    case C::Assign:
        return {_("Assi&gn…"), _("Give the case to another member of staff.")};
    case C::AddNote:
        return {_("&Add note…"), _("Add a note to the case's history.")};
    case C::ResolveConflict:
        return {_("Resolve con&flict…"), _("Choose which of the conflicting values stands.")};
    }
    return {};
}

wxArrayString staffChoices(const CaseSnapshot& s, std::vector<std::string>& ids,
    const std::function<bool(const model::Staff&)>& include)
{
    wxArrayString items;
    for (const auto& [id, member] : s.staff)
        if (member.active && include(member)) {
            ids.push_back(id);
            items.Add(wx(member.name) + " (" + wx(id) + ") — " + rolesLabel(member.roles));
        }
    return items;
}

int indexOf(const std::vector<std::string>& ids, const std::string& id, int otherwise = 0)
{
    auto it = std::find(ids.begin(), ids.end(), id);
    return it == ids.end() ? otherwise : static_cast<int>(it - ids.begin());
}

std::string trimmed(const wxString& text)
{
    return utf8(wxString(text).Strip(wxString::both));
}

} // namespace

CaseTab::CaseTab(wxWindow* parent, Shell& shell, std::string number)
    : Tab(parent, shell)
    , m_number(std::move(number))
    , m_timeline(new CaseTableModel(TimelineColumns))
    , m_materials(new CaseTableModel(MaterialColumns))
    , m_steps(new CaseTableModel(StepColumns))
    , m_ledger(new CaseTableModel(LedgerColumns))
{
    build();
    load();
}

void CaseTab::build()
{
    const int gap = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);

    // Header: number, status and deadline on one line; then applicant, matters, case.
    auto* headline = new wxBoxSizer(wxHORIZONTAL);
    m_numberLabel = new wxStaticText(this, wxID_ANY, wx(m_number));
    m_numberLabel->SetName("case-number");
    m_numberLabel->SetFont(m_numberLabel->GetFont().Bold().Scaled(1.35f));
    makeSelectable(m_numberLabel);
    headline->Add(m_numberLabel, wxSizerFlags().CentreVertical());
    m_status = new wxStaticText(this, wxID_ANY, _("Loading…"));
    m_status->SetName("case-status");
    m_status->SetFont(m_status->GetFont().Bold().Scaled(1.15f));
    headline->Add(m_status, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(16)));
    // The deadline takes the rest of the line, right-aligned; too long a text ends in "…"
    // and shows in full as a tooltip.
    m_deadline = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
        wxALIGN_RIGHT | wxST_ELLIPSIZE_END | wxST_NO_AUTORESIZE);
    m_deadline->SetName("case-deadline");
    m_deadline->SetFont(m_deadline->GetFont().Bold().Scaled(1.15f));
    m_deadline->SetMinSize(wxSize(FromDIP(120), -1));
    headline->Add(m_deadline, wxSizerFlags(1).CentreVertical().Border(wxLEFT, FromDIP(16)));
    top->Add(headline, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    auto* facts = new wxFlexGridSizer(2, FromDIP(3), FromDIP(10));
    facts->AddGrowableCol(1, 1);
    auto caption = [&](const wxString& text) {
        auto* label = new wxStaticText(this, wxID_ANY, text);
        label->SetForegroundColour(wxColour(100, 100, 100));
        facts->Add(label, wxSizerFlags().Right());
    };
    auto value = [&](const char* name) {
        auto* label = new wxStaticText(this, wxID_ANY, wxString());
        label->SetName(name);
        facts->Add(label, wxSizerFlags(1).Expand());
        return label;
    };
    caption(_("Applicant"));
    m_applicant = value("case-applicant");
    caption(_("Matters"));
    m_matters = value("case-matters");
    caption(_("Case"));
    m_caseLine = value("case-facts");
    caption(_("Clock"));
    m_deadlineDetail = value("case-clock");
    top->Add(facts, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    // The conflict banner: red and prominent, naming what conflicts and who resolves it.
    m_banner = new wxPanel(this, wxID_ANY);
    m_banner->SetName("conflict-banner");
    m_banner->SetBackgroundColour(kConflictBackground);
    auto* bannerRow = new wxBoxSizer(wxHORIZONTAL);
    m_bannerText = new wxStaticText(m_banner, wxID_ANY, wxString());
    m_bannerText->SetForegroundColour(*wxWHITE);
    m_bannerText->SetFont(m_bannerText->GetFont().Bold());
    bannerRow->Add(m_bannerText, wxSizerFlags(1).CentreVertical().Border(wxALL, gap));
    m_resolve = new wxButton(m_banner, wxID_ANY, actionText(CaseAction::ResolveConflict).label);
    m_resolve->SetToolTip(actionText(CaseAction::ResolveConflict).help);
    m_resolve->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { act(CaseAction::ResolveConflict); });
    bannerRow->Add(m_resolve, wxSizerFlags().CentreVertical().Border(wxALL, gap));
    m_banner->SetSizer(bannerRow);
    m_banner->Hide();
    top->Add(m_banner, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    // Actions: hidden when the role may not, disabled with the reason when the state may not.
    m_actionRow = new wxWrapSizer(wxHORIZONTAL);
    for (const auto& info : caseActions()) {
        if (info.action == CaseAction::ResolveConflict)
            continue; // in the banner
        const ActionText text = actionText(info.action);
        auto* button = new wxButton(this, wxID_ANY, text.label);
        button->Hide();
        button->Bind(wxEVT_BUTTON, [this, action = info.action](wxCommandEvent&) { act(action); });
        m_buttons[info.action] = button;
        m_actionRow->Add(button, wxSizerFlags().Border(wxRIGHT | wxBOTTOM, FromDIP(4)));
    }
    m_buttons[CaseAction::ResolveConflict] = m_resolve;
    top->Add(new wxStaticLine(this), wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));
    top->Add(m_actionRow, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    // The message area: the model's reason when an action is refused, or what was done.
    m_message = new wxPanel(this, wxID_ANY);
    m_message->SetName("case-message");
    auto* messageRow = new wxBoxSizer(wxHORIZONTAL);
    m_messageText = new wxStaticText(m_message, wxID_ANY, wxString());
    m_messageText->SetName("case-message-text");
    messageRow->Add(m_messageText, wxSizerFlags(1).CentreVertical().Border(wxALL, FromDIP(6)));
    m_message->SetSizer(messageRow);
    m_message->Hide();
    top->Add(m_message, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, gap));

    // Sections, Alt+1 … Alt+4.
    m_sections = new wxNotebook(this, wxID_ANY);
    m_sections->SetName("case-sections");
    m_sections->AddPage(buildTimelinePage(m_sections), _("Timeline"));
    m_materialsView = makeCaseTable(m_sections, m_materials.get(),
        {{_("Material"), 220}, {_("Form"), 90}, {_("Need"), 95}, {_("State"), 240}, {_("Required by"), 200}},
        "case-materials");
    m_sections->AddPage(m_materialsView, _("Materials"));
    m_stepsView = makeCaseTable(m_sections, m_steps.get(),
        {{_("Step"), 60}, {_("Department"), 240}, {_("Assignee"), 110}, {_("Routed"), 95}, {_("State"), 120},
            {_("Outcome"), 200}},
        "case-steps");
    m_sections->AddPage(m_stepsView, _("Steps"));
    m_sections->AddPage(buildClockPage(m_sections), _("Clock"));
    top->Add(m_sections, wxSizerFlags(1).Expand().Border(wxALL, gap));
    SetSizer(top);

    // Alt+1 … Alt+4 go to a section (the actions have their Alt+letter mnemonics); Esc
    // dismisses the message.
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        const int key = e.GetKeyCode();
        if (e.GetModifiers() == wxMOD_ALT && key >= '1' && key < '1' + SectionCount) {
            showSection(key - '1');
            return;
        }
        if (e.GetModifiers() == wxMOD_NONE && key == WXK_ESCAPE && m_message->IsShown() && !m_busy) {
            clearMessage();
            return;
        }
        e.Skip();
    });

    m_sections->Bind(wxEVT_NOTEBOOK_PAGE_CHANGED, [this](wxBookCtrlEvent& e) {
        e.Skip();
        CallAfter([this] {
            rewrap();
            // GTK lays the page out a frame later; scrolling before that would aim for
            // rows that the rewrapped summary then pushes out of sight.
            if (m_ledgerScrollPending)
                m_ledgerTimer.StartOnce(150);
        });
    });
    m_ledgerTimer.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { scrollLedger(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        CallAfter([this] { rewrap(); });
    });
}

wxWindow* CaseTab::buildTimelinePage(wxWindow* parent)
{
    auto* page = new wxPanel(parent);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_timelineView = makeCaseTable(page, m_timeline.get(),
        {{_("When"), 140}, {_("Who"), 90}, {_("What"), 190}, {_("Details"), 300}}, "case-timeline");
    sizer->Add(m_timelineView, wxSizerFlags(1).Expand());
    m_eventDetail = new wxStaticText(page, wxID_ANY, wxString());
    m_eventDetail->SetName("case-event-detail");
    m_eventDetail->SetForegroundColour(wxColour(70, 70, 70));
    sizer->Add(m_eventDetail, wxSizerFlags().Expand().Border(wxALL, FromDIP(4)));
    page->SetSizer(sizer);
    m_timelineView->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent&) { showEventDetail(); });
    return page;
}

wxWindow* CaseTab::buildClockPage(wxWindow* parent)
{
    auto* page = new wxPanel(parent);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_clockSummary = new wxStaticText(page, wxID_ANY, wxString());
    m_clockSummary->SetName("case-clock-summary");
    sizer->Add(m_clockSummary, wxSizerFlags().Expand().Border(wxALL, FromDIP(4)));
    m_ledgerView = makeCaseTable(page, m_ledger.get(),
        {{_("Date"), 95}, {_("Day"), 50}, {_("Kind of day"), 170}, {_("Effect on the clock"), 230},
            {_("Count"), 65}, {_("Note"), 200}},
        "case-ledger");
    sizer->Add(m_ledgerView, wxSizerFlags(1).Expand());
    page->SetSizer(sizer);
    return page;
}

wxString CaseTab::title() const
{
    if (!m_snapshot || m_snapshot->state.applicant.name.empty())
        return wx(m_number);
    // The surname: the first character of a Chinese name, else the first word.
    wxString name = wx(m_snapshot->state.applicant.name);
    wxString surname = name.IsAscii() ? name.BeforeFirst(' ') : name.Left(1);
    return wx(m_number) + " " + surname;
}

void CaseTab::load()
{
    if (m_loading) {
        m_reloadWanted = true; // once the one in flight is shown
        return;
    }
    m_loading = true;
    runAsync<std::optional<CaseSnapshot>>(
        session(), liveness(), [number = m_number](client::Backend& b) { return loadSnapshot(b, number); },
        [this](std::optional<CaseSnapshot> snapshot) {
            m_loading = false;
            if (!snapshot) {
                m_status->SetLabel(wxString::Format(_("There is no case %s."), wx(m_number)));
                m_status->SetForegroundColour(toneColour(Tone::Bad));
            } else {
                show(std::move(*snapshot));
            }
            if (std::exchange(m_reloadWanted, false))
                load();
        },
        [this](const std::string& message) {
            m_loading = false;
            showMessage(wx(message), Message::Refused);
            if (std::exchange(m_reloadWanted, false))
                load();
        });
}

void CaseTab::show(CaseSnapshot snapshot)
{
    m_snapshot = std::move(snapshot);
    Freeze();
    showHeader();
    showConflict();
    updateActions();
    showSections();
    Layout();
    rewrap();
    Thaw();
    shell().retitle(*this);
    shell().caseShown(m_number);
}

void CaseTab::showHeader()
{
    const auto& s = *m_snapshot;
    if (s.state.inConflict()) {
        // TRANSLATORS: the status of a case whose decision or assignment is in conflict.
        m_status->SetLabel(wxString::Format(_("%s (in conflict)"), statusLabel(s.state.status)));
        m_status->SetForegroundColour(kConflictBackground);
    } else {
        m_status->SetLabel(statusLabel(s.state.status));
        m_status->SetForegroundColour(statusColour(s.state.status));
    }
    const Headline deadline = deadlineHeadline(s);
    m_deadline->SetLabel(deadline.text);
    m_deadline->SetToolTip(deadline.text);
    m_deadline->SetForegroundColour(toneColour(deadline.tone));
    setWrapped(m_applicant, applicantLine(s));
    setWrapped(m_matters, mattersLine(s));
    setWrapped(m_caseLine, caseLine(s));
    setWrapped(m_deadlineDetail, deadline.detail);
}

void CaseTab::showConflict()
{
    const wxString text = conflictText(*m_snapshot);
    if (text.empty()) {
        m_banner->Hide();
        return;
    }
    setWrapped(m_bannerText, text);
    m_banner->Show();
}

void CaseTab::updateActions()
{
    if (!m_snapshot)
        return;
    const auto& s = *m_snapshot;
    for (const auto& info : caseActions()) {
        wxButton* button = m_buttons[info.action];
        const bool mayRole = s.allowed.count(info.permission) > 0;
        if (info.action == CaseAction::ResolveConflict) {
            button->Show(mayRole && s.state.inConflict());
            button->Enable(!m_busy);
            continue;
        }
        button->Show(mayRole);
        if (!mayRole)
            continue;
        const wxString why = stateRefusal(info.action, s.state, s.user);
        button->Enable(why.empty() && !m_busy);
        button->SetToolTip(why.empty() ? actionText(info.action).help : why);
    }
    m_actionRow->Layout();
}

void CaseTab::showSections()
{
    const auto& s = *m_snapshot;
    m_timeline->setRows(timelineRows(s));
    m_materials->setRows(materialRows(s));
    m_steps->setRows(stepRows(s));
    m_ledger->setRows(ledgerRows(s));
    setWrapped(m_clockSummary, clockSummary(s));
    showEventDetail();

    // TRANSLATORS: a section of the case tab with its number of rows, e.g. "Timeline (12)".
    m_sections->SetPageText(Timeline, wxString::Format(_("Timeline (%u)"), m_timeline->size()));
    m_sections->SetPageText(Materials, wxString::Format(_("Materials (%u)"), m_materials->size()));
    m_sections->SetPageText(Steps, wxString::Format(_("Steps (%u)"), m_steps->size()));

    if (!m_scrolledOnce) {
        // First view: the latest event, and today's (or the deadline's) line of the ledger.
        m_scrolledOnce = true;
        // The keyboard starts in the timeline, unless the user has gone on elsewhere
        // (focus left in a hidden tab, on the tab strip or nowhere counts as not).
        wxWindow* focus = FindFocus();
        const bool ours = focus && (focus == this || IsDescendant(focus));
        const bool adrift = !focus || !focus->IsShownOnScreen() || focus == GetParent()
            || focus->GetParent() == GetParent();
        if (IsShownOnScreen() && (ours || adrift)) {
            // wxGTK can believe a control has the focus that GTK moved elsewhere when the
            // "Open case" dialog closed; passing it through another control puts both in step.
            m_sections->SetFocus();
            m_timelineView->SetFocus();
        }
        if (m_timeline->size() > 0)
            m_timelineView->EnsureVisible(m_timeline->GetItem(m_timeline->size() - 1));
    }
    if (m_ledgerScrollPending && m_ledgerView->IsShownOnScreen())
        m_ledgerTimer.StartOnce(150);
}

void CaseTab::scrollLedger()
{
    // Once, when the ledger is first on screen: today's line with a few below it, else the
    // deadline's. (wxGTK scrolls at idle time, to the last row asked for: one request only.)
    if (!m_ledgerScrollPending || !m_snapshot || !m_ledgerView->IsShownOnScreen() || m_ledger->size() == 0)
        return;
    m_ledgerScrollPending = false;
    const std::string today = m_snapshot->today.iso();
    std::optional<unsigned int> target;
    for (unsigned int i = 0; i < m_ledger->size(); ++i) {
        if (m_ledger->row(i)->key == today) {
            target = std::min(i + 6, m_ledger->size() - 1);
            break;
        }
        if (m_ledger->row(i)->tone == Tone::Highlight)
            target = i;
    }
    if (target)
        m_ledgerView->EnsureVisible(m_ledger->GetItem(*target));
}

void CaseTab::showEventDetail()
{
    if (!m_snapshot)
        return;
    const std::string key = selectedKey(m_timelineView, *m_timeline);
    const wxString text = key.empty() ? wxString(_("Select an event to read it in full."))
                                      : eventDescription(*m_snapshot, key);
    setWrapped(m_eventDetail, text);
    m_eventDetail->GetParent()->Layout();
    rewrap();
}

void CaseTab::showSection(int section)
{
    if (section < 0 || section >= SectionCount)
        return;
    m_sections->SetSelection(static_cast<size_t>(section));
    wxWindow* views[] = {m_timelineView, m_materialsView, m_stepsView, m_ledgerView};
    views[section]->SetFocus();
}

void CaseTab::setWrapped(wxStaticText* label, const wxString& text)
{
    m_wrapped[label] = text;
    label->SetLabel(text);
}

void CaseTab::rewrap()
{
    std::set<wxWindow*> parents;
    for (auto& [label, text] : m_wrapped) {
        if (!label->IsShownOnScreen())
            continue;
        const wxRect own = label->GetRect();
        int width = label->GetParent()->GetClientSize().GetWidth() - own.x - FromDIP(12);
        // Leave room for what stands beside the label (the banner's button).
        for (const wxWindow* sibling : label->GetParent()->GetChildren()) {
            const wxRect r = sibling->GetRect();
            if (sibling != label && sibling->IsShown() && r.x > own.x && r.y < own.GetBottom()
                && r.GetBottom() > own.y)
                width -= r.width + FromDIP(8);
        }
        if (width < FromDIP(100))
            continue;
        const wxString before = label->GetLabel();
        label->SetLabel(text);
        label->Wrap(width);
        if (label->GetLabel() != before)
            parents.insert(label->GetParent());
    }
    if (parents.empty())
        return;
    parents.erase(this);
    for (auto* parent : parents)
        parent->Layout();
    Layout();
}

void CaseTab::showMessage(const wxString& text, Message kind)
{
    const bool refused = kind == Message::Refused;
    m_message->SetBackgroundColour(refused ? kRefusedBackground
            : kind == Message::Done        ? kDoneBackground
                                           : GetBackgroundColour());
    m_messageText->SetForegroundColour(refused ? kRefusedText
            : kind == Message::Done            ? kDoneText
                                               : GetForegroundColour());
    m_messageText->SetFont(refused ? GetFont().Bold() : GetFont());
    setWrapped(m_messageText, text);
    m_message->Show();
    Layout();
    rewrap();
    m_message->Refresh();
}

void CaseTab::clearMessage()
{
    m_wrapped.erase(m_messageText);
    m_message->Hide();
    Layout();
}

void CaseTab::perform(CaseAction action, const wxString& done, std::function<void(client::Backend&)> write)
{
    struct Outcome {
        std::optional<model::DomainError> refusal;
    };
    const std::string name = [&] {
        for (const auto& info : caseActions())
            if (info.action == action)
                return model::toString(info.permission);
        return std::string("?");
    }();
    m_busy = true;
    updateActions();
    showMessage(_("Saving…"), Message::Info);
    runAsync<Outcome>(
        session(), liveness(),
        [write = std::move(write)](client::Backend& b) {
            Outcome outcome;
            try {
                write(b);
            } catch (const model::DomainError& e) {
                outcome.refusal = e;
            }
            return outcome;
        },
        [this, done, name](Outcome outcome) {
            m_busy = false;
            if (outcome.refusal) {
                spdlog::info("action refused: {} ({} on {})", outcome.refusal->code(), name, m_number);
                showMessage(describe(*outcome.refusal), Message::Refused);
                shell().showStatus(describe(*outcome.refusal));
                load(); // the case may have moved on since it was shown: show what it is now
                return;
            }
            spdlog::info("action done: {} on {}", name, m_number);
            showMessage(done, Message::Done);
            shell().showStatus(done);
            shell().dataChanged(); // reloads this tab with the rest
        },
        [this](const std::string& message) {
            m_busy = false;
            showMessage(wx(message), Message::Refused);
            updateActions();
        });
}

void CaseTab::act(CaseAction action)
{
    if (!m_snapshot || m_busy)
        return;
    using C = CaseAction;
    switch (action) {
    case C::Accept:
        return accept();
    case C::Refuse:
        return refuse();
    case C::Route:
        return routeStep();
    case C::CompleteStep:
        return completeStep();
    case C::ReceiveMaterials:
        return receiveMaterials();
    case C::Correction:
        return recordCorrection();
    case C::Suspend:
        return suspend();
    case C::Resume:
        return resume();
    case C::Extend:
        return extend();
    case C::Conclude:
        return conclude();
    case C::Deliver:
        return deliver();
    case C::Close:
        return closeCase();
    case C::Withdraw:
        return withdraw();
    case C::Terminate:
        return terminate();
    case C::Assign:
        return assign();
    case C::AddNote:
        return addNote();
    case C::ResolveConflict:
        return resolveConflict();
    }
}

void CaseTab::accept()
{
    const auto s = *m_snapshot;
    std::vector<wxString> limits;
    for (const auto& m : s.state.matters)
        limits.push_back(localName(m.nameZh, m.nameEn) + ": " + limitText(m.promisedLimit));
    ActionDialog d(this, _("Accept the application"),
        _("Accept the application (受理). The promised time limit counts from the day after today."),
        _("Acc&ept"));
    wxString text;
    for (const auto& l : limits)
        text += (text.empty() ? wxString() : wxString("\n")) + l;
    d.addInfo(_("Time limits:"), text);
    if (!d.run())
        return;
    perform(CaseAction::Accept, _("The application is accepted; the clock runs."),
        [number = m_number](client::Backend& b) { b.intake().accept(b.user().id, number); });
}

void CaseTab::refuse()
{
    ActionDialog d(this, _("Refuse the application"),
        _("Refuse to accept (不予受理). The refusal notice gives the applicant the reason, the legal basis "
          "and "
          "the remedies (administrative reconsideration, litigation)."),
        _("Re&fuse"));
    auto* reason = d.addText(_("Reason:"), wxString(), true);
    auto* basis = d.addText(_("Legal basis:"), wxString());
    d.requireText(reason, _("Give the reason."));
    if (!d.run())
        return;
    const std::string why = trimmed(reason->GetValue());
    const std::string law = trimmed(basis->GetValue());
    perform(CaseAction::Refuse, _("The application is refused."),
        [number = m_number, why, law](
            client::Backend& b) { b.intake().refuse(b.user().id, number, why, law); });
}

void CaseTab::routeStep()
{
    const auto s = *m_snapshot;
    ActionDialog d(this, _("Route a step"),
        _("Send the case to a back-office step. The case goes into review until the step's department "
          "completes it."),
        _("&Route"));
    auto* step = d.addText(_("Step:"), wx(nextStepId(s.state)));
    wxArrayString departments;
    for (const auto& m : s.state.matters)
        if (departments.Index(wx(m.department)) == wxNOT_FOUND && !m.department.empty())
            departments.Add(wx(m.department));
    auto* department
        = d.addCombo(_("Department:"), departments, departments.empty() ? wxString() : departments[0]);
    std::vector<std::string> ids{""};
    wxArrayString names;
    names.Add(_("(anyone in the department)"));
    for (const auto& item :
        staffChoices(s, ids, [](const model::Staff& m) { return m.roles.count(model::Role::Reviewer) > 0; }))
        names.Add(item);
    auto* assignee = d.addChoice(_("Assignee:"), names, ids.size() > 1 ? 1 : 0);
    d.setCheck([&]() -> wxString {
        const std::string id = trimmed(step->GetValue());
        if (id.empty())
            return _("Name the step.");
        if (s.state.step(id))
            return wxString::Format(_("The case already has a step %s."), wx(id));
        if (trimmed(department->GetValue()).empty())
            return _("Name the department.");
        return {};
    });
    if (!d.run())
        return;
    const std::string stepId = trimmed(step->GetValue());
    const std::string dept = trimmed(department->GetValue());
    const std::string who = ids[static_cast<std::size_t>(std::max(0, assignee->GetSelection()))];
    perform(CaseAction::Route, wxString::Format(_("Step %s routed to %s."), wx(stepId), wx(dept)),
        [number = m_number, stepId, dept, who](
            client::Backend& b) { b.work().route(b.user().id, number, stepId, dept, who); });
}

void CaseTab::completeStep()
{
    const auto s = *m_snapshot;
    const auto open = openSteps(s.state);
    wxArrayString items;
    int selection = 0;
    const std::string selected = selectedKey(m_stepsView, *m_steps);
    for (std::size_t i = 0; i < open.size(); ++i) {
        const auto* st = open[i];
        items.Add(wx(st->id) + " — " + wx(st->department)
            + (st->assignee.empty() ? wxString() : " — " + staffName(s, st->assignee)));
        if (st->id == selected || (selected.empty() && st->assignee == s.user))
            selection = static_cast<int>(i);
    }
    ActionDialog d(this, _("Complete a step"), _("Record the outcome of the step's review."), _("Co&mplete"));
    auto* step = d.addChoice(_("Step:"), items, selection);
    wxArrayString outcomes;
    outcomes.Add(_("agreed"));
    outcomes.Add(_("agreed with conditions"));
    outcomes.Add(_("not agreed"));
    auto* outcome = d.addCombo(_("Outcome:"), outcomes, wxString());
    d.startIn(outcome);
    d.setCheck([&]() -> wxString {
        if (step->GetSelection() == wxNOT_FOUND)
            return _("Choose the step.");
        if (trimmed(outcome->GetValue()).empty())
            return _("Record the outcome.");
        return {};
    });
    if (!d.run() || step->GetSelection() == wxNOT_FOUND)
        return;
    const std::string stepId = open[static_cast<std::size_t>(step->GetSelection())]->id;
    const std::string text = trimmed(outcome->GetValue());
    perform(CaseAction::CompleteStep, wxString::Format(_("Step %s completed."), wx(stepId)),
        [number = m_number, stepId, text](
            client::Backend& b) { b.work().completeStep(b.user().id, number, stepId, text); });
}

void CaseTab::receiveMaterials()
{
    const auto s = *m_snapshot;
    const auto owed = outstandingMaterials(s.state);
    wxArrayString items;
    for (const auto* m : owed)
        items.Add(localName(m->nameZh, m->nameEn));
    ActionDialog d(this, _("Receive materials"),
        _("Tick the materials the applicant handed in. Materials owed under acceptance with deficiencies "
          "are cleared as they arrive."),
        _("&Receive"));
    auto* list = d.addChecklist(_("Materials:"), items);
    d.setCheck([&]() -> wxString {
        wxArrayInt checked;
        return list->GetCheckedItems(checked) == 0 ? wxString(_("Tick at least one material.")) : wxString();
    });
    if (!d.run())
        return;
    std::vector<std::string> codes;
    for (unsigned int i = 0; i < list->GetCount(); ++i)
        if (list->IsChecked(i))
            codes.push_back(owed[i]->code);
    perform(CaseAction::ReceiveMaterials,
        wxString::Format(wxPLURAL("%zu material received.", "%zu materials received.",
                             static_cast<unsigned>(codes.size())),
            codes.size()),
        [number = m_number, codes](
            client::Backend& b) { b.intake().receiveMaterials(b.user().id, number, codes); });
}

void CaseTab::recordCorrection()
{
    const auto s = *m_snapshot;
    const auto owed = outstandingMaterials(s.state);
    wxArrayString items;
    for (const auto* m : owed)
        items.Add(localName(m->nameZh, m->nameEn));
    ActionDialog d(this, _("Correction visit"),
        _("The applicant came back after the one-time notice (补正). Tick what they brought; the case "
          "returns to intake, to be accepted or refused."),
        _("&Record visit"));
    std::vector<wxString> asked;
    for (const auto& item : s.state.noticeItems) {
        const auto* m = s.state.material(item);
        asked.push_back(m ? localName(m->nameZh, m->nameEn) : wx(item));
    }
    wxString askedText;
    for (const auto& a : asked)
        askedText += (askedText.empty() ? wxString() : wxString(_(", "))) + a;
    d.addInfo(_("The notice asked for:"), askedText);
    auto* list = d.addChecklist(_("Brought:"), items);
    for (unsigned int i = 0; i < owed.size(); ++i)
        if (std::find(s.state.noticeItems.begin(), s.state.noticeItems.end(), owed[i]->code)
            != s.state.noticeItems.end())
            list->Check(i);
    if (!d.run())
        return;
    std::vector<std::string> codes;
    for (unsigned int i = 0; i < list->GetCount(); ++i)
        if (list->IsChecked(i))
            codes.push_back(owed[i]->code);
    perform(CaseAction::Correction, _("Correction visit recorded; the case is back at intake."),
        [number = m_number, codes](
            client::Backend& b) { b.intake().recordCorrection(b.user().id, number, codes); });
}

void CaseTab::suspend()
{
    ActionDialog d(this, _("Suspend the case"),
        _("The clock stops from today until the case is resumed. Days of corrections, hearings, expert "
          "reviews, inspections or public notice do not count toward the time limit."),
        _("&Suspend"));
    wxArrayString reasons;
    reasons.Add(_("waiting for the applicant's corrections"));
    reasons.Add(_("expert review"));
    reasons.Add(_("site inspection"));
    reasons.Add(_("hearing"));
    reasons.Add(_("public notice period"));
    auto* reason = d.addCombo(_("Reason:"), reasons, wxString());
    d.requireText(reason, _("Give the reason."));
    if (!d.run())
        return;
    const std::string why = trimmed(reason->GetValue());
    perform(CaseAction::Suspend, _("The case is suspended; the clock stands still."),
        [number = m_number, why](client::Backend& b) { b.work().suspend(b.user().id, number, why); });
}

void CaseTab::resume()
{
    const auto s = *m_snapshot;
    ActionDialog d(this, _("Resume the case"), _("The clock starts again from today."), _("Res&ume"));
    if (const auto* open = s.state.openSuspension())
        d.addInfo(_("Suspended since:"), wx(open->from.iso()) + " — " + wx(open->reason));
    if (!d.run())
        return;
    perform(CaseAction::Resume, _("The case is resumed; the clock runs again."),
        [number = m_number](client::Backend& b) { b.work().resume(b.user().id, number); });
}

void CaseTab::extend()
{
    const auto s = *m_snapshot;
    ActionDialog d(this, _("Extend the time limit"),
        _("An extension (延期) needs approval, and a case is extended once at most. The days are added after "
          "the current deadline."),
        _("&Approve extension"));
    auto* days = d.addSpin(_("Days:"), 1, 365, 10);
    wxArrayString kinds;
    kinds.Add(_("working days"));
    kinds.Add(_("calendar days"));
    auto* kind = d.addChoice(_("Counted in:"), kinds, 0);
    auto* reason = d.addText(_("Reason:"), wxString());
    d.startIn(reason);
    std::vector<std::string> ids;
    const wxArrayString names = staffChoices(s, ids, [](const model::Staff&) { return true; });
    auto* requester = d.addChoice(_("Requested by:"), names, indexOf(ids, s.state.assignee));
    // TRANSLATORS: the approver of an extension: the user's name and account.
    d.addInfo(_("Approved by:"), wxString::Format(_("you, %s (%s)"), staffName(s, s.user), wx(s.user)));
    d.setCheck([&]() -> wxString {
        if (trimmed(reason->GetValue()).empty())
            return _("Give the reason.");
        if (requester->GetSelection() == wxNOT_FOUND)
            return _("Choose who asked for the extension.");
        return {};
    });
    if (!d.run() || requester->GetSelection() == wxNOT_FOUND)
        return;
    const model::TimeLimit extra{days->GetValue(),
        kind->GetSelection() == 1 ? model::DayCounting::Calendar : model::DayCounting::Working};
    const std::string why = trimmed(reason->GetValue());
    const std::string requestedBy = ids[static_cast<std::size_t>(requester->GetSelection())];
    perform(CaseAction::Extend, _("Extension approved; the deadline moves."),
        [number = m_number, extra, why, requestedBy](
            client::Backend& b) { b.work().extend(b.user().id, number, extra, why, requestedBy); });
}

void CaseTab::conclude()
{
    const auto s = *m_snapshot;
    ActionDialog d(this, _("Conclude the case"),
        _("Decide the application. A denial needs its reason, which the applicant receives."),
        _("Co&nclude"));
    wxArrayString outcomes;
    outcomes.Add(_("Approve (准予)"));
    outcomes.Add(_("Deny (不予许可)"));
    const bool mayApprove = s.state.deficiencies.empty();
    auto* outcome = d.addRadio(_("Decision:"), outcomes, mayApprove ? 0 : 1);
    if (!mayApprove) {
        outcome->Enable(0, false);
        std::vector<std::string> owed = s.state.deficiencies;
        wxString names;
        for (const auto& code : owed) {
            const auto* m = s.state.material(code);
            names += (names.empty() ? wxString() : wxString(_(", ")))
                + (m ? localName(m->nameZh, m->nameEn) : wx(code));
        }
        d.addInfo(_("Approval waits for:"), names);
    }
    auto* reason = d.addText(_("Reason:"), wxString(), true);
    if (!mayApprove)
        d.startIn(reason);
    d.setCheck([&]() -> wxString {
        if (outcome->GetSelection() == 1 && trimmed(reason->GetValue()).empty())
            return _("A denial needs its reason.");
        return {};
    });
    if (!d.run())
        return;
    const bool approved = outcome->GetSelection() == 0;
    const std::string why = trimmed(reason->GetValue());
    perform(CaseAction::Conclude,
        approved ? _("The application is approved.") : _("The application is denied."),
        [number = m_number, approved, why](
            client::Backend& b) { b.work().conclude(b.user().id, number, approved, why); });
}

void CaseTab::deliver()
{
    const auto s = *m_snapshot;
    ActionDialog d(
        this, _("Deliver the result"), _("Record how the result reached the applicant."), _("&Deliver"));
    const std::vector<model::DeliveryMethod> methods = {
        model::DeliveryMethod::PickUpAtWindow, model::DeliveryMethod::Post, model::DeliveryMethod::ELicence};
    wxArrayString items;
    int selection = 0;
    for (std::size_t i = 0; i < methods.size(); ++i) {
        items.Add(deliveryLabel(methods[i]));
        if (methods[i] == s.state.applicant.delivery)
            selection = static_cast<int>(i);
    }
    d.addInfo(_("Result:"), statusLabel(s.state.status));
    auto* method = d.addChoice(_("Method:"), items, selection);
    if (!s.state.applicant.postalAddress.empty())
        d.addInfo(_("Postal address:"), wx(s.state.applicant.postalAddress));
    if (!d.run() || method->GetSelection() == wxNOT_FOUND)
        return;
    const std::string how = model::toString(methods[static_cast<std::size_t>(method->GetSelection())]);
    perform(CaseAction::Deliver, _("Delivery recorded."),
        [number = m_number, how](client::Backend& b) { b.work().deliver(b.user().id, number, how); });
}

void CaseTab::closeCase()
{
    ActionDialog d(this, _("Close the case"),
        _("Archive the finished case. Afterwards only notes, ratings and reprints of documents can be "
          "added."),
        _("C&lose case"));
    if (!d.run())
        return;
    perform(CaseAction::Close, _("The case is closed."),
        [number = m_number](client::Backend& b) { b.work().close(b.user().id, number); });
}

void CaseTab::withdraw()
{
    ActionDialog d(this, _("Withdraw the application"),
        _("The applicant withdraws the application. This ends the case."), _("&Withdraw"));
    wxArrayString reasons;
    reasons.Add(_("at the applicant's request"));
    auto* reason = d.addCombo(_("Reason:"), reasons, wxString());
    d.requireText(reason, _("Give the reason."));
    if (!d.run())
        return;
    const std::string why = trimmed(reason->GetValue());
    perform(CaseAction::Withdraw, _("The application is withdrawn."),
        [number = m_number, why](client::Backend& b) { b.work().withdraw(b.user().id, number, why); });
}

void CaseTab::terminate()
{
    ActionDialog d(this, _("Terminate the procedure"),
        _("Terminating (终止) ends the case without a decision, e.g. when the legal basis has lapsed. It "
          "cannot "
          "be undone."),
        _("&Terminate"));
    auto* reason = d.addText(_("Reason:"), wxString(), true);
    d.requireText(reason, _("Give the reason."));
    if (!d.run())
        return;
    const std::string why = trimmed(reason->GetValue());
    perform(CaseAction::Terminate, _("The procedure is terminated."),
        [number = m_number, why](client::Backend& b) { b.work().terminate(b.user().id, number, why); });
}

void CaseTab::assign()
{
    const auto s = *m_snapshot;
    ActionDialog d(this, _("Assign the case"), _("Give the case to another member of staff."), _("Assi&gn"));
    std::vector<std::string> ids;
    const wxArrayString names = staffChoices(s, ids, [](const model::Staff& m) {
        return m.roles.count(model::Role::WindowStaff) > 0 || m.roles.count(model::Role::Reviewer) > 0;
    });
    auto* who = d.addChoice(_("Assignee:"), names, indexOf(ids, s.state.assignee));
    auto* window = d.addText(_("Window:"), wx(s.state.window));
    if (!d.run() || who->GetSelection() == wxNOT_FOUND)
        return;
    const std::string assignee = ids[static_cast<std::size_t>(who->GetSelection())];
    const std::string at = trimmed(window->GetValue());
    perform(CaseAction::Assign, wxString::Format(_("Assigned to %s."), staffName(s, assignee)),
        [number = m_number, assignee, at](
            client::Backend& b) { b.work().assign(b.user().id, number, assignee, at); });
}

void CaseTab::addNote()
{
    ActionDialog d(this, _("Add a note"), _("The note joins the case's history; it cannot be changed later."),
        _("&Save note"));
    auto* text = d.addText(_("Note:"), wxString(), true);
    d.requireText(text, _("Write the note."));
    if (!d.run())
        return;
    const std::string note = trimmed(text->GetValue());
    perform(CaseAction::AddNote, _("Note added."),
        [number = m_number, note](client::Backend& b) { b.work().addNote(b.user().id, number, note); });
}

void CaseTab::resolveConflict()
{
    const auto s = *m_snapshot;
    if (!s.state.inConflict())
        return;
    const auto& conflict = s.state.conflicts.front();
    ActionDialog d(this, _("Resolve the conflict"),
        wxString::Format(_("Two workstations changed %s differently while they could not see each other. "
                           "Choose the value that stands; the other stays in the history, marked overruled."),
            conflictGroupLabel(conflict.group)),
        _("&Keep this value"));
    wxArrayString items;
    for (const auto& c : conflict.candidates)
        items.Add(candidateText(s, c));
    auto* choice = d.addRadio(_("Keep:"), items, 0);
    if (!d.run())
        return;
    const std::string group = conflict.group;
    const std::string chosen = conflict.candidates[static_cast<std::size_t>(choice->GetSelection())].eventId;
    perform(CaseAction::ResolveConflict, _("The conflict is resolved."),
        [number = m_number, group, chosen](
            client::Backend& b) { b.work().resolveConflict(b.user().id, number, group, chosen); });
}

} // namespace ow::gui
