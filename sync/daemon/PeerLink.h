// One peer centre, on a thread of its own: pull (peer → local store), then push (local →
// peer), every interval and at once when the local store changed; a peer that is down is
// tried again with growing pauses and reported in health, never fatal. Checkpoints are
// kept on both sides and move only after the target committed (Replicator's opt-in), so
// a cut or a stop loses nothing and resends at most the batch in flight.
#pragma once

#include "sync/daemon/DaemonConfig.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace ow::db {
class Store;
}

namespace ow::sync {
class CouchApi;
class HttpEndpoint;
} // namespace ow::sync

namespace ow::sync::daemon {

struct PeerStatus {
    std::string name;
    std::string url; // without credentials
    bool reachable = false; // the last attempt got through both ways
    std::int64_t lastPull = 0; // unix ms of the last pull that completed; 0: none yet
    std::int64_t lastPush = 0;
    std::int64_t pulled = 0; // events stored here from the peer since start
    std::int64_t pushed = 0; // events the peer accepted from us since start
    std::int64_t pullCursor = -1; // the peer's arrival number we have everything up to; -1 unknown
    std::int64_t pushCursor = -1; // our arrival number the peer has everything up to
    std::int64_t peerUpdateSeq = -1; // the peer's last arrival number, when last asked
    std::string lastError; // why the last attempt failed; empty after a good one
    std::int64_t lastErrorAt = 0;
    std::int64_t failures = 0; // attempts failed in a row
    std::int64_t attempts = 0;
};

class PeerLink {
public:
    PeerLink(PeerConfig peer, const DaemonConfig& config, CouchApi& api);
    ~PeerLink(); // stop()
    PeerLink(const PeerLink&) = delete;
    PeerLink& operator=(const PeerLink&) = delete;

    void start();
    // Ends the batch in flight (its request is aborted; it commits on the peer or is sent
    // again next time) and joins the thread.
    void stop();
    // The local store changed: replicate now, unless the peer is being waited out.
    void wake();
    PeerStatus status() const;

private:
    void run();
    void cycle();
    // Records and logs a failure; true when the peer as a whole is out of reach.
    bool fail(const std::string& direction, const std::exception& e);
    void failed(); // one more cycle failed

    const PeerConfig m_peer;
    const std::string m_database;
    const std::chrono::milliseconds m_interval;
    const std::chrono::milliseconds m_maxBackoff;
    const std::size_t m_batch;
    CouchApi& m_api;
    std::unique_ptr<HttpEndpoint> m_endpoint;
    std::unique_ptr<db::Store> m_local;
    std::map<std::string, std::string> m_logged; // per direction, the error last logged

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_woken = false;
    std::atomic<bool> m_stopping{false};
    PeerStatus m_status;
    std::thread m_thread;
};

} // namespace ow::sync::daemon
