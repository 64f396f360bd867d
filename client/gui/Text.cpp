#include "Text.h"

#include "model/Evaluation.h"
#include "model/Event.h"

#include "Async.h"

#include <functional>
#include <map>
#include <wx/intl.h>
#include <wx/translation.h>

namespace ow::gui {

namespace {

using model::DomainError;
using Sentence = std::function<wxString(const DomainError&)>;

wxString f(const DomainError& e, const char* key)
{
    return wx(e.fact(key));
}

const std::map<std::string, Sentence>& sentences()
{
    static const std::map<std::string, Sentence> table = {
        {"login.failed",
            [](const DomainError&) {
                return wxString(_("The account name or the password is wrong, or the account is disabled."));
            }},
        {"db.unreachable",
            [](const DomainError& e) {
                // TRANSLATORS: %s is the database server's own message.
                return wxString::Format(_("The database does not answer: %s"), f(e, "reason"));
            }},
        {"db.open_failed",
            [](const DomainError& e) {
                return wxString::Format(_("The database cannot be opened: %s"), f(e, "reason"));
            }},
        {"db.connection_string",
            [](const DomainError& e) {
                return wxString::Format(_("The connection settings are not valid: %s"), f(e, "reason"));
            }},
        {"db.schema_too_new",
            [](const DomainError& e) {
                // TRANSLATORS: the first %s is the database's schema version, the second this program's.
                return wxString::Format(
                    _("The database was written by a newer OneWindow (schema %s; this program knows %s). "
                      "Install the newer version."),
                    f(e, "database"), f(e, "binary"));
            }},
        {"db.clock_layout_old",
            [](const DomainError& e) {
                return wxString::Format(_("The database %s was written by a pre-release OneWindow whose "
                                          "timestamps this version cannot read. Create it again."),
                    f(e, "database"));
            }},
        {"db.not_utf8",
            [](const DomainError& e) {
                return wxString::Format(_("The database does not use UTF-8 (it uses %s)."), f(e, "encoding"));
            }},
        {"db.failed",
            [](const DomainError& e) {
                return wxString::Format(_("The database failed: %s"), f(e, "reason"));
            }},
        {"db.write_failed",
            [](const DomainError& e) {
                return wxString::Format(_("The database refused the write: %s"), f(e, "reason"));
            }},
        {"queue.offline",
            [](const DomainError&) {
                return wxString(
                    _("Tickets can only be called while the centre's database answers; it does not "
                      "at the moment. Serve the applicant without a ticket, or try again shortly."));
            }},
        {"queue.unknown_window",
            [](const DomainError& e) {
                return wxString::Format(_("There is no open window %s; set this workstation's window in the "
                                          "connection settings."),
                    f(e, "window"));
            }},
        {"queue.unknown_category",
            [](const DomainError& e) {
                return wxString::Format(_("There is no queue category %s."), f(e, "category"));
            }},
        {"queue.band_exhausted",
            [](const DomainError& e) {
                // TRANSLATORS: a queue category ran out of ticket numbers today; %s are the category and its
                // last number.
                return wxString::Format(_("Category %s has given out every ticket number up to %s today."),
                    f(e, "category"), f(e, "last"));
            }},
        {"queue.ticket_not_found",
            [](const DomainError& e) {
                return wxString::Format(_("There is no ticket %s."), f(e, "ticket"));
            }},
        {"queue.ticket_state",
            [](const DomainError& e) {
                return wxString::Format(_("Ticket %s cannot do that now (it is %s)."), f(e, "ticket"),
                    ticketStatusLabel(model::ticketStatusFromString(f(e, "status").ToStdString())
                                          .value_or(model::TicketStatus::Waiting)));
            }},
        {"queue.not_your_ticket",
            [](const DomainError& e) {
                return wxString::Format(_("Ticket %s is served by %s; only a queue manager may change it."),
                    f(e, "ticket"), f(e, "staff"));
            }},
        {"queue.target_cannot_serve",
            [](const DomainError& e) {
                if (!f(e, "matter").empty())
                    return wxString::Format(_("Window %s does not serve matter %s of this case."),
                        f(e, "window"), f(e, "matter"));
                return wxString::Format(
                    _("Window %s does not serve category %s."), f(e, "window"), f(e, "category"));
            }},
        {"queue.unknown_staff",
            [](const DomainError& e) {
                return wxString::Format(_("There is no staff member %s."), f(e, "staff"));
            }},
        {"queue.staff_cannot_serve",
            [](const DomainError& e) {
                return wxString::Format(_("%s does not serve at a window."), f(e, "staff"));
            }},
        {"queue.no_target",
            [](const DomainError&) { return wxString(_("Choose where the ticket should go.")); }},
        {"permission.denied",
            [](const DomainError& e) {
                // TRANSLATORS: %s is an action such as "complete step".
                return wxString::Format(_("Your role does not allow this (%s)."), f(e, "action"));
            }},
        {"permission.inactive", [](const DomainError&) { return wxString(_("Your account is disabled.")); }},
        {"permission.unknown_actor",
            [](const DomainError& e) {
                return wxString::Format(_("There is no staff account %s."), f(e, "actor"));
            }},
        {"case.not_found",
            [](const DomainError& e) { return wxString::Format(_("There is no case %s."), f(e, "case")); }},
        {"case.not_opened",
            [](const DomainError& e) { return wxString::Format(_("There is no case %s."), f(e, "case")); }},
        {"case.transition_refused",
            [](const DomainError& e) {
                // TRANSLATORS: the first %s is a case status, the second an action such as "suspended".
                return wxString::Format(_("A case that is %s cannot be %s."), statusLabel(e.fact("from")),
                    eventLabel(e.fact("event")));
            }},
        {"case.not_suspended",
            [](const DomainError& e) {
                return wxString::Format(
                    _("The case is not suspended (it is %s); there is nothing to resume."),
                    statusLabel(e.fact("from")));
            }},
        {"case.materials_missing",
            [](const DomainError& e) {
                return wxString::Format(_("Mandatory materials are missing: %s. Receive them, or accept with "
                                          "deficiencies, or issue a one-time notice."),
                    f(e, "materials"));
            }},
        {"case.material_unknown",
            [](const DomainError& e) {
                return wxString::Format(
                    _("The material %s is not on this case's checklist."), f(e, "material"));
            }},
        {"case.not_accepted",
            [](const DomainError&) { return wxString(_("The case has not been accepted yet.")); }},
        {"case.already_extended",
            [](const DomainError&) { return wxString(_("The case has already been extended once.")); }},
        {"case.assignee_unknown",
            [](const DomainError& e) {
                return wxString::Format(_("There is no active staff account %s."), f(e, "assignee"));
            }},
        {"case.assignee_cannot_serve",
            [](const DomainError& e) {
                return wxString::Format(
                    _("%s does not work on cases (neither at a window nor in review)."), f(e, "assignee"));
            }},
        {"case.in_conflict",
            [](const DomainError&) {
                return wxString(_("The case is in conflict: the queue manager must resolve it first."));
            }},
        {"case.no_conflict",
            [](const DomainError&) { return wxString(_("The case has no such conflict.")); }},
        {"case.conflict_candidate_unknown",
            [](const DomainError&) { return wxString(_("That value is not one of the conflicting ones.")); }},
        {"case.deficiencies_outstanding",
            [](const DomainError& e) {
                return wxString::Format(
                    _("The promised materials have not been received yet: %s."), f(e, "materials"));
            }},
        {"case.notice_already_issued",
            [](const DomainError&) { return wxString(_("The one-time notice has already been issued.")); }},
        {"case.step_exists",
            [](const DomainError& e) {
                return wxString::Format(_("The case already has a step %s."), f(e, "step"));
            }},
        {"case.step_unknown",
            [](const DomainError& e) {
                return wxString::Format(_("The case has no step %s."), f(e, "step"));
            }},
        {"case.step_already_done",
            [](const DomainError& e) {
                return wxString::Format(_("The step %s is already done."), f(e, "step"));
            }},
        {"case.steps_open",
            [](const DomainError& e) {
                return wxString::Format(_("Steps are still open: %s. Complete them first."), f(e, "steps"));
            }},
        {"case.transfer_same_centre",
            [](const DomainError&) { return wxString(_("The case is already at that centre.")); }},
        {"case.at_other_centre",
            [](const DomainError& e) {
                // TRANSLATORS: the first %s is a case number, the second the centre it was transferred to.
                return wxString::Format(
                    _("Case %s was transferred to centre %s and is worked there; here it can "
                      "be read, noted and its documents reprinted."),
                    f(e, "case"), f(e, "centre"));
            }},
        {"case.centre_invalid",
            [](const DomainError& e) {
                return wxString::Format(_("%s is not a centre code (six digits)."), f(e, "centre"));
            }},
        {"case.body_invalid",
            [](const DomainError& e) {
                return wxString::Format(_("A required field is missing: %s."), f(e, "field"));
            }},
        {"case.no_matters", [](const DomainError&) { return wxString(_("Choose at least one matter.")); }},
        {"intake.no_matters", [](const DomainError&) { return wxString(_("Choose at least one matter.")); }},
        {"intake.material_unknown",
            [](const DomainError& e) {
                return wxString::Format(
                    _("The material %s is not needed by the chosen matters."), f(e, "material"));
            }},
        {"intake.commitment_not_in_future",
            [](const DomainError&) { return wxString(_("The commitment date must be after today.")); }},
        {"intake.applicant_invalid",
            [](const DomainError&) {
                return wxString(_("The applicant's details are not valid; see the form."));
            }},
        {"case.deficiency_invalid",
            [](const DomainError& e) {
                return wxString::Format(
                    _("The material %s has been received, so it cannot be owed."), f(e, "material"));
            }},
        {"idcard.unreadable",
            [](const DomainError& e) {
                // TRANSLATORS: %s is a short technical reason such as "json" or "incomplete".
                return wxString::Format(
                    _("The ID card could not be read (%s). Put the card on the reader again."),
                    f(e, "reason"));
            }},
        {"document.write_failed",
            [](const DomainError& e) {
                // TRANSLATORS: the first %s is a file path, the second the system's reason.
                return wxString::Format(
                    _("The document could not be written to %s: %s"), f(e, "path"), f(e, "reason"));
            }},
        {"document.render_failed",
            [](const DomainError& e) {
                return wxString::Format(_("The document could not be drawn: %s"), f(e, "reason"));
            }},
        {"document.not_applicable",
            [](const DomainError& e) {
                return wxString::Format(_("This document does not fit case %s as it stands (%s)."),
                    f(e, "case"), statusLabel(e.fact("status")));
            }},
        {"document.not_issued",
            [](const DomainError& e) {
                return wxString::Format(
                    _("Case %s has no such document issued yet, so there is nothing to reprint."),
                    f(e, "case"));
            }},
        {"catalogue.unknown_matter",
            [](const DomainError& e) {
                return wxString::Format(_("The catalogue has no matter %s."), f(e, "code"));
            }},
        {"catalogue.unknown_bundle",
            [](const DomainError& e) {
                return wxString::Format(_("The catalogue has no bundle %s."), f(e, "code"));
            }},
        {"casenumber.day_exhausted",
            [](const DomainError&) { return wxString(_("No case numbers are left for today.")); }},
        {"casenumber.fallback_exhausted",
            [](const DomainError&) {
                return wxString(_("This workstation has used all its offline case numbers for today."));
            }},
        {"timelimit.invalid", [](const DomainError&) { return wxString(_("The time limit is not valid.")); }},
        {"evaluation.level",
            [](const DomainError& e) {
                // TRANSLATORS: %s is the level given; ratings go from 1 to 5.
                return wxString::Format(_("A rating is from 1 to 5, not %s."), f(e, "level"));
            }},
        {"evaluation.comment_too_long",
            [](const DomainError& e) {
                // TRANSLATORS: %s is the limit in bytes of UTF-8 (a Chinese character takes three).
                return wxString::Format(_("The comment is too long (at most %s bytes)."), f(e, "max"));
            }},
        {"evaluation.nothing_rated",
            [](const DomainError&) { return wxString(_("Say which case or ticket the rating is for.")); }},
        {"evaluation.not_served_here",
            [](const DomainError& e) {
                // TRANSLATORS: the evaluator of a window rates only a service that window has ended.
                return wxString::Format(
                    _("Ticket %s has not been served at window %s, so it cannot be rated there."),
                    f(e, "ticket"), f(e, "window"));
            }},
        {"evaluation.already_rated",
            [](const DomainError& e) {
                return wxString::Format(_("Ticket %s has already been rated."), f(e, "ticket"));
            }},
        {"evaluation.not_found",
            [](const DomainError&) { return wxString(_("This rating is not known here (yet).")); }},
        {"evaluation.no_follow_up",
            [](const DomainError&) {
                return wxString(_("Only a bad rating (dissatisfied or very dissatisfied) is followed up."));
            }},
        {"evaluation.closed",
            [](const DomainError&) {
                return wxString(_("The follow-up of this rating is already closed."));
            }},
        {"evaluation.note_missing",
            [](const DomainError&) { return wxString(_("Write a note saying what was done or found.")); }},
        {"evaluation.close_without_action",
            [](const DomainError&) {
                return wxString(
                    _("The follow-up can be closed only after a callback, a rectification or a decided "
                      "appeal; an appeal still pending is not enough."));
            }},
        {"evaluation.outcome",
            [](const DomainError&) { return wxString(_("Only an appeal has an outcome.")); }},
    };
    return table;
}

} // namespace

wxString describe(const model::DomainError& error)
{
    if (auto it = sentences().find(error.code()); it != sentences().end())
        return it->second(error);
    // TRANSLATORS: %s is a stable error code such as "case.cycle", for support staff.
    return wxString::Format(_("The operation was refused (%s)."), wx(error.code()));
}

std::string describeError(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const model::DomainError& e) {
        return utf8(describe(e));
    } catch (const std::exception& e) {
        return utf8(wxString::Format(_("Unexpected error: %s"), wx(e.what())));
    }
}

