#include "ConsoleTab.h"

#include "model/Error.h"

#include "CaseDialogs.h"
#include "Text.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <wx/button.h>
#include <wx/combobox.h>
#include <wx/dataobj.h>
#include <wx/dataview.h>
#include <wx/intl.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/time.h>
#include <wx/wupdlock.h>

namespace ow::gui {

namespace {

const wxColour kRefusedText(140, 0, 20);
const wxColour kDoneText(0, 90, 30);

std::int64_t nowMs()
{
    return wxGetUTCTimeMillis().GetValue();
}

// The first word of a picker field ("W03 3号窗口 · B" → "W03"), as typed or chosen.
std::string firstWord(const wxString& text)
{
    wxString t = text;
    t.Trim(false).Trim(true);
    return utf8(t.BeforeFirst(' '));
}

bool sameCode(const std::string& a, const std::string& b)
{
    return wx(a).IsSameAs(wx(b), false);
}

// Tab goes from picker field to picker field, then to the dialog's OK button, rather
// than to each field's own drop-down button (which GTK puts in the focus chain).
void chainFields(wxWindow* dialog, const std::vector<wxComboBox*>& fields)
{
    for (std::size_t i = 0; i < fields.size(); ++i)
        fields[i]->Bind(wxEVT_KEY_DOWN, [dialog, fields, i](wxKeyEvent& e) {
            if (e.GetKeyCode() != WXK_TAB || e.ControlDown() || e.AltDown()) {
                e.Skip();
                return;
            }
            wxWindow* next = nullptr;
            if (e.ShiftDown())
                next = i > 0 ? fields[i - 1] : nullptr;
            else
                next = i + 1 < fields.size() ? fields[i + 1] : dialog->FindWindow(wxID_OK);
            if (next && next->IsEnabled())
                next->SetFocus();
            else
                e.Skip();
        });
}

// A staff member given by account or by name, as typed or chosen; "" when unknown.
std::string staffFrom(const FloorData& f, const wxString& text)
{
    const std::string word = firstWord(text);
    if (word.empty())
        return {};
    for (const auto& [id, member] : f.staff)
        if (sameCode(id, word) || member.name == word)
            return id;
    return {};
}

wxStaticText* heading(wxWindow* parent, const wxString& text, const char* name)
{
    auto* label = new wxStaticText(parent, wxID_ANY, text);
    label->SetName(name);
    label->SetFont(label->GetFont().Bold());
    return label;
}

std::string selectedKeyOf(wxDataViewCtrl* view)
{
    return selectedKey(view, *static_cast<CaseTableModel*>(view->GetModel()));
}

// Selects the row standing for `key` again after the rows changed; when it is gone,
// nothing stays selected (rather than whatever took its place).
void selectKey(wxDataViewCtrl* view, const std::string& key)
{
    if (key.empty())
        return;
    auto* model = static_cast<CaseTableModel*>(view->GetModel());
    for (unsigned int i = 0; i < model->size(); ++i)
        if (model->row(i)->key == key) {
            if (view->GetSelection() != model->GetItem(i))
                view->Select(model->GetItem(i));
            return;
        }
    view->UnselectAll();
}

// One candidate value in words: the kind of change, its value (the timeline's details:
// "approved", "denied: <reason>", "王芳 at window W03"), who made it and when.
struct CandidateView {
    wxString what;
    wxString value;
    wxString who;
    wxString when;
};

CandidateView candidateView(const CaseSnapshot& s, const model::ConflictCandidate& c)
{
    CandidateView v;
    v.what = eventLabel(c.type);
    v.who = wxString::Format(_("%s (%s)"), staffName(s, c.actor), wx(c.actor));
    for (const auto& row : timelineRows(s))
        if (row.key == c.eventId) {
            v.when = row.cells[TlWhen];
            v.value = row.cells[TlDetails];
        }
    return v;
}

} // namespace

ConsoleTab::ConsoleTab(wxWindow* parent, Shell& shell)
    : Tab(parent, shell)
    , m_floorModel(new CaseTableModel(FloorColumns))
    , m_categoryModel(new CaseTableModel(CategoryColumns))
    , m_ticketModel(new CaseTableModel(TicketColumns))
    , m_riskModel(new CaseTableModel(RiskColumns))
    , m_conflictModel(new CaseTableModel(ConflictColumns))
    , m_clock(this)
{
    SetName("console");
    const int gap = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);

