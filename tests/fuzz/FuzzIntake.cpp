// libFuzzer target: intake documents. The input is the JSON intake document of
// `owctl intake` (docs/OWCTL.md, docs/examples/intake.json; seeds in
// tests/fuzz/corpus/intake): parsed by client/owctl/IntakeDocument, then carried out on a
// fresh in-memory workstation (the full demo catalogue, the shipped calendars, one account
// per role) exactly as owctl does: IntakeService::open — applicant validation, identity
// numbers, the merged materials checklist — and the decision. A refused document must
// give a DomainError; an identity error must not quote a full identity number; a case
// taken in must be stored as events that verify and fold back to the projected state, with
// an applicant that still validates. A crash, a sanitizer report, another exception or a
// broken invariant is a finding.
#include "model/Applicant.h"
#include "model/BuiltinCalendars.h"
#include "model/CaseState.h"
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Event.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Json.h"

#include "client/owctl/IntakeDocument.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace m = ow::model;
using m::DomainError;
using m::Json;

[[noreturn]] void violated(const char* what, const std::string& detail = {})
{
    std::fprintf(stderr, "intake invariant violated: %s %s\n", what, detail.c_str());
    std::abort();
}

const m::Date kToday(2026, 11, 30); // a Monday

const m::Catalogue& catalogue()
{
    static const m::Catalogue c = m::fullDemoCatalogue();
    return c;
}

const m::HolidayCalendar& calendar()
{
    static const m::HolidayCalendar c = m::builtinCalendar();
    return c;
}

// One workstation per input, so that no input depends on the ones before it.
struct World {
    World()
    {
        using m::Role;
        staff.put({"clerk01", "clerk", {Role::WindowStaff}, "330102", true});
        staff.put({"reviewer01", "reviewer", {Role::Reviewer}, "330102", true});
        staff.put({"manager01", "manager", {Role::QueueManager}, "330102", true});
        staff.put({"admin01", "admin", {Role::Administrator}, "330102", true});
        staff.put({"clerk02", "former clerk", {Role::WindowStaff}, "330102", false});
    }
    std::int64_t nowMs = kToday.days() * 86'400'000 + 4 * 3'600'000;
    m::InMemoryEventStore store{"ws01", [this] { return nowMs; }};
    m::InMemoryStaffDirectory staff;
    m::InMemoryCaseNumberSource numbers{"330102", "W03"};
    m::FixedClock clock{kToday};
    m::ServiceContext ctx{store, catalogue(), calendar(), staff, numbers, clock, "330102"};
    m::IntakeService intake{ctx};
};

// What owctl's intake command does after opening the case.
m::CaseState decide(m::IntakeService& intake, const m::Clock& clock, const ow::owctl::IntakeDocument& doc,
    const std::string& actor, const m::CaseState& opened)
{
    using ow::owctl::DecisionKind;
    const auto& d = doc.decision;
    switch (d.kind) {
    case DecisionKind::None:
        return opened;
    case DecisionKind::Accept:
        return intake.accept(actor, opened.number);
    case DecisionKind::AcceptDeficient: {
        const m::Date due
            = d.commitmentDue ? *d.commitmentDue : clock.today().addDays(d.commitmentDueInDays.value_or(0));
        return intake.acceptWithDeficiencies(
            actor, opened.number, d.missing.value_or(opened.missingMandatoryMaterials()), due);
    }
    case DecisionKind::Notice:
        return intake.issueNotice(actor, opened.number, d.items.value_or(opened.missingMandatoryMaterials()));
    case DecisionKind::Refuse:
        return intake.refuse(actor, opened.number, d.reason, d.legalBasis);
    }
    return opened;
}

// Identity numbers a fact must never quote (design: facts end up in logs): the valid
// numbers of nine characters or more, which the screen masks too. Shorter text could be
// any fact's value by chance.
std::vector<std::string> fullNumbers(const m::Applicant& a)
{
    std::vector<std::string> out;
    auto add = [&](m::IdKind kind, const std::string& raw) {
        const auto check = m::checkId(kind, raw);
        if (check.ok && check.normalized.size() >= 9) {
            out.push_back(check.normalized);
            out.push_back(raw);
        }
    };
    add(a.idKind, a.idNumber);
    if (a.agent)
        add(a.agent->idKind, a.agent->idNumber);
    return out;
}

void checkFacts(const m::Facts& facts, const std::vector<std::string>& numbers, const std::string& code)
{
    for (const auto& [key, value] : facts)
        for (const auto& n : numbers)
            if (value.find(n) != std::string::npos)
                violated("a fact quotes a full identity number", code + " " + key);
}

