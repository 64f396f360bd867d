#include "model/Log.h"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ow::model {

std::shared_ptr<spdlog::logger> logger()
{
    static std::shared_ptr<spdlog::logger> log = [] {
        auto existing = spdlog::get("model");
        if (existing)
            return existing;
        // Logs go to stderr: standard output belongs to command-line results.
        auto l = spdlog::stderr_color_mt("model");
        l->set_level(spdlog::level::warn);
        spdlog::cfg::load_env_levels();
        return l;
    }();
    return log;
}

} // namespace ow::model