    // The actions, with the message line beside them.
    auto* actions = new wxBoxSizer(wxHORIZONTAL);
    m_move = new wxButton(this, wxID_ANY, _("&Move ticket…"));
    m_move->SetName("console.move");
    m_move->SetToolTip(_("Move the selected waiting ticket, or the ticket served at the selected window, to "
                         "another window or colleague (Enter in the list; or drag it onto a window)."));
    m_assign = new wxButton(this, wxID_ANY, _("A&ssign case…"));
    m_assign->SetName("console.assign");
    m_assign->SetToolTip(
        _("Assign the selected case to a staff member and window (Enter in the list; or drag "
          "it onto a window to give it to whoever serves there)."));
    m_open = new wxButton(this, wxID_ANY, _("&Open case"));
    m_open->SetName("console.open");
    actions->Add(m_move, wxSizerFlags().CentreVertical());
    actions->Add(m_assign, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(4)));
    actions->Add(m_open, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(4)));
    m_message
        = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END);
    m_message->SetName("console.message");
    actions->Add(m_message, wxSizerFlags(1).CentreVertical().Border(wxLEFT, gap * 2));
    top->Add(actions, wxSizerFlags().Expand().Border(wxALL, gap));

    // The floor and the queue above, the cases below; each row shares its width as its
    // tables need it.
    auto* upper = new wxBoxSizer(wxHORIZONTAL);
    auto* lower = new wxBoxSizer(wxHORIZONTAL);

    auto* floor = new wxBoxSizer(wxVERTICAL);
    // The floor's heading sums it up: how many of the open windows are serving.
    m_summary = heading(this, _("Loading…"), "console.summary");
    floor->Add(m_summary, wxSizerFlags().Border(wxBOTTOM, FromDIP(4)));
    m_floor = addTable(this, floor, m_floorModel.get(),
        {{_("Window"), 64}, {_("Name"), 74}, {_("Serves"), 60}, {_("Staff"), 84}, {_("Ticket"), 60},
            {_("Time"), 100}},
        "console.floor", 1);
    upper->Add(floor, wxSizerFlags(53).Expand().Border(wxRIGHT, gap));

    auto* queue = new wxBoxSizer(wxVERTICAL);
    queue->Add(heading(this, _("Queue by category"), "console.queueHeading"),
        wxSizerFlags().Border(wxBOTTOM, FromDIP(4)));
    m_categories = addTable(this, queue, m_categoryModel.get(),
        {{_("Category"), 128}, {_("Waiting"), 60}, {_("Longest"), 62}, {_("Newcomer"), 74},
            {_("Windows"), 66}},
        "console.categories", 0);
    m_categories->SetMinSize(wxSize(-1, FromDIP(178)));
    m_ticketsHeading = heading(this, _("Waiting tickets"), "console.ticketsHeading");
    queue->Add(m_ticketsHeading, wxSizerFlags().Border(wxTOP | wxBOTTOM, FromDIP(4)));
    m_tickets = addTable(this, queue, m_ticketModel.get(),
        {{_("Ticket"), 60}, {_("Category"), 76}, {_("Priority"), 76}, {_("Waited"), 66},
            {_("Directed to"), 110}},
        "console.tickets", 1);
    upper->Add(queue, wxSizerFlags(47).Expand().Border(wxLEFT, gap));

    auto* risk = new wxBoxSizer(wxVERTICAL);
    m_riskHeading = heading(this, _("Overdue and due within 2 working days"), "console.riskHeading");
    risk->Add(m_riskHeading, wxSizerFlags().Border(wxBOTTOM, FromDIP(4)));
    m_risk = addTable(this, risk, m_riskModel.get(),
        {{_("Case number"), 178}, {_("Applicant"), 56}, {_("Assignee"), 56}, {_("Deadline"), 130}},
        "console.risk", 1);
    lower->Add(risk, wxSizerFlags(52).Expand().Border(wxRIGHT, gap));

    auto* conflicts = new wxBoxSizer(wxVERTICAL);
    m_conflictsHeading = heading(this, _("Conflicts"), "console.conflictsHeading");
    conflicts->Add(m_conflictsHeading, wxSizerFlags().Border(wxBOTTOM, FromDIP(4)));
    m_conflicts = addTable(this, conflicts, m_conflictModel.get(),
        {{_("Case number"), 178}, {_("Applicant"), 66}, {_("Status"), 90}, {_("Assignee"), 66}},
        "console.conflicts", 0);
    m_conflicts->SetMinSize(wxSize(-1, FromDIP(76)));
    m_candidates
        = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxHSCROLL);
    m_candidates->SetName("console.candidates");
    m_candidates->SetScrollRate(FromDIP(8), FromDIP(8));
    m_candidates->SetSizer(new wxBoxSizer(wxVERTICAL));
    conflicts->Add(m_candidates, wxSizerFlags(1).Expand().Border(wxTOP, FromDIP(2)));
    lower->Add(conflicts, wxSizerFlags(48).Expand().Border(wxLEFT, gap));

    top->Add(upper, wxSizerFlags(5).Expand().Border(wxLEFT | wxRIGHT, gap));
    top->AddSpacer(gap * 2);
    top->Add(lower, wxSizerFlags(4).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, gap));
    SetSizer(top);

    // Which ticket or case the buttons act on: the list used last.
    m_floor->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent& e) {
        if (!m_applying)
            m_ticketSource = Source::Floor;
        e.Skip();
    });
    m_tickets->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent& e) {
        if (!m_applying)
            m_ticketSource = Source::Tickets;
        e.Skip();
    });
    m_risk->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent& e) {
        if (!m_applying)
            m_caseSource = Source::Risk;
        e.Skip();
    });
    m_conflicts->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent& e) {
        if (!m_applying) {
            m_caseSource = Source::Conflicts;
            loadConflict();
        }
        e.Skip();
    });
    for (auto* view : {m_floor, m_tickets})
        view->Bind(wxEVT_SET_FOCUS, [this, view](wxFocusEvent& e) {
            m_ticketSource = view == m_floor ? Source::Floor : Source::Tickets;
            e.Skip();
        });
    for (auto* view : {m_risk, m_conflicts})
        view->Bind(wxEVT_SET_FOCUS, [this, view](wxFocusEvent& e) {
            m_caseSource = view == m_risk ? Source::Risk : Source::Conflicts;
            e.Skip();
        });
    // Enter (or a double click) opens the picker of the row's kind.
    m_floor->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) {
        m_ticketSource = Source::Floor;
        moveTicket();
    });
    m_tickets->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) {
        m_ticketSource = Source::Tickets;
        moveTicket();
    });
    m_risk->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) {
        m_caseSource = Source::Risk;
        assignCase();
    });
    m_conflicts->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) {
        m_caseSource = Source::Conflicts;
        openCase();
    });
    m_move->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { moveTicket(); });
    m_assign->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { assignCase(); });
    m_open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openCase(); });
    // The model checks every write; the buttons only say up front what this role may do.
    m_move->Enable(shell.user().can(model::Action::MoveTicket));
    m_assign->Enable(shell.user().can(model::Action::Assign));

    // Dragging a ticket, a window's ticket or a case onto a window of the floor.
    enableDrag(m_floor, Source::Floor);
    enableDrag(m_tickets, Source::Tickets);
    enableDrag(m_risk, Source::Risk);
    enableDrag(m_conflicts, Source::Conflicts);
    m_floor->EnableDropTarget(wxDF_UNICODETEXT);
    m_floor->Bind(wxEVT_DATAVIEW_ITEM_DROP_POSSIBLE, [this](wxDataViewEvent& e) {
        if (!e.GetItem().IsOk() || m_dragging == Source::None)
            e.Veto();
        else
            e.SetDropEffect(wxDragMove);
    });
    m_floor->Bind(wxEVT_DATAVIEW_ITEM_DROP, [this](wxDataViewEvent& e) {
        const Source from = m_dragging;
        m_dragging = Source::None;
        const TableRow* target
            = e.GetItem().IsOk() ? m_floorModel->row(m_floorModel->GetRow(e.GetItem())) : nullptr;
        if (!target || from == Source::None) {
            e.Veto();
            return;
        }
        wxTextDataObject text;
        if (e.GetDataSize() > 0)
            text.SetData(wxDF_UNICODETEXT, e.GetDataSize(), e.GetDataBuffer());
        const std::string key = utf8(text.GetText());
        const std::string window = target->key;
        // Acted on after GTK has finished the drop.
        CallAfter([this, from, key, window] { dropped(from, key, window); });
    });

    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { tick(); });
    m_clock.Start(1000);
    reload();
    CallAfter([this] { m_floor->SetFocus(); });
}

