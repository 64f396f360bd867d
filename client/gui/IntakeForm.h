// What the intake tab knows and decides, without a toolkit: the applicant being taken in
// (full numbers in memory only; shown masked when they came from an earlier case or the
// ID card), the chosen matters and bundle, the merged checklist and what was handed
// over, and the decision with what it needs. IntakeTab draws it; tests drive it directly.
// A ticket passed on to another window carries the form as a draft (draft(), restore()).
#pragma once

#include "model/Applicant.h"
#include "model/CaseState.h"
#include "model/Catalogue.h"
#include "model/IntakeService.h"
#include "model/Json.h"
#include "model/Permissions.h"

#include <cstdint>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ow::gui {

enum class Decision { Accept, AcceptDeficient, Notice, Refuse };

// Why a decision is not offered, or why the intake cannot be carried out yet.
enum class Blocker {
    None,
    NotPermitted, // the user's role does not allow the decision
    MaterialsMissing, // plain acceptance while mandatory materials are missing
    NothingMissing, // deficiencies or a notice with nothing to owe or to list
    ApplicantInvalid,
    NoMatters,
    ChecklistPending, // the checklist of the current matters has not arrived yet
    CommitmentMissing, // the applicant has not signed the commitment
    CommitmentNotInFuture,
    ReasonMissing,
    LegalBasisMissing,
};

struct Availability {
    bool allowed = true;
    Blocker why = Blocker::None;
    std::vector<std::string> materials; // the missing ones, for MaterialsMissing
};

// The mark next to a field: nothing yet, still being typed (n of m characters), valid,
// or the model's problem.
enum class Mark { None, Typing, Ok, Problem };

struct FieldState {
    Mark mark = Mark::None;
    std::optional<model::FieldProblem> problem;
    std::string typed; // for Typing: characters so far and expected
    std::string expected;
};

// The decision as the worker carries it out.
struct DecisionPlan {
    Decision decision = Decision::Accept;
    std::vector<std::string> missing; // deficiencies owed
    model::Date commitmentDue;
    std::vector<std::string> items; // notice: missing material codes, then other requirements
    std::string reason;
    std::string legalBasis;
};

class IntakeForm {
public:
    // What the form checks against: set once the backend answered.
    void setCatalogue(model::Catalogue catalogue) { m_catalogue = std::move(catalogue); }
    const model::Catalogue& catalogue() const { return m_catalogue; }
    void setToday(model::Date today);
    model::Date today() const { return m_today; }
    void setUser(model::Staff user);

    // --- 1. Applicant -------------------------------------------------------------
    // Field names are those of model::FieldProblem: "name", "idKind", "idNumber",
    // "phone", "postalAddress", "legalRepresentative", "agent.name", "agent.idKind",
    // "agent.idNumber", "agent.phone", "agent.authorisation".
    // The applicant with the agent when one is on.
    model::Applicant applicant() const;
    void setType(model::ApplicantType type);
    void setName(std::string name);
    // An explicit choice: from then on the kind no longer follows the number typed.
    void setIdKind(model::IdKind kind);
    // Typed by the clerk: a held number is let go. Until the kind is chosen it follows
    // the number (model::guessIdKind), and the applicant type follows the kind.
    void setIdNumber(std::string number);
    void setPhone(std::string phone);
    void setAddress(std::string address);
    void setLegalRepresentative(std::string name);
    void setAgentOn(bool on);
    bool agentOn() const { return m_agentOn; }
    const model::Agent& agent() const { return m_agent; } // kept while the agent is off
    void setAgentName(std::string name);
    void setAgentIdKind(model::IdKind kind);
    void setAgentIdNumber(std::string number);
    void setAgentPhone(std::string phone);
    void setAgentAuthorisation(std::string reference);
    void setAssisted(bool assisted);
    void setDelivery(model::DeliveryMethod method);
    // From an earlier case or the ID card: the numbers are held and shown masked until
    // the clerk types over them. Agent, delivery and the assisted flag stay as they are.
    void takeApplicant(const model::Applicant& applicant);
    // Empties the applicant part (a different person comes to the window).
    void clearApplicant();
    bool idHeld() const { return m_idHeld; }
    bool phoneHeld() const { return m_phoneHeld; }
    // What the ID and phone fields show: masked while held, else as typed.
    std::string idText() const;
    std::string phoneText() const;
    // Leaving a field, or trying to carry out, makes its problems visible.
    void touch(const std::string& field) { m_touched.insert(field); }
    void touchAll() { m_showAll = true; }
    FieldState field(const std::string& name, bool focused) const;
    const std::vector<model::FieldProblem>& problems() const { return m_problems; }
    bool elderly() const;

    // --- 2. Matters ---------------------------------------------------------------
    // Ticks the bundle's matters (and unticks those of the bundle chosen before); ""
    // leaves the matters as they are. Throws "catalogue.unknown_bundle".
    void chooseBundle(const std::string& code);
    // Unticking a matter of the chosen bundle drops the bundle (its other matters stay).
    void setMatter(const std::string& code, bool on);
    bool hasMatter(const std::string& code) const;
    const std::string& bundle() const { return m_bundle; }
    const std::vector<std::string>& matters() const { return m_matters; } // in the order chosen

