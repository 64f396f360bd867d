// The case state machine: every status against every known event type, the precise
// guards with their stable codes, and the fold's handling of refused transitions.
#include "model/Applicant.h"
#include "model/CaseState.h"
#include "model/Error.h"
#include "model/Event.h"
#include "model/Identity.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

namespace T = EventType;
using S = CaseStatus;

const std::string kCase = "330102-20260302-000001";
const Date kDay(2026, 3, 2);

// 12:00 China Standard Time on `d`, plus `offsetMs`.
std::int64_t noonMs(Date d, std::int64_t offsetMs = 0)
{
    return d.days() * 86'400'000 + 4 * 3'600'000 + offsetMs;
}

Json obj(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json j = Json::object();
    for (const auto& [k, v] : members)
        j[k] = v;
    return j;
}

Json strs(std::initializer_list<const char*> items)
{
    Json a = Json::array();
    for (const char* s : items)
        a.push_back(Json(s));
    return a;
}

Json material(const char* code, bool mandatory, bool dataShared, bool received)
{
    return obj({{"code", code}, {"nameZh", code}, {"nameEn", code}, {"form", "original"}, {"count", 1},
        {"mandatory", mandatory}, {"dataShared", dataShared}, {"received", received},
        {"requiredBy", strs({"330102-BDC-001"})}});
}

Json applicantJson()
{
    Applicant a;
    a.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    const std::string first17 = "33010219800101123";
    a.idNumber = first17 + *gb11643CheckDigit(first17);
    a.phone = "13812345678";
    return toJson(a);
}

struct MaterialSpec {
    const char* code;
    bool mandatory;
    bool dataShared;
    bool received;
};

// A real-estate transfer case: the identity card and the marital record come by data
// sharing, the title certificate and the sale contract must be handed over, a photo is
// optional.
Json openedBody(std::vector<MaterialSpec> mats = {{"id_card", true, true, false},
                    {"property_certificate", true, false, true}, {"sale_contract", true, false, false},
                    {"marriage_record", true, true, false}, {"photo", false, false, false}})
{
    Json m = Json::array();
    for (const auto& s : mats)
        m.push_back(material(s.code, s.mandatory, s.dataShared, s.received));
    Json matter = obj({{"code", "330102-BDC-001"}, {"nameZh", "\xE4\xB8\x8D\xE5\x8A\xA8\xE4\xBA\xA7"},
        {"nameEn", "Real estate transfer registration"}, {"department", "BDC"}, {"statutoryLimit", "30wd"},
        {"promisedLimit", "5wd"}, {"immediate", false}});
    Json matters = Json::array();
    matters.push_back(matter);
    return obj({{"centre", "330102"}, {"window", "W03"}, {"applicant", applicantJson()}, {"bundle", ""},
        {"matters", matters}, {"materials", m}});
}

// One writer's events for one case, each seeing the previous one.
class Stream {
public:
    Event next(const std::string& type, Json body = Json::object()) const
    {
        Event e;
        e.origin = "ws01";
        e.seq = static_cast<std::int64_t>(m_events.size()) + 1;
        e.hlc = makeHlc(noonMs(kDay, e.seq * 1000), 0);
        e.type = type;
        e.caseNumber = kCase;
        e.actor = "clerk01";
        if (!m_events.empty())
            e.heads = {m_events.back().id()};
        e.body = std::move(body);
        e.seal();
        return e;
    }

    Stream& add(const std::string& type, Json body = Json::object())
    {
        m_events.push_back(next(type, std::move(body)));
        return *this;
    }

    const std::vector<Event>& events() const { return m_events; }
    CaseState fold() const { return foldCase(m_events); }

private:
    std::vector<Event> m_events;
};

std::optional<DomainError> errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const DomainError& e) {
        return e;
    }
    return std::nullopt;
}

std::optional<DomainError> check(const CaseState& s, const Event& e)
{
    return errorOf([&] { checkTransition(s, e); });
}

// The refusal's code, or "" when the event is allowed.
std::string codeOf(const CaseState& s, const Event& e)
{
    auto err = check(s, e);
    return err ? err->code() : std::string();
}

// Minimal valid bodies, one per known type.
Json probeBody(const std::string& type)
{
    static const std::map<std::string, std::function<Json()>> bodies = {
        {T::Opened, [] { return openedBody(); }},
        {T::MaterialReceived,
            [] {
                return obj({{"codes", strs({"sale_contract"})}});
            }},
        {T::Accepted, [] { return Json::object(); }},
        {T::AcceptedDeficient,
            [] {
                return obj({{"missing", strs({"sale_contract"})}, {"commitmentDue", "2026-03-20"}});
            }},
        {T::NoticeIssued,
            [] {
                return obj({{"items", strs({"sale_contract"})}});
            }},
        {T::Corrected,
            [] {
                return obj({{"codes", strs({"sale_contract"})}});
            }},
        {T::Refused,
            [] {
                return obj({{"reason", "outside_remit"}});
            }},
        {T::Routed,
            [] {
                return obj({{"step", "s2"}, {"department", "SW"}, {"assignee", "reviewer01"}});
            }},
        {T::StepDone,
            [] {
                return obj({{"step", "s1"}, {"outcome", "ok"}});
            }},
        {T::Suspended,
            [] {
                return obj({{"reason", "expert_review"}});
            }},
        {T::Resumed, [] { return Json::object(); }},
        {T::Extended,
            [] {
                return obj({{"limit", "5wd"}, {"approvedBy", "reviewer01"}, {"reason", "complex"}});
            }},
        {T::Concluded,
            [] {
                return obj({{"outcome", "approved"}});
            }},
        {T::Delivered,
            [] {
                return obj({{"method", "window"}});
            }},
        {T::Withdrawn,
            [] {
                return obj({{"reason", "applicant_request"}});
            }},
        {T::Terminated,
            [] {
                return obj({{"reason", "object_lost"}});
            }},
        {T::Closed, [] { return Json::object(); }},
        {T::Assigned,
            [] {
                return obj({{"assignee", "clerk02"}});
            }},
        {T::Transferred,
            [] {
                return obj({{"toCentre", "330105"}, {"reason", "tongban"}});
            }},
        {T::Evaluated,
            [] {
                return obj({{"level", 5}, {"channel", "window"}});
            }},
        {T::Note,
            [] {
                return obj({{"text", "called the applicant"}});
            }},
        {T::DocumentIssued,
            [] {
                return obj({{"kind", "acceptance_notice"}, {"number", "SL-0001"}});
            }},
        {T::ConflictResolved,
            [] {
                return obj({{"group", "decision"}, {"chosen", "ev-ws09-000000000002"}});
            }},
    };
    return bodies.at(type)();
}

