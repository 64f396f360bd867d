#include "sync/daemon/PeerLink.h"

#include "model/Error.h"
#include "model/HybridClock.h"

#include "db/Store.h"
#include "sync/Replicator.h"
#include "sync/couch/CouchApi.h"
#include "sync/net/HttpEndpoint.h"
#include "sync/net/NetSupport.h"

#include <spdlog/spdlog.h>

namespace ow::sync::daemon {

namespace {

std::int64_t nowMs()
{
    return model::systemPhysicalClock()();
}

} // namespace

PeerLink::PeerLink(PeerConfig peer, const DaemonConfig& config, CouchApi& api)
    : m_peer(std::move(peer))
    , m_database(config.database)
    , m_interval(config.interval)
    , m_maxBackoff(config.maxBackoff)
    , m_batch(config.batch)
    , m_api(api)
{
    HttpEndpoint::Options options;
    options.url = m_peer.url;
    options.database = m_peer.database;
    options.user = m_peer.user;
    options.password = m_peer.password;
    options.caFile = m_peer.caFile;
    options.allowPlainHttp = config.allowPlainHttp;
    options.timeout = config.peerTimeout;
    // Checks the URL and the TLS settings now: a peer we could never reach is a
    // configuration error at start, not an outage found later.
    m_endpoint = std::make_unique<HttpEndpoint>(options);
    m_status.name = m_peer.name;
    m_status.url = m_endpoint->url();
}

PeerLink::~PeerLink()
{
    stop();
}

void PeerLink::start()
{
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
}

void PeerLink::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_endpoint->abort();
    if (m_thread.joinable())
        m_thread.join();
}

void PeerLink::wake()
{
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wake.notify_all();
}

PeerStatus PeerLink::status() const
{
    std::lock_guard lock(m_mutex);
    return m_status;
}

void PeerLink::run()
{
    logger()->info("replicating with {} ({}) every {} ms", m_peer.name, m_status.url, m_interval.count());
    while (!m_stopping) {
        cycle();
        std::unique_lock lock(m_mutex);
        // After failures the peer is waited out (interval, 2×, 4×… up to max_backoff), and
        // local changes do not cut the pause short: a peer that is down is not hammered.
        const auto failures = m_status.failures;
        auto pause = m_interval;
        for (std::int64_t i = 1; i < failures && pause < m_maxBackoff; ++i)
            pause *= 2;
        pause = std::min(pause, std::max(m_maxBackoff, m_interval));
        m_wake.wait_for(lock, pause, [&] { return m_stopping || (m_woken && failures == 0); });
        m_woken = false;
    }
}

bool PeerLink::fail(const std::string& direction, const std::exception& e)
{
    const auto* domain = dynamic_cast<const model::DomainError*>(&e);
    const std::string code = domain ? domain->code() : std::string();
    // A database problem here drops our connection; it is opened again next time.
    if (code.rfind("db.", 0) == 0)
        m_local.reset();
    const std::string message = direction + ": " + e.what();
    {
        std::lock_guard lock(m_mutex);
        m_status.lastError = message;
        m_status.lastErrorAt = nowMs();
        m_status.reachable = false;
    }
    if (!m_stopping) {
        // Said once when it starts or changes, not at every retry.
        std::string& logged = m_logged[direction];
        if (logged != e.what())
            logger()->warn("peer {}: {} (retrying with backoff)", m_peer.name, message);
        else
            logger()->debug("peer {}: still failing: {}", m_peer.name, message);
        logged = e.what();
    }
    // Whether the peer as a whole is out of reach (down, an impostor, our credentials
    // refused): the other direction would fail the same way.
    return code == "sync.unreachable" || code == "sync.tls_failed" || code == "sync.unauthorized"
        || code.rfind("db.", 0) == 0;
}

void PeerLink::cycle()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_status.attempts;
    }
    try {
        if (!m_local) {
            db::OpenOptions options;
            options.create = false;
            options.migrate = false;
            options.walCheckpointPages = kNodeWalCheckpointPages;
            m_local = db::Store::open(m_database, options);
        }
    } catch (const std::exception& e) {
        fail("local database", e);
        failed();
        return;
    }
    StoreEndpoint local(*m_local);
    Replicator replicator(m_batch);
    replicator.setCheckpointBothSides(true);
    // Reading the next batch from the peer overlaps storing this one (two cores at work).
    replicator.setPrefetch(true);
    // A push keeps two batches in flight over connections of their own: the peer checks
    // one while it stores the other.
    replicator.setBatchesInFlight(2);
    replicator.setStopRequested([this] { return m_stopping.load(); });
    bool ok = true;

    try {
        const auto info = m_endpoint->info();
        {
            std::lock_guard lock(m_mutex);
            m_status.peerUpdateSeq = info.updateSeq;
        }
        const auto result = replicator.replicate(*m_endpoint, local, [&](std::int64_t cursor) {
            {
                std::lock_guard lock(m_mutex);
                m_status.pullCursor = cursor;
            }
            // Longpolls of our own peers (and the other links) hear of it at once.
            m_api.notifyChanged();
        });
        std::lock_guard lock(m_mutex);
        m_status.pullCursor = result.toCursor;
        m_status.peerUpdateSeq = std::max(m_status.peerUpdateSeq, result.toCursor);
        m_status.pulled += static_cast<std::int64_t>(result.stored);
        m_status.lastPull = nowMs();
        if (result.stored > 0)
            logger()->info("pulled {} event(s) from {} (its arrivals {}→{})", result.stored, m_peer.name,
                result.fromCursor, result.toCursor);
    } catch (const std::exception& e) {
        ok = false;
        if (fail("pull", e)) {
            failed();
            return;
        }
    }
    if (m_stopping)
        return;
    // Events held because their clock was ahead are looked at again here, not only when
    // more events arrive: on a quiet link they apply once this node's clock has caught up.
    try {
        if (!m_local->heldEvents().empty()) {
            const std::size_t released = m_local->receive(std::vector<model::Event>{});
            if (released > 0) {
                logger()->info("applied {} held event(s)", released);
                m_api.notifyChanged();
            }
        }
    } catch (const std::exception& e) {
        fail("held events", e);
    }
    // A push is tried even when the pull failed on something of the pull's own (a document
    // the peer holds that is not a valid event): the directions are independent.
    try {
        const auto result = replicator.replicate(local, *m_endpoint, [&](std::int64_t cursor) {
            std::lock_guard lock(m_mutex);
            m_status.pushCursor = cursor;
        });
        std::lock_guard lock(m_mutex);
        m_status.pushCursor = result.toCursor;
        m_status.pushed += static_cast<std::int64_t>(result.stored);
        m_status.lastPush = nowMs();
        if (result.stored > 0)
            logger()->info("pushed {} event(s) to {} (our arrivals {}→{})", result.stored, m_peer.name,
                result.fromCursor, result.toCursor);
    } catch (const std::exception& e) {
        ok = false;
        fail("push", e);
    }
    if (!ok) {
        failed();
        return;
    }
    bool recovered = false;
    {
        std::lock_guard lock(m_mutex);
        recovered = m_status.failures > 0;
        m_status.failures = 0;
        m_status.lastError.clear();
        m_status.reachable = true;
    }
    m_logged.clear();
    if (recovered)
        logger()->info("peer {} answers again", m_peer.name);
}

void PeerLink::failed()
{
    std::lock_guard lock(m_mutex);
    ++m_status.failures;
}

} // namespace ow::sync::daemon
