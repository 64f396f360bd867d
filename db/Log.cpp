#include "db/Log.h"

#include "model/Log.h"

namespace ow::db {

std::shared_ptr<spdlog::logger> logger()
{
    static const std::shared_ptr<spdlog::logger> log = model::namedLogger("db", "warn");
    return log;
}

} // namespace ow::db
