#include "model/Error.h"
#include "model/Event.h"
#include "model/InMemoryRepositories.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

// Source files stay ASCII; UTF-8 text is spelled in bytes.
const std::string kWangFang = "\xE7\x8E\x8B\xE8\x8A\xB3"; // U+738B U+82B3
const std::string kExtB = "\xF0\xA0\xAE\xB7"; // U+20BB7, CJK Extension B (outside the BMP)
const std::string kExtB2 = "\xF0\xAA\x9A\xA5"; // U+2A6A5, CJK Extension B

const std::string kPrev = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Failure {
    std::string code;
    std::string field;
    std::string reason;
};

Failure failureOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const DomainError& e) {
        return {e.code(), e.fact("field"), e.fact("reason")};
    }
    return {"no error", "", ""};
}

std::string describe(const Failure& f)
{
    return f.code + " " + f.field + "/" + f.reason;
}

// The fixed event whose hash is pinned below.
Event fixedEvent()
{
    Event e;
    e.origin = "ws_a1";
    e.seq = 2;
    e.hlc = makeHlc(1764300000000, 3);
    e.type = EventType::Accepted;
    e.caseNumber = "330102-20261128-000123";
    e.actor = "clerk01";
    e.heads = {"ev-ws_a1-000000000001", "ev-centre_330102-000000000007"};
    e.prev = kPrev;
    e.body = Json::object();
    e.body["on"] = "2026-11-28";
    e.body["note"] = kWangFang + " " + kExtB;
    e.body["count"] = 2;
    e.body["ok"] = true;
    e.seal();
    return e;
}

// The expected values were computed once, independently of this code base, with python3:
//   doc = {"_id": "ev-ws_a1-000000000002", "origin": "ws_a1", "seq": 2,
//          "hlc": (1764300000000 << 10) | 3, "type": "case.accepted",
//          "case": "330102-20261128-000123", "actor": "clerk01",
//          "heads": ["ev-ws_a1-000000000001", "ev-centre_330102-000000000007"],
//          "prev": "0123456789abcdef" * 4,
//          "body": {"on": "2026-11-28", "note": "\u738b\u82b3 \U00020BB7", "count": 2, "ok": True}}
//   s = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
//   hashlib.sha256(s).hexdigest(); "1-" + hashlib.md5(s).hexdigest()
const std::string kFixedCanonical
    = "{\"_id\":\"ev-ws_a1-000000000002\",\"actor\":\"clerk01\",\"body\":{\"count\":2,"
      "\"note\":\"\xE7\x8E\x8B\xE8\x8A\xB3 \xF0\xA0\xAE\xB7\",\"ok\":true,"
      "\"on\":\"2026-11-28\"},\"case\":\"330102-20261128-000123\",\"heads\":["
      "\"ev-ws_a1-000000000001\",\"ev-centre_330102-000000000007\"],"
      "\"hlc\":1806643200000003,\"origin\":\"ws_a1\",\"prev\":"
      "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
      "\"seq\":2,\"type\":\"case.accepted\"}";
const std::string kFixedHash = "11339aab937ba00f0ccd31066d4548cb3a48dca9318852e2bd8e538dc60dbfd5";
const std::string kFixedRev = "1-e80b0c7f3f42b44d69cbcc33a20a0d8d";

Json openedBody()
{
    Json body = Json::object();
    body["on"] = "2026-11-28";
    body["centre"] = "330102";
    body["applicant"]["name"] = kWangFang;
    Json matter = Json::object();
    matter["code"] = "330102-SW-001";
    matter["statutoryLimit"] = "5wd";
    matter["promisedLimit"] = "1wd";
    body["matters"] = Json::Array{matter};
    return body;
}

NewEvent newEvent(const std::string& type, const std::string& caseNumber, Json body = Json::object())
{
    return NewEvent{type, caseNumber, "clerk01", {}, std::move(body)};
}

