#include "HallDisplay.h"

#include "Text.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <wx/datetime.h>
#include <wx/display.h>
#include <wx/filefn.h>
#include <wx/intl.h>
#include <wx/panel.h>
#include <wx/process.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/utils.h>

namespace ow::gui {

namespace {

constexpr std::size_t kListed = 8; // previous calls under the current one
constexpr std::int64_t kHighlightMs = 6000;

const wxColour kBackground(14, 22, 33);
const wxColour kBar(19, 35, 58);
const wxColour kRowShade(20, 31, 46);
const wxColour kHeading(143, 184, 222);
const wxColour kNumber(255, 201, 51);
const wxColour kText(236, 241, 246);
const wxColour kMuted(150, 166, 184);
const wxColour kProblem(255, 120, 110);
const wxColour kHighlight(255, 201, 51); // the current call, just called
const wxColour kOnHighlight(14, 22, 33);
const wxColour kRowHighlight(92, 70, 0); // a listed call, just called

// The headings, marked here and translated where they are shown: in Chinese the
// English source is kept beside the translation, smaller, for visitors.
// TRANSLATORS: heading of the hall display above the ticket called last.
const char* const kNowCalling = wxTRANSLATE("Now calling");
// TRANSLATORS: heading of the hall display above the list of the calls before the last one.
const char* const kRecentCalls = wxTRANSLATE("Recent calls");
// TRANSLATORS: heading of the hall display's strip with the number of people waiting per queue.
const char* const kWaiting = wxTRANSLATE("People waiting");

std::int64_t nowMs()
{
    return wxGetUTCTimeMillis().GetValue();
}

wxFont hallFont(double pixels, bool bold)
{
    wxFontInfo info(wxSize(0, std::max(8, static_cast<int>(pixels))));
    info.Family(wxFONTFAMILY_SWISS);
    if (bold)
        info.Bold();
    return wxFont(info);
}

wxStaticText* label(wxWindow* parent, const wxFont& font, const wxColour& colour, long style = 0)
{
    auto* l = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, style);
    l->SetFont(font);
    l->SetForegroundColour(colour);
    return l;
}

// Changes only what differs, so that a refresh once a second does not flicker.
void setText(wxStaticText* l, const wxString& text)
{
    if (l->GetLabelText() != text)
        l->SetLabelText(text);
}
void setColours(wxWindow* w, const wxColour& background, const wxColour& foreground)
{
    if (background.IsOk() && w->GetBackgroundColour() != background) {
        w->SetBackgroundColour(background);
        w->Refresh();
    }
    if (foreground.IsOk() && w->GetForegroundColour() != foreground) {
        w->SetForegroundColour(foreground);
        w->Refresh();
    }
}

// A heading in the interface's language; in Chinese with the English beside it.
wxSizer* heading(wxWindow* parent, const char* english, double pixels)
{
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    auto* main = label(parent, hallFont(pixels, true), kHeading);
    main->SetLabelText(wxGetTranslation(english));
    row->Add(main, wxSizerFlags().Bottom());
    if (chineseInterface() && main->GetLabelText() != wxString::FromUTF8(english)) {
        auto* second = label(parent, hallFont(pixels * 0.6, false), kMuted);
        second->SetLabelText(wxString::FromUTF8(english));
        row->Add(second, wxSizerFlags().Bottom().Border(wxLEFT, static_cast<int>(pixels * 0.5)));
    }
    return row;
}

bool wasCalled(const model::Ticket& t)
{
    using S = model::TicketStatus;
    return t.firstCalledAt > 0 && t.status != S::Waiting && t.status != S::Cancelled;
}

// A call the display has not seen yet: a ticket now at a window that was not there (or
// was there for an earlier stretch) in the last answer, or one recalled since.
enum class Change { None, Called, Recalled };
Change changeOf(const model::Ticket& now, const model::Ticket* before)
{
    if (now.status != model::TicketStatus::Called)
        return Change::None;
    if (!before || before->status != model::TicketStatus::Called || before->servingSince != now.servingSince
        || before->window != now.window)
        return Change::Called;
    if (now.recalls > before->recalls)
        return Change::Recalled;
    return Change::None;
}

// The program that speaks: OW_ANNOUNCE_COMMAND, else espeak-ng on the PATH.
wxString findOnPath(const wxString& program)
{
    if (program.Contains("/"))
        return wxFileExists(program) ? program : wxString();
    wxPathList paths;
    paths.AddEnvList("PATH");
    return paths.FindAbsoluteValidPath(program);
}

} // namespace

