// libFuzzer target: event decoding. The input is an event document as text (seeds in
// tests/fuzz/corpus/event), decoded the two ways OneWindow decodes them: model::Json::parse
// with Event::fromDocument (the stores, the replicator), and sync/couch's simdjson path
// (parseJsonFast, eventFromDocument: what peers send to onewindowd).
//
// Mutated documents rarely keep a valid hash, so each document is also decoded without
// the hash check (as a node reads back its own store) and sealed anew; that event must
// then survive every path: encoded by toDocument(), documentText() and sealDocument()
// (the same bytes), decoded again by both parsers into the same event and hash, and folded
// into a case (a fixed history of a real case plus this event) without an exception, the
// same whatever order the events come in. A refused document must give a DomainError; a
// crash, a sanitizer report, another exception or a broken invariant is a finding.
#include "model/BuiltinCalendars.h"
#include "model/CaseState.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Event.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Json.h"

#include "sync/couch/EventJson.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace m = ow::model;
using m::DomainError;
using m::Event;
using m::Json;

[[noreturn]] void violated(const char* what, const std::string& detail = {})
{
    std::fprintf(stderr, "event invariant violated: %s %s\n", what, detail.c_str());
    std::abort();
}

// Every field, not only id and hash (Event::operator== compares just those).
bool sameEvent(const Event& a, const Event& b)
{
    return a.origin == b.origin && a.seq == b.seq && a.hlc == b.hlc && a.type == b.type
        && a.caseNumber == b.caseNumber && a.actor == b.actor && a.heads == b.heads && a.prev == b.prev
        && a.body == b.body && a.hash == b.hash;
}

// A case as a workstation writes it: opened, accepted, routed to a reviewer, a note.
std::vector<Event> history()
{
    const m::Date today(2026, 11, 30);
    std::int64_t nowMs = today.days() * 86'400'000 + 4 * 3'600'000;
    m::InMemoryEventStore store("ws01", [&nowMs] { return nowMs; });
    m::Catalogue catalogue = m::demoCatalogue();
    m::HolidayCalendar calendar = m::builtinCalendar();
    m::InMemoryStaffDirectory staff;
    staff.put({"clerk01", "clerk", {m::Role::WindowStaff}, "330102", true});
    m::InMemoryCaseNumberSource numbers("330102", "W03");
    m::FixedClock clock(today);
    m::ServiceContext ctx{store, catalogue, calendar, staff, numbers, clock, "330102"};
    m::IntakeService intake(ctx);
    m::CaseWorkService work(ctx);
    m::IntakeRequest request;
    request.applicant.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    request.applicant.idNumber = "330102198503121236";
    request.applicant.phone = "13800138000";
    request.matterCodes = {"330102-YB-001"};
    request.window = "W03";
    const auto state = intake.open("clerk01", request);
    nowMs += 60'000;
    intake.accept("clerk01", state.number);
    nowMs += 60'000;
    work.route("clerk01", state.number, "s1", "\xE5\x8C\xBB\xE4\xBF\x9D", "clerk01"); // 医保
    nowMs += 60'000;
    work.addNote("clerk01", state.number, "note");
    return store.caseEvents(state.number);
}

const std::vector<Event>& prelude()
{
    static const std::vector<Event> events = history();
    return events;
}

std::string foldText(std::vector<Event> events)
{
    return m::foldCase(std::move(events)).toJson().canonical();
}

