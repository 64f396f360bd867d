// onewindow: the window-staff desktop client. The composition root: reads the command
// line and the remembered settings, sets up the language and the log, builds the
// session (client/core) behind the login dialog and hands it to the main window.
#include "ConnectionDialog.h"
#include "EvaluatorFrame.h"
#include "HallDisplay.h"
#include "LoginDialog.h"
#include "MainFrame.h"
#include "ProcessStats.h"
#include "Text.h"
#include "client/core/LogRing.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <spdlog/spdlog.h>
#include <typeinfo>
#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/config.h>
#include <wx/ffile.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/stdpaths.h>
#include <wx/timer.h>
#include <wx/translation.h>

namespace ow::gui {

namespace {

const auto kStart = std::chrono::steady_clock::now();

// With --timing: how long the GUI thread was kept from its event loop at most, seen by
// a timer that should tick every 20 ms (a late tick is a stall of the difference).
class StallWatch : public wxTimer {
public:
    StallWatch() { Start(20); }
    void Notify() override
    {
        const auto now = std::chrono::steady_clock::now();
        if (m_last.time_since_epoch().count() != 0) {
            const double late = std::chrono::duration<double, std::milli>(now - m_last).count() - 20.0;
            m_worst = std::max(m_worst, late);
        }
        m_last = now;
    }
    double worstMs() const { return m_worst; }

private:
    std::chrono::steady_clock::time_point m_last{};
    double m_worst = 0;
};

} // namespace

class OneWindowApp : public wxApp {
public:
    bool OnInit() override;
    // An exception no handler caught: said in the log with its type and message (wx's own
    // report says only "unknown exception"), then the program ends as wx would.
    void OnUnhandledException() override
    {
        try {
            throw;
        } catch (const std::exception& e) {
            spdlog::critical("unhandled exception {}: {}", typeid(e).name(), e.what());
        } catch (...) {
            spdlog::critical("unhandled exception of an unknown type");
        }
        wxApp::OnUnhandledException();
    }
    int OnExit() override
    {
        // With --timing: the longest the GUI thread was kept from its events all session.
        if (m_stalls)
            std::cout << "session_max_stall_ms " << m_stalls->worstMs() << std::endl;
        return wxApp::OnExit();
    }
    void OnInitCmdLine(wxCmdLineParser& parser) override;
    bool OnCmdLineParsed(wxCmdLineParser& parser) override;

private:
    void setUpLanguage();
    bool startHallDisplay(client::ConnectionSettings settings);

