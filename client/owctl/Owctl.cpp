// owctl — the administrator's command-line tool. A contract scripts rely on: results on
// stdout, logs and the one-line reason of a failure on stderr; exit 0 ok, 1 error,
// 2 usage, 3 nothing to do. docs/OWCTL.md describes every command.
#include "model/CaseState.h"
#include "model/HybridClock.h"

#include "Args.h"
#include "Commands.h"
#include "Messages.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

namespace ow::owctl {

namespace {

using Handler = int (*)(Context&);

// What a command does with --replica.
enum class ReplicaUse {
    Ignored, // reads: from --db
    Writes, // writes its events through the replica
    Needed, // sync, status: --replica is required
    Refused, // schema work and the demo builder: on one database only
};

struct Command {
    CommandSpec spec;
    Handler run;
    ReplicaUse replica = ReplicaUse::Ignored;
};

const char* const kWorkHelp
    = "--as USER is required: the staff account doing the work, whose role must allow it.\n"
      "Prints the case number, its status and, once accepted, its deadline. A refusal names\n"
      "the rule (exit 1). With --replica the event goes to the replica first and is pushed\n"
      "to --db when that answers.";
const OptionSpec kAs{"--as", "USER", "the staff id recorded as the actor of the events written"};

const char* const kTicketHelp
    = "Tickets live in the shared database (--db) only: each change is decided there under the\n"
      "hall's lock, so two windows never call the same person. --replica is ignored; when the\n"
      "shared database cannot be opened the command fails (exit 1).";
const char* const kTicketChangeHelp
    = "TICKET is today's short number (A001) or a full ticket id (330102-20261129-A001).\n"
      "Prints NUMBER ID STATUS and its details (--json: the ticket as JSON). Window staff act\n"
      "on the tickets they serve; a queue manager may act on anybody's. A refusal names the\n"
      "rule (exit 1).\n"
      "Tickets live in the shared database (--db) only; --replica is ignored.";
const OptionSpec kStaff{"--staff", "USER", "(required) the staff account doing it"};
const char* const kRatingHelp
    = "Prints the rating on one line: ID level N open|closed|no-follow-up and its details (--json:\n"
      "the rating as JSON). Ratings are written to --db, like the tickets they rate; --replica is\n"
      "ignored. A refusal names the rule (exit 1).";

std::string statusList()
{
    std::string s;
    for (auto st : model::allCaseStatuses())
        if (st != model::CaseStatus::None)
            s += (s.empty() ? "" : ", ") + model::toString(st);
    return s;
}

const std::vector<Command>& commands()
{
    static const std::vector<Command> list = {
        {{"init", "", "Create the database schema and set the centre code.",
             "Exits 3 when the database is already initialised for that centre, 1 when it belongs to\n"
             "another centre.",
             {{"--centre", "CODE", "six-digit centre code (default 330102)"}}, 0, 0},
            runInit, ReplicaUse::Refused},
        {{"migrate", "", "Migrate an older database schema to the version of this owctl.",
             "Prints the versions migrated from and to; exits 3 when the schema is current.", {}, 0, 0},
            runMigrate, ReplicaUse::Refused},
        {{"import-catalogue", "FILE", "Import service matters and bundles from a .json or .csv file.",
             "All or nothing: any problem names the file with its line or JSON path, and nothing\n"
             "is imported. Exits 3 when every item is already imported unchanged.",
             {kAs}, 1, 1},
            runImportCatalogue, ReplicaUse::Writes},
        {{"seed-demo", "", "Build a demo centre: catalogue, staff accounts and N cases over the past year.",
             "Prints the demo accounts with their passwords.",
             {{"--centre", "CODE", "centre code for a fresh database (default 330102)"},
                 {"--cases", "N", "(required) number of demo cases, 0 to 100000"},
                 {"--seed", "S", "seed of the synthetic data and passwords (default: random)"}, kAs},
             0, 0},
            runSeedDemo, ReplicaUse::Refused},
        {{"intake", "FILE", "Take in an application from a JSON intake document; prints the new case number.",
             "Each run opens a new case. The document format is in docs/OWCTL.md.\n"
             "With --replica the case is written to the replica first and pushed to --db when that\n"
             "answers; offline its number is a workstation fallback number.",
             {{"--as", "USER", "the acting staff account (overrides the document's clerk)"},
                 {"--workstation", "W", "workstation code of offline fallback numbers (default W01)"}},
             1, 1},
            runIntake, ReplicaUse::Writes},
        {{"cases list", "", "List cases, newest first.",
             "With --json: one JSON array of every matching case unless --limit is given.",
             {{"--status", "S", "only cases in this status: " + statusList()},
                 {"--limit", "N", "at most N cases"}},
             0, 0},
            runCasesList},
        {{"cases show", "NUMBER",
             "Show one case: applicant (masked), matters, materials, deadline and ledger.",
             "With --json: the case state, identity numbers masked.", {}, 1, 1},
            runCasesShow},
        {{"search", "TEXT", "Find cases by exact ID number, phone or case number, or a name prefix.", "",
             {{"--limit", "N", "at most N cases (default 50)"}}, 1, 1},
            runSearch},
        {{"report", "", "KPIs of a range of days: tickets, cases, ratings, coverage (docs/KPIS.md).",
             "JSON (default), CSV (UTF-8 with a byte-order mark, one section per sheet) or an XLSX\n"
             "workbook with the sheets Summary, Tickets by category, Tickets by window, Cases and\n"
             "Ratings. CSV and JSON go to stdout unless --output is given; XLSX needs --output.\n"
             "Reads --db; --replica is ignored.",
             {{"--from", "YYYY-MM-DD", "(required) the first day, China time"},
                 {"--to", "YYYY-MM-DD", "(required) the last day; running cases are judged on it"},
                 {"--format", "F", "json (default), csv or xlsx"},
                 {"--output", "FILE", "write the report to FILE (replaced whole) instead of stdout"},
                 {"--centre", "CODE", "only this centre's tickets, cases and ratings (default: all)"},
                 {"--department", "D",
                     "only the cases of this department (as the catalogue names it) and their tickets and "
                     "ratings"}},
             0, 0},
            runReport},
        {{"cases route", "NUMBER", "Route a step of an accepted case to a department.", kWorkHelp,
             {{"--step", "ID", "(required) the step's id, e.g. review"},
                 {"--department", "D", "(required) the department doing the step"},
                 {"--assignee", "USER", "the staff account the step goes to"}, kAs},
             1, 1},
            runCaseRoute, ReplicaUse::Writes},
        {{"cases complete", "NUMBER", "Complete a routed step with its outcome.", kWorkHelp,
             {{"--step", "ID", "(required) the step's id"},
                 {"--outcome", "TEXT", "(required) what came of it"}, kAs},
             1, 1},
            runCaseComplete, ReplicaUse::Writes},
        {{"cases suspend", "NUMBER", "Stop the case's clock (e.g. for an expert opinion).", kWorkHelp,
             {{"--reason", "TEXT", "(required) why the clock stops"}, kAs}, 1, 1},
            runCaseSuspend, ReplicaUse::Writes},
        {{"cases resume", "NUMBER", "Start a suspended case's clock again.", kWorkHelp, {kAs}, 1, 1},
            runCaseResume, ReplicaUse::Writes},
        {{"cases extend", "NUMBER", "Extend the deadline, approved by the acting account.", kWorkHelp,
             {{"--by", "LIMIT", "(required) the extension: 5wd working days or 10cd calendar days"},
                 {"--reason", "TEXT", "(required) why"},
                 {"--requested-by", "USER", "(required) who asked for the extension"}, kAs},
             1, 1},
            runCaseExtend, ReplicaUse::Writes},
        {{"cases conclude", "NUMBER", "Decide the case: approve, or deny with a reason.", kWorkHelp,
             {{"--approve", "", "approve the application"}, {"--deny", "", "deny it (needs --reason)"},
                 {"--reason", "TEXT", "the reason of the decision"}, kAs},
             1, 1},
            runCaseConclude, ReplicaUse::Writes},
        {{"cases deliver", "NUMBER", "Hand the result out.", kWorkHelp,
             {{"--method", "M", "(required) window, post or e_licence"}, kAs}, 1, 1},
            runCaseDeliver, ReplicaUse::Writes},
        {{"cases withdraw", "NUMBER", "Record that the applicant withdrew the application.", kWorkHelp,
             {{"--reason", "TEXT", "(required) the applicant's reason"}, kAs}, 1, 1},
            runCaseWithdraw, ReplicaUse::Writes},
        {{"cases terminate", "NUMBER", "End the case without a decision.", kWorkHelp,
             {{"--reason", "TEXT", "(required) why"}, kAs}, 1, 1},
            runCaseTerminate, ReplicaUse::Writes},
        {{"cases close", "NUMBER", "Close a delivered, refused, withdrawn or terminated case.", kWorkHelp,
             {kAs}, 1, 1},
            runCaseClose, ReplicaUse::Writes},
        {{"cases note", "NUMBER TEXT", "Add a note to the case's timeline.", kWorkHelp, {kAs}, 2, 2},
            runCaseNote, ReplicaUse::Writes},
        {{"cases assign", "NUMBER", "Give the case to a staff member (and window).", kWorkHelp,
             {{"--to", "USER", "(required) the staff account"}, {"--window", "W", "the window, e.g. W03"},
                 kAs},
             1, 1},
            runCaseAssign, ReplicaUse::Writes},
        {{"cases transfer", "NUMBER", "Transfer the case to another centre.", kWorkHelp,
             {{"--to-centre", "CODE", "(required) the receiving centre's six-digit code"},
                 {"--reason", "TEXT", "(required) why"}, kAs},
             1, 1},
            runCaseTransfer, ReplicaUse::Writes},
        {{"cases resolve", "NUMBER", "Resolve a conflict by choosing one of its candidate events.", kWorkHelp,
             {{"--group", "G", "(required) the conflict group, as 'cases show --json' lists it"},
                 {"--choose", "EVENT", "(required) the id of the event whose value stands"}, kAs},
             1, 1},
            runCaseResolve, ReplicaUse::Writes},
        {{"ticket issue", "CATEGORY", "Issue a queue ticket: at a kiosk, or by a staff member with --as.",
             std::string(
                 "Prints NUMBER ID STATUS and its details, e.g. 'A001 330102-20261129-A001 waiting'\n"
                 "(--json: the ticket as JSON). An appointment is for its own day and is called once\n"
                 "its time has come.\n")
                 + kTicketHelp,
             {{"--priority", "P", "normal (default), elderly or disabled"},
                 {"--appointment", "TIME",
                     "book it for \"YYYY-MM-DD HH:MM\", China time (UTC+8); needs --as"},
                 {"--kiosk", "ID", "the kiosk issuing it when no --as is given (default owctl)"},
                 {"--id-number", "N",
                     "the number read from the applicant's ID card: 60 or older gives the elderly priority"
                     " (never stored)"},
                 {"--as", "USER", "the staff account issuing it (needs the issue_ticket permission)"}},
             1, 1},
            runTicketIssue},
        {{"ticket import", "FILE", "Book the appointments listed in a file (an online booking export).",
             std::string(
                 "One per line: \"YYYY-MM-DD HH:MM,CATEGORY\" (China time); an optional header\n"
                 "line \"time,category\"; '#' starts a comment. Every good line is booked and printed\n"
                 "as by 'ticket issue'; each bad line is named on stderr with FILE:LINE and the import\n"
                 "goes on; exit 1 when any line was refused. Importing a file twice books it twice.\n")
                 + kTicketHelp,
             {{"--as", "USER", "(required) the staff account booking them (issue_ticket permission)"}}, 1, 1},
            runTicketImport},
        {{"ticket call", "", "End the window's current ticket and call the next one to it.",
             std::string("Prints one JSON line, with or without --json:\n"
                         "  {\"ticket\":{…the called ticket…},\"ended\":\"A001\"|null}\n"
                         "When nobody is waiting for the window: {\"ticket\":null,…} and exit 3.\n")
                 + kTicketHelp,
             {{"--window", "W", "(required) the window calling, e.g. W01"}, kStaff}, 0, 0},
            runTicketCall},
        {{"ticket list", "", "List a day's tickets: number, status, priority, window, staff, wait, case.",
             std::string("With --json: one JSON array of the tickets.\n") + kTicketHelp,
             {{"--day", "YYYY-MM-DD", "the day, in China time (default today)"},
                 {"--status", "S",
                     "only tickets in this status: waiting, called, parked, ended, no_show, cancelled"}},
             0, 0},
            runTicketList},
        {{"ticket recall", "TICKET", "Announce a called ticket again.", kTicketChangeHelp, {kStaff}, 1, 1},
            runTicketRecall},
        {{"ticket no-show", "TICKET", "Record that a called applicant did not come.", kTicketChangeHelp,
             {kStaff}, 1, 1},
            runTicketNoShow},
        {{"ticket park", "TICKET", "Park a called ticket while the applicant steps away.", kTicketChangeHelp,
             {kStaff}, 1, 1},
            runTicketPark},
        {{"ticket resume", "TICKET",
             "Call a parked ticket back to a window (ending the window's current one).", kTicketChangeHelp,
             {{"--window", "W", "(required) the window taking it back"}, kStaff}, 1, 1},
            runTicketResume},
        {{"ticket end", "TICKET", "End the service of a called or parked ticket.", kTicketChangeHelp,
             {kStaff, {"--case", "NUMBER", "the case the ticket led to"}}, 1, 1},
            runTicketEnd},
        {{"ticket cancel", "TICKET", "Cancel a waiting ticket (e.g. an appointment called off).",
             kTicketChangeHelp, {kStaff}, 1, 1},
            runTicketCancel},
        {{"ticket transfer", "TICKET", "Pass a ticket on to another window, staff member or category.",
             std::string("It waits again, first in line for its target. Needs at least one --to-… option.\n")
                 + kTicketChangeHelp,
             {kStaff, {"--to-window", "W", "the window that is to serve it"},
                 {"--to-staff", "USER", "the staff member who is to serve it"},
                 {"--to-category", "C", "the queue category it moves to"},
                 {"--case", "NUMBER", "the case it carries"}},
             1, 1},
            runTicketTransfer},
        {{"rating give", "",
             "Rate a service at the window's evaluator (好差评): the ticket it has just ended.",
             std::string(
                 "The evaluator facing the applicant is a public device: no staff account is needed;\n"
                 "the rating is recorded with the actor evaluator:<W> and carries the ticket's case,\n"
                 "staff member and window. Once per ticket. Levels: 5 非常满意, 4 满意, 3 基本满意,\n"
                 "2 不满意, 1 非常不满意; 1 and 2 open a follow-up due in 5 working days.\n")
                 + kRatingHelp,
             {{"--window", "W", "(required) the window whose evaluator is used, e.g. W01"},
                 {"--ticket", "TICKET", "(required) today's ticket number (A001) or a full ticket id"},
                 {"--level", "N", "(required) 1 (very dissatisfied) to 5 (very satisfied)"},
                 {"--comment", "TEXT", "what the applicant wrote (at most 500 bytes of UTF-8)"},
                 {"--anonymous", "", "the applicant rated without their name"}},
             0, 0},
            runRatingGive},
        {{"rating record", "", "Record a rating taken by SMS, phone, web or on paper (queue managers).",
             std::string("Names the service rated with --case, --ticket or both; a ticket gives the staff\n"
                         "member, the window and its case. Needs record_evaluation (queue managers).\n")
                 + kRatingHelp,
             {{"--as", "USER", "(required) the staff account recording it"},
                 {"--case", "NUMBER", "the case rated"},
                 {"--ticket", "TICKET", "the ticket rated: today's number (A001) or a full ticket id"},
                 {"--level", "N", "(required) 1 (very dissatisfied) to 5 (very satisfied)"},
                 {"--channel", "C", "(required) sms, phone, web or paper"},
                 {"--comment", "TEXT", "what the applicant said (at most 500 bytes of UTF-8)"},
                 {"--anonymous", "", "the applicant rated without their name"}},
             0, 0},
            runRatingRecord},
        {{"rating list", "", "List ratings of some days, or the open follow-ups of bad ones.",
             std::string("Without --open: the ratings given from --from to --to (default today), in the\n"
                         "order given. With --open: the bad ratings whose follow-up is open, earliest due\n"
                         "first (every one unless --from/--to are given). With --json: one JSON array.\n")
                 + kRatingHelp,
             {{"--from", "YYYY-MM-DD", "the first day, China time (default: --to or today)"},
                 {"--to", "YYYY-MM-DD", "the last day, China time (default today)"},
                 {"--open", "", "only bad ratings whose follow-up is not closed"}},
             0, 0},
            runRatingList},
        {{"rating follow-up", "ID",
             "Add a step to a bad rating's follow-up: callback, rectification or appeal.",
             std::string(
                 "ID is the rating's id as 'rating list' shows it. --close closes the follow-up; it\n"
                 "needs a callback, a rectification or a decided appeal (upheld or rejected), in this\n"
                 "step or an earlier one. An appeal upheld takes the rating out of the figures.\n"
                 "Needs follow_up_rating (queue managers).\n")
                 + kRatingHelp,
             {{"--as", "USER", "(required) the staff account doing it"},
                 {"--action", "A", "(required) callback, rectification or appeal"},
                 {"--note", "TEXT", "(required) what was done or found"},
                 {"--close", "", "close the follow-up with this step"},
                 {"--outcome", "O", "an appeal's state: pending (default), upheld or rejected"}},
             1, 1},
            runRatingFollowUp},
        {{"users add", "NAME", "Create a staff account.",
             "Without --password-file a password is generated and printed once.\n"
             "Roles: window_staff (clerk), reviewer, queue_manager (manager), administrator (admin).",
             {{"--role", "ROLE", "(required) a role; repeat it or separate roles with commas", true},
                 {"--display-name", "NAME", "the person's name (default: the login name)"},
                 {"--password-file", "FILE", "read the password from the first line of FILE ('-': stdin)"},
                 kAs},
             1, 1},
            runUsersAdd, ReplicaUse::Writes},
        {{"users passwd", "NAME", "Set a staff account's password.",
             "Without --password-file a password is generated and printed once.",
             {{"--password-file", "FILE", "read the password from the first line of FILE ('-': stdin)"}, kAs},
             1, 1},
            runUsersPasswd, ReplicaUse::Writes},
        {{"users list", "", "List staff accounts (never their password hashes).", "", {}, 0, 0},
            runUsersList},
        {{"verify", "", "Check every origin's hash chain and every projected row against a fresh fold.",
             "Prints counts and each problem (kind, subject, detail); exits 1 when there is any.", {}, 0, 0},
            runVerify},
        {{"rebuild-projections", "",
             "Drop and rebuild the case list, search and reference tables from the events.", "", {}, 0, 0},
            runRebuildProjections, ReplicaUse::Refused},
        {{"state-hash", "", "Print the state-hash: 64 lowercase hex characters.",
             "Any two stores holding the same events print the same hash.", {}, 0, 0},
            runStateHash},
        {{"held", "", "List the received events held until they can apply, each with why.",
             "Reasons: missing_predecessor, chain_mismatch, clock_ahead; a line per reason says what\n"
             "it means. Exit 0 either way.",
             {}, 0, 0},
            runHeld},
        {{"sync", "", "Reconcile the --replica with the shared database (--db) both ways.",
             "Prints the events sent up and brought down. Exits 1 when the shared database does\n"
             "not answer, 3 when nothing moved.",
             {}, 0, 0},
            runSync, ReplicaUse::Needed},
        {{"status", "",
             "Show whether the shared database answers and the --replica's pending and held events.", "", {},
             0, 0},
            runStatus, ReplicaUse::Needed},
    };
    return list;
}

std::string version()
{
    return std::string("owctl ") + OW_VERSION + " (database schema "
        + std::to_string(db::currentSchemaVersion()) + ")";
}

std::string generalUsage()
{
    std::string text
        = "usage: owctl [--db CONNSTRING] [--replica CONNSTRING] [--json] COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& c : commands()) {
        std::string left = "  " + c.spec.name + (c.spec.arguments.empty() ? "" : " " + c.spec.arguments);
        if (left.size() < 28)
            left.resize(28, ' ');
        else
            left += "  ";
        text += left + c.spec.summary + "\n";
    }
    text += "\nglobal options (before or after the command):\n"
            "  --db CONNSTRING  sqlite3://db=FILE or postgresql://host=… dbname=… user=…\n"
            "                   (default "
        + db::defaultConnectionString()
        + ")\n"
          "  --replica CONNSTRING  the workstation's local replica: intake writes there first and\n"
          "                   pushes to --db while it answers; see sync and status\n"
          "  --json           machine-readable output on stdout\n"
          "  --help           help, also after a command: owctl intake --help\n"
          "  --version        print the version\n"
          "\nexit codes: 0 ok, 1 error (reason on stderr), 2 usage, 3 nothing to do\n";
    return text;
}

int usageError(const std::string& message, const std::string& usageLine)
{
    std::cerr << "owctl: " << oneLine(message) << "\n" << usageLine << "\n";
    return kExitUsage;
}

const Command* findCommand(const std::string& name)
{
    for (const auto& c : commands())
        if (c.spec.name == name)
            return &c;
    return nullptr;
}

bool isGroup(const std::string& word)
{
    return word == "cases" || word == "users" || word == "ticket" || word == "rating";
}

std::string groupUsage(const std::string& group)
{
    std::string text;
    for (const auto& c : commands())
        if (c.spec.name.starts_with(group + " "))
            text += (text.empty() ? "" : "\n") + c.spec.usageLine();
    return text;
}

int run(const std::vector<std::string>& words)
{
    GlobalOptions globals;
    std::vector<std::string> rest;
    try {
        rest = extractGlobals(words, globals);
    } catch (const UsageError& e) {
        return usageError(e.what(), "usage: owctl [--db CONNSTRING] [--json] COMMAND [ARGS]");
    }
    if (globals.version) {
        std::cout << version() << "\n";
        return kExitOk;
    }
    if (!rest.empty() && rest.front() == "help") {
        rest.erase(rest.begin());
        globals.help = true;
    }
    if (rest.empty()) {
        if (globals.help) {
            std::cout << generalUsage();
            return kExitOk;
        }
        return usageError(
            "no command given", "usage: owctl [--db CONNSTRING] [--json] COMMAND [ARGS] (owctl --help)");
    }
    std::string name = rest.front();
    std::size_t consumed = 1;
    if (isGroup(name)) {
        if (rest.size() < 2 || rest[1].starts_with("-")) {
            if (globals.help) {
                std::cout << groupUsage(name) << "\n";
                return kExitOk;
            }
            return usageError("'" + name + "' needs a subcommand", groupUsage(name));
        }
        name += " " + rest[1];
        consumed = 2;
    }
    const Command* command = findCommand(name);
    if (!command)
        return usageError("unknown command '" + name + "'",
            "usage: owctl [--db CONNSTRING] [--json] COMMAND [ARGS] (owctl --help)");
    if (globals.help) {
        std::cout << command->spec.helpText();
        return kExitOk;
    }
    if (command->replica == ReplicaUse::Needed && globals.replica.empty())
        return usageError("'" + name + "' needs --replica CONNSTRING", command->spec.usageLine());
    if (command->replica == ReplicaUse::Refused && !globals.replica.empty())
        return usageError(
            "'" + name + "' does not write through a replica; drop --replica", command->spec.usageLine());
    ParsedArgs args;
    try {
        args = parseCommandLine(command->spec,
            std::vector<std::string>(rest.begin() + static_cast<std::ptrdiff_t>(consumed), rest.end()));
    } catch (const UsageError& e) {
        return usageError(e.what(), command->spec.usageLine());
    }

    Context ctx(globals, command->spec, std::move(args));
    try {
        int code = command->run(ctx);
        ctx.flush();
        return code;
    } catch (const UsageError& e) {
        return usageError(e.what(), command->spec.usageLine());
    } catch (const NothingToDo& e) {
        std::cerr << "owctl: nothing to do: " << oneLine(e.what()) << "\n";
        return kExitNothingToDo;
    } catch (const Failure& e) {
        std::cerr << "owctl: " << oneLine(e.subject() + ": " + e.reason()) << "\n";
    } catch (const model::DomainError& e) {
        std::cerr << "owctl: " << oneLine(ctx.subject() + ": " + explain(e)) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "owctl: " << oneLine(ctx.subject() + ": " + e.what()) << "\n";
    }
    return kExitError;
}

} // namespace

