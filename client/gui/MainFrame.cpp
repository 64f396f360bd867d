#include "MainFrame.h"

#include "AppointmentDialog.h"
#include "CaseTab.h"
#include "ConsoleTab.h"
#include "DashboardTab.h"
#include "DiagnosticsPanel.h"
#include "FollowUpsTab.h"
#include "IntakeTab.h"
#include "NoticeBar.h"
#include "QueuePanel.h"
#include "SearchTab.h"
#include "StatusLine.h"
#include "Text.h"
#include "WorkListPanel.h"

#include <algorithm>
#include <map>
#include <vector>
#include <wx/app.h>
#include <wx/aui/auibook.h>
#include <wx/config.h>
#include <wx/datetime.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/statusbr.h>
#include <wx/textdlg.h>

namespace ow::gui {

namespace {

enum MenuId {
    IdNewIntake = wxID_HIGHEST + 1,
    IdOpenCase,
    IdSearch,
    IdAllCases,
    IdCloseTab,
    IdRefresh,
    IdFocusWork,
    IdDiagnostics,
    IdResetLayout,
    IdShortcuts,
    IdCallNext,
    IdRecall,
    IdEndService,
    IdNoShow,
    IdPark,
    IdPassOn,
    IdWalkIn,
    IdBookAppointment,
    IdFloorConsole,
    IdFollowUps,
    IdDashboard,
    IdNextTab,
    IdPreviousTab,
};

enum StatusField { FieldUser, FieldRole, FieldCentre, FieldDatabase, FieldMessage, FieldCount };

} // namespace

MainFrame::MainFrame(std::unique_ptr<Session> session, model::Staff user)
    : wxFrame(nullptr, wxID_ANY, "OneWindow", wxDefaultPosition, wxSize(1280, 800))
    , m_session(std::move(session))
    , m_user(std::move(user))
    , m_timer(this)
{
    SetName("mainframe");
    m_aui.SetManagedWindow(this);
    m_work = new WorkListPanel(this, *this);
    m_tabs = new wxAuiNotebook(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
        wxAUI_NB_DEFAULT_STYLE | wxAUI_NB_WINDOWLIST_BUTTON);
    m_tabs->SetName("tabs");
    m_diagnostics = new DiagnosticsPanel(this);
    if (m_user.can(model::Action::CallTicket)) {
        QueuePanel::Hooks hooks;
        hooks.serve = [this](const model::Ticket& t) { serveTicket(t); };
        hooks.draftOf = [this](const std::string& ticket) {
            auto* tab = intakeFor(ticket);
            return tab ? tab->draft() : model::Json();
        };
        m_queue = new QueuePanel(this, *this, m_session->backend.workstation(), std::move(hooks));
        m_aui.AddPane(m_queue,
            wxAuiPaneInfo()
                .Name("queue")
                .Caption(_("Queue (F2 next)"))
                .Left()
                .Position(0)
                .BestSize(480, 330)
                .MinSize(260, 300)
                .CloseButton(false));
    }
    m_aui.AddPane(m_work,
        wxAuiPaneInfo()
            .Name("work")
            .Caption(_("My work (F6)"))
            .Left()
            .Position(1)
            .BestSize(480, -1)
            .MinSize(260, -1)
            .CloseButton(false));
    m_aui.AddPane(m_tabs, wxAuiPaneInfo().Name("tabs").CenterPane());
    m_aui.AddPane(m_diagnostics,
        wxAuiPaneInfo().Name("diagnostics").Caption(_("Diagnostics")).Bottom().BestSize(-1, 180).Hide());
    m_notice = new NoticeBar(this);
    m_notice->onDismiss([this] { hideNotice(); });
    m_aui.AddPane(m_notice,
        wxAuiPaneInfo()
            .Name("notice")
            .Top()
            .Layer(10)
            .CaptionVisible(false)
            .PaneBorder(false)
            .Gripper(false)
            .Floatable(false)
            .Movable(false)
            .DockFixed(true)
            .CloseButton(false)
            .BestSize(-1, m_notice->GetBestSize().GetHeight())
            .Hide());
    const wxString defaultPerspective = m_aui.SavePerspective();
    wxString perspective;
    // A layout saved before a pane existed would hide it: such a layout is not restored.
    if (wxConfigBase::Get()->Read("Layout/Perspective", &perspective)
        && (!m_queue || perspective.Contains("name=queue;")))
        m_aui.LoadPerspective(perspective, false);
    m_aui.GetPane("notice").Hide(); // a notice is about now, never restored
    m_aui.Update();
    SetName("mainframe");

    m_status = new StatusLine(this, {150, 130, 80, 260, -1});
    SetStatusBar(m_status);
    m_status->show(wx(m_user.id) + " · " + wx(m_user.name), FieldUser);
    m_status->show(rolesLabel(m_user.roles), FieldRole);
    buildMenus();
    updateTitle();

    int width = 0, height = 0;
    if (wxConfigBase::Get()->Read("Layout/Width", &width)
        && wxConfigBase::Get()->Read("Layout/Height", &height) && width > 400 && height > 300)
        SetSize(width, height);
    Bind(
        wxEVT_MENU,
        [this, defaultPerspective](wxCommandEvent&) { m_aui.LoadPerspective(defaultPerspective, true); },
        IdResetLayout);

    // Function keys first, whatever has the focus: some GTK widgets take F1 for
    // themselves before the menu's accelerators see it.
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetModifiers() == wxMOD_NONE) {
            const std::map<int, int> keys = {{WXK_F1, IdShortcuts}, {WXK_F2, IdCallNext},
                {WXK_F3, IdNewIntake}, {WXK_F4, IdEndService}, {WXK_F5, IdRefresh}, {WXK_F6, IdFocusWork}};
            if (auto it = keys.find(e.GetKeyCode()); it != keys.end() && IsActive()) {
                wxCommandEvent command(wxEVT_MENU, it->second);
                ProcessWindowEvent(command);
                return;
            }
        }
        e.Skip();
    });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { poll(); });
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
            if (auto* tab = dynamic_cast<Tab*>(m_tabs->GetPage(i)); tab && !tab->canClose() && e.CanVeto()) {
                m_tabs->SetSelection(i);
                e.Veto();
                return;
            }
        saveLayout();
        m_timer.Stop();
        e.Skip();
    });
    m_tabs->Bind(wxEVT_AUINOTEBOOK_PAGE_CLOSE, [this](wxAuiNotebookEvent& e) {
        if (auto* tab = dynamic_cast<Tab*>(m_tabs->GetPage(static_cast<size_t>(e.GetSelection())));
            tab && !tab->canClose())
            e.Veto();
    });

    runAsync<std::string>(
        *m_session, m_liveness, [](client::Backend& b) { return b.centre(); },
        [this](std::string centre) { m_status->show(wx(centre), FieldCentre); });
    m_work->reload();
    // The link tells of a change the moment it sees it, from its own thread; the status
    // is read on this one.
    std::weak_ptr<bool> alive = m_liveness.token();
    m_session->backend.setLinkListener([this, alive] {
        wxTheApp->CallAfter([this, alive] {
            if (auto a = alive.lock(); a && *a)
                showLink(m_session->backend.linkStatus());
        });
    });
    showLink(m_session->backend.linkStatus());
    poll();
    m_timer.Start(1000);
    // A queue manager works the floor: the console opens with the window.
    if (m_user.can(model::Action::MoveTicket))
        CallAfter([this] { showTab<ConsoleTab>(); });
}

