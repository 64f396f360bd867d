// Application services end to end over the in-memory repositories: intake, case work,
// deadlines, and what every appended event carries (actor, heads, seq, hash chain).
#include "model/BuiltinCalendars.h"
#include "model/CaseNumber.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/ServiceContext.h"

#include "ServiceWorld.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace ow::model;
using ow::test::errorOf;
using ow::test::noonMs;

namespace {

const std::string kBundle = "330102-YJS-001"; // 二手房交易一件事
const std::string kBdc = "330102-BDC-001";
const std::string kSw = "330102-SW-001";
const std::string kSdq = "330102-SDQ-001";

std::string residentId(const std::string& first17)
{
    return first17 + *gb11643CheckDigit(first17);
}

Applicant wangFang()
{
    Applicant a;
    a.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    a.idKind = IdKind::ResidentId;
    a.idNumber = residentId("33010219800101123");
    a.phone = "13812345678";
    return a;
}

// One workstation (see ServiceWorld.h) on 2026-02-12, the day before the Spring Festival.
struct World : ow::test::ServiceWorld {
    World()
        : ServiceWorld(Date(2026, 2, 12), {Role::WindowStaff})
    {
    }

    CaseState open(const std::vector<std::string>& received, const std::string& bundle = kBundle,
        const std::vector<std::string>& matters = {})
    {
        IntakeRequest r;
        r.applicant = wangFang();
        r.bundleCode = bundle;
        r.matterCodes = matters;
        r.receivedMaterials = received;
        r.window = "W03";
        return intake.open("clerk01", r);
    }
};

} // namespace

TEST_CASE("services: a bundle's merged checklist asks for each material once", "[services]")
{
    World w;
    auto list = w.intake.checklist({}, kBundle);
    REQUIRE(list.size() == 4);
    CHECK(list[0].material.code == "id_card");
    CHECK(list[1].material.code == "property_certificate");
    CHECK(list[2].material.code == "sale_contract");
    CHECK(list[3].material.code == "marriage_record");
    // Strongest form and largest count: the registration wants originals, deed tax copies.
    CHECK(list[1].material.form == MaterialForm::Original);
    CHECK(list[2].material.form == MaterialForm::Original);
    CHECK(list[2].material.count == 2);
    CHECK(list[3].material.form == MaterialForm::Copy);
    CHECK(list[0].requiredBy == std::vector<std::string>{kBdc, kSw, kSdq});
    CHECK(list[1].requiredBy == std::vector<std::string>{kBdc, kSw, kSdq});
    CHECK(list[2].requiredBy == std::vector<std::string>{kBdc, kSw});
    CHECK(list[3].requiredBy == std::vector<std::string>{kBdc});
    CHECK(list[0].material.dataShared);
    CHECK(list[3].material.dataShared);
    CHECK_FALSE(list[1].material.dataShared);

    CaseState st = w.open({});
    CHECK(st.status == CaseStatus::Consulting);
    CHECK(st.bundle == kBundle);
    CHECK(st.centre == "330102");
    CHECK(st.currentCentre == "330102");
    CHECK(st.window == "W03");
    CHECK(st.assignee == "clerk01");
    CHECK(st.openedOn == Date(2026, 2, 12));
    CHECK(st.visits == 1);
    REQUIRE(st.matters.size() == 3);
    CHECK(st.matters[0].code == kBdc);
    CHECK(st.matters[1].code == kSw);
    CHECK(st.matters[2].code == kSdq);
    CHECK(st.matters[0].promisedLimit == TimeLimit{5, DayCounting::Working});
    CHECK(st.matters[0].statutoryLimit == TimeLimit{30, DayCounting::Working});
    CHECK(st.matters[0].department
        == "\xE5\x8C\xBA\xE4\xB8\x8D\xE5\x8A\xA8\xE4\xBA\xA7\xE7\x99\xBB\xE8\xAE\xB0\xE4\xB8\xAD\xE5\xBF"
           "\x83");

    REQUIRE(st.materials.size() == 4);
    std::multiset<std::string> codes;
    for (const auto& m : st.materials)
        codes.insert(m.code);
    for (const char* c : {"id_card", "property_certificate", "sale_contract", "marriage_record"})
        CHECK(codes.count(c) == 1);
    const CaseMaterial* contract = st.material("sale_contract");
    REQUIRE(contract);
    CHECK(contract->form == MaterialForm::Original);
    CHECK(contract->count == 2);
    CHECK(contract->mandatory);
    CHECK(contract->requiredBy == std::vector<std::string>{kBdc, kSw});
    CHECK(st.material("property_certificate")->form == MaterialForm::Original);
    CHECK(st.material("property_certificate")->count == 1);
    // Data-shared materials are marked so and never count as missing.
    CHECK(st.material("id_card")->dataShared);
    CHECK(st.material("marriage_record")->dataShared);
    CHECK(
        st.missingMandatoryMaterials() == std::vector<std::string>{"property_certificate", "sale_contract"});

    // The identity number is stored normalised (a lower-case x would be upper-cased).
    CHECK(st.applicant.idNumber == wangFang().idNumber);
    CHECK(st.applicant.name == wangFang().name);
}

