// TLS between centres, the negative cases: a peer whose certificate is signed by another
// CA, self-signed, expired, not yet valid or issued for another host; a server that
// presents no certificate at all; a client without the centre CA; a plain-HTTP client
// talking to a TLS server; and server configurations that cannot serve TLS (missing,
// malformed or mismatched certificate and key). Every one is refused with its stable
// error code and a reason a person can act on, before any request (and so any password)
// crosses the connection, and nothing is stored. The certificates are made by the openssl
// command in the test's own folder (the test is skipped without it).
#include "model/Error.h"
#include "model/Event.h"
#include "model/Json.h"

#include "../db/DbTestSupport.h"
#include "sync/couch/CouchApi.h"
#include "sync/net/HttpEndpoint.h"
#include "sync/net/HttpServer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

using namespace ow;
using model::DomainError;
using ow::sync::HttpEndpoint;
using ow::sync::HttpServer;
using ow::test::TestDatabase;

namespace {

std::string lowerCase(std::string s)
{
    std::transform(
        s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}

// The throwaway PKI: the centre CA, another CA, and server certificates of every kind,
// all for the key server.key unless said otherwise.
struct Pki {
    std::string dir;
    std::string error; // why it could not be made, "" when it was

    Pki()
    {
        dir = ow::test::testFolder() + "/tls";
        std::filesystem::create_directories(dir);
        if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
            error = "the openssl command is not installed";
            return;
        }
        const std::string script = R"(set -e
cd ")" + dir + R"("
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=OneWindow test centre CA" -keyout ca.key -out ca.pem
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=OneWindow other CA" -keyout other-ca.key -out other-ca.pem
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
openssl req -newkey rsa:2048 -nodes -subj "/CN=peer.example" -keyout elsewhere.key -out elsewhere.csr
printf 'subjectAltName=IP:127.0.0.1\n' >loopback.ext
printf 'subjectAltName=DNS:peer.example\n' >elsewhere.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile loopback.ext -out good.crt
openssl x509 -req -in server.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial -days 30 -extfile loopback.ext -out other-ca.crt
openssl req -x509 -key server.key -days 30 -subj "/CN=127.0.0.1" -addext subjectAltName=IP:127.0.0.1 -out self-signed.crt
openssl x509 -req -in elsewhere.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile elsewhere.ext -out elsewhere.crt
mkdir -p issued
: >issued/index.txt
echo 1000 >issued/serial
cat >ca.cnf <<'CNF'
[ ca ]
default_ca = centre
[ centre ]
database = issued/index.txt
serial = issued/serial
new_certs_dir = issued
default_md = sha256
policy = anything
unique_subject = no
[ anything ]
commonName = supplied
CNF
openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -in server.csr -extfile loopback.ext -startdate 20200101000000Z -enddate 20200201000000Z -out expired.crt
openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -in server.csr -extfile loopback.ext -startdate 20990101000000Z -enddate 20991231000000Z -out not-yet-valid.crt
cat good.crt server.key >good-with-key.pem
printf 'not a certificate\n' >garbage.pem
)";
        std::ofstream(dir + "/make.sh") << script;
        if (std::system(("bash \"" + dir + "/make.sh\" >\"" + dir + "/make.log\" 2>&1").c_str()) != 0) {
            std::ifstream log(dir + "/make.log");
            std::stringstream text;
            text << log.rdbuf();
            error = "making the test certificates failed: " + text.str();
        }
    }
    std::string operator()(const std::string& file) const { return dir + "/" + file; }
};

const Pki& pki()
{
    static const Pki p;
    return p;
}

bool skipWithoutPki()
{
    if (pki().error.empty())
        return false;
    WARN("SKIPPED: " << pki().error);
    ow::test::skippedFlag() = true;
    return true;
}

// A node serving over TLS (or plain HTTP without a certificate) with one peer account.
struct TlsNode {
    TestDatabase db;
    std::unique_ptr<db::Store> store;
    std::unique_ptr<sync::StorePool> pool;
    std::unique_ptr<sync::CouchApi> api;
    std::unique_ptr<HttpServer> server;

