#include "model/InMemoryRepositories.h"

#include "model/Error.h"

#include <algorithm>

namespace ow::model {

InMemoryEventStore::InMemoryEventStore(std::string origin, PhysicalClock physical)
    : m_origin(std::move(origin))
    , m_clock(std::move(physical))
{
    if (!isValidOrigin(m_origin))
        throw DomainError("event.origin_invalid", {{"origin", m_origin}});
}

std::vector<Event> InMemoryEventStore::append(const std::vector<NewEvent>& events)
{
    std::lock_guard lock(m_mutex);
    // Build the whole batch first so that a failure leaves nothing behind.
    std::vector<Event> batch;
    std::int64_t seq = m_lastSeq;
    std::string prev = m_lastHash;
    for (const auto& n : events) {
        if (n.type.empty())
            throw DomainError("event.invalid", {{"field", "type"}, {"reason", "empty"}});
        Event e;
        e.origin = m_origin;
        e.seq = ++seq;
        e.hlc = m_clock.tick();
        e.type = n.type;
        e.caseNumber = n.caseNumber;
        e.actor = n.actor;
        e.heads = n.heads;
        e.prev = prev;
        e.body = n.body;
        e.seal();
        prev = e.hash;
        batch.push_back(std::move(e));
    }
    for (const auto& e : batch) {
        m_byId[e.id()] = m_events.size();
        if (!e.caseNumber.empty())
            m_byCase[e.caseNumber].push_back(m_events.size());
        m_events.push_back(e);
    }
    m_lastSeq = seq;
    m_lastHash = prev;
    std::set<std::string> touched;
    for (const auto& e : batch)
        if (!e.caseNumber.empty())
            touched.insert(e.caseNumber);
    for (const auto& c : touched)
        reproject(c);
    return batch;
}

std::size_t InMemoryEventStore::receive(const std::vector<Event>& events)
{
    std::lock_guard lock(m_mutex);
    for (const auto& e : events)
        if (!e.hashValid())
            throw DomainError("event.invalid", {{"field", "hash"}, {"reason", "mismatch"}, {"id", e.id()}});
    for (const auto& e : events)
        if (auto it = m_byId.find(e.id()); it != m_byId.end() && m_events[it->second].hash != e.hash)
            throw DomainError("event.id_collision", {{"id", e.id()}});
    std::size_t added = 0;
    std::set<std::string> touched;
    for (const auto& e : events) {
        if (m_byId.count(e.id()))
            continue;
        // A clock too far ahead would drag ours into the future: hold the event instead.
        if (m_clock.tooFarAhead(e.hlc, HybridClock::defaultMaxSkewMs)) {
            bool already
                = std::any_of(m_held.begin(), m_held.end(), [&](const Event& h) { return h.id() == e.id(); });
            if (!already)
                m_held.push_back(e);
            continue;
        }
        m_clock.observe(e.hlc);
        m_byId[e.id()] = m_events.size();
        if (!e.caseNumber.empty()) {
            m_byCase[e.caseNumber].push_back(m_events.size());
            touched.insert(e.caseNumber);
        }
        m_events.push_back(e);
        ++added;
    }
    for (const auto& c : touched)
        reproject(c);
    return added;
}

void InMemoryEventStore::reproject(const std::string& caseNumber)
{
    std::vector<Event> evs;
    for (auto i : m_byCase[caseNumber])
        evs.push_back(m_events[i]);
    m_projection[caseNumber] = foldCase(std::move(evs));
}

std::vector<Event> InMemoryEventStore::caseEvents(const std::string& caseNumber) const
{
    std::lock_guard lock(m_mutex);
    std::vector<Event> out;
    auto it = m_byCase.find(caseNumber);
    if (it != m_byCase.end())
        for (auto i : it->second)
            out.push_back(m_events[i]);
    return out;
}

std::optional<CaseState> InMemoryEventStore::findCase(const std::string& caseNumber) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_projection.find(caseNumber);
    if (it == m_projection.end())
        return std::nullopt;
    return it->second;
}

std::vector<Event> InMemoryEventStore::heldEvents() const
{
    std::lock_guard lock(m_mutex);
    return m_held;
}

std::size_t InMemoryEventStore::releaseHeld()
{
    std::vector<Event> held;
    {
        std::lock_guard lock(m_mutex);
        held.swap(m_held);
    }
    return receive(held);
}

std::vector<Event> InMemoryEventStore::allEvents() const
{
    std::lock_guard lock(m_mutex);
    return m_events;
}

std::vector<std::string> InMemoryEventStore::caseNumbers() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [number, state] : m_projection)
        out.push_back(number);
    return out;
}

std::optional<Staff> InMemoryStaffDirectory::findStaff(const std::string& id) const
{
    auto it = m_staff.find(id);
    if (it == m_staff.end())
        return std::nullopt;
    return it->second;
}

