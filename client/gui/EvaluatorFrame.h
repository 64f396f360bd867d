// The rating pad facing the applicant at one window (onewindow --evaluator --workstation
// W03): 好差评 on a public device, so no staff login and never the clerk's screen. Full
// screen, large, operable by touch and from the keyboard (keys 1–5, Enter submits).
// A timer asks the worker once a second for today's tickets; when a service ends at this
// window (the newest ticket ended here, within the last ten minutes, not yet rated) the
// pad asks the applicant to rate it on the national five-level scale, with an optional
// comment, real-name unless they choose otherwise; then thanks them and goes back to
// waiting for the next service.
#pragma once

#include "Async.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <wx/frame.h>
#include <wx/timer.h>

class wxCheckBox;
class wxPanel;
class wxSimplebook;
class wxStaticText;
class wxTextCtrl;
class wxToggleButton;
class wxButton;

namespace ow::gui {

class EvaluatorFrame : public wxFrame {
public:
    explicit EvaluatorFrame(client::ConnectionSettings settings);
    ~EvaluatorFrame() override;

    // The service the pad asks about.
    struct Offer {
        std::string ticketId;
        std::string number; // "A001"
        std::string staffName; // who served; empty when unknown
        std::int64_t endedAt = 0; // ms since the epoch
    };
    // What one poll found.
    struct Snapshot {
        std::optional<Offer> offer;
        bool windowKnown = true; // the centre has this window
        std::string windowNameZh; // "3号窗口"
        bool online = true;
    };
    // The worker's own memory (touched only by jobs on the worker thread).
    struct WorkerState;

private:
    enum class Mode { Idle, Rating, Submitting, Message };

    void build();
    void tick();
    void poll();
    void show(Snapshot snapshot);
    void showIdle();
    void showOffer(const Offer& offer);
    void showMessage(const wxString& title, const wxString& detail, bool thanks);
    void choose(int level);
    void submit();
    void showProblem(const wxString& text);
    void relayout();
    bool onKey(wxKeyEvent& e);
    wxString windowLabel() const;

    std::unique_ptr<Session> m_session;
    std::shared_ptr<WorkerState> m_worker;
    std::string m_window; // the window the pad is paired with ("W03")
    wxTimer m_timer; // once a second: poll
    wxTimer m_back; // the end of a thank-you or a refusal
    bool m_polling = false;
    Mode m_mode = Mode::Idle;
    std::optional<Snapshot> m_last; // the latest answer, shown once a message has gone
    std::optional<Offer> m_offer; // what the rating page asks about
    std::set<std::string> m_finished; // tickets rated (or refused) here: never offered again
    int m_level = 0; // chosen on the rating page; 0: none yet

    wxPanel* m_root = nullptr;
    wxStaticText* m_clock = nullptr;
    wxStaticText* m_barWindow = nullptr;
    wxStaticText* m_problem = nullptr;
    wxSimplebook* m_pages = nullptr;
    // Idle.
    wxStaticText* m_idleWindow = nullptr;
    wxStaticText* m_idlePrompt = nullptr;
    // Rating.
    wxStaticText* m_ratePrompt = nullptr;
    wxStaticText* m_rateStaff = nullptr;
    std::array<wxToggleButton*, 5> m_levels{}; // left to right: 5 (very satisfied) … 1
    wxTextCtrl* m_comment = nullptr;
    wxCheckBox* m_anonymous = nullptr;
    wxStaticText* m_chosen = nullptr;
    wxButton* m_submit = nullptr;
    wxStaticText* m_error = nullptr;
    // Thanks or a refusal.
    wxStaticText* m_messageTitle = nullptr;
    wxStaticText* m_messageDetail = nullptr;

    Liveness m_liveness;
};

} // namespace ow::gui
