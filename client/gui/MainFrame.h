// The main window: "My work" on the left, a notebook of case and intake tabs in the
// middle, a status bar (user, role, centre, database state). The pane layout and the
// window size are remembered between runs. A timer asks the worker once a second
// whether events arrived (here or on another workstation) and refreshes what shows them.
#pragma once

#include "Shell.h"

#include <functional>
#include <map>
#include <memory>
#include <wx/aui/aui.h>
#include <wx/frame.h>
#include <wx/timer.h>

class wxAuiNotebook;

namespace ow::gui {

class WorkListPanel;
class QueuePanel;
class IntakeTab;
class DiagnosticsPanel;
class StatusLine;
class NoticeBar;

class MainFrame : public wxFrame, public Shell {
public:
    MainFrame(std::unique_ptr<Session> session, model::Staff user);
    ~MainFrame() override;

    // Shell
    Session& session() override { return *m_session; }
    const model::Staff& user() const override { return m_user; }
    void openCase(const std::string& number) override;
    void retitle(Tab& tab) override;
    void showStatus(const wxString& text) override;
    void dataChanged() override;
    void caseShown(const std::string& number) override;
    void intakeOpened(const std::string& ticket, const std::string& caseNumber) override;
    // `shown` runs once, when a tab first shows case `number`.
    void whenCaseShown(const std::string& number, std::function<void()> shown);

    void newIntake();
    void callNext(); // F2
    void bookAppointment();
    void openCaseByNumber();
    void search();
    // Called once the first work list is shown (startup timing).
    void onReady(std::function<void()> ready) { m_ready = std::move(ready); }

private:
    void buildMenus();
    void addTab(Tab* tab);
    void closeCurrentTab();
    void poll();
    // The link to the centre's database as the status bar, the title and the queue pane
    // show it; a change between online and offline reloads what is on screen.
    void showLink(const client::BackendStatus& status);
    // Cases in conflict now: a queue manager hears of those that were not before.
    void noteConflicts(std::vector<std::string> numbers);
    void showNotice(const wxString& text, const wxString& action, std::function<void()> onAction);
    void hideNotice();
    void updateTitle();
    void showShortcuts();
    void toggleDiagnostics();
    void saveLayout();
    // Opens the work of a called ticket: its case, its intake tab if open, or a new one.
    void serveTicket(const model::Ticket& ticket);
    IntakeTab* intakeFor(const std::string& ticket) const;
    // Selects the open tab of this kind, or opens one.
    template<class T> void showTab()
    {
        for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
            if (dynamic_cast<T*>(m_tabs->GetPage(i))) {
                m_tabs->SetSelection(i);
                return;
            }
        addTab(new T(m_tabs, *this));
    }

    std::unique_ptr<Session> m_session;
    model::Staff m_user;
    wxAuiManager m_aui;
    wxAuiNotebook* m_tabs = nullptr;
    WorkListPanel* m_work = nullptr;
    QueuePanel* m_queue = nullptr; // for window staff only
    DiagnosticsPanel* m_diagnostics = nullptr;
    StatusLine* m_status = nullptr;
    NoticeBar* m_notice = nullptr;
    wxTimer m_timer;
    std::int64_t m_marker = -1;
    bool m_polling = false;
    bool m_online = true;
    bool m_linkKnown = false;
    bool m_backlog = false; // pending events left from an outage, until they are all sent
    std::int64_t m_pending = 0;
    std::int64_t m_since = 0;
    std::int64_t m_sentBefore = 0; // events sent up when the outage began
    bool m_conflictsKnown = false;
    std::vector<std::string> m_conflicts; // sorted
    std::function<void()> m_ready;
    std::map<std::string, std::function<void()>> m_caseShown;
    Liveness m_liveness;
};

} // namespace ow::gui