MainFrame::~MainFrame()
{
    m_session->backend.setLinkListener({});
    m_timer.Stop();
    m_aui.UnInit();
}

void MainFrame::buildMenus()
{
    auto* cases = new wxMenu;
    cases->Append(IdNewIntake, _("&New intake\tF3"));
    cases->Append(IdOpenCase, _("&Open case by number…\tCtrl+O"));
    cases->Append(IdSearch, _("&Search…\tCtrl+F"));
    cases->Append(IdAllCases, _("&All cases\tCtrl+L"));
    cases->AppendSeparator();
    cases->Append(IdCloseTab, _("&Close tab\tCtrl+W"));
    cases->Append(IdRefresh, _("&Refresh\tF5"));
    cases->AppendSeparator();
    cases->Append(wxID_EXIT, _("&Quit\tCtrl+Q"));
    auto* view = new wxMenu;
    view->Append(IdFocusWork, _("&My work\tF6"));
    view->Append(IdNextTab, _("Ne&xt tab\tCtrl+PgDn"));
    view->Append(IdPreviousTab, _("&Previous tab\tCtrl+PgUp"));
    view->Append(IdDiagnostics, _("&Diagnostics\tCtrl+Shift+D"));
    view->Append(IdResetLayout, _("&Reset layout"));
    const bool reports = m_user.can(model::Action::MoveTicket) || m_user.can(model::Action::ManageCatalogue);
    if (reports || m_user.can(model::Action::FollowUpRating))
        view->AppendSeparator();
    if (reports) {
        view->Append(IdDashboard, _("&Dashboard\tCtrl+Shift+J"));
        Bind(
            wxEVT_MENU, [this](wxCommandEvent&) { showTab<DashboardTab>(); }, IdDashboard);
    }
    if (m_user.can(model::Action::MoveTicket)) {
        view->Append(IdFloorConsole, _("&Floor console\tCtrl+Shift+F"));
        Bind(
            wxEVT_MENU, [this](wxCommandEvent&) { showTab<ConsoleTab>(); }, IdFloorConsole);
    }
    if (m_user.can(model::Action::FollowUpRating)) {
        view->Append(IdFollowUps, _("Rating &follow-ups\tCtrl+Shift+R"));
        Bind(
            wxEVT_MENU, [this](wxCommandEvent&) { showTab<FollowUpsTab>(); }, IdFollowUps);
    }
    auto* help = new wxMenu;
    help->Append(IdShortcuts, _("&Keyboard shortcuts\tF1"));
    help->Append(wxID_ABOUT, _("&About OneWindow"));
    auto* bar = new wxMenuBar;
    bar->Append(cases, _("&Case"));
    if (m_queue || m_user.can(model::Action::IssueTicket)) {
        auto* queue = new wxMenu;
        if (m_queue) {
            queue->Append(IdCallNext, _("Call &next ticket\tF2"));
            queue->Append(IdRecall, _("&Recall\tShift+F2"));
            queue->Append(IdEndService, _("&End service\tF4"));
            queue->AppendSeparator();
            queue->Append(IdNoShow, _("No-&show\tCtrl+Shift+N"));
            queue->Append(IdPark, _("Par&k\tCtrl+Shift+K"));
            queue->Append(IdPassOn, _("&Pass on…\tCtrl+Shift+P"));
            queue->Append(IdWalkIn, _("Serve &without ticket…\tCtrl+Shift+W"));
            queue->AppendSeparator();
            const std::pair<int, void (QueuePanel::*)()> actions[]
                = {{IdRecall, &QueuePanel::recall}, {IdEndService, &QueuePanel::endService},
                    {IdNoShow, &QueuePanel::noShow}, {IdPark, &QueuePanel::park},
                    {IdPassOn, &QueuePanel::passOn}, {IdWalkIn, &QueuePanel::walkIn}};
            for (const auto& [id, action] : actions)
                Bind(
                    wxEVT_MENU, [this, action = action](wxCommandEvent&) { (m_queue->*action)(); }, id);
        }
        if (m_user.can(model::Action::IssueTicket)) {
            queue->Append(IdBookAppointment, _("&Book an appointment…\tCtrl+Shift+B"));
            Bind(
                wxEVT_MENU, [this](wxCommandEvent&) { bookAppointment(); }, IdBookAppointment);
        }
        bar->Append(queue, _("&Queue"));
    }
    bar->Append(view, _("&View"));
    bar->Append(help, _("&Help"));
    SetMenuBar(bar);

    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { newIntake(); }, IdNewIntake);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { callNext(); }, IdCallNext);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { openCaseByNumber(); }, IdOpenCase);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { search(); }, IdSearch);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            auto* tab = new SearchTab(m_tabs, *this);
            addTab(tab);
            tab->showAll();
        },
        IdAllCases);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { closeCurrentTab(); }, IdCloseTab);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { dataChanged(); }, IdRefresh);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            m_aui.GetPane("work").Show();
            m_aui.Update();
            m_work->focusList();
        },
        IdFocusWork);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { m_tabs->AdvanceSelection(true); }, IdNextTab);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { m_tabs->AdvanceSelection(false); }, IdPreviousTab);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { toggleDiagnostics(); }, IdDiagnostics);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { showShortcuts(); }, IdShortcuts);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            wxMessageBox(_("OneWindow — case management for one-stop government service centres."),
                _("About OneWindow"), wxOK | wxICON_INFORMATION, this);
        },
        wxID_ABOUT);
}

