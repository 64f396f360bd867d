// The audit chain against tampering, on the suite's backend (SQLite or PostgreSQL): every
// field of an event document edited, every indexed column edited, an event re-sealed by
// someone who knows the hashing, the first, a middle and the last event deleted (also with
// the origin's counter moved back to hide it), a peer's only event deleted, and events
// reordered by sequence, by document, by arrival and by a consistent re-sealing. Each
// tamper is made with raw SQL on a fresh database and Store::verify must report it with
// the problem kind and the subject (event id or origin) named in the table.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Event.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Json.h"

#include "../db/DbTestSupport.h"
#include "db/Store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace ow;
using namespace ow::model;
using ow::test::TestDatabase;

namespace {

std::string sqlText(const std::string& s)
{
    std::string q = "'";
    for (char ch : s)
        q += ch == '\'' ? std::string("''") : std::string(1, ch);
    return q + "'";
}

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A store holding its own chain (catalogue, staff, two cases worked on) and two peers'
// chains received: "peerb" with three events, "peers" with one.
struct Ledger {
    TestDatabase tdb;
    std::unique_ptr<db::Store> store;
    std::string origin;
    std::int64_t first = 1, middle = 0, last = 0; // seqs of the store's own origin

    Ledger()
    {
        store = tdb.open();
        store->initialise("330102");
        Catalogue catalogue = demoCatalogue();
        store->putCatalogue(catalogue, "admin");
        store->putStaff({"clerk01", "clerk", {Role::WindowStaff}, "330102", true}, "", "admin");
        HolidayCalendar calendar = builtinCalendar();
        FixedClock clock{Date(2026, 3, 2)};
        db::StoreCaseNumberSource numbers(*store, "330102", "W03", 5);
        ServiceContext ctx{*store, catalogue, calendar, *store, numbers, clock, "330102"};
        IntakeService intake(ctx);
        CaseWorkService work(ctx);
        auto open = [&](const std::string& first17) {
            IntakeRequest r;
            r.applicant.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
            r.applicant.idNumber = first17 + *gb11643CheckDigit(first17);
            r.matterCodes = {"330102-SC-001"};
            r.receivedMaterials = {"premises_proof", "registration_form"};
            r.window = "W03";
            return intake.open("clerk01", r).number;
        };
        const std::string a = open("33010219800101001");
        intake.accept("clerk01", a);
        const std::string b = open("33010219800101002");
        middle = store->caseEvents(b).front().seq;
        intake.accept("clerk01", b);
        work.addNote("clerk01", b, "checked");
        work.addNote("clerk01", a, "all there");
        origin = store->origin();
        last = store->caseEvents(a).back().seq;
        REQUIRE(middle > first + 1);
        REQUIRE(last > middle + 2);
        receivePeer("peerb", 3);
        receivePeer("peers", 1);
        REQUIRE(store->verify().ok());
    }

