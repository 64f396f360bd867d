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
class DiagnosticsPanel;
class StatusLine;

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
    // `shown` runs once, when a tab first shows case `number`.
    void whenCaseShown(const std::string& number, std::function<void()> shown);

    void newIntake();
    void openCaseByNumber();
    void search();
    // Called once the first work list is shown (startup timing).
    void onReady(std::function<void()> ready) { m_ready = std::move(ready); }

private:
    void buildMenus();
    void addTab(Tab* tab);
    void closeCurrentTab();
    void poll();
    void updateTitle();
    void showShortcuts();
    void toggleDiagnostics();
    void saveLayout();

    std::unique_ptr<Session> m_session;
    model::Staff m_user;
    wxAuiManager m_aui;
    wxAuiNotebook* m_tabs = nullptr;
    WorkListPanel* m_work = nullptr;
    DiagnosticsPanel* m_diagnostics = nullptr;
    StatusLine* m_status = nullptr;
    wxTimer m_timer;
    std::int64_t m_marker = -1;
    bool m_polling = false;
    bool m_online = true;
    std::int64_t m_pending = 0;
    std::function<void()> m_ready;
    std::map<std::string, std::function<void()>> m_caseShown;
    Liveness m_liveness;
};

} // namespace ow::gui