Json noteBody(const std::string& text)
{
    Json b = Json::object();
    b["text"] = text;
    return b;
}

} // namespace

TEST_CASE("event: ids are ev-<origin>-<12-digit seq>", "[event]")
{
    CHECK(formatEventId("ws_a1", 1) == "ev-ws_a1-000000000001");
    CHECK(formatEventId("ws_a1", 42) == "ev-ws_a1-000000000042");
    CHECK(formatEventId("centre_330102", 999999999999) == "ev-centre_330102-999999999999");

    for (const std::string& origin :
        std::vector<std::string>{"a", "ws_a1", "centre_330102", "0", "___", std::string(40, 'z')}) {
        INFO(origin);
        CHECK(isValidOrigin(origin));
        for (std::int64_t seq : {std::int64_t{1}, std::int64_t{42}, std::int64_t{999999999999}}) {
            auto parts = parseEventId(formatEventId(origin, seq));
            REQUIRE(parts);
            CHECK(parts->origin == origin);
            CHECK(parts->seq == seq);
        }
    }

    Event e;
    e.origin = "ws_b";
    e.seq = 7;
    CHECK(e.id() == "ev-ws_b-000000000007");
}

TEST_CASE("event: bad origins are refused", "[event]")
{
    for (const std::string& origin : std::vector<std::string>{
             "", std::string(41, 'a'), "WS", "ws-a", "ws a", "ws.a", "ws/a", kWangFang, "ws\n"}) {
        INFO("origin '" << origin << "'");
        CHECK_FALSE(isValidOrigin(origin));
    }
    CHECK_THROWS_AS(InMemoryEventStore("Bad-Origin", [] { return std::int64_t{0}; }), DomainError);
}

TEST_CASE("event: malformed ids do not parse", "[event]")
{
    for (const std::string id : {
             "",
             "ev-",
             "ev-ws_a1-",
             "ev-ws_a1",
             "ev--000000000001", // empty origin
             "ev-ws_a1-00000000001", // 11 digits
             "ev-ws_a1-0000000000001", // 13 digits
             "ev-ws_a1-000000000000", // seq 0
             "ev-ws_a1-00000000004x",
             "ev-ws_a1-+00000000042",
             "ev-ws_a1- 00000000042",
             "EV-ws_a1-000000000001",
             "ev-WS_A1-000000000001", // upper-case origin
             "ev-ws-a1-000000000001", // a dash in the origin
             "ev-ws a1-000000000001",
             "xev-ws_a1-000000000001",
             " ev-ws_a1-000000000001",
             "ev-ws_a1-000000000001 ",
             "ev-ws_a1-000000000001\n",
             "ev_ws_a1_000000000001",
         }) {
        INFO("id '" << id << "'");
        CHECK_FALSE(parseEventId(id));
    }
    CHECK_FALSE(parseEventId("ev-" + std::string(41, 'a') + "-000000000001"));
}

