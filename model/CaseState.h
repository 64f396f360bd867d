// A case's current state: a deterministic fold of its events. Also the state machine that
// services consult before appending, so the rules live in one place.
#pragma once

#include "model/Applicant.h"
#include "model/Catalogue.h"
#include "model/Date.h"
#include "model/Event.h"
#include "model/Json.h"
#include "model/TimeLimit.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ow::model {

enum class CaseStatus {
    None, // no case.opened seen yet
    Consulting, // 咨询/收件: application being taken in
    Accepted, // 受理
    AcceptedDeficient, // 容缺受理: accepted with materials still owed
    AwaitingCorrection, // 待补正: one-time notice issued; the return visit resumes the same case
    Refused, // 不予受理
    InReview, // 审查中
    Suspended, // 挂起: the clock stops
    Extended, // 延期 (approved)
    Approved, // 准予
    Denied, // 不予许可
    Terminated, // 终止
    Delivered, // 已送达/已领取
    Withdrawn, // 撤回
    Closed, // 办结归档
};

std::string toString(CaseStatus);
std::optional<CaseStatus> caseStatusFromString(const std::string&);
const std::vector<CaseStatus>& allCaseStatuses();
bool isTerminal(CaseStatus); // nothing but annotations and closing can follow

struct CaseMatter {
    std::string code;
    std::string nameZh;
    std::string nameEn;
    std::string department;
    TimeLimit statutoryLimit;
    TimeLimit promisedLimit;
    bool immediate = false;
};

struct CaseMaterial {
    std::string code;
    std::string nameZh;
    std::string nameEn;
    MaterialForm form = MaterialForm::Original;
    int count = 1;
    bool mandatory = true;
    bool dataShared = false;
    bool received = false;
    std::vector<std::string> requiredBy;
};

struct CaseStep {
    std::string id;
    std::string department;
    std::string assignee;
    Date routedOn;
    bool done = false;
    std::string outcome;
    std::optional<Date> doneOn;
};

struct SuspensionRecord {
    Date from;
    std::optional<Date> to;
    std::string reason;
    CaseStatus resumeTo = CaseStatus::InReview;
};

struct ExtensionRecord {
    TimeLimit extra;
    std::string approvedBy;
    Date approvedOn;
    std::string reason;
};

// A document handed out at the window, as recorded by case.document_issued. The kind is
// kept as recorded (model/Documents.h names the ones this build prints; others stay).
struct IssuedDocument {
    std::string kind;
    std::string number;
    bool reprint = false; // 补打: the same number as an earlier issue
    Date on;
    std::string by; // the actor who issued it
};

struct EvaluationRecord {
    int level = 0; // 1 非常不满意 … 5 非常满意
    std::string channel;
    std::string comment;
    Date on;
};

// Concurrent events of one conflict group whose values differ: both are kept, neither
// is dropped; a person picks one with case.conflict_resolved.
struct ConflictCandidate {
    std::string eventId;
    std::string type;
    std::string value;
    std::string actor;
};

struct CaseConflict {
    std::string group; // "decision", "assignment", "transfer", "suspension"
    std::vector<ConflictCandidate> candidates; // candidates[0] is the one provisionally in effect
};

// An event that was stored but could not change the state (e.g. an out-of-order
// transition from an old node). Kept visible; never silently ignored.
struct Anomaly {
    std::string eventId;
    std::string code;
};

struct CaseState {
    std::string number;
    std::string centre; // where the case was opened
    std::string currentCentre; // where it is worked now (通办 transfers)
    CaseStatus status = CaseStatus::None;
    Applicant applicant;
    std::string bundle;
    std::vector<CaseMatter> matters;
    std::vector<CaseMaterial> materials;

    Date openedOn;
    std::optional<Date> acceptedOn;
    std::optional<Date> concludedOn;
    std::optional<Date> deliveredOn;
    std::optional<Date> closedOn;

