#include "FaultVfs.h"

#include <atomic>
#include <sqlite3.h>
#include <stdexcept>

namespace ow::faults {

namespace {

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

std::atomic<int> g_mode{static_cast<int>(FaultMode::None)};
std::atomic<std::int64_t> g_k{0};
std::atomic<std::int64_t> g_writes{0};
std::atomic<std::int64_t> g_syncs{0};
std::atomic<std::int64_t> g_injected{0};

// Our file: the wrapper's method table first, the real VFS's file right behind it.
struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real(sqlite3_file* f)
{
    return reinterpret_cast<FaultFile*>(f)->real;
}

int faultClose(sqlite3_file* f)
{
    sqlite3_file* r = real(f);
    int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    f->pMethods = nullptr;
    return rc;
}

int faultRead(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset)
{
    return real(f)->pMethods->xRead(real(f), buf, amount, offset);
}

int faultWrite(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset)
{
    const std::int64_t n = ++g_writes;
    const auto mode = static_cast<FaultMode>(g_mode.load());
    const std::int64_t k = g_k.load();
    if (mode == FaultMode::Write && n == k) {
        ++g_injected;
        return SQLITE_IOERR_WRITE;
    }
    if (mode == FaultMode::Full && n >= k) {
        ++g_injected;
        return SQLITE_FULL;
    }
    return real(f)->pMethods->xWrite(real(f), buf, amount, offset);
}

int faultTruncate(sqlite3_file* f, sqlite3_int64 size)
{
    return real(f)->pMethods->xTruncate(real(f), size);
}

int faultSync(sqlite3_file* f, int flags)
{
    const std::int64_t n = ++g_syncs;
    if (static_cast<FaultMode>(g_mode.load()) == FaultMode::Sync && n == g_k.load()) {
        ++g_injected;
        return SQLITE_IOERR_FSYNC;
    }
    return real(f)->pMethods->xSync(real(f), flags);
}

int faultFileSize(sqlite3_file* f, sqlite3_int64* size)
{
    return real(f)->pMethods->xFileSize(real(f), size);
}
int faultLock(sqlite3_file* f, int level)
{
    return real(f)->pMethods->xLock(real(f), level);
}
int faultUnlock(sqlite3_file* f, int level)
{
    return real(f)->pMethods->xUnlock(real(f), level);
}
int faultCheckReservedLock(sqlite3_file* f, int* out)
{
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int faultFileControl(sqlite3_file* f, int op, void* arg)
{
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int faultSectorSize(sqlite3_file* f)
{
    return real(f)->pMethods->xSectorSize(real(f));
}
int faultDeviceCharacteristics(sqlite3_file* f)
{
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int faultShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out)
{
    return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
int faultShmLock(sqlite3_file* f, int offset, int n, int flags)
{
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void faultShmBarrier(sqlite3_file* f)
{
    real(f)->pMethods->xShmBarrier(real(f));
}
int faultShmUnmap(sqlite3_file* f, int deleteFlag)
{
    return real(f)->pMethods->xShmUnmap(real(f), deleteFlag);
}
int faultFetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out)
{
    return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}
int faultUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* p)
{
    return real(f)->pMethods->xUnfetch(real(f), offset, p);
}

// Methods of the versions the real file has; the wrapper never offers more than it.
sqlite3_io_methods makeMethods(int version)
{
    sqlite3_io_methods m{};
    m.iVersion = version;
    m.xClose = faultClose;
    m.xRead = faultRead;
    m.xWrite = faultWrite;
    m.xTruncate = faultTruncate;
    m.xSync = faultSync;
    m.xFileSize = faultFileSize;
    m.xLock = faultLock;
    m.xUnlock = faultUnlock;
    m.xCheckReservedLock = faultCheckReservedLock;
    m.xFileControl = faultFileControl;
    m.xSectorSize = faultSectorSize;
    m.xDeviceCharacteristics = faultDeviceCharacteristics;
    if (version >= 2) {
        m.xShmMap = faultShmMap;
        m.xShmLock = faultShmLock;
        m.xShmBarrier = faultShmBarrier;
        m.xShmUnmap = faultShmUnmap;
    }
    if (version >= 3) {
        m.xFetch = faultFetch;
        m.xUnfetch = faultUnfetch;
    }
    return m;
}

const sqlite3_io_methods g_methods[3] = {makeMethods(1), makeMethods(2), makeMethods(3)};

int faultOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* outFlags)
{
    auto* f = reinterpret_cast<FaultFile*>(file);
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    f->real->pMethods = nullptr;
    int rc = g_real->xOpen(g_real, name, f->real, flags, outFlags);
    if (f->real->pMethods) {
        int version = f->real->pMethods->iVersion;
        version = version < 1 ? 1 : (version > 3 ? 3 : version);
        f->base.pMethods = &g_methods[version - 1];
    } else {
        f->base.pMethods = nullptr;
    }
    return rc;
}

// Everything that is not about one file goes to the real VFS as it is.
int faultDelete(sqlite3_vfs*, const char* name, int syncDir)
{
    return g_real->xDelete(g_real, name, syncDir);
}
int faultAccess(sqlite3_vfs*, const char* name, int flags, int* out)
{
    return g_real->xAccess(g_real, name, flags, out);
}
int faultFullPathname(sqlite3_vfs*, const char* name, int n, char* out)
{
    return g_real->xFullPathname(g_real, name, n, out);
}
void* faultDlOpen(sqlite3_vfs*, const char* name)
{
    return g_real->xDlOpen(g_real, name);
}
void faultDlError(sqlite3_vfs*, int n, char* out)
{
    g_real->xDlError(g_real, n, out);
}
void (*faultDlSym(sqlite3_vfs*, void* handle, const char* symbol))(void)
{
    return g_real->xDlSym(g_real, handle, symbol);
}
void faultDlClose(sqlite3_vfs*, void* handle)
{
    g_real->xDlClose(g_real, handle);
}
int faultRandomness(sqlite3_vfs*, int n, char* out)
{
    return g_real->xRandomness(g_real, n, out);
}
int faultSleep(sqlite3_vfs*, int micros)
{
    return g_real->xSleep(g_real, micros);
}
int faultCurrentTime(sqlite3_vfs*, double* out)
{
    return g_real->xCurrentTime(g_real, out);
}
int faultGetLastError(sqlite3_vfs*, int n, char* out)
{
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
int faultCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out)
{
    return g_real->xCurrentTimeInt64(g_real, out);
}

} // namespace

FaultMode parseFaultMode(const std::string& name)
{
    if (name == "none")
        return FaultMode::None;
    if (name == "write")
        return FaultMode::Write;
    if (name == "sync")
        return FaultMode::Sync;
    if (name == "full")
        return FaultMode::Full;
    throw std::invalid_argument("unknown fault mode '" + name + "' (none, write, sync, full)");
}

const char* faultModeName(FaultMode mode)
{
    switch (mode) {
    case FaultMode::None:
        return "none";
    case FaultMode::Write:
        return "write";
    case FaultMode::Sync:
        return "sync";
    case FaultMode::Full:
        return "full";
    }
    return "?";
}

void installFaultVfs()
{
    if (g_real)
        return;
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (!base)
        throw std::runtime_error("SQLite has no default VFS to wrap");
    if (base->iVersion < 2)
        throw std::runtime_error("the default SQLite VFS is too old to wrap (version < 2)");
    g_real = base;
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + base->szOsFile;
    g_vfs.mxPathname = base->mxPathname;
    g_vfs.zName = "ow_fault";
    g_vfs.xOpen = faultOpen;
    g_vfs.xDelete = faultDelete;
    g_vfs.xAccess = faultAccess;
    g_vfs.xFullPathname = faultFullPathname;
    g_vfs.xDlOpen = faultDlOpen;
    g_vfs.xDlError = faultDlError;
    g_vfs.xDlSym = faultDlSym;
    g_vfs.xDlClose = faultDlClose;
    g_vfs.xRandomness = faultRandomness;
    g_vfs.xSleep = faultSleep;
    g_vfs.xCurrentTime = faultCurrentTime;
    g_vfs.xGetLastError = faultGetLastError;
    g_vfs.xCurrentTimeInt64 = faultCurrentTimeInt64;
    if (int rc = sqlite3_vfs_register(&g_vfs, 1); rc != SQLITE_OK) {
        g_real = nullptr;
        throw std::runtime_error(std::string("could not register the fault VFS: ") + sqlite3_errstr(rc));
    }
}

void armFault(FaultMode mode, std::int64_t k)
{
    g_mode = static_cast<int>(FaultMode::None);
    g_writes = 0;
    g_syncs = 0;
    g_injected = 0;
    g_k = k;
    g_mode = static_cast<int>(mode);
}

FaultCounters faultCounters()
{
    return {g_writes.load(), g_syncs.load(), g_injected.load()};
}

} // namespace ow::faults
