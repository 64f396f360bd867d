// Shared by the sync tests: the shared store as a replica writer sees it, answering only
// while the test says the server is up.
#pragma once

#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "db/Store.h"

#include <functional>
#include <memory>
#include <optional>

namespace ow::test {

// `store` while `reachable`, else the connection error of a stopped server.
inline std::function<db::Store&()> sharedWhile(const bool& reachable, std::unique_ptr<db::Store>& store)
{
    return [&reachable, &store]() -> db::Store& {
        if (!reachable)
            throw model::DomainError("db.unreachable", {{"reason", "test: server stopped"}});
        return *store;
    };
}

// The services of one window writing to one store (a replica, a writer, a node): the demo
// catalogue, a clerk and a reviewer of centre 330102, on 2026-03-02. Case numbers come from
// `numbers`, or from a source of the workstation's own.
struct Desk {
    model::EventStore& store;
    model::Catalogue catalogue = model::demoCatalogue();
    model::HolidayCalendar calendar = model::builtinCalendar();
    model::InMemoryStaffDirectory staff;
    model::FixedClock clock{model::Date(2026, 3, 2)};
    std::optional<model::InMemoryCaseNumberSource> ownNumbers;
    model::ServiceContext ctx;
    model::IntakeService intake{ctx};
    model::CaseWorkService work{ctx};

    Desk(model::EventStore& s, const std::string& workstation)
        : store(s)
        , ownNumbers(std::in_place, "330102", workstation)
        , ctx{store, catalogue, calendar, staff, *ownNumbers, clock, "330102"}
    {
        addStaff();
    }
    Desk(model::EventStore& s, model::CaseNumberSource& numbers)
        : store(s)
        , ctx{store, catalogue, calendar, staff, numbers, clock, "330102"}
    {
        addStaff();
    }

    // A new application (one matter, its materials handed in) of `name`, whose resident
    // ID begins with `first17`.
    model::CaseState open(const std::string& name, const std::string& first17)
    {
        model::IntakeRequest r;
        r.applicant.name = name;
        r.applicant.idNumber = first17 + *model::gb11643CheckDigit(first17);
        r.matterCodes = {"330102-SC-001"};
        r.receivedMaterials = {"premises_proof", "registration_form"};
        return intake.open("clerk01", r);
    }

private:
    void addStaff()
    {
        staff.put({"clerk01", "王芳", {model::Role::WindowStaff}, "330102", true});
        staff.put({"reviewer01", "陈静", {model::Role::Reviewer}, "330102", true});
    }
};

} // namespace ow::test
