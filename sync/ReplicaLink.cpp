#include "sync/ReplicaLink.h"

#include "model/Error.h"
#include "model/HybridClock.h"
#include "model/Log.h"
#include "model/Repositories.h"

#include "sync/ReplicaCaseNumbers.h"
#include "sync/ReplicaWriter.h"

#include <memory>
#include <optional>
#include <spdlog/spdlog.h>

namespace ow::sync {

namespace {

std::int64_t nowMs()
{
    return model::systemPhysicalClock()();
}

} // namespace

ReplicaLink::ReplicaLink(std::string replica, std::string shared, Options options)
    : m_replicaConnection(std::move(replica))
    , m_sharedConnection(std::move(shared))
    , m_options(std::move(options))
{
}

ReplicaLink::~ReplicaLink()
{
    stop();
}

void ReplicaLink::start(bool online, const std::string& error)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_thread.joinable())
            return;
        m_state.online = online;
        m_state.since = nowMs();
        m_state.lastError = online ? std::string() : error;
        if (online)
            m_state.lastContact = m_state.since;
        m_online = online;
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
}

void ReplicaLink::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void ReplicaLink::setListener(Listener listener)
{
    std::lock_guard lock(m_listenerMutex);
    m_listener = std::move(listener);
}

LinkState ReplicaLink::state() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

void ReplicaLink::nudge()
{
    {
        std::lock_guard lock(m_mutex);
        m_nudged = true;
    }
    m_wake.notify_all();
}

void ReplicaLink::appended(std::size_t count)
{
    publish([&](LinkState& s) { s.pending += static_cast<std::int64_t>(count); });
    nudge();
}

void ReplicaLink::suspect(const std::string& reason)
{
    model::logger()->info("a connection to the shared database failed ({}); checking the link now", reason);
    m_suspected = true;
    nudge();
}

void ReplicaLink::waitForRound()
{
    std::unique_lock lock(m_mutex);
    // Rounds run one after another and are counted as they begin: the first that begins
    // after this call is number m_started + 1.
    const std::uint64_t target = m_started + 1;
    m_nudged = true;
    m_wake.notify_all();
    m_roundDone.wait(lock, [&] { return m_state.rounds >= target || m_stopping || m_exited; });
}

void ReplicaLink::publish(const std::function<void(LinkState&)>& change)
{
    LinkState copy;
    bool visible = false;
    {
        std::lock_guard lock(m_mutex);
        const LinkState before = m_state;
        change(m_state);
        // The listener hears of what a person could see change, not of every round.
        visible = before.online != m_state.online || before.pending != m_state.pending
            || before.sent != m_state.sent || before.received != m_state.received
            || before.reconnections != m_state.reconnections;
        m_online = m_state.online;
        copy = m_state;
    }
    m_roundDone.notify_all();
    if (visible) {
        std::lock_guard lock(m_listenerMutex);
        if (m_listener)
            m_listener(copy);
    }
}

void ReplicaLink::run()
{
    std::unique_ptr<db::Store> replica;
    std::unique_ptr<db::Store> shared;
    try {
        db::OpenOptions options;
        options.create = false;
        options.migrate = false;
        replica = db::Store::open(m_replicaConnection, options);
    } catch (const std::exception& e) {
        model::logger()->error("the replica link cannot open the replica: {}", e.what());
        publish([&](LinkState& s) {
            s.online = false;
            s.lastError = e.what();
        });
        {
            std::lock_guard lock(m_mutex);
            m_exited = true;
        }
        m_roundDone.notify_all();
        return;
    }
    ReplicaWriter writer(
        *replica,
        [&]() -> db::Store& {
            if (!shared) {
                db::OpenOptions options;
                options.create = false;
                options.migrate = false;
                shared = db::Store::open(m_sharedConnection, options);
            }
            return *shared;
        },
        [&] { shared.reset(); }, m_options.batch);
    std::optional<ReplicaCaseNumberSource> numbers;
    if (!m_options.centre.empty())
        numbers.emplace(writer, m_options.centre);

    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            ++m_started;
        }
        round(writer, numbers ? &*numbers : nullptr);
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, m_options.interval, [&] { return m_nudged || m_stopping; });
        if (m_stopping)
            break;
        m_nudged = false;
    }
}

void ReplicaLink::round(ReplicaWriter& writer, ReplicaCaseNumberSource* numbers)
{
    const bool wasOnline = m_online.load();
    std::int64_t sent = 0;
    std::int64_t received = 0;
    std::string error;
    bool ok = false;
    bool reopened = false;
    try {
        // A dead connection is dropped by the first failure; when the link was online,
        // one more try on a fresh connection tells a restarted server from a dead one.
        // Only a quick failure is worth a second try: one that took a timeout (a network
        // that drops packets) would take another, and the outage must show within seconds.
        const auto began = std::chrono::steady_clock::now();
        ok = writer.sync();
        if (!ok && wasOnline && std::chrono::steady_clock::now() - began < std::chrono::seconds(1))
            reopened = ok = writer.sync();
        sent = static_cast<std::int64_t>(writer.lastPush().stored);
        received = static_cast<std::int64_t>(writer.lastPull().stored);
        if (ok && numbers)
            numbers->topUp(model::SystemClock().today(), m_options.caseNumberReserve);
        if (!ok)
            error = writer.lastError();
    } catch (const std::exception& e) {
        // Not a connection problem: the shared store answered and refused. What was not
        // acknowledged stays pending; the next round tries again.
        ok = writer.online();
        error = e.what();
        model::logger()->error("replica sync failed: {}", e.what());
    }
    std::int64_t pending = 0;
    try {
        pending = writer.pending();
    } catch (const std::exception& e) {
        model::logger()->error("cannot count the replica's pending events: {}", e.what());
    }
    if (ok != wasOnline) {
        if (ok)
            model::logger()->info("the shared database answers again; {} events pending", pending);
        else
            model::logger()->warn("the shared database does not answer ({}); working on the replica", error);
    }
    m_suspected = false;
    publish([&](LinkState& s) {
        const auto now = nowMs();
        if (ok != s.online)
            s.since = now;
        if ((ok && !s.online) || reopened) {
            ++s.reconnections;
            m_reconnections = s.reconnections;
        }
        s.online = ok;
        if (ok)
            s.lastContact = now;
        s.lastError = error;
        s.pending = pending;
        s.sent += sent;
        s.received += received;
        ++s.rounds;
    });
}

} // namespace ow::sync