TEST_CASE("event: the canonical form and hash of a fixed event are stable", "[event]")
{
    Event e = fixedEvent();
    CHECK(e.id() == "ev-ws_a1-000000000002");
    CHECK(e.hlc == 1806643200000003);
    CHECK(e.canonicalForHash() == kFixedCanonical);
    CHECK(e.computeHash() == kFixedHash);
    CHECK(e.hash == kFixedHash);
    CHECK(e.hashValid());
    CHECK(e.rev() == kFixedRev);
    CHECK(e.rev().size() == 2 + 32);

    // The hashed bytes leave out _rev and hash themselves.
    Event other = e;
    other.hash = std::string(64, '0');
    CHECK(other.canonicalForHash() == kFixedCanonical);
    CHECK(other.computeHash() == kFixedHash);
    CHECK_FALSE(other.hashValid());

    // Every field is covered by the hash.
    std::vector<std::function<void(Event&)>> edits = {
        [](Event& x) { x.origin = "ws_a2"; },
        [](Event& x) { x.seq = 3; },
        [](Event& x) { ++x.hlc; },
        [](Event& x) { x.type = EventType::Refused; },
        [](Event& x) { x.caseNumber = "330102-20261128-000124"; },
        [](Event& x) { x.actor = "clerk02"; },
        [](Event& x) { x.heads.pop_back(); },
        [](Event& x) { std::swap(x.heads[0], x.heads[1]); },
        [](Event& x) { x.prev[0] = '1'; },
        [](Event& x) { x.body["count"] = 3; },
        [](Event& x) { x.body["extra"] = nullptr; },
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        INFO("edit " << i);
        Event x = fixedEvent();
        edits[i](x);
        CHECK(x.computeHash() != kFixedHash);
        CHECK_FALSE(x.hashValid());
        CHECK(x.rev() != kFixedRev);
    }

    // Member order while building the body does not matter: the form is canonical.
    Event reordered = fixedEvent();
    reordered.body = Json::object();
    reordered.body["ok"] = true;
    reordered.body["count"] = 2;
    reordered.body["note"] = kWangFang + " " + kExtB;
    reordered.body["on"] = "2026-11-28";
    CHECK(reordered.computeHash() == kFixedHash);
}

TEST_CASE("event: _rev is 1- and the md5 of the canonical body", "[event]")
{
    Event e = fixedEvent();
    Json doc = e.toDocument();
    REQUIRE(doc.contains("_rev"));
    const std::string rev = doc["_rev"].asString();
    CHECK(rev == kFixedRev);
    REQUIRE(rev.size() == 34);
    CHECK(rev.substr(0, 2) == "1-");
    for (char c : rev.substr(2))
        CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
}

TEST_CASE("event: toDocument and fromDocument round-trip", "[event]")
{
    Event e = fixedEvent();
    Json doc = e.toDocument();
    CHECK(doc["_id"].asString() == "ev-ws_a1-000000000002");
    CHECK(doc["_rev"].asString() == kFixedRev);
    CHECK(doc["hash"].asString() == kFixedHash);
    CHECK(doc["origin"].asString() == "ws_a1");
    CHECK(doc["seq"].asInt() == 2);
    CHECK(doc["hlc"].asInt() == e.hlc);
    CHECK(doc["type"].asString() == "case.accepted");
    CHECK(doc["case"].asString() == e.caseNumber);
    CHECK(doc["actor"].asString() == "clerk01");
    CHECK(doc["heads"].size() == 2);
    CHECK(doc["prev"].asString() == kPrev);
    CHECK(doc["body"] == e.body);
    CHECK(doc.size() == 12);

    auto same = [&](const Event& back) {
        CHECK(back.origin == e.origin);
        CHECK(back.seq == e.seq);
        CHECK(back.hlc == e.hlc);
        CHECK(back.type == e.type);
        CHECK(back.caseNumber == e.caseNumber);
        CHECK(back.actor == e.actor);
        CHECK(back.heads == e.heads);
        CHECK(back.prev == e.prev);
        CHECK(back.body == e.body);
        CHECK(back.hash == e.hash);
        CHECK(back == e);
        CHECK(back.toDocument() == doc);
    };
    same(Event::fromDocument(doc));
    // Through the wire form as well.
    same(Event::fromDocument(Json::parse(doc.canonical())));
    same(Event::fromDocument(Json::parse(doc.pretty())));

    // The first event of an origin has an empty prev.
    Event first = e;
    first.seq = 1;
    first.prev.clear();
    first.heads.clear();
    first.seal();
    Event firstBack = Event::fromDocument(first.toDocument());
    CHECK(firstBack.prev.empty());
    CHECK(firstBack.heads.empty());
    CHECK(firstBack == first);
}