TEST_CASE("services: a bundle plus an extra matter, without duplicates", "[services]")
{
    World w;
    CaseState st = w.open({}, kBundle, {kSw, "330102-YB-001"});
    REQUIRE(st.matters.size() == 4);
    CHECK(st.matters[0].code == kBdc);
    CHECK(st.matters[1].code == kSw);
    CHECK(st.matters[2].code == kSdq);
    CHECK(st.matters[3].code == "330102-YB-001");
    CHECK(st.material("id_card")->requiredBy.size() == 4);
}

TEST_CASE("services: a whole journey from intake to archive", "[services]")
{
    World w;
    CaseState st = w.open({"property_certificate", "sale_contract"});
    const std::string n = st.number;
    CHECK(st.missingMandatoryMaterials().empty());

    auto early = errorOf([&] { w.work.deadline(n); });
    REQUIRE(early);
    CHECK(early->code() == "case.not_accepted");
    CHECK(early->fact("case") == n);

    st = w.intake.accept("clerk01", n);
    CHECK(st.status == CaseStatus::Accepted);
    CHECK(st.acceptedOn == Date(2026, 2, 12));

    // Promised limit of the bundle = its slowest matter, 5 working days (不动产转移登记).
    // Accepted Thu 2026-02-12; counting starts the next day:
    //   Fri 02-13 (1), Sat 02-14 make-up working day 春节调休 (2),
    //   Sun 02-15 .. Mon 02-23 春节 off, Tue 02-24 (3), Wed 02-25 (4), Thu 02-26 (5).
    DeadlineResult d = w.work.deadline(n);
    CHECK(d.deadline == Date(2026, 2, 26));
    CHECK(d.start == Date(2026, 2, 12));
    CHECK(d.countedDays == 5);
    CHECK_FALSE(d.provisional);
    CHECK(d.limit == TimeLimit{5, DayCounting::Working});

    w.setDay(Date(2026, 2, 13));
    st = w.work.route("clerk01", n, "s1", "BDC", "reviewer01");
    CHECK(st.status == CaseStatus::InReview);
    REQUIRE(st.step("s1"));
    CHECK(st.step("s1")->assignee == "reviewer01");
    CHECK(st.step("s1")->routedOn == Date(2026, 2, 13));

    w.setDay(Date(2026, 2, 24));
    st = w.work.suspend("reviewer01", n, "awaiting_site_survey");
    CHECK(st.status == CaseStatus::Suspended);
    d = w.work.deadline(n);
    CHECK(d.suspendedOpenEnded);

    w.setDay(Date(2026, 2, 26));
    st = w.work.resume("reviewer01", n);
    CHECK(st.status == CaseStatus::InReview);
    REQUIRE(st.suspensions.size() == 1);
    CHECK(st.suspensions[0].from == Date(2026, 2, 24));
    CHECK(st.suspensions[0].to == Date(2026, 2, 26));
    // Suspended Tue 02-24 and Wed 02-25 do not count (the clock restarts on the day of
    // resumption): 02-13 (1), 02-14 (2), 02-26 (3), Fri 02-27 (4), Sat 02-28 调休 (5).
    d = w.work.deadline(n);
    CHECK(d.deadline == Date(2026, 2, 28));
    CHECK_FALSE(d.suspendedOpenEnded);
    auto suspendedDays = std::count_if(d.ledger.begin(), d.ledger.end(),
        [](const LedgerEntry& e) { return e.effect == LedgerEntry::NotCountedSuspended; });
    CHECK(suspendedDays == 2);

    // Window staff may not approve an extension; a reviewer may.
    const std::size_t before = w.eventCount();
    auto denied = errorOf([&] {
        w.work.extend("clerk01", n, {5, DayCounting::Working}, "survey", "clerk01");
    });
    REQUIRE(denied);
    CHECK(denied->code() == "permission.denied");
    CHECK(denied->fact("actor") == "clerk01");
    CHECK(denied->fact("action") == "approve_extension");
    CHECK(w.eventCount() == before);
    st = w.work.extend("reviewer01", n, {5, DayCounting::Working}, "survey", "clerk01");
    CHECK(st.status == CaseStatus::Extended);
    REQUIRE(st.extensions.size() == 1);
    CHECK(st.extensions[0].approvedBy == "reviewer01");
    CHECK(st.extensions[0].approvedOn == Date(2026, 2, 26));
    // Five more working days after Sat 02-28: Mon 03-02 .. Fri 03-06.
    d = w.work.deadline(n);
    CHECK(d.deadline == Date(2026, 3, 6));
    CHECK(d.countedDays == 10);
    auto again = errorOf([&] {
        w.work.extend("reviewer01", n, {1, DayCounting::Working}, "more", "clerk01");
    });
    REQUIRE(again);
    CHECK(again->code() == "case.already_extended");

    w.setDay(Date(2026, 2, 27));
    auto early2 = errorOf([&] { w.work.conclude("reviewer01", n, true); });
    REQUIRE(early2);
    CHECK(early2->code() == "case.steps_open");
    st = w.work.completeStep("reviewer01", n, "s1", "approved");
    CHECK(st.step("s1")->done);
    CHECK(st.status == CaseStatus::Extended);

    w.setDay(Date(2026, 3, 2));
    st = w.work.conclude("reviewer01", n, true);
    CHECK(st.status == CaseStatus::Approved);
    CHECK(st.concludedOn == Date(2026, 3, 2));

    w.setDay(Date(2026, 3, 3));
    st = w.work.deliver("clerk01", n, "window");
    CHECK(st.status == CaseStatus::Delivered);
    CHECK(st.deliveredOn == Date(2026, 3, 3));
    st = w.work.recordEvaluation("manager01", n, 5, "pad", ""); // taken on the applicant-facing pad
    st = w.work.close("clerk01", n);
    CHECK(st.status == CaseStatus::Closed);
    CHECK(st.closedOn == Date(2026, 3, 3));
    st = w.work.addNote("reviewer01", n, "archived");
    CHECK(st.notes == 1);
    CHECK(st.anomalies.empty());
    CHECK_FALSE(st.inConflict());

    // Who did what, in order.
    auto events = w.store.caseEvents(n);
    std::vector<std::pair<std::string, std::string>> seen;
    for (const auto& e : events)
        seen.emplace_back(e.type, e.actor);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {EventType::Opened, "clerk01"},
        {EventType::Accepted, "clerk01"},
        {EventType::Routed, "clerk01"},
        {EventType::Suspended, "reviewer01"},
        {EventType::Resumed, "reviewer01"},
        {EventType::Extended, "reviewer01"},
        {EventType::StepDone, "reviewer01"},
        {EventType::Concluded, "reviewer01"},
        {EventType::Delivered, "clerk01"},
        {EventType::Evaluated, "manager01"},
        {EventType::Closed, "clerk01"},
        {EventType::Note, "reviewer01"},
    };
    CHECK(seen == expected);
    CHECK(events[5].body.getString("requestedBy") == "clerk01");
    CHECK(events[5].body.getString("approvedBy") == "reviewer01");

    // Closed is final: no further lifecycle event.
    auto after = errorOf([&] { w.work.deliver("clerk01", n, "window"); });
    REQUIRE(after);
    CHECK(after->code() == "case.transition_refused");
}

