#include "FollowUpsTab.h"

#include "model/Error.h"

#include "Text.h"

#include <spdlog/spdlog.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/dataview.h>
#include <wx/dialog.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::gui {

namespace {

using model::AppealOutcome;
using model::Evaluation;
using model::FollowUpAction;

const wxColour kRefusedText(140, 0, 20);
const wxColour kDoneText(0, 90, 30);

enum Column {
    ColRating,
    ColGiven,
    ColDue,
    ColCase,
    ColTicket,
    ColStaff,
    ColWindow,
    ColComment,
    ColSteps,
    ColCount
};

wxString actionLabel(FollowUpAction action)
{
    switch (action) {
    case FollowUpAction::Callback:
        // TRANSLATORS: a follow-up step of a bad rating: calling the applicant back (回访).
        return _("callback");
    case FollowUpAction::Rectification:
        // TRANSLATORS: a follow-up step of a bad rating: putting right what was wrong (整改).
        return _("rectification");
    case FollowUpAction::Appeal:
        // TRANSLATORS: a follow-up step of a bad rating: an appeal for review (申诉复核).
        return _("appeal");
    }
    return {};
}

wxString outcomeLabel(AppealOutcome outcome)
{
    switch (outcome) {
    case AppealOutcome::None:
        return {};
    case AppealOutcome::Pending:
        // TRANSLATORS: the state of an appeal against a rating that is not decided yet.
        return _("pending");
    case AppealOutcome::Upheld:
        // TRANSLATORS: an appeal against a rating was upheld: the rating no longer counts.
        return _("upheld");
    case AppealOutcome::Rejected:
        // TRANSLATORS: an appeal against a rating was rejected: the rating stands.
        return _("rejected");
    }
    return {};
}

wxString dayText(model::Date day)
{
    return wx(day.iso()) + " " + weekdayLabel(day);
}

// "A004" of "330102-20260930-A004".
wxString shortTicket(const std::string& id)
{
    const auto dash = id.rfind('-');
    return wx(dash == std::string::npos ? id : id.substr(dash + 1));
}

wxString staffText(const FollowUpData& data, const std::string& id)
{
    if (id.empty())
        return wxString::FromUTF8("—");
    auto it = data.staffNames.find(id);
    if (it == data.staffNames.end() || it->second.empty() || it->second == id)
        return wx(id);
    return wxString::Format(_("%s (%s)"), wx(it->second), wx(id));
}

// "1 very dissatisfied": the level and its words.
wxString ratingText(const Evaluation& v)
{
    return wxString::Format("%d ", v.level) + ratingLabel(v.level);
}

// What the message line says once a step is recorded.
wxString recordedText(FollowUpAction action, const Evaluation& after)
{
    if (action == FollowUpAction::Appeal && after.appeal == AppealOutcome::Upheld)
        return after.closed ? _("Appeal upheld: the rating no longer counts; the follow-up is closed.")
                            : _("Appeal upheld: the rating no longer counts.");
    switch (action) {
    case FollowUpAction::Callback:
        return after.closed ? _("Callback recorded; the follow-up is closed.") : _("Callback recorded.");
    case FollowUpAction::Rectification:
        return after.closed ? _("Rectification recorded; the follow-up is closed.")
                            : _("Rectification recorded.");
    case FollowUpAction::Appeal:
        return after.closed ? _("Appeal recorded; the follow-up is closed.") : _("Appeal recorded.");
    }
    return {};
}

// "callback 2026-10-08 (manager01); appeal 2026-10-09 (manager01) · appeal pending".
wxString stepsText(const Evaluation& v)
{
    wxString text;
    for (const auto& s : v.steps)
        // TRANSLATORS: one follow-up step in the list: what, the day, who.
        text += (text.empty() ? wxString() : wxString("; "))
            + wxString::Format(_("%s %s (%s)"), actionLabel(s.action), wx(s.on.iso()), wx(s.actor));
    if (v.appeal != AppealOutcome::None)
        // TRANSLATORS: after the steps of a follow-up: the state of its appeal, e.g. "appeal pending".
        text += (text.empty() ? wxString() : wxString::FromUTF8(" · "))
            + wxString::Format(_("appeal %s"), outcomeLabel(v.appeal));
    return text.empty() ? wxString::FromUTF8("—") : text;
}

wxString commentText(const Evaluation& v)
{
    wxString comment = wx(v.comment);
    comment.Replace("\n", " ");
    comment.Replace("\r", " ");
    if (v.anonymous)
        // TRANSLATORS: after a rating's comment when the applicant rated without their name.
        comment
            = comment.empty() ? wxString(_("(anonymous)")) : wxString::Format(_("%s (anonymous)"), comment);
    return comment;
}

std::vector<TableRow> followUpRows(const FollowUpData& data)
{
    std::vector<TableRow> rows;
    for (const auto& v : data.open) {
        TableRow r;
        r.key = v.id;
        r.cells.resize(ColCount);
        r.cells[ColRating] = ratingText(v);
        r.cells[ColGiven] = dayText(v.day);
        if (v.followUpDue < data.today) {
            // TRANSLATORS: a follow-up's due day that has passed, e.g. "2026-10-13 Tue (overdue)".
            r.cells[ColDue] = wxString::Format(_("%s (overdue)"), dayText(v.followUpDue));
            r.tone = TableRow::Tone::Bad;
            r.bold = true;
        } else if (v.followUpDue == data.today) {
            // TRANSLATORS: a follow-up due today, e.g. "2026-10-13 Tue (today)".
            r.cells[ColDue] = wxString::Format(_("%s (today)"), dayText(v.followUpDue));
            r.tone = TableRow::Tone::Warning;
        } else {
            r.cells[ColDue] = dayText(v.followUpDue);
        }
        r.cells[ColCase] = v.caseNumber.empty() ? wxString::FromUTF8("—") : wx(v.caseNumber);
        r.cells[ColTicket] = v.ticket.empty() ? wxString::FromUTF8("—") : shortTicket(v.ticket);
        r.cells[ColStaff] = staffText(data, v.staff);
        r.cells[ColWindow] = v.window.empty() ? wxString::FromUTF8("—") : wx(v.window);
        r.cells[ColComment] = commentText(v);
        r.cells[ColSteps] = stepsText(v);
        rows.push_back(std::move(r));
    }
    return rows;
}

// The note of one follow-up step, an appeal's outcome, and whether the step closes the
// follow-up. OK waits until the note says something and closing is allowed.
class FollowUpDialog : public wxDialog {
public:
    FollowUpDialog(wxWindow* parent, FollowUpAction action, const Evaluation& rating, const wxString& about)
        : wxDialog(parent, wxID_ANY, titleOf(action), wxDefaultPosition, wxDefaultSize,
            wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER)
        , m_action(action)
        , m_rating(rating)
    {
        SetName("followups.dialog");
        auto* top = new wxBoxSizer(wxVERTICAL);
        auto* intro = new wxStaticText(this, wxID_ANY, introOf(action));
        intro->Wrap(FromDIP(460));
        top->Add(intro, wxSizerFlags().Expand().Border(wxALL, FromDIP(10)));
        auto* rated = new wxStaticText(this, wxID_ANY, about);
        rated->SetName("followups.rating");
        rated->SetFont(rated->GetFont().Bold());
        rated->Wrap(FromDIP(460));
        top->Add(rated, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(10)));