TEST_CASE("event: fromDocument rejects each bad field with field and reason", "[event]")
{
    const Json good = fixedEvent().toDocument();
    REQUIRE_NOTHROW(Event::fromDocument(good));

    struct Bad {
        const char* what;
        std::function<void(Json&)> edit;
        const char* field;
        const char* reason;
    };
    const std::vector<Bad> cases = {
        {"unknown field", [](Json& d) { d["extra"] = 1; }, "extra", "unknown_field"},
        {"wrong _id", [](Json& d) { d["_id"] = "ev-ws_a1-000000000003"; }, "_id",
            "does_not_match_origin_and_seq"},
        {"_id of another origin", [](Json& d) { d["_id"] = "ev-ws_b1-000000000002"; }, "_id",
            "does_not_match_origin_and_seq"},
        {"_id missing", [](Json& d) { d.asObject().erase("_id"); }, "_id", "missing"},
        {"tampered body", [](Json& d) { d["body"]["count"] = 3; }, "hash", "mismatch"},
        {"tampered actor", [](Json& d) { d["actor"] = "clerk02"; }, "hash", "mismatch"},
        {"tampered hlc", [](Json& d) { d["hlc"] = d["hlc"].asInt() + 1; }, "hash", "mismatch"},
        {"forged hash", [](Json& d) { d["hash"] = std::string(64, 'a'); }, "hash", "mismatch"},
        {"hash not hex", [](Json& d) { d["hash"] = std::string(64, 'g'); }, "hash", "bad_format"},
        {"hash upper-case", [](Json& d) { d["hash"] = std::string(kFixedHash.size(), 'A'); }, "hash",
            "bad_format"},
        {"hash missing", [](Json& d) { d.asObject().erase("hash"); }, "hash", "missing"},
        {"wrong _rev", [](Json& d) { d["_rev"] = "1-00000000000000000000000000000000"; }, "_rev", "mismatch"},
        {"second revision", [](Json& d) { d["_rev"] = "2-" + kFixedRev.substr(2); }, "_rev", "mismatch"},
        {"_rev not a string", [](Json& d) { d["_rev"] = 1; }, "_rev", "mismatch"},
        {"seq 0", [](Json& d) { d["seq"] = 0; }, "seq", "not_positive"},
        {"seq negative", [](Json& d) { d["seq"] = -2; }, "seq", "not_positive"},
        {"seq a string", [](Json& d) { d["seq"] = "2"; }, "seq", "not_an_integer"},
        {"seq a double", [](Json& d) { d["seq"] = 2.0; }, "seq", "not_an_integer"},
        {"hlc negative", [](Json& d) { d["hlc"] = -1; }, "hlc", "negative"},
        {"bad origin", [](Json& d) { d["origin"] = "WS_A1"; }, "origin", "bad_format"},
        {"origin not a string", [](Json& d) { d["origin"] = 5; }, "origin", "not_a_string"},
        {"type empty", [](Json& d) { d["type"] = ""; }, "type", "bad_format"},
        {"type missing", [](Json& d) { d.asObject().erase("type"); }, "type", "missing"},
        {"case not a string", [](Json& d) { d["case"] = nullptr; }, "case", "not_a_string"},
        {"heads not an array", [](Json& d) { d["heads"] = "ev-ws_a1-000000000001"; }, "heads",
            "not_an_array"},
        {"heads with a bad id", [](Json& d) { d["heads"].push_back(Json("ev-x")); }, "heads", "bad_event_id"},
        {"heads with a number", [](Json& d) { d["heads"].push_back(Json(1)); }, "heads", "bad_event_id"},
        {"prev empty for seq 2", [](Json& d) { d["prev"] = ""; }, "prev", "bad_format"},
        {"prev 63 hex", [](Json& d) { d["prev"] = kPrev.substr(1); }, "prev", "bad_format"},
        {"prev 65 hex", [](Json& d) { d["prev"] = kPrev + "0"; }, "prev", "bad_format"},
        {"prev upper-case", [](Json& d) { d["prev"] = std::string(64, 'A'); }, "prev", "bad_format"},
        {"prev not hex", [](Json& d) { d["prev"] = std::string(64, 'z'); }, "prev", "bad_format"},
        {"body an array", [](Json& d) { d["body"] = Json::array(); }, "body", "not_an_object"},
        {"body missing", [](Json& d) { d.asObject().erase("body"); }, "body", "missing"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        Json doc = good;
        c.edit(doc);
        Failure f = failureOf([&] { Event::fromDocument(doc); });
        CHECK(describe(f) == std::string("event.invalid ") + c.field + "/" + c.reason);
    }

    CHECK(describe(failureOf([] { Event::fromDocument(Json::array()); })) == "event.invalid $/not_an_object");
    CHECK(describe(failureOf([] { Event::fromDocument(Json("ev")); })) == "event.invalid $/not_an_object");
}

TEST_CASE("event: sealed documents with a bad seq or prev are still refused", "[event]")
{
    // Correctly hashed, so only the field rule itself can refuse them.
    Event zero = fixedEvent();
    zero.seq = 0;
    zero.prev.clear();
    zero.seal();
    CHECK(describe(failureOf([&] { Event::fromDocument(zero.toDocument()); }))
        == "event.invalid seq/not_positive");

    Event noPrev = fixedEvent();
    noPrev.prev.clear();
    noPrev.seal();
    CHECK(describe(failureOf([&] { Event::fromDocument(noPrev.toDocument()); }))
        == "event.invalid prev/bad_format");

    Event shortPrev = fixedEvent();
    shortPrev.prev = "abc";
    shortPrev.seal();
    CHECK(describe(failureOf([&] { Event::fromDocument(shortPrev.toDocument()); }))
        == "event.invalid prev/bad_format");

    // The first event of an origin has no predecessor to point to.
    Event firstWithPrev = fixedEvent();
    firstWithPrev.seq = 1;
    firstWithPrev.seal();
    CHECK(describe(failureOf([&] { Event::fromDocument(firstWithPrev.toDocument()); }))
        == "event.invalid prev/bad_format");
}

TEST_CASE("event: unknown event types are stored and passed on", "[event]")
{
    for (const std::string type :
        {"case.future_thing", "queue.ticket_called", "catalogue.matter_added", "x"}) {
        INFO(type);
        CHECK_FALSE(isKnownCaseEventType(type));
        Event e = fixedEvent();
        e.type = type;
        e.body = Json::object();
        e.body["whatever"]["nested"] = Json::Array{1, "two", nullptr};
        e.seal();
        Event back = Event::fromDocument(Json::parse(e.toDocument().canonical()));
        CHECK(back.type == type);
        CHECK(back.body == e.body);
        CHECK(back == e);
    }
    for (const auto& t : knownCaseEventTypes())
        CHECK(isKnownCaseEventType(t));

    // A store keeps them and the fold counts them without judging them.
    std::int64_t now = 1764300000000;
    InMemoryEventStore store("ws_a1", [&] { return now; });
    const std::string number = "330102-20261128-000001";
    store.append({newEvent(EventType::Opened, number, openedBody())});
    Json body = Json::object();
    body["anything"] = true;
    auto stored = store.append({newEvent("case.from_the_future", number, body)});
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].type == "case.from_the_future");
    auto state = store.findCase(number);
    REQUIRE(state);
    CHECK(state->eventCount == 2);
    CHECK(state->unknownEvents == 1);
    CHECK(state->anomalies.empty());
    CHECK(state->status == CaseStatus::Consulting);
}

