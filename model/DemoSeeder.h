// Synthetic demo data for `owctl seed-demo`: staff accounts, applicants with valid
// identity numbers, and a year of cases in every status, written through the real
// IntakeService and CaseWorkService so that every rule and permission applies.
#pragma once

#include "model/Applicant.h"
#include "model/CaseState.h"
#include "model/Date.h"
#include "model/Permissions.h"
#include "model/ServiceContext.h"

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace ow::model {

struct DemoStaffMember {
    std::string id;
    std::string name;
    Role role;
    std::string password;
};

// clerk01–clerk12 (window staff), reviewer01 (reviewer), manager01 (queue manager) and
// admin (administrator), in that order. Names and passwords ("clerk01-" + 6 characters)
// follow from the seed.
std::vector<DemoStaffMember> demoStaff(std::uint64_t seed);

// An applicant that passes validate(): mostly persons with resident IDs (birth dates
// 1940–2005, sex digit and check digit consistent), now and then a permit holder, an
// agent with an authorisation, the assisted flag, postal delivery with an address;
// enterprises with a valid unified social credit code. Names are common Chinese names,
// occasionally with a CJK Extension-B character. Only the raw output of the engine is
// used, so a seed gives the same applicants on every standard library.
Applicant syntheticApplicant(std::mt19937_64& rng, Date today);

struct DemoSeedOptions {
    int cases = 100;
    Date today; // events are spread over the year before `today`, none on or after it
    std::uint64_t seed = 1;
};

struct DemoSeedResult {
    int cases = 0;
    std::map<CaseStatus, int> byStatus;
};

// Creates `options.cases` cases in every status but None (the first 14 cases take one
// status each, the rest a realistic mix), drawing matters and bundles from ctx.catalogue.
// Every case's timeline is planned first; then all actions of all cases are replayed in
// time order, so physical time increases across the whole store. Before each action
// `moveTo(day, ms)` must set the date ctx.clock reports and the physical time the store
// stamps (ms since the epoch; `day` is its date in China Standard Time). Times fall in
// 08:30–17:30 on working days of ctx.calendar, all before `options.today`.
// The accounts of demoStaff() must be in ctx.staff; a missing one throws
// "demo.staff_missing" (facts actor) before anything is written.
DemoSeedResult seedDemoCases(ServiceContext& ctx, const DemoSeedOptions& options,
    const std::function<void(Date, std::int64_t)>& moveTo);

} // namespace ow::model