wxString describeProblem(const model::FieldProblem& p)
{
    auto fact = [&](const char* key) {
        auto it = p.facts.find(key);
        return it == p.facts.end() ? wxString() : wx(it->second);
    };
    const std::string& c = p.code;
    if (c == "id.empty")
        return _("The ID number is empty.");
    if (c == "id.length")
        return wxString::Format(
            _("The ID number has %s characters; %s are expected."), fact("actual"), fact("expected"));
    if (c == "id.charset")
        return wxString::Format(
            _("The ID number has a character that does not belong (position %s)."), fact("position"));
    if (c == "id.check_digit")
        // TRANSLATORS: check digit of an ID number; the first %s is the expected digit, the second the one
        // typed.
        return wxString::Format(
            _("The check digit is wrong: %s expected, %s typed."), fact("expected"), fact("actual"));
    if (c == "id.region")
        return _("The region code of the ID number does not exist.");
    if (c == "id.birth_date")
        return _("The birth date in the ID number is not possible.");
    if (c == "applicant.name_empty")
        return _("The name is empty.");
    if (c == "applicant.name_invalid")
        return _("The name has a character that does not belong in a name.");
    if (c == "applicant.name_too_long")
        return wxString::Format(_("The name is longer than %s characters."), fact("max"));
    if (c == "applicant.phone")
        return _("The phone number is not valid (11 digits for a mobile number).");
    if (c == "applicant.id_kind_mismatch")
        return _("This number belongs to another kind of ID; choose the matching kind.");
    if (c == "applicant.postal_address_missing")
        return _("Postal delivery needs an address.");
    if (c == "applicant.agent_authorisation_missing")
        return _("An agent needs the reference of the power of attorney.");
    return wxString::Format(_("Not valid (%s)."), wx(c));
}

