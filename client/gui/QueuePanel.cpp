#include "QueuePanel.h"

#include "Text.h"

#include <algorithm>
#include <wx/button.h>
#include <wx/choicdlg.h>
#include <wx/dialog.h>
#include <wx/listbox.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/time.h>

namespace ow::gui {

namespace {

// Where a ticket is passed on to: one list of colleagues, windows and categories, chosen
// with the arrow keys and Enter.
class PassOnDialog : public wxDialog {
public:
    PassOnDialog(wxWindow* parent, const model::Ticket& ticket,
        const std::vector<model::ServiceWindow>& windows, const std::vector<model::Staff>& staff,
        const std::vector<model::QueueCategory>& categories, const std::string& self)
        : wxDialog(parent, wxID_ANY, wxString::Format(_("Pass on ticket %s"), wx(ticket.display())))
    {
        SetName("passOn");
        wxArrayString labels;
        for (const auto& s : staff) {
            if (!s.active || s.id == self || !s.can(model::Action::CallTicket))
                continue;
            // TRANSLATORS: a choice in the pass-on list: a colleague's account and name.
            labels.Add(wxString::Format(_("Colleague %s %s"), wx(s.id), wx(s.name)));
            m_targets.push_back({"", s.id, ""});
        }
        for (const auto& w : windows) {
            if (!w.active || !model::windowServesCategory(w, ticket.category))
                continue;
            labels.Add(wxString::Format(_("Window %s %s"), wx(w.code), wx(w.nameZh)));
            m_targets.push_back({w.code, "", ""});
        }
        for (const auto& c : categories) {
            if (c.code == ticket.category)
                continue;
            labels.Add(wxString::Format(_("Queue %s %s"), wx(c.code), localName(c.nameZh, c.nameEn)));
            m_targets.push_back({"", "", c.code});
        }
        m_list = new wxListBox(this, wxID_ANY, wxDefaultPosition, wxSize(420, 280), labels, wxLB_SINGLE);
        m_list->SetName("passOn.targets");
        if (!labels.IsEmpty())
            m_list->SetSelection(0);
        auto* top = new wxBoxSizer(wxVERTICAL);
        top->Add(new wxStaticText(this, wxID_ANY,
                     _("The ticket goes back to the queue of the colleague, window or category chosen, ahead "
                       "of the others there, with the case or the intake begun here.")),
            wxSizerFlags().Border(wxALL, 10));
        top->Add(m_list, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, 10));
        top->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL), wxSizerFlags().Expand().Border(wxALL, 10));
        SetSizerAndFit(top);
        m_list->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { EndModal(wxID_OK); });
        m_list->SetFocus();
    }

    std::optional<model::TicketTarget> target() const
    {
        const int row = m_list->GetSelection();
        if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_targets.size())
            return std::nullopt;
        return m_targets[static_cast<std::size_t>(row)];
    }

private:
    wxListBox* m_list = nullptr;
    std::vector<model::TicketTarget> m_targets;
};

wxString minutes(std::int64_t ms)
{
    // TRANSLATORS: a duration in whole minutes.
    return wxString::Format(_("%lld min"), static_cast<long long>(ms / 60000));
}

wxString clock(std::int64_t ms)
{
    const long long s = std::max<long long>(0, ms / 1000);
    return wxString::Format("%lld:%02lld", s / 60, s % 60);
}

} // namespace

