// What `--timing` reports about this process (also used by the bare-frame baseline of
// the client benchmark, so that both measure alike).
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

namespace ow::gui {

// Resident memory in KiB (VmRSS of /proc/self/status), 0 where unknown.
inline long residentKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return 0;
}

} // namespace ow::gui
