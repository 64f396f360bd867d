// Database and reference-data commands: init, migrate, import-catalogue, seed-demo,
// users, verify, rebuild-projections, state-hash.
#include "model/BuiltinCalendars.h"
#include "model/CaseNumber.h"
#include "model/DemoSeeder.h"
#include "model/Event.h"
#include "model/HybridClock.h"

#include "Commands.h"
#include "Messages.h"
#include "Output.h"
#include "Replica.h"
#include "db/PasswordHash.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <limits>
#include <map>
#include <random>

namespace ow::owctl {

namespace {

using model::Json;

std::string requireCentre(const std::string& code)
{
    if (!model::isValidCentreCode(code))
        throw UsageError("--centre expects a six-digit centre code, got '" + code + "'");
    return code;
}

std::string lower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string extension(const std::string& path)
{
    auto slash = path.find_last_of('/');
    auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return {};
    return lower(path.substr(dot));
}

struct CatalogueDiff {
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    int total() const { return added + changed + unchanged; }
};

// The same comparison Store::putCatalogue makes: an item equal to the stored one is
// not written again.
CatalogueDiff compare(const model::Catalogue& incoming, const model::Catalogue& current)
{
    CatalogueDiff d;
    auto count = [&d](const auto* have, const Json& body, auto toJsonFn) {
        if (!have)
            ++d.added;
        else if (toJsonFn(*have) == body)
            ++d.unchanged;
        else
            ++d.changed;
    };
    for (const auto& [code, m] : incoming.matters())
        count(current.findMatter(code), model::toJson(m),
            [](const model::ServiceMatter& x) { return model::toJson(x); });
    for (const auto& [code, b] : incoming.bundles())
        count(current.findBundle(code), model::toJson(b),
            [](const model::Bundle& x) { return model::toJson(x); });
    return d;
}

model::Catalogue loadCatalogue(const Context& ctx, const std::string& path)
{
    const std::string ext = extension(path);
    if (ext != ".json" && ext != ".csv")
        throw Failure(ctx.subject(), "unknown format: expected a .json or .csv file");
    const std::string text = readFile(ctx, path);
    try {
        if (ext == ".csv")
            return model::Catalogue::fromCsv(text, path);
        return model::Catalogue::fromJson(Json::parse(text));
    } catch (const model::DomainError& e) {
        throw Failure(ctx.subject(), explain(e));
    }
}

bool isValidLogin(const std::string& name)
{
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
    });
}

std::optional<model::Role> roleNamed(const std::string& text)
{
    const std::string name = lower(text);
    if (name == "clerk" || name == "window" || name == "staff")
        return model::Role::WindowStaff;
    if (name == "manager")
        return model::Role::QueueManager;
    if (name == "admin")
        return model::Role::Administrator;
    return model::roleFromString(name);
}

std::set<model::Role> parseRoles(const std::vector<std::string>& values)
{
    std::set<model::Role> roles;
    for (const auto& v : values) {
        std::size_t start = 0;
        while (start <= v.size()) {
            auto comma = v.find(',', start);
            std::string one = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            auto role = roleNamed(one);
            if (!role)
                throw UsageError("unknown role '" + one
                    + "'; expected window_staff, reviewer, queue_manager or administrator");
            roles.insert(*role);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    }
    return roles;
}

std::string rolesText(const std::set<model::Role>& roles)
{
    std::string s;
    for (auto r : roles)
        s += (s.empty() ? "" : ",") + model::toString(r);
    return s;
}

Json rolesJson(const std::set<model::Role>& roles)
{
    Json a = Json::array();
    for (auto r : roles)
        a.push_back(Json(model::toString(r)));
    return a;
}

// The first line of the file, without its line break.
std::string readPassword(const Context& ctx, const std::string& path)
{
    std::string text = readFile(ctx, path);
    auto end = text.find('\n');
    if (end != std::string::npos)
        text.resize(end);
    if (!text.empty() && text.back() == '\r')
        text.pop_back();
    return text;
}

// Physical time that seed-demo moves through the past while the store stamps events.
class DemoTime : public model::Clock {
public:
    explicit DemoTime(std::int64_t ms)
        : m_ms(std::make_shared<std::atomic<std::int64_t>>(ms))
        , m_day(std::make_shared<std::atomic<std::int64_t>>(model::chinaDate(ms).days()))
    {
    }
    model::PhysicalClock physical() const
    {
        return [ms = m_ms] { return ms->load(); };
    }
    void moveTo(model::Date day, std::int64_t ms)
    {
        m_ms->store(ms);
        m_day->store(day.days());
    }
    model::Date today() const override { return model::Date::fromDays(m_day->load()); }

private:
    std::shared_ptr<std::atomic<std::int64_t>> m_ms;
    std::shared_ptr<std::atomic<std::int64_t>> m_day;
};

} // namespace

