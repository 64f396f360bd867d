// What every application service needs, handed over by the composition root.
#pragma once

#include "model/Catalogue.h"
#include "model/CentreSetup.h"
#include "model/HolidayCalendar.h"
#include "model/Repositories.h"

#include <string>
#include <vector>

namespace ow::model {

struct ServiceContext {
    EventStore& store;
    const Catalogue& catalogue;
    const HolidayCalendar& calendar;
    const StaffDirectory& staff;
    CaseNumberSource& numbers;
    const Clock& clock;
    std::string centre; // this node's centre code, e.g. "330102"
    // The hall's windows, when known: assigning a case to a window checks that the window
    // serves every matter of the case.
    std::vector<ServiceWindow> windows = {};
};

// Shared plumbing of the services: who is acting, what the case looks like now, and a
// checked append that goes through the same state machine the fold uses.
class ServiceBase {
protected:
    explicit ServiceBase(ServiceContext& ctx)
        : m_ctx(ctx)
    {
    }

    // Throws "permission.unknown_actor", "permission.denied" or "permission.inactive".
    Staff authorise(const std::string& actor, Action action) const;
    // Throws "case.not_found" (facts case).
    CaseState load(const std::string& caseNumber) const;
    // Checks the transition against `state`, appends, and returns the new state.
    CaseState write(const CaseState& state, const std::string& actor, const std::string& type, Json body);
    // The same, returning the stored event instead of the new state.
    Event writeEvent(const CaseState& state, const std::string& actor, const std::string& type, Json body);

    ServiceContext& m_ctx;
};

} // namespace ow::model