// ---------------------------------------------------------------- the announcer

// One running speech program; tells the announcer when it ends (unless the announcer
// went first) and deletes itself.
class SpeechProcess : public wxProcess {
public:
    explicit SpeechProcess(std::function<void(int)> ended)
        : m_ended(std::move(ended))
    {
    }
    void orphan() { m_ended = nullptr; }
    void OnTerminate(int, int status) override
    {
        if (m_ended)
            m_ended(status);
        delete this;
    }

private:
    std::function<void(int)> m_ended;
};

Announcer::Announcer()
{
    wxString custom;
    if (wxGetEnv("OW_ANNOUNCE_COMMAND", &custom) && !custom.empty()) {
        m_custom = true;
        m_program = findOnPath(custom);
        if (m_program.empty())
            spdlog::warn(
                "hall: the announcement command {} was not found; calls are shown, not spoken", utf8(custom));
        return;
    }
    m_program = findOnPath("espeak-ng");
    if (m_program.empty())
        spdlog::warn("hall: espeak-ng is not installed; calls are shown, not spoken");
}

Announcer::~Announcer()
{
    if (m_speaking)
        static_cast<SpeechProcess*>(m_speaking)->orphan(); // it ends on its own
}

void Announcer::say(const wxString& sentence, bool chinese)
{
    if (m_program.empty())
        return;
    m_queue.push_back({sentence, chinese});
    if (!m_speaking)
        startNext();
}

void Announcer::startNext()
{
    while (!m_speaking && !m_queue.empty() && !m_program.empty()) {
        Sentence next = std::move(m_queue.front());
        m_queue.pop_front();
        // UTF-8 bytes as they are: the arguments must not depend on the C library's locale.
        const std::string program = utf8(m_program);
        const std::string text = utf8(next.text);
        std::vector<const char*> argv{program.c_str()};
        if (!m_custom) {
            argv.push_back("-v");
            argv.push_back(next.chinese ? "cmn" : "en");
        }
        argv.push_back(text.c_str());
        argv.push_back(nullptr);
        auto* process = new SpeechProcess([this](int status) {
            if (status != 0 && !m_failed) {
                m_failed = true;
                spdlog::warn("hall: {} exited with status {}", utf8(m_program), status);
            }
            m_speaking = nullptr;
            startNext();
        });
        // Set before starting: a program that ends at once is reported (and the next
        // sentence started) before wxExecute returns.
        m_speaking = process;
        if (wxExecute(argv.data(), wxEXEC_ASYNC, process) <= 0) {
            // Not started, so never reported.
            m_speaking = nullptr;
            delete process;
            spdlog::warn("hall: cannot start {}; calls are shown, not spoken", program);
            m_program.clear();
            m_queue.clear();
            return;
        }
    }
}

// ---------------------------------------------------------------- the screen

HallDisplayFrame::HallDisplayFrame(client::ConnectionSettings settings)
    : wxFrame(nullptr, wxID_ANY, _("OneWindow — hall display"), wxDefaultPosition, wxDefaultSize,
        wxDEFAULT_FRAME_STYLE)
    , m_session(std::make_unique<Session>(std::move(settings)))
    , m_timer(this)
{
    SetName("halldisplay");
    // The whole of the first screen, also where no window manager honours the full-screen
    // request.
    const wxRect screen = wxDisplay(0u).GetGeometry();
    SetSize(screen);
    build();

    // Ctrl+Q closes it (for the caretaker); the mouse pointer stays out of the picture.
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetModifiers() == wxMOD_CONTROL && e.GetKeyCode() == 'Q') {
            Close();
            return;
        }
        e.Skip();
    });
    m_root->SetCursor(wxCursor(wxCURSOR_BLANK));
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { tick(); });
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        m_timer.Stop();
        e.Skip();
    });
    tick();
    m_timer.Start(1000);
}