int runInit(Context& ctx)
{
    const std::string centre = requireCentre(ctx.args().value("--centre", "330102"));
    auto store = ctx.openStore(storeOptions(true, true));
    if (store->centre() == centre)
        throw NothingToDo("the database is already initialised for centre " + centre);
    store->initialise(centre);
    const std::string database = db::ConnectionInfo::parse(ctx.connectionString()).redacted();
    if (ctx.json()) {
        Json j = Json::object();
        j["database"] = database;
        j["centre"] = centre;
        j["schemaVersion"] = store->schemaVersion();
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "initialised " << database << " for centre " << centre << " (schema version "
                  << store->schemaVersion() << ")\n";
    }
    return kExitOk;
}

int runMigrate(Context& ctx)
{
    int from = 0;
    try {
        auto current = db::Store::open(ctx.connectionString(), storeOptions(false, false));
        throw NothingToDo("schema version " + std::to_string(current->schemaVersion()) + " is current");
    } catch (const model::DomainError& e) {
        if (e.code() != "db.schema_too_old")
            throw Failure(
                "cannot open database " + db::ConnectionInfo::parse(ctx.connectionString()).redacted(),
                explain(e));
        from = std::stoi(e.fact("database"));
    }
    auto store = ctx.openStore(storeOptions(false, true));
    const int to = store->schemaVersion();
    if (ctx.json()) {
        Json j = Json::object();
        j["from"] = from;
        j["to"] = to;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "migrated schema version " << from << " to " << to << "\n";
    }
    return kExitOk;
}

int runImportCatalogue(Context& ctx)
{
    const std::string path = ctx.args().positionals.front();
    model::Catalogue incoming = loadCatalogue(ctx, path);
    WriteSession session(ctx);
    session.refresh();
    session.requireReference(ctx.subject(), false);
    CatalogueDiff diff = compare(incoming, session.reference().catalogue());
    if (diff.added + diff.changed == 0)
        throw NothingToDo(
            "all " + std::to_string(diff.total()) + " items of " + path + " are already imported");
    session.target().putCatalogue(incoming, ctx.actor());
    session.finish();
    if (ctx.json()) {
        Json j = Json::object();
        j["file"] = path;
        j["matters"] = incoming.matters().size();
        j["bundles"] = incoming.bundles().size();
        j["added"] = diff.added;
        j["changed"] = diff.changed;
        j["unchanged"] = diff.unchanged;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "imported " << path << ": " << incoming.matters().size() << " matters, "
                  << incoming.bundles().size() << " bundles (" << diff.added << " new, " << diff.changed
                  << " changed, " << diff.unchanged << " unchanged)\n";
    }
    return kExitOk;
}