TEST_CASE("event: CJK Extension-B text in the body round-trips", "[event]")
{
    Event e = fixedEvent();
    e.body = Json::object();
    e.body["applicant"] = kExtB + kWangFang; // a rare-character surname
    e.body["comment"] = kExtB2 + " " + kExtB + kExtB2;
    e.body[kExtB] = "key outside the BMP";
    e.seal();

    Json doc = e.toDocument();
    const std::string wire = doc.canonical();
    // Written as UTF-8 bytes, never as \u escapes or surrogate pairs.
    CHECK(wire.find(kExtB + kWangFang) != std::string::npos);
    CHECK(wire.find(kExtB2) != std::string::npos);
    CHECK(wire.find("\\u") == std::string::npos);

    Event back = Event::fromDocument(Json::parse(wire));
    CHECK(back.body["applicant"].asString() == kExtB + kWangFang);
    CHECK(back.body["comment"].asString() == kExtB2 + " " + kExtB + kExtB2);
    CHECK(back.body[kExtB].asString() == "key outside the BMP");
    CHECK(back.hash == e.hash);
    CHECK(back.hashValid());
    CHECK(back.rev() == e.rev());

    // The same text sent escaped (as another JSON writer may) is the same event.
    std::string escaped = wire;
    const std::string target = kExtB + kWangFang;
    escaped.replace(escaped.find(target), target.size(), "\\ud842\\udfb7\\u738b\\u82b3");
    Event fromEscaped = Event::fromDocument(Json::parse(escaped));
    CHECK(fromEscaped.hash == e.hash);
    CHECK(fromEscaped.body == e.body);
}

