#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/CentreSetup.h"
#include "model/DemoSeeder.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/StateHash.h"

#include "DbTestSupport.h"
#include "db/PasswordHash.h"
#include "db/Store.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <iostream>
#include <random>
#include <set>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <thread>
#include <unistd.h>

using namespace ow;
using namespace ow::model;
using ow::test::errorCode;
using ow::test::TestDatabase;

namespace {

using ow::test::kFastHash;
using ow::test::residentId;

// `count` notes by `actor` that belong to no case, their texts `prefix`0, `prefix`1, …
std::vector<NewEvent> notes(int count, const std::string& actor, const std::string& prefix = "n")
{
    std::vector<NewEvent> out;
    for (int i = 0; i < count; ++i) {
        Json body = Json::object();
        body["text"] = prefix + std::to_string(i);
        out.push_back({EventType::Note, "", actor, {}, body});
    }
    return out;
}

// A window on a real store: catalogue and staff written as events, services on top.
struct Window : ow::test::StoreDesk {
    explicit Window(std::unique_ptr<db::Store> s, bool seed = true)
    {
        store = std::move(s);
        if (seed) {
            store->initialise("330102");
            store->putCatalogue(catalogue, "admin");
            store->putStaff({"clerk01", "王芳", {Role::WindowStaff}, "330102", true},
                db::hashPassword("clerk-pass-1", kFastHash), "admin");
            store->putStaff({"reviewer01", "陈静", {Role::Reviewer}, "330102", true}, "", "admin");
            store->putStaff({"manager01", "赵敏", {Role::QueueManager}, "330102", true}, "", "admin");
        }
        startServices(5);
    }
};

const std::string kExtBName = "\xF0\xA0\xAE\xB7\xE5\xA4\xA7\xE4\xB8\xBA"; // 𠮷大为

} // namespace

TEST_CASE("store: a new database is created at the current schema with an origin", "[store]")
{
    TestDatabase tdb;
    auto store = tdb.open();
    CHECK(store->schemaVersion() == db::currentSchemaVersion());
    CHECK(isValidOrigin(store->origin()));
    CHECK(store->centre().empty());
    store->initialise("330102");
    CHECK(store->centre() == "330102");
    CHECK(errorCode([&] { store->initialise("330105"); }) == "db.already_initialised");
    // Reopening keeps origin and centre.
    std::string origin = store->origin();
    store.reset();
    auto again = tdb.open();
    CHECK(again->origin() == origin);
    CHECK(again->centre() == "330102");
}

TEST_CASE("store: an older database is migrated on open and keeps its data", "[store][migration]")
{
    TestDatabase tdb;
    {
        db::OpenOptions v1;
        v1.targetVersion = 1;
        auto old = tdb.open(v1);
        CHECK(old->schemaVersion() == 1);
        old->initialise("330102");
        old->append({{EventType::Note, "", "admin", {}, Json::object()}});
    }
    db::OpenOptions strict;
    strict.migrate = false;
    CHECK(errorCode([&] { tdb.open(strict); }) == "db.schema_too_old");
    auto store = tdb.open();
    CHECK(store->schemaVersion() == db::currentSchemaVersion());
    CHECK(store->centre() == "330102");
    CHECK(store->eventCount() == 1);
    // The new table works.
    auto block = store->reserveCaseNumbers("330102", Date(2026, 3, 2), 10);
    CHECK(block.first == 1);
    CHECK(block.last == 10);
}

TEST_CASE("store: a database newer than the binary is refused with both versions", "[store][migration]")
{
    TestDatabase tdb;
    tdb.open();
    tdb.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    try {
        tdb.open();
        FAIL("opened a database from the future");
    } catch (const DomainError& e) {
        CHECK(e.code() == "db.schema_too_new");
        CHECK(e.fact("database") == "99");
        CHECK(e.fact("binary") == std::to_string(db::currentSchemaVersion()));
    }
}

TEST_CASE("store: a database with the pre-release clock layout is refused, naming itself", "[store]")
{
    TestDatabase tdb;
    {
        auto store = tdb.open();
        store->initialise("330102");
    }
    // 2026-11-28 as 48-bit ms | 16-bit counter, as pre-release builds wrote it.
    tdb.exec("UPDATE meta SET value = '" + std::to_string(std::int64_t{1795000000000} << 16)
        + "' WHERE key = 'hlc'");
    try {
        tdb.open();
        FAIL("opened a database whose timestamps decode to the wrong time");
    } catch (const DomainError& e) {
        CHECK(e.code() == "db.clock_layout_old");
        CHECK_FALSE(e.fact("database").empty());
    }
}

TEST_CASE("store: appends are gap-free, hash-chained and arrive in order", "[store]")
{
    TestDatabase tdb;
    auto store = tdb.open();
    const std::vector<NewEvent> batch = notes(5, "admin");
    auto first = store->append(batch);
    auto second = store->append(batch);
    std::vector<Event> all = first;
    all.insert(all.end(), second.begin(), second.end());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].seq == static_cast<std::int64_t>(i + 1));
        CHECK(all[i].hashValid());
        if (i > 0) {
            CHECK(all[i].prev == all[i - 1].hash);
            CHECK(all[i].hlc > all[i - 1].hlc);
        }
    }
    auto changes = store->changesSince(0, 100);
    REQUIRE(changes.size() == 10);
    for (std::size_t i = 0; i < changes.size(); ++i) {
        CHECK(changes[i].arrival == static_cast<std::int64_t>(i + 1));
        CHECK(changes[i].event.id() == all[i].id());
    }
    CHECK(store->changesSince(7, 100).size() == 3);
    // For sending on: the same changes, each with its id and stored text, nothing parsed.
    auto docs = store->documentsSince(3, 100);
    REQUIRE(docs.size() == 7);
    for (std::size_t i = 0; i < docs.size(); ++i) {
        CHECK(docs[i].arrival == changes[i + 3].arrival);
        CHECK(docs[i].event.id() == all[i + 3].id());
        CHECK(docs[i].doc == all[i + 3].documentText());
        CHECK(docs[i].event.hash.empty()); // not parsed
    }
    CHECK(store->documentsSince(10, 100).empty());
    CHECK(store->lastArrival() == 10);
    CHECK(store->verify().ok());
}

