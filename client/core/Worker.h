// One thread for all database work of the client: jobs run in the order they were
// posted, one at a time, so the stores (not thread-safe) are only ever touched there.
// The GUI posts a job and gets its result back on its own thread (see gui/Async.h).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ow::client {

class Worker {
public:
    Worker();
    ~Worker(); // runs the jobs already posted, then joins
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void post(std::function<void()> job);
    // Jobs posted and not finished yet.
    std::size_t backlog() const;
    // Blocks until every job posted so far has run (start-up and tests).
    void drain();

private:
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<std::function<void()>> m_jobs;
    bool m_busy = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace ow::client
