// The CouchDB face of a node without a socket (sync/couch/CouchApi): every endpoint a
// replicator uses, the whole-request faults that change nothing, the per-document faults
// that leave the valid documents stored, and a replication driven through the protocol
// alone (changes, revs_diff, bulk_get, bulk_docs, _local checkpoints) ending in equal
// state-hashes. Runs on the suite's backend.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Json.h"

#include "../db/DbTestSupport.h"
#include "SyncTestSupport.h"
#include "sync/couch/CouchApi.h"
#include "sync/couch/EventJson.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <thread>

using namespace ow;
using namespace ow::model;
using ow::sync::CouchApi;
using ow::sync::HttpRequest;
using ow::sync::HttpResponse;
using ow::sync::StorePool;
using ow::test::TestDatabase;

namespace {

// A window's services on a node's store; each application taken in gets a note too.
struct Desk : ow::test::Desk {
    explicit Desk(model::EventStore& s)
        : ow::test::Desk(s, "W01")
    {
    }
    std::string open(const std::string& name, const std::string& first17)
    {
        const auto c = ow::test::Desk::open(name, first17);
        work.addNote("clerk01", c.number, "电话确认 " + name);
        return c.number;
    }
};

// A node: a database with a pool and the API over it.
struct Node {
    TestDatabase db;
    std::unique_ptr<db::Store> store; // for writing and checking from the test
    std::unique_ptr<StorePool> pool;
    std::unique_ptr<CouchApi> api;

    explicit Node(CouchApi::Options options = {})
    {
        store = db.open();
        store->initialise("330102");
        pool = std::make_unique<StorePool>(db.connection(), 3);
        api = std::make_unique<CouchApi>(*pool, options);
    }

    HttpResponse call(const std::string& method, const std::string& target, const std::string& body = {},
        const std::string& contentType = "application/json")
    {
        HttpRequest r;
        r.method = method;
        r.setTarget(target);
        r.body = body;
        r.contentType = body.empty() ? "" : contentType;
        return api->handle(r);
    }
    Json callJson(
        const std::string& method, const std::string& target, const std::string& body = {}, int expect = 0)
    {
        auto r = call(method, target, body);
        INFO(method << " " << target << " -> " << r.body);
        if (expect)
            CHECK(r.status == expect);
        return Json::parse(r.body);
    }
};

std::string bulk(const std::vector<std::string>& docs, const char* newEdits = "false")
{
    std::string out = "{\"docs\":[";
    for (std::size_t i = 0; i < docs.size(); ++i)
        out += (i ? "," : "") + docs[i];
    return out + "],\"new_edits\":" + newEdits + "}";
}

// Pulls everything new from `source` into `target` through the replication protocol, as
// a CouchDB replicator would; returns the documents written.
std::size_t replicate(Node& source, Node& target, const std::string& repId)
{
    std::int64_t since = 0;
    const Json checkpoint = target.callJson("GET", "/onewindow/_local/" + repId);
    if (checkpoint.getString("error").empty())
        since = checkpoint.getInt("last_seq");
    std::size_t written = 0;
    for (;;) {
        const Json changes = source.callJson(
            "GET", "/onewindow/_changes?style=all_docs&limit=3&since=" + std::to_string(since), {}, 200);
        if (changes["results"].size() == 0)
            break;
        Json diff = Json::object();
        for (const auto& c : changes["results"].asArray())
            diff[c.getString("id")].push_back(c["changes"].asArray()[0]["rev"]);
        const Json missing = target.callJson("POST", "/onewindow/_revs_diff", diff.canonical(), 200);
        if (missing.size() > 0) {
            Json wanted = Json::object();
            for (const auto& [id, m] : missing.asObject())
                for (const auto& rev : m["missing"].asArray()) {
                    Json w = Json::object();
                    w["id"] = id;
                    w["rev"] = rev;
                    wanted["docs"].push_back(w);
                }
            const Json got
                = source.callJson("POST", "/onewindow/_bulk_get?revs=true", wanted.canonical(), 200);
            std::vector<std::string> docs;
            for (const auto& r : got["results"].asArray())
                docs.push_back(r["docs"].asArray()[0]["ok"].canonical());
            const Json errors = target.callJson("POST", "/onewindow/_bulk_docs", bulk(docs), 201);
            CHECK(errors.size() == 0);
            written += docs.size();
        }
        since = changes.getInt("last_seq");
        Json doc = Json::object();
        doc["last_seq"] = since;
        const Json old = target.callJson("GET", "/onewindow/_local/" + repId);
        if (old.getString("error").empty())
            doc["_rev"] = old.getString("_rev");
        target.callJson("PUT", "/onewindow/_local/" + repId, doc.canonical(), 201);
    }
    return written;
}

} // namespace

