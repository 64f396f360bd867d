#include "EvaluatorFrame.h"

#include "model/Evaluation.h"

#include "Text.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <spdlog/spdlog.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/datetime.h>
#include <wx/display.h>
#include <wx/intl.h>
#include <wx/panel.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/tglbtn.h>

namespace ow::gui {

namespace {

// A service is offered for rating this long after it ended; by then the applicant has gone.
constexpr std::int64_t kOfferMs = 10 * 60 * 1000;
constexpr int kMessageMs = 5000; // the thank-you (or a refusal) stays this long
constexpr int kCommentChars = 160; // the service takes 500 bytes of UTF-8: 160 Chinese characters

const wxColour kBackground(244, 246, 249);
const wxColour kBar(24, 52, 89);
const wxColour kOnBar(240, 244, 248);
const wxColour kBarProblem(255, 170, 160);
const wxColour kText(27, 38, 51);
const wxColour kMuted(96, 110, 126);
const wxColour kAccent(24, 52, 89);
const wxColour kChosen(24, 90, 160);
const wxColour kOnChosen(255, 255, 255);
const wxColour kError(170, 34, 34);

// The national scale (好差评), left to right from very satisfied; the number is its key.
struct Level {
    int level;
    const char* english;
};
// The levels' translations must use the official wording of the national scale.
const std::array<Level, 5> kLevels = {{
    // TRANSLATORS: level 5 of the national rating scale (好差评); officially 非常满意.
    {model::kVerySatisfied, wxTRANSLATE("Very satisfied")},
    // TRANSLATORS: level 4 of the national rating scale (好差评); officially 满意.
    {model::kSatisfied, wxTRANSLATE("Satisfied")},
    // TRANSLATORS: level 3 of the national rating scale (好差评); officially 基本满意.
    {model::kFairlySatisfied, wxTRANSLATE("Fairly satisfied")},
    // TRANSLATORS: level 2 of the national rating scale (好差评); officially 不满意.
    {model::kDissatisfied, wxTRANSLATE("Dissatisfied")},
    // TRANSLATORS: level 1 of the national rating scale (好差评); officially 非常不满意.
    {model::kVeryDissatisfied, wxTRANSLATE("Very dissatisfied")},
}};

const char* levelName(int level)
{
    for (const auto& l : kLevels)
        if (l.level == level)
            return l.english;
    return "";
}

std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

wxFont padFont(double pixels, bool bold)
{
    wxFontInfo info(wxSize(0, std::max(8, static_cast<int>(pixels))));
    info.Family(wxFONTFAMILY_SWISS);
    if (bold)
        info.Bold();
    return wxFont(info);
}

wxStaticText* label(
    wxWindow* parent, const char* name, const wxFont& font, const wxColour& colour, long style = 0)
{
    auto* l = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, style);
    l->SetName(name);
    l->SetFont(font);
    l->SetForegroundColour(colour);
    return l;
}

// Changes only what differs, so that a refresh once a second does not flicker.
bool setText(wxStaticText* l, const wxString& text)
{
    if (l->GetLabelText() == text)
        return false;
    l->SetLabelText(text);
    return true;
}

// Whether the ticket (ended at this window: the caller picked it from the hall) may
// still be rated.
enum class Rateable { Yes, AlreadyRated, NotHere };
Rateable rateable(client::Backend& b, const std::string& window, const std::string& ticketId)
{
    (void)window;
    return b.ratingOfTicket(ticketId) ? Rateable::AlreadyRated : Rateable::Yes;
}

bool isRefusal(const std::string& code)
{
    return code == "evaluation.already_rated" || code == "evaluation.not_served_here"
        || code == "queue.ticket_not_found";
}

} // namespace

struct EvaluatorFrame::WorkerState {
    bool started = false; // the backend is open and its services bound
    std::set<std::string> done; // tickets known to be rated, or not rateable here
    std::map<std::string, std::string> staffNames; // id → name
};