TEST_CASE("services: the statutory deadline uses the statutory limit", "[services]")
{
    World w;
    w.setDay(Date(2026, 3, 2)); // a Monday
    const std::string n = w.open({"property_certificate", "sale_contract"}).number;
    w.intake.accept("clerk01", n);
    // 30 working days counted from Tue 03-03: March gives 21 of them
    // (03-03..06 4, 03-09..13 5, 16..20 5, 23..27 5, 30..31 2), then April:
    // 04-01 (22), 04-02 (23), 04-03 (24), 04-04..06 清明 off, 04-07 (25), 04-08 (26),
    // 04-09 (27), 04-10 (28), 04-13 (29), 04-14 (30).
    CHECK(w.work.deadline(n, true).deadline == Date(2026, 4, 14));
    // The promised 5 working days: 03-03 .. 03-09.
    CHECK(w.work.deadline(n).deadline == Date(2026, 3, 9));
}

TEST_CASE("services: a one-time notice, the return visit, acceptance on the same number", "[services]")
{
    World w;
    const std::string n = w.open({"property_certificate"}).number;
    auto missing = errorOf([&] { w.intake.accept("clerk01", n); });
    REQUIRE(missing);
    CHECK(missing->code() == "case.materials_missing");
    CHECK(missing->fact("materials") == "sale_contract");

    CaseState st = w.intake.issueNotice("clerk01", n, {"sale_contract", "co-owner signature"});
    CHECK(st.status == CaseStatus::AwaitingCorrection);
    CHECK(st.noticeItems == std::vector<std::string>{"sale_contract", "co-owner signature"});
    auto second = errorOf([&] { w.intake.issueNotice("clerk01", n, {"photo"}); });
    REQUIRE(second);
    CHECK(second->code() == "case.notice_already_issued");

    w.setDay(Date(2026, 2, 25));
    st = w.intake.recordCorrection("clerk01", n, {"sale_contract"});
    CHECK(st.number == n);
    CHECK(st.status == CaseStatus::Consulting);
    CHECK(st.visits == 2);
    CHECK(st.material("sale_contract")->received);
    st = w.intake.accept("clerk01", n);
    CHECK(st.status == CaseStatus::Accepted);
    CHECK(st.number == n);
    CHECK(st.acceptedOn == Date(2026, 2, 25));
    CHECK(w.store.caseNumbers() == std::vector<std::string>{n});
}

