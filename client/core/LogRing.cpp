#include "client/core/LogRing.h"

#include "model/Log.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace ow::client {

namespace {

class RingSink : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit RingSink(std::size_t capacity)
        : m_capacity(capacity)
    {
    }

    std::vector<LogLine> since(std::uint64_t after)
    {
        std::lock_guard lock(mutex_);
        std::vector<LogLine> out;
        for (const auto& l : m_lines)
            if (l.serial > after)
                out.push_back(l);
        return out;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        LogLine line;
        line.serial = ++m_serial;
        auto t = std::chrono::system_clock::to_time_t(msg.time);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count()
            % 1000;
        std::tm tm{};
        localtime_r(&t, &tm);
        char buf[32];
        std::snprintf(
            buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
        line.time = buf;
        auto level = spdlog::level::to_string_view(msg.level);
        line.level.assign(level.data(), level.size());
        line.logger.assign(msg.logger_name.data(), msg.logger_name.size());
        line.text.assign(msg.payload.data(), msg.payload.size());
        m_lines.push_back(std::move(line));
        while (m_lines.size() > m_capacity)
            m_lines.pop_front();
    }
    void flush_() override { }

private:
    std::size_t m_capacity;
    std::uint64_t m_serial = 0;
    std::deque<LogLine> m_lines;
};

std::shared_ptr<RingSink>& ring()
{
    static std::shared_ptr<RingSink> sink;
    return sink;
}

} // namespace

void installLogRing(std::size_t capacity)
{
    if (ring())
        return;
    ring() = std::make_shared<RingSink>(capacity);
    ring()->set_level(spdlog::level::info);
    for (const auto& logger : {spdlog::default_logger(), model::logger()}) {
        // The console keeps the level it had; the ring takes info and above.
        for (auto& sink : logger->sinks())
            sink->set_level(std::max(sink->level(), logger->level()));
        logger->sinks().push_back(ring());
        if (logger->level() > spdlog::level::info)
            logger->set_level(spdlog::level::info);
    }
}

std::vector<LogLine> logLinesSince(std::uint64_t after)
{
    return ring() ? ring()->since(after) : std::vector<LogLine>{};
}

} // namespace ow::client