    void receivePeer(const std::string& peer, int count)
    {
        std::vector<Event> events;
        std::string prev;
        for (int i = 1; i <= count; ++i) {
            Event e;
            e.origin = peer;
            e.seq = i;
            e.hlc = makeHlc(nowMs() - 60'000 + i, 0);
            e.type = EventType::Note;
            e.actor = "clerk09";
            e.prev = prev;
            e.body = Json::object();
            e.body["text"] = peer + " " + std::to_string(i);
            e.seal();
            prev = e.hash;
            events.push_back(e);
        }
        REQUIRE(store->receive(events) == events.size());
    }

    std::string id(std::int64_t seq) const { return formatEventId(origin, seq); }
    std::string value(const std::string& sql) const
    {
        std::string v = tdb.queryText(sql);
        while (!v.empty() && v.back() == '\n')
            v.pop_back();
        return v;
    }
    Json document(const std::string& eventId) const
    {
        return Json::parse(value("SELECT doc FROM events WHERE id = " + sqlText(eventId)));
    }
    Event event(const std::string& eventId) const { return Event::fromDocument(document(eventId)); }
    void setDocument(const std::string& eventId, const Json& doc) const
    {
        tdb.exec("UPDATE events SET doc = " + sqlText(doc.canonical()) + " WHERE id = " + sqlText(eventId));
    }
    // Re-seals an edited event the way its writer would (hash and _rev recomputed) and
    // writes document and columns to match: only the chain can tell.
    void reseal(const std::string& eventId, Event e, std::int64_t seq) const
    {
        e.seq = seq;
        e.seal();
        tdb.exec("UPDATE events SET doc = " + sqlText(e.documentText()) + ", hash = " + sqlText(e.hash)
            + ", prev = " + sqlText(e.prev) + ", type = " + sqlText(e.type) + ", actor = " + sqlText(e.actor)
            + ", case_number = " + sqlText(e.caseNumber) + ", hlc = " + std::to_string(e.hlc)
            + " WHERE id = " + sqlText(eventId));
    }
    std::int64_t arrivalOf(std::int64_t seq) const
    {
        return std::stoll(value("SELECT arrival FROM events WHERE id = " + sqlText(id(seq))));
    }
    void swapColumn(const char* column, std::int64_t seqA, std::int64_t seqB) const
    {
        const std::string c = column;
        const std::string a = sqlText(id(seqA)), b = sqlText(id(seqB));
        // Through a third value: the columns are unique.
        const std::string parked = c == "seq" || c == "arrival" ? "-1" : sqlText("parked");
        const std::string va = value("SELECT " + c + " FROM events WHERE id = " + a);
        const std::string vb = value("SELECT " + c + " FROM events WHERE id = " + b);
        const bool numeric = c == "seq" || c == "arrival";
        auto lit = [&](const std::string& v) { return numeric ? v : sqlText(v); };
        tdb.exec("UPDATE events SET " + c + " = " + parked + " WHERE id = " + a);
        tdb.exec("UPDATE events SET " + c + " = " + lit(va) + " WHERE id = " + b);
        tdb.exec("UPDATE events SET " + c + " = " + lit(vb) + " WHERE id = " + a);
    }
};

struct Tamper {
    std::string label;
    std::function<void(Ledger&)> apply;
    // What verify must report: a problem of this kind naming this subject.
    std::string kind;
    std::function<std::string(const Ledger&)> subject;
};

std::function<std::string(const Ledger&)> eventAt(std::int64_t Ledger::*which, std::int64_t offset = 0)
{
    return [which, offset](const Ledger& l) { return l.id(l.*which + offset); };
}

std::string ofOrigin(const Ledger& l)
{
    return l.origin;
}

const std::vector<std::pair<const char*, std::int64_t Ledger::*>> kTargets
    = {{"first", &Ledger::first}, {"middle", &Ledger::middle}, {"last", &Ledger::last}};

std::vector<Tamper> tampers()
{
    std::vector<Tamper> out;
    const std::string hex64a(64, 'a'), hex64b(64, 'b');
    for (const auto& [where, seqOf] : kTargets) {
        const std::string at = std::string(" of the ") + where + " event";
        auto edit = [seqOf](std::function<void(Json&, const Ledger&)> change) {
            return [seqOf, change](Ledger& l) {
                const std::string id = l.id(l.*seqOf);
                Json doc = l.document(id);
                change(doc, l);
                l.setDocument(id, doc);
            };
        };
        // Every field of the document, edited in place.
        out.push_back(
            {"_id" + at, edit([](Json& d, const Ledger& l) { d["_id"] = formatEventId(l.origin, 999); }),
                "document_invalid", eventAt(seqOf)});
        out.push_back(
            {"_rev" + at, edit([](Json& d, const Ledger&) { d["_rev"] = "1-" + std::string(32, '0'); }),
                "hash_mismatch", eventAt(seqOf)});
        out.push_back({"origin" + at, edit([](Json& d, const Ledger&) { d["origin"] = "mallory"; }),
            "document_invalid", eventAt(seqOf)});
        out.push_back({"seq" + at, edit([](Json& d, const Ledger&) { d["seq"] = d["seq"].asInt() + 1; }),
            "document_invalid", eventAt(seqOf)});
        out.push_back({"hlc" + at, edit([](Json& d, const Ledger&) { d["hlc"] = d["hlc"].asInt() - 1; }),
            "hash_mismatch", eventAt(seqOf)});
        out.push_back({"type" + at, edit([](Json& d, const Ledger&) { d["type"] = "case.withdrawn"; }),
            "hash_mismatch", eventAt(seqOf)});
        out.push_back(
            {"case" + at, edit([](Json& d, const Ledger&) { d["case"] = "330102-20260302-999999"; }),
                "hash_mismatch", eventAt(seqOf)});
        out.push_back({"actor" + at, edit([](Json& d, const Ledger&) { d["actor"] = "mallory"; }),
            "hash_mismatch", eventAt(seqOf)});
        out.push_back({"heads" + at, edit([](Json& d, const Ledger&) {
                           Json heads = Json::array();
                           heads.push_back("ev-mallory-000000000001");
                           d["heads"] = heads;
                       }),
            "hash_mismatch", eventAt(seqOf)});
        // The first event has no predecessor: a prev there is malformed rather than wrong.
        out.push_back({"prev" + at, edit([hex64a](Json& d, const Ledger&) { d["prev"] = hex64a; }),
            seqOf == &Ledger::first ? "document_invalid" : "hash_mismatch", eventAt(seqOf)});
        out.push_back({"body" + at, edit([](Json& d, const Ledger&) { d["body"]["tampered"] = true; }),
            "hash_mismatch", eventAt(seqOf)});
        out.push_back({"hash" + at, edit([hex64b](Json& d, const Ledger&) { d["hash"] = hex64b; }),
            "hash_mismatch", eventAt(seqOf)});
        out.push_back({"whole document replaced by another event's" + at,
            [seqOf](Ledger& l) {
                const std::int64_t other = l.*seqOf == l.last ? l.middle : l.last;
                l.setDocument(l.id(l.*seqOf), l.document(l.id(other)));
            },
            "columns_mismatch", eventAt(seqOf)});

        // Every indexed column, the document left alone.
        for (const auto& [column, replacement] :
            std::vector<std::pair<std::string, std::string>>{{"origin", "'mallory'"}, {"hlc", "hlc - 1"},
                {"type", "'case.withdrawn'"}, {"case_number", "'330102-20260302-999999'"},
                {"actor", "'mallory'"}, {"prev", sqlText(hex64a)}, {"hash", sqlText(hex64b)}}) {
            out.push_back({"column " + column + at,
                [seqOf, column, replacement](Ledger& l) {
                    l.tdb.exec("UPDATE events SET " + column + " = " + replacement
                        + " WHERE id = " + sqlText(l.id(l.*seqOf)));
                },
                "columns_mismatch", eventAt(seqOf)});
        }
        out.push_back({"column id" + at,
            [seqOf](Ledger& l) {
                l.tdb.exec("UPDATE events SET id = " + sqlText(formatEventId("mallory", 1))
                    + " WHERE id = " + sqlText(l.id(l.*seqOf)));
            },
            "columns_mismatch", [](const Ledger&) { return formatEventId("mallory", 1); }});

        // Re-sealed by someone who knows the hashing: the next event's prev, or for the last
        // one the origin's recorded last hash, no longer matches.
        out.push_back({"body re-sealed" + at,
            [seqOf](Ledger& l) {
                Event e = l.event(l.id(l.*seqOf));
                e.body["tampered"] = true;
                e.actor = "mallory";
                l.reseal(l.id(l.*seqOf), e, e.seq);
            },
            seqOf == &Ledger::last ? "origin_counter" : "chain_broken",
            seqOf == &Ledger::last ? std::function<std::string(const Ledger&)>(ofOrigin)
                                   : eventAt(seqOf, 1)});

        // Deleted.
        out.push_back({"deleted" + at,
            [seqOf](Ledger& l) { l.tdb.exec("DELETE FROM events WHERE id = " + sqlText(l.id(l.*seqOf))); },
            seqOf == &Ledger::last ? "origin_counter" : "sequence_gap",
            seqOf == &Ledger::last ? std::function<std::string(const Ledger&)>(ofOrigin) : eventAt(seqOf)});
    }

    // The last event deleted and the origin's counter moved back to hide the gap.
    out.push_back({"last deleted, counter moved back",
        [](Ledger& l) {
            l.tdb.exec("DELETE FROM events WHERE id = " + sqlText(l.id(l.last)));
            l.tdb.exec("UPDATE origins SET last_seq = last_seq - 1 WHERE origin = " + sqlText(l.origin));
        },
        "origin_counter", ofOrigin});
    out.push_back({"the last two deleted, counter moved back",
        [](Ledger& l) {
            l.tdb.exec("DELETE FROM events WHERE origin = " + sqlText(l.origin)
                + " AND seq >= " + std::to_string(l.last - 1));
            l.tdb.exec("UPDATE origins SET last_seq = last_seq - 2 WHERE origin = " + sqlText(l.origin));
        },
        "origin_counter", ofOrigin});
    out.push_back({"a peer's middle event deleted",
        [](Ledger& l) { l.tdb.exec("DELETE FROM events WHERE id = " + sqlText(formatEventId("peerb", 2))); },
        "sequence_gap", [](const Ledger&) { return formatEventId("peerb", 2); }});
    out.push_back({"a peer's only event deleted",
        [](Ledger& l) { l.tdb.exec("DELETE FROM events WHERE origin = 'peers'"); }, "origin_counter",
        [](const Ledger&) { return std::string("peers"); }});
    out.push_back({"a peer's last two events deleted, its counter moved back",
        [](Ledger& l) {
            l.tdb.exec("DELETE FROM events WHERE origin = 'peerb' AND seq >= 2");
            l.tdb.exec("UPDATE origins SET last_seq = 1 WHERE origin = 'peerb'");
        },
        "origin_counter", [](const Ledger&) { return std::string("peerb"); }});

    // Reordered.
    out.push_back({"sequence numbers of two events swapped",
        [](Ledger& l) { l.swapColumn("seq", l.middle, l.middle + 1); }, "columns_mismatch",
        eventAt(&Ledger::middle)});
    out.push_back({"documents of two events swapped",
        [](Ledger& l) {
            const Json a = l.document(l.id(l.middle)), b = l.document(l.id(l.middle + 1));
            l.setDocument(l.id(l.middle), b);
            l.setDocument(l.id(l.middle + 1), a);
        },
        "columns_mismatch", eventAt(&Ledger::middle, 1)});
    out.push_back({"arrival order of two events swapped",
        [](Ledger& l) { l.swapColumn("arrival", l.middle, l.middle + 1); }, "arrival_order",
        eventAt(&Ledger::middle, 1)});
    out.push_back({"the first event moved to the end of the arrival order",
        [](Ledger& l) {
            const std::int64_t top = std::stoll(l.value("SELECT MAX(arrival) FROM events"));
            l.tdb.exec("UPDATE events SET arrival = " + std::to_string(top + 1)
                + " WHERE id = " + sqlText(l.id(l.first)));
        },
        "arrival_order", eventAt(&Ledger::first, 1)});
    out.push_back({"first and last event swapped, whole rows",
        [](Ledger& l) { l.swapColumn("arrival", l.first, l.last); }, "arrival_order",
        eventAt(&Ledger::first, 1)});
    // Two neighbours exchanged and re-sealed in their new places, the chain between them
    // rebuilt: the event after them still points at the old hash.
    out.push_back({"two events exchanged and re-sealed",
        [](Ledger& l) {
            Event a = l.event(l.id(l.middle)), b = l.event(l.id(l.middle + 1));
            Event newA = b, newB = a;
            newA.prev = a.prev;
            newA.seq = a.seq;
            newA.seal();
            newB.prev = newA.hash;
            newB.seq = b.seq;
            l.reseal(l.id(l.middle), newA, a.seq);
            l.reseal(l.id(l.middle + 1), newB, b.seq);
        },
        "chain_broken", eventAt(&Ledger::middle, 2)});
    out.push_back({"the last two exchanged and re-sealed",
        [](Ledger& l) {
            Event a = l.event(l.id(l.last - 1)), b = l.event(l.id(l.last));
            Event newA = b, newB = a;
            newA.prev = a.prev;
            newA.seq = a.seq;
            newA.seal();
            newB.prev = newA.hash;
            newB.seq = b.seq;
            l.reseal(l.id(l.last - 1), newA, a.seq);
            l.reseal(l.id(l.last), newB, b.seq);
        },
        "origin_counter", ofOrigin});
    return out;
}

} // namespace

TEST_CASE(
    "security: every edited, deleted or reordered audit record is reported by verify", "[security][audit]")
{
    const auto table = tampers();
    // 3 targets × (13 document edits + 8 column edits + a re-sealing + a deletion), then
    // 5 more deletions and 7 reorderings.
    CHECK(table.size() == 3 * (13 + 8 + 1 + 1) + 5 + 7);
    std::set<std::string> kinds;
    for (const auto& t : table) {
        INFO(t.label);
        Ledger l;
        t.apply(l);
        // Verified as an auditor would, on a connection of its own (owctl verify).
        const db::VerifyReport report = l.tdb.open()->verify();
        CHECK_FALSE(report.ok());
        const std::string subject = t.subject(l);
        bool named = false;
        std::string seen;
        for (const auto& p : report.problems) {
            named = named || (p.kind == t.kind && p.subject == subject);
            seen += p.kind + " " + p.subject + " (" + p.detail + "); ";
        }
        INFO("expected " << t.kind << " " << subject << "; reported: " << seen);
        CHECK(named);
        kinds.insert(t.kind);
    }
    CHECK(kinds
        == std::set<std::string>{"document_invalid", "hash_mismatch", "columns_mismatch", "chain_broken",
            "sequence_gap", "origin_counter", "arrival_order"});
}

TEST_CASE(
    "security: an untouched ledger verifies clean, also after a rebuild and more writes", "[security][audit]")
{
    Ledger l;
    CHECK(l.store->verify().ok());
    l.store->rebuildProjections();
    CHECK(l.store->verify().ok());
    l.receivePeer("peerc", 2);
    CHECK(l.store->append({{EventType::Note, "", "admin", {}, Json::object()}}).size() == 1);
    const auto report = l.store->verify();
    for (const auto& p : report.problems)
        FAIL_CHECK(p.kind << " " << p.subject << " " << p.detail);
    CHECK(report.origins == 4);
}
