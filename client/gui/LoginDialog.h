// The first thing a clerk sees: account and password, checked against the stored
// hashes on the worker thread; the database the client opens, with a way to the
// connection settings when it cannot be opened.
#pragma once

#include "Async.h"

#include <memory>
#include <wx/dialog.h>

class wxButton;
class wxStaticText;
class wxTextCtrl;

namespace ow::gui {

class LoginDialog : public wxDialog {
public:
    // `connection` "" means the embedded default. With a password given (kiosks,
    // tests: --password-file) the dialog logs in at once.
    LoginDialog(client::ConnectionSettings settings, const wxString& user, const wxString& password);

    // After wxID_OK: the open session and who logged in.
    std::unique_ptr<Session> takeSession() { return std::move(m_session); }
    const model::Staff& staff() const { return m_staff; }

private:
    void submit();
    void chooseConnection();
    void showDatabase();
    void setBusy(bool busy);

    client::ConnectionSettings m_settings;
    std::unique_ptr<Session> m_session;
    model::Staff m_staff;
    wxTextCtrl* m_user = nullptr;
    wxTextCtrl* m_password = nullptr;
    wxStaticText* m_database = nullptr;
    wxStaticText* m_message = nullptr;
    wxButton* m_login = nullptr;
    wxButton* m_settingsButton = nullptr;
    Liveness m_liveness;
};

} // namespace ow::gui
