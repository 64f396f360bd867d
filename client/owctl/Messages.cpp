#include "Messages.h"

#include "model/IntakeService.h"

#include <functional>
#include <map>

namespace ow::owctl {

namespace {

using model::DomainError;
using model::Facts;

std::string fact(const Facts& facts, const std::string& key)
{
    auto it = facts.find(key);
    return it == facts.end() ? std::string() : it->second;
}

// "not_an_object" → "not an object": reason tokens read well enough as words.
std::string words(std::string token)
{
    for (char& c : token)
        if (c == '_')
            c = ' ';
    return token;
}

std::string quoted(const std::string& s)
{
    return "'" + s + "'";
}

// The location a catalogue or document problem is at: "line 4, column promisedLimit" for
// CSV, "matters[2].code" for JSON.
std::string location(const Facts& f)
{
    std::string where;
    if (!fact(f, "line").empty() && fact(f, "line") != "0") {
        where = "line " + fact(f, "line");
        if (!fact(f, "column").empty())
            where += ", column " + fact(f, "column");
    } else if (!fact(f, "path").empty() && fact(f, "path") != "$") {
        where = fact(f, "path");
    }
    return where;
}

std::string withValue(std::string text, const Facts& f)
{
    if (!fact(f, "value").empty())
        text += " (" + quoted(fact(f, "value")) + ")";
    if (!fact(f, "expected").empty())
        text += ", expected " + fact(f, "expected");
    if (!fact(f, "actual").empty())
        text += ", found " + fact(f, "actual");
    return text;
}

std::string connectionString(const Facts& f)
{
    const std::string reason = fact(f, "reason");
    if (reason == "missing_scheme")
        return quoted(fact(f, "value"))
            + " is not a connection string; expected sqlite3://db=FILE or postgresql://host=… dbname=…";
    if (reason == "unknown_backend")
        return "unknown database backend " + quoted(fact(f, "backend")) + "; expected sqlite3 or postgresql";
    if (reason == "missing_db")
        return "the sqlite3 connection string names no file (sqlite3://db=FILE)";
    if (reason == "missing_parameters")
        return "the postgresql connection string has no parameters (host=… dbname=… user=…)";
    return "bad connection string: " + words(reason);
}

std::string idProblem(const std::string& code, const Facts& f)
{
    if (code == "id.empty")
        return "is empty";
    if (code == "id.length")
        return "has " + fact(f, "actual") + " characters, expected " + fact(f, "expected");
    if (code == "id.charset")
        return "has a character that does not belong at position " + fact(f, "position");
    if (code == "id.region")
        return "region code " + quoted(fact(f, "value")) + " is not valid"
            + (fact(f, "expected").empty() ? "" : " (expected " + fact(f, "expected") + ")");
    if (code == "id.birth_date")
        return "the birth date is " + words(fact(f, "reason"));
    if (code == "id.check_digit")
        return "the check digit is wrong (expected " + fact(f, "expected") + ", found " + fact(f, "actual")
            + ")";
    return {};
}

std::string applicantProblem(const std::string& code, const Facts& f)
{
    if (code == "applicant.name_empty")
        return "is empty";
    if (code == "applicant.name_invalid")
        return "has an invalid character at position " + fact(f, "position") + " (" + words(fact(f, "reason"))
            + ")";
    if (code == "applicant.name_too_long")
        return "is too long (" + fact(f, "actual") + " characters, at most " + fact(f, "max") + ")";
    if (code == "applicant.phone")
        return "is not a mobile (11 digits starting with 1) or landline number";
    if (code == "applicant.id_kind_mismatch")
        return fact(f, "idKind") + " does not identify " + (fact(f, "type") == "enterprise" ? "an " : "a ")
            + fact(f, "type");
    if (code == "applicant.agent_authorisation_missing")
        return "is missing: an agent needs the reference of the power of attorney";
    if (code == "applicant.postal_address_missing")
        return "is required for postal delivery";
    return {};
}

// "ticket.recalled" → "recalled": what a ticket state refused to take.
std::string ticketAction(const std::string& type)
{
    static const std::map<std::string, std::string> verbs = {{"ticket.called", "called"},
        {"ticket.recalled", "recalled"}, {"ticket.no_show", "marked a no-show"}, {"ticket.parked", "parked"},
        {"ticket.transferred", "transferred"}, {"ticket.ended", "ended"}, {"ticket.cancelled", "cancelled"}};
    auto it = verbs.find(type);
    return it == verbs.end() ? words(type) : it->second;
}

using Explainer = std::function<std::string(const Facts&)>;

const std::map<std::string, Explainer>& explainers()
{
    static const std::map<std::string, Explainer> table = {
        {"db.connection_string", connectionString},
        {"db.unreachable",
            [](const Facts& f) {
                return "cannot connect to the " + fact(f, "backend") + " database: " + fact(f, "reason");
            }},
        {"db.not_found",
            [](const Facts& f) {
                return "there is no database at " + fact(f, "path") + "; create it with 'owctl init'";
            }},
        {"db.not_initialised",
            [](const Facts&) {
                return std::string("the database has no OneWindow schema; create it with 'owctl init'");
            }},
        {"db.not_utf8",
            [](const Facts& f) {
                return "the database encoding is " + fact(f, "encoding")
                    + "; OneWindow needs a UTF8 database";
            }},
        {"db.schema_too_new",
            [](const Facts& f) {
                return "the database has schema version " + fact(f, "database")
                    + ", newer than this owctl knows (" + fact(f, "binary") + "); use a newer owctl";
            }},
        {"db.clock_layout_old",
            [](const Facts& f) {
                return "the database " + fact(f, "database")
                    + " was written by a pre-release OneWindow whose timestamps this version cannot read;"
                      " create it again (owctl init, or seed-demo)";
            }},
        {"db.schema_too_old",
            [](const Facts& f) {
                return "the database has schema version " + fact(f, "database") + ", older than "
                    + fact(f, "binary") + "; run 'owctl migrate'";
            }},
        {"db.open_failed", [](const Facts& f) { return "cannot open the database: " + fact(f, "reason"); }},
        {"db.failed",
            [](const Facts& f) {
                return "the database failed (" + words(fact(f, "operation")) + "): " + fact(f, "reason");
            }},
        {"db.write_failed",
            [](const Facts& f) { return "the database refused the write: " + fact(f, "reason"); }},
        {"db.centre_invalid",
            [](const Facts& f) { return quoted(fact(f, "centre")) + " is not a centre code (six digits)"; }},
        {"db.already_initialised",
            [](const Facts& f) {
                return "the database is already initialised for centre " + fact(f, "centre") + ", not "
                    + fact(f, "requested");
            }},
        {"json.parse",
            [](const Facts& f) {
                return "line " + fact(f, "line") + ", column " + fact(f, "column") + ": "
                    + words(fact(f, "reason"));
            }},
        {"json.type",
            [](const Facts& f) {
                return "expected " + fact(f, "expected") + ", found " + fact(f, "actual");
            }},
        {"json.utf8", [](const Facts&) { return std::string("text is not valid UTF-8"); }},
        {"catalogue.invalid",
            [](const Facts& f) {
                std::string where = location(f);
                return withValue((where.empty() ? "" : where + ": ") + words(fact(f, "reason")), f);
            }},
        {"catalogue.unknown_matter",
            [](const Facts& f) {
                return "the catalogue has no matter " + fact(f, "code")
                    + " (import it with 'owctl import-catalogue')";
            }},
        {"catalogue.unknown_bundle",
            [](const Facts& f) {
                return "the catalogue has no bundle " + fact(f, "code")
                    + " (import it with 'owctl import-catalogue')";
            }},
        {"intake.document",
            [](const Facts& f) { return withValue(fact(f, "path") + ": " + words(fact(f, "reason")), f); }},
        {"intake.no_matters",
            [](const Facts&) { return std::string("no matters: the document needs 'matters' or 'bundle'"); }},
        {"intake.material_unknown",
            [](const Facts& f) {
                return "material " + quoted(fact(f, "material"))
                    + " is not on the checklist of the chosen matters";
            }},
        {"intake.commitment_not_in_future",
            [](const Facts& f) {
                return "decision.commitmentDue " + fact(f, "commitmentDue") + " is not after today ("
                    + fact(f, "today") + ")";
            }},
        {"queue.unknown_category",
            [](const Facts& f) { return "there is no queue category " + quoted(fact(f, "category")); }},
        {"queue.band_exhausted",
            [](const Facts& f) {
                return "category " + fact(f, "category")
                    + " has handed out every ticket number of the day (up to " + fact(f, "last") + ")";
            }},
        {"queue.appointment_in_past",
            [](const Facts& f) {
                return "the appointment day " + fact(f, "appointment") + " is in the past";
            }},
        {"queue.kiosk_invalid",
            [](const Facts& f) {
                return quoted(fact(f, "kiosk")) + " is not a kiosk id (1 to 40 characters)";
            }},
        {"queue.unknown_window",
            [](const Facts& f) { return "there is no open window " + quoted(fact(f, "window")); }},
        {"queue.ticket_not_found", [](const Facts& f) { return "there is no ticket " + fact(f, "ticket"); }},
        {"queue.ticket_state",
            [](const Facts& f) {
                return "ticket " + fact(f, "ticket") + " is " + fact(f, "status") + " and cannot be "
                    + ticketAction(fact(f, "action"));
            }},
        {"queue.not_your_ticket",
            [](const Facts& f) {
                if (fact(f, "staff").empty())
                    return "ticket " + fact(f, "ticket")
                        + " is not being served by you; only a queue manager may change it";
                return "ticket " + fact(f, "ticket") + " is served by " + fact(f, "staff") + "; only "
                    + fact(f, "staff") + " or a queue manager may change it";
            }},
        {"queue.target_cannot_serve",
            [](const Facts& f) {
                if (!fact(f, "matter").empty())
                    return "window " + fact(f, "window") + " does not serve matter " + fact(f, "matter")
                        + " of the ticket's case";
                return "window " + fact(f, "window") + " does not serve category " + fact(f, "category");
            }},
        {"queue.unknown_staff",
            [](const Facts& f) { return "there is no staff account " + quoted(fact(f, "staff")); }},
        {"queue.staff_cannot_serve",
            [](const Facts& f) {
                return fact(f, "staff") + " does not serve at a window (inactive, or no window staff role)";
            }},
        {"queue.no_target",
            [](const Facts& f) {
                return "say where ticket " + fact(f, "ticket")
                    + " goes: --to-window, --to-staff or --to-category";
            }},
        {"queue.offline",
            [](const Facts& f) {
                return "tickets are called only on the shared database, and it does not answer"
                    + (fact(f, "reason").empty() ? std::string() : ": " + fact(f, "reason"));
            }},
        {"evaluation.level",
            [](const Facts& f) {
                return "level " + quoted(fact(f, "level"))
                    + " is not on the rating scale of 1 (very dissatisfied) to 5 (very satisfied)";
            }},
        {"evaluation.comment_too_long",
            [](const Facts& f) {
                return "the comment is longer than " + fact(f, "max")
                    + " bytes of UTF-8 (about a third as many Chinese characters)";
            }},
        {"evaluation.nothing_rated",
            [](const Facts&) {
                return std::string("a rating names the case or the ticket of the service rated");
            }},
        {"evaluation.not_served_here",
            [](const Facts& f) {
                return "ticket " + fact(f, "ticket") + " has not been served at window " + fact(f, "window")
                    + " (a window's evaluator rates only services that window has ended)";
            }},
        {"evaluation.already_rated",
            [](const Facts& f) {
                return "ticket " + fact(f, "ticket") + " has already been rated (one rating per service)";
            }},
        {"evaluation.not_found",
            [](const Facts& f) {
                return "there is no rating " + fact(f, "evaluation") + " (see 'owctl rating list')";
            }},
        {"evaluation.no_follow_up",
            [](const Facts& f) {
                return "rating " + fact(f, "evaluation")
                    + " is not a bad rating (不满意 or 非常不满意) and has no follow-up";
            }},
        {"evaluation.closed",
            [](const Facts& f) {
                return "the follow-up of rating " + fact(f, "evaluation") + " is already closed";
            }},
        {"evaluation.note_missing",
            [](const Facts&) {
                return std::string("a follow-up step needs a note saying what was done or found");
            }},
        {"evaluation.close_without_action",
            [](const Facts& f) {
                return "the follow-up of rating " + fact(f, "evaluation")
                    + " cannot be closed before a callback, a rectification or a decided appeal (an appeal "
                      "still pending is not enough)";
            }},
        {"evaluation.outcome",
            [](const Facts& f) {
                return "an outcome (" + fact(f, "outcome") + ") belongs to an appeal only";
            }},
        {"permission.unknown_actor",
            [](const Facts& f) { return "there is no staff account " + quoted(fact(f, "actor")); }},
        {"permission.denied",
            [](const Facts& f) {
                return fact(f, "actor") + " (" + fact(f, "roles") + ") may not " + words(fact(f, "action"));
            }},
        {"permission.inactive",
            [](const Facts& f) { return "the account " + fact(f, "actor") + " is disabled"; }},
        {"case.not_found", [](const Facts& f) { return "there is no case " + fact(f, "case"); }},
        {"case.transition_refused",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " in status " + fact(f, "from") + " cannot take "
                    + fact(f, "event");
            }},
        {"case.materials_missing",
            [](const Facts& f) {
                return "mandatory materials are missing: " + fact(f, "materials")
                    + " (receive them, or decide accept_deficient or notice)";
            }},
        {"case.material_unknown",
            [](const Facts& f) {
                return "material " + quoted(fact(f, "material")) + " is not on the case's checklist";
            }},
        {"case.not_accepted",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " is not accepted (" + fact(f, "status") + ")";
            }},
        {"case.not_suspended",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " is not suspended (" + fact(f, "from")
                    + "); nothing to resume";
            }},
        {"case.already_extended",
            [](const Facts& f) { return "case " + fact(f, "case") + " has already been extended once"; }},
        {"case.assignee_unknown",
            [](const Facts& f) {
                return "there is no active staff account " + quoted(fact(f, "assignee")) + " to give case "
                    + fact(f, "case") + " to";
            }},
        {"case.assignee_cannot_serve",
            [](const Facts& f) {
                return quoted(fact(f, "assignee"))
                    + " does not work on cases (neither at a window nor in review)";
            }},
        {"case.body_invalid",
            [](const Facts& f) {
                return "case " + fact(f, "case") + ": " + fact(f, "event") + " needs a valid "
                    + fact(f, "field") + " (" + words(fact(f, "reason")) + ")";
            }},
        {"case.at_other_centre",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " was transferred to centre " + fact(f, "centre")
                    + " and is worked there, not at " + fact(f, "here")
                    + " (notes and document reprints still work)";
            }},
        {"case.centre_invalid",
            [](const Facts& f) { return quoted(fact(f, "centre")) + " is not a centre code (six digits)"; }},
        {"case.transfer_same_centre",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " is already at centre " + fact(f, "centre");
            }},
        {"case.in_conflict",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " is in conflict over " + fact(f, "group")
                    + "; resolve it first ('owctl cases resolve')";
            }},
        {"case.no_conflict",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " has no conflict over " + quoted(fact(f, "group"));
            }},
        {"case.conflict_candidate_unknown",
            [](const Facts& f) {
                return quoted(fact(f, "chosen")) + " is not one of the candidates of the conflict over "
                    + fact(f, "group") + " in case " + fact(f, "case");
            }},
        {"case.deficiencies_outstanding",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " still lacks the promised materials "
                    + fact(f, "materials") + "; it cannot be approved before they are received";
            }},
        {"case.not_opened", [](const Facts& f) { return "there is no case " + fact(f, "case"); }},
        {"case.notice_already_issued",
            [](const Facts& f) {
                return "the one-time notice of case " + fact(f, "case") + " was already issued";
            }},
        {"case.step_exists",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " already has a step " + quoted(fact(f, "step"));
            }},
        {"case.step_unknown",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " has no step " + quoted(fact(f, "step"));
            }},
        {"case.step_already_done",
            [](const Facts& f) {
                return "step " + quoted(fact(f, "step")) + " of case " + fact(f, "case") + " is already done";
            }},
        {"case.steps_open",
            [](const Facts& f) {
                return "case " + fact(f, "case") + " has open steps: " + fact(f, "steps")
                    + " (complete them first)";
            }},
        {"casenumber.fallback_exhausted",
            [](const Facts& f) {
                return "workstation " + fact(f, "workstation") + " has used all 9999 fallback numbers of "
                    + fact(f, "date");
            }},
        {"password.too_short",
            [](const Facts& f) { return "the password is shorter than " + fact(f, "min") + " characters"; }},
        {"password.too_long",
            [](const Facts& f) { return "the password is longer than " + fact(f, "max") + " characters"; }},
        {"password.hash_failed",
            [](const Facts& f) { return "the password could not be hashed: " + fact(f, "reason"); }},
        {"staff.unknown",
            [](const Facts& f) { return "there is no staff account " + quoted(fact(f, "id")); }},
        {"demo.staff_missing",
            [](const Facts& f) { return "the demo account " + fact(f, "actor") + " is missing"; }},
        {"casenumber.day_exhausted",
            [](const Facts& f) {
                return "no case numbers left for centre " + fact(f, "centre") + " on " + fact(f, "day");
            }},
        {"event.invalid",
            [](const Facts& f) {
                return "invalid event " + fact(f, "id") + ": " + fact(f, "field") + " "
                    + words(fact(f, "reason"));
            }},
    };
    return table;
}

} // namespace

std::string explainProblem(const model::FieldProblem& problem, const std::string& prefix)
{
    std::string text = problem.code.starts_with("id.") ? idProblem(problem.code, problem.facts)
                                                       : applicantProblem(problem.code, problem.facts);
    if (text.empty())
        text = DomainError::describe(problem.code, problem.facts);
    return prefix + problem.field + ": " + text;
}

std::string explainProblems(const std::vector<model::FieldProblem>& problems, const std::string& prefix)
{
    std::string text;
    for (const auto& p : problems)
        text += (text.empty() ? "" : "; ") + explainProblem(p, prefix);
    return text;
}

std::string explain(const DomainError& error)
{
    if (const auto* invalid = dynamic_cast<const model::ValidationError*>(&error))
        return explainProblems(invalid->problems(), "applicant.");
    if (error.code().starts_with("id.") || error.code().starts_with("applicant."))
        return explainProblem({error.fact("field"), error.code(), error.facts()}, "");
    auto it = explainers().find(error.code());
    if (it == explainers().end())
        return oneLine(error.what());
    return oneLine(it->second(error.facts()));
}

std::string oneLine(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        char d = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
        if (d == ' ' && (out.empty() || out.back() == ' '))
            continue;
        out += d;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace ow::owctl
