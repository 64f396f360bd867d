#include "model/Log.h"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ow::model {

std::shared_ptr<spdlog::logger> namedLogger(const std::string& name, const std::string& level)
{
    if (auto existing = spdlog::get(name))
        return existing;
    auto l = spdlog::stderr_color_mt(name);
    l->set_level(spdlog::level::from_str(level));
    spdlog::cfg::load_env_levels();
    return l;
}

std::shared_ptr<spdlog::logger> logger()
{
    static const std::shared_ptr<spdlog::logger> log = namedLogger("model", "warn");
    return log;
}

} // namespace ow::model