bool chineseInterface()
{
    // Decided once: the language applies from the start of the program.
    static const bool chinese = [] {
        wxTranslations* t = wxTranslations::Get();
        return t && t->GetBestTranslation("onewindow", wxLANGUAGE_ENGLISH_US).StartsWith("zh");
    }();
    return chinese;
}

wxString localName(const std::string& zh, const std::string& en)
{
    const bool chinese = chineseInterface();
    const std::string& first = chinese ? zh : en;
    return wx(first.empty() ? (chinese ? en : zh) : first);
}

wxString ticketStatusLabel(model::TicketStatus status)
{
    using S = model::TicketStatus;
    switch (status) {
    case S::Waiting:
        return _("waiting");
    case S::Called:
        return _("called");
    case S::Parked:
        return _("parked");
    case S::Ended:
        return _("served");
    case S::NoShow:
        return _("did not come");
    case S::Cancelled:
        return _("cancelled");
    }
    return {};
}

wxString ticketPriorityLabel(model::TicketPriority priority)
{
    using P = model::TicketPriority;
    switch (priority) {
    case P::Normal:
        return {};
    case P::Elderly:
        return _("elderly");
    case P::Disabled:
        return _("disabled");
    case P::Appointment:
        return _("appointment");
    }
    return {};
}