// A valid, sealed event through every encoder and decoder, and into a fold.
void checkSealed(const Event& e)
{
    if (!e.hashValid())
        violated("a sealed event does not verify", e.id());
    const Json document = e.toDocument();
    const std::string text = e.documentText();
    if (text != document.canonical())
        violated("documentText() is not toDocument().canonical()", text);
    Event resealed = e;
    if (resealed.sealDocument() != text || resealed.hash != e.hash)
        violated("sealDocument() differs from documentText()", text);

    const Json viaModel = Json::parse(text);
    const Json viaSimdjson = ow::sync::parseJsonFast(text);
    if (!(viaModel == document) || !(viaSimdjson == document))
        violated("the canonical text does not parse back to the document", text);
    const Event decoded = Event::fromDocument(viaModel);
    if (!sameEvent(decoded, e))
        violated("fromDocument(documentText()) is another event", text);
    std::string reason;
    const auto received = ow::sync::eventFromDocument(viaSimdjson, reason);
    if (!received || !sameEvent(*received, e))
        violated("a peer's copy of a valid event is refused or changed", reason + " " + text);
    // As replicators send it, with its one revision.
    Json withRevisions = viaSimdjson;
    Json revisions = Json::object();
    revisions["start"] = 1;
    Json ids = Json::array();
    ids.push_back(Json(e.rev().substr(2)));
    revisions["ids"] = ids;
    withRevisions["_revisions"] = revisions;
    const auto replicated = ow::sync::eventFromDocument(withRevisions, reason);
    if (!replicated || !sameEvent(*replicated, e))
        violated("_revisions refused for a valid event", reason);

    // The fold never throws on event content, and its result does not depend on the order
    // the events arrived in (ids are unique here; a duplicate id is a collision the stores
    // refuse before any fold).
    const auto& before = prelude();
    const bool collides
        = std::any_of(before.begin(), before.end(), [&](const Event& p) { return p.id() == e.id(); });
    std::vector<Event> events = before;
    events.push_back(e);
    const std::string forward = foldText(events);
    if (!collides) {
        std::reverse(events.begin(), events.end());
        if (foldText(events) != forward)
            violated("the fold depends on arrival order", text);
        events.push_back(e); // applied twice: idempotent
        if (foldText(events) != forward)
            violated("the fold is not idempotent", text);
    }
    m::eventDate(e);
}

void decode(const Json& doc, bool viaSimdjson)
{
    // The store's read-back path: everything but the hash and _rev.
    std::optional<Event> unchecked;
    try {
        unchecked = Event::fromDocument(doc, false);
    } catch (const DomainError& e) {
        if (e.code() != "event.invalid")
            violated("unexpected error code", e.what());
    }
    // The received path: the same, plus the hash and _rev.
    std::optional<Event> checked;
    try {
        checked = Event::fromDocument(doc, true);
    } catch (const DomainError& e) {
        if (e.code() != "event.invalid")
            violated("unexpected error code", e.what());
    }
    if (checked && (!unchecked || !sameEvent(*checked, *unchecked)))
        violated("the hash check changes what is decoded", doc.canonical());
    if (checked)
        checkSealed(*checked);
    if (viaSimdjson) {
        std::string reason;
        const auto received = ow::sync::eventFromDocument(doc, reason);
        if (received) {
            if (!checked && !doc.contains("_revisions"))
                violated("eventFromDocument accepts what fromDocument refuses", doc.canonical());
            checkSealed(*received);
        } else if (reason.empty()) {
            violated("a refused document without a reason", doc.canonical());
        }
    }
    if (unchecked) {
        unchecked->seal();
        checkSealed(*unchecked);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<Json> viaModel;
    try {
        viaModel = Json::parse(text);
    } catch (const DomainError& e) {
        if (e.code() != "json.parse")
            violated("unexpected error code", e.what());
    }
    std::optional<Json> viaSimdjson;
    try {
        viaSimdjson = ow::sync::parseJsonFast(text);
    } catch (const DomainError& e) {
        if (e.code() != "json.parse" && e.code() != "json.number")
            violated("unexpected error code", e.what());
    }
    // The two parsers take the same texts and read the same value from them (a repeated
    // key, which each refuses, cannot settle differently between them; a number at the
    // edges of the 64-bit ranges is read as the model reads it).
    if (viaModel.has_value() != viaSimdjson.has_value())
        violated(viaModel ? "simdjson refuses a text model::Json reads"
                          : "simdjson reads a text model::Json refuses",
            std::string(text));
    if (viaModel && viaSimdjson && !(*viaModel == *viaSimdjson))
        violated("the two parsers read one text differently", std::string(text));
    // Past parsing, a DomainError other than the refusals decode() expects is a finding.
    try {
        if (viaModel)
            decode(*viaModel, false);
        if (viaSimdjson)
            decode(*viaSimdjson, true);
    } catch (const DomainError& e) {
        violated("a decoded document fails later", e.what());
    }
    return 0;
}
