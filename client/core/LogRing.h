// The last log lines of this process, kept in memory for the diagnostics view: an
// spdlog sink that every logger of the client writes to besides stderr.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace spdlog::sinks {
class sink;
}

namespace ow::client {

struct LogLine {
    std::uint64_t serial = 0; // increases by one per line, for "what is new since"
    std::string time; // "HH:MM:SS.mmm"
    std::string level; // "info", "warning", …
    std::string logger;
    std::string text;
};

// Installs the ring (capacity lines) on the default logger and on the model's, once.
void installLogRing(std::size_t capacity = 2000);
// Lines with serial > `after`, oldest first.
std::vector<LogLine> logLinesSince(std::uint64_t after);

} // namespace ow::client
