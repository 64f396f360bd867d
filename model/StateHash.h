// state-hash: SHA-256 over each case's projected row as canonical JSON, in case-number
// order. Any two stores holding the same events give the same hash.
#pragma once

#include "model/CaseState.h"

#include <string>
#include <vector>

namespace ow::model {

std::string stateHash(std::vector<CaseState> cases);

} // namespace ow::model
