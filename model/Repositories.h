// Interfaces the application services are written against. db/ implements them over
// SOCI; InMemoryRepositories.h implements them for tests and the demo.
#pragma once

#include "model/CaseNumber.h"
#include "model/CaseState.h"
#include "model/Event.h"
#include "model/Permissions.h"
#include "model/Queue.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

class EventStore {
public:
    virtual ~EventStore() = default;

    // Appends atomically (all or none) under this store's own origin: the store assigns
    // seq (gap-free), hlc, prev and hash, and updates the projections in the same
    // transaction. Returns the stored events.
    virtual std::vector<Event> append(const std::vector<NewEvent>& events) = 0;
    // Every stored event of one case, in no particular order.
    virtual std::vector<Event> caseEvents(const std::string& caseNumber) const = 0;
    // The projected state, or nothing when the case is unknown here.
    virtual std::optional<CaseState> findCase(const std::string& caseNumber) const = 0;
    virtual std::string origin() const = 0;
};

class StaffDirectory {
public:
    virtual ~StaffDirectory() = default;
    virtual std::optional<Staff> findStaff(const std::string& id) const = 0;
};

// The hall's tickets as the writer sees them inside its locked transaction.
class HallReader {
public:
    virtual ~HallReader() = default;
    virtual std::optional<Ticket> ticket(const std::string& id) = 0;
    // The day's tickets that are not finished: waiting, called and parked.
    virtual std::vector<Ticket> unfinished(Date day) = 0;
    // The highest number issued in a category on a day (wherever those tickets were
    // passed on to since); 0 when none yet.
    virtual int lastNumber(Date day, const std::string& category) = 0;
};

// Where tickets live: the shared database, whose lock makes every ticket change of the
// centre happen one at a time, so two windows can never claim the same ticket.
class HallStore {
public:
    virtual ~HallStore() = default;
    // Runs `plan` under the hall's lock, appends the events it returns in the same
    // transaction and returns them stored; a DomainError from `plan` writes nothing.
    virtual std::vector<Event> appendToHall(const std::function<std::vector<NewEvent>(HallReader&)>& plan)
        = 0;
    // The same on this node's own copy of the hall, for what nobody else can claim (a
    // walk-in served at one's own window) while the shared hall does not answer. A store
    // that is the shared hall itself has no other copy.
    virtual std::vector<Event> appendLocally(const std::function<std::vector<NewEvent>(HallReader&)>& plan)
    {
        return appendToHall(plan);
    }
    virtual std::optional<Ticket> findTicket(const std::string& id) const = 0;
    // Every ticket of a day, in issue order.
    virtual std::vector<Ticket> hallTickets(Date day) const = 0;
};

class CaseNumberSource {
public:
    virtual ~CaseNumberSource() = default;
    virtual CaseNumber nextCaseNumber(Date date) = 0;
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual Date today() const = 0;
};

// The day in China Standard Time (UTC+8, no daylight saving) of a moment, as case numbers
// and deadlines count it.
inline Date chinaDate(std::int64_t unixMs)
{
    return dateOfHlc(makeHlc(unixMs, 0));
}

// Today in China Standard Time by the system clock: the services' clock in the programs.
class SystemClock : public Clock {
public:
    Date today() const override { return chinaDate(systemPhysicalClock()()); }
};

} // namespace ow::model
