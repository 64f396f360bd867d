#include "LoginDialog.h"

#include "ConnectionDialog.h"
#include "Text.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::gui {

LoginDialog::LoginDialog(client::ConnectionSettings settings, const wxString& user, const wxString& password)
    : wxDialog(nullptr, wxID_ANY, _("OneWindow — log in"))
    , m_settings(std::move(settings))
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, _("OneWindow one-stop service"));
    title->SetFont(title->GetFont().Scale(1.4f).Bold());
    top->Add(title, wxSizerFlags().Border(wxALL, 12));

    auto* grid = new wxFlexGridSizer(2, wxSize(10, 8));
    grid->AddGrowableCol(1);
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Account:")), wxSizerFlags().CentreVertical());
    m_user = new wxTextCtrl(this, wxID_ANY, user, wxDefaultPosition, wxSize(260, -1));
    grid->Add(m_user, wxSizerFlags().Expand());
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Password:")), wxSizerFlags().CentreVertical());
    m_password = new wxTextCtrl(this, wxID_ANY, password, wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    grid->Add(m_password, wxSizerFlags().Expand());
    grid->Add(new wxStaticText(this, wxID_ANY, _("Database:")), wxSizerFlags().CentreVertical());
    m_database = new wxStaticText(this, wxID_ANY, wxString());
    grid->Add(m_database, wxSizerFlags().Expand());
    top->Add(grid, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, 12));

    m_message = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(420, -1));
    m_message->SetForegroundColour(wxColour(176, 0, 32));
    top->Add(m_message, wxSizerFlags().Expand().Border(wxALL, 12));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_settingsButton = new wxButton(this, wxID_ANY, _("&Connection settings…"));
    buttons->Add(m_settingsButton);
    buttons->AddStretchSpacer();
    m_login = new wxButton(this, wxID_OK, _("&Log in"));
    m_login->SetDefault();
    buttons->Add(m_login, wxSizerFlags().Border(wxRIGHT));
    buttons->Add(new wxButton(this, wxID_CANCEL, _("Cancel")));
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, 12));
    SetSizerAndFit(top);
    showDatabase();

    m_login->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); });
    m_settingsButton->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { chooseConnection(); });
    (user.empty() ? m_user : m_password)->SetFocus();
    CentreOnScreen();
    if (!user.empty() && !password.empty())
        CallAfter([this] { submit(); });
}

void LoginDialog::showDatabase()
{
    std::string shown = m_settings.database.empty() ? db::defaultConnectionString() : m_settings.database;
    try {
        shown = db::ConnectionInfo::parse(shown).redacted();
    } catch (const model::DomainError&) {
    }
    m_database->SetLabel(wx(shown));
    m_database->Wrap(420);
    Layout();
    Fit();
}

void LoginDialog::setBusy(bool busy)
{
    m_login->Enable(!busy);
    m_settingsButton->Enable(!busy);
    m_user->Enable(!busy);
    m_password->Enable(!busy);
    if (busy)
        m_message->SetLabel(_("Opening the database…"));
}

void LoginDialog::submit()
{
    const std::string user = utf8(m_user->GetValue().Strip(wxString::both));
    const std::string password = utf8(m_password->GetValue());
    if (user.empty()) {
        m_message->SetLabel(_("Enter your account name."));
        m_user->SetFocus();
        return;
    }
    if (!m_session)
        m_session = std::make_unique<Session>(m_settings);
    setBusy(true);
    runAsync<model::Staff>(
        *m_session, m_liveness,
        [user, password](client::Backend& b) {
            if (!b.isOpen())
                b.open();
            return b.login(user, password);
        },
        [this](model::Staff staff) {
            m_staff = std::move(staff);
            EndModal(wxID_OK);
        },
        [this](const std::string& message) {
            setBusy(false);
            m_message->SetLabel(wx(message));
            m_message->Wrap(420);
            Layout();
            Fit();
            m_password->SetFocus();
            m_password->SelectAll();
        });
}

void LoginDialog::chooseConnection()
{
    ConnectionDialog dialog(this, m_settings.database);
    if (dialog.ShowModal() != wxID_OK)
        return;
    m_settings.database = dialog.connection();
    rememberConnection(m_settings.database);
    m_session.reset(); // the next attempt opens the new database
    m_message->SetLabel(wxString());
    showDatabase();
}

} // namespace ow::gui
