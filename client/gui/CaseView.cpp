#include "CaseView.h"

#include "model/ConflictTable.h"
#include "model/HybridClock.h"

#include "Text.h"
#include "client/core/Backend.h"

#include <algorithm>
#include <wx/arrstr.h>
#include <wx/datetime.h>
#include <wx/intl.h>

namespace ow::gui {

namespace {

namespace T = model::EventType;
using Tone = TableRow::Tone;

// Longest overdue stretch listed day by day in the ledger.
constexpr int kMaxLateDays = 400;

// wxPLURAL counts in unsigned; counts here are never negative.
unsigned pluralCount(int n)
{
    return static_cast<unsigned>(std::max(0, n));
}

wxString joinedText(const std::vector<wxString>& parts, const wxString& separator = " · ")
{
    wxString out;
    for (const auto& p : parts)
        if (!p.empty())
            out += (out.empty() ? wxString() : separator) + p;
    return out;
}

std::vector<std::string> stringsOf(const model::Event& e, const char* key)
{
    std::vector<std::string> out;
    if (const model::Json* v = e.body.get(key); v && v->isArray())
        for (const auto& x : v->asArray())
            if (x.isString())
                out.push_back(x.asString());
    return out;
}

wxString materialName(const CaseSnapshot& s, const std::string& code)
{
    if (const auto* m = s.state.material(code))
        return localName(m->nameZh, m->nameEn);
    return wx(code); // a notice item in plain words, or a code this case does not list
}

wxString materialNames(const CaseSnapshot& s, const std::vector<std::string>& codes)
{
    std::vector<wxString> names;
    for (const auto& c : codes)
        names.push_back(materialName(s, c));
    return joinedText(names, _(", "));
}

wxString localTime(model::Hlc hlc)
{
    const wxDateTime t(wxLongLong(model::hlcWallMs(hlc)));
    return t.Format("%Y-%m-%d %H:%M");
}

// When an event happened: its local time, or only the date when the event names the
// day it took effect ("on") and that differs from the day it was recorded.
wxString whenText(const model::Event& e)
{
    const wxString recorded = localTime(e.hlc);
    if (const model::Json* on = e.body.get("on"); on && on->isString())
        if (auto day = model::Date::fromIso(on->asString()); day && !recorded.StartsWith(wx(day->iso())))
            return wx(day->iso());
    return recorded;
}

wxString weekdayName(model::Date d)
{
    return weekdayLabel(d);
}

wxString dayTypeText(model::DayType type, const std::string& name)
{
    using D = model::DayType;
    wxString text;
    switch (type) {
    case D::WorkingDay:
        text = _("working day");
        break;
    case D::Weekend:
        text = _("weekend");
        break;
    case D::Holiday:
        text = _("holiday");
        break;
    case D::MakeUpWorkingDay:
        text = _("make-up working day");
        break;
    }
    return name.empty() ? text : text + " " + wx(name);
}

wxString effectText(model::LedgerEntry::Effect effect)
{
    using E = model::LedgerEntry;
    switch (effect) {
    case E::Counted:
        return _("counted");
    case E::NotCountedNonWorking:
        return _("not counted: day off");
    case E::NotCountedSuspended:
        return _("not counted: suspended");
    case E::ExtensionCounted:
        return _("counted: extension");
    case E::RolledForwardHoliday:
        return _("limit ends on a day off: rolled forward");
    case E::RolledForwardDeadline:
        return _("first working day after: deadline");
    }
    return {};
}

wxString deliveryText(const std::string& method)
{
    if (auto m = model::deliveryMethodFromString(method))
        return deliveryLabel(*m);
    return wx(method);
}

wxString outcomeText(const std::string& outcome)
{
    if (outcome == "approved")
        return _("approved");
    if (outcome == "denied")
        return _("denied");
    return wx(outcome);
}

// What the countdown says, given the remaining working days.
wxString countdown(const model::Remaining& r)
{
    if (r.overdue) {
        const int late = -r.workingDays;
        return late == 0
            ? wxString(_("overdue"))
            : wxString::Format(
                wxPLURAL("overdue by %d working day", "overdue by %d working days", pluralCount(late)), late);
    }
    if (r.dueToday)
        return _("due today");
    return wxString::Format(
        wxPLURAL("%d working day left", "%d working days left", pluralCount(r.workingDays)), r.workingDays);
}

Tone countdownTone(const model::Remaining& r)
{
    if (r.overdue)
        return Tone::Bad;
    if (r.dueToday || r.workingDays <= 2)
        return Tone::Warning;
    return Tone::Good;
}

bool finished(const model::CaseState& s)
{
    return s.concludedOn.has_value();
}

wxArrayString yearsText(const CaseSnapshot& s)
{
    wxArrayString years;
    for (int y : s.provisionalYears)
        years.Add(wxString::Format("%d", y));
    return years;
}

wxString provisionalText(const CaseSnapshot& s)
{
    if (s.provisionalYears.empty())
        return {};
    const wxString years = wxJoin(yearsText(s), ',');
    // TRANSLATORS: %s lists years, e.g. "2027"; without a holiday calendar only weekends are days off.
    return wxString::Format(_("provisional: no holiday calendar for %s yet"), years);
}

} // namespace

std::optional<CaseSnapshot> loadSnapshot(client::Backend& b, const std::string& number)
{
    auto state = b.findCase(number);
    if (!state || state->status == model::CaseStatus::None)
        return std::nullopt;
    CaseSnapshot s;
    s.state = std::move(*state);
    s.events = model::canonicalOrder(b.caseEvents(number));
    s.today = b.today();
    s.user = b.user().id;
    for (auto& member : b.staffList())
        s.staff.emplace(member.id, member);
    for (auto action : model::allActions())
        if (b.may(action))
            s.allowed.insert(action);

    const auto& calendar = b.calendar();
    if (!s.state.acceptedOn) {
        s.decisionDue = model::acceptanceDecisionDue(calendar, s.state.openedOn);
        s.decisionRemaining = model::remaining(calendar, *s.decisionDue, s.today);
        return s;
    }
    try {
        s.promised = model::caseDeadline(s.state, calendar);
        // While the clock stands still the statutory date is a placeholder too: not shown.
        if (auto statutory = model::caseDeadline(s.state, calendar, true); !statutory.suspendedOpenEnded)
            s.statutoryDeadline = statutory.deadline;
    } catch (const model::DomainError&) {
        return s; // no matters or a limit the engine refuses: shown without a deadline
    }
    std::set<int> years;
    for (const auto& entry : s.promised->ledger)
        if (entry.provisional)
            years.insert(entry.date.year());
    if (s.promised->suspendedOpenEnded) {
        s.provisionalYears.assign(years.begin(), years.end());
        return s; // no deadline can be known while the clock stands still
    }
    const model::Date deadline = s.promised->deadline;
    const model::Date end = s.state.concludedOn ? *s.state.concludedOn : s.today;
    int late = 0;
    for (model::Date d = deadline.addDays(1); d <= end; d = d.addDays(1)) {
        LateDay day{d, calendar.dayType(d), calendar.holidayName(d), calendar.isProvisional(d), {}, 0};
        for (const auto& x : s.state.suspensions)
            if (x.from <= d && (!x.to || d < *x.to))
                day.suspension = x.reason.empty() ? std::string("-") : x.reason;
        late += calendar.isWorkingDay(d) && day.suspension.empty() ? 1 : 0;
        day.lateCount = late;
        if (s.lateDays.size() < kMaxLateDays)
            s.lateDays.push_back(std::move(day));
        if (calendar.isProvisional(d))
            years.insert(d.year());
    }
    if (finished(s.state)) {
        s.lateBy = late;
    } else {
        s.remaining = model::remaining(calendar, deadline, s.today);
        if (s.remaining->overdue)
            s.remaining->workingDays = -late;
    }
    s.provisionalYears.assign(years.begin(), years.end());
    return s;
}

wxString staffName(const CaseSnapshot& s, const std::string& id)
{
    if (auto it = s.staff.find(id); it != s.staff.end() && !it->second.name.empty())
        return wx(it->second.name);
    return wx(id);
}

wxString isoWithWeekday(model::Date date)
{
    return wx(date.iso()) + " " + weekdayName(date);
}

wxString limitText(const model::TimeLimit& limit)
{
    return limit.counting == model::DayCounting::Working
        ? wxString::Format(wxPLURAL("%d working day", "%d working days", pluralCount(limit.days)), limit.days)
        : wxString::Format(
            wxPLURAL("%d calendar day", "%d calendar days", pluralCount(limit.days)), limit.days);
}

Headline deadlineHeadline(const CaseSnapshot& s)
{
    const auto& c = s.state;
    using S = model::CaseStatus;
    Headline h;
    if (!c.acceptedOn) {
        if (c.status == S::AwaitingCorrection) {
            h.text = _("Waiting for the applicant's corrections");
            h.tone = Tone::Muted;
            h.detail = _("the one-time notice lists what is missing; the deadline starts with acceptance");
        } else if (c.status == S::Consulting && s.decisionDue && s.decisionRemaining) {
            // TRANSLATORS: %s is a date with its weekday, the second %s a countdown such as "2 working days
            // left".
            h.text = wxString::Format(
                _("Decide by %s · %s"), isoWithWeekday(*s.decisionDue), countdown(*s.decisionRemaining));
            h.tone = countdownTone(*s.decisionRemaining);
            h.detail = _("whether to accept must be decided within 5 working days of receipt; the deadline "
                         "starts with acceptance");
        } else if (c.concludedOn) {
            h.text = wxString::Format(_("%s on %s"), statusLabel(c.status), wx(c.concludedOn->iso()));
            h.tone = Tone::Muted;
        }
        return h;
    }
    if (!s.promised) {
        h.text = _("No deadline: the case has no matter with a time limit");
        h.tone = Tone::Muted;
        return h;
    }
    const auto& p = *s.promised;
    std::vector<wxString> detail;
    // TRANSLATORS: e.g. "promised limit 5 working days from 2026-11-21".
    detail.push_back(wxString::Format(_("promised limit %s from %s"), limitText(p.limit), wx(p.start.iso())));
    for (const auto& x : c.extensions)
        detail.push_back(wxString::Format(_("extended by %s"), limitText(x.extra)));
    if (s.statutoryDeadline)
        detail.push_back(wxString::Format(_("statutory deadline %s"), isoWithWeekday(*s.statutoryDeadline)));
    detail.push_back(provisionalText(s));
    h.detail = joinedText(detail);

    if (p.suspendedOpenEnded) {
        const auto* open = c.openSuspension();
        // TRANSLATORS: the clock of a suspended case; %s is a date, then days counted of the limit.
        h.text = wxString::Format(_("Clock stopped since %s · %d of %d days counted"),
            open ? wx(open->from.iso()) : wxString("?"), p.countedDays, p.limit.days);
        h.tone = Tone::Muted;
    } else if (finished(c)) {
        const int late = s.lateBy.value_or(0);
        // TRANSLATORS: a finished case: the day it was decided, then "on time" or "2 working days late".
        h.text = wxString::Format(_("Finished %s · %s"), wx(c.concludedOn->iso()),
            late == 0 ? wxString(_("on time"))
                      : wxString::Format(
                          wxPLURAL("%d working day late", "%d working days late", pluralCount(late)), late));
        h.detail = wxString::Format(_("deadline was %s"), isoWithWeekday(p.deadline)) + " · " + h.detail;
        h.tone = late == 0 ? Tone::Good : Tone::Bad;
    } else if (s.remaining) {
        // TRANSLATORS: e.g. "Due 2026-12-04 Fri · 3 working days left".
        h.text = wxString::Format(_("Due %s · %s"), isoWithWeekday(p.deadline), countdown(*s.remaining));
        h.tone = countdownTone(*s.remaining);
    }
    if (p.provisional)
        h.text += " · " + wxString(_("provisional"));
    return h;
}

wxString applicantLine(const CaseSnapshot& s)
{
    const auto& a = s.state.applicant;
    std::vector<wxString> parts;
    parts.push_back(wx(a.name));
    // Never the full number on screen: the model masks it.
    parts.push_back(idKindLabel(a.idKind) + " " + wx(model::displayId(a)));
    if (!a.phone.empty())
        parts.push_back(wx(model::displayPhone(a)));
    if (a.type == model::ApplicantType::Enterprise && !a.legalRepresentative.empty())
        parts.push_back(wxString::Format(_("legal representative %s"), wx(a.legalRepresentative)));
    if (a.agent)
        // TRANSLATORS: an agent acting for the applicant: the name and the masked ID number.
        parts.push_back(
            wxString::Format(_("agent %s (%s)"), wx(a.agent->name), wx(model::maskId(a.agent->idNumber))));
    if (a.assisted)
        parts.push_back(_("assisted (帮办代办)"));
    if (model::isElderly(a, s.today))
        parts.push_back(_("elderly"));
    parts.push_back(deliveryLabel(a.delivery));
    return joinedText(parts);
}

wxString mattersLine(const CaseSnapshot& s)
{
    std::vector<wxString> parts;
    for (const auto& m : s.state.matters)
        parts.push_back(localName(m.nameZh, m.nameEn));
    wxString text = joinedText(parts, _("; "));
    if (!s.state.bundle.empty())
        // TRANSLATORS: the matters were taken in together as one bundle (一件事); %s is its code.
        text += "  " + wxString::Format(_("(bundle %s)"), wx(s.state.bundle));
    return text;
}

wxString caseLine(const CaseSnapshot& s)
{
    const auto& c = s.state;
    std::vector<wxString> parts;
    parts.push_back(c.window.empty()
            ? wxString::Format(_("opened %s"), wx(c.openedOn.iso()))
            : wxString::Format(_("opened %s at window %s"), wx(c.openedOn.iso()), wx(c.window)));
    if (c.acceptedOn)
        parts.push_back(wxString::Format(_("accepted %s"), wx(c.acceptedOn->iso())));
    if (!c.assignee.empty())
        parts.push_back(wxString::Format(_("assignee %s"), staffName(s, c.assignee)));
    parts.push_back(wxString::Format(wxPLURAL("%d visit", "%d visits", pluralCount(c.visits)), c.visits));
    if (c.currentCentre != c.centre && !c.currentCentre.empty())
        parts.push_back(wxString::Format(_("transferred to centre %s"), wx(c.currentCentre)));
    if (!c.outcomeReason.empty())
        parts.push_back(wxString::Format(_("reason: %s"), wx(c.outcomeReason)));
    if (!c.refusalReason.empty())
        parts.push_back(wxString::Format(_("refused: %s"), wx(c.refusalReason)));
    return joinedText(parts);
}

wxString conflictGroupLabel(const std::string& group)
{
    namespace G = model::ConflictGroup;
    if (group == G::Decision)
        return _("the decision");
    if (group == G::Assignment)
        return _("the assignment");
    if (group == G::Transfer)
        return _("the transfer");
    if (group == G::Suspension)
        return _("the suspension or extension");
    return wx(group);
}

wxString candidateText(const CaseSnapshot& s, const model::ConflictCandidate& c)
{
    // The value is "<type>:<what it decides>" or, for assignments, "<assignee> @ <window>".
    std::string value = c.value;
    if (value.rfind(c.type + ":", 0) == 0)
        value = value.substr(c.type.size() + 1);
    else if (value == c.type)
        value.clear();
    wxString what = eventLabel(c.type);
    if (c.type == T::Concluded)
        what += ": " + outcomeText(value);
    else if (c.type == T::Assigned) {
        const auto at = value.find(" @ ");
        const std::string assignee = value.substr(0, at);
        what = wxString::Format(_("assigned to %s"), staffName(s, assignee));
        if (at != std::string::npos)
            what += " " + wxString::Format(_("at window %s"), wx(value.substr(at + 3)));
    } else if (c.type == T::Transferred)
        what = wxString::Format(_("transferred to centre %s"), wx(value));
    else if (c.type == T::Extended) {
        if (auto limit = model::TimeLimit::parse(value))
            what += " " + wxString::Format(_("by %s"), limitText(*limit));
    }
    // TRANSLATORS: a conflicting decision and who made it, e.g. "concluded: denied — 李强 (reviewer01)".
    return wxString::Format(_("%s — %s (%s)"), what, staffName(s, c.actor), wx(c.actor));
}

wxString conflictText(const CaseSnapshot& s)
{
    if (!s.state.inConflict())
        return {};
    std::vector<wxString> lines;
    for (const auto& conflict : s.state.conflicts) {
        std::vector<wxString> candidates;
        for (const auto& c : conflict.candidates)
            candidates.push_back(candidateText(s, c));
        // TRANSLATORS: %s is the conflicting part of the case ("the decision"), then the values side by side.
        lines.push_back(wxString::Format(_("Two workstations changed %s differently: %s."),
            conflictGroupLabel(conflict.group), joinedText(candidates, _("  versus  "))));
    }
    wxString text = _("IN CONFLICT") + "  " + joinedText(lines, "\n");
    text += "\n"
        + wxString(_("The first value is in effect until a queue manager resolves the conflict; until then "
                     "this part of the case cannot change."));
    return text;
}

wxString eventDescription(const CaseSnapshot& s, const std::string& eventId)
{
    for (const auto& e : s.events) {
        if (e.id() != eventId)
            continue;
        for (const auto& row : timelineRows(s))
            if (row.key == eventId) {
                // TRANSLATORS: the selected event in full: when, who (name and account), what.
                wxString text = wxString::Format(_("%s · %s (%s) · %s"), row.cells[TlWhen], row.cells[TlWho],
                    wx(e.actor), row.cells[TlWhat]);
                if (!row.cells[TlDetails].empty())
                    text += ": " + row.cells[TlDetails];
                if (row.cells[TlWhen] != localTime(e.hlc))
                    text += " · " + wxString::Format(_("recorded %s"), localTime(e.hlc));
                for (const auto& a : s.state.anomalies)
                    if (a.eventId == eventId && a.code != "case.overruled")
                        // TRANSLATORS: %s is the model's code for why, e.g. "case.transition_refused".
                        text += " · "
                            + wxString::Format(
                                _("not applied: the case could no longer take it (%s)"), wx(a.code));
                return text + "   [" + wx(eventId) + "]"; // the id, for support staff
            }
    }
    return {};
}

namespace {

wxString details(const CaseSnapshot& s, const model::Event& e)
{
    const auto& b = e.body;
    const std::string& t = e.type;
    auto text = [&](const char* key) { return wx(b.getString(key)); };
    if (t == T::Opened) {
        std::vector<wxString> parts;
        if (!b.getString("window").empty())
            parts.push_back(wxString::Format(_("at window %s"), text("window")));
        const auto matters = b.get("matters");
        const auto n = matters && matters->isArray() ? static_cast<int>(matters->asArray().size()) : 0;
        parts.push_back(wxString::Format(wxPLURAL("%d matter", "%d matters", pluralCount(n)), n));
        return joinedText(parts);
    }
    if (t == T::MaterialReceived || t == T::Corrected)
        return materialNames(s, stringsOf(e, "codes"));
    if (t == T::AcceptedDeficient)
        // TRANSLATORS: accepted with deficiencies: the materials owed, then the date promised.
        return wxString::Format(
            _("owed: %s; promised by %s"), materialNames(s, stringsOf(e, "missing")), text("commitmentDue"));
    if (t == T::NoticeIssued)
        return materialNames(s, stringsOf(e, "items"));
    if (t == T::Refused)
        return joinedText({text("reason"), text("legalBasis")}, _("; "));
    if (t == T::Routed) {
        wxString d = wxString::Format(_("step %s to %s"), text("step"), text("department"));
        if (!b.getString("assignee").empty())
            d += ", " + wxString::Format(_("assignee %s"), staffName(s, b.getString("assignee")));
        return d;
    }
    if (t == T::StepDone)
        return wxString::Format(_("step %s: %s"), text("step"), text("outcome"));
    if (t == T::Suspended || t == T::Withdrawn || t == T::Terminated)
        return text("reason");
    if (t == T::Extended) {
        auto limit = model::TimeLimit::parse(b.getString("limit"));
        // TRANSLATORS: an extension: how long, why, who asked and who approved.
        return wxString::Format(_("by %s: %s; requested by %s, approved by %s"),
            limit ? limitText(*limit) : text("limit"), text("reason"),
            staffName(s, b.getString("requestedBy")), staffName(s, b.getString("approvedBy")));
    }
    if (t == T::Concluded)
        return joinedText({outcomeText(b.getString("outcome")), text("reason")}, _(": "));
    if (t == T::Delivered)
        return deliveryText(b.getString("method"));
    if (t == T::Assigned) {
        wxString d = staffName(s, b.getString("assignee"));
        if (!b.getString("window").empty())
            d += " " + wxString::Format(_("at window %s"), text("window"));
        return d;
    }
    if (t == T::Transferred)
        return joinedText({wxString::Format(_("to centre %s"), text("toCentre")), text("reason")}, _(": "));
    if (t == T::Evaluated)
        return joinedText({wxString::Format(_("%lld of 5"), static_cast<long long>(b.getInt("level", 0))),
            text("channel"), text("comment")});
    if (t == T::Note)
        return text("text");
    if (t == T::DocumentIssued) {
        const auto kind = model::documentKindFromString(b.getString("kind"));
        return joinedText({kind ? documentLabel(*kind) : text("kind"), text("number"),
            b.getBool("reprint", false) ? wxString(_("reprint (补打)")) : wxString()});
    }
    if (t == T::ConflictResolved) {
        const std::string chosen = b.getString("chosen");
        wxString value = wx(chosen);
        for (const auto& other : s.events)
            if (other.id() == chosen) {
                value = eventLabel(other.type);
                if (other.type == T::Concluded)
                    value += ": " + outcomeText(other.body.getString("outcome"));
                value += " — " + staffName(s, other.actor);
            }
        // TRANSLATORS: a resolved conflict: the part of the case, then the value kept.
        return wxString::Format(_("%s: kept %s"), conflictGroupLabel(b.getString("group")), value);
    }
    return {};
}

} // namespace

std::vector<TableRow> timelineRows(const CaseSnapshot& s)
{
    std::set<std::string> overruled;
    std::map<std::string, std::string> notApplied;
    for (const auto& a : s.state.anomalies) {
        if (a.code == "case.overruled")
            overruled.insert(a.eventId);
        else
            notApplied[a.eventId] = a.code;
    }
    std::set<std::string> conflicting;
    for (const auto& c : s.state.conflicts)
        for (const auto& cand : c.candidates)
            conflicting.insert(cand.eventId);

    std::vector<TableRow> rows;
    for (const auto& e : s.events) {
        if (e.caseNumber != s.state.number)
            continue;
        TableRow r;
        r.key = e.id();
        r.cells.resize(TimelineColumns);
        r.cells[TlWhen] = whenText(e);
        r.cells[TlWho] = staffName(s, e.actor);
        r.cells[TlWhat] = eventLabel(e.type);
        r.cells[TlDetails] = details(s, e);
        if (conflicting.count(r.key)) {
            r.cells[TlWhat] = _("⚠ in conflict: ") + r.cells[TlWhat];
            r.tone = Tone::Bad;
            r.bold = true;
        } else if (overruled.count(r.key)) {
            r.cells[TlWhat] += " " + wxString(_("(overruled)"));
            r.tone = Tone::Muted;
        } else if (auto it = notApplied.find(r.key); it != notApplied.end()) {
            // An event stored but not applied: it reached a state that could no longer take it.
            r.cells[TlWhat] += " " + wxString(_("(not applied)"));
            r.tone = Tone::Muted;
        } else if (!model::isKnownCaseEventType(e.type)) {
            r.tone = Tone::Muted;
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> materialRows(const CaseSnapshot& s)
{
    const auto& c = s.state;
    std::vector<TableRow> rows;
    for (const auto& m : c.materials) {
        TableRow r;
        r.key = m.code;
        r.cells.resize(MaterialColumns);
        r.cells[MaName] = localName(m.nameZh, m.nameEn);
        const wxString form
            = m.form == model::MaterialForm::Original ? wxString(_("original")) : wxString(_("copy"));
        r.cells[MaForm] = m.count > 1 ? wxString::Format(_("%s × %d"), form, m.count) : form;
        r.cells[MaNeed] = m.mandatory ? _("mandatory") : _("optional");
        const bool owed
            = std::find(c.deficiencies.begin(), c.deficiencies.end(), m.code) != c.deficiencies.end();
        const bool noticed
            = std::find(c.noticeItems.begin(), c.noticeItems.end(), m.code) != c.noticeItems.end();
        if (m.received) {
            r.cells[MaState] = _("✓ received");
        } else if (m.dataShared) {
            r.cells[MaState] = _("data-shared (免提交)");
            r.tone = Tone::Muted;
        } else if (owed) {
            r.cells[MaState] = c.commitmentDue
                ? wxString::Format(_("owed, promised by %s"), wx(c.commitmentDue->iso()))
                : wxString(_("owed"));
            r.tone = Tone::Warning;
            r.bold = true;
        } else if (noticed) {
            r.cells[MaState] = _("asked for in the one-time notice");
            r.tone = Tone::Warning;
        } else if (m.mandatory) {
            r.cells[MaState] = _("missing");
            r.tone = Tone::Bad;
        } else {
            r.cells[MaState] = _("not brought (optional)");
            r.tone = Tone::Muted;
        }
        std::vector<wxString> by;
        for (const auto& code : m.requiredBy) {
            wxString name = wx(code);
            for (const auto& matter : c.matters)
                if (matter.code == code)
                    name = localName(matter.nameZh, matter.nameEn);
            by.push_back(name);
        }
        r.cells[MaRequiredBy] = joinedText(by, _("; "));
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> stepRows(const CaseSnapshot& s)
{
    std::vector<TableRow> rows;
    for (const auto& st : s.state.steps) {
        TableRow r;
        r.key = st.id;
        r.cells.resize(StepColumns);
        r.cells[StId] = wx(st.id);
        r.cells[StDepartment] = wx(st.department);
        r.cells[StAssignee] = st.assignee.empty() ? wxString(_("(anyone)")) : staffName(s, st.assignee);
        r.cells[StRouted] = wx(st.routedOn.iso());
        if (st.done) {
            r.cells[StState] = st.doneOn ? wxString::Format(_("done %s"), wx(st.doneOn->iso())) : _("done");
            r.cells[StOutcome] = wx(st.outcome);
        } else {
            r.cells[StState] = _("open");
            r.tone = Tone::Warning;
            r.bold = st.assignee == s.user; // mine to complete
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> ledgerRows(const CaseSnapshot& s)
{
    std::vector<TableRow> rows;
    if (!s.promised)
        return rows;
    const auto& p = *s.promised;
    const int total = p.suspendedOpenEnded ? p.limit.days : p.countedDays;
    {
        TableRow r;
        r.key = p.start.iso();
        r.cells.resize(LedgerColumns);
        r.cells[LeDate] = wx(p.start.iso());
        r.cells[LeWeekday] = weekdayName(p.start);
        r.cells[LeEffect] = _("accepted");
        r.cells[LeCount] = "0";
        r.cells[LeNote] = _("counting starts the next day");
        r.tone = Tone::Muted;
        rows.push_back(std::move(r));
    }
    for (std::size_t i = 0; i < p.ledger.size(); ++i) {
        const auto& e = p.ledger[i];
        TableRow r;
        r.key = e.date.iso();
        r.cells.resize(LedgerColumns);
        r.cells[LeDate] = wx(e.date.iso());
        r.cells[LeWeekday] = weekdayName(e.date);
        r.cells[LeDay]
            = dayTypeText(e.dayType, e.effect == model::LedgerEntry::NotCountedSuspended ? "" : e.note);
        r.cells[LeEffect] = effectText(e.effect);
        r.cells[LeCount] = wxString::Format("%d / %d", e.runningCount, total);
        std::vector<wxString> note;
        if (e.effect == model::LedgerEntry::NotCountedSuspended)
            note.push_back(wx(e.note));
        const bool last = i + 1 == p.ledger.size();
        if (last && !p.suspendedOpenEnded)
            note.push_back(_("DEADLINE"));
        if (last && p.suspendedOpenEnded)
            note.push_back(_("the clock stands still until the case resumes"));
        if (e.date == s.today)
            note.push_back(_("today"));
        if (e.provisional)
            note.push_back(_("provisional"));
        r.cells[LeNote] = joinedText(note);
        const bool counted = e.effect == model::LedgerEntry::Counted
            || e.effect == model::LedgerEntry::ExtensionCounted
            || e.effect == model::LedgerEntry::RolledForwardDeadline;
        r.tone = counted ? Tone::Normal : Tone::Muted;
        if (last && !p.suspendedOpenEnded) {
            r.tone = Tone::Highlight;
            r.bold = true;
        } else if (e.date == s.today) {
            r.bold = true;
        }
        rows.push_back(std::move(r));
    }
    for (const auto& d : s.lateDays) {
        TableRow r;
        r.key = d.date.iso();
        r.cells.resize(LedgerColumns);
        r.cells[LeDate] = wx(d.date.iso());
        r.cells[LeWeekday] = weekdayName(d.date);
        r.cells[LeDay] = dayTypeText(d.type, d.name);
        r.cells[LeEffect] = d.suspension.empty() ? wxString(_("after the deadline"))
                                                 : effectText(model::LedgerEntry::NotCountedSuspended);
        r.cells[LeCount] = wxString::Format("+%d", d.lateCount);
        std::vector<wxString> note;
        if (!d.suspension.empty())
            note.push_back(wx(d.suspension));
        if (d.date == s.today)
            note.push_back(_("today"));
        if (s.state.concludedOn && d.date == *s.state.concludedOn)
            note.push_back(_("finished"));
        if (d.provisional)
            note.push_back(_("provisional"));
        r.cells[LeNote] = joinedText(note);
        r.tone = d.suspension.empty() ? Tone::Bad : Tone::Muted;
        r.bold = d.date == s.today;
        rows.push_back(std::move(r));
    }
    return rows;
}

wxString clockSummary(const CaseSnapshot& s)
{
    const auto& c = s.state;
    if (!s.promised) {
        if (s.decisionDue)
            return wxString::Format(_("Not accepted yet: whether to accept must be decided by %s (the "
                                      "5th working day after %s). The deadline starts with acceptance."),
                isoWithWeekday(*s.decisionDue), wx(c.openedOn.iso()));
        return _("The case has no deadline.");
    }
    const auto& p = *s.promised;
    std::vector<wxString> parts;
    // TRANSLATORS: the basis of the deadline: the limit and the day of acceptance.
    parts.push_back(wxString::Format(_("Promised limit %s, counted from the day after acceptance on %s."),
        limitText(p.limit), isoWithWeekday(p.start)));
    for (const auto& x : c.suspensions)
        parts.push_back(x.to
                ? wxString::Format(
                    _("Suspended %s to %s (%s)."), wx(x.from.iso()), wx(x.to->iso()), wx(x.reason))
                : wxString::Format(_("Suspended since %s (%s)."), wx(x.from.iso()), wx(x.reason)));
    for (const auto& x : c.extensions)
        // TRANSLATORS: an approved extension: how long, who approved it and when.
        parts.push_back(wxString::Format(_("Extended by %s, approved by %s on %s."), limitText(x.extra),
            staffName(s, x.approvedBy), wx(x.approvedOn.iso())));
    if (!p.suspendedOpenEnded)
        parts.push_back(wxString::Format(_("Deadline %s."), isoWithWeekday(p.deadline)));
    if (!s.provisionalYears.empty())
        // TRANSLATORS: %s lists years, e.g. "2027".
        parts.push_back(wxString::Format(_("Provisional: there is no holiday calendar for %s yet, so only "
                                           "weekends count as days off."),
            wxJoin(yearsText(s), ',')));
    return joinedText(parts, " ");
}

} // namespace ow::gui
