// What a tab of the main window may ask of the window around it, so that tabs do not
// depend on the frame: open another case, retitle itself, say something in the status
// bar, reach the session and the logged-in user.
#pragma once

#include "model/Permissions.h"

#include "Async.h"

#include <string>
#include <wx/panel.h>

namespace ow::gui {

class Tab;

class Shell {
public:
    virtual ~Shell() = default;
    virtual Session& session() = 0;
    virtual const model::Staff& user() const = 0;
    virtual void openCase(const std::string& number) = 0;
    virtual void retitle(Tab& tab) = 0;
    virtual void showStatus(const wxString& text) = 0;
    // The work list and other views reload (after this client wrote something).
    virtual void dataChanged() = 0;
    // A case tab has shown its case (start-up timing and tests listen for it).
    virtual void caseShown(const std::string& number) = 0;
    // An intake tab opened a case for the ticket it serves ("" when none): the queue
    // records it when the service ends.
    virtual void intakeOpened(const std::string& ticket, const std::string& caseNumber)
    {
        (void)ticket;
        (void)caseNumber;
    }
};

// A page of the central notebook.
class Tab : public wxPanel {
public:
    Tab(wxWindow* parent, Shell& shell)
        : wxPanel(parent)
        , m_shell(shell)
    {
    }
    virtual wxString title() const = 0;
    // The case shown, if any: the frame reuses the tab when that case is opened again.
    virtual std::string caseNumber() const { return {}; }
    // Events arrived in the database (this or another workstation): reload if affected.
    virtual void onDataChanged() { }
    // The tab may close (an intake half done asks first).
    virtual bool canClose() { return true; }

protected:
    Shell& shell() { return m_shell; }
    Session& session() { return m_shell.session(); }
    const Liveness& liveness() const { return m_liveness; }

private:
    Shell& m_shell;
    Liveness m_liveness;
};

} // namespace ow::gui
