// Case work from the command line: one command per action of the case-work service
// (route, complete, suspend, resume, extend, conclude, deliver, withdraw, terminate,
// close, note, assign, transfer, resolve). Each writes its event through the replica
// with --replica, so a window can go on working a case while the shared database is down.
#include "model/Applicant.h"
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Error.h"

#include "Commands.h"
#include "Output.h"
#include "Replica.h"

#include <functional>

namespace ow::owctl {

namespace {

using Act = std::function<model::CaseState(
    model::CaseWorkService& work, const std::string& actor, const std::string& number)>;

// Case work never draws a case number.
class NoCaseNumbers : public model::CaseNumberSource {
public:
    model::CaseNumber nextCaseNumber(model::Date) override
    {
        throw std::logic_error("case work does not draw case numbers");
    }
};

// An option the spec marks required (the parser insists on it) that must not be empty.
std::string required(const Context& ctx, const std::string& option)
{
    std::string value = ctx.args().value(option);
    if (value.empty())
        throw UsageError(option + " must not be empty");
    return value;
}

int runAction(Context& ctx, const Act& act)
{
    const std::string number = ctx.args().positionals.front();
    const std::string actor = ctx.actor({});
    if (actor.empty())
        throw UsageError("'" + ctx.spec().name + "' needs --as USER, the staff account doing the work");
    WriteSession session(ctx);
    session.requireReference(ctx.subject());
    db::Store& reference = session.reference();
    const std::string centre = reference.centre();
    const model::Catalogue catalogue = reference.catalogue();
    const model::HolidayCalendar calendar = model::builtinCalendar();
    model::SystemClock clock;
    NoCaseNumbers numbers;
    model::ServiceContext services{
        session.events(), catalogue, calendar, session.staff(), numbers, clock, centre, reference.windows()};
    model::CaseWorkService work(services);
    const model::CaseState state = act(work, actor, number);
    session.finish();

    std::string deadline;
    if (state.acceptedOn) {
        // Suspended without an end: no deadline can be known yet.
        if (auto d = model::caseDeadline(state, calendar); !d.suspendedOpenEnded)
            deadline = d.deadline.iso();
    }
    if (ctx.json()) {
        model::Json j = toJson(summaryOf(session.target(), state));
        j["status"] = model::toString(state.status);
        if (!deadline.empty())
            j["deadline"] = deadline;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << state.number << " " << model::toString(state.status);
        if (!deadline.empty())
            ctx.out() << " deadline " << deadline;
        if (state.inConflict())
            ctx.out() << " (in conflict)";
        ctx.out() << "\n";
    }
    return kExitOk;
}

} // namespace

int runCaseRoute(Context& ctx)
{
    const std::string step = required(ctx, "--step");
    const std::string department = required(ctx, "--department");
    const std::string assignee = ctx.args().value("--assignee");
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) {
        return work.route(actor, number, step, department, assignee);
    });
}

int runCaseComplete(Context& ctx)
{
    const std::string step = required(ctx, "--step");
    const std::string outcome = required(ctx, "--outcome");
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) {
        return work.completeStep(actor, number, step, outcome);
    });
}

int runCaseSuspend(Context& ctx)
{
    const std::string reason = required(ctx, "--reason");
    return runAction(
        ctx, [&](auto& work, auto& actor, auto& number) { return work.suspend(actor, number, reason); });
}

int runCaseResume(Context& ctx)
{
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) { return work.resume(actor, number); });
}

int runCaseExtend(Context& ctx)
{
    const std::string by = required(ctx, "--by");
    const auto extra = model::TimeLimit::parse(by);
    if (!extra)
        throw UsageError(
            "--by expects a time limit such as 5wd (working days) or 10cd (calendar days), got '" + by + "'");
    const std::string reason = required(ctx, "--reason");
    const std::string requestedBy = required(ctx, "--requested-by");
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) {
        return work.extend(actor, number, *extra, reason, requestedBy);
    });
}

int runCaseConclude(Context& ctx)
{
    const bool approve = ctx.args().has("--approve");
    if (approve == ctx.args().has("--deny"))
        throw UsageError("'cases conclude' needs exactly one of --approve and --deny");
    const std::string reason = ctx.args().value("--reason");
    if (!approve && reason.empty())
        throw UsageError("a denial needs --reason");
    return runAction(ctx,
        [&](auto& work, auto& actor, auto& number) { return work.conclude(actor, number, approve, reason); });
}

int runCaseDeliver(Context& ctx)
{
    const std::string method = required(ctx, "--method");
    if (!model::deliveryMethodFromString(method))
        throw UsageError("--method expects window, post or e_licence, got '" + method + "'");
    return runAction(
        ctx, [&](auto& work, auto& actor, auto& number) { return work.deliver(actor, number, method); });
}

int runCaseWithdraw(Context& ctx)
{
    const std::string reason = required(ctx, "--reason");
    return runAction(
        ctx, [&](auto& work, auto& actor, auto& number) { return work.withdraw(actor, number, reason); });
}

int runCaseTerminate(Context& ctx)
{
    const std::string reason = required(ctx, "--reason");
    return runAction(
        ctx, [&](auto& work, auto& actor, auto& number) { return work.terminate(actor, number, reason); });
}

int runCaseClose(Context& ctx)
{
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) { return work.close(actor, number); });
}

int runCaseNote(Context& ctx)
{
    const std::string text = ctx.args().positionals.at(1);
    if (text.empty())
        throw UsageError("a note needs some text");
    return runAction(
        ctx, [&](auto& work, auto& actor, auto& number) { return work.addNote(actor, number, text); });
}

int runCaseAssign(Context& ctx)
{
    const std::string to = required(ctx, "--to");
    const std::string window = ctx.args().value("--window");
    return runAction(
        ctx, [&](auto& work, auto& actor, auto& number) { return work.assign(actor, number, to, window); });
}

int runCaseTransfer(Context& ctx)
{
    const std::string centre = required(ctx, "--to-centre");
    if (!model::isValidCentreCode(centre))
        throw UsageError("--to-centre expects a six-digit centre code, got '" + centre + "'");
    const std::string reason = required(ctx, "--reason");
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) {
        return work.transferToCentre(actor, number, centre, reason);
    });
}

int runCaseResolve(Context& ctx)
{
    const std::string group = required(ctx, "--group");
    const std::string chosen = required(ctx, "--choose");
    return runAction(ctx, [&](auto& work, auto& actor, auto& number) {
        return work.resolveConflict(actor, number, group, chosen);
    });
}

} // namespace ow::owctl