TEST_CASE("event: a store assigns gap-free seqs and chains each origin's hashes", "[event]")
{
    std::int64_t now = 1764300000000;
    InMemoryEventStore store("ws_a1", [&] { return now; });
    CHECK(store.origin() == "ws_a1");
    const std::string number = "330102-20261128-000001";

    auto first = store.append({newEvent(EventType::Opened, number, openedBody()),
        newEvent(EventType::Note, number, noteBody("a")), newEvent(EventType::Note, number, noteBody("b"))});
    REQUIRE(first.size() == 3);
    now -= 5000; // the wall clock steps back: seqs and hlcs go on regardless
    auto second = store.append({newEvent(EventType::Note, number, noteBody("c")),
        newEvent("calendar.year_loaded", "", Json::object())});
    REQUIRE(second.size() == 2);

    auto all = store.allEvents();
    REQUIRE(all.size() == 5);
    for (std::size_t i = 0; i < all.size(); ++i) {
        INFO("event " << i);
        const Event& e = all[i];
        CHECK(e.origin == "ws_a1");
        CHECK(e.seq == static_cast<std::int64_t>(i + 1));
        CHECK(e.id() == formatEventId("ws_a1", e.seq));
        CHECK(e.hashValid());
        CHECK(e.hash.size() == 64);
        if (i == 0) {
            CHECK(e.prev.empty());
        } else {
            CHECK(e.prev == all[i - 1].hash);
            CHECK(e.hlc > all[i - 1].hlc);
        }
        // What the store keeps is a valid document.
        CHECK(Event::fromDocument(Json::parse(e.toDocument().canonical())) == e);
    }
    CHECK(first[2].hash == all[2].hash);
    CHECK(second[0].prev == first[2].hash);
    CHECK(store.caseEvents(number).size() == 4);
    CHECK(store.caseEvents("330102-20261128-000999").empty());
    CHECK(store.caseNumbers() == std::vector<std::string>{number});
    CHECK(store.clock().highWater() == all.back().hlc);
}

TEST_CASE("event: a store appends a batch atomically", "[event]")
{
    std::int64_t now = 1764300000000;
    InMemoryEventStore store("ws_a1", [&] { return now; });
    const std::string number = "330102-20261128-000001";
    store.append({newEvent(EventType::Opened, number, openedBody())});
    const auto before = store.findCase(number);
    REQUIRE(before);

    Failure f = failureOf([&] {
        store.append({newEvent(EventType::Note, number, noteBody("kept?")), newEvent("", number),
            newEvent(EventType::Note, number, noteBody("never"))});
    });
    CHECK(describe(f) == "event.invalid type/empty");
    CHECK(store.allEvents().size() == 1);
    CHECK(store.caseEvents(number).size() == 1);
    REQUIRE(store.findCase(number));
    CHECK(store.findCase(number)->toJson() == before->toJson());

    // No seq was burnt by the failed batch, and the chain continues from the last stored event.
    auto next = store.append({newEvent(EventType::Note, number, noteBody("after"))});
    REQUIRE(next.size() == 1);
    CHECK(next[0].seq == 2);
    CHECK(next[0].prev == store.allEvents()[0].hash);

    CHECK(store.append({}).empty());
    CHECK(store.allEvents().size() == 2);
}