        auto* fields = new wxFlexGridSizer(2, FromDIP(6), FromDIP(10));
        fields->AddGrowableCol(1, 1);
        fields->Add(new wxStaticText(this, wxID_ANY, _("&Note:")), wxSizerFlags().Right().Top());
        m_note = new wxTextCtrl(
            this, wxID_ANY, wxString(), wxDefaultPosition, FromDIP(wxSize(360, 90)), wxTE_MULTILINE);
        m_note->SetName("followups.note");
        fields->Add(m_note, wxSizerFlags(1).Expand());
        fields->AddGrowableRow(0, 1);
        if (action == FollowUpAction::Appeal) {
            fields->Add(
                new wxStaticText(this, wxID_ANY, _("&Outcome:")), wxSizerFlags().Right().CentreVertical());
            wxArrayString outcomes;
            outcomes.Add(outcomeLabel(AppealOutcome::Pending));
            outcomes.Add(outcomeLabel(AppealOutcome::Upheld));
            outcomes.Add(outcomeLabel(AppealOutcome::Rejected));
            m_outcome = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, outcomes);
            m_outcome->SetName("followups.outcome");
            m_outcome->SetSelection(0);
            m_outcome->SetToolTip(
                _("Pending while the review is under way; upheld when the rating was mistaken "
                  "or malicious (it then no longer counts); rejected when it stands."));
            fields->Add(m_outcome, wxSizerFlags(1).Expand());
            m_outcome->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
                revalidate();
                e.Skip();
            });
        }
        fields->AddSpacer(0);
        m_close = new wxCheckBox(this, wxID_ANY, _("&Close the follow-up"));
        m_close->SetName("followups.close");
        m_close->SetToolTip(_("Closing takes the rating off this list. It needs a callback, a rectification "
                              "or a decided appeal, now or before."));
        fields->Add(m_close, wxSizerFlags(1).Expand());
        top->Add(fields, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, FromDIP(10)));

        m_problem = new wxStaticText(this, wxID_ANY, wxString());
        m_problem->SetName("followups.problem");
        m_problem->SetForegroundColour(wxColour(150, 85, 0));
        top->Add(m_problem, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(10)));
        auto* buttons = new wxStdDialogButtonSizer;
        auto* ok = new wxButton(this, wxID_OK, _("&Record"));
        ok->SetName("followups.record");
        ok->SetDefault();
        buttons->AddButton(ok);
        buttons->AddButton(new wxButton(this, wxID_CANCEL, _("Cancel")));
        buttons->Realize();
        top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, FromDIP(10)));
        SetSizer(top);
        SetEscapeId(wxID_CANCEL);

        m_note->Bind(wxEVT_TEXT, [this](wxCommandEvent& e) {
            revalidate();
            e.Skip();
        });
        m_close->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent& e) {
            revalidate();
            e.Skip();
        });
    }

    // Shows it modally with the note focused; true on Record.
    bool run()
    {
        revalidate();
        GetSizer()->SetSizeHints(this);
        Fit();
        CentreOnParent();
        m_note->SetFocus();
        return ShowModal() == wxID_OK;
    }

    std::string note() const { return utf8(wxString(m_note->GetValue()).Strip(wxString::both)); }
    bool close() const { return m_close->GetValue(); }
    AppealOutcome outcome() const
    {
        if (!m_outcome)
            return AppealOutcome::None;
        switch (m_outcome->GetSelection()) {
        case 1:
            return AppealOutcome::Upheld;
        case 2:
            return AppealOutcome::Rejected;
        default:
            return AppealOutcome::Pending;
        }
    }