TEST_CASE("store: receive is idempotent and all-or-nothing", "[store]")
{
    TestDatabase a;
    TestDatabase b;
    Window w(a.open());
    auto c = w.open("李强", residentId("33010219800101001"), "13812345678");
    auto events = w.store->changesSince(0, 1000);
    std::vector<Event> evs;
    for (auto& ch : events)
        evs.push_back(ch.event);

    auto other = b.open();
    CHECK(other->receive(evs) == evs.size());
    CHECK(other->receive(evs) == 0);
    CHECK(other->stateHash() == w.store->stateHash());
    CHECK(other->findCase(c.number)->status == CaseStatus::Consulting);

    // A forged event under a stored id: refused, and the valid one beside it is not stored either.
    Event forged = evs.back();
    forged.body["text"] = "forged";
    forged.seal();
    Event fresh = evs.back();
    fresh.seq += 1000;
    fresh.seal();
    auto before = other->eventCount();
    CHECK(errorCode([&] { other->receive({fresh, forged}); }) == "event.id_collision");
    CHECK(other->eventCount() == before);
    Event tampered = evs.front();
    tampered.actor = "mallory";
    CHECK(errorCode([&] { other->receive({tampered}); }) == "event.invalid");
}

TEST_CASE(
    "store: receive asked to report refusals leaves out collisions and forged own events, stores the rest",
    "[store]")
{
    TestDatabase a;
    TestDatabase b;
    Window w(a.open());
    w.open("李强", residentId("33010219800101001"), "13812345678");
    std::vector<Event> evs;
    std::vector<std::string> docs;
    for (auto& ch : w.store->changesSince(0, 1000)) {
        docs.push_back(ch.event.documentText());
        evs.push_back(ch.event);
    }
    REQUIRE(evs.size() >= 2);
    auto other = b.open();
    // The first event stored; the rest of its origin come later.
    REQUIRE(other->receive({evs.front()}) == 1);

    Event collides = evs.front(); // another event under the stored id
    collides.actor = "mallory";
    collides.seal();
    Event own = evs.front(); // under the receiving store's own origin, which it never wrote
    own.origin = other->origin();
    own.seq = 7;
    own.seal();
    std::vector<Event> batch = {collides, own};
    std::vector<std::string> texts = {collides.documentText(), own.documentText()};
    for (std::size_t i = 1; i < evs.size(); ++i) {
        batch.push_back(evs[i]);
        texts.push_back(docs[i]);
    }
    std::vector<db::RefusedEvent> refused;
    CHECK(other->receive(batch, texts, &refused) == evs.size() - 1);
    REQUIRE(refused.size() == 2);
    CHECK(refused[0].id == collides.id());
    CHECK(refused[0].reason == "id_collision");
    CHECK(refused[1].id == own.id());
    CHECK(refused[1].reason == "own_origin");
    CHECK(other->stateHash() == w.store->stateHash());
    CHECK(other->storedHashes({collides.id()}).at(collides.id()) == evs.front().hash);
    CHECK(other->heldEvents().empty());
    CHECK(other->verify().ok());
    // Not asked for them, the same collision fails the whole batch, as before.
    CHECK(errorCode([&] { other->receive({collides}, {collides.documentText()}); }) == "event.id_collision");
}