QueuePanel::QueuePanel(wxWindow* parent, Shell& shell, std::string window, Hooks hooks)
    : wxPanel(parent)
    , m_shell(shell)
    , m_window(std::move(window))
    , m_hooks(std::move(hooks))
    , m_clock(this)
{
    SetName("queue");
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_windowLabel = new wxStaticText(this, wxID_ANY, wxString::Format(_("Window %s"), wx(m_window)));
    m_windowLabel->SetName("queue.window");
    top->Add(m_windowLabel, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxTOP, 6));

    m_ticket = new wxStaticText(this, wxID_ANY, _("No ticket"));
    m_ticket->SetName("queue.current");
    m_ticket->SetFont(m_ticket->GetFont().Scaled(2.0f).Bold());
    top->Add(m_ticket, wxSizerFlags().Border(wxLEFT | wxRIGHT, 6));
    m_detail = new wxStaticText(this, wxID_ANY, wxString());
    m_detail->SetName("queue.detail");
    top->Add(m_detail, wxSizerFlags().Border(wxLEFT | wxRIGHT, 6));
    m_waiting = new wxStaticText(this, wxID_ANY, wxString());
    m_waiting->SetName("queue.waiting");
    top->Add(m_waiting, wxSizerFlags().Border(wxLEFT | wxRIGHT | wxBOTTOM, 6));

    auto button = [this](const wxString& label, const char* name) {
        auto* b = new wxButton(this, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        b->SetName(name);
        return b;
    };
    // No mnemonics here: the tabs beside the pane have their own; the Queue menu and the
    // function keys reach these from anywhere.
    m_call = button(_("Call next (F2)"), "queue.callNext");
    m_recall = button(_("Recall (Shift+F2)"), "queue.recall");
    m_noShow = button(_("No-show"), "queue.noShow");
    m_park = button(_("Park"), "queue.park");
    m_passOn = button(_("Pass on…"), "queue.passOn");
    m_end = button(_("End service (F4)"), "queue.end");
    m_walkIn = button(_("Serve without ticket…"), "queue.walkIn");
    auto* buttons = new wxGridSizer(2, wxSize(4, 4));
    for (auto* b : {m_call, m_end, m_recall, m_noShow, m_park, m_passOn})
        buttons->Add(b, wxSizerFlags().Expand());
    top->Add(buttons, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, 6));
    top->Add(m_walkIn, wxSizerFlags().Expand().Border(wxALL, 6));

    top->Add(new wxStaticText(this, wxID_ANY, _("Parked here:")), wxSizerFlags().Border(wxLEFT | wxRIGHT, 6));
    m_parkedList = new wxListBox(this, wxID_ANY, wxDefaultPosition, wxSize(-1, 60));
    m_parkedList->SetName("queue.parked");
    top->Add(m_parkedList, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, 6));
    m_resume = button(_("Resume parked"), "queue.resume");
    top->Add(m_resume, wxSizerFlags().Border(wxALL, 6));
    m_message = new wxStaticText(this, wxID_ANY, wxString());
    m_message->SetName("queue.message");
    m_message->SetForegroundColour(wxColour(0xB0, 0x20, 0x20));
    top->Add(m_message, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, 6));
    SetSizer(top);

    m_call->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { callNext(); });
    m_recall->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { recall(); });
    m_noShow->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { noShow(); });
    m_park->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { park(); });
    m_passOn->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { passOn(); });
    m_end->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { endService(); });
    m_walkIn->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { walkIn(); });
    m_resume->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { resume(); });
    m_parkedList->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { resume(); });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { showClock(); });
    m_clock.Start(1000);
    show({});
    reload();
}

void QueuePanel::reload()
{
    if (m_loading)
        return;
    m_loading = true;
    const std::string window = m_window;
    const std::string self = m_shell.user().id;
    runAsync<Floor>(
        m_shell.session(), m_liveness,
        [window, self](client::Backend& b) {
            Floor f;
            f.windows = b.windows();
            f.categories = b.categories();
            f.staff = b.staffList();
            const model::ServiceWindow* mine = nullptr;
            for (const auto& w : f.windows)
                if (w.code == window)
                    mine = &w;
            const std::int64_t now = wxGetUTCTimeMillis().GetValue();
            for (auto& t : b.hallToday()) {
                if (t.status == model::TicketStatus::Called && t.window == window)
                    f.current = t;
                else if (t.status == model::TicketStatus::Parked && t.window == window)
                    f.parked.push_back(t);
                else if (t.status == model::TicketStatus::Waiting && mine
                    && (t.appointmentAt == 0 || t.appointmentAt <= now)) {
                    const bool forMe = t.directed() ? (t.targetStaff.empty() || t.targetStaff == self)
                            && (t.targetWindow.empty() || t.targetWindow == window)
                                                    : model::windowServesCategory(*mine, t.category);
                    f.waiting += forMe ? 1 : 0;
                }
            }
            return f;
        },
        [this](Floor f) {
            m_loading = false;
            show(std::move(f));
        },
        [this](const std::string& message) {
            m_loading = false;
            fail(message);
        });
}

wxString QueuePanel::windowName(const std::string& code) const
{
    for (const auto& w : m_floor.windows)
        if (w.code == code)
            return chineseInterface() && !w.nameZh.empty() ? wx(w.nameZh)
                                                           : wxString::Format(_("Window %s"), wx(code));
    return wxString::Format(_("Window %s"), wx(code));
}