EvaluatorFrame::EvaluatorFrame(client::ConnectionSettings settings)
    // TRANSLATORS: title of the rating pad's window (it runs full screen; screen readers read it).
    : wxFrame(nullptr, wxID_ANY, _("OneWindow — service rating"), wxDefaultPosition, wxDefaultSize,
        wxDEFAULT_FRAME_STYLE)
    , m_window(settings.workstation)
    , m_timer(this)
    , m_back(this)
{
    m_session = std::make_unique<Session>(std::move(settings));
    m_worker = std::make_shared<WorkerState>();
    SetName("evaluator");
    SetSize(wxDisplay(0u).GetGeometry());
    build();
    showIdle();

    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (!onKey(e))
            e.Skip();
    });
    Bind(wxEVT_TIMER, [this](wxTimerEvent& e) {
        if (&e.GetTimer() == &m_back) {
            m_mode = Mode::Idle;
            showIdle();
            if (m_last)
                show(*m_last);
        } else {
            tick();
        }
    });
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        m_timer.Stop();
        m_back.Stop();
        e.Skip();
    });
    tick();
    m_timer.Start(1000);
}

EvaluatorFrame::~EvaluatorFrame()
{
    m_timer.Stop();
    m_back.Stop();
}

void EvaluatorFrame::build()
{
    const wxSize screen = GetSize();
    const double u = std::max(6.0, std::min(screen.GetHeight(), screen.GetWidth() * 9 / 16) / 100.0);
    const int gap = static_cast<int>(u * 2);

    m_root = new wxPanel(this);
    m_root->SetBackgroundColour(kBackground);
    auto* top = new wxBoxSizer(wxVERTICAL);

    // The bar: the service's name, a problem when there is one, the window and the time.
    auto* bar = new wxPanel(m_root);
    bar->SetBackgroundColour(kBar);
    auto* barRow = new wxBoxSizer(wxHORIZONTAL);
    auto* title = label(bar, "evaluator.title", padFont(u * 3.2, true), kOnBar);
    title->SetLabelText(_("OneWindow one-stop service"));
    barRow->Add(title, wxSizerFlags().CentreVertical().Border(wxLEFT, gap));
    m_problem = label(bar, "evaluator.problem", padFont(u * 2.4, false), kBarProblem, wxST_ELLIPSIZE_END);
    barRow->Add(m_problem, wxSizerFlags(1).CentreVertical().Border(wxLEFT | wxRIGHT, gap));
    m_barWindow = label(bar, "evaluator.bar.window", padFont(u * 3.2, true), kOnBar);
    barRow->Add(m_barWindow, wxSizerFlags().CentreVertical().Border(wxRIGHT, gap * 2));
    m_clock = label(bar, "evaluator.clock", padFont(u * 3.2, false), kOnBar);
    barRow->Add(m_clock, wxSizerFlags().CentreVertical().Border(wxRIGHT, gap));
    bar->SetSizer(barRow);
    barRow->SetMinSize(wxSize(-1, static_cast<int>(u * 7)));
    top->Add(bar, wxSizerFlags().Expand());

    m_pages = new wxSimplebook(m_root);
    m_pages->SetBackgroundColour(kBackground);
    const int wide = screen.GetWidth() - 4 * gap;

    // Waiting for a service to end: the window, and what the pad is for.
    auto* idle = new wxPanel(m_pages);
    idle->SetBackgroundColour(kBackground);
    auto* idleColumn = new wxBoxSizer(wxVERTICAL);
    idleColumn->AddStretchSpacer(2);
    m_idleWindow = label(idle, "evaluator.idle.window", padFont(u * 10, true), kAccent);
    idleColumn->Add(m_idleWindow, wxSizerFlags().CentreHorizontal());
    m_idlePrompt
        = label(idle, "evaluator.idle.prompt", padFont(u * 4.6, false), kText, wxALIGN_CENTRE_HORIZONTAL);
    // TRANSLATORS: on the rating pad between services, under the window's name.
    m_idlePrompt->SetLabelText(_("Please rate our service after it ends."));
    idleColumn->Add(m_idlePrompt, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap * 2));
    idleColumn->AddStretchSpacer(3);
    idle->SetSizer(idleColumn);
    m_pages->AddPage(idle, "idle");

    // Rating one service.
    auto* rate = new wxPanel(m_pages);
    rate->SetBackgroundColour(kBackground);
    auto* rateColumn = new wxBoxSizer(wxVERTICAL);
    rateColumn->AddStretchSpacer(1);
    m_ratePrompt
        = label(rate, "evaluator.rate.prompt", padFont(u * 5, true), kText, wxALIGN_CENTRE_HORIZONTAL);
    rateColumn->Add(m_ratePrompt, wxSizerFlags().CentreHorizontal());
    m_rateStaff
        = label(rate, "evaluator.rate.staff", padFont(u * 3.2, false), kMuted, wxALIGN_CENTRE_HORIZONTAL);
    rateColumn->Add(m_rateStaff, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap / 2));

    auto* levels = new wxBoxSizer(wxHORIZONTAL);
    const wxSize levelSize((wide - 4 * gap) / 5, static_cast<int>(u * 14));
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
        const Level& level = kLevels[i];
        auto* column = new wxBoxSizer(wxVERTICAL);
        auto* button = new wxToggleButton(
            rate, wxID_ANY, wxGetTranslation(level.english), wxDefaultPosition, levelSize);
        button->SetName(wxString::Format("evaluator.level.%d", level.level));
        button->SetFont(padFont(u * 3.6, true));
        button->SetMinSize(levelSize);
        button->Bind(wxEVT_TOGGLEBUTTON, [this, l = level.level](wxCommandEvent&) { choose(l); });
        column->Add(button, wxSizerFlags().Expand());
        // The key to press, and in Chinese the English wording for visitors.
        wxString caption = wxString::Format("%d", level.level);
        if (chineseInterface() && wxGetTranslation(level.english) != wxString::FromUTF8(level.english))
            caption += wxString::FromUTF8(" \xC2\xB7 ") + wxString::FromUTF8(level.english);
        auto* key
            = label(rate, "evaluator.level.key", padFont(u * 2.4, false), kMuted, wxALIGN_CENTRE_HORIZONTAL);
        key->SetLabelText(caption);
        column->Add(key, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap / 3));
        levels->Add(column, wxSizerFlags().Border(i == 0 ? 0 : wxLEFT, gap));
        m_levels[i] = button;
    }
    // The levels set the width of the form; the comment and the actions line up with them.
    auto* form = new wxBoxSizer(wxVERTICAL);
    form->Add(levels);

    auto* commentLabel = label(rate, "evaluator.comment.label", padFont(u * 2.8, false), kText);
    // TRANSLATORS: above the comment field of the rating pad.
    commentLabel->SetLabelText(_("Comment (optional)"));
    form->Add(commentLabel, wxSizerFlags().Border(wxTOP, gap * 2));
    m_comment = new wxTextCtrl(rate, wxID_ANY);
    m_comment->SetName("evaluator.comment");
    m_comment->SetFont(padFont(u * 3.2, false));
    m_comment->SetMaxLength(kCommentChars);
    // TRANSLATORS: placeholder in the rating pad's comment field.
    m_comment->SetHint(_("What went well, and what should we improve?"));
    form->Add(m_comment, wxSizerFlags().Expand().Border(wxTOP, gap / 3));

    auto* actions = new wxBoxSizer(wxHORIZONTAL);
    // TRANSLATORS: check box of the rating pad; unticked, the rating carries the applicant's name.
    m_anonymous = new wxCheckBox(rate, wxID_ANY, _("Rate anonymously"));
    m_anonymous->SetName("evaluator.anonymous");
    m_anonymous->SetFont(padFont(u * 3, false));
    m_anonymous->SetForegroundColour(kText);
    actions->Add(m_anonymous, wxSizerFlags().CentreVertical());
    m_chosen = label(rate, "evaluator.chosen", padFont(u * 3, true), kText, wxALIGN_RIGHT);
    actions->Add(m_chosen, wxSizerFlags(1).CentreVertical().Border(wxLEFT | wxRIGHT, gap * 2));
    // TRANSLATORS: the button that sends the rating on the rating pad.
    m_submit = new wxButton(rate, wxID_ANY, _("Submit rating"));
    m_submit->SetName("evaluator.submit");
    m_submit->SetFont(padFont(u * 3.6, true));
    m_submit->SetMinSize(wxSize(static_cast<int>(u * 34), static_cast<int>(u * 9)));
    m_submit->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); });
    actions->Add(m_submit, wxSizerFlags().CentreVertical());
    form->Add(actions, wxSizerFlags().Expand().Border(wxTOP, gap));
    rateColumn->Add(form, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap * 2));

    m_error = label(rate, "evaluator.error", padFont(u * 2.8, true), kError, wxALIGN_CENTRE_HORIZONTAL);
    rateColumn->Add(m_error, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap));
    auto* hint = label(rate, "evaluator.hint", padFont(u * 2.4, false), kMuted, wxALIGN_CENTRE_HORIZONTAL);
    // TRANSLATORS: at the foot of the rating pad.
    hint->SetLabelText(_("Touch a rating or press its number key, then Submit."));
    rateColumn->Add(hint, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap / 2));
    rateColumn->AddStretchSpacer(1);
    rate->SetSizer(rateColumn);
    m_pages->AddPage(rate, "rate");

    // Thanks, or why the rating was not taken.
    auto* message = new wxPanel(m_pages);
    message->SetBackgroundColour(kBackground);
    auto* messageColumn = new wxBoxSizer(wxVERTICAL);
    messageColumn->AddStretchSpacer(2);
    m_messageTitle
        = label(message, "evaluator.message.title", padFont(u * 8, true), kAccent, wxALIGN_CENTRE_HORIZONTAL);
    messageColumn->Add(m_messageTitle, wxSizerFlags().CentreHorizontal());
    m_messageDetail = label(
        message, "evaluator.message.detail", padFont(u * 3.6, false), kText, wxALIGN_CENTRE_HORIZONTAL);
    messageColumn->Add(m_messageDetail, wxSizerFlags().CentreHorizontal().Border(wxTOP, gap * 2));
    messageColumn->AddStretchSpacer(3);
    message->SetSizer(messageColumn);
    m_pages->AddPage(message, "message");

    top->Add(m_pages, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, gap));
    m_root->SetSizer(top);
    m_messageDetail->Wrap(wide - 4 * gap);
    m_idlePrompt->Wrap(wide - 4 * gap);
    setText(m_barWindow, windowLabel());
    setText(m_idleWindow, windowLabel());
}

