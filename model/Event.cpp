#include "model/Event.h"

#include "model/Error.h"
#include "model/Md5.h"
#include "model/Sha256.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ow::model {

namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& reason)
{
    throw DomainError("event.invalid", {{"field", field}, {"reason", reason}});
}

bool isHex(const std::string& s, std::size_t len)
{
    if (s.size() != len)
        return false;
    return std::all_of(
        s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Json withoutRevAndHash(const Event& e)
{
    Json d = Json::object();
    d["_id"] = e.id();
    d["origin"] = e.origin;
    d["seq"] = e.seq;
    d["hlc"] = e.hlc;
    d["type"] = e.type;
    d["case"] = e.caseNumber;
    d["actor"] = e.actor;
    Json heads = Json::array();
    for (const auto& h : e.heads)
        heads.push_back(Json(h));
    d["heads"] = heads;
    d["prev"] = e.prev;
    d["body"] = e.body;
    return d;
}

// A JSON string literal, escaped exactly as Json::canonical() does, without building a
// Json value for every field of every event.
std::string quoted(const std::string& s)
{
    std::string out;
    out.reserve(s.size() + 2);
    appendJsonString(out, s);
    return out;
}

// The canonical text built member by member in sorted key order (_id, _rev, actor, body,
// case, hash, heads, hlc, origin, prev, seq, type): the same bytes Json::canonical()
// gives for the document, without building and sorting a map for every event.
std::string assemble(
    const Event& e, const std::string& bodyText, const std::string* rev, const std::string* hash)
{
    std::string out;
    out.reserve(bodyText.size() + 400);
    out += "{\"_id\":";
    out += quoted(e.id());
    if (rev) {
        out += ",\"_rev\":";
        out += quoted(*rev);
    }
    out += ",\"actor\":";
    out += quoted(e.actor);
    out += ",\"body\":";
    out += bodyText;
    out += ",\"case\":";
    out += quoted(e.caseNumber);
    if (hash) {
        out += ",\"hash\":";
        out += quoted(*hash);
    }
    out += ",\"heads\":[";
    for (std::size_t i = 0; i < e.heads.size(); ++i) {
        if (i)
            out += ',';
        out += quoted(e.heads[i]);
    }
    out += "],\"hlc\":";
    out += std::to_string(e.hlc);
    out += ",\"origin\":";
    out += quoted(e.origin);
    out += ",\"prev\":";
    out += quoted(e.prev);
    out += ",\"seq\":";
    out += std::to_string(e.seq);
    out += ",\"type\":";
    out += quoted(e.type);
    out += '}';
    return out;
}

// Length of the text assemble() writes from ",\"heads\":[" to the end, so the splice in
// sealDocument() finds that key after the body, never inside it.
std::size_t tailLength(const Event& e)
{
    std::size_t n = std::string(",\"heads\":[").size();
    for (std::size_t i = 0; i < e.heads.size(); ++i)
        n += (i ? 1 : 0) + quoted(e.heads[i]).size();
    n += std::string("],\"hlc\":").size() + std::to_string(e.hlc).size();
    n += std::string(",\"origin\":").size() + quoted(e.origin).size();
    n += std::string(",\"prev\":").size() + quoted(e.prev).size();
    n += std::string(",\"seq\":").size() + std::to_string(e.seq).size();
    n += std::string(",\"type\":").size() + quoted(e.type).size() + 1;
    return n;
}

// The document text from the text that was hashed: _rev and hash (both plain hex, needing
// no escapes) slot in where their keys sort, after _id, and after case just before heads.
std::string withRevAndHash(const Event& e, const std::string& forHash, const std::string& rev)
{
    const std::size_t idPartSize = std::string("{\"_id\":").size() + quoted(e.id()).size();
    const std::size_t headsAt = forHash.find(",\"heads\":[", forHash.size() - tailLength(e));
    std::string doc;
    doc.reserve(forHash.size() + 140);
    doc.append(forHash, 0, idPartSize);
    doc += ",\"_rev\":\"";
    doc += rev;
    doc += '"';
    doc.append(forHash, idPartSize, headsAt - idPartSize);
    doc += ",\"hash\":\"";
    doc += e.hash;
    doc += '"';
    doc.append(forHash, headsAt, std::string::npos);
    return doc;
}

} // namespace

const std::vector<std::string>& knownCaseEventTypes()
{
    static const std::vector<std::string> types = {EventType::Opened, EventType::MaterialReceived,
        EventType::Accepted, EventType::AcceptedDeficient, EventType::NoticeIssued, EventType::Corrected,
        EventType::Refused, EventType::Routed, EventType::StepDone, EventType::Suspended, EventType::Resumed,
        EventType::Extended, EventType::Concluded, EventType::Delivered, EventType::Withdrawn,
        EventType::Terminated, EventType::Closed, EventType::Assigned, EventType::Transferred,
        EventType::Evaluated, EventType::Note, EventType::DocumentIssued, EventType::ConflictResolved};
    return types;
}

bool isKnownCaseEventType(const std::string& type)
{
    const auto& t = knownCaseEventTypes();
    return std::find(t.begin(), t.end(), type) != t.end();
}

bool isValidOrigin(const std::string& origin)
{
    if (origin.empty() || origin.size() > 40)
        return false;
    return std::all_of(origin.begin(), origin.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string formatEventId(const std::string& origin, std::int64_t seq)
{
    // "ev-" + origin + "-" + 12 digits, zero-padded (more digits when seq needs them);
    // built by hand: ids are formatted for every event a node reads or sends.
    char digits[24];
    if (seq < 0) {
        std::snprintf(digits, sizeof digits, "%012lld", static_cast<long long>(seq));
        return "ev-" + origin + "-" + digits;
    }
    char* end = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(seq)).ptr;
    const auto length = static_cast<std::size_t>(end - digits);
    std::string id;
    id.reserve(4 + origin.size() + std::max<std::size_t>(12, length));
    id += "ev-";
    id += origin;
    id += '-';
    if (length < 12)
        id.append(12 - length, '0');
    id.append(digits, length);
    return id;
}

std::optional<EventIdParts> parseEventId(const std::string& id)
{
    if (id.rfind("ev-", 0) != 0)
        return std::nullopt;
    auto dash = id.rfind('-');
    if (dash <= 3 || id.size() - dash - 1 != 12)
        return std::nullopt;
    EventIdParts parts;
    parts.origin = id.substr(3, dash - 3);
    if (!isValidOrigin(parts.origin))
        return std::nullopt;
    const char* first = id.data() + dash + 1;
    const char* last = id.data() + id.size();
    if (!std::all_of(first, last, [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    auto [p, ec] = std::from_chars(first, last, parts.seq);
    if (ec != std::errc() || p != last || parts.seq < 1)
        return std::nullopt;
    return parts;
}

std::string Event::canonicalForHash() const
{
    return assemble(*this, body.canonical(), nullptr, nullptr);
}

std::string Event::documentText() const
{
    std::string bodyText = body.canonical();
    std::string rev = "1-" + md5Hex(assemble(*this, bodyText, nullptr, nullptr));
    return assemble(*this, bodyText, &rev, &hash);
}

std::string Event::computeHash() const
{
    return sha256Hex(canonicalForHash());
}

std::string Event::rev() const
{
    return "1-" + md5Hex(canonicalForHash());
}

void Event::seal()
{
    hash = computeHash();
}

std::string Event::sealDocument()
{
    std::string forHash = assemble(*this, body.canonical(), nullptr, nullptr);
    hash = sha256Hex(forHash);
    return withRevAndHash(*this, forHash, "1-" + md5Hex(forHash));
}

Json Event::toDocument() const
{
    Json d = withoutRevAndHash(*this);
    d["_rev"] = rev();
    d["hash"] = hash;
    return d;
}

namespace {

// Every check but the hash and _rev; the body is moved out of `movableBody` when given
// (the "body" member of `doc`, which the caller owns).
Event fieldsOf(const Json& doc, Json* movableBody)
{
    if (!doc.isObject())
        invalid("$", "not_an_object");
    static const std::vector<std::string> allowed
        = {"_id", "_rev", "origin", "seq", "hlc", "type", "case", "actor", "heads", "prev", "body", "hash"};
    for (const auto& [key, value] : doc.asObject()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            invalid(key, "unknown_field");
    }
    auto str = [&](const char* key) -> std::string {
        const Json* v = doc.get(key);
        if (!v)
            invalid(key, "missing");
        if (!v->isString())
            invalid(key, "not_a_string");
        return v->asString();
    };
    auto num = [&](const char* key) -> std::int64_t {
        const Json* v = doc.get(key);
        if (!v)
            invalid(key, "missing");
        if (!v->isInt())
            invalid(key, "not_an_integer");
        return v->asInt();
    };
    Event e;
    std::string id = str("_id");
    e.origin = str("origin");
    if (!isValidOrigin(e.origin))
        invalid("origin", "bad_format");
    e.seq = num("seq");
    if (e.seq < 1)
        invalid("seq", "not_positive");
    if (id != e.id())
        invalid("_id", "does_not_match_origin_and_seq");
    e.hlc = num("hlc");
    if (e.hlc < 0)
        invalid("hlc", "negative");
    e.type = str("type");
    if (e.type.empty() || e.type.size() > 64)
        invalid("type", "bad_format");
    e.caseNumber = str("case");
    e.actor = str("actor");
    const Json* heads = doc.get("heads");
    if (!heads)
        invalid("heads", "missing");
    if (!heads->isArray())
        invalid("heads", "not_an_array");
    for (const auto& h : heads->asArray()) {
        if (!h.isString() || !parseEventId(h.asString()))
            invalid("heads", "bad_event_id");
        e.heads.push_back(h.asString());
    }
    e.prev = str("prev");
    if (e.seq == 1 ? !e.prev.empty() : !isHex(e.prev, 64))
        invalid("prev", "bad_format");
    const Json* body = doc.get("body");
    if (!body)
        invalid("body", "missing");
    if (!body->isObject())
        invalid("body", "not_an_object");
    if (movableBody)
        e.body = std::move(*movableBody);
    else
        e.body = *body;
    e.hash = str("hash");
    if (!isHex(e.hash, 64))
        invalid("hash", "bad_format");
    return e;
}

// The hash and _rev checked from one serialisation, which gives the document's canonical
// text too (the bytes documentText() writes).
std::string verifiedText(const Event& e, const Json& doc)
{
    const std::string forHash = e.canonicalForHash();
    if (sha256Hex(forHash) != e.hash)
        invalid("hash", "mismatch");
    std::string rev = "1-" + md5Hex(forHash);
    if (const Json* given = doc.get("_rev"); given && (!given->isString() || given->asString() != rev))
        invalid("_rev", "mismatch");
    return withRevAndHash(e, forHash, rev);
}

} // namespace

Event Event::fromDocument(const Json& doc, bool verifyHash)
{
    Event e = fieldsOf(doc, nullptr);
    if (verifyHash)
        verifiedText(e, doc);
    return e;
}

Event Event::fromDocument(Json&& doc, bool verifyHash)
{
    Event e = fieldsOf(doc, doc.isObject() ? doc.get("body") : nullptr);
    if (verifyHash)
        verifiedText(e, doc);
    return e;
}

Event Event::fromDocument(const Json& doc, std::string& canonicalText)
{
    Event e = fieldsOf(doc, nullptr);
    canonicalText = verifiedText(e, doc);
    return e;
}

Event Event::fromDocument(Json&& doc, std::string& canonicalText)
{
    Event e = fieldsOf(doc, doc.isObject() ? doc.get("body") : nullptr);
    canonicalText = verifiedText(e, doc);
    return e;
}

} // namespace ow::model