TEST_CASE("services: accept with deficiencies, receive the materials, approve", "[services]")
{
    World w;
    const std::string n = w.open({"property_certificate"}).number;

    auto past = errorOf(
        [&] { w.intake.acceptWithDeficiencies("clerk01", n, {"sale_contract"}, Date(2026, 2, 12)); });
    REQUIRE(past);
    CHECK(past->code() == "intake.commitment_not_in_future");

    CaseState st = w.intake.acceptWithDeficiencies("clerk01", n, {"sale_contract"}, Date(2026, 2, 27));
    CHECK(st.status == CaseStatus::AcceptedDeficient);
    CHECK(st.deficiencies == std::vector<std::string>{"sale_contract"});
    CHECK(st.commitmentDue == Date(2026, 2, 27));
    CHECK(st.acceptedOn == Date(2026, 2, 12));
    CHECK(w.work.deadline(n).deadline == Date(2026, 2, 26));

    auto early = errorOf([&] { w.work.conclude("clerk01", n, true); });
    REQUIRE(early);
    CHECK(early->code() == "case.deficiencies_outstanding");
    CHECK(early->fact("materials") == "sale_contract");

    w.setDay(Date(2026, 2, 24));
    st = w.intake.receiveMaterials("clerk01", n, {"sale_contract"});
    CHECK(st.status == CaseStatus::Accepted);
    CHECK(st.deficiencies.empty());
    st = w.work.conclude("reviewer01", n, true);
    CHECK(st.status == CaseStatus::Approved);
    CHECK(st.outcome == "approved");
}

