// Another onewindowd as a replication endpoint (DESIGN: "One replicator, three places"),
// over HTTP(S) with one keep-alive Poco client session, speaking the CouchDB replication
// protocol to the peer's database:
//   changesSince   GET  /onewindow/_changes?since=N&limit=L&include_docs=true
//   lacking        POST /onewindow/_revs_diff
//   receive        POST /onewindow/_bulk_docs {"docs":[…],"new_edits":false}
//   checkpoint     GET/PUT /onewindow/_local/<key, percent-encoded> {"value":"<cursor>"}
// id() is the peer's uuid (GET /), which names checkpoints on both sides.
//
// Errors are model::DomainError, so that a caller can tell a peer that is down from one
// that answered and refused:
//   sync.unreachable   (peer, reason)  no connection, timeout, connection lost mid-way:
//                                      try again later
//   sync.tls_failed    (peer, reason)  the TLS handshake or the peer's certificate did not
//                                      check out against the pinned CA: a configuration or
//                                      an impostor, not an outage
//   sync.unauthorized  (peer, status)  401/403: our credentials were refused
//   sync.peer_refused  (peer, status, request, error, reason)  any other non-2xx answer
//   sync.peer_response (peer, request, reason)  an answer we cannot read (not JSON, not an
//                                      event, a checkpoint that is not a number)
//   sync.document_refused (peer, id, error, reason, refused)  _bulk_docs answered 201 but
//                                      refused documents; the valid ones were stored
//   sync.peer_url      (url, reason)   a URL or TLS setting this endpoint cannot use
#pragma once

#include "sync/Replicator.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace ow::sync {

class HttpEndpoint : public Endpoint {
public:
    struct Options {
        // The peer node: "https://host:6984" (a path prefix, e.g. behind a proxy, is kept).
        std::string url;
        std::string database = "onewindow";
        // Basic-auth credentials; empty user: none sent.
        std::string user;
        std::string password;
        // https: the centre CA's certificate (PEM) the peer's certificate must chain to;
        // nothing else is trusted, and the host name must match the certificate.
        std::string caFile;
        // Plain http:// to a host that is not loopback, said explicitly.
        bool allowPlainHttp = false;
        std::chrono::milliseconds connectTimeout{5000};
        // Per request; a longer batch on a slow link needs more.
        std::chrono::milliseconds timeout{60000};
    };

    // Checks the URL and TLS settings, loading the CA file (throws sync.peer_url); connects
    // on first use.
    explicit HttpEndpoint(Options options);
    ~HttpEndpoint() override;
    HttpEndpoint(const HttpEndpoint&) = delete;
    HttpEndpoint& operator=(const HttpEndpoint&) = delete;

    // Endpoint. id() asks the peer (GET /) the first time.
    std::string id() const override;
    std::vector<db::Change> changesSince(std::int64_t cursor, std::size_t limit) override;
    bool takesDocuments() const override { return true; }
    std::vector<std::string> lacking(const std::vector<std::string>& ids) override;
    std::vector<std::string> lackingOf(const std::vector<db::Change>& changes) override;
    std::size_t receive(const std::vector<model::Event>& events) override;
    std::size_t receiveChanges(std::vector<db::Change> changes) override;
    std::optional<std::int64_t> checkpoint(const std::string& key) override;
    void setCheckpoint(const std::string& key, std::int64_t value) override;
    // Further endpoints on the same options, made on first asking and kept; abort() ends
    // them too. closeMoreConnections() closes their connections (each connects again on
    // its next request).
    std::vector<Endpoint*> moreConnections(std::size_t n) override;
    void closeMoreConnections() override;

    // The peer's database: its last arrival number (update_seq) and event count.
    struct Info {
        std::int64_t updateSeq = 0;
        std::int64_t docCount = 0;
    };
    Info info();

    // From another thread: ends the request in flight (it fails with sync.unreachable)
    // and every later one. For a daemon that is stopping.
    void abort();

    const std::string& url() const { return m_shownUrl; } // without credentials

    struct Reply {
        int status = 0;
        std::string body;
    };
    // One request; the body (when given) is sent as application/json. Public for tests.
    Reply exchange(const std::string& method, const std::string& target, const std::string* body = nullptr);

private:
    void connect();
    void disconnect();
    [[noreturn]] void refused(const std::string& request, const Reply& reply) const;
    [[noreturn]] void unreadable(const std::string& request, const std::string& reason) const;
    std::string dbPath() const;

    Options m_options;
    std::string m_shownUrl;
    std::string m_scheme;
    std::string m_host;
    std::uint16_t m_port = 0;
    std::string m_prefix; // path prefix of the URL, without a trailing slash
    std::string m_authorization; // "Basic …", empty without credentials

    struct Tls; // the client context, made once: a bad CA file is found at construction
    std::unique_ptr<Tls> m_tls;
    struct Session;
    std::mutex m_sessionMutex; // guards replacing m_session against abort()
    std::unique_ptr<Session> m_session;
    std::atomic<bool> m_aborted{false};
    std::vector<std::unique_ptr<HttpEndpoint>> m_more; // guarded by m_sessionMutex

    mutable std::string m_uuid;
    // _local revisions we last read or wrote, so that an update needs no extra read.
    std::map<std::string, std::string> m_localRevs;
};

} // namespace ow::sync
