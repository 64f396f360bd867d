// The node's HTTP(S) front (DESIGN: "Sync between centres"): Poco's HTTPServer turns each
// request into a sync::HttpRequest for CouchApi and writes its HttpResponse back. It
// checks what CouchApi cannot see: the size of a body before reading it (413), basic-auth
// credentials (401), and TLS. Routes of the daemon's own (/_ow/health, /_ow/metrics) are
// asked first.
//
// Plain HTTP and open access (no accounts) are refused unless the listening address is
// loopback; plain HTTP elsewhere needs `allowPlainHttp`, open access elsewhere is never
// allowed. start() throws DomainError with a stable code when it refuses.
#pragma once

#include "sync/couch/CouchApi.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::sync {

class HttpServer {
public:
    struct Account {
        std::string name;
        std::string password;
    };

    struct Options {
        // "host:port"; port 0 takes a free port (see port()). IPv6 as "[::1]:6984".
        std::string listen = "127.0.0.1:5984";
        // Who may call; empty: anyone, which is only allowed on a loopback address.
        std::vector<Account> accounts;
        // TLS when `certificateFile` is set: PEM certificate (chain) and its private key.
        std::string certificateFile;
        std::string privateKeyFile;
        // Plain HTTP on a non-loopback address, said explicitly.
        bool allowPlainHttp = false;
        // Bodies above this get 413 unread; keep it equal to CouchApi::Options::maxBodyBytes.
        std::size_t maxBodyBytes = CouchApi::Options{}.maxBodyBytes;
        int threads = 16; // requests served at once (longpolls hold one each)
        int queued = 64; // connections waiting for a thread before new ones are refused
        std::chrono::seconds ioTimeout{60}; // a client that sends or reads nothing this long is dropped
        std::chrono::seconds keepAlive{15}; // an idle keep-alive connection is closed after this
    };

    // Answers a request before CouchApi, or leaves it (nullopt). Called on server threads.
    using LocalRoutes = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

    HttpServer(CouchApi& api, Options options, LocalRoutes local = {});
    ~HttpServer(); // stop()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The refusals of start() without binding anything, for a daemon that checks its
    // whole configuration before it opens its database.
    static void checkOptions(const Options& options);
    // Binds and serves. Throws DomainError "sync.plain_http_refused" (facts listen),
    // "sync.open_access_refused" (listen), "sync.tls_config" (reason), "sync.listen_failed"
    // (listen, reason).
    void start();
    // Stops accepting, closes idle connections and waits up to `grace` for the requests
    // being served (a longpoll ends by its own timeout).
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(65));

    std::uint16_t port() const; // the bound port, after start()
    bool tls() const;
    std::string url() const; // "https://127.0.0.1:6984", after start()

    struct Counters {
        std::int64_t requests = 0;
        std::int64_t unauthorized = 0; // answered 401
        std::int64_t tooLarge = 0; // answered 413 before CouchApi
        // Connections open now, idle keep-alive ones included: each holds a server thread.
        std::int64_t connections = 0;
    };
    Counters counters() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace ow::sync
