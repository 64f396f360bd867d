#include "model/CaseNumber.h"
#include "model/Error.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

const Date kDay(2026, 11, 28);

std::string errorCode(const std::function<void()>& action, Facts* facts = nullptr)
{
    try {
        action();
    } catch (const DomainError& e) {
        if (facts)
            *facts = e.facts();
        return e.code();
    }
    return "no error";
}

CaseNumberBlock block(Date date, std::int64_t first, std::int64_t last, std::string centre = "330102")
{
    return CaseNumberBlock{std::move(centre), date, first, last};
}

} // namespace

TEST_CASE("casenumber: numbers format and parse back", "[casenumber]")
{
    CaseNumber regular{"330102", kDay, 123, ""};
    CHECK(regular.str() == "330102-20261128-000123");
    CaseNumber fallback{"330102", kDay, 7, "W03"};
    CHECK(fallback.str() == "330102-20261128-W03-0007");

    struct Sample {
        std::string text;
        std::string centre;
        Date date;
        std::int64_t sequence;
        std::string workstation;
    };
    const std::vector<Sample> samples = {
        {"330102-20261128-000123", "330102", kDay, 123, ""},
        {"330102-20261128-000001", "330102", kDay, 1, ""},
        {"330102-20261128-999999", "330102", kDay, 999999, ""},
        {"110105-20240229-000042", "110105", Date(2024, 2, 29), 42, ""},
        {"330102-20261128-W03-0007", "330102", kDay, 7, "W03"},
        {"330102-20261128-W0001-9999", "330102", kDay, 9999, "W0001"},
        {"330102-20270101-W123-0001", "330102", Date(2027, 1, 1), 1, "W123"},
    };
    for (const auto& s : samples) {
        INFO(s.text);
        auto n = CaseNumber::parse(s.text);
        REQUIRE(n);
        CHECK(n->centre == s.centre);
        CHECK(n->date == s.date);
        CHECK(n->sequence == s.sequence);
        CHECK(n->workstation == s.workstation);
        CHECK(n->str() == s.text);
    }
}

TEST_CASE("casenumber: invalid numbers do not parse", "[casenumber]")
{
    for (const std::string text : {
             "",
             "330102",
             "330102-20261128",
             "330102-20261128-",
             "330102-20261128-000000", // sequence 0
             "330102-20261128-00123", // five digits
             "330102-20261128-0000123", // seven digits
             "330102-20261128-00012a",
             "330102-20261128-+00123",
             "330102-20261128- 00123",
             "33010-20261128-000123", // five-digit centre
             "3301021-20261128-000123",
             "33O102-20261128-000123", // letter O
             "330102-2026112-000123",
             "330102-2026-11-28-000123",
             "330102-20261328-000123", // month 13
             "330102-20260229-000123", // 2026 is not a leap year
             "330102-20261100-000123",
             "330102-20261128-W3-0007", // workstation needs 2-4 digits
             "330102-20261128-W00001-0007",
             "330102-20261128-w03-0007",
             "330102-20261128-X03-0007",
             "330102-20261128-W03-007",
             "330102-20261128-W03-00007",
             "330102-20261128-W03-0000",
             "330102-20261128-W03-000123", // a fallback number needs 4 digits
             "330102-20261128-000123-W03",
             "330102-20261128-W03-W04-0001",
             "-330102-20261128-000123",
             "330102-20261128-000123-",
             "330102--20261128-000123",
             " 330102-20261128-000123",
             "330102-20261128-000123\n",
         }) {
        INFO("'" << text << "'");
        CHECK_FALSE(CaseNumber::parse(text));
    }

    CHECK(isValidCentreCode("330102"));
    CHECK_FALSE(isValidCentreCode("33010"));
    CHECK_FALSE(isValidCentreCode("33010x"));
    CHECK(isValidWorkstationCode("W03"));
    CHECK(isValidWorkstationCode("W0003"));
    CHECK_FALSE(isValidWorkstationCode("W3"));
    CHECK_FALSE(isValidWorkstationCode("W00003"));
    CHECK_FALSE(isValidWorkstationCode("w03"));
    CHECK_FALSE(isValidWorkstationCode("03"));
}