    TlsNode(const std::string& certificate, const std::string& key)
    {
        store = db.open();
        store->initialise("330103");
        pool = std::make_unique<sync::StorePool>(db.connection(), 2);
        api = std::make_unique<sync::CouchApi>(*pool, sync::CouchApi::Options{});
        HttpServer::Options options;
        options.listen = "127.0.0.1:0";
        options.accounts = {{"centre_a", "tls-peer-secret-5"}};
        options.certificateFile = certificate;
        options.privateKeyFile = key;
        options.keepAlive = std::chrono::seconds(1);
        server = std::make_unique<HttpServer>(*api, options);
        server->start();
    }
    ~TlsNode() { server->stop(std::chrono::seconds(5)); }

    HttpEndpoint::Options peer(const std::string& scheme, const std::string& caFile) const
    {
        HttpEndpoint::Options o;
        o.url = scheme + "://127.0.0.1:" + std::to_string(server->port());
        o.user = "centre_a";
        o.password = "tls-peer-secret-5";
        o.caFile = caFile;
        o.connectTimeout = std::chrono::milliseconds(5000);
        o.timeout = std::chrono::milliseconds(10000);
        return o;
    }
};

std::vector<model::Event> someEvents()
{
    std::vector<model::Event> out;
    std::string prev;
    for (int i = 1; i <= 2; ++i) {
        model::Event e;
        e.origin = "tls_a";
        e.seq = i;
        e.hlc = model::makeHlc(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count(),
            i);
        e.type = model::EventType::Note;
        e.actor = "clerk01";
        e.prev = prev;
        e.body = model::Json::object();
        e.body["text"] = "over tls " + std::to_string(i);
        e.seal();
        prev = e.hash;
        out.push_back(e);
    }
    return out;
}

struct Refusal {
    std::string code;
    std::string reason;
};

