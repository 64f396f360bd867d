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

// The secondary indexes of the projection tables as the latest migration leaves them:
// a rebuild drops them, refills the tables and creates them again in one sort each.
struct IndexDefinition {
    const char* name;
    const char* create;
};
const std::vector<IndexDefinition>& projectionIndexes();

} // namespace ow::db