TEST_CASE("event: receive() is idempotent and refuses tampered events", "[event]")
{
    std::int64_t nowA = 1764300000000;
    std::int64_t nowB = 1764300000000 - 60000; // B's wall clock is a minute behind
    InMemoryEventStore a("ws_a1", [&] { return nowA; });
    InMemoryEventStore b("ws_b1", [&] { return nowB; });
    const std::string number = "330102-20261128-000001";
    a.append({newEvent(EventType::Opened, number, openedBody()),
        newEvent(EventType::Note, number, noteBody("x"))});

    auto fromA = a.allEvents();
    CHECK(b.receive(fromA) == 2);
    CHECK(b.receive(fromA) == 0);
    CHECK(b.receive({fromA[1], fromA[0], fromA[1]}) == 0);
    CHECK(b.allEvents().size() == 2);
    REQUIRE(b.findCase(number));
    CHECK(b.findCase(number)->toJson().canonical() == a.findCase(number)->toJson().canonical());
    CHECK(b.findCase(number)->eventCount == 2);

    // Received events keep their own origin; B's own writes start B's own chain and are
    // stamped after everything B has seen.
    auto own = b.append({newEvent(EventType::Note, number, noteBody("from b"))});
    REQUIRE(own.size() == 1);
    CHECK(own[0].origin == "ws_b1");
    CHECK(own[0].seq == 1);
    CHECK(own[0].prev.empty());
    CHECK(own[0].hlc > fromA[1].hlc);

    // A tampered event is refused, and nothing of its batch is stored.
    a.append(
        {newEvent(EventType::Note, number, noteBody("y")), newEvent(EventType::Note, number, noteBody("z"))});
    auto more = a.allEvents();
    REQUIRE(more.size() == 4);
    Event tampered = more[3];
    tampered.body["text"] = "forged";
    Failure f = failureOf([&] { b.receive({more[2], tampered}); });
    CHECK(describe(f) == "event.invalid hash/mismatch");
    CHECK(b.allEvents().size() == 3);
    CHECK(b.findCase(number)->notes == 2);

    Event rehashedOnly = more[3];
    rehashedOnly.hash = std::string(64, 'f');
    CHECK(describe(failureOf([&] { b.receive({rehashedOnly}); })) == "event.invalid hash/mismatch");

    // The genuine events still arrive afterwards.
    CHECK(b.receive(more) == 2);
    CHECK(b.findCase(number)->notes == 4);
    CHECK(b.findCase(number)->eventCount == 5);
}

TEST_CASE("event: receive() does not silently keep one of two different events with one id", "[event]")
{
    // A replica restored from a backup that kept its old origin writes a different event
    // under an id that already exists elsewhere. Keeping whichever arrived first, silently,
    // would leave the two stores disagreeing for ever.
    std::int64_t now = 1764300000000;
    InMemoryEventStore a("ws_a1", [&] { return now; });
    InMemoryEventStore b("ws_b1", [&] { return now; });
    const std::string number = "330102-20261128-000001";
    a.append({newEvent(EventType::Opened, number, openedBody()),
        newEvent(EventType::Note, number, noteBody("one"))});
    b.receive(a.allEvents());

    Event other = a.allEvents()[1];
    other.body["text"] = "another text";
    other.seal(); // validly hashed, same id
    REQUIRE(other.id() == a.allEvents()[1].id());
    REQUIRE(other.hash != a.allEvents()[1].hash);

    CHECK_THROWS_AS(b.receive({other}), DomainError);
    CHECK(b.allEvents()[1].hash == a.allEvents()[1].hash);
}