TEST_CASE("store: a batch whose event rows fail to go in changes nothing, and its cases project right later",
    "[store]")
{
    TestDatabase dbA;
    TestDatabase dbB;
    TestDatabase dbC;
    Window a(dbA.open());
    Window c(dbC.open(), false); // a second workstation, continuing A's work
    auto receiver = dbB.open();
    const auto eventsOf = [](db::Store& s, std::int64_t after) {
        std::vector<Event> out;
        for (auto& ch : s.changesSince(after, 100000))
            out.push_back(ch.event);
        return out;
    };
    auto c1 = a.open("李强", residentId("33010219800101001"), "13812345678");
    auto c2 = a.open("王芳", residentId("33010219550505002"), "13987654321");
    const auto first = eventsOf(*a.store, 0);
    // The receiver keeps the folds of both cases from here on.
    REQUIRE(receiver->receive(first) == first.size());
    const std::int64_t seen = a.store->lastArrival();
    a.intake->accept("clerk01", c1.number);
    a.intake->issueNotice("clerk01", c2.number, {"premises_proof"});
    // Enough other cases that the batch is a peer's, whose rows go in on a thread of
    // their own on SQLite while its cases are folded.
    for (int k = 0; k < 300; ++k) {
        char id[32];
        std::snprintf(id, sizeof id, "33010219900101%03d", k);
        a.open("张伟", residentId(id), "13900000000");
    }
    const auto second = eventsOf(*a.store, seen);
    REQUIRE(second.size() >= 300);
    // C has A's events and routes the accepted case: its event follows A's acceptance.
    c.store->receive(eventsOf(*a.store, 0));
    const std::int64_t cSeen = c.store->lastArrival();
    c.work->route("clerk01", c1.number, "s1", "区市场监督管理局", "reviewer01");
    const auto routed = eventsOf(*c.store, cSeen);
    REQUIRE(routed.size() == 1);

    // The receiver's database refuses the row of the second case's new event (on SQLite
    // while the batch's cases are being folded): the batch fails whole.
    const bool sqlite = ow::test::testBackend() == ow::test::TestBackend::Sqlite;
    if (sqlite) {
        dbB.exec("CREATE TRIGGER refuse_rows BEFORE INSERT ON events WHEN NEW.case_number = '" + c2.number
            + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    } else {
        dbB.exec("CREATE FUNCTION refuse_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF"
                 " NEW.case_number = '"
            + c2.number + "' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$");
        dbB.exec(
            "CREATE TRIGGER refuse_rows BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_rows()");
    }
    const std::string rows = "SELECT number, status, state FROM cases ORDER BY number";
    const auto rowsBefore = dbB.queryText(rows);
    const auto countBefore = receiver->eventCount();
    CHECK(errorCode([&] { receiver->receive(second); }) == "db.write_failed");
    CHECK(receiver->eventCount() == countBefore);
    CHECK(dbB.queryText(rows) == rowsBefore);

    // C's routing arrives without A's acceptance, which failed to go in: the first case's
    // row is the fold of what the receiver holds, not of the acceptance it once folded.
    CHECK(receiver->receive(routed) == 1);
    const auto stateRow = [&](const std::string& number) {
        std::string row = dbB.queryText("SELECT state FROM cases WHERE number = '" + number + "'");
        return row.empty() ? row : row.substr(0, row.size() - 1); // one line
    };
    CHECK(stateRow(c1.number) == foldCase(receiver->caseEvents(c1.number)).canonicalText());

    // And once the database takes them, everything converges.
    dbB.exec(sqlite ? "DROP TRIGGER refuse_rows" : "DROP TRIGGER refuse_rows ON events");
    CHECK(receiver->receive(second) == second.size());
    CHECK(stateRow(c1.number) == foldCase(receiver->caseEvents(c1.number)).canonicalText());
    CHECK(stateRow(c2.number) == foldCase(receiver->caseEvents(c2.number)).canonicalText());
    a.store->receive(routed);
    CHECK(receiver->stateHash() == a.store->stateHash());
}

TEST_CASE("store: changes since a cursor never skip an event committed late by a concurrent writer",
    "[store][concurrency]")
{
    TestDatabase tdb;
    tdb.open(); // schema
    const int writers = 4;
    const int batches = 25;
    const int perBatch = 4;
    std::atomic<int> finished{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            try {
                auto store = tdb.open();
                for (int b = 0; b < batches; ++b) {
                    std::vector<NewEvent> batch;
                    for (int i = 0; i < perBatch; ++i) {
                        Json body = Json::object();
                        body["text"]
                            = "w" + std::to_string(w) + "b" + std::to_string(b) + "i" + std::to_string(i);
                        batch.push_back({EventType::Note, "", "writer" + std::to_string(w), {}, body});
                    }
                    store->append(batch);
                }
            } catch (const std::exception& e) {
                std::cerr << "writer " << w << ": " << e.what() << "\n";
                ++failures;
            }
            ++finished;
        });
    }
    // The reader follows the cursor while writers commit; it must see every event once.
    auto reader = tdb.open();
    std::int64_t cursor = 0;
    std::set<std::string> seen;
    int duplicates = 0;
    std::int64_t lastArrival = 0;
    bool ordered = true;
    auto drain = [&] {
        auto changes = reader->changesSince(cursor, 37);
        for (auto& ch : changes) {
            if (!seen.insert(ch.event.id()).second)
                ++duplicates;
            ordered = ordered && ch.arrival == lastArrival + 1;
            lastArrival = ch.arrival;
            cursor = ch.arrival;
        }
        return !changes.empty();
    };
    while (finished.load() < writers)
        drain();
    for (auto& t : threads)
        t.join();
    while (drain()) { }
    CHECK(failures == 0);
    CHECK(duplicates == 0);
    CHECK(ordered);
    CHECK(seen.size() == static_cast<std::size_t>(writers * batches * perBatch));
    CHECK(reader->eventCount() == writers * batches * perBatch);
    // All writers share the database's origin: its sequence has no gaps.
    CHECK(reader->verify().ok());
}

TEST_CASE("store: projections equal a fresh fold, and rebuilding them changes nothing", "[store]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    auto a = w.open("李强", residentId("33010219800101001"), "13812345678");
    auto b = w.open("王芳", residentId("33010219550505002"), "13987654321");
    auto c = w.open(kExtBName, residentId("33010220000229003"), "13700001111");
    w.intake->accept("clerk01", a.number);
    w.work->route("clerk01", a.number, "s1", "区市场监督管理局", "reviewer01");
    w.work->suspend("reviewer01", a.number, "补充材料");
    w.clock.advance(2);
    w.work->resume("reviewer01", a.number);
    w.intake->issueNotice("clerk01", b.number, {"premises_proof"});
    w.intake->refuse("clerk01", c.number, "不属于本机关职权范围", "《行政许可法》第三十二条");

    for (const auto& n : {a.number, b.number, c.number}) {
        auto projected = w.store->findCase(n);
        REQUIRE(projected);
        CHECK(projected->toJson().canonical() == foldCase(w.store->caseEvents(n)).toJson().canonical());
    }
    CHECK(w.store->verify().ok());
    auto rowsBefore = tdb.queryText("SELECT number, status, deadline, state FROM cases ORDER BY number");
    auto termsBefore
        = tdb.queryText("SELECT kind, term, case_number FROM search_terms ORDER BY kind, term, case_number");
    auto staffBefore = tdb.queryText("SELECT id, name, roles, password_hash FROM staff ORDER BY id");
    auto hashBefore = w.store->stateHash();
    const std::string indexQuery = ow::test::testBackend() == ow::test::TestBackend::Sqlite
        ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        : "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname";
    auto indexesBefore = tdb.queryText(indexQuery);
    w.store->rebuildProjections();
    CHECK(tdb.queryText(indexQuery) == indexesBefore); // dropped for the rebuild, and back as they were
    CHECK(tdb.queryText("SELECT number, status, deadline, state FROM cases ORDER BY number") == rowsBefore);
    CHECK(tdb.queryText("SELECT kind, term, case_number FROM search_terms ORDER BY kind, term, case_number")
        == termsBefore);
    CHECK(tdb.queryText("SELECT id, name, roles, password_hash FROM staff ORDER BY id") == staffBefore);
    CHECK(w.store->stateHash() == hashBefore);
    // The stored state-hash is the model's state-hash of the folded cases.
    std::vector<CaseState> states;
    for (const auto& n : {a.number, b.number, c.number})
        states.push_back(foldCase(w.store->caseEvents(n)));
    CHECK(w.store->stateHash() == stateHash(states));
}

