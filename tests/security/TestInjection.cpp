// SQL-injection strings in every search and import field of the store, on the suite's
// backend (SQLite or PostgreSQL): quotes, stacked statements, tautologies, comment
// sequences, LIKE wildcards (which must match literally), backslashes, parameter
// markers, NUL bytes, broken UTF-8 and very long strings. Every search gives exactly
// what a literal comparison over the stored data gives; every import stores the text
// byte for byte or refuses it; and afterwards no table, row or event has changed beyond
// what the import itself wrote (same tables, counts, state-hash, a clean verify).
#include "model/BuiltinCalendars.h"
#include "model/CaseNumber.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/CentreSetup.h"
#include "model/Error.h"
#include "model/EvaluationService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Json.h"
#include "model/QueueService.h"

#include "../db/DbTestSupport.h"
#include "db/PasswordHash.h"
#include "db/Store.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace ow;
using namespace ow::model;
using ow::test::errorCode;
using ow::test::kFastHash;
using ow::test::residentId;
using ow::test::TestDatabase;

namespace {

const std::string kClerkPassword = "inj-clerk-pass-7";

struct Hostile {
    const char* label;
    std::string text;
};

std::string bytes(const char* data, std::size_t size)
{
    return std::string(data, size);
}

// The classic attacks and the characters that break naive quoting or LIKE patterns.
const std::vector<Hostile>& hostileStrings()
{
    static const std::vector<Hostile> list = {
        {"single quote", "'"}, {"two single quotes", "''"}, {"double quote", "\""},
        {"quote in a name", "O'Brien"}, {"stacked DROP", "'; DROP TABLE events; --"},
        {"stacked DELETE", "x'); DELETE FROM search_terms; --"},
        {"stacked UPDATE", "'; UPDATE events SET actor = 'mallory'; --"}, {"tautology", "' OR '1'='1"},
        {"tautology with comment", "' OR 1=1 --"}, {"numeric tautology", "1 OR 1=1"},
        {"UNION",
            "' UNION SELECT number, status, applicant_name, masked_id, masked_phone, assignee, opened_on, "
            "accepted_on, deadline, in_conflict FROM cases --"},
        {"line comment", "--"}, {"block comment", "/*"}, {"hash comment", "# "}, {"semicolon", ";"},
        {"percent", "%"}, {"underscore", "_"}, {"double percent", "%%"},
        {"name and percent", "\xE7\x8E\x8B%"}, // 王%
        {"name and underscore", "\xE7\x8E\x8B_"}, // 王_
        {"percent inside", "%\xE8\x8A\xB3"}, // %芳
        {"backslash", "\\"}, {"backslash quote", "\\'"},
        {"name and backslash", "\xE7\x8E\x8B\\"}, // 王\ (the name 王\芳 starts so)
        {"escape clause", "x' ESCAPE '\\"}, {"dollar quoting", "$$; DROP TABLE events; $$"},
        {"positional marker", "$1"}, {"named marker", ":t"}, {"question mark", "?"},
        {"casts", "'::text; SELECT pg_sleep(5); --"}, {"NUL alone", bytes("\0", 1)},
        {"NUL then tautology", bytes("\0' OR '1'='1", 12)},
        {"name, NUL, junk", bytes("\xE7\x8E\x8B\0zz", 6)}, // 王 NUL zz
        {"invalid byte", "\xFF"}, {"invalid then tautology", "\xFF\xFE' OR 1=1 --"},
        {"overlong quote", "\xC0\xA7"},
        {"name and a lone lead byte", "\xE7\x8E\x8B\xE8"}, // 王 + the first byte of 芳
        {"surrogate", "\xED\xA0\x80"}, {"very long quotes", std::string(100000, '\'')},
        {"very long name", "\xE7\x8E\x8B" + std::string(20000, 'a')},
        {"padded wildcard", "  \xE7\x8E\x8B%\t"}, // trimmed to 王%
        {"padded quote", "\t'\r\n"}, // trimmed to '
    };
    return list;
}

std::string trimmed(const std::string& s)
{
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// verify() finds nothing; its problems are named when it does.
void checkClean(const db::Store& store)
{
    const auto report = store.verify();
    for (const auto& p : report.problems)
        FAIL_CHECK("verify: " << p.kind << " " << p.subject << " " << p.detail);
    CHECK(report.ok());
}

std::string asciiLower(std::string s)
{
    for (char& ch : s)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

// Applicants whose names are themselves hostile: the intake must store them as they are
// and the name search must find them only where a literal prefix comparison would.
struct Seeded {
    std::string name;
    std::string id;
    std::string phone;
    std::string number;
};

const std::vector<std::pair<std::string, std::string>> kNames = {
    {"\xE7\x8E\x8B\xE8\x8A\xB3", "33010219800101001"}, // 王芳
    {"\xE7\x8E\x8B%\xE8\x8A\xB3", "33010219800101002"}, // 王%芳
    {"\xE7\x8E\x8B_\xE8\x8A\xB3", "33010219800101003"}, // 王_芳
    {"O'Brien", "33010219800101004"},
    {"'; DROP TABLE events; --", "33010219800101005"},
    {"' OR '1'='1", "33010219800101006"},
    {"\\\xE7\x8E\x8B", "33010219800101007"}, // \王
    {"\xE7\x8E\x8B\\\xE8\x8A\xB3", "33010219800101008"}, // 王\芳
    {"/* \xE7\x8E\x8B */", "33010219800101009"},
    {"\xE6\x9D\x8E\xE5\xBC\xBA", "33010219800101010"}, // 李强
    {"$1", "33010219800101011"},
};

// What the store holds, as a whole: anything an injected statement could have changed.
struct Fingerprint {
    std::int64_t events = 0;
    std::int64_t lastArrival = 0;
    std::string stateHash;
    std::string tables;
    std::string counts;
    bool operator==(const Fingerprint&) const = default;
};

std::string tableListSql()
{
    return ow::test::testBackend() == ow::test::TestBackend::Sqlite
        ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename";
}

Fingerprint fingerprint(const TestDatabase& tdb, const db::Store& store)
{
    Fingerprint f;
    f.events = store.eventCount();
    f.lastArrival = store.lastArrival();
    f.stateHash = store.stateHash();
    f.tables = tdb.queryText(tableListSql());
    f.counts = tdb.queryText("SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM cases),"
                             " (SELECT COUNT(*) FROM search_terms), (SELECT COUNT(*) FROM staff),"
                             " (SELECT COUNT(*) FROM catalogue_items), (SELECT COUNT(*) FROM tickets),"
                             " (SELECT COUNT(*) FROM meta), (SELECT COUNT(*) FROM origins)");
    return f;
}

// A centre on the suite's backend with the demo catalogue and hall, one account per role,
// and the hostile applicants taken in.
struct Centre : ow::test::StoreDesk {
    TestDatabase tdb;
    std::vector<Seeded> seeded;

    Centre()
    {
        store = tdb.open();
        store->initialise("330102");
        store->putCatalogue(demoCatalogue(), "admin");
        store->putCentreSetup(demoCategories(), demoWindows(), "admin");
        store->putStaff({"clerk01", "clerk", {Role::WindowStaff}, "330102", true},
            db::hashPassword(kClerkPassword, kFastHash), "admin");
        store->putStaff({"manager01", "manager", {Role::QueueManager}, "330102", true}, "", "admin");
        catalogue = store->catalogue();
        startServices(50);
        int i = 0;
        for (const auto& [name, first17] : kNames) {
            Seeded s;
            s.name = name;
            s.id = residentId(first17);
            s.phone = "138000000" + std::string(i < 10 ? "0" : "") + std::to_string(i);
            s.number = open(name, s.id, s.phone).number;
            seeded.push_back(s);
            ++i;
        }
    }
    // The base's store goes after this class's members: closed before the database goes.
    ~Centre() { close(); }

    // The cases a literal comparison finds for a name search: those whose applicant's name
    // starts with the trimmed text, byte for byte. Text that is not UTF-8 is no name at all.
    std::set<std::string> literalNameMatches(const std::string& query) const
    {
        const std::string t = trimmed(query);
        std::set<std::string> out;
        if (t.empty() || !isValidUtf8(t))
            return out;
        for (const auto& s : seeded)
            if (s.name.compare(0, t.size(), t) == 0)
                out.insert(s.number);
        return out;
    }

    std::set<std::string> searched(const std::string& text) const
    {
        std::set<std::string> out;
        for (const auto& row : store->search(text, 1000))
            out.insert(row.number);
        return out;
    }
};

} // namespace

TEST_CASE("security: hostile applicant names are stored byte for byte", "[security][injection]")
{
    Centre c;
    for (const auto& s : c.seeded) {
        INFO(s.name);
        auto state = c.store->findCase(s.number);
        REQUIRE(state);
        CHECK(state->applicant.name == s.name);
        auto rows = c.store->search(s.name, 1000);
        REQUIRE_FALSE(rows.empty());
        CHECK(std::any_of(rows.begin(), rows.end(),
            [&](const db::CaseSummary& r) { return r.number == s.number && r.applicantName == s.name; }));
    }
    checkClean(*c.store);
}

TEST_CASE("security: every hostile search text finds exactly what a literal match finds and changes nothing",
    "[security][injection]")
{
    Centre c;
    const Fingerprint before = fingerprint(c.tdb, *c.store);
    // The controls: the wildcards and quotes do find the names that literally start so.
    REQUIRE(c.literalNameMatches("\xE7\x8E\x8B%").size() == 1);
    REQUIRE(c.literalNameMatches("'").size() == 2);
    REQUIRE(c.literalNameMatches("\xE7\x8E\x8B").size() == 4);
    int searches = 0;
    for (const auto& h : hostileStrings()) {
        INFO(h.label);
        std::set<std::string> found;
        const std::string code = errorCode([&] { found = c.searched(h.text); });
        CHECK(code == "no error");
        CHECK(found == c.literalNameMatches(h.text));
        ++searches;
        // The same text after a real name, a phone, an ID number and a case number.
        for (const auto& s : {c.seeded[0], c.seeded[4]}) {
            for (const std::string& key : {s.name, s.phone, s.id, s.number}) {
                const std::string text = key + h.text;
                INFO("after " << key);
                CHECK(errorCode([&] { found = c.searched(text); }) == "no error");
                CHECK(found == c.literalNameMatches(text));
                ++searches;
            }
        }
    }
    // Exact kinds still work, and only exactly.
    for (const auto& s : c.seeded) {
        CHECK(c.searched(s.phone) == std::set<std::string>{s.number});
        CHECK(c.searched(s.id) == std::set<std::string>{s.number});
        CHECK(c.searched(s.number) == std::set<std::string>{s.number});
    }
    CHECK(searches == static_cast<int>(hostileStrings().size()) * 9);
    CHECK(fingerprint(c.tdb, *c.store) == before);
    checkClean(*c.store);
}

TEST_CASE("security: hostile keys in every lookup find nothing and change nothing", "[security][injection]")
{
    Centre c;
    const Fingerprint before = fingerprint(c.tdb, *c.store);
    const std::string someCase = c.seeded.front().number;
    const std::string someEvent = c.store->caseEvents(someCase).front().id();
    std::vector<std::pair<std::string, std::string>> keys; // label, key
    for (const auto& h : hostileStrings()) {
        keys.emplace_back(h.label, h.text);
        // A real key with the attack behind it (a NUL must not cut it back to the real key).
        keys.emplace_back(std::string(h.label) + " after a key", "clerk01" + h.text);
    }
    std::vector<std::pair<std::string, std::string>> caseKeys;
    for (const auto& h : hostileStrings())
        caseKeys.emplace_back(std::string(h.label) + " after a case number", someCase + h.text);

    auto noCase = [&](const std::string& k) {
        CHECK_FALSE(c.store->findCase(k));
        CHECK(c.store->caseEvents(k).empty());
        CHECK(c.store->listCases(k, 100).empty());
        CHECK(c.store->countCases(k) == 0);
        CHECK(c.store->caseFacts(k) == std::nullopt);
    };
    for (const auto& [label, k] : caseKeys) {
        INFO(label);
        noCase(k);
    }
    for (const auto& [label, k] : keys) {
        INFO(label);
        noCase(k);
        CHECK(c.store->workList(k).empty());
        CHECK_FALSE(c.store->findStaff(k));
        CHECK_FALSE(c.store->authenticate(k, kClerkPassword));
        CHECK_FALSE(c.store->authenticate("clerk01", k));
        CHECK_FALSE(c.store->authenticate("clerk01", kClerkPassword + k));
        CHECK_FALSE(c.store->findTicket(k));
        CHECK_FALSE(c.store->evaluationOfTicket(k));
        CHECK_FALSE(c.store->findEvaluation(k));
        CHECK_FALSE(c.store->setting(k));
        // Event ids come from peers through the CouchDB face, whose JSON parser refuses
        // broken UTF-8; the id lookups are checked with text a peer can send.
        if (k.find('\0') != std::string::npos || !isValidUtf8(k))
            continue;
        CHECK(c.store->lacking({k, someEvent}) == std::vector<std::string>{k});
        CHECK(c.store->documents({k}).empty());
        CHECK(c.store->storedHashes({k}).empty());
        CHECK(c.store->storedHashes({someEvent + k}).empty());
    }
    // The controls: the real keys are found.
    CHECK(c.store->findCase(someCase));
    CHECK(c.store->findStaff("clerk01"));
    CHECK(c.store->authenticate("clerk01", kClerkPassword));
    CHECK(c.store->storedHashes({someEvent}).size() == 1);
    CHECK(fingerprint(c.tdb, *c.store) == before);
    checkClean(*c.store);
}

TEST_CASE("security: hostile text in intake, notes, staff, settings and received events is stored exactly "
          "or refused whole",
    "[security][injection]")
{
    Centre c;
    for (const auto& h : hostileStrings()) {
        INFO(h.label);
        const bool text = isValidUtf8(h.text) && h.text.find('\0') == std::string::npos;
        const Fingerprint before = fingerprint(c.tdb, *c.store);

        // An applicant name: control codes, broken UTF-8 and absurd lengths are refused by
        // the intake's validation; everything else is a name like any other.
        CaseState opened;
        const std::string intakeCode
            = errorCode([&] { opened = c.open(h.text, residentId("33010219800102001"), ""); });
        if (intakeCode == "no error") {
            const std::string stored = c.store->findCase(opened.number)->applicant.name;
            CHECK((stored == h.text || stored == trimmed(h.text)));
            // Text of digits and dashes only is searched as a phone number, not a name.
            const std::string t = trimmed(h.text);
            const bool phoneLike = t.find_first_not_of("0123456789-") == std::string::npos;
            CHECK(c.searched(h.text).count(opened.number)
                == (!phoneLike && stored.compare(0, t.size(), t) == 0 ? 1U : 0U));
        } else {
            CHECK(intakeCode == "intake.applicant_invalid");
            CHECK(fingerprint(c.tdb, *c.store) == before);
        }

        // A note on a case: any JSON string, stored and read back byte for byte.
        const std::int64_t events = c.store->eventCount();
        const std::string noteCode
            = errorCode([&] { c.work->addNote("clerk01", c.seeded.front().number, h.text); });
        if (noteCode == "no error") {
            CHECK(isValidUtf8(h.text));
            CHECK(c.store->caseEvents(c.seeded.front().number).back().body.getString("text") == h.text);
        } else {
            CHECK_FALSE(isValidUtf8(h.text));
            CHECK(c.store->eventCount() == events);
        }

        if (!text)
            continue;
        // A staff member's display name (owctl users add) and a setting.
        c.store->putStaff({"inj01", h.text, {Role::Reviewer}, "330102", true}, "", "admin");
        CHECK(c.store->findStaff("inj01")->name == h.text);
        c.store->setSetting("inj/" + h.text, h.text);
        CHECK(c.store->setting("inj/" + h.text) == h.text);
        CHECK(c.store->findCase(c.seeded[4].number)->applicant.name == c.seeded[4].name);
    }
    // A received batch (what a peer or PouchDB sends) whose case, actor or type holds a NUL
    // is refused whole (those are indexed text columns); nothing of it is stored.
    for (const auto& h : hostileStrings()) {
        if (h.text.find('\0') == std::string::npos || !isValidUtf8(h.text))
            continue;
        INFO(h.label);
        for (int field = 0; field < 3; ++field) {
            Event e;
            e.origin = "peer_nul";
            e.seq = 1;
            e.hlc = makeHlc(1'772'000'000'000, 0);
            e.type = field == 0 ? "x." + h.text : std::string(EventType::Note);
            e.caseNumber = field == 1 ? c.seeded.front().number + h.text : std::string();
            e.actor = field == 2 ? h.text : std::string("clerk09");
            e.body = Json::object();
            e.seal();
            const std::int64_t count = c.store->eventCount();
            CHECK(errorCode([&] { c.store->receive({e}); }) == "event.invalid");
            CHECK(c.store->eventCount() == count);
        }
    }
    CHECK(c.store->caseEvents(c.seeded.front().number).size() > 1);
    // Hostile actor, type and body otherwise: each document stored and served back exactly
    // as it came.
    std::vector<Event> batch;
    std::int64_t seq = 0;
    std::string prev;
    for (const auto& h : hostileStrings()) {
        if (!isValidUtf8(h.text) || h.text.size() > 1000 || h.text.find('\0') != std::string::npos)
            continue;
        Event e;
        e.origin = "peer_inj";
        e.seq = ++seq;
        e.hlc = makeHlc(1'772'000'000'000 + seq, 0);
        e.type = "x." + h.text.substr(0, 60);
        e.actor = h.text;
        e.prev = prev;
        e.body = Json::object();
        e.body["text"] = h.text;
        e.body[h.text] = h.text;
        e.seal();
        prev = e.hash;
        batch.push_back(e);
    }
    REQUIRE(batch.size() > 25);
    const std::int64_t events = c.store->eventCount();
    CHECK(c.store->receive(batch) == batch.size());
    CHECK(c.store->eventCount() == events + static_cast<std::int64_t>(batch.size()));
    std::vector<std::string> ids;
    for (const auto& e : batch)
        ids.push_back(e.id());
    const auto docs = c.store->documents(ids);
    REQUIRE(docs.size() == batch.size());
    for (const auto& e : batch) {
        INFO(e.actor);
        CHECK(docs.at(e.id()) == e.documentText());
        CHECK(Event::fromDocument(Json::parse(docs.at(e.id()))).actor == e.actor);
    }
    CHECK(c.store->lacking(ids).empty());
    for (const auto& s : c.seeded)
        CHECK(c.store->findCase(s.number)->applicant.name == s.name);
    checkClean(*c.store);
}

TEST_CASE("security: a catalogue import with hostile names and a ticket import with hostile categories",
    "[security][injection]")
{
    Centre c;
    // One matter per hostile text (in every text field), as a catalogue file would carry it.
    auto csvField = [](const std::string& s) {
        std::string q = "\"";
        for (char ch : s)
            q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        return q + "\"";
    };
    std::string csv
        = "record,code,matter,nameZh,nameEn,department,category,statutoryLimit,promisedLimit,feeFen,"
          "atMostOnce,onlineAble,immediate,visitsPromised,form,count,mandatory,dataShared,matters\n";
    std::map<std::string, std::string> nameOf; // matter code → hostile text
    int n = 0;
    for (const auto& h : hostileStrings()) {
        if (!isValidUtf8(h.text) || h.text.find('\0') != std::string::npos || h.text.size() > 200
            || trimmed(h.text) != h.text)
            continue;
        char code[32];
        std::snprintf(code, sizeof code, "330102-INJ-%03d", ++n);
        nameOf[code] = h.text;
        const std::string f = csvField(h.text);
        csv += std::string("matter,") + code + ",," + f + "," + f + "," + f
            + ",B,5wd,1wd,0,TRUE,TRUE,FALSE,1,,,,,\n";
        csv += std::string("material,inj_m") + std::to_string(n) + "," + code + "," + f + "," + f
            + ",,,,,,,,,,original,1,TRUE,FALSE,\n";
    }
    REQUIRE(n > 20);
    Catalogue incoming;
    const std::string parseCode = errorCode([&] { incoming = Catalogue::fromCsv(csv, "hostile.csv"); });
    REQUIRE(parseCode == "no error");
    const std::int64_t events = c.store->eventCount();
    CHECK(c.store->putCatalogue(incoming, "admin") == static_cast<std::size_t>(n));
    CHECK(c.store->eventCount() == events + n);
    const Catalogue stored = c.store->catalogue();
    for (const auto& [code, text] : nameOf) {
        INFO(text);
        const ServiceMatter* m = stored.findMatter(code);
        REQUIRE(m);
        CHECK(m->nameZh == text);
        CHECK(m->nameEn == text);
        CHECK(m->department == text);
        REQUIRE(m->materials.size() == 1);
        CHECK(m->materials.front().nameZh == text);
        // The catalogue search at the intake form: the matter named so is found.
        // Every hit holds the text literally (code and English name without regard to case).
        bool found = false;
        for (const ServiceMatter* hit : stored.searchMatters(text, 1000)) {
            found = found || hit->code == code;
            CHECK((hit->nameZh.find(text) != std::string::npos
                || asciiLower(hit->code).find(asciiLower(text)) != std::string::npos
                || asciiLower(hit->nameEn).find(asciiLower(text)) != std::string::npos));
        }
        CHECK(found);
    }
    // The demo matters are untouched.
    const Catalogue demo = demoCatalogue();
    for (const auto& [code, m] : demo.matters())
        CHECK(stored.findMatter(code)->nameZh == m.nameZh);
    checkClean(*c.store);

    // Appointments imported for hostile categories, and walk-ins at hostile windows: refused
    // by name, nothing written.
    HallSetup setup{c.store->categories(), c.store->windows(), 60};
    QueueService queue(
        *c.store, *c.store, *c.store, c.catalogue, setup, [] { return std::int64_t{1'772'424'000'000}; },
        "330102");
    const Fingerprint before = fingerprint(c.tdb, *c.store);
    for (const auto& h : hostileStrings()) {
        INFO(h.label);
        CHECK(errorCode([&] {
            queue.issue("manager01", h.text, TicketPriority::Appointment, 1'772'500'000'000);
        }) == "queue.unknown_category");
        CHECK(errorCode([&] { queue.issueAtKiosk("K1", h.text); }) == "queue.unknown_category");
        CHECK(errorCode([&] { queue.walkIn("clerk01", h.text, "A"); }) == "queue.unknown_window");
        CHECK(errorCode([&] { queue.callNext("clerk01", h.text); }) == "queue.unknown_window");
        CHECK(errorCode([&] { queue.recall("clerk01", h.text); }) == "queue.ticket_not_found");
    }
    CHECK(fingerprint(c.tdb, *c.store) == before);
    // The control: a real category issues.
    CHECK(queue.issue("manager01", "A").category == "A");
    checkClean(*c.store);
}