HallDisplayFrame::~HallDisplayFrame()
{
    m_timer.Stop();
}

void HallDisplayFrame::build()
{
    const wxSize screen = GetSize();
    const double u = std::max(6.0, std::min(screen.GetHeight(), screen.GetWidth() * 9 / 16) / 100.0);
    const int gap = static_cast<int>(u * 2);

    m_root = new wxPanel(this);
    m_root->SetBackgroundColour(kBackground);
    auto* top = new wxBoxSizer(wxVERTICAL);

    // The bar: the service's name, a problem with the database when there is one, the time.
    auto* bar = new wxPanel(m_root);
    bar->SetBackgroundColour(kBar);
    auto* barRow = new wxBoxSizer(wxHORIZONTAL);
    auto* title = label(bar, hallFont(u * 3.6, true), kText);
    title->SetLabelText(_("OneWindow one-stop service"));
    barRow->Add(title, wxSizerFlags().CentreVertical().Border(wxLEFT, gap));
    // The room left between the name and the time, no more.
    m_problem = label(bar, hallFont(u * 2.6, false), kProblem, wxST_NO_AUTORESIZE | wxST_ELLIPSIZE_END);
    barRow->Add(m_problem, wxSizerFlags(1).CentreVertical().Border(wxLEFT | wxRIGHT, gap));
    m_clock = label(bar, hallFont(u * 3.6, true), kText);
    barRow->Add(m_clock, wxSizerFlags().CentreVertical().Border(wxRIGHT, gap));
    bar->SetSizer(barRow);
    barRow->SetMinSize(wxSize(-1, static_cast<int>(u * 7)));
    top->Add(bar, wxSizerFlags().Expand());

    auto* middle = new wxBoxSizer(wxHORIZONTAL);
    const double headingSize = u * 4.5;

    // Left: the call of the moment, as large as the screen allows.
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(heading(m_root, kNowCalling, headingSize), wxSizerFlags().Border(wxBOTTOM, gap / 2));
    m_current = new wxPanel(m_root);
    m_current->SetBackgroundColour(kBackground);
    auto* current = new wxBoxSizer(wxVERTICAL);
    current->AddStretchSpacer(1);
    m_currentNumber = label(m_current, hallFont(u * 24, true), kNumber);
    current->Add(m_currentNumber, wxSizerFlags().CentreHorizontal());
    auto* towards = new wxBoxSizer(wxHORIZONTAL);
    m_currentArrow = label(m_current, hallFont(u * 9, true), kHeading);
    m_currentArrow->SetLabelText(wxString::FromUTF8("\xE2\x86\x92")); // →
    towards->Add(m_currentArrow, wxSizerFlags().CentreVertical().Border(wxRIGHT, gap));
    m_currentWindow = label(m_current, hallFont(u * 9, true), kText);
    towards->Add(m_currentWindow, wxSizerFlags().CentreVertical());
    current->Add(towards, wxSizerFlags().CentreHorizontal());
    m_currentHint = label(m_current, hallFont(u * 4.5, false), kMuted, wxALIGN_CENTRE_HORIZONTAL);
    // TRANSLATORS: shown large on the hall display while nobody has been called today.
    m_currentHint->SetLabelText(_("Please take a ticket and wait for your number."));
    current->Add(m_currentHint, wxSizerFlags().CentreHorizontal().Border(wxALL, gap));
    current->AddStretchSpacer(1);
    m_current->SetSizer(current);
    left->Add(m_current, wxSizerFlags(1).Expand());
    middle->Add(left, wxSizerFlags(11).Expand().Border(wxALL, gap));

    // Right: the calls before it, newest first.
    auto* list = new wxBoxSizer(wxVERTICAL);
    list->Add(heading(m_root, kRecentCalls, headingSize), wxSizerFlags().Border(wxBOTTOM, gap / 2));
    const wxFont rowFont = hallFont(u * 5.5, true);
    const int listWidth = screen.GetWidth() * 9 / 20 - 2 * gap;
    const int padding = static_cast<int>(u * 0.7);
    for (std::size_t i = 0; i < kListed; ++i) {
        Row row;
        row.panel = new wxPanel(m_root);
        row.panel->SetBackgroundColour(kBackground);
        auto* line = new wxBoxSizer(wxHORIZONTAL);
        // Fixed widths, the heights of what they show: Latin and Chinese text both
        // centred on the row.
        row.ticket = label(row.panel, rowFont, kNumber);
        row.window = label(row.panel, rowFont, kText, wxST_ELLIPSIZE_END);
        row.ticket->SetMinSize(wxSize(listWidth * 2 / 5, -1));
        row.window->SetMinSize(wxSize(listWidth * 3 / 5 - gap, -1));
        line->Add(row.ticket, wxSizerFlags().CentreVertical().Border(wxLEFT, padding));
        line->Add(row.window, wxSizerFlags(1).CentreVertical());
        line->SetMinSize(
            wxSize(-1, row.ticket->GetTextExtent(wxString::FromUTF8("A000号")).GetHeight() + 2 * padding));
        row.panel->SetSizer(line);
        list->Add(row.panel, wxSizerFlags().Expand());
        m_rows.push_back(row);
    }
    middle->Add(list, wxSizerFlags(9).Expand().Border(wxALL, gap));
    top->Add(middle, wxSizerFlags(1).Expand());

    // Bottom: how many wait in each queue.
    m_countsPanel = new wxPanel(m_root);
    m_countsPanel->SetBackgroundColour(kBar);
    auto* counts = new wxBoxSizer(wxVERTICAL);
    counts->Add(
        heading(m_countsPanel, kWaiting, u * 3.4), wxSizerFlags().Border(wxLEFT | wxTOP | wxRIGHT, gap));
    counts->Add(new wxGridSizer(3, wxSize(gap * 3, gap / 3)), wxSizerFlags().Expand().Border(wxALL, gap));
    m_countsPanel->SetSizer(counts);
    m_countsPanel->Hide(); // until the centre's categories are known
    top->Add(m_countsPanel, wxSizerFlags().Expand());

    m_root->SetSizer(top);
    paintCalls();
}