void MainFrame::updateTitle()
{
    // TRANSLATORS: the main window's title: the product, the account and the person.
    wxString title = wxString::Format(_("OneWindow — %s (%s)"), wx(m_user.id), wx(m_user.name));
    if (!m_online)
        // TRANSLATORS: appended to the main window's title while the centre's database does
        // not answer, e.g. "OFFLINE · 3 pending".
        title += " — " + wxString::Format(_("OFFLINE · %lld pending"), static_cast<long long>(m_pending));
    SetTitle(title);
}

void MainFrame::addTab(Tab* tab)
{
    m_tabs->AddPage(tab, tab->title(), true);
    tab->SetFocus();
}

void MainFrame::retitle(Tab& tab)
{
    const int index = m_tabs->GetPageIndex(&tab);
    if (index != wxNOT_FOUND)
        m_tabs->SetPageText(static_cast<size_t>(index), tab.title());
}

void MainFrame::openCase(const std::string& number)
{
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
        if (auto* tab = dynamic_cast<Tab*>(m_tabs->GetPage(i)); tab && tab->caseNumber() == number) {
            m_tabs->SetSelection(i);
            return;
        }
    addTab(new CaseTab(m_tabs, *this, number));
}

void MainFrame::newIntake()
{
    addTab(new IntakeTab(m_tabs, *this));
}