wxString EvaluatorFrame::windowLabel() const
{
    if (chineseInterface() && m_last && !m_last->windowNameZh.empty())
        return wx(m_last->windowNameZh);
    // TRANSLATORS: the window the rating pad belongs to, e.g. "Window W03".
    return wxString::Format(_("Window %s"), wx(m_window));
}

void EvaluatorFrame::relayout()
{
    if (auto* page = m_pages->GetCurrentPage())
        page->Layout();
    m_root->Layout();
}

void EvaluatorFrame::tick()
{
    setText(m_clock, wxDateTime::Now().Format("%Y-%m-%d  %H:%M", wxDateTime::TimeZone(wxDateTime::GMT8)));
    poll();
}

void EvaluatorFrame::poll()
{
    if (m_polling)
        return; // the worker is still busy with the last question
    m_polling = true;
    runAsync<Snapshot>(
        *m_session, m_liveness,
        [state = m_worker, window = m_window](client::Backend& b) {
            if (!b.isOpen())
                b.open(); // a database that does not answer yet is tried again next time
            if (!state->started) {
                b.startDevice();
                state->started = true;
            }
            Snapshot s;
            s.online = b.status().online;
            const auto windows = b.windows();
            auto here = std::find_if(windows.begin(), windows.end(),
                [&](const model::ServiceWindow& w) { return w.code == window; });
            s.windowKnown = here != windows.end();
            if (s.windowKnown)
                s.windowNameZh = here->nameZh;

            // Only the service ended last here: once the next one has ended, whoever was
            // served before has gone, rated or not.
            const model::Ticket* last = nullptr;
            const auto tickets = b.hallToday();
            for (const auto& t : tickets)
                if (t.window == window && t.status == model::TicketStatus::Ended
                    && (!last || t.endedAt > last->endedAt))
                    last = &t;
            if (!last || last->endedAt < wallMs() - kOfferMs || state->done.count(last->id))
                return s;
            if (rateable(b, window, last->id) != Rateable::Yes) {
                state->done.insert(last->id);
                return s;
            }
            Offer offer{last->id, last->display(), {}, last->endedAt};
            if (!last->staff.empty()) {
                if (!state->staffNames.count(last->staff))
                    for (const auto& staff : b.staffList())
                        state->staffNames[staff.id] = staff.name;
                auto name = state->staffNames.find(last->staff);
                offer.staffName = name != state->staffNames.end() ? name->second : last->staff;
            }
            s.offer = std::move(offer);
            return s;
        },
        [this](Snapshot s) {
            m_polling = false;
            show(std::move(s));
        },
        [this](const std::string& message) {
            m_polling = false;
            showProblem(wx(message));
        });
}