TEST_CASE("store: two stores given the same events in different orders have the same state-hash", "[store]")
{
    TestDatabase src;
    Window w(src.open());
    std::vector<std::string> numbers;
    for (int i = 0; i < 6; ++i) {
        auto c = w.open("张" + std::to_string(i), residentId("3301021980010100" + std::to_string(i)),
            "1381234567" + std::to_string(i));
        numbers.push_back(c.number);
        if (i % 2 == 0)
            w.intake->accept("clerk01", c.number);
        if (i % 3 == 0)
            w.work->addNote("reviewer01", c.number, "checked");
    }
    std::vector<Event> evs;
    for (auto& ch : w.store->changesSince(0, 10000))
        evs.push_back(ch.event);
    std::uint64_t seed = std::random_device{}();
    std::cout << "state-hash order test seed " << seed << "\n";
    std::mt19937_64 rng(seed);
    TestDatabase x;
    TestDatabase y;
    auto sx = x.open();
    auto sy = y.open();
    auto shuffled = evs;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    // y receives in random chunks, x in one batch.
    CHECK(sx->receive(evs) == evs.size());
    std::size_t pos = 0;
    while (pos < shuffled.size()) {
        std::size_t n = 1 + rng() % 5;
        std::vector<Event> chunk(shuffled.begin() + static_cast<std::ptrdiff_t>(pos),
            shuffled.begin() + static_cast<std::ptrdiff_t>(std::min(shuffled.size(), pos + n)));
        sy->receive(chunk);
        pos += n;
    }
    CHECK(sx->stateHash() == w.store->stateHash());
    CHECK(sy->stateHash() == w.store->stateHash());
    CHECK(sy->verify().ok());
    // Folded chunk by chunk onto the folds y keeps (rows updated in place, search terms
    // rewritten only when they change), its rows and terms are what a rebuild makes.
    const std::string rows = "SELECT number, status, deadline, state FROM cases ORDER BY number";
    const std::string terms
        = "SELECT kind, term, case_number FROM search_terms ORDER BY kind, term, case_number";
    const auto rowsBefore = y.queryText(rows);
    const auto termsBefore = y.queryText(terms);
    const auto lines = [](const std::string& text) { return std::count(text.begin(), text.end(), '\n'); };
    CHECK(lines(rowsBefore) == static_cast<long>(numbers.size()));
    CHECK(lines(termsBefore) == static_cast<long>(3 * numbers.size())); // name, id and phone each
    sy->rebuildProjections();
    CHECK(y.queryText(rows) == rowsBefore);
    CHECK(y.queryText(terms) == termsBefore);
}

TEST_CASE(
    "store: search by ID, phone, case number and name prefix, CJK Extension-B included", "[store][search]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    std::string idA = residentId("33010219800101001");
    std::string idB = residentId("33010219550505002");
    auto a = w.open("李强", idA, "13812345678");
    auto b = w.open("李小龙", idB, "13987654321");
    auto c = w.open(kExtBName, residentId("33010220000229003"), "13700001111");

    auto numbersOf = [](const std::vector<db::CaseSummary>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows)
            out.push_back(r.number);
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(numbersOf(w.store->search(idA)) == std::vector<std::string>{a.number});
    CHECK(numbersOf(w.store->search("13987654321")) == std::vector<std::string>{b.number});
    CHECK(numbersOf(w.store->search(c.number)) == std::vector<std::string>{c.number});
    CHECK(numbersOf(w.store->search("李")) == std::vector<std::string>{a.number, b.number});
    CHECK(numbersOf(w.store->search("李小")) == std::vector<std::string>{b.number});
    CHECK(numbersOf(w.store->search("\xF0\xA0\xAE\xB7")) == std::vector<std::string>{c.number}); // 𠮷
    CHECK(numbersOf(w.store->search(kExtBName)) == std::vector<std::string>{c.number});
    CHECK(w.store->search("王").empty());
    CHECK(w.store->search("   ").empty());
    // Lower-case x and surrounding spaces find the same person.
    std::string idX = residentId("11010519491231002");
    if (idX.back() == 'X') {
        auto x = w.open("赵六", idX, "13600000000");
        std::string lower = idX.substr(0, 17) + "x";
        CHECK(numbersOf(w.store->search(" " + lower + " ")) == std::vector<std::string>{x.number});
    }
    // Results show masked identity numbers only.
    auto rows = w.store->search(idA);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].maskedId == maskId(idA));
    CHECK(rows[0].maskedPhone == "138****5678");
    // The index never holds an ID number in clear.
    CHECK(tdb.queryText("SELECT term FROM search_terms WHERE kind = 'id'").find(idA) == std::string::npos);
    CHECK(tdb.queryText("SELECT COUNT(*) FROM search_terms WHERE term = '" + idA + "'") == "0\n");
    // SQL-looking input is only ever a value.
    CHECK(w.store->search("' OR 1=1 --").empty());
    CHECK(w.store->search("李'; DROP TABLE cases; --").empty());
    CHECK(w.store->countCases("") >= 3);
}