void MainFrame::bookAppointment()
{
    runAsync<std::vector<model::QueueCategory>>(
        *m_session, m_liveness, [](client::Backend& b) { return b.categories(); },
        [this](std::vector<model::QueueCategory> categories) {
            AppointmentDialog dialog(this, categories);
            if (dialog.ShowModal() != wxID_OK || dialog.category().empty())
                return;
            const std::string user = m_user.id, category = dialog.category();
            const std::int64_t at = dialog.at();
            runAsync<model::Ticket>(
                *m_session, m_liveness,
                [user, category, at](client::Backend& b) {
                    return b.queue().issue(user, category, model::TicketPriority::Appointment, at);
                },
                [this](model::Ticket t) {
                    // TRANSLATORS: after booking: the ticket number and the appointment's day.
                    showStatus(wxString::Format(_("Booked %s for %s."), wx(t.display()), wx(t.day.iso())));
                    dataChanged();
                },
                [this](const std::string& message) { showStatus(wx(message)); });
        },
        [this](const std::string& message) { showStatus(wx(message)); });
}

void MainFrame::callNext()
{
    if (!m_queue)
        return;
    m_aui.GetPane("queue").Show();
    m_aui.Update();
    m_queue->callNext();
}

IntakeTab* MainFrame::intakeFor(const std::string& ticket) const
{
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
        if (auto* tab = dynamic_cast<IntakeTab*>(m_tabs->GetPage(i)); tab && tab->ticket() == ticket)
            return tab;
    return nullptr;
}

void MainFrame::serveTicket(const model::Ticket& ticket)
{
    if (!ticket.caseNumber.empty()) {
        openCase(ticket.caseNumber);
        return;
    }
    if (auto* tab = intakeFor(ticket.id)) {
        m_tabs->SetSelection(static_cast<size_t>(m_tabs->GetPageIndex(tab)));
        return;
    }
    addTab(new IntakeTab(m_tabs, *this, ticket.id, ticket.draft));
}

void MainFrame::intakeOpened(const std::string& ticket, const std::string& caseNumber)
{
    if (m_queue)
        m_queue->intakeOpened(ticket, caseNumber);
}

void MainFrame::openCaseByNumber()
{
    wxTextEntryDialog dialog(this, _("Case number:"), _("Open case"));
    if (dialog.ShowModal() != wxID_OK)
        return;
    const std::string number = utf8(dialog.GetValue().Strip(wxString::both));
    if (!number.empty())
        openCase(number);
}

void MainFrame::search()
{
    addTab(new SearchTab(m_tabs, *this));
}

void MainFrame::closeCurrentTab()
{
    const int index = m_tabs->GetSelection();
    if (index == wxNOT_FOUND)
        return;
    if (auto* tab = dynamic_cast<Tab*>(m_tabs->GetPage(static_cast<size_t>(index))); tab && !tab->canClose())
        return;
    m_tabs->DeletePage(static_cast<size_t>(index));
}

void MainFrame::showStatus(const wxString& text)
{
    m_status->show(text, FieldMessage);
}

void MainFrame::dataChanged()
{
    m_work->reload();
    if (m_queue)
        m_queue->reload();
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
        if (auto* tab = dynamic_cast<Tab*>(m_tabs->GetPage(i)))
            tab->onDataChanged();
}

void MainFrame::whenCaseShown(const std::string& number, std::function<void()> shown)
{
    m_caseShown[number] = std::move(shown);
}

void MainFrame::caseShown(const std::string& number)
{
    if (auto it = m_caseShown.find(number); it != m_caseShown.end()) {
        auto shown = std::move(it->second);
        m_caseShown.erase(it);
        shown();
    }
}