void QueuePanel::show(Floor floor)
{
    m_floor = std::move(floor);
    m_current = m_floor.current;
    m_parked = m_floor.parked;
    wxString serves;
    for (const auto& w : m_floor.windows)
        if (w.code == m_window)
            for (const auto& c : w.categories)
                serves += (serves.empty() ? "" : ", ") + wx(c);
    m_windowLabel->SetLabel(serves.empty()
            ? windowName(m_window)
            // TRANSLATORS: "3号窗口 · serves A, B": the window and its queue categories.
            : wxString::Format(_("%s · serves %s"), windowName(m_window), serves));
    m_ticket->SetLabel(m_current ? wx(m_current->display()) : wxString(_("No ticket")));
    m_waiting->SetLabel(wxString::Format(wxPLURAL("%d waiting for this window", "%d waiting for this window",
                                             static_cast<unsigned>(std::max(0, m_floor.waiting))),
        m_floor.waiting));
    m_parkedList->Clear();
    for (const auto& t : m_parked)
        m_parkedList->Append(wx(t.display()));
    const bool serving = m_current.has_value();
    m_recall->Enable(serving && !m_busy);
    m_noShow->Enable(serving && !m_busy);
    m_park->Enable(serving && !m_busy);
    m_passOn->Enable(serving && !m_busy);
    m_end->Enable(serving && !m_busy);
    m_call->Enable(!m_busy);
    m_walkIn->Enable(!m_busy);
    m_resume->Enable(!m_parked.empty() && !m_busy);
    showClock();
    Layout();
}

void QueuePanel::showClock()
{
    if (!m_current) {
        m_detail->SetLabel(wxString());
        return;
    }
    const std::int64_t now = wxGetUTCTimeMillis().GetValue();
    wxString text;
    if (wxString p = ticketPriorityLabel(m_current->priority); !p.empty())
        text = p + " · ";
    // TRANSLATORS: under the ticket being served: "waited 12 min · serving 3:05".
    text += wxString::Format(_("waited %s · serving %s"), minutes(m_current->waitingMs),
        clock(m_current->servingMs + (m_current->servingSince > 0 ? now - m_current->servingSince : 0)));
    if (m_current->recalls > 0)
        text += " · "
            + wxString::Format(
                wxPLURAL("recalled %d time", "recalled %d times", static_cast<unsigned>(m_current->recalls)),
                m_current->recalls);
    if (m_detail->GetLabel() != text)
        m_detail->SetLabel(text);
}

void QueuePanel::setOnline(bool online)
{
    if (online == m_online)
        return;
    m_online = online;
    const wxString hint = _("Offline: tickets cannot be called until the centre's database answers again. "
                            "Serving without a ticket and ending the service still work.");
    if (!online)
        m_message->SetLabel(hint);
    else if (m_message->GetLabel() == hint)
        m_message->SetLabel(wxString());
    m_message->Wrap(std::max(200, GetClientSize().GetWidth() - 12));
    Layout();
    reload();
}

void QueuePanel::fail(const std::string& message)
{
    m_busy = false;
    m_message->SetLabel(wx(message));
    m_message->Wrap(std::max(200, GetClientSize().GetWidth() - 12));
    m_shell.showStatus(wx(message));
    show(m_floor);
}

std::string QueuePanel::caseFor(const model::Ticket& ticket) const
{
    if (auto it = m_cases.find(ticket.id); it != m_cases.end())
        return it->second;
    return ticket.caseNumber;
}

void QueuePanel::intakeOpened(const std::string& ticket, const std::string& caseNumber)
{
    if (!ticket.empty())
        m_cases[ticket] = caseNumber;
}

void QueuePanel::act(
    const wxString& done, std::function<model::Ticket(client::Backend&)> job, bool serveResult)
{
    if (m_busy)
        return;
    m_busy = true;
    m_message->SetLabel(wxString());
    show(m_floor);
    runAsync<model::Ticket>(
        m_shell.session(), m_liveness, std::move(job),
        [this, done, serveResult](model::Ticket t) {
            m_busy = false;
            m_shell.showStatus(wxString::Format(done, wx(t.display())));
            if (serveResult && m_hooks.serve)
                m_hooks.serve(t);
            reload();
        },
        [this](const std::string& message) { fail(message); });
}