private:
    static wxString titleOf(FollowUpAction action)
    {
        switch (action) {
        case FollowUpAction::Callback:
            return _("Callback");
        case FollowUpAction::Rectification:
            return _("Rectification");
        case FollowUpAction::Appeal:
            return _("Appeal for review");
        }
        return {};
    }
    static wxString introOf(FollowUpAction action)
    {
        switch (action) {
        case FollowUpAction::Callback:
            return _("Record the callback to the applicant: whom you reached, what they said and what was "
                     "agreed.");
        case FollowUpAction::Rectification:
            return _("Record what was put right after this rating, so that it does not happen again.");
        case FollowUpAction::Appeal:
            return _("Record an appeal for review when the rating was mistaken or malicious, and its outcome "
                     "once decided. An appeal upheld takes the rating out of the satisfaction figures.");
        }
        return {};
    }

    // The same rule the rating service applies, so that OK waits instead of failing.
    bool mayClose() const
    {
        const AppealOutcome o = outcome();
        return m_rating.callbackDone || m_rating.rectified || m_action != FollowUpAction::Appeal
            || o == AppealOutcome::Upheld || o == AppealOutcome::Rejected;
    }

    void revalidate()
    {
        wxString problem;
        if (wxString(m_note->GetValue()).Strip(wxString::both).empty())
            problem = _("Write a note saying what was done or found.");
        else if (close() && !mayClose())
            problem = _("The follow-up can be closed only after a callback, a rectification or a decided "
                        "appeal; an appeal still pending is not enough.");
        if (m_problem->GetLabel() != problem)
            m_problem->SetLabel(problem);
        if (auto* ok = FindWindow(wxID_OK))
            ok->Enable(problem.empty());
        Layout();
    }

    FollowUpAction m_action;
    Evaluation m_rating;
    wxTextCtrl* m_note = nullptr;
    wxChoice* m_outcome = nullptr;
    wxCheckBox* m_close = nullptr;
    wxStaticText* m_problem = nullptr;
};

} // namespace

