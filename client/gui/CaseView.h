// What a case tab shows, in two halves: the snapshot gathered on the worker thread
// (the case, its events in canonical order, its clock, the staff names and what the
// user's role allows), and the texts and table rows made from it on the GUI thread.
#pragma once

#include "model/CaseState.h"
#include "model/Permissions.h"
#include "model/TimeLimit.h"

#include "CaseTable.h"
#include "Text.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <wx/string.h>

namespace ow::client {
class Backend;
}

namespace ow::gui {

// A day after the deadline, for the overdue part of the clock ledger.
struct LateDay {
    model::Date date;
    model::DayType type = model::DayType::WorkingDay;
    std::string name; // holiday or make-up day name
    bool provisional = false;
    std::string suspension; // the reason, when the case was suspended that day (not counted)
    int lateCount = 0; // working days past the deadline so far, suspended days not counted
};

struct CaseSnapshot {
    model::CaseState state;
    std::vector<model::Event> events; // canonical order
    model::Date today; // China Standard Time
    std::string user;
    std::map<std::string, model::Staff> staff; // every account, by id
    std::set<model::Action> allowed; // what the user's role may do (Backend::may)

    // The clock. Before acceptance: the 5-working-day decision date. After: the promised
    // deadline with its ledger, the statutory one, and how it stands today (open cases)
    // or stood when the case was finished.
    std::optional<model::Date> decisionDue;
    std::optional<model::Remaining> decisionRemaining;
    std::optional<model::DeadlineResult> promised;
    std::optional<model::Date> statutoryDeadline;
    // Open cases with a known deadline; when overdue, the working days late exclude days
    // the case was suspended (the clock stands still then, before or after the deadline).
    std::optional<model::Remaining> remaining;
    std::optional<int> lateBy; // finished cases: working days late, likewise (0: on time)
    std::vector<LateDay> lateDays; // from the day after the deadline to today or the finish
    std::vector<int> provisionalYears; // ledger years without a holiday calendar file
};

// Worker thread: everything the tab shows, or nothing when there is no such case.
std::optional<CaseSnapshot> loadSnapshot(client::Backend& backend, const std::string& number);

// GUI thread, from here on.

// localName(zh, en): Text.h.
// The staff member's name, else the account id.
wxString staffName(const CaseSnapshot& s, const std::string& id);
wxString isoWithWeekday(model::Date date);
// "5 working days", "100 calendar days".
wxString limitText(const model::TimeLimit& limit);

struct Headline {
    wxString text;
    wxString detail;
    TableRow::Tone tone = TableRow::Tone::Normal;
};
// The deadline and its countdown: green, amber (2 working days or fewer), red (overdue).
Headline deadlineHeadline(const CaseSnapshot& s);

wxString applicantLine(const CaseSnapshot& s);
wxString mattersLine(const CaseSnapshot& s);
wxString caseLine(const CaseSnapshot& s);
// Empty when the case is not in conflict; else what conflicts, between whom, who resolves it.
wxString conflictText(const CaseSnapshot& s);
// One conflict candidate in words, e.g. "concluded: denied — 李强 (reviewer01)".
wxString candidateText(const CaseSnapshot& s, const model::ConflictCandidate& c);
wxString conflictGroupLabel(const std::string& group);

enum TimelineColumn { TlWhen, TlWho, TlWhat, TlDetails, TimelineColumns };
enum MaterialColumn { MaName, MaForm, MaNeed, MaState, MaRequiredBy, MaterialColumns };
enum StepColumn { StId, StDepartment, StAssignee, StRouted, StState, StOutcome, StepColumns };
enum LedgerColumn { LeDate, LeWeekday, LeDay, LeEffect, LeCount, LeNote, LedgerColumns };

std::vector<TableRow> timelineRows(const CaseSnapshot& s);
std::vector<TableRow> materialRows(const CaseSnapshot& s);
std::vector<TableRow> stepRows(const CaseSnapshot& s);
std::vector<TableRow> ledgerRows(const CaseSnapshot& s);
// Above the ledger: the limit, the start, suspensions, extensions and the outcome.
wxString clockSummary(const CaseSnapshot& s);
// The full description of one event, for the line under the timeline.
wxString eventDescription(const CaseSnapshot& s, const std::string& eventId);

} // namespace ow::gui