ConsoleTab::~ConsoleTab()
{
    m_clock.Stop();
}

wxString ConsoleTab::title() const
{
    // TRANSLATORS: the title of the queue manager's console tab.
    return _("Floor");
}

void ConsoleTab::focusConflicts()
{
    m_conflicts->SetFocus();
}

void ConsoleTab::onDataChanged()
{
    reload();
}

wxDataViewCtrl* ConsoleTab::addTable(wxWindow* parent, wxBoxSizer* sizer, CaseTableModel* model,
    const std::vector<TableColumn>& columns, const char* name, int proportion)
{
    auto* view = makeCaseTable(parent, model, columns, name);
    sizer->Add(view, wxSizerFlags(proportion).Expand());
    return view;
}

void ConsoleTab::enableDrag(wxDataViewCtrl* view, Source source)
{
    view->EnableDragSource(wxDF_UNICODETEXT);
    view->Bind(wxEVT_DATAVIEW_ITEM_BEGIN_DRAG, [this, view, source](wxDataViewEvent& e) {
        auto* model = static_cast<CaseTableModel*>(view->GetModel());
        const TableRow* r = e.GetItem().IsOk() ? model->row(model->GetRow(e.GetItem())) : nullptr;
        // A window's row carries the ticket it serves; an idle window has nothing to move.
        if (!r || (source == Source::Floor && !currentTicketAt(m_data, r->key))) {
            e.Veto();
            return;
        }
        m_dragging = source;
        e.SetDataObject(new wxTextDataObject(wx(r->key)));
        e.SetDragFlags(wxDrag_AllowMove);
    });
}