void QueuePanel::callNext()
{
    if (m_busy)
        return;
    m_busy = true;
    m_message->SetLabel(wxString());
    show(m_floor);
    const std::string user = m_shell.user().id;
    const std::string window = m_window;
    const std::string endedCase = m_current ? caseFor(*m_current) : std::string();
    runAsync<model::CallResult>(
        m_shell.session(), m_liveness,
        [user, window, endedCase](client::Backend& b) { return b.queue().callNext(user, window, endedCase); },
        [this](model::CallResult r) {
            m_busy = false;
            if (r.called) {
                // TRANSLATORS: status bar after F2; %s is the ticket number, e.g. A001.
                m_shell.showStatus(wxString::Format(_("Called %s."), wx(r.called->display())));
                if (m_hooks.serve)
                    m_hooks.serve(*r.called);
            } else {
                m_message->SetLabel(_("Nobody is waiting for this window."));
                m_shell.showStatus(_("Nobody is waiting for this window."));
            }
            reload();
        },
        [this](const std::string& message) { fail(message); });
}

void QueuePanel::recall()
{
    if (!m_current)
        return;
    const std::string user = m_shell.user().id, id = m_current->id;
    act(_("Recalled %s."), [user, id](client::Backend& b) { return b.queue().recall(user, id); });
}

void QueuePanel::noShow()
{
    if (!m_current)
        return;
    const std::string user = m_shell.user().id, id = m_current->id;
    act(_("%s did not come."), [user, id](client::Backend& b) { return b.queue().noShow(user, id); });
}

void QueuePanel::park()
{
    if (!m_current)
        return;
    const std::string user = m_shell.user().id, id = m_current->id;
    act(_("Parked %s."), [user, id](client::Backend& b) { return b.queue().park(user, id); });
}

void QueuePanel::resume()
{
    const int row
        = m_parkedList->GetSelection() == wxNOT_FOUND && !m_parked.empty() ? 0 : m_parkedList->GetSelection();
    if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_parked.size())
        return;
    const std::string user = m_shell.user().id, id = m_parked[static_cast<std::size_t>(row)].id,
                      window = m_window;
    act(
        _("Serving %s again."),
        [user, id, window](client::Backend& b) { return b.queue().resumeParked(user, window, id); }, true);
}

void QueuePanel::endService()
{
    if (!m_current)
        return;
    const std::string user = m_shell.user().id, id = m_current->id, number = caseFor(*m_current);
    act(_("Service of %s ended."),
        [user, id, number](client::Backend& b) { return b.queue().end(user, id, number); });
}

void QueuePanel::passOn()
{
    if (!m_current)
        return;
    PassOnDialog dialog(
        this, *m_current, m_floor.windows, m_floor.staff, m_floor.categories, m_shell.user().id);
    if (dialog.ShowModal() != wxID_OK || !dialog.target())
        return;
    const model::TicketTarget target = *dialog.target();
    const std::string user = m_shell.user().id, id = m_current->id, number = caseFor(*m_current);
    model::Json draft = number.empty() && m_hooks.draftOf ? m_hooks.draftOf(id) : model::Json();
    act(_("Passed on %s."), [user, id, target, number, draft](client::Backend& b) {
        return b.queue().transfer(user, id, target, number, draft);
    });
}

void QueuePanel::walkIn()
{
    std::vector<const model::QueueCategory*> served;
    const model::ServiceWindow* mine = nullptr;
    for (const auto& w : m_floor.windows)
        if (w.code == m_window)
            mine = &w;
    wxArrayString names;
    for (const auto& c : m_floor.categories)
        if (mine && model::windowServesCategory(*mine, c.code)) {
            served.push_back(&c);
            names.Add(wx(c.code) + " " + localName(c.nameZh, c.nameEn));
        }
    if (served.empty()) {
        fail(utf8(describe(model::DomainError("queue.unknown_window", {{"window", m_window}}))));
        return;
    }
    wxSingleChoiceDialog dialog(
        this, _("Which queue category is the service for?"), _("Serve without ticket"), names);
    dialog.SetName("walkIn");
    if (dialog.ShowModal() != wxID_OK)
        return;
    const std::string user = m_shell.user().id, window = m_window,
                      category = served[static_cast<std::size_t>(dialog.GetSelection())]->code;
    act(
        _("Serving %s (without ticket)."),
        [user, window, category](client::Backend& b) { return b.queue().walkIn(user, window, category); },
        true);
}

} // namespace ow::gui