    std::vector<std::string> deficiencies; // material codes still owed under 容缺受理
    // The codes owed when the case was accepted with deficiencies; unlike `deficiencies`
    // it does not shrink as they arrive, so the commitment can be printed again as signed.
    std::vector<std::string> committedMaterials;
    std::optional<Date> commitmentDue;
    bool noticeIssued = false;
    std::vector<std::string> noticeItems;
    std::string refusalReason;
    std::string refusalLegalBasis;
    std::string outcome; // "approved" / "denied"
    std::string outcomeReason;
    std::string assignee;
    std::string window;

    std::vector<CaseStep> steps;
    std::vector<SuspensionRecord> suspensions;
    std::vector<ExtensionRecord> extensions;
    std::vector<EvaluationRecord> evaluations;
    int notes = 0;
    int visits = 0;
    int documentsIssued = 0;
    std::vector<IssuedDocument> documents; // in canonical order, reprints included

    std::vector<CaseConflict> conflicts;
    std::vector<Anomaly> anomalies;
    std::vector<std::string> heads; // leaves of the case's event graph, sorted
    Hlc lastHlc = 0;
    int eventCount = 0;
    int unknownEvents = 0;

    bool inConflict() const { return !conflicts.empty(); }
    const CaseConflict* conflict(const std::string& group) const;
    const CaseMaterial* material(const std::string& code) const;
    const CaseStep* step(const std::string& id) const;
    const SuspensionRecord* openSuspension() const;
    // Mandatory materials neither received nor obtainable by data sharing.
    std::vector<std::string> missingMandatoryMaterials() const;

    // The projected row as JSON: deterministic, nothing node-local, nothing computed from
    // the current time. Its canonical form feeds the state-hash.
    Json toJson() const;
    // toJson().canonical(), written directly (the store writes it for every case a batch
    // touches); toJson() is read back from it.
    std::string canonicalText() const;
};

// The state machine. Throws DomainError with a stable code and facts when `event` may
// not follow `state`: "case.transition_refused" (facts case, from, event), or a more
// precise code such as "case.materials_missing", "case.notice_already_issued",
// "case.deficiencies_outstanding", "case.already_extended", "case.not_suspended",
// "case.step_unknown", "case.step_already_done", "case.in_conflict", "case.no_conflict",
// "case.body_invalid" (facts field, reason).
void checkTransition(const CaseState& state, const Event& event);

// Which lifecycle event types may follow a status (without looking at guards).
std::vector<std::string> allowedLifecycleEvents(CaseStatus);

// Canonical order of one case's events: topological through heads (and each origin's own
// sequence), ties broken by hlc, origin, seq. Duplicate ids are dropped (idempotent).
std::vector<Event> canonicalOrder(std::vector<Event> events);

// Folds events given in any order. Never throws on event content: refused transitions
// become anomalies and concurrent conflicting events become conflicts.
CaseState foldCase(std::vector<Event> events);

// A case's fold kept for folding further events onto it one at a time (the store's
// projection cache), with what that needs beyond the state: the ids folded, the heads they
// name that are not among them, and each origin's last sequence number in the case.
struct FoldedCase {
    CaseState state;
    std::set<std::string> ids;
    std::set<std::string> dangling;
    std::map<std::string, std::int64_t> lastSeq;
};

FoldedCase foldCaseKeeping(std::vector<Event> events);

// Folds one more event onto `fold` when that gives exactly what folding all the events
// again would: the event is new, names every head of the state among its own heads (so it
// descends from every event folded, and comes last in canonical order), is not a conflict
// resolution, no folded event names it as a head, no later event of its origin was
// folded, and the fold holds no cycle or id collision. Otherwise returns false and leaves
// `fold` unchanged: fold the case again.
bool foldOnto(FoldedCase& fold, const Event& event);

// The date an event happened for deadline purposes: body "on" when present and valid,
// else the hlc's wall time in China Standard Time (UTC+8, no daylight saving).
Date eventDate(const Event& e);
Date dateOfHlc(Hlc hlc, int utcOffsetMinutes = 480);

} // namespace ow::model
