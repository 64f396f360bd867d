// The hall's public screen (onewindow --hall-display): full screen, dark, large type
// readable from across the hall. The ticket called last and its window, the calls
// before it, and how many wait in each queue category. A timer asks the worker once a
// second for today's tickets (no login: the display is a public device); a ticket
// called or recalled since the last answer is highlighted for a few seconds and
// announced by voice (espeak-ng, or the program named by OW_ANNOUNCE_COMMAND).
#pragma once

#include "Async.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <wx/frame.h>
#include <wx/timer.h>

class wxPanel;
class wxStaticText;
class wxProcess;

namespace ow::gui {

// Speaks one sentence at a time, in the background (wxExecute), in the order given.
class Announcer {
public:
    Announcer();
    ~Announcer();
    Announcer(const Announcer&) = delete;
    Announcer& operator=(const Announcer&) = delete;

    // `chinese`: speak with the Mandarin voice.
    void say(const wxString& sentence, bool chinese);

private:
    struct Sentence {
        wxString text;
        bool chinese = false;
    };
    void startNext();
    void finished();

    wxString m_program; // empty: nothing to speak with (logged once)
    bool m_custom = false; // OW_ANNOUNCE_COMMAND: the sentence is its only argument
    bool m_failed = false; // a failure was logged (once is enough)
    std::deque<Sentence> m_queue;
    wxProcess* m_speaking = nullptr;
};

class HallDisplayFrame : public wxFrame {
public:
    explicit HallDisplayFrame(client::ConnectionSettings settings);
    ~HallDisplayFrame() override;

    // Called once, when the first answer from the database is on screen (--timing).
    void onReady(std::function<void()> ready) { m_ready = std::move(ready); }

    // A call as the screen shows it: the ticket, its window, when it was last called.
    struct Call {
        std::string ticketId;
        std::string number; // "A001"
        std::string window; // "W03"
        std::int64_t at = 0; // ms since the epoch
        int recalls = 0;
    };

private:
    struct Snapshot {
        std::vector<model::Ticket> tickets;
        std::vector<model::ServiceWindow> windows;
        std::vector<model::QueueCategory> categories;
        bool online = true;
    };
    struct Row {
        wxPanel* panel = nullptr;
        wxStaticText* ticket = nullptr;
        wxStaticText* window = nullptr;
    };
    struct Count {
        wxPanel* panel = nullptr;
        wxStaticText* name = nullptr;
        wxStaticText* count = nullptr;
    };

    void build();
    void tick();
    void poll();
    void show(Snapshot snapshot);
    void paintCalls();
    void paintCounts(const Snapshot& snapshot);
    void showProblem(const wxString& text);
    static wxString connectionLost();
    bool highlighted(const std::string& ticketId) const;
    wxString windowLabel(const std::string& code) const;
    void announce(const Call& call);

    std::unique_ptr<Session> m_session;
    wxTimer m_timer;
    bool m_polling = false;
    bool m_first = true; // no answer from the database yet
    std::string m_lastProblem; // the reason last logged
    std::function<void()> m_ready;

    // What the last answer said, to see what changed in the next one.
    std::map<std::string, model::Ticket> m_seen;
    std::map<std::string, std::int64_t> m_lastCall; // ticket id → when it was last called (ms)
    std::map<std::string, std::int64_t> m_highlightUntil; // ticket id → ms
    std::vector<Call> m_calls; // newest first
    std::vector<model::ServiceWindow> m_windows;
    std::vector<std::string> m_categoryCodes;

    wxPanel* m_root = nullptr;
    wxStaticText* m_clock = nullptr;
    wxStaticText* m_problem = nullptr;
    wxPanel* m_current = nullptr;
    wxStaticText* m_currentNumber = nullptr;
    wxStaticText* m_currentArrow = nullptr;
    wxStaticText* m_currentWindow = nullptr;
    wxStaticText* m_currentHint = nullptr;
    std::vector<Row> m_rows;
    wxPanel* m_countsPanel = nullptr;
    std::vector<Count> m_counts;
    Announcer m_announcer;
    Liveness m_liveness;
};

} // namespace ow::gui