TEST_CASE("couch api: the welcome, the database's info and what is not there", "[couch]")
{
    Node a;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    const Json welcome = a.callJson("GET", "/", {}, 200);
    CHECK(welcome.getString("couchdb") == "Welcome");
    CHECK(welcome.getString("uuid").size() == 32);
    CHECK(Node().callJson("GET", "/").getString("uuid") != welcome.getString("uuid"));
    const Json info = a.callJson("GET", "/onewindow", {}, 200);
    CHECK(info.getString("db_name") == "onewindow");
    CHECK(info.getInt("doc_count") == a.store->eventCount());
    CHECK(info.getInt("update_seq") == a.store->lastArrival());
    CHECK(a.call("GET", "/other").status == 404);
    CHECK(a.call("PUT", "/onewindow").status == 412);
    CHECK(a.call("DELETE", "/onewindow").status == 403);
    CHECK(a.call("GET", "/onewindow/ev-nobody-000000000001").status == 404);
    CHECK(a.call("GET", "/onewindow/_design/x").status == 404);
    CHECK(a.call("DELETE", "/onewindow/_bulk_docs").status == 405);
    const auto head = a.call("HEAD", "/onewindow");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
}

TEST_CASE("couch api: _changes lists every event once in arrival order, with documents when asked", "[couch]")
{
    Node a;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    desk.open("韩梅梅", "33010219850202124");
    desk.open("王芳", "33010219900303125");
    const auto all = a.store->changesSince(0, 1000);
    const Json changes = a.callJson("GET", "/onewindow/_changes?style=all_docs&include_docs=true", {}, 200);
    REQUIRE(changes["results"].size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Json& row = changes["results"].asArray()[i];
        CHECK(row.getInt("seq") == all[i].arrival);
        CHECK(row.getString("id") == all[i].event.id());
        CHECK(row["changes"].asArray()[0].getString("rev") == all[i].event.rev());
        std::string reason;
        auto back = sync::eventFromDocument(row["doc"], reason);
        REQUIRE(back);
        CHECK(back->hash == all[i].event.hash);
        CHECK(row["doc"]["_revisions"]["start"].asInt() == 1);
    }
    CHECK(changes.getInt("last_seq") == all.back().arrival);
    CHECK(changes.getInt("pending") == 0);
    // since and limit page through it; pending counts what is left.
    const Json page
        = a.callJson("GET", "/onewindow/_changes?since=" + std::to_string(all[0].arrival) + "&limit=2");
    REQUIRE(page["results"].size() == 2);
    CHECK(page["results"].asArray()[0].getInt("seq") == all[1].arrival);
    CHECK(page.getInt("pending") == static_cast<std::int64_t>(all.size()) - 3);
    CHECK(a.callJson("GET", "/onewindow/_changes?since=now")["results"].size() == 0);
    // Only the documents asked for.
    const Json only = a.callJson(
        "POST", "/onewindow/_changes?filter=_doc_ids", "{\"doc_ids\":[\"" + all[2].event.id() + "\"]}", 200);
    REQUIRE(only["results"].size() == 1);
    CHECK(only["results"].asArray()[0].getString("id") == all[2].event.id());
    // Filtered, the limit counts the changes given, as CouchDB's does: pages are looked
    // through until that many are wanted (a peer takes a short page for the end), and
    // last_seq is the last change looked at.
    REQUIRE(all.size() >= 6);
    const std::string wanted = "[%22" + all[3].event.id() + "%22,%22" + all[5].event.id() + "%22]";
    const auto filtered = [&](std::int64_t since) {
        return a.callJson("GET",
            "/onewindow/_changes?filter=_doc_ids&limit=1&doc_ids=" + wanted
                + "&since=" + std::to_string(since));
    };
    const Json first = filtered(0);
    REQUIRE(first["results"].size() == 1);
    CHECK(first["results"].asArray()[0].getString("id") == all[3].event.id());
    CHECK(first.getInt("last_seq") == all[3].arrival);
    const Json second = filtered(first.getInt("last_seq"));
    REQUIRE(second["results"].size() == 1);
    CHECK(second["results"].asArray()[0].getString("id") == all[5].event.id());
    // With their documents, read for the changes kept.
    const Json withDoc
        = a.callJson("GET", "/onewindow/_changes?filter=_doc_ids&include_docs=true&doc_ids=" + wanted);
    REQUIRE(withDoc["results"].size() == 2);
    for (const auto& row : withDoc["results"].asArray()) {
        CHECK(row["doc"].getString("_id") == row.getString("id"));
        CHECK(row["doc"].getString("_rev") == row["changes"].asArray()[0].getString("rev"));
    }
    const Json end = filtered(second.getInt("last_seq"));
    CHECK(end["results"].size() == 0);
    CHECK(end.getInt("last_seq") == all.back().arrival);
    // A filtered longpoll with nothing wanted looks through to the end before it waits.
    const Json waited = a.callJson(
        "GET", "/onewindow/_changes?feed=longpoll&timeout=20&filter=_doc_ids&limit=2&doc_ids=%5B%5D");
    CHECK(waited["results"].size() == 0);
    CHECK(waited.getInt("last_seq") == all.back().arrival);
    // An empty list asks for nothing.
    const Json none = a.callJson("POST", "/onewindow/_changes?filter=_doc_ids", "{\"doc_ids\":[]}", 200);
    CHECK(none["results"].size() == 0);
    CHECK(none.getInt("last_seq") == all.back().arrival);
    // Whole-request faults.
    CHECK(a.call("GET", "/onewindow/_changes?since=-3").status == 400);
    CHECK(a.call("GET", "/onewindow/_changes?limit=abc").status == 400);
    CHECK(a.call("GET", "/onewindow/_changes?feed=continuous").status == 400);
    CHECK(a.call("GET", "/onewindow/_changes?filter=by_centre/x").status == 400);
    // Each refusal names the parameter at fault.
    for (const auto& [query, named] :
        std::vector<std::pair<std::string, std::string>>{{"filter=_doc_ids", "doc_ids"},
            {"filter=_doc_ids&doc_ids=%7B%7D", "doc_ids"}, {"filter=_doc_ids&doc_ids=%5B1%5D", "doc_ids"},
            {"include_docs=yes", "include_docs"}, {"descending=1", "descending"}}) {
        INFO(query);
        const auto refused = a.call("GET", "/onewindow/_changes?" + query);
        CHECK(refused.status == 400);
        CHECK(Json::parse(refused.body).getString("reason").find(named) != std::string::npos);
    }
    CHECK(a.call("POST", "/onewindow/_changes?filter=_doc_ids", "{\"doc_ids\":[\"a\",7]}").status == 400);
    // A reason quoting bytes that are not UTF-8 is still JSON (found by the fuzzer).
    const auto odd = a.call("GET",
        "/onewindow/_changes?filter=_d\x89"
        "c_ids");
    CHECK(odd.status == 400);
    CHECK(Json::parse(odd.body).getString("reason").find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("couch api: a longpoll answers when something arrives, or empty at its timeout", "[couch]")
{
    Node a;
    Desk desk(*a.store);
    const auto quiet = a.call("GET", "/onewindow/_changes?feed=longpoll&timeout=50&since=now");
    CHECK(quiet.status == 200);
    CHECK(Json::parse(quiet.body)["results"].size() == 0);

    const std::int64_t before = a.store->lastArrival();
    HttpResponse woken;
    std::thread waiter([&] {
        woken = a.call(
            "GET", "/onewindow/_changes?feed=longpoll&timeout=30000&since=" + std::to_string(before));
    });
    // Written by another connection: the waiting request finds it on its own, and at
    // once when told.
    desk.open("李雷", "33010219800101123");
    a.api->notifyChanged();
    waiter.join();
    REQUIRE(woken.status == 200);
    CHECK(Json::parse(woken.body)["results"].size() >= 1);

    // since=now is the moment the request arrived: a change made while it waits is what
    // it was waiting for, not a new "now".
    HttpResponse fromNow;
    std::thread listener(
        [&] { fromNow = a.call("GET", "/onewindow/_changes?feed=longpoll&timeout=30000&since=now"); });
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (a.api->counters().longpollsWaiting == 0 && std::chrono::steady_clock::now() < giveUp)
        std::this_thread::yield();
    REQUIRE(a.api->counters().longpollsWaiting == 1);
    desk.open("韩梅梅", "33010219850202124");
    const std::string newest = a.store->changesSince(a.store->lastArrival() - 1, 1).front().event.id();
    a.api->notifyChanged();
    listener.join();
    REQUIRE(fromNow.status == 200);
    const Json heard = Json::parse(fromNow.body);
    REQUIRE(heard["results"].size() >= 1);
    CHECK(heard["results"].asArray().back().getString("id") == newest);
    CHECK(a.api->counters().longpollsWaiting == 0);

    // A stopping node answers waiting longpolls at once, and new ones do not wait.
    HttpResponse stopped;
    std::thread waiting(
        [&] { stopped = a.call("GET", "/onewindow/_changes?feed=longpoll&timeout=600000&since=now"); });
    a.api->shutdown();
    waiting.join();
    CHECK(stopped.status == 200);
    CHECK(a.call("GET", "/onewindow/_changes?feed=longpoll&timeout=600000&since=now").status == 200);
}

TEST_CASE(
    "couch api: _revs_diff names what is missing, including a revision this node does not hold", "[couch]")
{
    Node a;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    const auto first = a.store->changesSince(0, 1).front().event;
    Json diff = Json::object();
    diff[first.id()].push_back(first.rev());
    diff["ev-elsewhere-000000000001"].push_back("1-0123456789abcdef0123456789abcdef");
    diff[first.id()].push_back("1-ffffffffffffffffffffffffffffffff");
    const Json missing = a.callJson("POST", "/onewindow/_revs_diff", diff.canonical(), 200);
    CHECK(missing.size() == 2);
    CHECK(missing[first.id()]["missing"].size() == 1);
    CHECK(missing[first.id()]["missing"].asArray()[0].asString() == "1-ffffffffffffffffffffffffffffffff");
    CHECK(missing.contains("ev-elsewhere-000000000001"));
    CHECK(a.call("POST", "/onewindow/_revs_diff", "{\"x\": 3}").status == 400);
    CHECK(a.call("POST", "/onewindow/_revs_diff", "{not json").status == 400);
}

TEST_CASE("couch api: _bulk_docs stores valid events, reports each bad one, and refuses bad requests whole",
    "[couch]")
{
    Node a;
    Node b;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    desk.open("韩梅梅", "33010219850202124");
    std::vector<std::string> docs;
    for (const auto& c : a.store->changesSince(0, 1000))
        docs.push_back(c.event.documentText());
    REQUIRE(docs.size() >= 3);

    // Whole-request faults: nothing is stored.
    CHECK(b.call("POST", "/onewindow/_bulk_docs", "{\"docs\":[").status == 400);
    CHECK(b.call("POST", "/onewindow/_bulk_docs", bulk(docs, "true")).status == 400);
    CHECK(b.call("POST", "/onewindow/_bulk_docs", "{\"docs\":" + docs[0] + "}").status == 400);
    CHECK(b.call("POST", "/onewindow/_bulk_docs", bulk(docs), "text/plain").status == 415);
    CHECK(b.call("POST", "/onewindow/_bulk_docs", "[1,2,3]").status == 400);
    CHECK(b.call("POST", "/onewindow/_bulk_docs", "{\"docs\":[],\"new_edits\":false} \xff").status == 400);
    {
        Node small(CouchApi::Options{"onewindow", "", 1000});
        const auto r = small.call("POST", "/onewindow/_bulk_docs", bulk(docs));
        CHECK(r.status == 413);
        CHECK(small.store->eventCount() == 0);
    }
    CHECK(b.store->eventCount() == 0);

    // A batch with bad documents among good ones: the good ones are stored.
    Json tampered = Json::parse(docs[1]);
    tampered["actor"] = "mallory";
    Json deleted = Json::parse(docs[2]);
    deleted["_deleted"] = true;
    std::vector<std::string> mixed
        = {docs[0], tampered.canonical(), deleted.canonical(), "42", "{\"_id\":\"x\",\"type\":\"case.note\"}",
            "{\"_id\":\"y\",\"_rev\":{},\"_revisions\":{}}"}; // the last found by the fuzzer
    for (std::size_t i = 3; i < docs.size(); ++i)
        mixed.push_back(docs[i]);
    const Json errors = b.callJson("POST", "/onewindow/_bulk_docs", bulk(mixed), 201);
    REQUIRE(errors.size() == 5);
    CHECK(errors.asArray()[0].getString("id") == tampered.getString("_id"));
    CHECK(errors.asArray()[0].getString("error") == "forbidden");
    CHECK(errors.asArray()[0].getString("reason").find("hash") != std::string::npos);
    CHECK(errors.asArray()[1].getString("reason").find("_deleted") != std::string::npos);
    CHECK(errors.asArray()[2].getString("reason").find("not an object") != std::string::npos);
    // The first is applied; the later ones of its origin wait for the two refused.
    CHECK(b.store->eventCount() == 1);
    CHECK(b.store->heldEvents().size() == docs.size() - 3);
    // A different event under the id of a held one, sent with a good one of another origin:
    // the conflict is named, the good one stored, the held one kept as it was.
    Event rival = Event::fromDocument(Json::parse(docs[3]));
    rival.actor = "someone";
    rival.seal();
    Node c;
    Desk(*c.store).open("王芳", "33010219900303125");
    const std::string good = c.store->changesSince(0, 1).at(0).event.documentText();
    const Json rivalErrors
        = b.callJson("POST", "/onewindow/_bulk_docs", bulk({rival.documentText(), good}), 201);
    REQUIRE(rivalErrors.size() == 1);
    CHECK(rivalErrors.asArray()[0].getString("id") == rival.id());
    CHECK(rivalErrors.asArray()[0].getString("error") == "conflict");
    CHECK(b.store->eventCount() == 2);
    CHECK(b.store->heldEvents().size() == docs.size() - 3);
    // Sent again correctly, everything applies, and sending twice changes nothing.
    CHECK(b.callJson("POST", "/onewindow/_bulk_docs", bulk(docs), 201).size() == 0);
    CHECK(b.callJson("POST", "/onewindow/_bulk_docs", bulk(docs), 201).size() == 0);
    CHECK(b.store->eventCount() == static_cast<std::int64_t>(docs.size()) + 1);
    CHECK(b.store->heldEvents().empty());
    CHECK(b.callJson("POST", "/onewindow/_bulk_docs", bulk({good}), 201).size() == 0);
    REQUIRE(a.store->receive({Event::fromDocument(Json::parse(good))}) == 1);
    CHECK(b.store->stateHash() == a.store->stateHash());
    // Another event under an id that is stored: a conflict, named.
    Event forged = Event::fromDocument(Json::parse(docs[0]));
    forged.actor = "someone";
    forged.seal();
    const Json conflict = b.callJson("POST", "/onewindow/_bulk_docs", bulk({forged.documentText()}), 201);
    REQUIRE(conflict.size() == 1);
    CHECK(conflict.asArray()[0].getString("error") == "conflict");
    // An event under B's own origin that B never wrote: forged, refused.
    Event own = Event::fromDocument(Json::parse(docs[0]));
    own.origin = b.store->origin();
    own.seq = 1000;
    own.prev = std::string(64, 'a');
    own.seal();
    const Json forgedOwn = b.callJson("POST", "/onewindow/_bulk_docs", bulk({own.documentText()}), 201);
    REQUIRE(forgedOwn.size() == 1);
    INFO(forgedOwn.canonical());
    CHECK(forgedOwn.asArray()[0].getString("reason").find("origin") != std::string::npos);
    CHECK(b.store->heldEvents().empty());
    CHECK(b.store->verify().ok());
}

TEST_CASE("couch api: request bodies read as model::Json reads them: a repeated key refused, a big integer a "
          "double, an underflow or nesting past the limit refused",
    "[couch]")
{
    using ow::test::errorCode;
    const auto nested
        = [](std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); };
    const auto reason = [](const std::function<void()>& parse) {
        try {
            parse();
        } catch (const ow::model::DomainError& e) {
            return e.code() + " " + e.fact("reason");
        }
        return std::string("read");
    };
    const auto kMax = static_cast<std::size_t>(Json::kMaxDepth);
    // Both parsers refuse the same texts, with the same code.
    for (const std::string text :
        {"{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"\\u0062\":2}}", "[1e400]", "{\"a\":"}) {
        INFO(text);
        CHECK(errorCode([&] { Json::parse(text); }) == "json.parse");
        CHECK(errorCode([&] { ow::sync::parseJsonFast(text); }) == "json.parse");
    }
    // At the edges of what simdjson reads (a number too small for a double, a malformed
    // number, nesting past the model's limit) also with the same reason.
    for (const std::string& text : std::vector<std::string>{"[1e-400]", "[0.0000000001e-320]", "[01]",
             nested(kMax + 1), "{\"a\":" + nested(kMax) + "}", nested(2000)}) {
        INFO(text);
        const std::string modelReason = reason([&] { Json::parse(text); });
        CHECK(modelReason.rfind("json.parse ", 0) == 0);
        CHECK(reason([&] { ow::sync::parseJsonFast(text); }) == modelReason);
    }
    // And read the same value from the others, integers beyond the 64-bit ranges as doubles.
    for (const std::string& text : std::vector<std::string>{"[18446744073709551615]",
             "[9223372036854775807,-9223372036854775808]", "{\"b\":[true,null,\"\\u00e9\"],\"a\":0.5}",
             "[9223372036854775808]", "[18446744073709551616]", "[-9223372036854775809]",
             "[123456789012345678901234567890]", "[0.0,-0.0,4.9e-324]", nested(kMax)}) {
        INFO(text);
        CHECK(ow::sync::parseJsonFast(text) == Json::parse(text));
    }
    CHECK(ow::sync::parseJsonFast("[18446744073709551615]").asArray()[0].isDouble());
    CHECK(ow::sync::parseJsonFast("[18446744073709551616]").asArray()[0].isDouble());

    // A batch whose body repeats a key is refused whole, and nothing is stored.
    Node a;
    Node b;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    std::vector<std::string> docs;
    for (const auto& c : a.store->changesSince(0, 1000))
        docs.push_back(c.event.documentText());
    REQUIRE(!docs.empty());
    std::string repeated = docs[0];
    repeated.insert(1, "\"actor\":\"mallory\",");
    const auto r = b.call("POST", "/onewindow/_bulk_docs", bulk({repeated}));
    CHECK(r.status == 400);
    CHECK(r.body.find("duplicate_key") != std::string::npos);
    CHECK(b.store->eventCount() == 0);
    CHECK(b.callJson("POST", "/onewindow/_bulk_docs", bulk(docs), 201).size() == 0);
    CHECK(b.store->stateHash() == a.store->stateHash());
}

TEST_CASE("couch api: _bulk_get and open_revs give the documents with their one revision", "[couch]")
{
    Node a;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    const auto e = a.store->changesSince(0, 1).front().event;
    const Json got = a.callJson("POST", "/onewindow/_bulk_get?revs=true",
        "{\"docs\":[{\"id\":\"" + e.id() + "\",\"rev\":\"" + e.rev()
            + "\"},{\"id\":\"ev-x-000000000001\"},{\"id\":\"" + e.id() + "\",\"rev\":\"1-00\"}]}",
        200);
    REQUIRE(got["results"].size() == 3);
    const Json& ok = got["results"].asArray()[0]["docs"].asArray()[0]["ok"];
    CHECK(ok.getString("_rev") == e.rev());
    CHECK(ok["_revisions"]["ids"].asArray()[0].asString() == e.rev().substr(2));
    CHECK(got["results"].asArray()[1]["docs"].asArray()[0]["error"].getString("error") == "not_found");
    CHECK(got["results"].asArray()[2]["docs"].asArray()[0]["error"].getString("error") == "not_found");

    const Json open = a.callJson(
        "GET", "/onewindow/" + e.id() + "?revs=true&open_revs=[\"" + e.rev() + "\",\"1-aa\"]", {}, 200);
    REQUIRE(open.size() == 2);
    CHECK(open.asArray()[0]["ok"].getString("_id") == e.id());
    CHECK(open.asArray()[1].getString("missing") == "1-aa");
    const Json plain = a.callJson("GET", "/onewindow/" + e.id(), {}, 200);
    CHECK(plain.getString("hash") == e.hash);
    CHECK(a.call("GET", "/onewindow/" + e.id() + "?rev=1-00").status == 404);
    CHECK(a.call("PUT", "/onewindow/" + e.id(), "{}").status == 403);
    CHECK(a.call("GET", "/onewindow/" + e.id() + "?open_revs=[oops").status == 400);
    // A rev that is not a string is the request's fault, not the server's.
    const auto revNumber
        = a.call("POST", "/onewindow/_bulk_get", "{\"docs\":[{\"id\":\"" + e.id() + "\",\"rev\":5}]}");
    CHECK(revNumber.status == 400);
    CHECK(revNumber.body.find("rev") != std::string::npos);
}

TEST_CASE("couch api: _all_docs lists the events by id, with documents when asked", "[couch]")
{
    Node a;
    Desk desk(*a.store);
    desk.open("李雷", "33010219800101123");
    desk.open("韩梅梅", "33010219850202124");
    const Json all = a.callJson("GET", "/onewindow/_all_docs?include_docs=true", {}, 200);
    REQUIRE(all["rows"].size() == static_cast<std::size_t>(a.store->eventCount()));
    CHECK(all.getInt("total_rows") == a.store->eventCount());
    std::string previous;
    for (const auto& row : all["rows"].asArray()) {
        CHECK(row.getString("id") > previous);
        previous = row.getString("id");
        CHECK(row["doc"].getString("_id") == row.getString("id"));
        CHECK(row["value"].getString("rev") == row["doc"].getString("_rev"));
    }
    const Json page = a.callJson("GET", "/onewindow/_all_docs?skip=1&limit=2", {}, 200);
    REQUIRE(page["rows"].size() == 2);
    CHECK(page["rows"].asArray()[0].getString("id") == all["rows"].asArray()[1].getString("id"));
    const Json keyed = a.callJson(
        "POST", "/onewindow/_all_docs", "{\"keys\":[\"" + previous + "\",\"ev-none-000000000001\"]}", 200);
    REQUIRE(keyed["rows"].size() == 2);
    CHECK(keyed["rows"].asArray()[1].getString("error") == "not_found");
    // An empty list of keys asks for nothing; ranges and orders are refused, not ignored.
    CHECK(a.callJson("POST", "/onewindow/_all_docs", "{\"keys\":[]}", 200)["rows"].size() == 0);
    for (const std::string query :
        {"startkey=%22ev-%22", "endkey=%22ev-%22", "key=%22ev-%22", "descending=true", "include_docs=yes"}) {
        INFO(query);
        const auto refused = a.call("GET", "/onewindow/_all_docs?" + query);
        CHECK(refused.status == 400);
        CHECK(Json::parse(refused.body).getString("reason").find(query.substr(0, query.find('=')))
            != std::string::npos);
    }
}

TEST_CASE("couch api: _local checkpoint documents keep their own revisions", "[couch]")
{
    Node a;
    CHECK(a.call("GET", "/onewindow/_local/rep1").status == 404);
    const Json made = a.callJson("PUT", "/onewindow/_local/rep1", "{\"last_seq\":5}", 201);
    CHECK(made.getString("rev") == "0-1");
    const Json read = a.callJson("GET", "/onewindow/_local/rep1", {}, 200);
    CHECK(read.getInt("last_seq") == 5);
    CHECK(read.getString("_id") == "_local/rep1");
    // An update must name the revision it read.
    CHECK(a.call("PUT", "/onewindow/_local/rep1", "{\"last_seq\":6}").status == 409);
    CHECK(
        a.callJson("PUT", "/onewindow/_local/rep1", "{\"last_seq\":6,\"_rev\":\"0-1\"}", 201).getString("rev")
        == "0-2");
    CHECK(a.call("PUT", "/onewindow/_local/rep1", "[]").status == 400);
    // A _rev that is not a string (found by the fuzzer: it ended in a 500).
    const auto revArray = a.call("PUT", "/onewindow/_local/rep1", "{\"_rev\":[1],\"last_seq\":7}");
    CHECK(revArray.status == 400);
    CHECK(revArray.body.find("_rev") != std::string::npos);
    CHECK(a.callJson("GET", "/onewindow/_local/rep1", {}, 200).getInt("last_seq") == 6);
    CHECK(a.call("PUT", "/onewindow/_local/re\x8a\x8a", "{\"a\":3}").status == 400); // found by the fuzzer
    CHECK(a.call("DELETE", "/onewindow/_local/rep1").status == 200);
    CHECK(a.call("GET", "/onewindow/_local/rep1").status == 404);
    CHECK(a.call("POST", "/onewindow/_ensure_full_commit").status == 201);
}

TEST_CASE("couch api: two nodes replicate through the protocol alone to the same state, resuming from "
          "their checkpoint",
    "[couch]")
{
    Node a;
    Node b;
    Desk deskA(*a.store);
    Desk deskB(*b.store);
    deskA.open("李雷", "33010219800101123");
    deskA.open("韩梅梅", "33010219850202124");
    deskB.open("王芳", "33010219900303125");
    const auto firstPull = replicate(a, b, "a-to-b");
    CHECK(firstPull == static_cast<std::size_t>(a.store->eventCount()));
    replicate(b, a, "b-to-a");
    CHECK(a.store->stateHash() == b.store->stateHash());
    CHECK(a.store->eventCount() == b.store->eventCount());
    // Later work moves only what is new.
    const auto before = a.store->eventCount();
    deskA.open("赵敏", "33010219950404126");
    CHECK(replicate(a, b, "a-to-b") == static_cast<std::size_t>(a.store->eventCount() - before));
    CHECK(replicate(b, a, "b-to-a") == 0); // b's changes since its checkpoint came from a
    CHECK(a.store->stateHash() == b.store->stateHash());
    CHECK(a.store->verify().ok());
    CHECK(b.store->verify().ok());
}

TEST_CASE("couch api: the writer connection goes to requests in the order they took their turns; a dropped "
          "turn passes on",
    "[couch]")
{
    Node node;
    auto first = node.pool->writerTurn();
    auto dropped = std::make_unique<StorePool::WriterTurn>(node.pool->writerTurn());
    auto third = node.pool->writerTurn();
    std::atomic<bool> firstDone{false};
    std::atomic<bool> thirdSawFirstDone{false};
    db::Store* thirdStore = nullptr;
    std::thread waiter([&] {
        thirdStore = &third.store(); // blocks until the first turn ended
        thirdSawFirstDone = firstDone.load();
    });
    dropped.reset(); // before its turn came: skipped when it comes
    db::Store& writer = first.store();
    CHECK(writer.eventCount() == 0);
    firstDone = true;
    {
        auto done = std::move(first);
    } // the first turn ends here
    waiter.join();
    CHECK(thirdSawFirstDone);
    CHECK(thirdStore == &writer);
    // Turns keep coming after the third ended.
    {
        auto t = std::move(third);
    }
    auto fourth = node.pool->writerTurn();
    CHECK(&fourth.store() == &writer);
}
