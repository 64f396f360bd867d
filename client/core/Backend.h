// The data side of the client, built by the composition root: the shared database (an
// embedded SQLite file or the centre's PostgreSQL), and for a shared PostgreSQL the
// workstation replica every event goes through first (sync::ReplicaWriter). It logs the
// user in and hands out the model services bound to that user. Not thread-safe: it
// lives on the client's worker thread (Worker.h) and only jobs there touch it.
#pragma once

#include "model/CaseState.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/EvaluationService.h"
#include "model/HolidayCalendar.h"
#include "model/IntakeService.h"
#include "model/Permissions.h"
#include "model/QueueService.h"

#include "db/Store.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::sync {
class ReplicaWriter;
class ReplicaCaseNumberSource;
class ReplicaLink;
} // namespace ow::sync

namespace ow::client {

struct ConnectionSettings {
    std::string database; // connection string; empty: the embedded default
    // The workstation replica for a shared PostgreSQL; empty: derived from the user's
    // data folder. Unused for an embedded database, which is local already.
    std::string replica;
    std::string workstation = "W01"; // names offline fallback case numbers
    // Working days a bad rating's follow-up may take (the centre's rule; default 5).
    int followUpDays = 5;
    // Milliseconds between the replica link's round trips to the shared database (each
    // pushes what is pending, brings down what is new and tells whether it answers).
    int linkIntervalMs = 1000;
};

// What the status bar shows.
struct BackendStatus {
    bool open = false;
    bool online = false; // the shared database answers
    bool throughReplica = false;
    std::int64_t since = 0; // unix ms since which it has (or has not) answered
    std::int64_t pending = 0; // replica events not yet acknowledged
    std::int64_t held = 0;
    std::int64_t sent = 0; // events pushed up since the client started
    std::int64_t received = 0; // events brought down since the client started
    std::string database; // redacted connection string
    std::string lastError;
};

class Backend {
public:
    explicit Backend(ConnectionSettings settings);
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    // Opens (and for a fresh embedded file creates) the databases. Throws DomainError
    // db.* with the reason; nothing stays half open.
    void open();
    bool isOpen() const { return m_shared != nullptr || m_replica != nullptr; }
    // For the public devices (the evaluator facing the applicant, the hall display): the
    // services without a logged-in user; what they may do needs no staff permission.
    void startDevice() { bindServices(); }
    // Checks the account against the stored hash. Throws DomainError "login.failed"
    // (unknown user, wrong password or disabled account: one answer for all three).
    model::Staff login(const std::string& user, const std::string& password);
    const model::Staff& user() const { return m_user; }
    std::string centre() const;
    const model::Catalogue& catalogue() const { return m_catalogue; }
    const model::HolidayCalendar& calendar() const { return m_calendar; }
    bool may(model::Action action) const;
    // The workstation code, which is also the window recorded on the cases it opens.
    const std::string& workstation() const { return m_settings.workstation; }

    model::IntakeService& intake() { return *m_intake; }
    model::CaseWorkService& work() { return *m_work; }
    // The hall's queue. Its changes go straight to the shared database; while that does
    // not answer they are refused with DomainError "queue.offline".
    model::QueueService& queue() { return *m_queue; }
    // Ratings (好差评): the evaluator's and the queue manager's side.
    model::EvaluationService& evaluations() { return *m_evaluations; }
    std::vector<model::Evaluation> openFollowUps() const;
    // The KPI report (model/Kpi.h, docs/KPIS.md) for a range of days, a centre and a
    // department, from the store the client reads.
    model::KpiReport kpiReport(const model::KpiQuery& query) const;
    // The rating given for a ticket, if any.
    std::optional<model::Evaluation> ratingOfTicket(const std::string& ticket) const;
    // Today's tickets, from the shared database while it answers (else the replica's
    // last copy). Works before login (the hall display).
    std::vector<model::Ticket> hallToday() const;
    std::vector<model::ServiceWindow> windows() const;
    std::vector<model::QueueCategory> categories() const;

    std::optional<model::CaseState> findCase(const std::string& number) const;
    std::vector<model::Event> caseEvents(const std::string& number) const;
    std::vector<db::CaseSummary> workList(std::size_t limit = 500) const;
    std::vector<db::CaseSummary> search(const std::string& text, std::size_t limit = 200) const;
    std::vector<db::CaseSummary> listCases(
        const std::string& status, std::size_t limit, std::size_t offset) const;
    std::int64_t countCases(const std::string& status) const;
    // Running cases due on or before `until` (overdue ones first), for the floor console.
    std::vector<db::CaseSummary> casesDueBy(model::Date until, std::size_t limit = 500) const;
    std::vector<db::CaseSummary> conflicts(std::size_t limit = 500) const;
    std::optional<model::Staff> findStaff(const std::string& id) const;
    // Every staff account (without password hashes), for names and pickers.
    std::vector<model::Staff> staffList() const;
    // Today in China Standard Time, the date the services stamp on what they write.
    model::Date today() const;
    // Changes whenever events arrive in the store the client reads: poll it to refresh.
    // Catalogue changes come as events too: the catalogue is read again when it moves.
    std::int64_t changeMarker();
    // Asks the replica link for a round trip now (pending events up, new ones down).
    void syncNow();
    BackendStatus status() const;

    // The only members that may be called from any thread, once open() has returned: the
    // link's state without touching a store (held events are not counted), and a
    // listener the link calls on its own thread whenever that state changes visibly.
    BackendStatus linkStatus() const;
    void setLinkListener(std::function<void()> listener);

private:
    // Runs `work` on the shared store while it answers and nothing is pending (the
    // replica holds everything the shared store has plus what is pending); else, and
    // when the shared store fails during the call, on the replica.
    void visit(const std::function<void(db::Store&)>& work) const;
    template<class F> auto read(F work) const -> decltype(work(std::declval<db::Store&>()));
    db::Store& sharedConnection();
    void bindServices();

    ConnectionSettings m_settings;
    std::unique_ptr<db::Store> m_shared;
    std::unique_ptr<db::Store> m_replica;
    std::unique_ptr<sync::ReplicaWriter> m_writer;
    std::unique_ptr<model::CaseNumberSource> m_numbers;
    model::Catalogue m_catalogue;
    model::HolidayCalendar m_calendar;
    model::Staff m_user;
    std::unique_ptr<model::Clock> m_clock;
    std::unique_ptr<model::ServiceContext> m_context;
    std::unique_ptr<model::IntakeService> m_intake;
    std::unique_ptr<model::CaseWorkService> m_work;
    std::unique_ptr<model::HallStore> m_hall;
    std::unique_ptr<model::QueueService> m_queue;
    std::unique_ptr<model::EvaluationRepository> m_ratings;
    std::unique_ptr<model::EvaluationService> m_evaluations;
    std::string m_centre;
    std::string m_lastError;
    std::int64_t m_marker = -1; // the last change marker handed out
    std::uint64_t m_sharedGeneration = 0; // the link's reconnections when m_shared was opened
    std::unique_ptr<sync::ReplicaLink> m_link; // last: stopped first
};

// The replica file for a shared database: $XDG_DATA_HOME/onewindow/replica-<hash>.db,
// one per shared database so that switching centres never mixes them.
std::string defaultReplicaFor(const std::string& sharedConnection);

} // namespace ow::client