TEST_CASE("event: receive() holds events whose clock is too far ahead", "[event]")
{
    std::int64_t nowA = 1764300000000 + 24 * 3600 * 1000; // A's wall clock is a day fast
    std::int64_t nowB = 1764300000000;
    InMemoryEventStore a("ws_fast", [&] { return nowA; });
    InMemoryEventStore b("ws_true", [&] { return nowB; });
    const std::string number = "330102-20261128-000002";
    a.append({newEvent(EventType::Opened, number, openedBody())});

    auto fromA = a.allEvents();
    CHECK(b.receive(fromA) == 0);
    CHECK(b.heldEvents().size() == 1);
    CHECK_FALSE(b.findCase(number));
    // B's own clock was not dragged a day forward by the held event.
    auto own = b.append({newEvent(EventType::Note, "330102-20261128-000009", noteBody("b"))});
    CHECK(hlcWallMs(own.front().hlc) < nowA - HybridClock::defaultMaxSkewMs);
    // Offered again while still too far ahead: still held, not duplicated.
    CHECK(b.receive(fromA) == 0);
    CHECK(b.releaseHeld() == 0);
    CHECK(b.heldEvents().size() == 1);
    // Once B's wall clock has caught up, the held event applies.
    nowB = nowA;
    CHECK(b.releaseHeld() == 1);
    CHECK(b.heldEvents().empty());
    REQUIRE(b.findCase(number));
    CHECK(b.findCase(number)->status == CaseStatus::Consulting);
}

TEST_CASE("event: documentText is byte-identical to the canonical document", "[event]")
{
    Event e;
    e.origin = "ws01";
    e.seq = 7;
    e.hlc = makeHlc(1764300000000, 3);
    e.type = EventType::Note;
    e.caseNumber = "330102-20261128-000001";
    e.actor = "clerk01";
    e.heads = {"ev-ws01-000000000005", "ev-ws02-000000000002"};
    e.prev = kPrev;
    e.body["text"] = "a \"quoted\" line\nand " + kExtB + " \x01 control";
    e.body["n"] = 42;
    e.seal();
    CHECK(e.documentText() == e.toDocument().canonical());
    Json withoutRevAndHash = e.toDocument();
    withoutRevAndHash.asObject().erase("_rev");
    withoutRevAndHash.asObject().erase("hash");
    CHECK(e.canonicalForHash() == withoutRevAndHash.canonical());
    Json parsed = Json::parse(e.documentText());
    CHECK(Event::fromDocument(parsed).hash == e.hash);
    e.heads.clear();
    e.body = Json::object();
    e.seal();
    CHECK(e.documentText() == e.toDocument().canonical());
}

TEST_CASE("event: sealDocument equals seal() then documentText(), whatever the body says", "[event]")
{
    for (const std::string& text : {std::string("plain"), std::string(",\"heads\":[\"ev-x-000000000001\"]"),
             std::string("\"hash\":\"") + kExtB, std::string("\x01\x02 \\ \"")}) {
        Event e;
        e.origin = "ws01";
        e.seq = 3;
        e.hlc = makeHlc(1764300000000, 1);
        e.type = EventType::Note;
        e.caseNumber = "330102-20261128-000001";
        e.actor = "clerk01";
        e.heads = {"ev-ws01-000000000002"};
        e.prev = kPrev;
        e.body["text"] = text;
        e.body["heads"] = Json::array();
        Event copy = e;
        std::string doc = e.sealDocument();
        copy.seal();
        CHECK(e.hash == copy.hash);
        CHECK(doc == copy.documentText());
        CHECK(doc == copy.toDocument().canonical());
    }
}