Stream opened(Json body = openedBody())
{
    Stream s;
    s.add(T::Opened, std::move(body));
    return s;
}

Stream accepted()
{
    Stream s = opened();
    s.add(T::MaterialReceived, obj({{"codes", strs({"sale_contract"})}})).add(T::Accepted);
    return s;
}

Stream inReview()
{
    Stream s = accepted();
    s.add(T::Routed, obj({{"step", "s1"}, {"department", "BDC"}, {"assignee", "reviewer01"}}));
    return s;
}

Stream approved()
{
    Stream s = accepted();
    s.add(T::Concluded, obj({{"outcome", "approved"}}));
    return s;
}

Stream delivered()
{
    Stream s = approved();
    s.add(T::Delivered, obj({{"method", "window"}}));
    return s;
}

// A real fold of real events reaching `status`.
Stream fixture(S status)
{
    switch (status) {
    case S::None:
        return Stream();
    case S::Consulting:
        return opened();
    case S::AwaitingCorrection:
        return opened().add(T::NoticeIssued, obj({{"items", strs({"sale_contract"})}}));
    case S::Accepted:
        return accepted();
    case S::AcceptedDeficient:
        return opened().add(T::AcceptedDeficient,
            obj({{"missing", strs({"sale_contract"})}, {"commitmentDue", "2026-03-16"}}));
    case S::Refused:
        return opened().add(T::Refused, obj({{"reason", "outside_remit"}}));
    case S::InReview:
        return inReview();
    case S::Suspended:
        return inReview().add(T::Suspended, obj({{"reason", "expert_review"}}));
    case S::Extended:
        return inReview().add(
            T::Extended, obj({{"limit", "10wd"}, {"approvedBy", "reviewer01"}, {"reason", "x"}}));
    case S::Approved:
        return approved();
    case S::Denied:
        return accepted().add(T::Concluded, obj({{"outcome", "denied"}, {"reason", "not_eligible"}}));
    case S::Terminated:
        return accepted().add(T::Terminated, obj({{"reason", "object_lost"}}));
    case S::Delivered:
        return delivered();
    case S::Withdrawn:
        return opened().add(T::Withdrawn, obj({{"reason", "applicant_request"}}));
    case S::Closed:
        return delivered().add(T::Closed);
    }
    FAIL("no fixture for " << toString(status));
    return Stream();
}

// Expected outcome tokens: "ok" allowed, "--" case.transition_refused, or a precise code.
const std::map<std::string, std::string> kTokens = {
    {"--", "case.transition_refused"},
    {"NO", "case.not_opened"},
    {"NS", "case.not_suspended"},
    {"NI", "case.notice_already_issued"},
    {"AE", "case.already_extended"},
    {"MM", "case.materials_missing"}, // the fixture still lacks the sale contract
    {"DO", "case.deficiencies_outstanding"}, // approving while the sale contract is owed
    {"SO", "case.steps_open"}, // step s1 of the fixture is still open
    {"NC", "case.no_conflict"},
};

// Lifecycle-allowed but stopped by a guard of the fixture.
const std::set<std::string> kGuardTokens = {"MM", "DO", "SO"};

const std::vector<std::string> kColumns = {T::Opened, T::MaterialReceived, T::Accepted, T::AcceptedDeficient,
    T::NoticeIssued, T::Corrected, T::Refused, T::Routed, T::StepDone, T::Suspended, T::Resumed, T::Extended,
    T::Concluded, T::Delivered, T::Withdrawn, T::Terminated, T::Closed, T::Assigned, T::Transferred,
    T::Evaluated, T::Note, T::DocumentIssued, T::ConflictResolved};

const std::set<std::string> kAnnotations
    = {T::Assigned, T::Transferred, T::Evaluated, T::Note, T::DocumentIssued, T::ConflictResolved};

