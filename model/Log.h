// The model layer's logger ("model"); its level follows SPDLOG_LEVEL. Never log a full
// identity number or a password: mask with maskId() first.
#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace ow::model {

std::shared_ptr<spdlog::logger> logger();

// The logger of that name, made on first use: to stderr (standard output belongs to
// command-line results), at `level` ("info", "warn", … as spdlog names them) unless
// SPDLOG_LEVEL sets another. Each layer keeps its own ("model", "db", "net").
std::shared_ptr<spdlog::logger> namedLogger(const std::string& name, const std::string& level);

} // namespace ow::model
