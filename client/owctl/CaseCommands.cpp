// Case commands: intake from a JSON document, listing, showing and searching cases.
#include "model/BuiltinCalendars.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "Commands.h"
#include "IntakeDocument.h"
#include "Messages.h"
#include "Output.h"
#include "Replica.h"

namespace ow::owctl {

namespace {

using model::Json;

model::CaseState carryOut(
    model::ServiceContext& services, const IntakeDocument& doc, const std::string& actor)
{
    model::IntakeService intake(services);
    model::CaseState state = intake.open(actor, doc.request);
    const IntakeDecision& d = doc.decision;
    switch (d.kind) {
    case DecisionKind::None:
        return state;
    case DecisionKind::Accept:
        return intake.accept(actor, state.number);
    case DecisionKind::AcceptDeficient: {
        model::Date due = d.commitmentDue ? *d.commitmentDue
                                          : services.clock.today().addDays(d.commitmentDueInDays.value_or(0));
        return intake.acceptWithDeficiencies(
            actor, state.number, d.missing.value_or(state.missingMandatoryMaterials()), due);
    }
    case DecisionKind::Notice:
        return intake.issueNotice(actor, state.number, d.items.value_or(state.missingMandatoryMaterials()));
    case DecisionKind::Refuse:
        return intake.refuse(actor, state.number, d.reason, d.legalBasis);
    }
    return state;
}

void printRows(Context& ctx, const std::vector<db::CaseSummary>& rows, const std::string& footer)
{
    if (ctx.json()) {
        Json a = Json::array();
        for (const auto& r : rows)
            a.push_back(toJson(r));
        ctx.out() << a.canonical() << "\n";
        return;
    }
    printSummaryTable(ctx.out(), rows);
    ctx.out() << footer << "\n";
}

// Pages through the case list, newest number first. A case taken in meanwhile shifts
// the pages; rows at or above the last number seen are skipped, so none comes twice.
template<class Row, class Page>
void forEachCase(const db::Store& store, const std::string& status, Row onRow, Page onPage)
{
    constexpr std::size_t kPage = 2000;
    std::string last;
    for (std::size_t offset = 0;; offset += kPage) {
        auto page = store.listCases(status, kPage, offset);
        for (const auto& r : page)
            if (last.empty() || r.number < last) {
                onRow(r);
                last = r.number;
            }
        onPage();
        if (page.size() < kPage)
            break;
    }
}

std::string plural(std::int64_t n, const std::string& word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

int runIntake(Context& ctx)
{
    const std::string path = ctx.args().positionals.front();
    IntakeDocument doc;
    try {
        doc = parseIntakeDocument(Json::parse(readFile(ctx, path)));
    } catch (const model::DomainError& e) {
        throw Failure(ctx.subject(), explain(e));
    }
    const std::string actor = ctx.actor(doc.clerk);
    if (actor.empty())
        throw Failure(ctx.subject(), "no acting staff: set \"clerk\" in the document or give --as USER");

    const std::string workstation = ctx.args().value("--workstation", "W01");
    if (!model::isValidWorkstationCode(workstation))
        throw UsageError("--workstation expects W and 2 to 4 digits, got '" + workstation + "'");

    WriteSession session(ctx);
    session.requireReference(ctx.subject());
    db::Store& reference = session.reference();
    const std::string centre = reference.centre();
    if (centre.empty())
        throw Failure(ctx.subject(), "the database has no centre yet; run 'owctl init'");
    const model::Catalogue catalogue = reference.catalogue();
    const model::HolidayCalendar calendar = model::builtinCalendar();
    model::SystemClock clock;

    // A rehearsal on an in-memory store first: the open and the decision are separate
    // appends, and a decision the state machine refuses must not leave a half-done case.
    {
        model::InMemoryEventStore rehearsal("owctl_rehearsal", model::systemPhysicalClock());
        model::InMemoryCaseNumberSource numbers(centre, workstation);
        model::ServiceContext services{
            rehearsal, catalogue, calendar, session.staff(), numbers, clock, centre};
        carryOut(services, doc, actor);
    }
    auto numbers = session.caseNumbers(centre, workstation);
    model::ServiceContext services{
        session.events(), catalogue, calendar, session.staff(), *numbers, clock, centre};
    const model::CaseState state = carryOut(services, doc, actor);
    session.finish();
    if (ctx.json())
        ctx.out() << toJson(summaryOf(session.target(), state)).canonical() << "\n";
    else
        ctx.out() << state.number << "\n";
    return kExitOk;
}

int runCasesList(Context& ctx)
{
    const std::string status = ctx.args().value("--status");
    if (!status.empty() && (!model::caseStatusFromString(status) || status == "none"))
        throw UsageError(
            "unknown status '" + status + "'; expected one of the statuses in 'owctl cases list --help'");
    const bool limited = ctx.args().has("--limit");
    const auto limit = limited
        ? static_cast<std::size_t>(parseCount("--limit", ctx.args().value("--limit"), 1, 1'000'000'000))
        : std::size_t{0};
    auto store = ctx.openStore();
    if (limited) {
        const std::int64_t total = store->countCases(status);
        auto rows = store->listCases(status, limit);
        printRows(ctx, rows, std::to_string(rows.size()) + " of " + plural(total, "case"));
        return kExitOk;
    }
    // Every matching case: one JSON array streamed page by page, so a million cases never
    // sit in memory at once.
    if (!ctx.json()) {
        std::vector<db::CaseSummary> rows;
        forEachCase(
            *store, status, [&](const db::CaseSummary& r) { rows.push_back(r); }, [] {});
        printRows(ctx, rows, plural(static_cast<std::int64_t>(rows.size()), "case"));
        return kExitOk;
    }
    ctx.out() << "[";
    bool first = true;
    forEachCase(
        *store, status,
        [&](const db::CaseSummary& r) {
            ctx.out() << (first ? "\n" : ",\n") << toJson(r).canonical();
            first = false;
        },
        [&] { ctx.flush(); });
    ctx.out() << (first ? "]\n" : "\n]\n");
    return kExitOk;
}

int runCasesShow(Context& ctx)
{
    const std::string number = ctx.args().positionals.front();
    auto store = ctx.openStore();
    auto state = store->findCase(number);
    if (!state || state->status == model::CaseStatus::None)
        throw Failure(ctx.subject(), "there is no case " + number);
    if (ctx.json())
        ctx.out() << maskedCaseJson(*state).pretty() << "\n";
    else
        printCase(ctx.out(), *state);
    return kExitOk;
}

int runSearch(Context& ctx)
{
    const std::string text = ctx.args().positionals.front();
    const auto limit
        = static_cast<std::size_t>(parseCount("--limit", ctx.args().value("--limit", "50"), 1, 10000));
    auto store = ctx.openStore();
    auto rows = store->search(text, limit);
    printRows(ctx, rows, plural(static_cast<std::int64_t>(rows.size()), "case"));
    return kExitOk;
}

} // namespace ow::owctl