// clang-format off
const std::vector<std::pair<S, std::string>> kTable = {
    //                    op mr ac ad ni co rf ro sd su re ex cn dl wd tm cl as tr ev no di cr
    {S::None,               "ok NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO NO"},
    {S::Consulting,         "-- ok MM ok ok -- ok -- -- -- NS -- -- -- ok -- -- ok ok ok ok ok NC"},
    {S::AwaitingCorrection, "-- ok MM ok NI ok ok -- -- -- NS -- -- -- ok -- -- ok ok ok ok ok NC"},
    {S::Accepted,           "-- ok -- -- -- -- -- ok -- ok NS -- ok -- ok ok -- ok ok ok ok ok NC"},
    {S::AcceptedDeficient,  "-- ok -- -- -- -- -- ok -- ok NS -- DO -- ok ok -- ok ok ok ok ok NC"},
    {S::Refused,            "-- -- -- -- -- -- -- -- -- -- NS -- -- -- -- -- ok ok ok ok ok ok NC"},
    {S::InReview,           "-- ok -- -- -- -- -- ok ok ok NS ok SO -- ok ok -- ok ok ok ok ok NC"},
    {S::Suspended,          "-- ok -- -- -- -- -- -- -- -- ok -- -- -- ok ok -- ok ok ok ok ok NC"},
    {S::Extended,           "-- ok -- -- -- -- -- ok ok ok NS AE SO -- ok ok -- ok ok ok ok ok NC"},
    {S::Approved,           "-- -- -- -- -- -- -- -- -- -- NS -- -- ok -- -- -- ok ok ok ok ok NC"},
    {S::Denied,             "-- -- -- -- -- -- -- -- -- -- NS -- -- ok -- -- -- ok ok ok ok ok NC"},
    {S::Terminated,         "-- -- -- -- -- -- -- -- -- -- NS -- -- -- -- -- ok ok ok ok ok ok NC"},
    {S::Delivered,          "-- -- -- -- -- -- -- -- -- -- NS -- -- -- -- -- ok ok ok ok ok ok NC"},
    {S::Withdrawn,          "-- -- -- -- -- -- -- -- -- -- NS -- -- -- -- -- ok ok ok ok ok ok NC"},
    {S::Closed,             "-- -- -- -- -- -- -- -- -- -- NS -- -- -- -- -- -- -- -- ok ok ok --"},
};
// clang-format on

std::vector<std::string> tokens(const std::string& row)
{
    std::istringstream in(row);
    std::vector<std::string> out;
    for (std::string t; in >> t;)
        out.push_back(t);
    return out;
}

// The projected row without what every appended event changes.
Json withoutBookkeeping(const CaseState& s)
{
    Json j = s.toJson();
    for (const char* key : {"anomalies", "heads", "lastHlc", "eventCount"})
        j.asObject().erase(key);
    return j;
}

bool hasAnomaly(const CaseState& s, const std::string& eventId, const std::string& code)
{
    return std::any_of(s.anomalies.begin(), s.anomalies.end(),
        [&](const Anomaly& a) { return a.eventId == eventId && a.code == code; });
}

} // namespace

TEST_CASE("statemachine: the table covers every status and every known event type", "[statemachine]")
{
    std::set<S> rows;
    for (const auto& [status, row] : kTable) {
        INFO(toString(status));
        CHECK(rows.insert(status).second);
        CHECK(tokens(row).size() == kColumns.size());
        for (const auto& t : tokens(row))
            CHECK((t == "ok" || kTokens.count(t) == 1));
    }
    CHECK(rows == std::set<S>(allCaseStatuses().begin(), allCaseStatuses().end()));
    CHECK(allCaseStatuses().size() == 15);
    CHECK(std::set<std::string>(kColumns.begin(), kColumns.end())
        == std::set<std::string>(knownCaseEventTypes().begin(), knownCaseEventTypes().end()));
    CHECK(knownCaseEventTypes().size() == kColumns.size());
    for (S s : allCaseStatuses()) {
        CHECK(caseStatusFromString(toString(s)) == s);
    }
    CHECK_FALSE(caseStatusFromString("pending"));
}

TEST_CASE("statemachine: every status against every known event type", "[statemachine]")
{
    for (const auto& [status, row] : kTable) {
        const Stream base = fixture(status);
        const CaseState state = base.fold();
        INFO("status " << toString(status));
        REQUIRE(state.status == status);
        REQUIRE(state.anomalies.empty());
        const auto cells = tokens(row);
        for (std::size_t c = 0; c < kColumns.size(); ++c) {
            const std::string& type = kColumns[c];
            const std::string& cell = cells[c];
            INFO("event " << type << " expected " << cell);
            const Event e = base.next(type, probeBody(type));
            auto err = check(state, e);

            std::vector<Event> all = base.events();
            all.push_back(e);
            const CaseState after = foldCase(all);
            CHECK(after.eventCount == state.eventCount + 1);

            if (cell == "ok") {
                if (err)
                    FAIL_CHECK("refused: " << err->what());
                CHECK(after.anomalies.empty());
                continue;
            }
            const std::string& code = kTokens.at(cell);
            REQUIRE(err);
            CHECK(err->code() == code);
            if (code == "case.transition_refused") {
                CHECK(err->fact("case") == kCase);
                CHECK(err->fact("from") == toString(status));
                CHECK(err->fact("event") == type);
                std::string allowed;
                for (const auto& t : allowedLifecycleEvents(status))
                    allowed += (allowed.empty() ? "" : ",") + t;
                CHECK(err->fact("allowed") == allowed);
            } else if (code == "case.not_opened") {
                CHECK(err->fact("case") == kCase);
                CHECK(err->fact("event") == type);
            } else if (code == "case.not_suspended") {
                CHECK(err->fact("case") == kCase);
                CHECK(err->fact("from") == toString(status));
            } else {
                CHECK(err->fact("case") == kCase);
            }
            // The fold keeps the event visible as an anomaly and changes nothing else.
            CHECK(hasAnomaly(after, e.id(), code));
            CHECK(after.anomalies.size() == 1);
            CHECK(after.status == status);
            CHECK(withoutBookkeeping(after) == withoutBookkeeping(state));
        }
    }
}

TEST_CASE("statemachine: allowedLifecycleEvents agrees with the table", "[statemachine]")
{
    for (const auto& [status, row] : kTable) {
        INFO(toString(status));
        const auto cells = tokens(row);
        std::set<std::string> expected;
        for (std::size_t c = 0; c < kColumns.size(); ++c)
            if (!kAnnotations.count(kColumns[c]) && (cells[c] == "ok" || kGuardTokens.count(cells[c])))
                expected.insert(kColumns[c]);
        auto actual = allowedLifecycleEvents(status);
        CHECK(std::set<std::string>(actual.begin(), actual.end()) == expected);
        CHECK(std::set<std::string>(actual.begin(), actual.end()).size() == actual.size());
    }
}

