// The workstation's link to its centre's shared database (DESIGN: "Offline workstation"),
// on a thread of its own with connections of its own, so that nobody else ever waits on
// the network: about once a second it pushes what the replica has that the shared store
// lacks and brings down what is new there (which also keeps the replica warm while
// online), and the first failure of that round trip is the moment the workstation goes
// offline. While offline it tries again at the same pace; the first round trip that
// succeeds brings it back online with everything pending sent. It also keeps a block of
// case numbers in hand for the next outage.
//
// Everyone else asks `online()` before touching the shared store (ReplicaWriter::setGate)
// and tells the link when their own connection failed (`suspect`), or when they appended
// something to push (`nudge`).
#pragma once

#include "sync/Replicator.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace ow::sync {

struct LinkState {
    bool online = false;
    // Unix milliseconds since which the link has been in this state (online or offline).
    std::int64_t since = 0;
    std::int64_t pending = 0; // replica events the shared store has not acknowledged
    std::int64_t lastContact = 0; // unix ms of the last round trip that reached the shared store
    std::int64_t sent = 0; // events sent up since the link started
    std::int64_t received = 0; // events brought down since the link started
    // Counts the returns of the shared store after an outage: a connection older than the
    // current value may be dead and is opened afresh.
    std::uint64_t reconnections = 0;
    std::uint64_t rounds = 0; // round trips attempted
    std::string lastError; // why the shared store did not answer last (empty online)
};

class ReplicaLink {
public:
    struct Options {
        std::chrono::milliseconds interval{1000}; // between round trips, online or not
        std::size_t batch = Replicator::kDefaultBatch;
        // When set, a block of case numbers for today is kept in the replica while online
        // (topped up when fewer than `caseNumberReserve` are left).
        std::string centre;
        std::int64_t caseNumberReserve = 5;
    };
    // Hears every change of the state, on the link's thread: keep it short and
    // thread-safe (a GUI posts it to its own thread).
    using Listener = std::function<void(const LinkState&)>;

    // Connection strings of the replica (SQLite; this link opens its own connection to
    // it) and of the shared store.
    ReplicaLink(std::string replica, std::string shared, Options options);
    ~ReplicaLink(); // stops the thread
    ReplicaLink(const ReplicaLink&) = delete;
    ReplicaLink& operator=(const ReplicaLink&) = delete;

    // Starts the thread. `online`: what the opener found, shown until the first round trip.
    void start(bool online, const std::string& error = {});
    void stop();
    void setListener(Listener listener);

    LinkState state() const;
    // False from a suspect() until the next round trip answers.
    bool online() const { return m_online.load() && !m_suspected.load(); }
    std::uint64_t reconnections() const { return m_reconnections.load(); }
    // Something was appended to the replica: push it now rather than at the next tick.
    void nudge();
    // `count` events were appended to the replica: counted as pending at once (the state
    // would otherwise only know at the end of the next round), and pushed now.
    void appended(std::size_t count);
    // A connection of the caller's to the shared store failed: the link counts as offline
    // from now until its own round trip succeeds again, which it tries at once.
    void suspect(const std::string& reason);
    // Blocks until a round trip that started after this call has finished (tests, bench).
    void waitForRound();

private:
    void run();
    void round(class ReplicaWriter& writer, class ReplicaCaseNumberSource* numbers);
    void publish(const std::function<void(LinkState&)>& change);

    const std::string m_replicaConnection;
    const std::string m_sharedConnection;
    const Options m_options;
    std::atomic<bool> m_online{false};
    std::atomic<bool> m_suspected{false};
    std::atomic<std::uint64_t> m_reconnections{0};
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_roundDone;
    LinkState m_state;
    // Held while the listener runs, so that once setListener returns the old one is done.
    std::mutex m_listenerMutex;
    Listener m_listener;
    std::uint64_t m_started = 0; // rounds begun
    bool m_nudged = false;
    bool m_stopping = false;
    bool m_exited = false; // the thread ended (the replica could not be opened)
    std::thread m_thread;
};

} // namespace ow::sync
