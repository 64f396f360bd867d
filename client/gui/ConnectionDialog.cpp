#include "ConnectionDialog.h"

#include "Text.h"
#include "db/Store.h"

#include <map>
#include <sstream>
#include <wx/config.h>
#include <wx/intl.h>
#include <wx/radiobut.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::gui {

namespace {

std::map<std::string, std::string> keyValues(const std::string& parameters)
{
    std::map<std::string, std::string> kv;
    std::istringstream in(parameters);
    std::string word;
    while (in >> word)
        if (auto eq = word.find('='); eq != std::string::npos)
            kv[word.substr(0, eq)] = word.substr(eq + 1);
    return kv;
}

} // namespace

std::string rememberedConnection()
{
    wxString value;
    wxConfigBase::Get()->Read("Connection/Database", &value);
    return utf8(value);
}

void rememberConnection(const std::string& connection)
{
    wxConfigBase::Get()->Write("Connection/Database", wx(connection));
    wxConfigBase::Get()->Flush();
}

ConnectionDialog::ConnectionDialog(wxWindow* parent, const std::string& current)
    : wxDialog(parent, wxID_ANY, _("Connection settings"))
{
    std::string file = db::ConnectionInfo::parse(db::defaultConnectionString()).sqlitePath();
    std::map<std::string, std::string> pg{{"host", "localhost"}, {"port", "5432"}, {"dbname", "onewindow"}};
    bool shared = false;
    if (!current.empty()) {
        auto info = db::ConnectionInfo::parse(current);
        if (info.backend == db::Backend::Sqlite) {
            file = info.sqlitePath();
        } else {
            shared = true;
            for (auto& [k, v] : keyValues(info.parameters))
                pg[k] = v;
        }
    }
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_embedded = new wxRadioButton(this, wxID_ANY, _("&Embedded database on this computer"),
        wxDefaultPosition, wxDefaultSize, wxRB_GROUP);
    top->Add(m_embedded, wxSizerFlags().Border());
    auto* fileRow = new wxBoxSizer(wxHORIZONTAL);
    fileRow->Add(new wxStaticText(this, wxID_ANY, _("&File:")), wxSizerFlags().Centre().Border(wxRIGHT));
    m_file = new wxTextCtrl(this, wxID_ANY, wx(file), wxDefaultPosition, wxSize(380, -1));
    fileRow->Add(m_file, wxSizerFlags(1));
    top->Add(fileRow, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, 24));

    m_shared = new wxRadioButton(this, wxID_ANY, _("&Shared PostgreSQL database of the centre"));
    top->Add(m_shared, wxSizerFlags().Border());
    auto* grid = new wxFlexGridSizer(2, wxSize(8, 6));
    grid->AddGrowableCol(1);
    auto row = [&](const wxString& label, wxWindow* control) {
        grid->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().CentreVertical());
        grid->Add(control, wxSizerFlags().Expand());
    };
    m_host = new wxTextCtrl(this, wxID_ANY, wx(pg["host"]));
    row(_("&Host:"), m_host);
    m_port = new wxSpinCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS,
        1, 65535, std::atoi(pg["port"].c_str()));
    row(_("&Port:"), m_port);
    m_database = new wxTextCtrl(this, wxID_ANY, wx(pg["dbname"]));
    row(_("&Database:"), m_database);
    m_user = new wxTextCtrl(this, wxID_ANY, wx(pg["user"]));
    row(_("&User:"), m_user);
    top->Add(grid, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, 24));
    top->Add(new wxStaticText(this, wxID_ANY,
                 _("The password of a shared database is not stored: it comes from ~/.pgpass.")),
        wxSizerFlags().Border());
    top->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL), wxSizerFlags().Expand().Border());
    SetSizerAndFit(top);

    (shared ? m_shared : m_embedded)->SetValue(true);
    m_embedded->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) { updateEnabled(); });
    m_shared->Bind(wxEVT_RADIOBUTTON, [this](wxCommandEvent&) { updateEnabled(); });
    updateEnabled();
    CentreOnParent();
}

void ConnectionDialog::updateEnabled()
{
    const bool shared = m_shared->GetValue();
    m_file->Enable(!shared);
    for (wxWindow* w : std::initializer_list<wxWindow*>{m_host, m_port, m_database, m_user})
        w->Enable(shared);
}

std::string ConnectionDialog::connection() const
{
    if (m_embedded->GetValue()) {
        const std::string chosen = "sqlite3://db=" + utf8(m_file->GetValue());
        return chosen == db::defaultConnectionString() ? std::string() : chosen;
    }
    std::string s = "postgresql://host=" + utf8(m_host->GetValue())
        + " port=" + std::to_string(m_port->GetValue()) + " dbname=" + utf8(m_database->GetValue());
    if (!m_user->GetValue().empty())
        s += " user=" + utf8(m_user->GetValue());
    return s;
}

} // namespace ow::gui