    wxString m_database;
    wxString m_replica;
    wxString m_user;
    wxString m_passwordFile;
    wxString m_workstation = "W01";
    wxString m_language;
    wxString m_openCase;
    bool m_timing = false;
    bool m_quitWhenReady = false;
    bool m_hallDisplay = false;
    bool m_evaluator = false;
    std::unique_ptr<wxLocale> m_locale;
    std::unique_ptr<StallWatch> m_stalls;
};

void OneWindowApp::OnInitCmdLine(wxCmdLineParser& parser)
{
    wxApp::OnInitCmdLine(parser);
    parser.AddOption("", "db", "database connection string (overrides the remembered one)");
    parser.AddOption(
        "", "replica", "workstation replica for a shared database (default: in the data folder)");
    parser.AddOption("", "user", "fill in the account name");
    parser.AddOption("", "password-file", "read the password from the first line of FILE (kiosks, tests)");
    parser.AddOption("", "workstation", "workstation code of offline fallback case numbers (default W01)");
    parser.AddOption(
        "", "lang", "interface language: zh_CN or en (default: the preference, else the system's)");
    parser.AddSwitch("", "timing", "print start-up time and memory when the main window is usable");
    parser.AddSwitch("", "quit-when-ready", "quit as soon as the main window is usable (with --timing)");
    parser.AddOption(
        "", "open-case", "with --timing: open this case once ready and print how long its tab took");
    // TRANSLATORS: help of the command-line switch --hall-display.
    parser.AddSwitch("", "hall-display",
        _("show the hall's public screen of calls (no login) instead of the main window"));
    parser.AddSwitch("", "evaluator",
        // TRANSLATORS: help of the command-line switch --evaluator.
        _("show the rating pad facing the applicant at the window given by --workstation (no login) "
          "instead of the main window"));
}

bool OneWindowApp::OnCmdLineParsed(wxCmdLineParser& parser)
{
    parser.Found("db", &m_database);
    parser.Found("replica", &m_replica);
    parser.Found("user", &m_user);
    parser.Found("password-file", &m_passwordFile);
    parser.Found("workstation", &m_workstation);
    parser.Found("lang", &m_language);
    m_timing = parser.Found("timing");
    m_quitWhenReady = parser.Found("quit-when-ready");
    parser.Found("open-case", &m_openCase);
    m_hallDisplay = parser.Found("hall-display");
    m_evaluator = parser.Found("evaluator");
    return wxApp::OnCmdLineParsed(parser);
}

void OneWindowApp::setUpLanguage()
{
    // The system's locale for dates and numbers, when it is installed; the interface
    // language is chosen separately, so that Chinese works also where no zh_CN locale
    // was generated.
    {
        wxLogNull quiet; // a missing system locale is not worth a dialog
        m_locale = std::make_unique<wxLocale>();
        m_locale->Init(wxLANGUAGE_DEFAULT, wxLOCALE_DONT_LOAD_DEFAULT);
    }
    // Catalogs: next to the build tree first, then the installed prefix.
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(OW_BUILD_LOCALE_DIR);
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(OW_INSTALL_LOCALE_DIR);
    wxString preference = m_language;
    if (preference.empty())
        wxConfigBase::Get()->Read("Language", &preference);
    auto* translations = wxTranslations::Get();
    if (!preference.empty())
        translations->SetLanguage(preference); // e.g. "zh_CN"; "en" keeps the English source
    translations->AddCatalog("onewindow", wxLANGUAGE_ENGLISH_US);
    translations->AddStdCatalog();
}

bool OneWindowApp::OnInit()
{
    SetAppName("onewindow");
    SetVendorName("OneWindow");
    if (!wxApp::OnInit())
        return false;
    client::installLogRing();
    setUpLanguage();

    client::ConnectionSettings settings;
    settings.database = m_database.empty() ? rememberedConnection() : utf8(m_database);
    settings.replica = utf8(m_replica);
    settings.workstation = utf8(m_workstation);
    settings.followUpDays = static_cast<int>(wxConfigBase::Get()->ReadLong("Centre/FollowUpDays", 5));
    if (m_hallDisplay)
        return startHallDisplay(std::move(settings));
    if (m_evaluator) {
        // The rating pad facing the applicant at the window --workstation names: a public
        // device, so no login.
        auto* pad = new EvaluatorFrame(std::move(settings));
        pad->Show();
        pad->ShowFullScreen(true);
        SetTopWindow(pad);
        return true;
    }

    wxString password;
    if (!m_passwordFile.empty()) {
        std::ifstream in(m_passwordFile.fn_str());
        std::string line;
        if (!in || !std::getline(in, line)) {
            std::cerr << "onewindow: cannot read the password file " << m_passwordFile.utf8_string() << "\n";
            return false;
        }
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        password = wx(line);
    }

    LoginDialog login(settings, m_user, password);
    if (login.ShowModal() != wxID_OK)
        return false;
    auto* frame = new MainFrame(login.takeSession(), login.staff());
    if (m_timing) {
        m_stalls = std::make_unique<StallWatch>(); // from the main window on
        frame->onReady([this, frame] {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - kStart)
                                .count();
            std::cout << "ready_ms " << ms << "\nresident_kib " << residentKiB() << std::endl;
            if (m_openCase.empty()) {
                std::cout << "max_stall_ms " << m_stalls->worstMs() << std::endl;
                if (m_quitWhenReady)
                    frame->Close(true);
                return;
            }
            const auto asked = std::chrono::steady_clock::now();
            const std::string number = utf8(m_openCase);
            frame->whenCaseShown(number, [this, frame, asked] {
                const auto tabMs
                    = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked);
                std::cout << "case_tab_ms " << tabMs.count() << "\nmax_stall_ms " << m_stalls->worstMs()
                          << std::endl;
                if (m_quitWhenReady)
                    frame->Close(true);
            });
            frame->openCase(number);
        });
    }
    frame->Show();
    SetTopWindow(frame);
    return true;
}

// The hall's public screen: a public device, so no login; the same database as the
// staff client. "Ready" is when the first answer of the database is on screen (--timing
// prints it, --quit-when-ready quits then).
bool OneWindowApp::startHallDisplay(client::ConnectionSettings settings)
{
    auto* frame = new HallDisplayFrame(std::move(settings));
    if (m_timing || m_quitWhenReady) {
        if (m_timing)
            m_stalls = std::make_unique<StallWatch>();
        frame->onReady([this, frame] {
            if (m_timing) {
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - kStart)
                                    .count();
                std::cout << "ready_ms " << ms << "\nresident_kib " << residentKiB() << "\nmax_stall_ms "
                          << m_stalls->worstMs() << std::endl;
            }
            if (m_quitWhenReady)
                frame->Close(true);
        });
    }
    frame->Show();
    frame->ShowFullScreen(true);
    SetTopWindow(frame);
    return true;
}

} // namespace ow::gui

wxIMPLEMENT_APP(ow::gui::OneWindowApp);