void ConsoleTab::reload()
{
    if (!m_gate.begin())
        return;
    runAsync<FloorData>(
        session(), liveness(), [](client::Backend& b) { return loadFloor(b); },
        [this](FloorData data) {
            const bool again = m_gate.end();
            show(std::move(data));
            if (again)
                reload();
        },
        [this](const std::string& message) {
            m_gate.end();
            say(wx(message), true);
        });
}

void ConsoleTab::show(FloorData data)
{
    m_data = std::move(data);
    m_loaded = true;
    applyRows(true);
    int late = 0;
    for (const auto& c : m_data.atRisk)
        late += !c.deadline.empty() && c.deadline < m_data.today.iso() ? 1 : 0;
    // TRANSLATORS: the heading of the cases list of the floor console, with its counts.
    m_riskHeading->SetLabel(wxString::Format(_("Overdue (%d) and due within 2 working days (%d)"), late,
        static_cast<int>(m_data.atRisk.size()) - late));
    // TRANSLATORS: the heading of the conflicts inbox, with the number of cases in it.
    m_conflictsHeading->SetLabel(
        wxString::Format(_("Conflicts to resolve (%d)"), static_cast<int>(m_data.conflicts.size())));
    // A resolved conflict leaves the inbox; the selected one is shown again as it is now.
    bool stillThere = false;
    for (const auto& c : m_data.conflicts)
        stillThere = stillThere || c.number == m_conflictNumber;
    if (stillThere) {
        loadConflict();
    } else {
        m_conflictNumber.clear();
        m_conflict.reset();
        showConflict();
    }
    Layout();
}