std::optional<Refusal> refusalOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const DomainError& e) {
        return Refusal{e.code(), e.fact("reason")};
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("tls: the centre CA's certificate for this host is accepted (the control)", "[tls][security]")
{
    if (skipWithoutPki())
        return;
    TlsNode node(pki()("good.crt"), pki()("server.key"));
    CHECK(node.server->tls());
    HttpEndpoint peer(node.peer("https", pki()("ca.pem")));
    CHECK_FALSE(peer.id().empty());
    CHECK(peer.receive(someEvents()) == 2);
    CHECK(node.store->eventCount() == 2);
    // The key may sit in the certificate's file.
    TlsNode combined(pki()("good-with-key.pem"), "");
    HttpEndpoint again(combined.peer("https", pki()("ca.pem")));
    CHECK_FALSE(again.id().empty());
}

TEST_CASE("tls: a peer certificate that does not check out is refused before any request", "[tls][security]")
{
    if (skipWithoutPki())
        return;
    struct Row {
        const char* label;
        std::string certificate;
        std::string key;
        std::string reasonHas; // words of the TLS library's verdict the reason must carry
    };
    const std::vector<Row> rows = {
        {"signed by another CA", "other-ca.crt", "server.key", "certificate verify failed"},
        {"self-signed", "self-signed.crt", "server.key", "certificate verify failed"},
        {"expired", "expired.crt", "server.key", "certificate verify failed"},
        {"not yet valid", "not-yet-valid.crt", "server.key", "certificate verify failed"},
        {"issued for another host", "elsewhere.crt", "elsewhere.key", "127.0.0.1"},
    };
    for (const auto& row : rows) {
        INFO(row.label);
        TlsNode node(pki()(row.certificate), pki()(row.key));
        HttpEndpoint peer(node.peer("https", pki()("ca.pem")));
        auto refused = refusalOf([&] { peer.id(); });
        REQUIRE(refused);
        CHECK(refused->code == "sync.tls_failed");
        INFO("reason: " << refused->reason);
        CHECK(lowerCase(refused->reason).find(lowerCase(row.reasonHas)) != std::string::npos);
        // Pushing through it fails the same way and stores nothing; no request (and so no
        // password) ever reached the server.
        refused = refusalOf([&] { peer.receive(someEvents()); });
        REQUIRE(refused);
        CHECK(refused->code == "sync.tls_failed");
        CHECK(node.store->eventCount() == 0);
        CHECK(node.server->counters().requests == 0);
    }
}

TEST_CASE(
    "tls: a server without a certificate, and a client without TLS or without the CA", "[tls][security]")
{
    if (skipWithoutPki())
        return;
    SECTION("https to a server that presents no certificate (plain HTTP)")
    {
        TlsNode plain("", "");
        CHECK_FALSE(plain.server->tls());
        HttpEndpoint peer(plain.peer("https", pki()("ca.pem")));
        auto refused = refusalOf([&] { peer.receive(someEvents()); });
        REQUIRE(refused);
        INFO("code: " << refused->code << ", reason: " << refused->reason);
        // A plain HTTP server reads the TLS hello as the start of a request: it answers
        // with an error at once (the handshake fails) or, when the hello's random bytes
        // happen to parse as the start of a request line, waits for the rest until the
        // client gives up (unreachable). Never a connection that carries the request.
        CHECK((refused->code == "sync.tls_failed" || refused->code == "sync.unreachable"));
        CHECK(plain.store->eventCount() == 0);
    }
    SECTION("plain http to a TLS server")
    {
        TlsNode node(pki()("good.crt"), pki()("server.key"));
        HttpEndpoint peer(node.peer("http", ""));
        auto refused = refusalOf([&] { peer.receive(someEvents()); });
        REQUIRE(refused);
        INFO("code: " << refused->code << ", reason: " << refused->reason);
        CHECK(refused->code == "sync.unreachable");
        CHECK(node.store->eventCount() == 0);
        CHECK(node.server->counters().requests == 0);
    }
    SECTION("https without the centre CA, with a missing or a malformed CA file")
    {
        for (const std::string& ca : {std::string(), pki()("no-such-ca.pem"), pki()("garbage.pem")}) {
            INFO("CA file '" << ca << "'");
            HttpEndpoint::Options o;
            o.url = "https://127.0.0.1:6984";
            o.caFile = ca;
            auto refused = refusalOf([&] { HttpEndpoint e(o); });
            REQUIRE(refused);
            CHECK(refused->code == "sync.peer_url");
            CHECK_FALSE(refused->reason.empty());
        }
    }
}

TEST_CASE("tls: a server whose certificate or key cannot serve TLS refuses to start", "[tls][security]")
{
    if (skipWithoutPki())
        return;
    struct Row {
        const char* label;
        std::string certificate;
        std::string key;
    };
    const std::vector<Row> rows = {
        {"missing certificate file", pki()("no-such.crt"), pki()("server.key")},
        {"missing key file", pki()("good.crt"), pki()("no-such.key")},
        {"malformed certificate", pki()("garbage.pem"), pki()("server.key")},
        {"malformed key", pki()("good.crt"), pki()("garbage.pem")},
        {"certificate without its key", pki()("good.crt"), ""},
        {"key of another certificate", pki()("good.crt"), pki()("elsewhere.key")},
    };
    for (const auto& row : rows) {
        INFO(row.label);
        TestDatabase db;
        auto store = db.open();
        store->initialise("330103");
        sync::StorePool pool(db.connection(), 1);
        sync::CouchApi api(pool, sync::CouchApi::Options{});
        HttpServer::Options options;
        options.listen = "127.0.0.1:0";
        options.accounts = {{"centre_a", "tls-peer-secret-5"}};
        options.certificateFile = row.certificate;
        options.privateKeyFile = row.key;
        HttpServer server(api, options);
        auto refused = refusalOf([&] { server.start(); });
        REQUIRE(refused);
        CHECK(refused->code == "sync.tls_config");
        CHECK_FALSE(refused->reason.empty());
    }
}
