// The HTTP transport in process, as Poco's own tests do it: nodes served by HttpServer on
// free loopback ports, reached through HttpEndpoint. Replication both ways with the
// checkpoints on both sides, a side restored from an older checkpoint, the errors a
// caller must tell apart (down, refused, unreadable), limits, an aborted longpoll, a
// keep-alive connection the server closed; and onewindowd's configuration file.
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Json.h"

#include "../db/DbTestSupport.h"
#include "sync/Replicator.h"
#include "sync/couch/CouchApi.h"
#include "sync/daemon/DaemonConfig.h"
#include "sync/daemon/Health.h"
#include "sync/net/HttpEndpoint.h"
#include "sync/net/HttpServer.h"
#include "sync/net/NetSupport.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace ow;
using model::DomainError;
using model::Json;
using ow::sync::HttpEndpoint;
using ow::sync::HttpServer;
using ow::test::TestDatabase;

namespace {

// A node: a database with reference data, the CouchDB API over a pool, served on loopback.
struct NetNode {
    TestDatabase db;
    std::unique_ptr<db::Store> store;
    std::unique_ptr<sync::StorePool> pool;
    std::unique_ptr<sync::CouchApi> api;
    std::unique_ptr<HttpServer> server;

    explicit NetNode(const std::string& centre, std::vector<HttpServer::Account> accounts = {},
        std::size_t maxBody = 1 << 20)
    {
        store = db.open();
        store->initialise(centre);
        pool = std::make_unique<sync::StorePool>(db.connection(), 2);
        sync::CouchApi::Options couch;
        couch.maxBodyBytes = maxBody;
        couch.maxLongpoll = std::chrono::milliseconds(3000);
        api = std::make_unique<sync::CouchApi>(*pool, couch);
        HttpServer::Options options;
        options.listen = "127.0.0.1:0";
        options.accounts = std::move(accounts);
        options.maxBodyBytes = maxBody;
        options.keepAlive = std::chrono::seconds(1);
        server = std::make_unique<HttpServer>(*api, options);
        server->start();
    }
    ~NetNode() { server->stop(); }

    HttpEndpoint::Options peer(const std::string& user = {}, const std::string& password = {}) const
    {
        HttpEndpoint::Options o;
        o.url = server->url();
        o.user = user;
        o.password = password;
        return o;
    }
};

std::string codeOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const DomainError& e) {
        return e.code();
    }
    return {};
}