void ConsoleTab::applyRows(bool cases)
{
    if (!m_loaded)
        return;
    const std::int64_t now = nowMs();
    // The rows may move: the selections stay on what they stood for.
    const std::string floorKey = selectedKeyOf(m_floor), ticketKey = selectedKeyOf(m_tickets),
                      riskKey = selectedKeyOf(m_risk), conflictKey = selectedKeyOf(m_conflicts);
    if (cases) {
        m_riskModel->setRows(riskRows(m_data));
        m_conflictModel->setRows(conflictRows(m_data));
    }
    m_floorModel->setRows(floorRows(m_data, now));
    m_categoryModel->setRows(categoryRows(m_data, now));
    auto tickets = ticketRows(m_data, now);
    const int count = static_cast<int>(std::count_if(m_data.tickets.begin(), m_data.tickets.end(),
        [now](const model::Ticket& t) { return waitingNow(t, now); }));
    m_ticketModel->setRows(std::move(tickets));
    // TRANSLATORS: the heading of the waiting tickets list, with how many wait now.
    const wxString heading = wxString::Format(_("Waiting tickets (%d)"), count);
    if (m_ticketsHeading->GetLabel() != heading)
        m_ticketsHeading->SetLabel(heading);
    const wxString summary = floorSummary(m_data);
    if (m_summary->GetLabel() != summary)
        m_summary->SetLabel(summary);
    // Programmatic: the list the user worked in last stays the one the buttons act on.
    m_applying = true;
    selectKey(m_floor, floorKey);
    selectKey(m_tickets, ticketKey);
    if (cases) {
        selectKey(m_risk, riskKey);
        selectKey(m_conflicts, conflictKey);
    }
    m_applying = false;
}

void ConsoleTab::tick()
{
    // The clocks tick from what was loaded; the database is asked only when events arrive.
    if (m_loaded && !m_gate.loading())
        applyRows(false);
}

void ConsoleTab::say(const wxString& text, bool refusal)
{
    m_message->SetForegroundColour(refusal ? kRefusedText : kDoneText);
    m_message->SetFont(refusal ? GetFont().Bold() : GetFont());
    m_message->SetLabel(text);
    m_message->SetToolTip(text);
    if (!text.empty())
        shell().showStatus(text);
    Layout();
}

const model::Ticket* ConsoleTab::selectedTicket() const
{
    if (m_ticketSource == Source::Floor) {
        const std::string window = selectedKeyOf(m_floor);
        return window.empty() ? nullptr : currentTicketAt(m_data, window);
    }
    const std::string id = selectedKeyOf(m_tickets);
    return id.empty() ? nullptr : ticketById(m_data, id);
}

std::string ConsoleTab::selectedCase() const
{
    return selectedKeyOf(m_caseSource == Source::Conflicts ? m_conflicts : m_risk);
}

void ConsoleTab::write(std::function<void(client::Backend&)> job, wxString done)
{
    if (m_busy)
        return;
    m_busy = true;
    say(_("Saving…"), false);
    runAsync<bool>(
        session(), liveness(),
        [job = std::move(job)](client::Backend& b) {
            try {
                job(b);
            } catch (const model::DomainError& e) {
                spdlog::info("console: refused: {}", e.code());
                throw;
            }
            return true;
        },
        [this, done](bool) {
            m_busy = false;
            say(done, false);
            shell().dataChanged();
        },
        [this](const std::string& message) {
            m_busy = false;
            // Nothing was written: the lists stay as they are.
            say(wx(message), true);
        });
}