TEST_CASE("casenumber: an allocator needs a valid centre, workstation and blocks", "[casenumber]")
{
    Facts facts;
    CHECK(errorCode([] { CaseNumberAllocator("33010", "W03"); }, &facts) == "casenumber.centre_invalid");
    CHECK(facts["centre"] == "33010");
    CHECK(errorCode([] { CaseNumberAllocator("330102", "03"); }, &facts) == "casenumber.workstation_invalid");
    CHECK(facts["workstation"] == "03");

    CaseNumberAllocator alloc("330102", "W03");
    CHECK(errorCode([&] { alloc.addBlock(block(kDay, 1, 10, "330103")); }, &facts)
        == "casenumber.block_invalid");
    CHECK(facts["centre"] == "330103");
    CHECK(errorCode([&] { alloc.addBlock(block(kDay, 0, 10)); }) == "casenumber.block_invalid");
    CHECK(errorCode([&] { alloc.addBlock(block(kDay, 10, 9)); }, &facts) == "casenumber.block_invalid");
    CHECK(facts["first"] == "10");
    CHECK(facts["last"] == "9");
    CHECK(errorCode([&] { alloc.addBlock(block(kDay, 999990, 1000000)); }) == "casenumber.block_invalid");
    CHECK(alloc.remaining(kDay) == 0);
    CHECK_NOTHROW(alloc.addBlock(block(kDay, 999999, 999999)));
    CHECK(alloc.remaining(kDay) == 1);
    CHECK(alloc.next(kDay).str() == "330102-20261128-999999");
}

TEST_CASE("casenumber: blocks are consumed in the order they were reserved", "[casenumber]")
{
    CaseNumberAllocator alloc("330102", "W03");
    alloc.addBlock(block(kDay, 5, 7));
    alloc.addBlock(block(kDay, 100, 101));
    alloc.addBlock(block(kDay, 50, 50));
    CHECK(alloc.remaining(kDay) == 6);

    std::vector<std::string> got;
    for (int i = 0; i < 6; ++i) {
        got.push_back(alloc.next(kDay).str());
        CHECK_FALSE(alloc.usedFallback());
        CHECK(alloc.remaining(kDay) == 5 - i);
    }
    CHECK(got
        == std::vector<std::string>{"330102-20261128-000005", "330102-20261128-000006",
            "330102-20261128-000007", "330102-20261128-000100", "330102-20261128-000101",
            "330102-20261128-000050"});
}

TEST_CASE("casenumber: a block for another day is not used", "[casenumber]")
{
    const Date tomorrow = kDay.addDays(1);
    CaseNumberAllocator alloc("330102", "W03");
    alloc.addBlock(block(tomorrow, 1, 3));
    CHECK(alloc.remaining(kDay) == 0);
    CHECK(alloc.remaining(tomorrow) == 3);

    // Today has no block: the fallback, and tomorrow's block is untouched.
    CaseNumber today = alloc.next(kDay);
    CHECK(today.workstation == "W03");
    CHECK(today.date == kDay);
    CHECK(alloc.usedFallback());
    CHECK(alloc.remaining(tomorrow) == 3);

    CaseNumber next = alloc.next(tomorrow);
    CHECK(next.str() == "330102-20261129-000001");
    CHECK_FALSE(alloc.usedFallback());

    // Yesterday's leftovers are useless once the day has passed.
    CaseNumberAllocator late("330102", "W03");
    late.addBlock(block(kDay, 1, 100));
    CHECK(late.next(tomorrow).workstation == "W03");
    CHECK(late.remaining(kDay) == 0);
}

TEST_CASE("casenumber: offline, a workstation prefix takes over when blocks run out", "[casenumber]")
{
    CaseNumberAllocator alloc("330102", "W03");
    alloc.addBlock(block(kDay, 41, 42));
    CHECK(alloc.next(kDay).str() == "330102-20261128-000041");
    CHECK(alloc.next(kDay).str() == "330102-20261128-000042");
    CHECK(alloc.remaining(kDay) == 0);

    CaseNumber f1 = alloc.next(kDay);
    CHECK(f1.str() == "330102-20261128-W03-0001");
    CHECK(alloc.usedFallback());
    CHECK(alloc.fallbackSequence() == 1);
    CHECK(alloc.fallbackDate() == kDay);
    CHECK(alloc.next(kDay).str() == "330102-20261128-W03-0002");
    auto parsed = CaseNumber::parse(f1.str());
    REQUIRE(parsed);
    CHECK(parsed->workstation == "W03");
    CHECK(parsed->sequence == 1);

    // A block topped up once back online is used again; the fallback count is kept for the day.
    alloc.addBlock(block(kDay, 43, 43));
    CHECK(alloc.next(kDay).str() == "330102-20261128-000043");
    CHECK_FALSE(alloc.usedFallback());
    CHECK(alloc.next(kDay).str() == "330102-20261128-W03-0003");

    // A new day starts its fallback sequence at 1.
    CHECK(alloc.next(kDay.addDays(1)).str() == "330102-20261129-W03-0001");
}