TEST_CASE("store: searches and lists are served by indexes", "[store][search]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    w.open("李强", residentId("33010219800101001"), "13812345678");
    const std::vector<std::string> queries = {
        "SELECT case_number FROM search_terms WHERE kind = 'name' AND term >= 'a' AND term <= 'b'"
        " ORDER BY term, case_number LIMIT 50",
        "SELECT case_number FROM search_terms WHERE kind = 'phone' AND term = '138'",
        "SELECT number FROM cases WHERE status = 'accepted' ORDER BY number DESC LIMIT 50",
        "SELECT number FROM cases WHERE assignee = 'clerk01' ORDER BY deadline LIMIT 50",
        "SELECT doc FROM events WHERE case_number = 'x' ORDER BY arrival",
        "SELECT doc FROM events WHERE arrival > 5 ORDER BY arrival LIMIT 10",
    };
    for (const auto& q : queries) {
        INFO(q);
        if (ow::test::testBackend() == ow::test::TestBackend::Sqlite) {
            std::string plan = tdb.queryText("EXPLAIN QUERY PLAN " + q);
            INFO(plan);
            CHECK(plan.find("USING") != std::string::npos);
            CHECK(plan.find("SCAN search_terms") == std::string::npos);
            CHECK(plan.find("SCAN cases") == std::string::npos);
            CHECK(plan.find("SCAN events") == std::string::npos);
            CHECK(plan.find("TEMP B-TREE") == std::string::npos); // no sort of every match
        } else {
            // Tiny tables make a sequential scan the cheaper plan; forbid it to show an index can serve.
            std::string plan = tdb.queryText("EXPLAIN " + q, "SET enable_seqscan = off");
            INFO(plan);
            CHECK(plan.find("Seq Scan") == std::string::npos);
        }
    }
}

TEST_CASE("store: verify names an altered, deleted or reordered event", "[store][audit]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    auto a = w.open("李强", residentId("33010219800101001"), "13812345678");
    w.intake->accept("clerk01", a.number);
    w.work->addNote("clerk01", a.number, "all there");
    REQUIRE(w.store->verify().ok());
    std::string origin = w.store->origin();
    auto problemsFor = [&](const db::VerifyReport& r, const std::string& kind) {
        std::vector<std::string> subjects;
        for (const auto& p : r.problems)
            if (p.kind == kind)
                subjects.push_back(p.subject);
        return subjects;
    };

    SECTION("altered")
    {
        tdb.exec("UPDATE events SET doc = replace(doc, 'all there', 'nothing there') WHERE seq = "
            + std::to_string(w.store->eventCount()));
        auto r = w.store->verify();
        CHECK_FALSE(r.ok());
        CHECK(problemsFor(r, "hash_mismatch")
            == std::vector<std::string>{formatEventId(origin, w.store->eventCount())});
    }
    SECTION("deleted")
    {
        tdb.exec("DELETE FROM events WHERE seq = 3");
        auto r = w.store->verify();
        CHECK(problemsFor(r, "sequence_gap") == std::vector<std::string>{formatEventId(origin, 3)});
    }
    SECTION("reordered")
    {
        // Swap two events' positions in the origin's sequence, documents and all.
        tdb.exec("UPDATE events SET seq = -1 WHERE seq = 2");
        tdb.exec("UPDATE events SET seq = 2 WHERE seq = 3");
        tdb.exec("UPDATE events SET seq = 3 WHERE seq = -1");
        auto r = w.store->verify();
        CHECK_FALSE(r.ok());
        auto mismatched = problemsFor(r, "columns_mismatch");
        CHECK(std::find(mismatched.begin(), mismatched.end(), formatEventId(origin, 2)) != mismatched.end());
    }
    SECTION("listed column edited")
    {
        tdb.exec("UPDATE cases SET status = 'closed', applicant_name = 'X'");
        auto r = w.store->verify();
        CHECK(problemsFor(r, "projection_mismatch") == std::vector<std::string>{a.number});
    }
    SECTION("projection edited")
    {
        tdb.exec("UPDATE cases SET state = replace(state, '\"accepted\"', '\"approved\"')");
        auto r = w.store->verify();
        CHECK(problemsFor(r, "projection_mismatch") == std::vector<std::string>{a.number});
    }
}

TEST_CASE("store: staff accounts with salted Argon2id hashes", "[store][staff]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    CHECK(w.store->authenticate("clerk01", "clerk-pass-1"));
    CHECK_FALSE(w.store->authenticate("clerk01", "clerk-pass-2"));
    CHECK_FALSE(w.store->authenticate("nobody", "clerk-pass-1"));
    CHECK_FALSE(w.store->authenticate("reviewer01", "")); // no password set: no login
    std::string h1 = db::hashPassword("same-password", kFastHash);
    std::string h2 = db::hashPassword("same-password", kFastHash);
    CHECK(h1 != h2); // salted
    CHECK(h1.rfind("$argon2id$", 0) == 0);
    CHECK(errorCode([] { db::hashPassword("short"); }) == "password.too_short");
    w.store->setPassword("clerk01", db::hashPassword("new-password-9", kFastHash), "admin");
    CHECK(w.store->authenticate("clerk01", "new-password-9"));
    CHECK_FALSE(w.store->authenticate("clerk01", "clerk-pass-1"));
    auto staff = w.store->listStaff();
    CHECK(staff.size() == 3);
    CHECK(w.store->findStaff("manager01")->roles == std::set<Role>{Role::QueueManager});
    // Deactivated accounts cannot log in.
    w.store->putStaff({"clerk01", "王芳", {Role::WindowStaff}, "330102", false}, "", "admin");
    CHECK_FALSE(w.store->authenticate("clerk01", "new-password-9"));
    CHECK(errorCode([&] { w.store->setPassword("ghost", "x", "admin"); }) == "staff.unknown");
}

TEST_CASE("store: the catalogue round-trips as events; an unchanged import writes nothing", "[store]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    CHECK(w.store->catalogue().toJson() == w.catalogue.toJson());
    auto before = w.store->eventCount();
    w.store->putCatalogue(w.catalogue, "admin");
    CHECK(w.store->eventCount() == before);
}

