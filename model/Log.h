// The model layer's logger ("model"); its level follows SPDLOG_LEVEL. Never log a full
// identity number or a password: mask with maskId() first.
#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace ow::model {

std::shared_ptr<spdlog::logger> logger();

} // namespace ow::model