TEST_CASE("services: refusal with a reason and legal basis", "[services]")
{
    World w;
    const std::string n = w.open({}).number;
    const std::size_t before = w.eventCount();
    auto noReason = errorOf([&] { w.intake.refuse("clerk01", n, "", "art. 32"); });
    REQUIRE(noReason);
    CHECK(noReason->code() == "case.body_invalid");
    CHECK(noReason->fact("field") == "reason");
    CHECK(w.eventCount() == before);

    CaseState st = w.intake.refuse("clerk01", n, "not_within_remit",
        "\xE3\x80\x8A\xE8\xA1\x8C\xE6\x94\xBF\xE8\xAE\xB8\xE5\x8F\xAF\xE6\xB3\x95\xE3\x80\x8B");
    CHECK(st.status == CaseStatus::Refused);
    CHECK(st.refusalReason == "not_within_remit");
    CHECK(st.refusalLegalBasis
        == "\xE3\x80\x8A\xE8\xA1\x8C\xE6\x94\xBF\xE8\xAE\xB8\xE5\x8F\xAF\xE6\xB3\x95\xE3\x80\x8B");
    CHECK(st.concludedOn == Date(2026, 2, 12));
    auto accept = errorOf([&] { w.intake.accept("clerk01", n); });
    REQUIRE(accept);
    CHECK(accept->code() == "case.transition_refused");
    CHECK(accept->fact("from") == "refused");
    st = w.work.close("clerk01", n);
    CHECK(st.status == CaseStatus::Closed);
}

TEST_CASE("services: every problem of the applicant at once", "[services]")
{
    World w;
    IntakeRequest r;
    r.applicant = wangFang();
    r.applicant.name = " ";
    std::string id = wangFang().idNumber;
    id.back() = id.back() == '0' ? '1' : '0'; // a wrong check digit
    r.applicant.idNumber = id;
    r.applicant.phone = "12345";
    r.applicant.delivery = DeliveryMethod::Post;
    r.bundleCode = kBundle;
    try {
        w.intake.open("clerk01", r);
        FAIL("no ValidationError");
    } catch (const ValidationError& e) {
        CHECK(e.code() == "intake.applicant_invalid");
        std::set<std::string> fields;
        for (const auto& p : e.problems())
            fields.insert(p.field);
        CHECK(fields == std::set<std::string>{"name", "idNumber", "phone", "postalAddress"});
        CHECK(e.fact("count") == "4");
        CHECK(e.fact("field") == "name");
        auto idProblem = std::find_if(e.problems().begin(), e.problems().end(),
            [](const FieldProblem& p) { return p.field == "idNumber"; });
        REQUIRE(idProblem != e.problems().end());
        CHECK(idProblem->code == "id.check_digit");
        // Facts end up in logs: never the full identity number.
        for (const auto& [k, v] : e.facts())
            CHECK(v.find(id) == std::string::npos);
    }
    CHECK(w.eventCount() == 0);
    CHECK(w.store.caseNumbers().empty());
    // No number was used up by the failed intake.
    CHECK(w.open({}).number == "330102-20260212-000001");
}