TEST_CASE("statemachine: terminal statuses", "[statemachine]")
{
    const std::set<S> terminal = {S::Refused, S::Withdrawn, S::Terminated, S::Delivered, S::Closed};
    for (S s : allCaseStatuses()) {
        INFO(toString(s));
        CHECK(isTerminal(s) == (terminal.count(s) == 1));
        if (isTerminal(s)) {
            auto allowed = allowedLifecycleEvents(s);
            CHECK((allowed.empty() || allowed == std::vector<std::string>{T::Closed}));
        }
    }
}

TEST_CASE("statemachine: accept with mandatory materials missing lists their codes", "[statemachine]")
{
    Stream s
        = opened(openedBody({{"id_card", true, true, false}, {"property_certificate", true, false, false},
            {"sale_contract", true, false, false}, {"photo", false, false, false}}));
    auto err = check(s.fold(), s.next(T::Accepted));
    REQUIRE(err);
    CHECK(err->code() == "case.materials_missing");
    CHECK(err->fact("case") == kCase);
    CHECK(err->fact("materials") == "property_certificate,sale_contract");

    s.add(T::MaterialReceived, obj({{"codes", strs({"sale_contract"})}}));
    err = check(s.fold(), s.next(T::Accepted));
    REQUIRE(err);
    CHECK(err->fact("materials") == "property_certificate");

    // The optional photo never blocks; neither does the data-shared identity card.
    s.add(T::MaterialReceived, obj({{"codes", strs({"property_certificate"})}}));
    CHECK_FALSE(check(s.fold(), s.next(T::Accepted)));
    s.add(T::Accepted);
    CHECK(s.fold().status == S::Accepted);
    CHECK(s.fold().acceptedOn == kDay);
}

TEST_CASE("statemachine: data-shared materials do not block acceptance", "[statemachine]")
{
    Stream s = opened(openedBody({{"id_card", true, true, false}, {"marriage_record", true, true, false},
        {"business_licence", true, true, false}}));
    CaseState st = s.fold();
    CHECK(st.missingMandatoryMaterials().empty());
    CHECK_FALSE(check(st, s.next(T::Accepted)));
    s.add(T::Accepted);
    CHECK(s.fold().status == S::Accepted);
    CHECK(s.fold().anomalies.empty());
}

TEST_CASE("statemachine: the one-time notice is issued once", "[statemachine]")
{
    Stream s = opened();
    s.add(T::NoticeIssued, obj({{"items", strs({"sale_contract", "signature of the co-owner"})}}));
    CaseState st = s.fold();
    CHECK(st.status == S::AwaitingCorrection);
    CHECK(st.noticeIssued);
    CHECK(st.noticeItems == std::vector<std::string>{"sale_contract", "signature of the co-owner"});

    auto err = check(st, s.next(T::NoticeIssued, obj({{"items", strs({"photo"})}})));
    REQUIRE(err);
    CHECK(err->code() == "case.notice_already_issued");
    CHECK(err->fact("case") == kCase);

    // Still once after the return visit: a second notice would break the promise.
    s.add(T::Corrected, obj({{"codes", strs({"sale_contract"})}}));
    REQUIRE(s.fold().status == S::Consulting);
    err = check(s.fold(), s.next(T::NoticeIssued, obj({{"items", strs({"photo"})}})));
    REQUIRE(err);
    CHECK(err->code() == "case.notice_already_issued");
}

