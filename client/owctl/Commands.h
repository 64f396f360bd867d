// The commands of owctl and what they share: the parsed command line, the buffered
// result (written to stdout only when the command finishes) and opening the store.
#pragma once

#include "model/HybridClock.h"
#include "model/Repositories.h"

#include "Args.h"
#include "db/Store.h"

#include <memory>
#include <sstream>
#include <string>

namespace ow::owctl {

// The actor recorded on reference-data events when no --as is given.
inline constexpr const char* kDefaultActor = "owctl";

// Options to open the store: create a missing database? migrate an older schema?
db::OpenOptions storeOptions(bool create, bool migrate);

// Opens a database, or throws Failure("<what> <redacted connection>", reason).
std::unique_ptr<db::Store> openDatabase(
    const std::string& what, const std::string& connectionString, db::OpenOptions options);

class Context {
public:
    Context(GlobalOptions globals, const CommandSpec& spec, ParsedArgs args)
        : m_globals(std::move(globals))
        , m_spec(spec)
        , m_args(std::move(args))
    {
    }

    const GlobalOptions& globals() const { return m_globals; }
    const CommandSpec& spec() const { return m_spec; }
    const ParsedArgs& args() const { return m_args; }
    bool json() const { return m_globals.json; }
    // The result; printed when the command returns, dropped when it throws.
    std::ostringstream& out() { return m_out; }
    // Writes what is buffered so far (long listings stream page by page).
    void flush();

    std::string connectionString() const;
    // "cannot open database …: <reason>" as a Failure when it cannot be opened.
    std::unique_ptr<db::Store> openStore(db::OpenOptions options) const;
    // An existing database, migrated on open when older.
    std::unique_ptr<db::Store> openStore() const { return openStore(storeOptions(false, true)); }
    // --as USER when given, else `fallback`.
    std::string actor(const std::string& fallback = kDefaultActor) const;
    // What the command was doing, for "owctl: <subject>: <reason>": "intake FILE".
    std::string subject() const;

private:
    GlobalOptions m_globals;
    const CommandSpec& m_spec;
    ParsedArgs m_args;
    std::ostringstream m_out;
};

// The whole file, or a Failure naming it.
std::string readFile(const Context& ctx, const std::string& path);

int runInit(Context& ctx);
int runMigrate(Context& ctx);
int runImportCatalogue(Context& ctx);
int runSeedDemo(Context& ctx);
int runUsersAdd(Context& ctx);
int runUsersPasswd(Context& ctx);
int runUsersList(Context& ctx);
int runVerify(Context& ctx);
int runRebuildProjections(Context& ctx);
int runStateHash(Context& ctx);
// The received events held until they can apply, each with why.
int runHeld(Context& ctx);

int runIntake(Context& ctx);
int runCasesList(Context& ctx);
int runCasesShow(Context& ctx);
int runSearch(Context& ctx);
// KPIs of a range of days as JSON, CSV or XLSX (client/report).
int runReport(Context& ctx);

// Case work (cases route, complete, suspend, …), through the replica with --replica.
int runCaseRoute(Context& ctx);
int runCaseComplete(Context& ctx);
int runCaseSuspend(Context& ctx);
int runCaseResume(Context& ctx);
int runCaseExtend(Context& ctx);
int runCaseConclude(Context& ctx);
int runCaseDeliver(Context& ctx);
int runCaseWithdraw(Context& ctx);
int runCaseTerminate(Context& ctx);
int runCaseClose(Context& ctx);
int runCaseNote(Context& ctx);
int runCaseAssign(Context& ctx);
int runCaseTransfer(Context& ctx);
int runCaseResolve(Context& ctx);

// TICKET (or `what`, e.g. "--ticket"): a full ticket id, or today's short number ("A001",
// "a1") made into today's id. Throws UsageError for neither form, Failure for an unknown one.
std::string resolveTicketId(const Context& ctx, const db::Store& store, const std::string& centre,
    model::Date today, const std::string& text, const std::string& what);

// Queue tickets: straight on the shared database (--db), never through --replica.
int runTicketIssue(Context& ctx);
int runTicketImport(Context& ctx);
int runTicketCall(Context& ctx);
int runTicketList(Context& ctx);
int runTicketRecall(Context& ctx);
int runTicketNoShow(Context& ctx);
int runTicketPark(Context& ctx);
int runTicketResume(Context& ctx);
int runTicketEnd(Context& ctx);
int runTicketCancel(Context& ctx);
int runTicketTransfer(Context& ctx);

// Ratings (好差评): straight on --db, like the tickets they rate.
int runRatingGive(Context& ctx);
int runRatingRecord(Context& ctx);
int runRatingList(Context& ctx);
int runRatingFollowUp(Context& ctx);

int runSync(Context& ctx);
int runStatus(Context& ctx);

} // namespace ow::owctl