TEST_CASE("services: unknown matters, bundles, materials and cases", "[services]")
{
    World w;
    IntakeRequest r;
    r.applicant = wangFang();
    r.window = "W03";

    r.matterCodes = {kBdc, "330102-XX-999"};
    auto e = errorOf([&] { w.intake.open("clerk01", r); });
    REQUIRE(e);
    CHECK(e->code() == "catalogue.unknown_matter");
    CHECK(e->fact("code") == "330102-XX-999");

    r.matterCodes = {};
    r.bundleCode = "330102-YJS-404";
    e = errorOf([&] { w.intake.open("clerk01", r); });
    REQUIRE(e);
    CHECK(e->code() == "catalogue.unknown_bundle");
    CHECK(e->fact("code") == "330102-YJS-404");

    r.bundleCode = "";
    e = errorOf([&] { w.intake.open("clerk01", r); });
    REQUIRE(e);
    CHECK(e->code() == "intake.no_matters");

    r.matterCodes = {kBdc};
    r.receivedMaterials = {"business_licence"};
    e = errorOf([&] { w.intake.open("clerk01", r); });
    REQUIRE(e);
    CHECK(e->code() == "intake.material_unknown");
    CHECK(e->fact("material") == "business_licence");

    const std::string ghost = "330102-20260212-000099";
    for (const auto& call : std::vector<std::function<void()>>{[&] { w.intake.accept("clerk01", ghost); },
             [&] { w.work.view("clerk01", ghost); }, [&] { w.intake.decisionDue(ghost); },
             [&] { w.work.deadline(ghost); }}) {
        e = errorOf(call);
        REQUIRE(e);
        CHECK(e->code() == "case.not_found");
        CHECK(e->fact("case") == ghost);
    }
    CHECK(w.eventCount() == 0);
    CHECK(w.open({}).number == "330102-20260212-000001");
}

TEST_CASE("services: consecutive intakes get distinct, well-formed case numbers", "[services]")
{
    World w;
    const std::regex format(R"(330102-(\d{8})-(\d{6}))");
    std::vector<std::string> numbers;
    for (int i = 0; i < 5; ++i)
        numbers.push_back(w.open({}).number);
    w.setDay(Date(2026, 2, 13));
    numbers.push_back(w.open({}).number);

    CHECK(std::set<std::string>(numbers.begin(), numbers.end()).size() == numbers.size());
    for (const auto& n : numbers) {
        INFO(n);
        std::smatch m;
        REQUIRE(std::regex_match(n, m, format));
        auto parsed = CaseNumber::parse(n);
        REQUIRE(parsed);
        CHECK(parsed->str() == n);
        CHECK(parsed->workstation.empty());
    }
    CHECK(numbers[0] == "330102-20260212-000001");
    CHECK(numbers[1] == "330102-20260212-000002");
    CHECK(numbers[4] == "330102-20260212-000005");
    // The date part is the day of intake.
    CHECK(numbers[5] == "330102-20260213-000001");
    auto listed = w.store.caseNumbers();
    CHECK(std::set<std::string>(listed.begin(), listed.end())
        == std::set<std::string>(numbers.begin(), numbers.end()));
}

TEST_CASE("services: events carry actor, heads, gap-free seq and a hash chain", "[services]")
{
    World w;
    const std::string a = w.open({"property_certificate", "sale_contract"}).number;
    w.nowMs += 5;
    const std::string b = w.open({}).number;
    w.intake.accept("clerk01", a);
    // A wall clock that steps back must not make timestamps go back.
    w.nowMs -= 60'000;
    w.intake.issueNotice("clerk01", b, {"sale_contract"});
    w.work.route("clerk01", a, "s1", "BDC", "reviewer01");
    w.work.addNote("reviewer01", b, "called the applicant");
    w.nowMs += 120'000;
    w.work.completeStep("reviewer01", a, "s1", "ok");
    w.work.assign("manager01", b, "clerk01", "W05");

    const auto all = w.store.allEvents();
    REQUIRE(all.size() == 8);
    std::string prev;
    Hlc lastHlc = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Event& e = all[i];
        INFO("event " << e.id() << " " << e.type);
        CHECK(e.origin == "ws01");
        CHECK(e.seq == static_cast<std::int64_t>(i) + 1);
        CHECK(e.id() == formatEventId("ws01", e.seq));
        CHECK(e.prev == prev);
        CHECK(e.hashValid());
        CHECK(e.hash.size() == 64);
        CHECK(e.hlc > lastHlc);
        // The document form round-trips, hash and revision included.
        CHECK(Event::fromDocument(e.toDocument()) == e);
        prev = e.hash;
        lastHlc = e.hlc;
        CHECK_FALSE(e.actor.empty());
    }
    CHECK(all[0].prev.empty());
    CHECK(all[5].actor == "reviewer01");
    CHECK(all[7].actor == "manager01");
    CHECK(all[7].body.getString("assignee") == "clerk01");

    // Within each case, every new event saw exactly the previous one as its head.
    for (const auto& n : {a, b}) {
        auto evs = w.store.caseEvents(n);
        REQUIRE(evs.size() == 4);
        CHECK(evs[0].heads.empty());
        for (std::size_t i = 1; i < evs.size(); ++i)
            CHECK(evs[i].heads == std::vector<std::string>{evs[i - 1].id()});
        CaseState st = *w.store.findCase(n);
        CHECK(st.heads == std::vector<std::string>{evs.back().id()});
        CHECK(st.eventCount == 4);
        CHECK(st.lastHlc == evs.back().hlc);
    }
    CHECK(w.store.findCase(b)->assignee == "clerk01");
    CHECK(w.store.findCase(b)->window == "W05");

    // A copy of the log tampered with anywhere no longer verifies.
    auto forged = all[3];
    forged.actor = "admin01";
    CHECK_FALSE(forged.hashValid());
}

