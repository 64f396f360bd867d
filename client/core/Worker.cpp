#include "client/core/Worker.h"

#include "model/Log.h"

#include <spdlog/spdlog.h>

namespace ow::client {

Worker::Worker()
    : m_thread([this] { run(); })
{
}

Worker::~Worker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void Worker::post(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

std::size_t Worker::backlog() const
{
    std::lock_guard lock(m_mutex);
    return m_jobs.size() + (m_busy ? 1 : 0);
}

void Worker::drain()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_jobs.empty() && !m_busy; });
}

void Worker::run()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // stopping, nothing left
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_busy = true;
        }
        try {
            job();
        } catch (const std::exception& e) {
            // Jobs report their own errors; one that escapes must not end the thread.
            model::logger()->error("client worker: a job failed: {}", e.what());
        }
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
        }
        m_idle.notify_all();
    }
}

} // namespace ow::client