FollowUpsTab::FollowUpsTab(wxWindow* parent, Shell& shell)
    : Tab(parent, shell)
    , m_model(new CaseTableModel(ColCount))
{
    SetName("followups");
    const int gap = FromDIP(8);
    auto* top = new wxBoxSizer(wxVERTICAL);

    m_summary = new wxStaticText(this, wxID_ANY, _("Loading…"));
    m_summary->SetName("followups.summary");
    m_summary->SetFont(m_summary->GetFont().Bold());
    top->Add(m_summary, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    auto* actions = new wxBoxSizer(wxHORIZONTAL);
    m_callback = new wxButton(this, wxID_ANY, _("&Callback…"));
    m_callback->SetName("followups.callback");
    m_callback->SetToolTip(
        _("Record a callback to the applicant of the selected rating (Enter in the list)."));
    m_rectification = new wxButton(this, wxID_ANY, _("&Rectification…"));
    m_rectification->SetName("followups.rectification");
    m_rectification->SetToolTip(_("Record what was put right after the selected rating."));
    m_appeal = new wxButton(this, wxID_ANY, _("A&ppeal…"));
    m_appeal->SetName("followups.appeal");
    m_appeal->SetToolTip(_("Record an appeal for review of the selected rating, or its outcome."));
    m_open = new wxButton(this, wxID_ANY, _("&Open case"));
    m_open->SetName("followups.open");
    actions->Add(m_callback, wxSizerFlags().CentreVertical());
    actions->Add(m_rectification, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(4)));
    actions->Add(m_appeal, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(4)));
    actions->Add(m_open, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(4)));
    m_message
        = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END);
    m_message->SetName("followups.message");
    actions->Add(m_message, wxSizerFlags(1).CentreVertical().Border(wxLEFT, gap * 2));
    top->Add(actions, wxSizerFlags().Expand().Border(wxALL, gap));

    m_list = makeCaseTable(this, m_model.get(),
        {{_("Rating"), 136}, {_("Given"), 124}, {_("Due"), 170}, {_("Case number"), 178}, {_("Ticket"), 60},
            {_("Staff"), 130}, {_("Window"), 66}, {_("Comment"), 200}, {_("Steps taken"), 240}},
        "followups.list");
    top->Add(m_list, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, gap));
    SetSizer(top);

    m_list->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent& e) {
        updateButtons();
        e.Skip();
    });
    m_list->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) { step(FollowUpAction::Callback); });
    m_callback->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { step(FollowUpAction::Callback); });
    m_rectification->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { step(FollowUpAction::Rectification); });
    m_appeal->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { step(FollowUpAction::Appeal); });
    m_open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openCase(); });

    updateButtons();
    reload();
    CallAfter([this] { m_list->SetFocus(); });
}

wxString FollowUpsTab::title() const
{
    // TRANSLATORS: the title of the queue manager's tab of bad ratings to follow up.
    return _("Follow-ups");
}

void FollowUpsTab::onDataChanged()
{
    reload();
}

void FollowUpsTab::reload()
{
    if (!m_gate.begin())
        return;
    runAsync<FollowUpData>(
        session(), liveness(),
        [](client::Backend& b) {
            FollowUpData data;
            data.open = b.openFollowUps();
            data.today = b.today();
            for (const auto& s : b.staffList())
                data.staffNames[s.id] = s.name;
            return data;
        },
        [this](FollowUpData data) {
            const bool again = m_gate.end();
            show(std::move(data));
            if (again)
                reload();
        },
        [this](const std::string& message) {
            m_gate.end();
            say(wx(message), true);
        });
}

