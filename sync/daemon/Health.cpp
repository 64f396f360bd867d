#include "sync/daemon/Health.h"

#include "model/Json.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace ow::sync::daemon {

using model::Json;

namespace {

// ISO 8601 UTC of unix milliseconds; null for "never".
Json isoTime(std::int64_t ms)
{
    if (ms <= 0)
        return Json(nullptr);
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
        utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
    return Json(std::string(text));
}

Json orNull(std::int64_t value)
{
    return value < 0 ? Json(nullptr) : Json(value);
}

// A label value in the exposition format: backslash, double quote and newline escaped.
std::string label(const std::string& value)
{
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace

std::int64_t pullLag(const PeerStatus& peer)
{
    if (peer.peerUpdateSeq < 0 || peer.pullCursor < 0)
        return -1;
    return std::max<std::int64_t>(0, peer.peerUpdateSeq - peer.pullCursor);
}

std::int64_t pushLag(const PeerStatus& peer, std::int64_t localEvents)
{
    if (peer.pushCursor < 0)
        return -1;
    // Arrival numbers are gap-free, so the difference counts events.
    return std::max<std::int64_t>(0, localEvents - peer.pushCursor);
}

std::string overallStatus(const NodeSnapshot& node)
{
    if (!node.databaseOk)
        return "unavailable";
    for (const auto& p : node.peers)
        if (!p.lastError.empty())
            return "degraded";
    return "ok";
}

std::string healthJson(const NodeSnapshot& node)
{
    Json out = Json::object();
    out["status"] = overallStatus(node);
    out["centre"] = node.centre;
    out["origin"] = node.origin;
    out["uuid"] = node.uuid;
    out["events"] = node.events;
    out["held_events"] = node.heldEvents;
    out["uptime_seconds"] = static_cast<std::int64_t>(node.uptimeSeconds);
    if (!node.databaseOk)
        out["database_error"] = node.databaseError;
    Json http = Json::object();
    http["requests"] = node.requests;
    http["unauthorized"] = node.unauthorized;
    http["too_large"] = node.tooLarge;
    http["docs_received"] = node.docsReceived;
    http["docs_stored"] = node.docsStored;
    http["docs_rejected"] = node.docsRejected;
    http["docs_served"] = node.docsServed;
    http["longpolls_waiting"] = node.longpollsWaiting;
    http["connections"] = node.connections;
    out["http"] = std::move(http);
    Json peers = Json::array();
    for (const auto& p : node.peers) {
        Json j = Json::object();
        j["name"] = p.name;
        j["url"] = p.url;
        j["reachable"] = p.reachable;
        j["last_pull"] = isoTime(p.lastPull);
        j["last_push"] = isoTime(p.lastPush);
        j["events_pulled"] = p.pulled;
        j["events_pushed"] = p.pushed;
        j["lag_pull"] = orNull(pullLag(p));
        j["lag_push"] = orNull(node.databaseOk ? pushLag(p, node.events) : -1);
        j["last_error"] = p.lastError.empty() ? Json(nullptr) : Json(p.lastError);
        j["last_error_at"] = isoTime(p.lastErrorAt);
        j["failures_in_a_row"] = p.failures;
        peers.push_back(std::move(j));
    }
    out["peers"] = std::move(peers);
    return out.pretty() + "\n";
}

std::string metricsText(const NodeSnapshot& node)
{
    std::string out;
    const auto metric = [&](const char* name, const char* type, const char* help) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    };
    const auto value = [&](const std::string& name, const std::string& labels, double v) {
        char number[64];
        std::snprintf(number, sizeof number, "%.17g", v);
        out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + number + "\n";
    };
    const std::string node_ = "centre=\"" + label(node.centre) + "\",origin=\"" + label(node.origin) + "\"";

    metric("onewindow_up", "gauge", "1 while the node's database answers.");
    value("onewindow_up", node_, node.databaseOk ? 1 : 0);
    metric("onewindow_events", "gauge", "Events applied in the node's store (its last arrival number).");
    value("onewindow_events", node_, static_cast<double>(node.events));
    metric("onewindow_held_events", "gauge", "Received events held until their predecessor arrives.");
    value("onewindow_held_events", node_, static_cast<double>(node.heldEvents));
    metric("onewindow_uptime_seconds", "gauge", "Seconds since onewindowd started.");
    value("onewindow_uptime_seconds", node_, node.uptimeSeconds);
    metric("onewindow_http_requests_total", "counter", "HTTP requests served.");
    value("onewindow_http_requests_total", "", static_cast<double>(node.requests));
    metric("onewindow_http_unauthorized_total", "counter", "Requests refused with 401.");
    value("onewindow_http_unauthorized_total", "", static_cast<double>(node.unauthorized));
    metric("onewindow_http_too_large_total", "counter", "Requests refused with 413 before reading the body.");
    value("onewindow_http_too_large_total", "", static_cast<double>(node.tooLarge));
    metric("onewindow_docs_received_total", "counter", "Documents peers offered in _bulk_docs.");
    value("onewindow_docs_received_total", "", static_cast<double>(node.docsReceived));
    metric("onewindow_docs_stored_total", "counter", "Offered documents stored as new.");
    value("onewindow_docs_stored_total", "", static_cast<double>(node.docsStored));
    metric("onewindow_docs_rejected_total", "counter", "Offered documents refused.");
    value("onewindow_docs_rejected_total", "", static_cast<double>(node.docsRejected));
    metric("onewindow_docs_served_total", "counter", "Documents served to peers.");
    value("onewindow_docs_served_total", "", static_cast<double>(node.docsServed));
    metric("onewindow_http_connections", "gauge", "Connections open now, each holding a server thread.");
    value("onewindow_http_connections", "", static_cast<double>(node.connections));
    metric("onewindow_longpolls_waiting", "gauge", "Longpoll _changes requests waiting for a change.");
    value("onewindow_longpolls_waiting", "", static_cast<double>(node.longpollsWaiting));

    if (node.peers.empty())
        return out;
    const auto peerLabel
        = [](const PeerStatus& p) { return "peer=\"" + label(p.name) + "\",url=\"" + label(p.url) + "\""; };
    metric("onewindow_peer_up", "gauge", "1 when the last replication with the peer went through both ways.");
    for (const auto& p : node.peers)
        value("onewindow_peer_up", peerLabel(p), p.reachable ? 1 : 0);
    metric("onewindow_peer_last_pull_timestamp_seconds", "gauge",
        "Unix time of the last completed pull (0: none).");
    for (const auto& p : node.peers)
        value("onewindow_peer_last_pull_timestamp_seconds", peerLabel(p),
            static_cast<double>(p.lastPull) / 1000);
    metric("onewindow_peer_last_push_timestamp_seconds", "gauge",
        "Unix time of the last completed push (0: none).");
    for (const auto& p : node.peers)
        value("onewindow_peer_last_push_timestamp_seconds", peerLabel(p),
            static_cast<double>(p.lastPush) / 1000);
    metric("onewindow_peer_events_pulled_total", "counter", "Events stored here from the peer since start.");
    for (const auto& p : node.peers)
        value("onewindow_peer_events_pulled_total", peerLabel(p), static_cast<double>(p.pulled));
    metric("onewindow_peer_events_pushed_total", "counter", "Events the peer accepted from us since start.");
    for (const auto& p : node.peers)
        value("onewindow_peer_events_pushed_total", peerLabel(p), static_cast<double>(p.pushed));
    metric("onewindow_peer_lag_events", "gauge",
        "Events one side has that the other has not acknowledged (-1: unknown).");
    for (const auto& p : node.peers) {
        value("onewindow_peer_lag_events", peerLabel(p) + ",direction=\"pull\"",
            static_cast<double>(pullLag(p)));
        value("onewindow_peer_lag_events", peerLabel(p) + ",direction=\"push\"",
            static_cast<double>(node.databaseOk ? pushLag(p, node.events) : -1));
    }
    metric("onewindow_peer_failures_in_a_row", "gauge",
        "Replication attempts with the peer that failed in a row.");
    for (const auto& p : node.peers)
        value("onewindow_peer_failures_in_a_row", peerLabel(p), static_cast<double>(p.failures));
    return out;
}

} // namespace ow::sync::daemon