void ConsoleTab::moveTicket()
{
    const model::Ticket* ticket = selectedTicket();
    if (!ticket) {
        say(_("Select a waiting ticket, or a window serving one, to move it."), true);
        return;
    }
    const model::Ticket t = *ticket;
    ActionDialog d(this, wxString::Format(_("Move ticket %s"), wx(t.display())),
        // TRANSLATORS: %s are the ticket and its queue category.
        wxString::Format(_("Ticket %s (category %s) waits again, first in line for the window or colleague "
                           "chosen, with its case if it has one."),
            wx(t.display()), wx(t.category)),
        _("&Move"));
    wxArrayString windows, staff;
    for (const auto& w : m_data.windows)
        if (w.active) {
            wxString serves;
            for (const auto& c : w.categories)
                serves += (serves.empty() ? "" : ", ") + wx(c);
            windows.Add(wx(w.code) + " " + wx(w.nameZh) + " · " + serves);
        }
    for (const auto& [id, member] : m_data.staff)
        if (member.active && member.can(model::Action::CallTicket))
            staff.Add(wx(id) + " " + wx(member.name));
    auto* window = d.addCombo(_("&Window:"), windows, wxString());
    window->SetName("console.moveWindow");
    auto* colleague = d.addCombo(_("C&olleague:"), staff, wxString());
    colleague->SetName("console.moveStaff");
    chainFields(&d, {window, colleague});
    std::string windowCode, staffId;
    d.setCheck([&]() -> wxString {
        windowCode.clear();
        staffId.clear();
        const std::string w = firstWord(window->GetValue()), s = firstWord(colleague->GetValue());
        if (w.empty() && s.empty())
            return _("Give a window, a colleague or both.");
        if (!w.empty()) {
            for (const auto& x : m_data.windows)
                if (x.active && sameCode(x.code, w))
                    windowCode = x.code;
            if (windowCode.empty())
                return wxString::Format(_("There is no window %s."), wx(w));
        }
        if (!s.empty()) {
            staffId = staffFrom(m_data, colleague->GetValue());
            if (staffId.empty())
                return wxString::Format(_("There is no staff member %s."), wx(s));
        }
        return {};
    });
    if (!d.run())
        return;
    moveTicketTo(t.id, model::TicketTarget{windowCode, staffId, {}});
}

void ConsoleTab::moveTicketTo(const std::string& ticketId, const model::TicketTarget& target)
{
    const model::Ticket* ticket = ticketById(m_data, ticketId);
    const wxString number = ticket ? wx(ticket->display()) : wx(ticketId);
    wxString where;
    if (!target.window.empty())
        where = wx(target.window);
    if (!target.staff.empty())
        where += (where.empty() ? "" : ", ") + personText(m_data, target.staff);
    const std::string user = shell().user().id;
    write([user, ticketId, target](client::Backend& b) { b.queue().transfer(user, ticketId, target); },
        // TRANSLATORS: after a move in the floor console, e.g. "Ticket A002 moved to W04."
        wxString::Format(_("Ticket %s moved to %s."), number, where));
}

void ConsoleTab::assignCase()
{
    const std::string number = selectedCase();
    if (number.empty()) {
        say(_("Select a case to assign it."), true);
        return;
    }
    ActionDialog d(this, wxString::Format(_("Assign case %s"), wx(number)),
        _("The case goes to the staff member chosen, and to the window if one is given. The change is "
          "recorded on the case."),
        _("&Assign"));
    wxArrayString staff, windows;
    for (const auto& [id, member] : m_data.staff)
        if (member.active
            && (member.roles.count(model::Role::WindowStaff) || member.roles.count(model::Role::Reviewer)))
            staff.Add(wx(id) + " " + wx(member.name));
    for (const auto& w : m_data.windows)
        if (w.active)
            windows.Add(wx(w.code) + " " + wx(w.nameZh));
    wxString current;
    if (const db::CaseSummary* c = caseByNumber(m_data, number); c && !c->assignee.empty())
        current = wx(c->assignee);
    auto* assignee = d.addCombo(_("&Staff member:"), staff, wxString());
    assignee->SetName("console.assignStaff");
    if (!current.empty())
        d.addInfo(_("Now:"), personText(m_data, utf8(current)));
    auto* window = d.addCombo(_("&Window:"), windows, wxString());
    window->SetName("console.assignWindow");
    chainFields(&d, {assignee, window});
    d.startIn(assignee);
    std::string staffId, windowCode;
    d.setCheck([&]() -> wxString {
        staffId.clear();
        windowCode.clear();
        const std::string s = firstWord(assignee->GetValue()), w = firstWord(window->GetValue());
        if (s.empty())
            return _("Give the staff member.");
        staffId = staffFrom(m_data, assignee->GetValue());
        if (staffId.empty())
            return wxString::Format(_("There is no staff member %s."), wx(s));
        if (!w.empty()) {
            for (const auto& x : m_data.windows)
                if (x.active && sameCode(x.code, w))
                    windowCode = x.code;
            if (windowCode.empty())
                return wxString::Format(_("There is no window %s."), wx(w));
        }
        return {};
    });
    if (!d.run())
        return;
    assignCaseTo(number, staffId, windowCode);
}

