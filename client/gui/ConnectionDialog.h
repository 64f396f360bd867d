// Where the client's data lives: the embedded database on this computer (the default)
// or a centre's shared PostgreSQL database. Remembered with wxConfig; the password of a
// shared database is never stored (libpq's ~/.pgpass or the server's trust rules
// provide it).
#pragma once

#include <string>
#include <wx/dialog.h>

class wxRadioButton;
class wxTextCtrl;
class wxSpinCtrl;

namespace ow::gui {

// The remembered connection string, or "" for the embedded default.
std::string rememberedConnection();
void rememberConnection(const std::string& connection);

class ConnectionDialog : public wxDialog {
public:
    ConnectionDialog(wxWindow* parent, const std::string& current);
    // The connection string chosen ("" for the embedded default).
    std::string connection() const;

private:
    void updateEnabled();

    wxRadioButton* m_embedded = nullptr;
    wxRadioButton* m_shared = nullptr;
    wxTextCtrl* m_file = nullptr;
    wxTextCtrl* m_host = nullptr;
    wxSpinCtrl* m_port = nullptr;
    wxTextCtrl* m_database = nullptr;
    wxTextCtrl* m_user = nullptr;
};

} // namespace ow::gui
