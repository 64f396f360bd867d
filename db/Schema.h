// Versioned migrations, one list for both backends (SQL differs only where it must).
#pragma once

#include "db/Store.h"

#include <string>
#include <vector>

namespace ow::db {

struct Migration {
    int version;
    const char* purpose;
    std::vector<std::string> sqlite;
    std::vector<std::string> postgres;
};

const std::vector<Migration>& migrations();

} // namespace ow::db