int runSeedDemo(Context& ctx)
{
    const int cases = static_cast<int>(parseCount("--cases", ctx.args().value("--cases"), 0, 100000));
    std::uint64_t seed = 0;
    if (ctx.args().has("--seed"))
        seed = static_cast<std::uint64_t>(
            parseCount("--seed", ctx.args().value("--seed"), 0, std::numeric_limits<long long>::max()));
    else
        seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) | std::random_device{}();
    const bool centreGiven = ctx.args().has("--centre");
    const std::string wantedCentre = requireCentre(ctx.args().value("--centre", "330102"));

    const std::int64_t now = model::systemPhysicalClock()();
    const model::Date today = model::chinaDate(now);
    DemoTime time(now);
    db::OpenOptions options = storeOptions(true, true);
    options.clock = time.physical();
    auto store = ctx.openStore(options);
    if (store->centre().empty() || centreGiven)
        store->initialise(wantedCentre); // refuses another centre's database
    const std::string centre = store->centre();

    // Reference data first, stamped before the first seeded action (08:00 CST, a year
    // and a bit ago), so that every event lies in the past and time only moves forward.
    const model::Date start = today.addDays(-370);
    time.moveTo(start, start.days() * 86'400'000);
    const model::Catalogue catalogue = model::fullDemoCatalogue();
    const std::string actor = ctx.actor("admin");
    CatalogueDiff diff = compare(catalogue, store->catalogue());
    if (diff.added + diff.changed > 0)
        store->putCatalogue(catalogue, actor);
    // The hall: categories A–F (A serves every matter) and windows W01–W12.
    const std::size_t setupChanges
        = store->putCentreSetup(model::demoCategories(), model::demoWindows(), actor);

    struct Account {
        std::string user;
        std::string role;
        std::optional<std::string> password; // nothing for an account that already existed
    };
    std::vector<Account> accounts;
    for (const auto& m : model::demoStaff(seed)) {
        if (store->findStaff(m.id)) {
            accounts.push_back({m.id, model::toString(m.role), std::nullopt});
            continue;
        }
        store->putStaff({m.id, m.name, {m.role}, centre, true}, db::hashPassword(m.password), actor);
        accounts.push_back({m.id, model::toString(m.role), m.password});
    }
    bool newAccounts
        = std::any_of(accounts.begin(), accounts.end(), [](const Account& a) { return a.password; });
    if (cases == 0 && !newAccounts && diff.added + diff.changed == 0 && setupChanges == 0)
        throw NothingToDo("the demo catalogue and accounts are already there and no cases were asked for");

    model::DemoSeedResult result;
    if (cases > 0) {
        const model::HolidayCalendar calendar = model::builtinCalendar();
        db::StoreCaseNumberSource numbers(*store, centre, "W01", 50);
        model::ServiceContext services{*store, catalogue, calendar, *store, numbers, time, centre};
        model::DemoSeedOptions seedOptions;
        seedOptions.cases = cases;
        seedOptions.today = today;
        seedOptions.seed = seed;
        result = model::seedDemoCases(
            services, seedOptions, [&time](model::Date day, std::int64_t ms) { time.moveTo(day, ms); });
    }

    if (ctx.json()) {
        Json staff = Json::array();
        for (const auto& a : accounts) {
            Json j = Json::object();
            j["user"] = a.user;
            j["role"] = a.role;
            j["password"] = a.password ? Json(*a.password) : Json();
            staff.push_back(j);
        }
        Json j = Json::object();
        j["staff"] = staff;
        j["cases"] = result.cases;
        j["windows"] = static_cast<std::int64_t>(store->windows().size());
        j["categories"] = static_cast<std::int64_t>(store->categories().size());
        ctx.out() << j.canonical() << "\n";
        return kExitOk;
    }
    ctx.out() << "demo centre " << centre << ": " << catalogue.matters().size() << " matters, "
              << catalogue.bundles().size() << " bundles (" << diff.added << " new, " << diff.changed
              << " changed); " << store->windows().size() << " windows serving categories ";
    std::string cats;
    for (const auto& c : store->categories())
        cats += c.code;
    ctx.out() << cats << "\n\n";
    Table table({"USER", "ROLE", "PASSWORD"});
    for (const auto& a : accounts)
        table.add({a.user, a.role, a.password ? *a.password : "(existing account, unchanged)"});
    table.print(ctx.out());
    ctx.out() << "\n" << result.cases << " cases";
    std::string sep = ": ";
    for (const auto& [status, n] : result.byStatus) {
        ctx.out() << sep << model::toString(status) << " " << n;
        sep = ", ";
    }
    ctx.out() << "\n";
    return kExitOk;
}

int runUsersAdd(Context& ctx)
{
    const std::string name = ctx.args().positionals.front();
    if (!isValidLogin(name))
        throw UsageError("a login name has 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'");
    const std::set<model::Role> roles = parseRoles(ctx.args().values("--role"));
    WriteSession session(ctx);
    session.refresh();
    session.requireReference(ctx.subject(), false);
    if (session.reference().findStaff(name))
        throw Failure(
            ctx.subject(), "the account already exists; set its password with 'owctl users passwd'");
    const bool generated = !ctx.args().has("--password-file");
    const std::string password
        = generated ? db::generatePassword() : readPassword(ctx, ctx.args().value("--password-file"));
    const std::string hash = db::hashPassword(password);
    model::Staff staff{
        name, ctx.args().value("--display-name", name), roles, session.reference().centre(), true};
    session.target().putStaff(staff, hash, ctx.actor());
    session.finish();
    if (ctx.json()) {
        Json j = Json::object();
        j["user"] = staff.id;
        j["name"] = staff.name;
        j["roles"] = rolesJson(roles);
        j["centre"] = staff.centre;
        if (generated)
            j["password"] = password;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "created " << staff.id << " (" << rolesText(roles) << ")\n";
        if (generated)
            ctx.out() << "password: " << password << "\n";
    }
    return kExitOk;
}

int runUsersPasswd(Context& ctx)
{
    const std::string name = ctx.args().positionals.front();
    WriteSession session(ctx);
    session.refresh();
    session.requireReference(ctx.subject(), false);
    if (!session.target().findStaff(name))
        throw Failure(ctx.subject(), "there is no staff account '" + name + "'");
    const bool generated = !ctx.args().has("--password-file");
    const std::string password
        = generated ? db::generatePassword() : readPassword(ctx, ctx.args().value("--password-file"));
    session.target().setPassword(name, db::hashPassword(password), ctx.actor());
    session.finish();
    if (ctx.json()) {
        Json j = Json::object();
        j["user"] = name;
        if (generated)
            j["password"] = password;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "password of " << name << " changed\n";
        if (generated)
            ctx.out() << "password: " << password << "\n";
    }
    return kExitOk;
}