std::string writeFile(const std::string& name, const std::string& text)
{
    std::filesystem::create_directories(ow::test::testFolder());
    const std::string path = ow::test::testFolder() + "/" + name;
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("net: percent-encoding, URLs without credentials, secrets compared whole", "[net]")
{
    CHECK(sync::percentEncode("replication/a->b c") == "replication%2Fa-%3Eb%20c");
    CHECK(sync::percentEncode("ev-330102_x.1~") == "ev-330102_x.1~");
    CHECK(sync::redactUrl("https://gongshu:s3cret@xihu.example:6984/x") == "https://xihu.example:6984/x");
    CHECK(sync::redactUrl("http://127.0.0.1:5984") == "http://127.0.0.1:5984");
    CHECK(sync::secretsEqual("correct horse", "correct horse"));
    CHECK_FALSE(sync::secretsEqual("correct horse", "correct hors"));
    CHECK_FALSE(sync::secretsEqual("", "x"));
    CHECK(sync::isLoopbackHost("127.0.0.1"));
    CHECK(sync::isLoopbackHost("127.8.9.10"));
    CHECK(sync::isLoopbackHost("[::1]"));
    CHECK(sync::isLoopbackHost("LOCALHOST"));
    CHECK_FALSE(sync::isLoopbackHost("0.0.0.0"));
    CHECK_FALSE(sync::isLoopbackHost("10.1.2.3"));
}

TEST_CASE("net: plain HTTP and open access are refused off loopback", "[net]")
{
    HttpServer::Options o;
    o.listen = "0.0.0.0:0";
    o.accounts = {{"centre_b", "pw"}};
    CHECK(codeOf([&] { HttpServer::checkOptions(o); }) == "sync.plain_http_refused");
    o.allowPlainHttp = true;
    CHECK(codeOf([&] { HttpServer::checkOptions(o); }).empty());
    o.accounts.clear();
    CHECK(codeOf([&] { HttpServer::checkOptions(o); }) == "sync.open_access_refused");
    o.listen = "127.0.0.1:0";
    o.allowPlainHttp = false;
    CHECK(codeOf([&] { HttpServer::checkOptions(o); }).empty());

    HttpEndpoint::Options p;
    p.url = "http://10.1.2.3:5984";
    CHECK(codeOf([&] { HttpEndpoint e(p); }) == "sync.peer_url");
    p.allowPlainHttp = true;
    CHECK(codeOf([&] { HttpEndpoint e(p); }).empty());
    p.url = "https://10.1.2.3:6984";
    CHECK(codeOf([&] { HttpEndpoint e(p); }) == "sync.peer_url"); // no pinned CA
    p.url = "http://user:pw@127.0.0.1:5984";
    CHECK(codeOf([&] { HttpEndpoint e(p); }) == "sync.peer_url"); // credentials in the URL
}

TEST_CASE("net: two nodes replicate both ways, checkpoints kept on both sides", "[net]")
{
    NetNode a("330102");
    NetNode b("330103", {{"centre_a", "pw-a"}});
    a.store->putCatalogue(model::fullDemoCatalogue(), "admin");
    REQUIRE(a.store->lastArrival() > 20);

    HttpEndpoint toB(b.peer("centre_a", "pw-a"));
    sync::StoreEndpoint local(*a.store);
    sync::Replicator replicator(7); // several batches
    replicator.setCheckpointBothSides(true);

    auto pushed = replicator.replicate(local, toB);
    CHECK(pushed.stored == static_cast<std::size_t>(a.store->lastArrival()));
    CHECK(b.store->eventCount() == a.store->eventCount());
    CHECK(b.store->stateHash() == a.store->stateHash());
    const std::string key = sync::Replicator::checkpointKey(local, toB);
    CHECK(key == "replication/" + a.store->origin() + "->" + toB.id());
    CHECK(toB.checkpoint(key) == a.store->lastArrival());
    CHECK(local.checkpoint(key) == a.store->lastArrival());

    // Written on B, pulled to A through the same endpoint.
    b.store->putCentreSetup(model::demoCategories(), model::demoWindows(), "admin");
    auto pulled = replicator.replicate(toB, local);
    CHECK(pulled.stored > 0);
    CHECK(a.store->eventCount() == b.store->eventCount());
    const std::string back = sync::Replicator::checkpointKey(toB, local);
    CHECK(toB.checkpoint(back) == b.store->lastArrival());
    CHECK(local.checkpoint(back) == b.store->lastArrival());

    // Nothing new: nothing sent either way.
    CHECK(replicator.replicate(local, toB).sent == 0);
    CHECK(replicator.replicate(toB, local).sent == 0);

    SECTION("a side restored to an older checkpoint makes the pass start there, sending nothing twice")
    {
        toB.setCheckpoint(key, 3);
        auto again = replicator.replicate(local, toB);
        CHECK(again.fromCursor == 3);
        CHECK(again.read == static_cast<std::size_t>(a.store->lastArrival() - 3));
        CHECK(again.sent == 0);
        CHECK(toB.checkpoint(key) == a.store->lastArrival());
    }
    SECTION("the workstation's default still trusts the target's checkpoint alone")
    {
        toB.setCheckpoint(key, 3);
        sync::Replicator targetOnly(7);
        auto again = targetOnly.replicate(local, toB);
        CHECK(again.fromCursor == 3); // the target's
        local.setCheckpoint(key, 1);
        CHECK(targetOnly.replicate(local, toB).fromCursor == a.store->lastArrival());
    }
}

TEST_CASE(
    "net: a push closes its extra connections when the pass ends, so the peer's threads are not held idle",
    "[net]")
{
    NetNode a("330102");
    NetNode b("330103");
    // B keeps an idle connection open for a minute; each open connection holds one of its
    // server threads.
    b.server->stop();
    HttpServer::Options options;
    options.listen = "127.0.0.1:0";
    options.keepAlive = std::chrono::seconds(60);
    b.server = std::make_unique<HttpServer>(*b.api, options);
    b.server->start();
    a.store->putCatalogue(model::fullDemoCatalogue(), "admin");

    HttpEndpoint toB(b.peer());
    sync::StoreEndpoint local(*a.store);
    sync::Replicator replicator(7);
    replicator.setBatchesInFlight(2); // as onewindowd pushes: two connections besides its own
    const auto waitForOneConnection = [&] {
        const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (b.server->counters().connections > 1 && std::chrono::steady_clock::now() < giveUp)
            std::this_thread::yield();
        return b.server->counters().connections;
    };
    const auto pushed = replicator.replicate(local, toB);
    REQUIRE(pushed.batches >= 3);
    CHECK(b.store->stateHash() == a.store->stateHash());
    // The endpoint's own connection stays for the next pass; the two it pushed over close.
    CHECK(waitForOneConnection() == 1);

    // The next pass connects them again.
    a.store->putCentreSetup(model::demoCategories(), model::demoWindows(), "admin");
    const auto again = replicator.replicate(local, toB);
    CHECK(again.batches >= 2);
    CHECK(b.store->stateHash() == a.store->stateHash());
    CHECK(waitForOneConnection() == 1);
}

TEST_CASE("net: a caller tells a peer that is down from one that refused", "[net]")
{
    NetNode b("330103", {{"centre_a", "pw-a"}});
    HttpEndpoint wrong(b.peer("centre_a", "not-it"));
    CHECK(codeOf([&] { wrong.changesSince(0, 10); }) == "sync.unauthorized");
    HttpEndpoint anonymous(b.peer());
    CHECK(codeOf([&] { anonymous.id(); }) == "sync.unauthorized");
    const auto reply = anonymous.exchange("GET", "/onewindow");
    CHECK(reply.status == 401);
    CHECK(Json::parse(reply.body).getString("error") == "unauthorized");

    HttpEndpoint good(b.peer("centre_a", "pw-a"));
    CHECK(codeOf([&] { good.exchange("GET", "/"); }).empty());
    CHECK(good.exchange("GET", "/nope").status == 404);
    CHECK(codeOf([&] { good.checkpoint("replication/x->y"); }).empty());

    const std::string url = b.server->url();
    b.server->stop();
    HttpEndpoint::Options o;
    o.url = url;
    o.connectTimeout = std::chrono::milliseconds(2000);
    HttpEndpoint down(o);
    CHECK(codeOf([&] { down.info(); }) == "sync.unreachable");
    // A connection that was open when the server went away: unreachable too.
    CHECK(codeOf([&] { good.info(); }) == "sync.unreachable");
    b.server->start(); // for the destructor's stop
}

TEST_CASE("net: bodies over the limit are refused unread, malformed ones change nothing", "[net]")
{
    NetNode b("330103", {}, 64 * 1024);
    HttpEndpoint peer(b.peer());
    const std::string big
        = "{\"docs\":[],\"new_edits\":false,\"pad\":\"" + std::string(200 * 1024, 'x') + "\"}";
    auto reply = peer.exchange("POST", "/onewindow/_bulk_docs", &big);
    CHECK(reply.status == 413);
    CHECK(Json::parse(reply.body).getString("error") == "too_large");
    // The connection was closed after the 413; the next request gets a fresh one.
    const std::string malformed = "{\"docs\":[{\"_id\":1,}],\"new_edits\":false}";
    reply = peer.exchange("POST", "/onewindow/_bulk_docs", &malformed);
    CHECK(reply.status == 400);
    CHECK(b.store->eventCount() == 0);
    CHECK(b.server->counters().tooLarge == 1);
}

TEST_CASE("net: a refused document is an error of the push naming it; the valid ones are stored", "[net]")
{
    NetNode a("330102");
    NetNode b("330103");
    a.store->putCatalogue(model::demoCatalogue(), "admin");
    auto changes = a.store->changesSince(0, 3);
    REQUIRE(changes.size() == 3);
    std::vector<model::Event> events;
    for (auto& c : changes)
        events.push_back(c.event);
    events[2].body["tampered"] = true; // its hash no longer matches
    HttpEndpoint peer(b.peer());
    try {
        peer.receive(events);
        FAIL("the push did not fail");
    } catch (const DomainError& e) {
        CHECK(e.code() == "sync.document_refused");
        CHECK(e.fact("id") == events[2].id());
        CHECK(e.fact("reason").find("hash") != std::string::npos);
    }
    CHECK(b.store->eventCount() == 2);
}

TEST_CASE("net: abort ends a request in flight at once; a closed keep-alive connection is reopened", "[net]")
{
    NetNode b("330103");
    HttpEndpoint peer(b.peer());
    const auto since = std::to_string(b.store->lastArrival());
    CHECK(peer.exchange("GET", "/").status == 200);

    // The server closes idle connections after a second: the next request finds its
    // connection gone and goes out again on a fresh one.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(peer.exchange("GET", "/onewindow").status == 200);

    auto longpoll = std::async(std::launch::async, [&] {
        return codeOf(
            [&] { peer.exchange("GET", "/onewindow/_changes?feed=longpoll&timeout=3000&since=" + since); });
    });
    const auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    peer.abort();
    CHECK(longpoll.get() == "sync.unreachable");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
    CHECK(codeOf([&] { peer.info(); }) == "sync.unreachable"); // and every later one
}

TEST_CASE("daemon: the example configuration loads; a misspelt key is refused", "[net]")
{
    const auto c = sync::daemon::loadConfig(std::string(OW_SOURCE_DIR) + "/installer/onewindowd.ini");
    CHECK(c.centre == "330105");
    CHECK(c.listen == "0.0.0.0:6984");
    CHECK(c.interval == std::chrono::milliseconds(5000));
    CHECK(c.watchInterval == std::chrono::milliseconds(250));
    REQUIRE(c.peers.size() == 2);
    CHECK(c.accounts.size() == 2);
    CHECK(c.defaultCaFile == "/etc/onewindow/tls/centre-ca.pem");

    const auto typo
        = writeFile("typo.ini", "[node]\ndatabase = sqlite3://db=x.db\n[server]\nalow_plain_http = true\n");
    try {
        sync::daemon::loadConfig(typo);
        FAIL("a misspelt key was taken");
    } catch (const DomainError& e) {
        CHECK(e.code() == "daemon.config");
        CHECK(e.fact("key") == "server.alow_plain_http");
    }

    // The command line over the file; peers and accounts add up; a peer's CA defaults
    // to [replication] ca; relative files are the file's folder's.
    const auto file = writeFile("node.ini",
        "# comment\n[node]\ndatabase = sqlite3://db=x.db\ncentre = 330102\n[replication]\ninterval = 0.5\n"
        "ca = ca.pem\n[peer.b]\nurl = https://b.example:6984\nuser = a\npassword_file = b.pw\n"
        "[account.b]\npassword_file = /etc/b.pw\n");
    sync::daemon::Overrides o;
    o.configFile = file;
    o.listen = "127.0.0.1:0";
    o.peers = {"http://127.0.0.1:7000"};
    o.accounts = {"c:/etc/c.pw"};
    const auto built = sync::daemon::buildConfig(o);
    CHECK(built.listen == "127.0.0.1:0");
    CHECK(built.interval == std::chrono::milliseconds(500));
    REQUIRE(built.peers.size() == 2);
    CHECK(built.peers[0].caFile == ow::test::testFolder() + "/ca.pem");
    CHECK(built.peers[0].passwordFile == ow::test::testFolder() + "/b.pw");
    CHECK(built.peers[1].name == "peer1");
    REQUIRE(built.accounts.size() == 2);
    CHECK(built.accounts[1].name == "c");

    o = {};
    CHECK(codeOf([&] { sync::daemon::buildConfig(o); }) == "daemon.config"); // no database
    o.database = "sqlite3://db=x.db";
    o.centre = "33010";
    CHECK(codeOf([&] { sync::daemon::buildConfig(o); }) == "daemon.config"); // five digits
}

TEST_CASE("daemon: health and metrics report each peer's lag and errors", "[net]")
{
    sync::daemon::NodeSnapshot node;
    node.centre = "330102";
    node.origin = "n1";
    node.events = 120;
    sync::daemon::PeerStatus p;
    p.name = "xihu";
    p.url = "https://xihu.example:6984";
    p.pushCursor = 100;
    p.pullCursor = 40;
    p.peerUpdateSeq = 45;
    p.lastError = "push: sync.unreachable (peer=https://xihu.example:6984, reason=Connection refused)";
    node.peers.push_back(p);
    const Json health = Json::parse(sync::daemon::healthJson(node));
    CHECK(health.getString("status") == "degraded");
    CHECK(health["peers"].asArray()[0].getInt("lag_push") == 20);
    CHECK(health["peers"].asArray()[0].getInt("lag_pull") == 5);
    CHECK(health["peers"].asArray()[0]["last_pull"].isNull());
    const std::string metrics = sync::daemon::metricsText(node);
    CHECK(metrics.find("onewindow_peer_lag_events{peer=\"xihu\",url=\"https://"
                       "xihu.example:6984\",direction=\"push\"} 20\n")
        != std::string::npos);
    CHECK(metrics.find("onewindow_events{centre=\"330102\",origin=\"n1\"} 120\n") != std::string::npos);
}