void ConsoleTab::assignCaseTo(
    const std::string& number, const std::string& assignee, const std::string& window)
{
    const std::string user = shell().user().id;
    const wxString who = personText(m_data, assignee);
    write([user, number, assignee, window](
              client::Backend& b) { b.work().assign(user, number, assignee, window); },
        window.empty()
            // TRANSLATORS: after an assignment in the floor console: the case and the staff member.
            ? wxString::Format(_("Case %s assigned to %s."), wx(number), who)
            // TRANSLATORS: after an assignment in the floor console: the case, the staff member, the window.
            : wxString::Format(_("Case %s assigned to %s at window %s."), wx(number), who, wx(window)));
}

void ConsoleTab::openCase()
{
    const std::string number = selectedCase();
    if (number.empty()) {
        say(_("Select a case to open it."), true);
        return;
    }
    shell().openCase(number);
}

void ConsoleTab::dropped(Source from, const std::string& key, const std::string& window)
{
    switch (from) {
    case Source::Floor: {
        // Another window's ticket: moved here (dropped on its own window: nothing to do).
        if (key == window)
            return;
        if (const model::Ticket* t = currentTicketAt(m_data, key))
            moveTicketTo(t->id, model::TicketTarget{window, {}, {}});
        return;
    }
    case Source::Tickets:
        moveTicketTo(key, model::TicketTarget{window, {}, {}});
        return;
    case Source::Risk:
    case Source::Conflicts: {
        // A case dropped on a window goes to whoever serves there today.
        const std::string staff = staffAt(m_data, window);
        if (staff.empty()) {
            say(wxString::Format(_("Nobody has served at window %s today; use Assign case… to choose a "
                                   "staff member."),
                    wx(window)),
                true);
            return;
        }
        assignCaseTo(key, staff, window);
        return;
    }
    case Source::None:
        return;
    }
}

void ConsoleTab::loadConflict()
{
    const std::string number = selectedKeyOf(m_conflicts);
    if (number.empty())
        return;
    if (number != m_conflictNumber) {
        m_conflictNumber = number;
        m_conflict.reset();
        showConflict();
    }
    const std::uint64_t request = ++m_conflictRequest;
    runAsync<std::optional<CaseSnapshot>>(
        session(), liveness(), [number](client::Backend& b) { return loadSnapshot(b, number); },
        [this, number, request](std::optional<CaseSnapshot> s) {
            if (request != m_conflictRequest || number != m_conflictNumber)
                return; // another case was selected meanwhile
            // Unchanged: the buttons stay as they are (and keep the focus).
            if (s && m_conflict && s->state.heads == m_conflict->state.heads
                && s->staff.size() == m_conflict->staff.size())
                return;
            m_conflict = std::move(s);
            showConflict();
        },
        [this](const std::string& message) { say(wx(message), true); });
}

