#include "model/StateHash.h"

#include "model/Sha256.h"

#include <algorithm>

namespace ow::model {

std::string stateHash(std::vector<CaseState> cases)
{
    std::sort(cases.begin(), cases.end(),
        [](const CaseState& a, const CaseState& b) { return a.number < b.number; });
    Sha256 h;
    for (const auto& c : cases) {
        h.update(c.canonicalText());
        h.update("\n");
    }
    auto digest = h.finish();
    return toHex(digest.data(), digest.size());
}

} // namespace ow::model
