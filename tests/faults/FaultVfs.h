// A SQLite VFS for fault tests that wraps the platform's default VFS and fails one chosen
// operation: the k-th xWrite (SQLITE_IOERR_WRITE, once), the k-th xSync
// (SQLITE_IOERR_FSYNC, once), or every xWrite from the k-th on (SQLITE_FULL: the disk stays
// full). Registered as the default VFS, since SOCI's sqlite3 backend cannot name one, so
// every connection the process opens afterwards goes through it. Counting runs while no
// fault is armed too, which is how a run learns how many writes and syncs a scenario makes.
#pragma once

#include <cstdint>
#include <string>

namespace ow::faults {

enum class FaultMode { None, Write, Sync, Full };

FaultMode parseFaultMode(const std::string& name); // "none", "write", "sync", "full"; throws
const char* faultModeName(FaultMode mode);

// Registers the VFS as the default (once per process). Throws when SQLite refuses.
void installFaultVfs();

// Resets the counters and arms `mode` at operation `k` (1-based); None disarms.
void armFault(FaultMode mode, std::int64_t k);

struct FaultCounters {
    std::int64_t writes = 0; // xWrite calls since the last armFault
    std::int64_t syncs = 0; // xSync calls since the last armFault
    std::int64_t injected = 0; // operations that returned the injected error
};
FaultCounters faultCounters();

} // namespace ow::faults