void HallDisplayFrame::tick()
{
    // China Standard Time, like the day whose tickets are shown.
    setText(m_clock, wxDateTime::Now().Format("%Y-%m-%d  %H:%M", wxDateTime::TimeZone(wxDateTime::GMT8)));
    paintCalls(); // highlights run out
    poll();
}

void HallDisplayFrame::poll()
{
    if (m_polling)
        return; // the worker is still busy with the last question
    m_polling = true;
    runAsync<Snapshot>(
        *m_session, m_liveness,
        [](client::Backend& b) {
            if (!b.isOpen())
                b.open(); // a database that does not answer yet is tried again next time
            Snapshot s;
            s.tickets = b.hallToday();
            s.windows = b.windows();
            s.categories = b.categories();
            s.online = b.status().online;
            return s;
        },
        [this](Snapshot s) {
            m_polling = false;
            show(std::move(s));
        },
        [this](const std::string& message) {
            m_polling = false;
            // The public sees that the screen is not current; the reason goes to the log,
            // once for as long as it stays the same.
            if (message != m_lastProblem)
                spdlog::warn("hall: cannot read the hall: {}", message);
            m_lastProblem = message;
            showProblem(m_first ? _("Opening the database…") : connectionLost());
        });
}

void HallDisplayFrame::show(Snapshot snapshot)
{
    m_lastProblem.clear();
    showProblem(snapshot.online ? wxString() : connectionLost());
    m_windows = snapshot.windows;

    // What changed since the last answer; the first answer only sets the scene.
    struct Fresh {
        const model::Ticket* ticket;
        std::int64_t at;
    };
    std::vector<Fresh> fresh;
    for (const auto& t : snapshot.tickets) {
        if (!wasCalled(t))
            continue;
        auto seen = m_seen.find(t.id);
        const Change change
            = m_first ? Change::None : changeOf(t, seen == m_seen.end() ? nullptr : &seen->second);
        if (change == Change::Called)
            fresh.push_back({&t, t.servingSince});
        else if (change == Change::Recalled)
            fresh.push_back({&t, nowMs()});
        else if (!m_lastCall.count(t.id))
            m_lastCall[t.id] = t.status == model::TicketStatus::Called && t.servingSince > 0
                ? t.servingSince
                : t.firstCalledAt;
    }
    // Whatever was called just now is newer than everything shown before, in the order
    // it happened.
    std::stable_sort(fresh.begin(), fresh.end(), [](const Fresh& a, const Fresh& b) { return a.at < b.at; });
    std::int64_t latest = 0;
    for (const auto& [id, at] : m_lastCall)
        latest = std::max(latest, at);
    const std::int64_t now = nowMs();
    for (const auto& f : fresh) {
        latest = std::max(f.at, latest + 1);
        m_lastCall[f.ticket->id] = latest;
        m_highlightUntil[f.ticket->id] = now + kHighlightMs;
    }

    m_calls.clear();
    std::map<std::string, model::Ticket> seen;
    for (const auto& t : snapshot.tickets) {
        seen.emplace(t.id, t);
        if (wasCalled(t))
            m_calls.push_back({t.id, t.display(), t.window, m_lastCall[t.id], t.recalls});
    }
    std::stable_sort(
        m_calls.begin(), m_calls.end(), [](const Call& a, const Call& b) { return a.at > b.at; });
    if (m_calls.size() > kListed + 1)
        m_calls.resize(kListed + 1);
    // A new day: forget yesterday's tickets.
    for (auto it = m_lastCall.begin(); it != m_lastCall.end();)
        it = seen.count(it->first) ? std::next(it) : m_lastCall.erase(it);
    m_seen = std::move(seen);

    for (const auto& f : fresh)
        announce({f.ticket->id, f.ticket->display(), f.ticket->window, 0, f.ticket->recalls});
    paintCalls();
    paintCounts(snapshot);

    if (m_first) {
        m_first = false;
        if (m_ready) {
            auto ready = std::move(m_ready);
            m_ready = nullptr;
            CallAfter([ready] { ready(); });
        }
    }
}