TEST_CASE("statemachine: approval waits for materials owed under 容缺受理", "[statemachine]")
{
    Stream s = opened(openedBody({{"id_card", true, true, false},
        {"property_certificate", true, false, false}, {"sale_contract", true, false, false}}));
    s.add(T::AcceptedDeficient,
        obj({{"missing", strs({"property_certificate", "sale_contract"})}, {"commitmentDue", "2026-03-16"}}));
    CaseState st = s.fold();
    REQUIRE(st.status == S::AcceptedDeficient);
    CHECK(st.deficiencies == std::vector<std::string>{"property_certificate", "sale_contract"});
    CHECK(st.commitmentDue == Date(2026, 3, 16));
    CHECK(st.acceptedOn == kDay);

    auto err = check(st, s.next(T::Concluded, obj({{"outcome", "approved"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.deficiencies_outstanding");
    CHECK(err->fact("materials") == "property_certificate,sale_contract");
    // A denial does not need the owed materials.
    CHECK_FALSE(check(st, s.next(T::Concluded, obj({{"outcome", "denied"}, {"reason", "not_eligible"}}))));

    SECTION("clearing the deficiencies turns accepted_deficient into accepted")
    {
        s.add(T::MaterialReceived, obj({{"codes", strs({"sale_contract"})}}));
        st = s.fold();
        CHECK(st.status == S::AcceptedDeficient);
        CHECK(st.deficiencies == std::vector<std::string>{"property_certificate"});
        s.add(T::MaterialReceived, obj({{"codes", strs({"property_certificate"})}}));
        st = s.fold();
        CHECK(st.status == S::Accepted);
        CHECK(st.deficiencies.empty());
        CHECK_FALSE(check(st, s.next(T::Concluded, obj({{"outcome", "approved"}}))));
    }
    SECTION("materials received in review clear the deficiencies without leaving in_review")
    {
        s.add(T::Routed, obj({{"step", "s1"}, {"department", "BDC"}}));
        REQUIRE(s.fold().status == S::InReview);
        s.add(T::StepDone, obj({{"step", "s1"}}));
        CHECK(codeOf(s.fold(), s.next(T::Concluded, obj({{"outcome", "approved"}})))
            == "case.deficiencies_outstanding");
        s.add(T::MaterialReceived, obj({{"codes", strs({"sale_contract", "property_certificate"})}}));
        st = s.fold();
        CHECK(st.status == S::InReview);
        CHECK(st.deficiencies.empty());
        CHECK_FALSE(check(st, s.next(T::Concluded, obj({{"outcome", "approved"}}))));
    }
    SECTION("materials received while suspended clear the deficiencies; resuming finds the case accepted")
    {
        s.add(T::Suspended, obj({{"reason", "site_visit"}}));
        s.add(T::MaterialReceived, obj({{"codes", strs({"sale_contract", "property_certificate"})}}));
        CHECK(s.fold().deficiencies.empty());
        s.add(T::Resumed);
        st = s.fold();
        CHECK(st.anomalies.empty());
        // Nothing is owed any more, so the case must not stay "accepted with deficiencies".
        CHECK(st.status == S::Accepted);
    }
}

TEST_CASE("statemachine: accepted_deficient guards", "[statemachine]")
{
    Stream s = opened();
    auto err = check(s.fold(),
        s.next(T::AcceptedDeficient, obj({{"missing", strs({"deed"})}, {"commitmentDue", "2026-03-16"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.material_unknown");
    CHECK(err->fact("material") == "deed");

    err = check(s.fold(),
        s.next(T::AcceptedDeficient,
            obj({{"missing", strs({"property_certificate"})}, {"commitmentDue", "2026-03-16"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.deficiency_invalid");
    CHECK(err->fact("material") == "property_certificate");
    CHECK(err->fact("reason") == "received");
}

TEST_CASE("statemachine: accepted_deficient must owe every missing mandatory material", "[statemachine]")
{
    // Sale contract and title certificate are both missing; owing only the photo would
    // accept the case with mandatory materials that nobody owes and nothing later asks for.
    Stream s = opened(openedBody({{"property_certificate", true, false, false},
        {"sale_contract", true, false, false}, {"photo", false, false, false}}));
    auto err = check(s.fold(),
        s.next(T::AcceptedDeficient,
            obj({{"missing", strs({"sale_contract"})}, {"commitmentDue", "2026-03-16"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.materials_missing");
    CHECK(err->fact("materials") == "property_certificate");
    CHECK_FALSE(check(s.fold(),
        s.next(T::AcceptedDeficient,
            obj({{"missing", strs({"sale_contract", "property_certificate"})},
                {"commitmentDue", "2026-03-16"}}))));
}

TEST_CASE("statemachine: conclusion waits for every routed step", "[statemachine]")
{
    Stream s = accepted();
    s.add(T::Routed, obj({{"step", "s1"}, {"department", "BDC"}, {"assignee", "reviewer01"}}));
    s.add(T::Routed, obj({{"step", "s2"}, {"department", "SW"}}));
    CaseState st = s.fold();
    REQUIRE(st.status == S::InReview);
    REQUIRE(st.steps.size() == 2);
    CHECK(st.step("s1")->assignee == "reviewer01");
    CHECK(st.step("s1")->routedOn == kDay);

    auto err = check(st, s.next(T::Concluded, obj({{"outcome", "approved"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.steps_open");
    CHECK(err->fact("steps") == "s1,s2");
    // Denial is blocked by open steps too.
    CHECK(
        codeOf(st, s.next(T::Concluded, obj({{"outcome", "denied"}, {"reason", "x"}}))) == "case.steps_open");

    s.add(T::StepDone, obj({{"step", "s2"}, {"outcome", "ok"}}));
    auto remaining = check(s.fold(), s.next(T::Concluded, obj({{"outcome", "approved"}})));
    REQUIRE(remaining);
    CHECK(remaining->fact("steps") == "s1");
    s.add(T::StepDone, obj({{"step", "s1"}, {"outcome", "ok"}}));
    st = s.fold();
    CHECK(st.step("s1")->done);
    CHECK(st.step("s1")->outcome == "ok");
    CHECK(st.step("s1")->doneOn == kDay);
    CHECK_FALSE(check(st, s.next(T::Concluded, obj({{"outcome", "approved"}}))));
    s.add(T::Concluded, obj({{"outcome", "approved"}}));
    CHECK(s.fold().status == S::Approved);
    CHECK(s.fold().outcome == "approved");
    CHECK(s.fold().concludedOn == kDay);
}

TEST_CASE("statemachine: step_done for an unknown or finished step, routing a step twice", "[statemachine]")
{
    Stream s = inReview();
    auto err = check(s.fold(), s.next(T::StepDone, obj({{"step", "s9"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.step_unknown");
    CHECK(err->fact("step") == "s9");
    CHECK(err->fact("case") == kCase);

    s.add(T::StepDone, obj({{"step", "s1"}}));
    err = check(s.fold(), s.next(T::StepDone, obj({{"step", "s1"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.step_already_done");
    CHECK(err->fact("step") == "s1");

    err = check(s.fold(), s.next(T::Routed, obj({{"step", "s1"}, {"department", "BDC"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.step_exists");
    CHECK(err->fact("step") == "s1");
}

TEST_CASE("statemachine: one extension per case", "[statemachine]")
{
    Stream s = inReview();
    s.add(T::Extended, obj({{"limit", "10wd"}, {"approvedBy", "reviewer01"}, {"reason", "complex"}}));
    CaseState st = s.fold();
    REQUIRE(st.status == S::Extended);
    REQUIRE(st.extensions.size() == 1);
    CHECK(st.extensions[0].extra == TimeLimit{10, DayCounting::Working});
    CHECK(st.extensions[0].approvedBy == "reviewer01");
    CHECK(st.extensions[0].approvedOn == kDay);

    const Json again = obj({{"limit", "5wd"}, {"approvedBy", "reviewer01"}, {"reason", "more"}});
    auto err = check(st, s.next(T::Extended, again));
    REQUIRE(err);
    CHECK(err->code() == "case.already_extended");
    CHECK(err->fact("case") == kCase);

    // Still once after a suspension of the extended case.
    s.add(T::Suspended, obj({{"reason", "expert"}})).add(T::Resumed);
    REQUIRE(s.fold().status == S::Extended);
    err = check(s.fold(), s.next(T::Extended, again));
    REQUIRE(err);
    CHECK(err->code() == "case.already_extended");
}

TEST_CASE("statemachine: resume only a suspended case, back to where it was", "[statemachine]")
{
    for (S from : {S::Accepted, S::AcceptedDeficient, S::InReview, S::Extended}) {
        INFO(toString(from));
        Stream s = fixture(from);
        auto err = check(s.fold(), s.next(T::Resumed));
        REQUIRE(err);
        CHECK(err->code() == "case.not_suspended");
        CHECK(err->fact("from") == toString(from));

        s.add(T::Suspended, obj({{"reason", "awaiting_expert"}, {"on", "2026-03-03"}}));
        CaseState st = s.fold();
        CHECK(st.status == S::Suspended);
        REQUIRE(st.openSuspension());
        CHECK(st.openSuspension()->from == Date(2026, 3, 3));
        CHECK(st.openSuspension()->reason == "awaiting_expert");

        // A second suspension of a suspended case is refused.
        err = check(st, s.next(T::Suspended, obj({{"reason", "again"}})));
        REQUIRE(err);
        CHECK(err->code() == "case.transition_refused");

        s.add(T::Resumed, obj({{"on", "2026-03-05"}}));
        st = s.fold();
        CHECK(st.status == from);
        CHECK_FALSE(st.openSuspension());
        REQUIRE(st.suspensions.size() == 1);
        CHECK(st.suspensions[0].to == Date(2026, 3, 5));
        CHECK(st.anomalies.empty());
        err = check(st, s.next(T::Resumed));
        REQUIRE(err);
        CHECK(err->code() == "case.not_suspended");
    }
}

TEST_CASE("statemachine: a resumption cannot precede its suspension", "[statemachine]")
{
    Stream s = inReview();
    s.add(T::Suspended, obj({{"reason", "expert"}, {"on", "2026-03-10"}}));
    auto err = check(s.fold(), s.next(T::Resumed, obj({{"on", "2026-03-09"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.body_invalid");
    CHECK(err->fact("field") == "on");
    CHECK(err->fact("reason") == "before_suspension");
    CHECK_FALSE(check(s.fold(), s.next(T::Resumed, obj({{"on", "2026-03-10"}}))));
}

TEST_CASE("statemachine: the return visit after a notice resumes the same case", "[statemachine]")
{
    Stream s = opened();
    CHECK(s.fold().visits == 1);
    s.add(T::NoticeIssued, obj({{"items", strs({"sale_contract"})}}));
    CaseState st = s.fold();
    REQUIRE(st.status == S::AwaitingCorrection);
    auto err = check(st, s.next(T::Accepted));
    REQUIRE(err);
    CHECK(err->code() == "case.materials_missing");

    auto bad = check(st, s.next(T::Corrected, obj({{"codes", strs({"deed"})}})));
    REQUIRE(bad);
    CHECK(bad->code() == "case.material_unknown");

    s.add(T::Corrected, obj({{"codes", strs({"sale_contract"})}}));
    st = s.fold();
    CHECK(st.status == S::Consulting);
    CHECK(st.visits == 2);
    CHECK(st.number == kCase);
    CHECK(st.material("sale_contract")->received);
    CHECK(st.noticeIssued);
    CHECK_FALSE(check(st, s.next(T::Accepted)));
    s.add(T::Accepted);
    CHECK(s.fold().status == S::Accepted);
    CHECK(s.fold().visits == 2);
    CHECK(s.fold().anomalies.empty());

    // Corrected needs an outstanding notice.
    Stream fresh = opened();
    CHECK(codeOf(fresh.fold(), fresh.next(T::Corrected)) == "case.transition_refused");
}

TEST_CASE("statemachine: malformed bodies are refused with the field", "[statemachine]")
{
    struct Case {
        S status;
        std::string type;
        Json body;
        std::string field;
        std::string reason;
    };
    const std::vector<Case> cases = {
        {S::None, T::Opened, obj({{"matters", strs({"x"})}}), "applicant", "missing"},
        {S::None, T::Opened, obj({{"applicant", "x"}, {"matters", strs({"x"})}}), "applicant", "wrong_type"},
        {S::None, T::Opened, obj({{"applicant", applicantJson()}}), "matters", "missing"},
        {S::None, T::Opened, obj({{"applicant", applicantJson()}, {"matters", Json::array()}}), "matters",
            "missing"},
        {S::Consulting, T::MaterialReceived, Json::object(), "codes", "missing"},
        {S::Consulting, T::MaterialReceived, obj({{"codes", Json::array()}}), "codes", "empty"},
        {S::Consulting, T::MaterialReceived, obj({{"codes", "sale_contract"}}), "codes", "wrong_type"},
        {S::Consulting, T::MaterialReceived, obj({{"codes", Json(Json::Array{Json(1)})}}), "codes",
            "wrong_type"},
        {S::Consulting, T::AcceptedDeficient, obj({{"missing", strs({"sale_contract"})}}), "commitmentDue",
            "missing"},
        {S::Consulting, T::AcceptedDeficient,
            obj({{"missing", strs({"sale_contract"})}, {"commitmentDue", "2026-02-30"}}), "commitmentDue",
            "bad_date"},
        {S::Consulting, T::AcceptedDeficient,
            obj({{"missing", strs({"sale_contract"})}, {"commitmentDue", 20260316}}), "commitmentDue",
            "wrong_type"},
        {S::Consulting, T::AcceptedDeficient, obj({{"commitmentDue", "2026-03-16"}}), "missing", "missing"},
        {S::Consulting, T::NoticeIssued, obj({{"items", Json::array()}}), "items", "empty"},
        {S::Consulting, T::Refused, Json::object(), "reason", "missing"},
        {S::Consulting, T::Refused, obj({{"reason", ""}}), "reason", "empty"},
        {S::Consulting, T::Refused, obj({{"reason", 7}}), "reason", "wrong_type"},
        {S::Consulting, T::Withdrawn, Json::object(), "reason", "missing"},
        {S::Accepted, T::Routed, obj({{"department", "BDC"}}), "step", "missing"},
        {S::Accepted, T::Routed, obj({{"step", "s1"}}), "department", "missing"},
        {S::Accepted, T::Suspended, Json::object(), "reason", "missing"},
        {S::Accepted, T::Terminated, Json::object(), "reason", "missing"},
        {S::InReview, T::StepDone, Json::object(), "step", "missing"},
        {S::InReview, T::Extended, obj({{"limit", "0wd"}, {"approvedBy", "r"}, {"reason", "x"}}), "limit",
            "bad_time_limit"},
        {S::InReview, T::Extended, obj({{"limit", "5 days"}, {"approvedBy", "r"}, {"reason", "x"}}), "limit",
            "bad_time_limit"},
        {S::InReview, T::Extended, obj({{"limit", "5wd"}, {"reason", "x"}}), "approvedBy", "missing"},
        {S::InReview, T::Extended, obj({{"limit", "5wd"}, {"approvedBy", "r"}}), "reason", "missing"},
        {S::Accepted, T::Concluded, Json::object(), "outcome", "missing"},
        {S::Accepted, T::Concluded, obj({{"outcome", "granted"}}), "outcome", "unknown_value"},
        {S::Accepted, T::Concluded, obj({{"outcome", "denied"}}), "reason", "missing"},
        {S::Consulting, T::Assigned, Json::object(), "assignee", "missing"},
        {S::Consulting, T::Transferred, Json::object(), "toCentre", "missing"},
        {S::Consulting, T::Evaluated, obj({{"level", 0}}), "level", "out_of_range"},
        {S::Consulting, T::Evaluated, obj({{"level", 6}}), "level", "out_of_range"},
        {S::Consulting, T::Evaluated, Json::object(), "level", "missing"},
        {S::Consulting, T::Note, obj({{"text", ""}}), "text", "empty"},
        {S::Consulting, T::DocumentIssued, obj({{"kind", "receipt"}}), "number", "missing"},
        {S::Consulting, T::DocumentIssued, obj({{"number", "SL-1"}}), "kind", "missing"},
        {S::Consulting, T::ConflictResolved, obj({{"chosen", "ev-ws09-000000000001"}}), "group", "missing"},
        {S::Consulting, T::ConflictResolved, obj({{"group", "decision"}}), "chosen", "missing"},
    };
    for (const auto& c : cases) {
        INFO(toString(c.status) << " " << c.type << " " << c.body.canonical());
        Stream s = fixture(c.status);
        const Event e = s.next(c.type, c.body);
        auto err = check(s.fold(), e);
        REQUIRE(err);
        CHECK(err->code() == "case.body_invalid");
        CHECK(err->fact("field") == c.field);
        CHECK(err->fact("reason") == c.reason);
        CHECK(err->fact("event") == c.type);
        CHECK(err->fact("case") == kCase);
        // The fold refuses it the same way.
        std::vector<Event> all = s.events();
        all.push_back(e);
        CHECK(hasAnomaly(foldCase(all), e.id(), "case.body_invalid"));
    }
}

TEST_CASE("statemachine: body fields of the wrong JSON type are body errors", "[statemachine]")
{
    // What checkTransition lets through, the fold must be able to apply; a field of the
    // wrong type must be refused as case.body_invalid, not leak a json.type error or
    // become an anomaly only in the fold.
    struct Case {
        S status;
        std::string type;
        Json body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {S::Consulting, T::Evaluated, obj({{"level", "5"}, {"channel", "window"}}), "level"},
        {S::Accepted, T::Routed, obj({{"step", "s1"}, {"department", "BDC"}, {"assignee", 7}}), "assignee"},
    };
    for (const auto& c : cases) {
        INFO(c.type << " " << c.body.canonical());
        Stream s = fixture(c.status);
        auto err = check(s.fold(), s.next(c.type, c.body));
        REQUIRE(err);
        CHECK(err->code() == "case.body_invalid");
        CHECK(err->fact("field") == c.field);
    }
}

TEST_CASE("statemachine: other precise refusals", "[statemachine]")
{
    Stream s = opened();
    auto err
        = check(s.fold(), s.next(T::MaterialReceived, obj({{"codes", strs({"sale_contract", "deed"})}})));
    REQUIRE(err);
    CHECK(err->code() == "case.material_unknown");
    CHECK(err->fact("material") == "deed");

    err = check(s.fold(), s.next(T::Transferred, obj({{"toCentre", "330102"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.transfer_same_centre");
    CHECK(err->fact("centre") == "330102");

    err = check(
        s.fold(), s.next(T::ConflictResolved, obj({{"group", "decision"}, {"chosen", "ev-x-000000000001"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.no_conflict");
    CHECK(err->fact("group") == "decision");
}

TEST_CASE("statemachine: a case in conflict refuses new events of that group", "[statemachine]")
{
    CaseState st = fixture(S::Consulting).fold();
    st.conflicts.push_back({"decision",
        {{"ev-ws01-000000000002", T::Accepted, T::Accepted, "clerk01"},
            {"ev-ws02-000000000001", T::Refused, T::Refused, "clerk02"}}});
    Stream s = fixture(S::Consulting);

    auto err = check(st, s.next(T::Withdrawn, obj({{"reason", "x"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.in_conflict");
    CHECK(err->fact("group") == "decision");
    CHECK(err->fact("event") == T::Withdrawn);
    // Other groups and commuting events go on.
    CHECK_FALSE(check(st, s.next(T::Note, obj({{"text", "x"}}))));
    CHECK_FALSE(check(st, s.next(T::Assigned, obj({{"assignee", "clerk02"}}))));
    CHECK_FALSE(check(st, s.next(T::MaterialReceived, obj({{"codes", strs({"sale_contract"})}}))));

    err = check(
        st, s.next(T::ConflictResolved, obj({{"group", "decision"}, {"chosen", "ev-ws09-000000000001"}})));
    REQUIRE(err);
    CHECK(err->code() == "case.conflict_candidate_unknown");
    CHECK(err->fact("chosen") == "ev-ws09-000000000001");
    CHECK_FALSE(check(
        st, s.next(T::ConflictResolved, obj({{"group", "decision"}, {"chosen", "ev-ws02-000000000001"}}))));
}

TEST_CASE("statemachine: annotations are allowed on a closed case", "[statemachine]")
{
    Stream s = fixture(S::Closed);
    REQUIRE(s.fold().status == S::Closed);
    REQUIRE(s.fold().closedOn == kDay);
    s.add(T::Note, obj({{"text", "archived in box 12"}}));
    s.add(T::Evaluated, obj({{"level", 4}, {"channel", "sms"}, {"comment", "fast"}}));
    s.add(T::DocumentIssued, obj({{"kind", "pickup_slip"}, {"number", "LQ-7"}, {"reprint", true}}));
    CaseState st = s.fold();
    CHECK(st.status == S::Closed);
    CHECK(st.anomalies.empty());
    CHECK(st.notes == 1);
    CHECK(st.documentsIssued == 1);
    REQUIRE(st.evaluations.size() == 1);
    CHECK(st.evaluations[0].level == 4);
    CHECK(st.evaluations[0].channel == "sms");
    CHECK(st.evaluations[0].comment == "fast");
}

TEST_CASE("statemachine: nothing but opening comes before case.opened", "[statemachine]")
{
    const CaseState none;
    Stream s;
    for (const auto& type : knownCaseEventTypes()) {
        if (type == T::Opened)
            continue;
        INFO(type);
        auto err = check(none, s.next(type, probeBody(type)));
        REQUIRE(err);
        CHECK(err->code() == "case.not_opened");
        CHECK(err->fact("case") == kCase);
        CHECK(err->fact("event") == type);
    }
    // A fold of a stream that starts mid-case records each event and stays "none".
    s.add(T::Accepted).add(T::Note, obj({{"text", "x"}}));
    CaseState st = s.fold();
    CHECK(st.status == S::None);
    CHECK(st.eventCount == 2);
    REQUIRE(st.anomalies.size() == 2);
    CHECK(st.anomalies[0].code == "case.not_opened");
    CHECK(st.anomalies[1].code == "case.not_opened");
}

TEST_CASE("statemachine: unknown event types are never refused", "[statemachine]")
{
    for (const auto& [status, row] : kTable) {
        INFO(toString(status));
        Stream s = fixture(status);
        CHECK_FALSE(check(s.fold(), s.next("case.video_call", obj({{"anything", 1}}))));
        CHECK_FALSE(check(s.fold(), s.next("catalogue.matter_added", Json::object())));
    }

    Stream s;
    s.add("case.prelude");
    s.add(T::Opened, openedBody());
    s.add("case.video_call", obj({{"minutes", 12}}));
    s.add(T::NoticeIssued, obj({{"items", strs({"sale_contract"})}}));
    s.add(T::Corrected, obj({{"codes", strs({"sale_contract"})}}));
    s.add(T::Accepted);
    s.add("case.video_call");
    CaseState st = s.fold();
    CHECK(st.status == S::Accepted);
    CHECK(st.unknownEvents == 3);
    CHECK(st.eventCount == 7);
    CHECK(st.anomalies.empty());
    CHECK(st.heads == std::vector<std::string>{s.events().back().id()});
}

TEST_CASE("statemachine: a fold never throws on a refused transition", "[statemachine]")
{
    Stream s = opened();
    s.add(T::StepDone, obj({{"step", "s1"}})); // 2: not in consulting
    s.add(T::Accepted); // 3: sale contract missing
    s.add(T::Resumed); // 4: not suspended
    s.add(T::Refused); // 5: no reason
    s.add(T::NoticeIssued, obj({{"items", strs({"sale_contract"})}})); // 6: fine
    s.add(T::NoticeIssued, obj({{"items", strs({"photo"})}})); // 7: once only
    s.add(T::Corrected, obj({{"codes", strs({"sale_contract"})}})); // 8: fine
    s.add(T::Accepted); // 9: fine
    s.add(T::Opened, openedBody()); // 10: opened twice
    CaseState st;
    REQUIRE_NOTHROW(st = s.fold());
    CHECK(st.status == S::Accepted);
    CHECK(st.eventCount == 10);
    CHECK(st.visits == 2);
    const auto& ev = s.events();
    REQUIRE(st.anomalies.size() == 6);
    CHECK(hasAnomaly(st, ev[1].id(), "case.transition_refused"));
    CHECK(hasAnomaly(st, ev[2].id(), "case.materials_missing"));
    CHECK(hasAnomaly(st, ev[3].id(), "case.not_suspended"));
    CHECK(hasAnomaly(st, ev[4].id(), "case.body_invalid"));
    CHECK(hasAnomaly(st, ev[6].id(), "case.notice_already_issued"));
    CHECK(hasAnomaly(st, ev[9].id(), "case.transition_refused"));

    // The same events in any arrival order fold to the same state.
    std::vector<Event> reversed(ev.rbegin(), ev.rend());
    CHECK(foldCase(reversed).toJson() == st.toJson());
}