void EvaluatorFrame::show(Snapshot snapshot)
{
    if (!snapshot.windowKnown)
        showProblem(describe(model::DomainError("queue.unknown_window", {{"window", m_window}})));
    else if (!snapshot.online)
        // TRANSLATORS: in the rating pad's title bar while the centre's database does not answer.
        showProblem(_("Connection lost: waiting for the centre's database"));
    else
        showProblem(wxString());
    if (snapshot.offer && m_finished.count(snapshot.offer->ticketId))
        snapshot.offer.reset(); // an answer asked before the rating went in
    m_last = std::move(snapshot);
    bool changed = setText(m_barWindow, windowLabel());
    changed = setText(m_idleWindow, windowLabel()) || changed;
    if (changed)
        relayout();

    const auto& offer = m_last->offer;
    switch (m_mode) {
    case Mode::Idle:
        if (offer)
            showOffer(*offer);
        break;
    case Mode::Rating:
        if (!offer)
            showIdle();
        else if (offer->ticketId != m_offer->ticketId)
            showOffer(*offer); // a newer service ended: whoever was asked before has gone
        break;
    case Mode::Submitting:
    case Mode::Message:
        break; // shown when the message goes
    }
}

void EvaluatorFrame::showIdle()
{
    m_mode = Mode::Idle;
    m_offer.reset();
    m_pages->ChangeSelection(0);
    relayout();
}