    // --- 3. Materials -------------------------------------------------------------
    // The answer of IntakeService::checklist for `forMatters`; an answer for matters
    // that have changed since is ignored (returns false). Ticks stay on materials still
    // listed; data-shared ones come ticked the first time they appear.
    bool setChecklist(
        std::vector<model::MergedMaterial> checklist, const std::vector<std::string>& forMatters);
    bool checklistCurrent() const { return m_checklistFor == m_matters; }
    const std::vector<model::MergedMaterial>& checklist() const { return m_checklist; }
    void setReceived(const std::string& code, bool received);
    bool received(const std::string& code) const { return m_received.count(code) > 0; }
    // Mandatory, not obtainable by data sharing, not ticked: the model's rule.
    std::vector<std::string> missingMandatory() const;
    const model::MergedMaterial* material(const std::string& code) const;

    // --- 4. Decision --------------------------------------------------------------
    Availability availability(Decision decision) const;
    // The clerk's choice; when it stops fitting the form falls back to the first that
    // fits (accept, one-time notice, accept with deficiencies, refuse).
    void choose(Decision decision);
    Decision decision() const;
    void setCommitted(bool committed) { m_committed = committed; }
    bool committed() const { return m_committed; }
    void setCommitmentDue(model::Date due) { m_commitmentDue = due; }
    model::Date commitmentDue() const { return m_commitmentDue; }
    void setNoticeExtra(std::string text) { m_noticeExtra = std::move(text); }
    const std::string& noticeExtra() const { return m_noticeExtra; }
    void setRefusal(std::string reason, std::string legalBasis);
    const std::string& refusalReason() const { return m_reason; }
    const std::string& refusalLegalBasis() const { return m_legalBasis; }
    // What stops carrying out, the most important first; empty when ready.
    std::vector<Blocker> blockers() const;
    model::IntakeRequest request(const std::string& window) const;
    DecisionPlan plan() const;
    // Something was entered: closing the tab asks first.
    bool started() const;

    // --- Passing the ticket on ------------------------------------------------------
    // Everything entered so far, carried by a ticket passed on to another window:
    //   {"version": 1,
    //    "applicant": {"type", "name", "idKind", "idNumber", "idHeld", "phone", "phoneHeld",
    //                  "postalAddress", "legalRepresentative", "assisted", "delivery",
    //                  "kindChosen", "typeChosen"},
    //    "agent": {"on", "name", "idKind", "idNumber", "phone", "authorisation"},
    //    "bundle": "", "matters": [codes, in the order chosen],
    //    "materials": {"received": [codes], "listed": [codes whose ticks are the clerk's]},
    //    "decision": {"chosen": null | "accept" | "accept_deficient" | "notice" | "refuse",
    //                 "committed", "commitmentDue": "YYYY-MM-DD", "noticeExtra",
    //                 "refusalReason", "legalBasis"}}
    // Held numbers are carried in full (the draft is stored in the shared database like
    // case events, never logged) and are held again, masked, when restored.
    static constexpr std::int64_t kDraftVersion = 1;
    model::Json draft() const;
    // The inverse, onto a form whose catalogue is set; what the draft does not say takes an
    // empty form's value (a missing commitment date keeps the one set). The ticks wait for
    // the checklist of the restored matters (setChecklist keeps them). Throws DomainError
    // "intake.draft_invalid" (facts field, reason: "missing", "unknown_version",
    // "wrong_type", "unknown_value", "bad_date", "unknown_matter", "unknown_bundle",
    // "duplicate") and leaves the form as it was.
    void restore(const model::Json& draft);

private:
    void revalidate();

    model::Catalogue m_catalogue;
    model::Date m_today;
    model::Staff m_user;

    model::Applicant m_applicant; // without the agent
    model::Agent m_agent;
    bool m_agentOn = false;
    bool m_idHeld = false;
    bool m_phoneHeld = false;
    bool m_kindChosen = false;
    bool m_typeChosen = false;
    std::set<std::string> m_touched;
    bool m_showAll = false;
    std::vector<model::FieldProblem> m_problems;

    std::string m_bundle;
    std::vector<std::string> m_matters;

    std::vector<model::MergedMaterial> m_checklist;
    std::vector<std::string> m_checklistFor;
    std::set<std::string> m_received;
    std::set<std::string> m_seen; // materials listed before: their ticks are the clerk's

    Decision m_decision = Decision::Accept;
    bool m_decisionChosen = false;
    bool m_committed = false;
    model::Date m_commitmentDue;
    std::string m_noticeExtra;
    std::string m_reason;
    std::string m_legalBasis;
};

// The result of one carry-out job.
struct IntakeOutcome {
    // The case as opened (and with materials received on a retry); kept by the tab so a
    // failed decision can be tried again on the same case.
    std::optional<model::CaseState> opened;
    std::optional<model::CaseState> decided; // after the decision
    std::vector<model::FieldProblem> problems; // a ValidationError: every field at once
    std::exception_ptr error; // anything else, described on the GUI thread
};

// Opens the case (unless `opened` is the case an earlier attempt opened; then it only
// receives the materials ticked since) and records the decision: one worker job.
IntakeOutcome carryOut(model::IntakeService& intake, const std::string& actor,
    const model::IntakeRequest& request, const DecisionPlan& plan, const model::CaseState* opened);

// The surname for the tab title: the first character of a Chinese name (two for a
// compound surname such as 欧阳), else the first word.
std::string surnameOf(const std::string& name);

} // namespace ow::gui