TEST_CASE("store: queue categories and windows are replicated reference data", "[store]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    CHECK(w.store->putCentreSetup(demoCategories(), demoWindows(), "admin") == 18);
    CHECK(w.store->putCentreSetup(demoCategories(), demoWindows(), "admin") == 0); // unchanged: no events
    auto windows = w.store->windows();
    REQUIRE(windows.size() == 12);
    CHECK(windows[0].code == "W01");
    CHECK(windows[0].categories == std::vector<std::string>{"A"});
    CHECK(w.store->categories().size() == 6);
    // They do not leak into the catalogue.
    CHECK(w.store->catalogue().toJson() == w.catalogue.toJson());
    // A change is one event, and the newer version wins.
    auto changed = demoWindows();
    changed[2].categories = {"B", "C"};
    CHECK(w.store->putCentreSetup({}, changed, "admin") == 1);
    CHECK(w.store->windows()[2].categories == std::vector<std::string>{"B", "C"});
    auto hash = tdb.queryText("SELECT kind, code, doc FROM catalogue_items ORDER BY kind, code");
    w.store->rebuildProjections();
    CHECK(tdb.queryText("SELECT kind, code, doc FROM catalogue_items ORDER BY kind, code") == hash);
}

TEST_CASE("store: case-number blocks never overlap, even reserved concurrently", "[store][concurrency]")
{
    TestDatabase tdb;
    tdb.open();
    std::vector<std::vector<CaseNumberBlock>> got(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < got.size(); ++t)
        threads.emplace_back([&, t] {
            try {
                auto store = tdb.open();
                for (int i = 0; i < 10; ++i)
                    got[t].push_back(store->reserveCaseNumbers("330102", Date(2026, 3, 2), 7));
            } catch (const std::exception& e) {
                std::cerr << "reserver " << t << ": " << e.what() << "\n";
            }
        });
    for (auto& t : threads)
        t.join();
    std::set<std::int64_t> used;
    std::size_t total = 0;
    for (auto& list : got)
        for (auto& b : list)
            for (auto n = b.first; n <= b.last; ++n) {
                used.insert(n);
                ++total;
            }
    CHECK(total == 4 * 10 * 7);
    CHECK(used.size() == total);
    CHECK(*used.begin() == 1);
    CHECK(*used.rbegin() == static_cast<std::int64_t>(total));
}

TEST_CASE("store: bad connection strings and unreachable servers give clear errors", "[store][errors]")
{
    CHECK(errorCode([] { db::Store::open("nonsense"); }) == "db.connection_string");
    CHECK(errorCode([] { db::Store::open("mysql://db=x"); }) == "db.connection_string");
    CHECK(errorCode([] { db::Store::open("sqlite3://"); }) == "db.connection_string");
    CHECK(errorCode([] { db::Store::open("sqlite3://db=/proc/forbidden/x.db"); }) != "no error");
    db::OpenOptions noCreate;
    noCreate.create = false;
    CHECK(errorCode([&] { db::Store::open("sqlite3://db=/tmp/ow-does-not-exist-42.db", noCreate); })
        == "db.not_found");
    // Nothing listens on port 1: refused at once, never a hang.
    try {
        db::Store::open("postgresql://host=127.0.0.1 port=1 dbname=x user=postgres password=secret");
        FAIL("connected to nothing");
    } catch (const DomainError& e) {
        CHECK(e.code() == "db.unreachable");
        CHECK(std::string(e.what()).find("secret") == std::string::npos); // passwords never echoed
    }
    if (ow::test::testBackend() == ow::test::TestBackend::Postgres) {
        try {
            db::Store::open(TestDatabase::postgresConnection("ow_latin1"));
            FAIL("opened a LATIN1 database");
        } catch (const DomainError& e) {
            CHECK(e.code() == "db.not_utf8");
            CHECK(e.fact("encoding") == "LATIN1");
        }
    }
}

TEST_CASE("store: a workstation's database role writes events and projections but never changes an event",
    "[store][security]")
{
    if (ow::test::testBackend() != ow::test::TestBackend::Postgres) {
        SUCCEED("database roles are PostgreSQL's; an embedded SQLite file has one user");
        return;
    }
    TestDatabase tdb;
    {
        auto owner = tdb.open();
        owner->initialise("330102");
    }
    static std::atomic<int> roles{0};
    const std::string role = "ow_ws_" + std::to_string(::getpid()) + "_" + std::to_string(++roles);
    tdb.exec("CREATE ROLE " + role + " LOGIN IN ROLE onewindow_workstation");
    std::string connection = tdb.connection();
    connection.replace(connection.find("user=postgres"), 13, "user=" + role);
    {
        // A workstation's work: intake with its projections, case numbers, and received events.
        db::OpenOptions existing;
        existing.create = false;
        existing.migrate = false;
        auto ws = db::Store::open(connection, existing);
        CHECK(ws->append(notes(3, "clerk01")).size() == 3);
        CHECK(ws->reserveCaseNumbers("330102", Date(2026, 3, 2), 5).last >= 5);
        ws->setSetting("replication/x", "7");
        // Changing or removing a stored event is refused by the database itself.
        for (const std::string tamper : {"UPDATE events SET actor = 'mallory'", "DELETE FROM events",
                 "TRUNCATE events", "ALTER TABLE events DISABLE TRIGGER ALL"}) {
            soci::session raw(soci::postgresql, connection.substr(std::string("postgresql://").size()));
            try {
                raw << tamper;
                FAIL("the workstation role could run: " << tamper);
            } catch (const soci::soci_error& e) {
                const std::string what = e.what();
                CHECK((what.find("permission denied") != std::string::npos
                    || what.find("must be owner") != std::string::npos));
            }
        }
        CHECK(ws->verify().ok());
    }
    tdb.exec("DROP OWNED BY " + role);
    tdb.exec("DROP ROLE " + role);
}