void EvaluatorFrame::showOffer(const Offer& offer)
{
    m_mode = Mode::Rating;
    m_offer = offer;
    m_level = 0;
    // TRANSLATORS: the rating pad's question; %s is the ticket number, e.g. A001.
    setText(m_ratePrompt, wxString::Format(_("Please rate the service of ticket %s"), wx(offer.number)));
    wxString servedBy;
    if (!offer.staffName.empty())
        // TRANSLATORS: under the rating pad's question; %s is the name of the staff member who served.
        servedBy = wxString::Format(_("Served by %s"), wx(offer.staffName));
    setText(m_rateStaff, servedBy);
    m_comment->ChangeValue(wxString());
    m_anonymous->SetValue(false);
    setText(m_error, wxString());
    for (auto* button : m_levels)
        button->Enable();
    m_comment->Enable();
    m_anonymous->Enable();
    choose(0);
    m_pages->ChangeSelection(1);
    relayout();
    m_levels[0]->SetFocus();
    spdlog::info("evaluator: asking for the rating of {} at {}", offer.number, m_window);
}

void EvaluatorFrame::choose(int level)
{
    if (m_mode != Mode::Rating)
        return;
    m_level = level;
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
        const bool on = kLevels[i].level == level;
        auto* button = m_levels[i];
        button->SetValue(on);
        button->SetBackgroundColour(on ? kChosen : wxNullColour);
        button->SetForegroundColour(on ? kOnChosen : wxNullColour);
        button->Refresh();
    }
    wxString chosen;
    if (level)
        // TRANSLATORS: on the rating pad once a level is chosen; %s is the level, e.g. "Dissatisfied".
        chosen = wxString::Format(_("Your rating: %s"), wxGetTranslation(levelName(level)));
    else
        // TRANSLATORS: on the rating pad before a level is chosen.
        chosen = _("Choose a rating above.");
    setText(m_chosen, chosen);
    m_chosen->SetForegroundColour(level ? kChosen : kMuted);
    m_submit->Enable(level != 0);
    m_submit->SetBackgroundColour(level ? kAccent : wxNullColour);
    m_submit->SetForegroundColour(level ? kOnChosen : wxNullColour);
    m_comment->GetParent()->Layout();
}