// The services refuse with their own codes (intake.*, catalogue.*, permission.*, case.*
// from the state machine); an error about JSON types, numbers or encodings, or an event
// that does not verify, means a service built a broken event.
void checkRefusal(const DomainError& e, const m::Applicant& applicant)
{
    const std::string& code = e.code();
    if (code.rfind("json.", 0) == 0 || code.rfind("event.", 0) == 0)
        violated("a service wrote what it cannot read", e.what());
    // Only the applicant's own problems: other errors may quote what the clerk typed
    // elsewhere (a matter or bundle code), which could be anything.
    if (const auto* v = dynamic_cast<const m::ValidationError*>(&e)) {
        const auto numbers = fullNumbers(applicant);
        checkFacts(e.facts(), numbers, code);
        for (const auto& p : v->problems())
            checkFacts(p.facts, numbers, p.code);
    }
}

void checkIdentity(m::IdKind kind, const std::string& stored)
{
    const auto check = m::checkId(kind, stored, kToday);
    if (!check.ok || check.normalized != stored)
        violated("a stored identity number is not normalised and valid", m::toString(kind));
    if (m::maskId(stored) == stored)
        violated("a valid identity number is shown unmasked", m::toString(kind));
    if (kind != m::IdKind::Passport) {
        const auto guess = m::guessIdKind(stored);
        if (!guess || !m::checkId(*guess, stored).ok)
            violated("guessIdKind misses a valid number", m::toString(kind));
    }
    m::sexFromId(kind, stored);
}

void checkStored(World& w, const m::CaseState& state)
{
    const auto events = w.store.caseEvents(state.number);
    if (events.empty())
        violated("a case without events", state.number);
    for (const auto& e : events) {
        const std::string text = e.documentText();
        const auto back = m::Event::fromDocument(Json::parse(text));
        if (back.hash != e.hash || !(back.body == e.body))
            violated("an event does not read back", text);
    }
    const auto projected = w.store.findCase(state.number);
    if (!projected)
        violated("the projection lost the case", state.number);
    const std::string folded = m::foldCase(events).toJson().canonical();
    if (folded != projected->toJson().canonical() || folded != state.toJson().canonical())
        violated("fold, projection and service disagree", state.number);
    if (!projected->anomalies.empty())
        violated("a service wrote an event its own fold refuses", projected->anomalies.front().code);

    // The applicant as stored reads back unchanged, is normalised, and validates again.
    const Json& stored = events.front().body["applicant"];
    const m::Applicant applicant = m::applicantFromJson(stored);
    if (!(m::toJson(applicant) == stored))
        violated("the stored applicant does not read back", stored.canonical());
    if (const auto problems = m::validate(applicant, kToday); !problems.empty())
        violated(
            "the stored applicant no longer validates", problems.front().field + " " + problems.front().code);
    checkIdentity(applicant.idKind, applicant.idNumber);
    if (applicant.agent)
        checkIdentity(applicant.agent->idKind, applicant.agent->idNumber);
    m::displayId(applicant);
    m::displayPhone(applicant);
    m::isElderly(applicant, kToday);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ow::owctl::IntakeDocument doc;
    try {
        doc = ow::owctl::parseIntakeDocument(Json::parse(text));
    } catch (const DomainError& e) {
        if (e.code() != "json.parse" && e.code() != "intake.document")
            violated("unexpected error code", e.what());
        return 0;
    }
    const std::string actor = doc.clerk.empty() ? "clerk01" : doc.clerk;
    World w;

    // The checklist the clerk ticks is the one the case records.
    std::optional<std::vector<m::MergedMaterial>> checklist;
    try {
        checklist = w.intake.checklist(doc.request.matterCodes, doc.request.bundleCode);
    } catch (const DomainError& e) {
        if (e.code() != "catalogue.unknown_matter" && e.code() != "catalogue.unknown_bundle")
            violated("unexpected checklist error", e.what());
    }

    m::CaseState opened;
    try {
        opened = w.intake.open(actor, doc.request);
    } catch (const DomainError& e) {
        checkRefusal(e, doc.request.applicant);
        return 0;
    }
    if (!checklist || checklist->size() != opened.materials.size())
        violated("the case's materials are not the checklist", opened.number);
    for (std::size_t i = 0; i < checklist->size(); ++i)
        if ((*checklist)[i].material.code != opened.materials[i].code)
            violated("the case's materials are not the checklist", opened.materials[i].code);
    if (!m::validate(doc.request.applicant, kToday).empty())
        violated("an applicant with problems was taken in", opened.number);
    checkStored(w, opened);

    std::optional<m::CaseState> decided;
    try {
        decided = decide(w.intake, w.clock, doc, actor, opened);
    } catch (const DomainError& e) {
        checkRefusal(e, doc.request.applicant);
    }
    checkStored(w, decided ? *decided : opened);
    return 0;
}
