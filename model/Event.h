// The event document: one shape in both databases, on the wire and in PouchDB.
// Ids are origin + gap-free per-origin sequence; each origin's events are hash-chained.
#pragma once

#include "model/HybridClock.h"
#include "model/Json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

namespace EventType {
// Case lifecycle
inline constexpr const char* Opened = "case.opened";
inline constexpr const char* MaterialReceived = "case.material_received";
inline constexpr const char* Accepted = "case.accepted";
inline constexpr const char* AcceptedDeficient = "case.accepted_deficient"; // 容缺受理
inline constexpr const char* NoticeIssued = "case.notice_issued"; // 一次性告知
inline constexpr const char* Corrected = "case.corrected"; // return visit after a notice (补正)
inline constexpr const char* Refused = "case.refused";
inline constexpr const char* Routed = "case.routed";
inline constexpr const char* StepDone = "case.step_done";
inline constexpr const char* Suspended = "case.suspended";
inline constexpr const char* Resumed = "case.resumed";
inline constexpr const char* Extended = "case.extended"; // 延期, carries its approval
inline constexpr const char* Concluded = "case.concluded"; // approved or denied
inline constexpr const char* Delivered = "case.delivered";
inline constexpr const char* Withdrawn = "case.withdrawn";
inline constexpr const char* Terminated = "case.terminated"; // 终止
inline constexpr const char* Closed = "case.closed";
// Commuting annotations and assignment
inline constexpr const char* Assigned = "case.assigned";
inline constexpr const char* Transferred = "case.transferred"; // to another centre (通办)
inline constexpr const char* Evaluated = "case.evaluated"; // 好差评
inline constexpr const char* Note = "case.note";
inline constexpr const char* DocumentIssued = "case.document_issued";
inline constexpr const char* ConflictResolved = "case.conflict_resolved";
} // namespace EventType

// Every event type this build understands; others are stored and passed on unchanged.
const std::vector<std::string>& knownCaseEventTypes();
bool isKnownCaseEventType(const std::string& type);

bool isValidOrigin(const std::string& origin); // [a-z0-9_]{1,40}
std::string formatEventId(const std::string& origin, std::int64_t seq); // ev-<origin>-<12 digits>
struct EventIdParts {
    std::string origin;
    std::int64_t seq = 0;
};
std::optional<EventIdParts> parseEventId(const std::string& id);

struct Event {
    std::string origin;
    std::int64_t seq = 0;
    Hlc hlc = 0;
    std::string type;
    std::string caseNumber; // empty for catalogue.*, calendar.*, staff.* events
    std::string actor;
    std::vector<std::string> heads; // the case's latest event ids the writer saw
    std::string prev; // sha256 hex of this origin's previous event, "" for seq 1
    Json body = Json::object();
    std::string hash; // sha256 hex of the canonical form without _rev and hash

    std::string id() const { return formatEventId(origin, seq); }
    // Canonical JSON of the document without _rev and hash: the bytes that get hashed.
    std::string canonicalForHash() const;
    std::string computeHash() const;
    std::string rev() const; // "1-" + md5 of canonicalForHash()
    // Fills `hash` from the content; the writer calls this once the seq and prev are set.
    void seal();
    // seal() and documentText() in one pass (the append hot path).
    std::string sealDocument();
    bool hashValid() const { return hash == computeHash(); }

    Json toDocument() const; // with _id, _rev and hash
    // Canonical JSON text of toDocument(), built without the intermediate Json (hot path).
    std::string documentText() const;
    // Strict: throws DomainError "event.invalid" with facts field and reason. Unknown event
    // types are accepted; a wrong _id, _rev or hash is not.
    // `verifyHash` false skips the hash and _rev checks, for documents read back from the
    // node's own store (audited separately by verify); never for anything received.
    static Event fromDocument(const Json& doc, bool verifyHash = true);
    // The same, moving the body out of a document the caller no longer needs.
    static Event fromDocument(Json&& doc, bool verifyHash = true);
    // Hash and _rev checked, and `canonicalText` set to the document's canonical text
    // (what documentText() writes) from the serialisation the check made anyway.
    static Event fromDocument(const Json& doc, std::string& canonicalText);
    static Event fromDocument(Json&& doc, std::string& canonicalText);

    bool operator==(const Event& o) const { return id() == o.id() && hash == o.hash; }
};

// Events a writer is about to append: the store assigns origin, seq, hlc and prev.
struct NewEvent {
    std::string type;
    std::string caseNumber;
    std::string actor;
    std::vector<std::string> heads;
    Json body = Json::object();
};

} // namespace ow::model