void Context::flush()
{
    std::cout << m_out.str();
    std::cout.flush();
    m_out.str({});
}

db::OpenOptions storeOptions(bool create, bool migrate)
{
    db::OpenOptions options;
    options.create = create;
    options.migrate = migrate;
    return options;
}

std::string Context::connectionString() const
{
    return m_globals.db.empty() ? db::defaultConnectionString() : m_globals.db;
}

std::unique_ptr<db::Store> openDatabase(
    const std::string& what, const std::string& connectionString, db::OpenOptions options)
{
    std::string subject = what;
    try {
        subject += " " + db::ConnectionInfo::parse(connectionString).redacted();
        return db::Store::open(connectionString, options);
    } catch (const model::DomainError& e) {
        throw Failure(subject, explain(e));
    }
}

std::unique_ptr<db::Store> Context::openStore(db::OpenOptions options) const
{
    return openDatabase("cannot open database", connectionString(), options);
}

std::string Context::actor(const std::string& fallback) const
{
    return m_args.value("--as", fallback);
}

std::string Context::subject() const
{
    return m_spec.name + (m_args.positionals.empty() ? "" : " " + m_args.positionals.front());
}

std::string readFile(const Context& ctx, const std::string& path)
{
    std::istream* in = &std::cin;
    std::ifstream file;
    if (path != "-") {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec))
            throw Failure(ctx.subject(), "cannot read " + path + ": it is a directory");
        file.open(path, std::ios::binary);
        if (!file)
            throw Failure(ctx.subject(), "cannot read " + path + ": " + std::strerror(errno));
        in = &file;
    }
    std::ostringstream text;
    text << in->rdbuf();
    if (in->bad())
        throw Failure(ctx.subject(), "cannot read " + path + ": " + std::strerror(errno));
    return text.str();
}

} // namespace ow::owctl

int main(int argc, char* argv[])
{
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i)
        words.emplace_back(argv[i]);
    return ow::owctl::run(words);
}