wxString statusLabel(model::CaseStatus status)
{
    using S = model::CaseStatus;
    switch (status) {
    case S::None:
        return _("new");
    case S::Consulting:
        return _("taking in");
    case S::Accepted:
        return _("accepted");
    case S::AcceptedDeficient:
        return _("accepted, materials owed");
    case S::AwaitingCorrection:
        return _("awaiting correction");
    case S::Refused:
        return _("refused");
    case S::InReview:
        return _("in review");
    case S::Suspended:
        return _("suspended");
    case S::Extended:
        return _("extended");
    case S::Approved:
        return _("approved");
    case S::Denied:
        return _("denied");
    case S::Terminated:
        return _("terminated");
    case S::Delivered:
        return _("delivered");
    case S::Withdrawn:
        return _("withdrawn");
    case S::Closed:
        return _("closed");
    }
    return wx(model::toString(status));
}

wxString statusLabel(const std::string& status)
{
    if (auto s = model::caseStatusFromString(status))
        return statusLabel(*s);
    return wx(status);
}

wxString roleLabel(model::Role role)
{
    switch (role) {
    case model::Role::WindowStaff:
        return _("window staff");
    case model::Role::Reviewer:
        return _("reviewer");
    case model::Role::QueueManager:
        return _("queue manager");
    case model::Role::Administrator:
        return _("administrator");
    }
    return {};
}