TEST_CASE("store: for seeded cases in every status, projection equals fold and both stores agree",
    "[store][seeded]")
{
    TestDatabase tdb;
    std::int64_t nowMs = 0;
    db::OpenOptions options;
    options.clock = [&nowMs] { return nowMs; };
    auto store = tdb.open(options);
    store->initialise("330102");
    Catalogue catalogue = fullDemoCatalogue();
    store->putCatalogue(catalogue, "admin");
    InMemoryStaffDirectory memoryStaff;
    for (const auto& m : demoStaff(1)) {
        store->putStaff({m.id, m.name, {m.role}, "330102", true}, "", "admin");
        memoryStaff.put({m.id, m.name, {m.role}, "330102", true});
    }
    HolidayCalendar calendar = builtinCalendar();
    FixedClock clock(Date(2026, 11, 27));
    db::StoreCaseNumberSource numbers(*store, "330102", "W01", 20);
    ServiceContext ctx{*store, catalogue, calendar, *store, numbers, clock, "330102"};
    DemoSeedOptions seedOptions;
    seedOptions.cases = 40;
    seedOptions.today = Date(2026, 11, 28);
    seedOptions.seed = 7;
    auto result = seedDemoCases(ctx, seedOptions, [&](Date day, std::int64_t ms) {
        clock.set(day);
        nowMs = ms;
    });
    CHECK(result.cases == 40);
    CHECK(result.byStatus.size() == 14); // every status but None

    auto report = store->verify();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p.kind << " " << p.subject << " " << p.detail);
    CHECK(report.ok());
    CHECK(report.cases == 40);
    // Every projected row equals a fresh fold (verify checked it); the state-hash is the
    // model's, and the same events in an in-memory store give the same hash.
    InMemoryEventStore memory("replica", systemPhysicalClock());
    std::vector<Event> all;
    for (auto& ch : store->changesSince(0, 1'000'000))
        all.push_back(ch.event);
    std::shuffle(all.begin(), all.end(), std::mt19937_64(7));
    memory.receive(all);
    std::vector<CaseState> states;
    for (const auto& n : memory.caseNumbers())
        states.push_back(*memory.findCase(n));
    CHECK(stateHash(states) == store->stateHash());
    auto before = store->stateHash();
    store->rebuildProjections();
    CHECK(store->stateHash() == before);
    CHECK(store->verify().ok());
}

TEST_CASE("store: received events wait for their predecessor and never block other origins", "[store][held]")
{
    // Two writers' events, produced on two source stores.
    TestDatabase srcA;
    TestDatabase srcB;
    auto a = srcA.open();
    auto b = srcB.open();
    for (const auto& note : notes(5, "clerk01", "a"))
        a->append({note});
    Json noteB = Json::object();
    noteB["text"] = "b";
    b->append({{EventType::Note, "", "clerk02", {}, noteB}});
    std::vector<Event> fromA;
    for (auto& ch : a->changesSince(0, 100))
        fromA.push_back(ch.event);
    auto fromB = b->changesSince(0, 100).front().event;

    TestDatabase tdb;
    auto store = tdb.open();
    // 1, 2, 4, 5 and B's event: 4 and 5 wait for 3; B's event is not held up.
    CHECK(store->receive({fromA[0], fromA[1], fromA[3], fromA[4], fromB}) == 3);
    auto held = store->heldEvents();
    REQUIRE(held.size() == 2);
    CHECK(held[0].id == fromA[3].id());
    CHECK(held[0].reason == "missing_predecessor");
    CHECK(store->lacking({fromA[2].id(), fromA[3].id(), fromB.id()})
        == std::vector<std::string>{fromA[2].id(), fromA[3].id()});
    CHECK(store->verify().ok()); // what is applied is gap-free
    // Offering 4 again changes nothing; 3 releases 4 and 5.
    CHECK(store->receive({fromA[3]}) == 0);
    CHECK(store->receive({fromA[2]}) == 3);
    CHECK(store->heldEvents().empty());
    CHECK(store->eventCount() == 6);
    CHECK(store->verify().ok());
}

TEST_CASE("store: an event that does not chain, or comes from a clock far ahead, is held", "[store][held]")
{
    TestDatabase src;
    auto source = src.open();
    Json body = Json::object();
    body["text"] = "first";
    auto first = source->append({{EventType::Note, "", "clerk01", {}, body}}).front();
    Event forged = first;
    forged.seq = 2;
    forged.prev = std::string(64, 'a'); // not the hash of seq 1
    forged.seal();

    TestDatabase tdb;
    std::int64_t nowMs = hlcWallMs(first.hlc) - 24 * 3600 * 1000; // this store's clock is a day behind
    db::OpenOptions options;
    options.clock = [&nowMs] { return nowMs; };
    auto store = tdb.open(options);
    CHECK(store->receive({first, forged}) == 0);
    auto held = store->heldEvents();
    REQUIRE(held.size() == 2);
    CHECK(held[0].reason == "clock_ahead");
    CHECK(held[1].reason == "missing_predecessor"); // behind a held event
    // The clock catches up: the first event applies, the forged one is now seen not to chain.
    nowMs = hlcWallMs(first.hlc);
    CHECK(store->receive({}) == 1);
    held = store->heldEvents();
    REQUIRE(held.size() == 1);
    CHECK(held[0].id == forged.id());
    CHECK(held[0].reason == "chain_mismatch");
    CHECK(store->verify().ok());
}

TEST_CASE(
    "store: an event that chains takes the place of a held one under its id that does not", "[store][held]")
{
    TestDatabase src;
    auto source = src.open();
    std::vector<Event> genuine;
    for (const auto& note : notes(3, "clerk01"))
        genuine.push_back(source->append({note}).front());
    // Under the id of the second: damaged or forged, not chaining onto the first.
    const auto notChaining = [&](const std::string& text) {
        Event e = genuine[1];
        e.body["text"] = text;
        e.prev = std::string(64, 'a');
        e.seal();
        return e;
    };
    const Event forged = notChaining("forged");

    TestDatabase tdb;
    auto store = tdb.open();
    CHECK(store->receive({genuine[0], forged}) == 1);
    REQUIRE(store->heldEvents().size() == 1);
    CHECK(store->heldEvents()[0].reason == "chain_mismatch");
    // Another one that does not chain either stays a collision, reported or thrown.
    const Event other = notChaining("other");
    std::vector<db::RefusedEvent> refused;
    CHECK(store->receive({other}, {other.documentText()}, &refused) == 0);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].id == other.id());
    CHECK(refused[0].reason == "id_collision");
    CHECK(errorCode([&] { store->receive({other}); }) == "event.id_collision");
    REQUIRE(store->heldEvents().size() == 1);
    // The real second and third events apply (the second sent twice), and the held one
    // gives way.
    CHECK(store->receive({genuine[1], genuine[1], genuine[2]}) == 2);
    CHECK(store->heldEvents().empty());
    CHECK(store->storedHashes({genuine[1].id()}).at(genuine[1].id()) == genuine[1].hash);
    CHECK(store->eventCount() == source->eventCount());
    CHECK(store->verify().ok());
    // Sent again, the forged one now collides with a stored event.
    CHECK(errorCode([&] { store->receive({forged}); }) == "event.id_collision");
}