bool HallDisplayFrame::highlighted(const std::string& ticketId) const
{
    auto it = m_highlightUntil.find(ticketId);
    return it != m_highlightUntil.end() && it->second > nowMs();
}

wxString HallDisplayFrame::windowLabel(const std::string& code) const
{
    if (chineseInterface()) {
        auto it = std::find_if(m_windows.begin(), m_windows.end(),
            [&](const model::ServiceWindow& w) { return w.code == code; });
        if (it != m_windows.end() && !it->nameZh.empty())
            return wx(it->nameZh);
    }
    // TRANSLATORS: a service window on the hall display and in the spoken call, e.g. "Window W03".
    return wxString::Format(_("Window %s"), wx(code));
}

void HallDisplayFrame::paintCalls()
{
    for (auto it = m_highlightUntil.begin(); it != m_highlightUntil.end();)
        it = it->second > nowMs() ? std::next(it) : m_highlightUntil.erase(it);

    const bool any = !m_calls.empty();
    bool relayout = m_currentNumber->IsShown() != any;
    m_currentNumber->Show(any);
    m_currentArrow->Show(any);
    m_currentWindow->Show(any);
    m_currentHint->Show(!any);
    if (any) {
        const Call& now = m_calls.front();
        const wxString window = windowLabel(now.window);
        relayout = relayout || m_currentWindow->GetLabelText() != window;
        setText(m_currentNumber, wx(now.number));
        setText(m_currentWindow, window);
        const bool lit = highlighted(now.ticketId);
        setColours(m_current, lit ? kHighlight : kBackground, wxColour());
        setColours(m_currentNumber, wxColour(), lit ? kOnHighlight : kNumber);
        setColours(m_currentWindow, wxColour(), lit ? kOnHighlight : kText);
        setColours(m_currentArrow, wxColour(), lit ? kOnHighlight : kHeading);
    } else {
        setColours(m_current, kBackground, wxColour());
    }
    if (relayout)
        m_current->Layout();

    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        Row& row = m_rows[i];
        // Shaded every other row, lit while just called; empty rows are not drawn at all.
        const wxColour shade = i % 2 ? kBackground : kRowShade;
        wxString number, window;
        wxColour background = kBackground;
        if (i + 1 < m_calls.size()) {
            const Call& call = m_calls[i + 1];
            number = wx(call.number);
            window = windowLabel(call.window);
            background = highlighted(call.ticketId) ? kRowHighlight : shade;
        }
        if (row.ticket->GetLabelText() != number || row.window->GetLabelText() != window) {
            row.ticket->SetLabelText(number);
            row.window->SetLabelText(window);
            row.panel->Layout();
        }
        setColours(row.panel, background, wxColour());
    }
}