wxString rolesLabel(const std::set<model::Role>& roles)
{
    wxString s;
    for (auto r : roles)
        s += (s.empty() ? wxString() : wxString(", ")) + roleLabel(r);
    return s;
}

wxString eventLabel(const std::string& type)
{
    namespace T = model::EventType;
    static const std::map<std::string, std::function<wxString()>> labels = {
        {T::Opened, [] { return _("opened"); }},
        {T::MaterialReceived, [] { return _("material received"); }},
        {T::Accepted, [] { return _("accepted"); }},
        {T::AcceptedDeficient, [] { return _("accepted with deficiencies"); }},
        {T::NoticeIssued, [] { return _("one-time notice issued"); }},
        {T::Corrected, [] { return _("corrected"); }},
        {T::Refused, [] { return _("refused"); }},
        {T::Routed, [] { return _("step routed"); }},
        {T::StepDone, [] { return _("step completed"); }},
        {T::Suspended, [] { return _("suspended"); }},
        {T::Resumed, [] { return _("resumed"); }},
        {T::Extended, [] { return _("extended"); }},
        {T::Concluded, [] { return _("concluded"); }},
        {T::Delivered, [] { return _("delivered"); }},
        {T::Withdrawn, [] { return _("withdrawn"); }},
        {T::Terminated, [] { return _("terminated"); }},
        {T::Closed, [] { return _("closed"); }},
        {T::Assigned, [] { return _("assigned"); }},
        {T::Transferred, [] { return _("transferred to another centre"); }},
        {T::Evaluated, [] { return _("rated"); }},
        {T::Note, [] { return _("note"); }},
        {T::DocumentIssued, [] { return _("document issued"); }},
        {T::ConflictResolved, [] { return _("conflict resolved"); }},
    };
    if (auto it = labels.find(type); it != labels.end())
        return it->second();
    return wx(type);
}

