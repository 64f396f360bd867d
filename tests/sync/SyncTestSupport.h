// Shared by the sync tests: the shared store as a replica writer sees it, answering only
// while the test says the server is up.
#pragma once

#include "model/Error.h"

#include "db/Store.h"

#include <functional>
#include <memory>

namespace ow::test {

// `store` while `reachable`, else the connection error of a stopped server.
inline std::function<db::Store&()> sharedWhile(const bool& reachable, std::unique_ptr<db::Store>& store)
{
    return [&reachable, &store]() -> db::Store& {
        if (!reachable)
            throw model::DomainError("db.unreachable", {{"reason", "test: server stopped"}});
        return *store;
    };
}

} // namespace ow::test