namespace {

class MapHallReader : public HallReader {
public:
    explicit MapHallReader(const std::map<std::string, Ticket>& tickets)
        : m_tickets(tickets)
    {
    }
    std::optional<Ticket> ticket(const std::string& id) override
    {
        auto it = m_tickets.find(id);
        return it == m_tickets.end() ? std::nullopt : std::optional<Ticket>(it->second);
    }
    std::vector<Ticket> unfinished(Date day) override
    {
        std::vector<Ticket> out;
        for (const auto& [id, t] : m_tickets)
            if (t.day == day && !isFinished(t.status))
                out.push_back(t);
        return out;
    }
    int lastNumber(Date day, const std::string& category) override
    {
        int last = 0;
        for (const auto& [id, t] : m_tickets)
            if (t.day == day && t.issuedCategory == category)
                last = std::max(last, t.number);
        return last;
    }

private:
    const std::map<std::string, Ticket>& m_tickets;
};

} // namespace

std::vector<Event> InMemoryHallStore::appendToHall(
    const std::function<std::vector<NewEvent>(HallReader&)>& plan)
{
    std::lock_guard lock(m_mutex);
    MapHallReader reader(m_tickets);
    std::vector<NewEvent> planned = plan(reader);
    if (planned.empty())
        return {};
    std::vector<Event> stored = m_events.append(planned);
    for (const auto& e : stored) {
        const std::string id = e.body.getString("ticket");
        auto it = m_tickets.find(id);
        if (it == m_tickets.end()) {
            if (e.type != TicketEvent::Issued)
                continue;
            m_tickets.emplace(id, ticketFromIssued(e));
            m_order.push_back(id);
        } else {
            it->second = applyTicketEvent(std::move(it->second), e);
        }
    }
    return stored;
}

std::optional<Ticket> InMemoryHallStore::findTicket(const std::string& id) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_tickets.find(id);
    return it == m_tickets.end() ? std::nullopt : std::optional<Ticket>(it->second);
}

std::vector<Ticket> InMemoryHallStore::hallTickets(Date day) const
{
    std::lock_guard lock(m_mutex);
    std::vector<Ticket> out;
    for (const auto& id : m_order)
        if (const Ticket& t = m_tickets.at(id); t.day == day)
            out.push_back(t);
    return out;
}

std::vector<Evaluation> InMemoryEvaluations::all() const
{
    std::vector<Evaluation> out;
    std::map<std::string, std::size_t> index;
    const std::vector<Event> events = m_events.allEvents();
    for (const auto& e : events)
        if (isEvaluationEvent(e)) {
            index.emplace(e.id(), out.size());
            out.push_back(evaluationFromEvent(e));
        }
    for (const auto& e : events)
        if (e.type == EvaluationEvent::FollowUp)
            if (auto it = index.find(e.body.getString("evaluation")); it != index.end())
                out[it->second] = applyFollowUp(std::move(out[it->second]), e);
    return out;
}

std::optional<Evaluation> InMemoryEvaluations::findEvaluation(const std::string& id) const
{
    for (auto& v : all())
        if (v.id == id)
            return v;
    return std::nullopt;
}

std::optional<Evaluation> InMemoryEvaluations::evaluationOfTicket(const std::string& ticket) const
{
    if (ticket.empty())
        return std::nullopt;
    for (auto& v : all())
        if (v.ticket == ticket)
            return v;
    return std::nullopt;
}

std::vector<Evaluation> InMemoryEvaluations::openFollowUps() const
{
    std::vector<Evaluation> out;
    for (auto& v : all())
        if (v.followUpOpen())
            out.push_back(std::move(v));
    std::stable_sort(out.begin(), out.end(),
        [](const Evaluation& a, const Evaluation& b) { return a.followUpDue < b.followUpDue; });
    return out;
}

std::vector<Evaluation> InMemoryEvaluations::evaluationsBetween(Date from, Date to) const
{
    std::vector<Evaluation> out;
    for (auto& v : all())
        if (v.day >= from && v.day <= to)
            out.push_back(std::move(v));
    return out;
}

InMemoryCaseNumberSource::InMemoryCaseNumberSource(
    std::string centre, std::string workstation, std::int64_t blockSize)
    : m_allocator(centre, std::move(workstation))
    , m_centre(std::move(centre))
    , m_blockSize(blockSize)
{
}

CaseNumber InMemoryCaseNumberSource::nextCaseNumber(Date date)
{
    if (m_online && m_allocator.remaining(date) == 0) {
        std::int64_t& next = m_nextByDay[date.days()];
        if (next == 0)
            next = 1;
        m_allocator.addBlock({m_centre, date, next, next + m_blockSize - 1});
        next += m_blockSize;
    }
    return m_allocator.next(date);
}

} // namespace ow::model