void FollowUpsTab::show(FollowUpData data)
{
    const std::string key = selectedKey(m_list, *m_model);
    m_data = std::move(data);
    m_model->setRows(followUpRows(m_data));
    int overdue = 0;
    for (const auto& v : m_data.open)
        overdue += v.followUpDue < m_data.today ? 1 : 0;
    const int count = static_cast<int>(m_data.open.size());
    wxString summary;
    if (count == 0)
        summary = _("No bad ratings are waiting for a follow-up.");
    else
        // TRANSLATORS: the heading of the follow-up list: how many are open and how many of them are overdue.
        summary
            = wxString::Format(wxPLURAL("%d bad rating to follow up, %d overdue",
                                   "%d bad ratings to follow up, %d overdue", static_cast<unsigned>(count)),
                count, overdue);
    if (m_summary->GetLabel() != summary)
        m_summary->SetLabel(summary);
    m_summary->SetForegroundColour(overdue > 0 ? kRefusedText : GetForegroundColour());
    // Keep the selection on the rating it stood for; when that one has left the list (closed),
    // select the first, so that the keyboard can go on at once.
    unsigned int row = 0;
    for (unsigned int i = 0; i < m_model->size(); ++i)
        if (!key.empty() && m_model->row(i)->key == key)
            row = i;
    if (m_model->size() > 0)
        m_list->Select(m_model->GetItem(row));
    updateButtons();
    Layout();
}

const Evaluation* FollowUpsTab::selected() const
{
    const std::string key = selectedKey(m_list, *m_model);
    if (key.empty())
        return nullptr;
    for (const auto& v : m_data.open)
        if (v.id == key)
            return &v;
    return nullptr;
}

void FollowUpsTab::updateButtons()
{
    const Evaluation* v = selected();
    const bool enabled = v && !m_busy;
    m_callback->Enable(enabled);
    m_rectification->Enable(enabled);
    m_appeal->Enable(enabled);
    m_open->Enable(v && !v->caseNumber.empty());
}

void FollowUpsTab::step(FollowUpAction action)
{
    if (m_busy)
        return;
    const Evaluation* current = selected();
    if (!current) {
        say(_("Select a rating to follow it up."), true);
        return;
    }
    const Evaluation rating = *current;
    wxString about = ratingText(rating) + wxString::FromUTF8(" · ") + dayText(rating.day);
    if (!rating.ticket.empty())
        about += wxString::FromUTF8(" · ") + shortTicket(rating.ticket);
    if (!rating.caseNumber.empty())
        about += wxString::FromUTF8(" · ") + wx(rating.caseNumber);
    if (!rating.staff.empty())
        about += wxString::FromUTF8(" · ") + staffText(m_data, rating.staff);
    if (!rating.comment.empty())
        about += wxString::FromUTF8(" · “") + wx(rating.comment) + wxString::FromUTF8("”");
    FollowUpDialog dialog(this, action, rating, about);
    if (!dialog.run())
        return;
    const std::string user = shell().user().id;
    const std::string id = rating.id;
    const std::string note = dialog.note();
    const bool close = dialog.close();
    const AppealOutcome outcome = dialog.outcome();
    m_busy = true;
    updateButtons();
    say(_("Saving…"), false);
    runAsync<Evaluation>(
        session(), liveness(),
        [user, id, action, note, close, outcome](client::Backend& b) {
            try {
                return b.evaluations().followUp(user, id, action, note, close, outcome);
            } catch (const model::DomainError& e) {
                spdlog::info("follow-ups: refused: {}", e.code());
                throw;
            }
        },
        [this, action](Evaluation done) {
            m_busy = false;
            say(recordedText(action, done), false);
            shell().dataChanged();
        },
        [this](const std::string& message) {
            m_busy = false;
            updateButtons();
            // Nothing was written: the list stays as it is.
            say(wx(message), true);
        });
}

void FollowUpsTab::openCase()
{
    const Evaluation* v = selected();
    if (!v || v->caseNumber.empty()) {
        say(_("The selected rating has no case."), true);
        return;
    }
    shell().openCase(v->caseNumber);
}

void FollowUpsTab::say(const wxString& text, bool refusal)
{
    m_message->SetForegroundColour(refusal ? kRefusedText : kDoneText);
    m_message->SetFont(refusal ? GetFont().Bold() : GetFont());
    m_message->SetLabel(text);
    m_message->SetToolTip(text);
    if (!text.empty())
        shell().showStatus(text);
    Layout();
}

} // namespace ow::gui
