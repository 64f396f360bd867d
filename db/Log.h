// The db layer's logger ("db"); its level follows SPDLOG_LEVEL.
#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace ow::db {

std::shared_ptr<spdlog::logger> logger();

} // namespace ow::db