TEST_CASE("store: the deadline list holds running cases due by a date, earliest first", "[store][deadlines]")
{
    TestDatabase tdb;
    Window w(tdb.open());
    // Accepted a week apart, so that their promised deadlines differ.
    std::vector<std::string> numbers;
    for (int i = 0; i < 7; ++i) {
        w.clock.set(Date(2026, 3, 2).addDays(7 * i));
        auto c = w.open("周" + std::to_string(i), residentId("3301021980020200" + std::to_string(i)),
            "1391234567" + std::to_string(i));
        numbers.push_back(c.number);
        if (i != 6)
            w.intake->accept("clerk01", c.number);
    }
    w.clock.set(Date(2026, 5, 4));
    w.work->suspend("reviewer01", numbers[1], "专家评审"); // the clock stands still: not listed
    w.work->conclude("reviewer01", numbers[2], true); // finished: not listed
    w.work->withdraw("clerk01", numbers[4], "申请人撤回"); // finished: not listed
    w.work->route("clerk01", numbers[5], "review", "市场监管局", "reviewer01"); // in review: listed
    // numbers[6] was never accepted: no deadline, not listed.

    auto deadlineOf = [&](const std::string& number) {
        auto rows = w.store->search(number);
        REQUIRE(rows.size() == 1);
        return rows[0].deadline;
    };
    auto numbersOf = [](const std::vector<db::CaseSummary>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows)
            out.push_back(r.number);
        return out;
    };

    const auto all = w.store->deadlineList("2099-12-31");
    CHECK(numbersOf(all) == std::vector<std::string>{numbers[0], numbers[3], numbers[5]});
    for (std::size_t i = 1; i < all.size(); ++i)
        CHECK(all[i - 1].deadline <= all[i].deadline);
    for (const auto& r : all) {
        CHECK(!r.deadline.empty());
        CHECK(r.deadline == deadlineOf(r.number));
    }
    CHECK(deadlineOf(numbers[0]) < deadlineOf(numbers[3]));
    CHECK(deadlineOf(numbers[3]) < deadlineOf(numbers[5]));

    // "Due by" includes the day itself and nothing after it.
    CHECK(numbersOf(w.store->deadlineList(deadlineOf(numbers[3])))
        == std::vector<std::string>{numbers[0], numbers[3]});
    const auto dayBefore = Date::fromIso(deadlineOf(numbers[0]))->addDays(-1).iso();
    CHECK(w.store->deadlineList(dayBefore).empty());
    CHECK(w.store->deadlineList("2099-12-31", 2).size() == 2);

    // Resumed, the suspended case is running again and listed in its place.
    w.work->resume("reviewer01", numbers[1]);
    auto resumed = numbersOf(w.store->deadlineList("2099-12-31"));
    CHECK(std::find(resumed.begin(), resumed.end(), numbers[1]) != resumed.end());
    CHECK(resumed.size() == 4);
}

TEST_CASE("store: the conflicts list holds cases two stores decided differently, until resolved",
    "[store][conflicts]")
{
    TestDatabase dbA;
    TestDatabase dbB;
    Window a(dbA.open());
    Window b(dbB.open(), false);
    auto disputed = a.open("吴昊", residentId("33010219800303001"), "13612345678");
    auto quiet = a.open("郑洁", residentId("33010219800303002"), "13612345679");
    auto everything = [](db::Store& s) {
        std::vector<Event> out;
        for (auto& ch : s.changesSince(0, 100000))
            out.push_back(ch.event);
        return out;
    };
    b.store->receive(everything(*a.store));
    REQUIRE(b.store->findCase(disputed.number));
    CHECK(a.store->conflicts().empty());

    // Cut off from each other: A accepts, B refuses the same application.
    a.intake->accept("clerk01", disputed.number);
    b.intake->refuse("clerk01", disputed.number, "不属于本机关职权范围", "");
    a.intake->accept("clerk01", quiet.number);
    CHECK(a.store->conflicts().empty());
    CHECK(b.store->conflicts().empty());
    a.store->receive(everything(*b.store));
    b.store->receive(everything(*a.store));

    for (auto* store : {a.store.get(), b.store.get()}) {
        const auto listed = store->conflicts();
        REQUIRE(listed.size() == 1);
        CHECK(listed[0].number == disputed.number);
        CHECK(listed[0].inConflict);
        CHECK(listed[0].applicantName == "吴昊");
        auto state = store->findCase(disputed.number);
        REQUIRE(state);
        REQUIRE(state->conflict("decision"));
        CHECK(state->conflict("decision")->candidates.size() == 2);
    }
    CHECK(a.store->stateHash() == b.store->stateHash());

    // A queue manager keeps one value: the case leaves the inbox on both, once replicated.
    const auto chosen = a.store->findCase(disputed.number)->conflict("decision")->candidates[1].eventId;
    a.work->resolveConflict("manager01", disputed.number, "decision", chosen);
    CHECK(a.store->conflicts().empty());
    CHECK(!b.store->conflicts().empty());
    b.store->receive(everything(*a.store));
    CHECK(b.store->conflicts().empty());
    CHECK(!a.store->findCase(disputed.number)->inConflict());
    CHECK(a.store->stateHash() == b.store->stateHash());
}
