// onewindow-demo: a console walk-through of the domain model on the embedded demo
// centre, standing in for the desktop client until it exists. It runs a real intake
// of the 二手房交易 bundle through the services and prints what a clerk would see.
#include "model/Applicant.h"
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/StateHash.h"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

using namespace ow::model;

namespace {

void heading(const std::string& title)
{
    std::cout << "\n== " << title << " ==\n";
}

std::string residentId(const std::string& first17)
{
    return first17 + *gb11643CheckDigit(first17);
}

void usage()
{
    std::cout << "usage: onewindow-demo [--today YYYY-MM-DD]\n"
                 "Walks one application through intake, review and hand-out on the demo centre 330102.\n";
}

} // namespace

int main(int argc, char* argv[])
{
    Date today = dateOfHlc(makeHlc(systemPhysicalClock()(), 0));
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            auto d = Date::fromIso(argv[++i]);
            if (!d) {
                std::cerr << "onewindow-demo: --today expects a date like 2026-02-12, got '" << argv[i]
                          << "'\n";
                return 2;
            }
            today = *d;
        } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            usage();
            return 0;
        } else {
            std::cerr << "onewindow-demo: unknown argument '" << argv[i] << "'\n";
            usage();
            return 2;
        }
    }

    try {
        Catalogue catalogue = demoCatalogue();
        HolidayCalendar calendar = builtinCalendar();
        InMemoryStaffDirectory staff;
        staff.put({"clerk01", "王芳", {Role::WindowStaff}, "330102"});
        staff.put({"reviewer01", "陈静", {Role::Reviewer}, "330102"});
        InMemoryEventStore store("ws01", systemPhysicalClock());
        InMemoryCaseNumberSource numbers("330102", "W03");
        FixedClock clock(today);
        ServiceContext ctx{store, catalogue, calendar, staff, numbers, clock, "330102"};
        IntakeService intake(ctx);
        CaseWorkService work(ctx);

        heading("Identity numbers checked as they are typed");
        const std::string good = residentId("33010219600315002");
        for (const auto& [kind, text] :
            std::vector<std::pair<IdKind, std::string>>{{IdKind::ResidentId, good},
                {IdKind::ResidentId, good.substr(0, 17) + (good.back() == '0' ? '1' : '0')},
                {IdKind::ResidentId, "330102196002300011"},
                {IdKind::UnifiedSocialCreditCode, "91330106MA2001ABC0"},
                {IdKind::UnifiedSocialCreditCode, "91330106MA2001ABCO"}}) {
            IdCheck c = checkId(kind, text, today);
            std::cout << "  " << toString(kind) << "  " << maskId(text) << "  "
                      << (c.ok ? "ok" : DomainError::describe(c.code, {})) << "\n";
        }

        heading("Intake: 二手房交易一件事 (bundle 330102-YJS-001)");
        IntakeRequest req;
        req.applicant.name = "李强";
        req.applicant.idNumber = good;
        req.applicant.phone = "13812345678";
        req.bundleCode = "330102-YJS-001";
        req.window = "W03";
        req.receivedMaterials = {"property_certificate"};
        std::cout << "  applicant " << req.applicant.name << "  " << displayId(req.applicant) << "  "
                  << displayPhone(req.applicant)
                  << (isElderly(req.applicant, today) ? "  elderly priority" : "") << "\n";
        std::cout << "  merged checklist (each material asked for once):\n";
        for (const auto& m : intake.checklist({}, req.bundleCode)) {
            std::cout << "    [" << (m.material.dataShared ? "shared" : "      ") << "] " << m.material.nameZh
                      << " (" << m.material.nameEn << "), " << toString(m.material.form) << " x"
                      << m.material.count << ", needed by " << m.requiredBy.size() << " matter(s)\n";
        }
        CaseState c = intake.open("clerk01", req);
        std::cout << "  opened " << c.number << "  status " << toString(c.status) << "  decide by "
                  << intake.decisionDue(c.number).iso() << " (5-working-day rule)\n";
        try {
            intake.accept("clerk01", c.number);
        } catch (const DomainError& e) {
            std::cout << "  accept refused: " << e.what() << "\n";
        }
        c = intake.receiveMaterials("clerk01", c.number, {"sale_contract"});
        c = intake.accept("clerk01", c.number);
        std::cout << "  accepted on " << c.acceptedOn->iso() << "  status " << toString(c.status) << "\n";

        heading("Review, suspension and the promised deadline");
        c = work.route("clerk01", c.number, "s1", "区不动产登记中心", "reviewer01");
        DeadlineResult before = work.deadline(c.number);
        std::cout << "  promised deadline " << before.deadline.iso()
                  << (before.provisional ? " (provisional)" : "") << "\n";
        c = work.suspend("reviewer01", c.number, "等待补充测绘报告");
        clock.advance(3);
        c = work.resume("reviewer01", c.number);
        DeadlineResult after = work.deadline(c.number);
        std::cout << "  after a 3-day suspension: " << after.deadline.iso() << "\n\n";
        std::cout << formatLedger(after);

        heading("Conclusion and hand-out");
        c = work.completeStep("reviewer01", c.number, "s1", "符合登记条件");
        c = work.conclude("reviewer01", c.number, true);
        c = work.deliver("clerk01", c.number, "window");
        c = work.recordEvaluation("clerk01", c.number, 5, "window_pad", "");
        std::cout << "  status " << toString(c.status) << "  events " << c.eventCount << "  visits "
                  << c.visits << "  evaluation " << c.evaluations.back().level << "/5\n";
        std::cout << "  state-hash " << stateHash({c}) << "\n";
        auto events = store.caseEvents(c.number);
        std::cout << "  last event " << events.back().id() << "  " << events.back().type << "  hash "
                  << events.back().hash.substr(0, 16) << "...\n";
    } catch (const DomainError& e) {
        std::cerr << "onewindow-demo: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
