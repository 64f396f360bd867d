// The centre's events as a CouchDB database (DESIGN: "Sync between centres"), without a
// transport: a request in, a response out, so that the HTTP server (sync/net), the tests
// and the fuzz target all drive the same code. Speaks what the CouchDB replication
// protocol (v3) needs of a peer: GET / (with the node's uuid), database info, _changes
// (normal and longpoll; its seq is the node's commit-ordered arrival number), _revs_diff,
// _bulk_docs with new_edits:false, _bulk_get, a document with open_revs, _local
// checkpoint documents, _ensure_full_commit, and _all_docs. Events never change: each has
// one revision, "1-<md5 of its canonical form>".
//
// A request that is wrong as a whole gets a 4xx and changes nothing; in a _bulk_docs
// batch, each bad document is reported with its id, error and reason while the valid
// ones are stored (an event whose predecessor has not arrived is stored and held).
#pragma once

#include "db/Store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ow::sync {

struct HttpRequest {
    std::string method; // "GET", "POST", "PUT", "DELETE", "HEAD"
    std::string path; // percent-decoded, without the query: "/onewindow/_changes"
    std::vector<std::pair<std::string, std::string>> query; // percent-decoded, in order
    std::string contentType; // of the body, may be empty
    std::string accept; // the Accept header, may be empty
    std::string body;

    // The value of query parameter `name`, or nullptr.
    const std::string* param(const std::string& name) const;
    // Sets path and query from a request target "/path?a=1&b=2" (percent-decoded), for
    // callers without an HTTP parser of their own: tests and the fuzz target.
    void setTarget(const std::string& target);
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers
};

// A node's SQLite connections checkpoint the write-ahead log at 64 MB rather than 4 MB
// (db::OpenOptions::walCheckpointPages): measured with 10,000-event batches, 5–10% more
// events/s each way.
inline constexpr int kNodeWalCheckpointPages = 16384;

// Connections to the node's database for concurrent requests: a Store is not
// thread-safe, so each request borrows one for its duration.
class StorePool {
public:
    // Opens `size` connections (at least 1) to an existing, initialised database.
    StorePool(std::string connection, std::size_t size);
    ~StorePool();

    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<db::Store> store);
        ~Lease();
        Lease(Lease&&) noexcept = default;
        Lease(const Lease&) = delete;
        db::Store& operator*() const { return *m_store; }
        db::Store* operator->() const { return m_store.get(); }

    private:
        StorePool* m_pool;
        std::unique_ptr<db::Store> m_store;
    };
    // Waits for a free connection.
    Lease acquire();
    const std::string& connection() const { return m_connection; }

    // The connection received events are stored through (_bulk_docs), one request at a
    // time in the order they took their turn. A request takes it on arrival, checks its
    // documents, then waits for its turn: a sender's batches in flight at once are checked
    // side by side but stored in the order sent, and the one connection's kept case folds
    // serve every batch. Dropping a turn unused passes it on.
    class WriterTurn {
    public:
        WriterTurn(StorePool& pool, std::uint64_t ticket);
        ~WriterTurn();
        WriterTurn(WriterTurn&& other) noexcept;
        WriterTurn(const WriterTurn&) = delete;
        WriterTurn& operator=(const WriterTurn&) = delete;
        WriterTurn& operator=(WriterTurn&&) = delete;
        // Waits until the turns taken before this one are done.
        db::Store& store();

    private:
        StorePool* m_pool;
        std::uint64_t m_ticket;
        bool m_waited = false;
    };
    WriterTurn writerTurn();

private:
    void release(std::unique_ptr<db::Store> store);
    void endTurn(std::uint64_t ticket, bool waited);

    std::string m_connection;
    std::mutex m_mutex;
    std::condition_variable m_free;
    std::vector<std::unique_ptr<db::Store>> m_idle;

    std::unique_ptr<db::Store> m_writer;
    std::condition_variable m_turnDone;
    std::uint64_t m_nextTicket = 0; // guarded by m_mutex, as are the two below
    std::uint64_t m_serving = 0;
    std::set<std::uint64_t> m_dropped; // turns given up before they came
};

class CouchApi {
public:
    struct Options {
        std::string database = "onewindow"; // the database name peers replicate
        std::string uuid; // this node's uuid (GET /); empty: derived from the origin
        std::size_t maxBodyBytes = 64u << 20; // larger bodies get 413
        std::size_t maxDocsPerRequest = 100000;
        std::chrono::milliseconds maxLongpoll{60000}; // a longpoll's timeout is capped here
        std::string serverVersion = "3.3.3"; // the CouchDB version we answer to
    };

    CouchApi(StorePool& stores, Options options);
    CouchApi(StorePool& stores)
        : CouchApi(stores, Options{})
    {
    }

    // Thread-safe: any number of requests at once, each on a store of the pool. Never
    // throws; an unexpected failure becomes a 500 with the reason.
    HttpResponse handle(const HttpRequest& request);

    // Something was stored by another writer (the node's own replicator): longpolls
    // waiting on _changes look again at once.
    void notifyChanged();
    // The node is stopping: waiting longpolls answer now with what they have, and new ones
    // do not wait.
    void shutdown();

    const Options& options() const { return m_options; }
    const std::string& uuid() const { return m_options.uuid; }

    // Counters for health and metrics.
    struct Counters {
        std::int64_t requests = 0;
        std::int64_t docsReceived = 0; // documents offered in _bulk_docs
        std::int64_t docsStored = 0; // of those, applied or held as new
        std::int64_t docsRejected = 0;
        std::int64_t docsServed = 0; // by _changes include_docs, _bulk_get, open_revs
        std::int64_t longpollsWaiting = 0; // _changes longpolls waiting for a change now
    };
    Counters counters() const;

private:
    HttpResponse route(const HttpRequest& request);

    StorePool& m_stores;
    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_generation = 0;
    bool m_stopping = false;
    Counters m_counters;
};

} // namespace ow::sync