void MainFrame::poll()
{
    if (m_polling)
        return; // the worker is still busy with the last question
    m_polling = true;
    struct Poll {
        std::int64_t marker = 0;
        client::BackendStatus status;
    };
    runAsync<Poll>(
        *m_session, m_liveness,
        [](client::Backend& b) {
            Poll p;
            p.status = b.status();
            p.marker = b.changeMarker();
            return p;
        },
        [this](Poll p) {
            m_polling = false;
            const bool changed = m_marker >= 0 && p.marker != m_marker;
            const bool first = m_marker < 0;
            m_marker = p.marker;
            showLink(p.status);
            if (changed)
                dataChanged();
            // New conflicts can only come with new events.
            if ((changed || first) && m_user.can(model::Action::ResolveConflict))
                runAsync<std::vector<std::string>>(
                    *m_session, m_liveness,
                    [](client::Backend& b) {
                        std::vector<std::string> numbers;
                        for (const auto& c : b.conflicts())
                            numbers.push_back(c.number);
                        return numbers;
                    },
                    [this](std::vector<std::string> numbers) { noteConflicts(std::move(numbers)); });
            if (first && m_ready) {
                auto ready = std::move(m_ready);
                m_ready = nullptr;
                // The work list was asked for before this poll, so it is on screen now.
                CallAfter([ready] { ready(); });
            }
        },
        [this](const std::string& message) {
            m_polling = false;
            m_status->show(wx(message), FieldDatabase);
        });
}

namespace {

// "10:42:13", with the date when it was not today.
wxString sinceText(std::int64_t unixMs)
{
    const wxDateTime at(static_cast<time_t>(unixMs / 1000));
    if (at.IsSameDate(wxDateTime::Now()))
        return at.Format("%H:%M:%S");
    return at.Format("%Y-%m-%d %H:%M");
}

} // namespace

void MainFrame::showLink(const client::BackendStatus& s)
{
    const bool turned = m_linkKnown && s.online != m_online;
    const bool drained = m_backlog && s.online && s.pending == 0;
    m_online = s.online;
    m_pending = s.pending;
    m_since = s.since;
    wxString state;
    if (s.online)
        state = _("database online");
    else if (s.since > 0)
        // TRANSLATORS: status bar while the centre's database does not answer; %s is a time
        // of day (or a date and time), e.g. "OFFLINE since 10:42:13".
        state = wxString::Format(_("OFFLINE since %s"), sinceText(s.since));
    else
        state = _("OFFLINE");
    if (s.throughReplica)
        // TRANSLATORS: database state in the status bar, e.g. "database online · 0 pending".
        state = wxString::Format(_("%s · %lld pending"), state, static_cast<long long>(s.pending));
    m_status->show(state, FieldDatabase);
    updateTitle();
    if (m_queue)
        m_queue->setOnline(s.online);
    if (turned && !s.online) {
        m_sentBefore = s.sent;
        m_status->show(_("The centre's database does not answer: work goes on on this workstation and is "
                         "sent when it answers again."),
            FieldMessage);
    } else if (turned) {
        m_status->show(_("The centre's database answers again."), FieldMessage);
    }
    if (!s.online || (!m_linkKnown && s.pending > 0))
        m_backlog = true;
    if (drained) {
        m_backlog = false;
        // TRANSLATORS: status bar once everything done offline has been sent; %lld counts
        // the events sent since the outage began.
        m_status->show(wxString::Format(_("Back online: all work done offline has reached the centre's "
                                          "database (%lld changes sent)."),
                           static_cast<long long>(s.sent - m_sentBefore)),
            FieldMessage);
    }
    m_linkKnown = true;
    // Reads go to the other store now: show what it holds.
    if (turned || drained)
        dataChanged();
}