TEST_CASE("casenumber: the fallback sequence is restored after a restart", "[casenumber]")
{
    CaseNumberAllocator before("330102", "W07");
    for (int i = 0; i < 41; ++i)
        before.next(kDay);
    const Date savedDate = before.fallbackDate();
    const std::int64_t savedSeq = before.fallbackSequence();
    CHECK(savedSeq == 41);

    CaseNumberAllocator after("330102", "W07");
    after.setFallbackState(savedDate, savedSeq);
    CHECK(after.next(kDay).str() == "330102-20261128-W07-0042");

    // A state saved on another day does not carry over.
    CaseNumberAllocator stale("330102", "W07");
    stale.setFallbackState(kDay.addDays(-1), 500);
    CHECK(stale.next(kDay).str() == "330102-20261128-W07-0001");
}

TEST_CASE("casenumber: the fallback is exhausted after 9999 numbers a day", "[casenumber]")
{
    CaseNumberAllocator alloc("330102", "W03");
    alloc.setFallbackState(kDay, 9998);
    CHECK(alloc.next(kDay).str() == "330102-20261128-W03-9999");
    Facts facts;
    CHECK(errorCode([&] { alloc.next(kDay); }, &facts) == "casenumber.fallback_exhausted");
    CHECK(facts["workstation"] == "W03");
    CHECK(facts["date"] == "2026-11-28");
    CHECK(errorCode([&] { alloc.next(kDay); }) == "casenumber.fallback_exhausted");
    CHECK(alloc.fallbackSequence() == 9999);

    // A reserved block still works, and so does the next day.
    alloc.addBlock(block(kDay, 7, 7));
    CHECK(alloc.next(kDay).str() == "330102-20261128-000007");
    CHECK(alloc.next(kDay.addDays(1)).str() == "330102-20261129-W03-0001");
}

TEST_CASE("casenumber: 10,000 numbers from two allocators with disjoint blocks are unique", "[casenumber]")
{
    // The shared database hands out disjoint blocks per day; two workstations draw alternately.
    std::map<std::int64_t, std::int64_t> nextFree; // per day, as the shared counter row would
    auto reserve = [&](CaseNumberAllocator& a, Date d, std::int64_t size) {
        std::int64_t& next = nextFree[d.days()];
        if (next == 0)
            next = 1;
        a.addBlock(block(d, next, next + size - 1));
        next += size;
    };
    CaseNumberAllocator w1("330102", "W01");
    CaseNumberAllocator w2("330102", "W02");
    const std::vector<Date> days = {kDay, kDay.addDays(1)};

    std::set<std::string> seen;
    std::size_t drawn = 0;
    bool allFromBlocks = true;
    bool allParse = true;
    for (int i = 0; i < 5000; ++i) {
        const Date d = days[static_cast<std::size_t>(i / 2500)];
        for (auto* a : {&w1, &w2}) {
            if (a->remaining(d) == 0)
                reserve(*a, d, a == &w1 ? 37 : 100);
            CaseNumber n = a->next(d);
            allFromBlocks = allFromBlocks && !a->usedFallback() && n.workstation.empty();
            auto back = CaseNumber::parse(n.str());
            allParse = allParse && back && back->str() == n.str() && back->date == d;
            seen.insert(n.str());
            ++drawn;
        }
    }
    CHECK(drawn == 10000);
    CHECK(seen.size() == 10000);
    CHECK(allFromBlocks);
    CHECK(allParse);

    // Offline fallbacks of the two workstations cannot collide with each other either.
    std::set<std::string> offline;
    const Date d3 = kDay.addDays(2);
    for (int i = 0; i < 100; ++i) {
        offline.insert(w1.next(d3).str());
        offline.insert(w2.next(d3).str());
    }
    CHECK(offline.size() == 200);
}

TEST_CASE("casenumber: a block added twice does not hand out numbers twice", "[casenumber]")
{
    // A reservation retried after a lost acknowledgement may bring the same block again.
    CaseNumberAllocator alloc("330102", "W03");
    alloc.addBlock(block(kDay, 1, 3));
    try {
        alloc.addBlock(block(kDay, 1, 3));
    } catch (const DomainError& e) {
        CHECK(e.code() == "casenumber.block_invalid");
    }
    try {
        alloc.addBlock(block(kDay, 3, 4)); // overlaps the first
    } catch (const DomainError& e) {
        CHECK(e.code() == "casenumber.block_invalid");
    }
    std::set<std::string> seen;
    for (int i = 0; i < 8; ++i)
        CHECK(seen.insert(alloc.next(kDay).str()).second);
}