wxString documentLabel(model::DocumentKind kind)
{
    using K = model::DocumentKind;
    switch (kind) {
    case K::AcceptanceNotice:
        return _("acceptance notice");
    case K::OneTimeNotice:
        return _("one-time notice");
    case K::RefusalNotice:
        return _("refusal notice");
    case K::DeficiencyCommitment:
        return _("commitment for the materials owed");
    case K::PickupSlip:
        return _("pick-up slip");
    }
    return {};
}

wxString weekdayLabel(model::Date date)
{
    switch (date.weekday()) {
    case model::Weekday::Monday:
        return _("Mon");
    case model::Weekday::Tuesday:
        return _("Tue");
    case model::Weekday::Wednesday:
        return _("Wed");
    case model::Weekday::Thursday:
        return _("Thu");
    case model::Weekday::Friday:
        return _("Fri");
    case model::Weekday::Saturday:
        return _("Sat");
    case model::Weekday::Sunday:
        return _("Sun");
    }
    return {};
}

wxString deliveryLabel(model::DeliveryMethod method)
{
    switch (method) {
    case model::DeliveryMethod::PickUpAtWindow:
        return _("pick up at the window");
    case model::DeliveryMethod::Post:
        return _("free postal delivery");
    case model::DeliveryMethod::ELicence:
        return _("e-licence");
    }
    return {};
}

wxString idKindLabel(model::IdKind kind)
{
    using K = model::IdKind;
    switch (kind) {
    case K::ResidentId:
        return _("resident ID card");
    case K::HongKongMacaoPermit:
        return _("Hong Kong/Macao residence permit");
    case K::TaiwanPermit:
        return _("Taiwan residence permit");
    case K::ForeignPermanentResidenceId:
        return _("foreign permanent residence ID");
    case K::UnifiedSocialCreditCode:
        return _("unified social credit code");
    case K::Passport:
        return _("passport");
    }
    return {};
}

wxString ratingLabel(int level)
{
    switch (level) {
    case model::kVerySatisfied:
        // TRANSLATORS: rating level 5 of the national scale (非常满意).
        return _("very satisfied");
    case model::kSatisfied:
        // TRANSLATORS: rating level 4 of the national scale (满意).
        return _("satisfied");
    case model::kFairlySatisfied:
        // TRANSLATORS: rating level 3 of the national scale (基本满意).
        return _("fairly satisfied");
    case model::kDissatisfied:
        // TRANSLATORS: rating level 2 of the national scale (不满意).
        return _("dissatisfied");
    case model::kVeryDissatisfied:
        // TRANSLATORS: rating level 1 of the national scale (非常不满意).
        return _("very dissatisfied");
    }
    return wxString::Format("%d", level);
}

} // namespace ow::gui
