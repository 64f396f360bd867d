// In-memory implementations of the repository interfaces, for tests and demos. They
// follow the same contract as the database stores (gap-free sequences, hash chain,
// atomic batches, idempotent replication by event id).
#pragma once

#include "model/EvaluationService.h"
#include "model/HybridClock.h"
#include "model/Repositories.h"

#include <map>
#include <mutex>
#include <set>

namespace ow::model {

class InMemoryEventStore : public EventStore {
public:
    InMemoryEventStore(std::string origin, PhysicalClock physical);

    std::vector<Event> append(const std::vector<NewEvent>& events) override;
    std::vector<Event> caseEvents(const std::string& caseNumber) const override;
    std::optional<CaseState> findCase(const std::string& caseNumber) const override;
    std::string origin() const override { return m_origin; }

    // Stores events written elsewhere (replication): idempotent by id, returns how many
    // were applied. Throws "event.invalid" for an event whose hash does not verify and
    // "event.id_collision" for a different event under an id already stored (nothing of
    // the batch is stored then). Events whose clock is too far ahead are held.
    std::size_t receive(const std::vector<Event>& events);
    std::vector<Event> heldEvents() const;
    // Offers the held events again (e.g. after the wall clock caught up).
    std::size_t releaseHeld();
    std::vector<Event> allEvents() const; // arrival order
    std::vector<std::string> caseNumbers() const;
    const HybridClock& clock() const { return m_clock; }

private:
    void reproject(const std::string& caseNumber);

    std::string m_origin;
    HybridClock m_clock;
    mutable std::mutex m_mutex;
    std::vector<Event> m_events;
    std::vector<Event> m_held;
    std::map<std::string, std::size_t> m_byId;
    std::map<std::string, std::vector<std::size_t>> m_byCase;
    std::map<std::string, CaseState> m_projection;
    std::int64_t m_lastSeq = 0;
    std::string m_lastHash;
};

// The hall over an in-memory event store: one mutex is the hall's lock.
class InMemoryHallStore : public HallStore {
public:
    explicit InMemoryHallStore(InMemoryEventStore& events)
        : m_events(events)
    {
    }
    std::vector<Event> appendToHall(const std::function<std::vector<NewEvent>(HallReader&)>& plan) override;
    std::optional<Ticket> findTicket(const std::string& id) const override;
    std::vector<Ticket> hallTickets(Date day) const override;

private:
    InMemoryEventStore& m_events;
    mutable std::mutex m_mutex;
    std::map<std::string, Ticket> m_tickets;
    std::vector<std::string> m_order; // issue order
};

// Ratings read from an in-memory event store: every rating, then its follow-ups, in
// arrival order, as the database's projection has them.
class InMemoryEvaluations : public EvaluationRepository {
public:
    explicit InMemoryEvaluations(const InMemoryEventStore& events)
        : m_events(events)
    {
    }
    std::optional<Evaluation> findEvaluation(const std::string& id) const override;
    std::optional<Evaluation> evaluationOfTicket(const std::string& ticket) const override;
    std::vector<Evaluation> openFollowUps() const override;
    std::vector<Evaluation> evaluationsBetween(Date from, Date to) const override;

private:
    std::vector<Evaluation> all() const;
    const InMemoryEventStore& m_events;
};

class InMemoryStaffDirectory : public StaffDirectory {
public:
    void put(Staff staff) { m_staff[staff.id] = std::move(staff); }
    std::optional<Staff> findStaff(const std::string& id) const override;

private:
    std::map<std::string, Staff> m_staff;
};

// Hands out numbers from an allocator that is topped up with blocks on demand, as a
// workstation does while online.
class InMemoryCaseNumberSource : public CaseNumberSource {
public:
    InMemoryCaseNumberSource(std::string centre, std::string workstation, std::int64_t blockSize = 100);
    CaseNumber nextCaseNumber(Date date) override;
    void setOnline(bool online) { m_online = online; }

private:
    CaseNumberAllocator m_allocator;
    std::string m_centre;
    std::int64_t m_blockSize;
    std::map<std::int64_t, std::int64_t> m_nextByDay; // the "shared" counter per day
    bool m_online = true;
};

class FixedClock : public Clock {
public:
    explicit FixedClock(Date today)
        : m_today(today)
    {
    }
    Date today() const override { return m_today; }
    void set(Date d) { m_today = d; }
    void advance(int days) { m_today = m_today.addDays(days); }

private:
    Date m_today;
};

} // namespace ow::model