TEST_CASE("services: acceptance must be decided within 5 working days", "[services]")
{
    struct Row {
        Date opened;
        Date due;
    };
    const std::vector<Row> rows = {
        // Thu before the Spring Festival: 02-13, 02-14 (调休 Sat), 02-24, 02-25, 02-26.
        {Date(2026, 2, 12), Date(2026, 2, 26)},
        // Wed before National Day: 10-08, 10-09, 10-10 (调休 Sat), 10-12, 10-13.
        {Date(2026, 9, 30), Date(2026, 10, 13)},
        // An ordinary Friday: the next Monday to Friday.
        {Date(2026, 3, 6), Date(2026, 3, 13)},
        // 2025 New Year's Eve: 2026-01-01..03 off, Sun 01-04 worked: 01-04, 05, 06, 07, 08.
        {Date(2025, 12, 31), Date(2026, 1, 8)},
    };
    for (const auto& r : rows) {
        INFO(r.opened.iso());
        World w;
        w.setDay(r.opened);
        const std::string n = w.open({}).number;
        CHECK(w.intake.decisionDue(n) == r.due);
        CHECK(acceptanceDecisionDue(w.calendar, r.opened) == r.due);
    }
}

TEST_CASE("services: staff-facing annotations and reassignment", "[services]")
{
    World w;
    const std::string n = w.open({}).number;
    auto bad = errorOf([&] { w.work.assign("manager01", n, "clerk02", ""); });
    REQUIRE(bad);
    CHECK(bad->code() == "case.assignee_unknown");
    bad = errorOf([&] { w.work.transferToCentre("clerk01", n, "33-01", "x"); });
    REQUIRE(bad);
    CHECK(bad->code() == "case.centre_invalid");
    CaseState st = w.work.transferToCentre("manager01", n, "330105", "tongban");
    CHECK(st.currentCentre == "330105");
    CHECK(st.centre == "330102");
    // The sending centre still reprints documents and takes notes, but the case is worked
    // where it went.
    st = w.work.recordDocument("clerk01", n, "receipt", "SJ-0001", false);
    st = w.work.recordDocument("clerk01", n, "receipt", "SJ-0001", true);
    CHECK(st.documentsIssued == 2);
    w.work.addNote("clerk01", n, "applicant told where the case went");
    bad = errorOf([&] { w.work.withdraw("clerk01", n, "applicant_request"); });
    REQUIRE(bad);
    CHECK(bad->code() == "case.at_other_centre");
    CHECK(bad->fact("centre") == "330105");
    CHECK(bad->fact("here") == "330102");
    ServiceContext there{w.store, w.catalogue, w.calendar, w.staff, w.numbers, w.clock, "330105"};
    CaseWorkService workThere(there);
    st = workThere.withdraw("clerk01", n, "applicant_request");
    CHECK(st.status == CaseStatus::Withdrawn);
    CHECK(st.outcomeReason == "applicant_request");
}
