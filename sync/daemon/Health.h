// What GET /_ow/health (JSON) and GET /_ow/metrics (Prometheus text format) report: the
// node's events and held events, its uptime and, per peer, when it last pulled and pushed,
// how many events went each way, how far behind each direction is and the last error.
#pragma once

#include "sync/daemon/PeerLink.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ow::sync::daemon {

struct NodeSnapshot {
    std::string centre;
    std::string origin;
    std::string uuid; // CouchDB uuid peers name us by
    bool databaseOk = true;
    std::string databaseError;
    std::int64_t events = 0; // this store's last arrival number: events applied here
    std::int64_t heldEvents = 0; // received, waiting for a predecessor (or a clock)
    double uptimeSeconds = 0;
    std::int64_t requests = 0; // HTTP requests served
    std::int64_t unauthorized = 0;
    std::int64_t tooLarge = 0;
    std::int64_t docsReceived = 0; // _bulk_docs, from peers pushing to us
    std::int64_t docsStored = 0;
    std::int64_t docsRejected = 0;
    std::int64_t docsServed = 0;
    std::int64_t longpollsWaiting = 0;
    std::int64_t connections = 0; // open now, each holding a server thread
    std::vector<PeerStatus> peers;
};

// Lag of each direction in events: what the other side has that the target does not yet
// acknowledge. -1 when not known yet (no answer from the peer so far).
std::int64_t pullLag(const PeerStatus& peer);
std::int64_t pushLag(const PeerStatus& peer, std::int64_t localEvents);

// "ok" (every peer's last attempt went through), "degraded" (a peer is failing) or
// "unavailable" (our database does not answer).
std::string overallStatus(const NodeSnapshot& node);

std::string healthJson(const NodeSnapshot& node);
std::string metricsText(const NodeSnapshot& node);

} // namespace ow::sync::daemon