void ConsoleTab::showConflict()
{
    wxWindowUpdateLocker noFlicker(m_candidates);
    auto* sizer = m_candidates->GetSizer();
    sizer->Clear(true);
    const int gap = FromDIP(6);
    auto line = [&](const wxString& text) {
        auto* label = new wxStaticText(m_candidates, wxID_ANY, text);
        sizer->Add(label, wxSizerFlags().Border(wxALL, gap));
        return label;
    };
    if (m_data.conflicts.empty())
        line(_("No case is in conflict."));
    else if (m_conflictNumber.empty())
        line(_("Select a case to see the values in conflict side by side."));
    else if (!m_conflict)
        line(_("Loading…"));
    else if (!m_conflict->state.inConflict())
        line(wxString::Format(_("Case %s is no longer in conflict."), wx(m_conflictNumber)));
    else {
        const CaseSnapshot& s = *m_conflict;
        const int width = std::max(FromDIP(200), m_candidates->GetClientSize().GetWidth() - 2 * gap);
        const bool allowed = shell().user().can(model::Action::ResolveConflict);
        for (const auto& conflict : s.state.conflicts) {
            // TRANSLATORS: above the candidate values of one conflict, e.g. "… changed the decision …".
            auto* title = line(
                wxString::Format(_("Two values for %s — keep which?"), conflictGroupLabel(conflict.group)));
            title->SetFont(title->GetFont().Bold());
            title->Wrap(width);
            auto* row = new wxBoxSizer(wxHORIZONTAL);
            const int cardWidth = std::max(FromDIP(150),
                width / std::max(1, static_cast<int>(conflict.candidates.size())) - FromDIP(24));
            for (std::size_t i = 0; i < conflict.candidates.size(); ++i) {
                const auto& c = conflict.candidates[i];
                const CandidateView v = candidateView(s, c);
                auto* box = new wxStaticBoxSizer(wxVERTICAL, m_candidates,
                    i == 0 ? wxString(_("In effect for now"))
                           : wxString::Format(_("Candidate %d"), static_cast<int>(i + 1)));
                auto* parent = box->GetStaticBox();
                auto text = [&](const wxString& value, bool bold) {
                    auto* label = new wxStaticText(parent, wxID_ANY, value);
                    if (bold)
                        label->SetFont(label->GetFont().Bold());
                    label->Wrap(cardWidth);
                    box->Add(label, wxSizerFlags().Border(wxLEFT | wxRIGHT, FromDIP(4)));
                };
                text(v.what, v.value.empty());
                if (!v.value.empty())
                    text(v.value, true);
                // TRANSLATORS: who decided a conflicting value, e.g. "decided by 王芳 (clerk01)".
                text(wxString::Format(_("decided by %s"), v.who), false);
                if (!v.when.empty())
                    // TRANSLATORS: when a conflicting value was decided, e.g. "on 2026-11-29 14:03".
                    text(wxString::Format(_("on %s"), v.when), false);
                auto* keepButton = new wxButton(parent, wxID_ANY, _("Keep this one"));
                keepButton->SetName("console.keep");
                keepButton->SetToolTip(wxString::Format(
                    _("Keep “%s” by %s; the other value stays in the history, marked overruled."),
                    v.value.empty() ? v.what : v.value, v.who));
                keepButton->Enable(allowed && !m_busy);
                keepButton->Bind(wxEVT_BUTTON,
                    [this, group = conflict.group, id = c.eventId](wxCommandEvent&) { keep(group, id); });
                // The buttons line up at the foot of cards of different heights.
                box->AddStretchSpacer();
                box->Add(keepButton, wxSizerFlags().Border(wxALL, FromDIP(4)));
                row->Add(box, wxSizerFlags().Expand().Border(wxRIGHT, gap));
            }
            sizer->Add(row, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxBOTTOM, gap));
        }
    }
    m_candidates->FitInside();
    m_candidates->Layout();
}

void ConsoleTab::keep(const std::string& group, const std::string& eventId)
{
    if (!m_conflict)
        return;
    const std::string number = m_conflict->state.number, user = shell().user().id;
    write([user, number, group, eventId](
              client::Backend& b) { b.work().resolveConflict(user, number, group, eventId); },
        // TRANSLATORS: after "Keep this one" in the conflicts inbox; %s is the case number.
        wxString::Format(_("The conflict of case %s is resolved."), wx(number)));
}

} // namespace ow::gui
