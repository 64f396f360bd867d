// "Queue (F2 next)": the ticket this window is serving, how long it has waited and been
// served, and the counter's queue actions — call next (ending the current ticket),
// recall, no-show, park and resume, pass on to another window, category or colleague
// with the half-done work, end the service, and serve someone without a ticket. Every
// action is one job on the worker thread against the shared database.
#pragma once

#include "model/Json.h"
#include "model/Queue.h"

#include "Shell.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include <wx/panel.h>
#include <wx/timer.h>

class wxButton;
class wxListBox;
class wxStaticText;

namespace ow::gui {

class QueuePanel : public wxPanel {
public:
    struct Hooks {
        // Open the work for a called ticket: its case, or an intake (restored from its draft).
        std::function<void(const model::Ticket&)> serve;
        // The half-done intake of a ticket's open tab, to carry along when it is passed on.
        std::function<model::Json(const std::string& ticket)> draftOf;
    };

    QueuePanel(wxWindow* parent, Shell& shell, std::string window, Hooks hooks);

    void callNext(); // F2
    void recall(); // Shift+F2
    void endService(); // F4
    void noShow();
    void park();
    void passOn();
    void walkIn();
    void reload();
    // While the centre's database does not answer, only serving without a ticket and
    // ending one's own service work; the pane says so.
    void setOnline(bool online);
    // An intake tab opened `caseNumber` for `ticket`: recorded when the service ends.
    void intakeOpened(const std::string& ticket, const std::string& caseNumber);
    std::optional<model::Ticket> current() const { return m_current; }

private:
    struct Floor {
        std::optional<model::Ticket> current;
        std::vector<model::Ticket> parked;
        int waiting = 0;
        std::vector<model::ServiceWindow> windows;
        std::vector<model::QueueCategory> categories;
        std::vector<model::Staff> staff;
    };

    void show(Floor floor);
    void showClock();
    void act(
        const wxString& done, std::function<model::Ticket(client::Backend&)> job, bool serveResult = false);
    void resume();
    void fail(const std::string& message);
    std::string caseFor(const model::Ticket& ticket) const;
    wxString windowName(const std::string& code) const;

    Shell& m_shell;
    std::string m_window;
    Hooks m_hooks;
    std::optional<model::Ticket> m_current;
    std::vector<model::Ticket> m_parked;
    Floor m_floor;
    std::map<std::string, std::string> m_cases; // ticket → case opened for it here
    bool m_busy = false;
    bool m_loading = false;
    bool m_online = true;

    wxStaticText* m_windowLabel = nullptr;
    wxStaticText* m_ticket = nullptr;
    wxStaticText* m_detail = nullptr;
    wxStaticText* m_waiting = nullptr;
    wxStaticText* m_message = nullptr;
    wxButton* m_call = nullptr;
    wxButton* m_recall = nullptr;
    wxButton* m_noShow = nullptr;
    wxButton* m_park = nullptr;
    wxButton* m_passOn = nullptr;
    wxButton* m_end = nullptr;
    wxButton* m_walkIn = nullptr;
    wxButton* m_resume = nullptr;
    wxListBox* m_parkedList = nullptr;
    wxTimer m_clock;
    Liveness m_liveness;
};

} // namespace ow::gui