void MainFrame::noteConflicts(std::vector<std::string> numbers)
{
    std::sort(numbers.begin(), numbers.end());
    std::vector<std::string> fresh;
    std::set_difference(
        numbers.begin(), numbers.end(), m_conflicts.begin(), m_conflicts.end(), std::back_inserter(fresh));
    const bool first = !m_conflictsKnown;
    m_conflictsKnown = true;
    m_conflicts = std::move(numbers);
    if (fresh.empty())
        return;
    wxString text;
    if (first)
        text = wxString::Format(wxPLURAL("%d case is in conflict and waits in the conflicts inbox.",
                                    "%d cases are in conflict and wait in the conflicts inbox.",
                                    static_cast<unsigned>(fresh.size())),
            static_cast<int>(fresh.size()));
    else {
        wxString list;
        for (std::size_t i = 0; i < fresh.size() && i < 3; ++i)
            list += (i ? ", " : "") + wx(fresh[i]);
        if (fresh.size() > 3)
            list += ", …";
        // TRANSLATORS: a notice for queue managers; %d counts cases, %s lists their numbers.
        text = wxString::Format(wxPLURAL("%d case came in conflict with work done elsewhere (%s); it waits "
                                         "in the conflicts inbox.",
                                    "%d cases came in conflict with work done elsewhere (%s); they wait in "
                                    "the conflicts inbox.",
                                    static_cast<unsigned>(fresh.size())),
            static_cast<int>(fresh.size()), list);
    }
    const bool inbox = m_user.can(model::Action::MoveTicket) || m_user.can(model::Action::ManageCatalogue);
    showNotice(text, inbox ? _("Open the conflicts &inbox") : wxString(), [this] {
        showTab<ConsoleTab>();
        for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
            if (auto* console = dynamic_cast<ConsoleTab*>(m_tabs->GetPage(i)))
                console->focusConflicts();
    });
    RequestUserAttention();
}

void MainFrame::showNotice(const wxString& text, const wxString& action, std::function<void()> onAction)
{
    m_notice->set(text, action, std::move(onAction));
    auto& pane = m_aui.GetPane("notice");
    pane.BestSize(-1, m_notice->GetBestSize().GetHeight()).Show();
    m_aui.Update();
    m_status->show(text, FieldMessage);
}

void MainFrame::hideNotice()
{
    m_aui.GetPane("notice").Hide();
    m_aui.Update();
}

void MainFrame::toggleDiagnostics()
{
    auto& pane = m_aui.GetPane("diagnostics");
    pane.Show(!pane.IsShown());
    m_aui.Update();
}

void MainFrame::showShortcuts()
{
    struct Shortcut {
        const char* keys;
        wxString what;
    };
    const std::vector<Shortcut> shortcuts = {
        {"F2", _("Call the next ticket (ends the current one)")},
        {"Shift+F2 / F4", _("Recall the ticket / end the service")},
        {"Ctrl+Shift+N / K / P / W", _("No-show / park / pass on / serve without ticket")},
        {"F3", _("New intake")},
        {"Ctrl+O", _("Open a case by number")},
        {"Ctrl+F", _("Search by case number, name, ID number or phone")},
        {"Ctrl+L", _("All cases of the centre")},
        {"F6", _("My work list")},
        {"Ctrl+PgDn / Ctrl+PgUp", _("Next / previous tab")},
        {"Ctrl+W", _("Close the tab")},
        {"F5", _("Refresh")},
        {"Ctrl+Shift+D", _("Diagnostics")},
        {"F1", _("These shortcuts")},
        {"Ctrl+Q", _("Quit")},
        {"Alt+1 … Alt+5", _("Intake tab: go to a step")},
        {"Ctrl+Enter", _("Intake tab: carry out the decision")},
        {"Alt+letter", _("Case tab: the action whose button shows that letter")},
    };
    wxDialog dialog(this, wxID_ANY, _("Keyboard shortcuts"));
    auto* list = new wxListCtrl(
        &dialog, wxID_ANY, wxDefaultPosition, wxSize(560, 340), wxLC_REPORT | wxLC_SINGLE_SEL);
    list->AppendColumn(_("Keys"), wxLIST_FORMAT_LEFT, 180);
    list->AppendColumn(_("Action"), wxLIST_FORMAT_LEFT, 360);
    for (const auto& s : shortcuts) {
        long i = list->InsertItem(list->GetItemCount(), s.keys);
        list->SetItem(i, 1, s.what);
    }
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(list, wxSizerFlags(1).Expand().Border());
    top->Add(dialog.CreateStdDialogButtonSizer(wxOK), wxSizerFlags().Expand().Border());
    dialog.SetSizerAndFit(top);
    dialog.CentreOnParent();
    dialog.ShowModal();
}

void MainFrame::saveLayout()
{
    auto* config = wxConfigBase::Get();
    config->Write("Layout/Perspective", m_aui.SavePerspective());
    if (!IsMaximized() && !IsIconized()) {
        config->Write("Layout/Width", GetSize().GetWidth());
        config->Write("Layout/Height", GetSize().GetHeight());
    }
    config->Flush();
}

} // namespace ow::gui