void EvaluatorFrame::submit()
{
    if (m_mode != Mode::Rating || m_level == 0 || !m_offer)
        return;
    m_mode = Mode::Submitting;
    for (auto* button : m_levels)
        button->Disable();
    m_comment->Disable();
    m_anonymous->Disable();
    m_submit->Disable();
    setText(m_error, wxString());

    struct Outcome {
        bool rated = false;
        bool refused = false; // this ticket cannot be rated here (already rated, …)
        std::exception_ptr error;
    };
    model::Rating rating;
    rating.level = m_level;
    rating.comment = utf8(m_comment->GetValue().Strip(wxString::both));
    rating.anonymous = m_anonymous->GetValue();
    const std::string ticket = m_offer->ticketId;
    const std::string number = m_offer->number;
    const int level = m_level;
    runAsync<Outcome>(
        *m_session, m_liveness,
        [state = m_worker, window = m_window, ticket, rating](client::Backend& b) {
            Outcome o;
            try {
                b.evaluations().rateAtWindow(window, ticket, rating);
                o.rated = true;
                state->done.insert(ticket);
            } catch (const model::DomainError& e) {
                o.error = std::current_exception();
                if (isRefusal(e.code())) {
                    o.refused = true;
                    state->done.insert(ticket);
                }
            } catch (const std::exception&) {
                o.error = std::current_exception();
            }
            return o;
        },
        [this, ticket, number, level](Outcome o) {
            if (o.rated || o.refused)
                m_finished.insert(ticket);
            if (o.rated) {
                spdlog::info("evaluator: {} rated {} at {}", number, level, m_window);
                // TRANSLATORS: large on the rating pad once the rating is taken.
                showMessage(_("Thank you for your rating!"),
                    model::isBadRating(level)
                        // TRANSLATORS: on the rating pad after a rating of 不满意 or 非常不满意.
                        ? _("We are sorry we did not satisfy you. The centre will look into your rating and "
                            "follow it up.")
                        // TRANSLATORS: on the rating pad after a rating of 基本满意 or better.
                        : _("Your opinion helps us serve you better."),
                    true);
            } else if (o.refused) {
                // TRANSLATORS: on the rating pad when the service refuses the rating (already rated…).
                showMessage(_("This service cannot be rated here"), wx(describeError(o.error)), false);
            } else {
                // Something else went wrong (the database): keep the form to try again.
                m_mode = Mode::Rating;
                for (auto* button : m_levels)
                    button->Enable();
                m_comment->Enable();
                m_anonymous->Enable();
                m_submit->Enable();
                setText(m_error, wx(describeError(o.error)));
                m_error->Wrap(GetSize().GetWidth() * 4 / 5);
                relayout();
            }
        });
}

void EvaluatorFrame::showMessage(const wxString& title, const wxString& detail, bool thanks)
{
    m_mode = Mode::Message;
    m_offer.reset();
    setText(m_messageTitle, title);
    m_messageTitle->SetForegroundColour(thanks ? kAccent : kText); // a refusal is no one's fault: calm
    setText(m_messageDetail, detail);
    m_messageDetail->Wrap(GetSize().GetWidth() * 4 / 5);
    m_pages->ChangeSelection(2);
    relayout();
    m_back.StartOnce(kMessageMs);
}

void EvaluatorFrame::showProblem(const wxString& text)
{
    setText(m_problem, text);
}

// Keys 1–5 choose a level wherever the focus is, except in the comment (which takes
// digits); choosing moves on to the comment. Enter submits; Escape leaves the comment.
// Ctrl+Q closes the pad (for the caretaker).
bool EvaluatorFrame::onKey(wxKeyEvent& e)
{
    const int code = e.GetKeyCode();
    if (e.GetModifiers() == wxMOD_CONTROL && code == 'Q') {
        Close();
        return true;
    }
    if (m_mode != Mode::Rating || e.GetModifiers() != wxMOD_NONE)
        return false;
    wxWindow* focus = FindFocus();
    const bool inComment = focus == m_comment;
    int level = 0;
    if (code >= '1' && code <= '5')
        level = code - '0';
    else if (code >= WXK_NUMPAD1 && code <= WXK_NUMPAD5)
        level = code - WXK_NUMPAD0;
    if (level && !inComment) {
        choose(level);
        m_comment->SetFocus();
        return true;
    }
    if (code == WXK_ESCAPE && inComment) {
        for (std::size_t i = 0; i < kLevels.size(); ++i)
            if (kLevels[i].level == (m_level ? m_level : model::kVerySatisfied))
                m_levels[i]->SetFocus();
        return true;
    }
    if ((code == WXK_RETURN || code == WXK_NUMPAD_ENTER) && m_level != 0
        && std::find(m_levels.begin(), m_levels.end(), focus) == m_levels.end()) {
        submit();
        return true;
    }
    return false;
}

} // namespace ow::gui
