#include "db/Log.h"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ow::db {

std::shared_ptr<spdlog::logger> logger()
{
    static std::shared_ptr<spdlog::logger> log = [] {
        if (auto existing = spdlog::get("db"))
            return existing;
        auto l = spdlog::stderr_color_mt("db"); // stdout belongs to command results
        l->set_level(spdlog::level::warn);
        spdlog::cfg::load_env_levels();
        return l;
    }();
    return log;
}

} // namespace ow::db