int runUsersList(Context& ctx)
{
    auto store = ctx.openStore();
    auto staff = store->listStaff();
    if (ctx.json()) {
        Json a = Json::array();
        for (const auto& r : staff) {
            Json j = Json::object();
            j["user"] = r.staff.id;
            j["name"] = r.staff.name;
            j["roles"] = rolesJson(r.staff.roles);
            j["centre"] = r.staff.centre;
            j["active"] = r.staff.active;
            a.push_back(j);
        }
        ctx.out() << a.canonical() << "\n";
        return kExitOk;
    }
    Table table({"USER", "NAME", "ROLES", "CENTRE", "ACTIVE"});
    for (const auto& r : staff)
        table.add({r.staff.id, r.staff.name, rolesText(r.staff.roles), r.staff.centre,
            r.staff.active ? "yes" : "no"});
    table.print(ctx.out());
    return kExitOk;
}

int runVerify(Context& ctx)
{
    auto store = ctx.openStore();
    const db::VerifyReport report = store->verify();
    if (ctx.json()) {
        Json problems = Json::array();
        for (const auto& p : report.problems) {
            Json j = Json::object();
            j["kind"] = p.kind;
            j["subject"] = p.subject;
            j["detail"] = p.detail;
            problems.push_back(j);
        }
        Json j = Json::object();
        j["events"] = report.events;
        j["origins"] = report.origins;
        j["cases"] = report.cases;
        j["ok"] = report.ok();
        j["problems"] = problems;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "events    " << report.events << "\norigins   " << report.origins << "\ncases     "
                  << report.cases << "\nproblems  " << report.problems.size() << "\n";
        if (!report.ok()) {
            Table table({"KIND", "SUBJECT", "DETAIL"});
            for (const auto& p : report.problems)
                table.add({p.kind, p.subject, oneLine(p.detail)});
            ctx.out() << "\n";
            table.print(ctx.out());
        }
    }
    if (report.ok())
        return kExitOk;
    ctx.flush();
    std::cerr << "owctl: verify: " << report.problems.size()
              << (report.problems.size() == 1 ? " problem" : " problems") << " found, first "
              << report.problems.front().kind << " at " << report.problems.front().subject << "\n";
    return kExitError;
}

int runRebuildProjections(Context& ctx)
{
    auto store = ctx.openStore();
    store->rebuildProjections();
    const std::int64_t cases = store->countCases("");
    const std::int64_t events = store->eventCount();
    if (ctx.json()) {
        Json j = Json::object();
        j["cases"] = cases;
        j["events"] = events;
        j["stateHash"] = store->stateHash();
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "rebuilt the projections of " << cases << " cases from " << events << " events\n";
    }
    return kExitOk;
}

namespace {

// What a held event's reason means for whoever looks after the centre.
const char* heldReasonText(const std::string& reason)
{
    if (reason == "missing_predecessor")
        return "waits for an earlier event of its origin, which has not arrived here or is held itself";
    if (reason == "chain_mismatch")
        return "does not chain onto the event before it from its origin (damaged or forged); it stays held "
               "unless the genuine event under its id arrives";
    if (reason == "clock_ahead")
        return "stamped more than 10 minutes ahead of this database's clock; applied once the clock has "
               "caught up (check the clocks of both ends)";
    return "held";
}

} // namespace

int runHeld(Context& ctx)
{
    auto store = ctx.openStore();
    const std::vector<db::HeldEvent> held = store->heldEvents();
    if (ctx.json()) {
        Json list = Json::array();
        for (const auto& h : held) {
            const auto parts = model::parseEventId(h.id);
            Json j = Json::object();
            j["id"] = h.id;
            j["origin"] = parts ? parts->origin : std::string();
            j["seq"] = parts ? parts->seq : 0;
            j["reason"] = h.reason;
            list.push_back(std::move(j));
        }
        ctx.out() << list.canonical() << "\n";
        return kExitOk;
    }
    if (held.empty()) {
        ctx.out() << "no held events\n";
        return kExitOk;
    }
    Table table({"EVENT", "REASON"});
    std::map<std::string, std::size_t> byReason;
    for (const auto& h : held) {
        table.add({h.id, h.reason});
        ++byReason[h.reason];
    }
    table.print(ctx.out());
    ctx.out() << "\n";
    for (const auto& [reason, count] : byReason)
        ctx.out() << reason << " (" << count << "): " << heldReasonText(reason) << "\n";
    return kExitOk;
}

int runStateHash(Context& ctx)
{
    auto store = ctx.openStore();
    const std::string hash = store->stateHash();
    if (ctx.json()) {
        Json j = Json::object();
        j["stateHash"] = hash;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << hash << "\n";
    }
    return kExitOk;
}

} // namespace ow::owctl