void HallDisplayFrame::paintCounts(const Snapshot& snapshot)
{
    std::vector<std::string> codes;
    for (const auto& c : snapshot.categories)
        codes.push_back(c.code);
    auto* grid = static_cast<wxGridSizer*>(m_countsPanel->GetSizer()->GetItem(1)->GetSizer());
    const double u = std::max(6.0, std::min(GetSize().GetHeight(), GetSize().GetWidth() * 9 / 16) / 100.0);
    bool changed = codes != m_categoryCodes;
    if (changed) {
        // The centre's categories changed (or arrived): build the strip again.
        m_categoryCodes = codes;
        for (auto& c : m_counts)
            c.panel->Destroy();
        m_counts.clear();
        grid->Clear();
        const int columns = static_cast<int>(std::clamp<std::size_t>(snapshot.categories.size(), 1, 3));
        grid->SetCols(columns);
        for (const auto& category : snapshot.categories) {
            Count count;
            count.panel = new wxPanel(m_countsPanel);
            count.panel->SetBackgroundColour(kBar);
            auto* line = new wxBoxSizer(wxHORIZONTAL);
            count.name = label(count.panel, hallFont(u * 3.2, false), kText, wxST_ELLIPSIZE_END);
            count.count = label(count.panel, hallFont(u * 4.2, true), kNumber);
            setText(count.name, wx(category.code) + "  " + localName(category.nameZh, category.nameEn));
            line->Add(count.name, wxSizerFlags(1).CentreVertical());
            line->Add(count.count, wxSizerFlags().CentreVertical().Border(wxLEFT, static_cast<int>(u)));
            count.panel->SetSizer(line);
            grid->Add(count.panel, wxSizerFlags().Expand());
            m_counts.push_back(count);
        }
    }
    const std::int64_t now = nowMs();
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        const std::string& code = m_categoryCodes[i];
        const auto waiting
            = std::count_if(snapshot.tickets.begin(), snapshot.tickets.end(), [&](const auto& t) {
                  return t.category == code && t.status == model::TicketStatus::Waiting
                      && (t.appointmentAt == 0 || t.appointmentAt <= now);
              });
        const wxString text = wxString::Format("%ld", static_cast<long>(waiting));
        if (m_counts[i].count->GetLabelText() != text) {
            m_counts[i].count->SetLabelText(text);
            m_counts[i].panel->Layout();
        }
    }
    if (changed) {
        m_countsPanel->Show(!m_counts.empty());
        m_countsPanel->Layout();
        m_root->Layout();
    }
}

wxString HallDisplayFrame::connectionLost()
{
    // TRANSLATORS: on the hall display while the shared database does not answer.
    return _("Connection lost: showing the last known calls");
}

void HallDisplayFrame::showProblem(const wxString& text)
{
    setText(m_problem, text);
}

void HallDisplayFrame::announce(const Call& call)
{
    const wxString window = windowLabel(call.window);
    // TRANSLATORS: spoken by the hall display (espeak-ng) when a ticket is called or
    // recalled: the ticket number (A001), then the window ("3号窗口", "Window W03").
    const wxString sentence = wxString::Format(_("Ticket %s, please go to %s."), wx(call.number), window);
    spdlog::info("hall: calling {} to {}", call.number, call.window);
    m_announcer.say(sentence, chineseInterface());
}

} // namespace ow::gui
