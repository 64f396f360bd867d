// The event store over SOCI: SQLite (embedded) or PostgreSQL (a centre's shared
// database), one schema, versioned migrations. Events are appended atomically with the
// projections (case list, search terms, work lists, staff, catalogue) in the same
// transaction. This header is SOCI-free so that programs outside db/ can use it.
#pragma once

#include "model/Catalogue.h"
#include "model/CentreSetup.h"
#include "model/EvaluationService.h"
#include "model/HybridClock.h"
#include "model/Kpi.h"
#include "model/Repositories.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::db {

enum class Backend { Sqlite, Postgres };

struct ConnectionInfo {
    Backend backend = Backend::Sqlite;
    std::string parameters; // what follows "scheme://", handed to the SOCI backend
    std::string original;

    // "sqlite3://db=/path/file.db" or "postgresql://host=… port=… dbname=… user=…".
    // Throws DomainError "db.connection_string" (facts reason, value).
    static ConnectionInfo parse(const std::string& connectionString);
    std::string sqlitePath() const; // the db= value, for SQLite
    // The string with any password=… value replaced, safe for logs and messages.
    std::string redacted() const;
};

// This user's OneWindow data: $XDG_DATA_HOME/onewindow (~/.local/share/onewindow).
std::string dataFolder();
// The embedded default: onewindow.db in dataFolder().
std::string defaultConnectionString();

// The schema version this binary writes; older databases are migrated on open.
int currentSchemaVersion();

struct CaseSummary {
    std::string number;
    std::string status;
    std::string applicantName;
    std::string maskedId;
    std::string maskedPhone;
    std::string assignee;
    std::string openedOn;
    std::string acceptedOn;
    std::string deadline; // promised deadline, "" before acceptance or while open-ended
    bool inConflict = false;
};

struct Change {
    std::int64_t arrival = 0; // this store's commit-ordered arrival number
    model::Event event;
    // The event's canonical document text when it is at hand (read from a store, or made
    // while its hash was checked on arrival), so that storing or sending it again needs no
    // second serialisation; "" when not.
    std::string doc;
    // `doc` was made while the event's hash and _rev were checked (not merely read back).
    bool docChecked = false;
};

// A change as a peer reads it: the stored document text as it is, without parsing it.
struct RawChange {
    std::int64_t arrival = 0;
    std::string id;
    std::string rev;
    std::string doc; // the canonical document text (empty when not asked for)
};

// The "_rev" of a stored document's text, read without parsing it (its keys are sorted, so
// "_rev" comes second, ahead of anything a body could hold); "" when it has none.
std::string documentRevision(const std::string& doc);

struct VerifyProblem {
    std::string kind; // "hash_mismatch", "chain_broken", "sequence_gap", "projection_mismatch", …
    std::string subject; // event id or case number
    std::string detail;
};

struct VerifyReport {
    std::int64_t events = 0;
    std::int64_t origins = 0;
    std::int64_t cases = 0;
    std::vector<VerifyProblem> problems;
    bool ok() const { return problems.empty(); }
};

// A received event stored but not applied: its predecessor in its origin's chain has
// not arrived (or does not match), or its clock is too far ahead of ours.
struct HeldEvent {
    std::string id;
    std::string reason; // "missing_predecessor", "chain_mismatch", "clock_ahead"
};

// An event Store::receive left out of its batch, when asked to report such events instead
// of failing the whole batch.
struct RefusedEvent {
    std::string id;
    // "id_collision": a different event with this id is stored or held here;
    // "own_origin": an event of this store's own origin that it never wrote.
    std::string reason;
};

struct StaffRecord {
    model::Staff staff;
    std::string passwordHash;
};

struct OpenOptions {
    bool create = true; // create the file / schema when missing
    bool migrate = true; // migrate an older schema; else refuse it
    int targetVersion = 0; // 0: current; tests open at an older version to test migrations
    model::PhysicalClock clock; // empty: the system clock
    // SQLite: the write-ahead log is copied into the database file once a commit leaves it
    // this many pages long; 0 keeps SQLite's 1,000 (4 MB). A node storing batches of
    // thousands of events sets more: fewer, larger checkpoints, each writing a page that
    // several batches changed once, and a WAL file that grows that long between them.
    int walCheckpointPages = 0;
};

class Store : public model::EventStore,
              public model::StaffDirectory,
              public model::HallStore,
              public model::EvaluationRepository {
public:
    // Throws DomainError: "db.connection_string", "db.unreachable" (facts backend, reason),
    // "db.not_utf8" (facts encoding), "db.schema_too_new" (facts database, binary),
    // "db.schema_too_old", "db.open_failed".
    static std::unique_ptr<Store> open(const std::string& connectionString, const OpenOptions& options = {});
    ~Store() override;

    Backend backend() const;
    int schemaVersion() const;
    // Sets the centre code of a fresh database (init). Throws "db.already_initialised"
    // when a different centre is set.
    void initialise(const std::string& centre);
    std::string centre() const; // "" until initialised

    // model::EventStore
    std::vector<model::Event> append(const std::vector<model::NewEvent>& events) override;
    std::vector<model::Event> caseEvents(const std::string& caseNumber) const override;
    std::optional<model::CaseState> findCase(const std::string& caseNumber) const override;
    std::string origin() const override;

    // Events written elsewhere: one transaction, idempotent by id, returns how many were
    // applied. Each origin's events apply in sequence; one whose predecessor is missing or
    // does not chain, or whose clock is too far ahead, is held (stored, reported by
    // heldEvents(), applied as soon as it can be) and never blocks other origins.
    // Throws "event.invalid" (hash) or "event.id_collision"; nothing is stored then.
    std::size_t receive(std::vector<model::Event> events);
    // The same with each event's canonical document text (docs[i] for events[i], as
    // Event::fromDocument gives it with the hash and _rev checked): stored as given. With
    // `refused`, an event that collides with a stored or held one, or that claims this
    // store's own origin without being held here, is left out and reported there while the
    // rest are stored; without it the first collision throws. A held event that does not
    // chain onto its origin's stored events gives way to one under its id that does.
    std::size_t receive(std::vector<model::Event> events, std::vector<std::string> docs,
        std::vector<RefusedEvent>* refused = nullptr);
    std::vector<HeldEvent> heldEvents() const;
    // Everything that arrived after `cursor`, in arrival (commit) order.
    std::vector<Change> changesSince(std::int64_t cursor, std::size_t limit) const;
    // The same changes for sending on as they are: each event holds only its origin and
    // sequence number (its id), read from their columns, and `doc` the stored text; no
    // document is parsed.
    std::vector<Change> documentsSince(std::int64_t cursor, std::size_t limit) const;
    // The same, for serving peers: ids, revisions and (with `withDocs`) the stored text.
    std::vector<RawChange> rawChangesSince(std::int64_t cursor, std::size_t limit, bool withDocs) const;
    // The stored document text of each of these ids that is here (absent ones left out).
    std::map<std::string, std::string> documents(const std::vector<std::string>& ids) const;
    // Stored documents in id order, starting after `afterId` ("" from the first).
    std::vector<RawChange> documentsInIdOrder(
        const std::string& afterId, std::size_t limit, bool withDocs) const;
    // The hash of each of these event ids that is stored here (held ones left out).
    std::map<std::string, std::string> storedHashes(const std::vector<std::string>& ids) const;
    std::int64_t lastArrival() const;
    // How many of this store's own events (its origin) arrived after `cursor`.
    std::int64_t countOwnSince(std::int64_t cursor) const;
    // Which of these event ids this store does not hold (order kept).
    std::vector<std::string> lacking(const std::vector<std::string>& ids) const;
    // Small named values of this database, e.g. replication checkpoints per peer.
    std::optional<std::string> setting(const std::string& key) const;
    void setSetting(const std::string& key, const std::string& value);
    std::int64_t eventCount() const;

    std::vector<CaseSummary> listCases(
        const std::string& status, std::size_t limit, std::size_t offset = 0) const;
    std::int64_t countCases(const std::string& status) const;
    // Exact ID number, phone or case number; prefix of a name. Up to `limit` rows.
    std::vector<CaseSummary> search(const std::string& text, std::size_t limit = 50) const;
    // Cases assigned to `staff` that are not finished, earliest deadline first.
    std::vector<CaseSummary> workList(const std::string& staff, std::size_t limit = 200) const;

    // Unfinished, running (not suspended) cases whose promised deadline is on or before
    // `until` (ISO date): the overdue and those at risk, earliest first.
    std::vector<CaseSummary> deadlineList(const std::string& until, std::size_t limit = 500) const;
    // Cases holding a conflict a person has to resolve.
    std::vector<CaseSummary> conflicts(std::size_t limit = 500) const;

    std::string stateHash() const;
    VerifyReport verify() const;
    // Drops and rebuilds every projection from the events, in one transaction.
    void rebuildProjections();

    // Reference data, replicated as events (catalogue.*, staff.*).
    model::Catalogue catalogue() const;
    // Writes one event per new or changed matter and bundle; returns how many (0: unchanged).
    std::size_t putCatalogue(const model::Catalogue& catalogue, const std::string& actor);
    // Queue categories and windows (centre.* events); returns how many were new or changed.
    std::size_t putCentreSetup(const std::vector<model::QueueCategory>& categories,
        const std::vector<model::ServiceWindow>& windows, const std::string& actor);
    std::vector<model::QueueCategory> categories() const;
    std::vector<model::ServiceWindow> windows() const;
    void putStaff(const model::Staff& staff, const std::string& passwordHash, const std::string& actor);
    void setPassword(const std::string& staffId, const std::string& passwordHash, const std::string& actor);
    std::vector<StaffRecord> listStaff() const;
    std::optional<model::Staff> findStaff(const std::string& id) const override;
    // Checks a login; returns the staff member or nothing (unknown, inactive, wrong password).
    std::optional<model::Staff> authenticate(const std::string& id, const std::string& password) const;

    // model::HallStore: ticket changes one at a time across every connection (a row lock
    // on PostgreSQL, the write lock on SQLite), appended like any other event.
    std::vector<model::Event> appendToHall(
        const std::function<std::vector<model::NewEvent>(model::HallReader&)>& plan) override;
    std::optional<model::Ticket> findTicket(const std::string& id) const override;
    std::vector<model::Ticket> hallTickets(model::Date day) const override;
    // model::EvaluationRepository: the ratings (好差评) with their follow-up.
    std::optional<model::Evaluation> findEvaluation(const std::string& id) const override;
    std::optional<model::Evaluation> evaluationOfTicket(const std::string& ticket) const override;
    std::vector<model::Evaluation> openFollowUps() const override;
    std::vector<model::Evaluation> evaluationsBetween(model::Date from, model::Date to) const override;

    // Tickets issued on days from `from` to `to` (inclusive), for the reports.
    std::vector<model::Ticket> ticketsBetween(model::Date from, model::Date to) const;

    // The facts the reports count (model/Kpi.h), read from columns only, never from JSON.
    // Tickets issued on days from `from` to `to`, each with the departments of its case
    // (looked up only when `withDepartments`: a report without a department needs none).
    std::vector<model::TicketFact> ticketFactsBetween(
        model::Date from, model::Date to, bool withDepartments = true) const;
    // The cases a report of those days counts: accepted on or before `to` and not
    // concluded before `from` (accepted or concluded in the range, or running on `to`).
    std::vector<model::CaseFact> caseFactsBetween(model::Date from, model::Date to) const;
    // Ratings given on days from `from` to `to`, each with the departments of its case (when
    // `withDepartments`). The follow-up is read (from the rating's JSON) for the bad ratings
    // only: nothing else has one.
    std::vector<model::RatingFact> ratingFactsBetween(
        model::Date from, model::Date to, bool withDepartments = true) const;
    // One case's projected facts; nothing when the case is not listed.
    std::optional<model::CaseFact> caseFacts(const std::string& caseNumber) const;

    // Reserves `size` case-number sequences for a centre and day on this database.
    model::CaseNumberBlock reserveCaseNumbers(const std::string& centre, model::Date day, std::int64_t size);

    struct Impl;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Case numbers drawn from blocks reserved on a Store (topped up as they run out).
class StoreCaseNumberSource : public model::CaseNumberSource {
public:
    StoreCaseNumberSource(
        Store& store, std::string centre, std::string workstation, std::int64_t blockSize = 50);
    model::CaseNumber nextCaseNumber(model::Date date) override;

private:
    Store& m_store;
    model::CaseNumberAllocator m_allocator;
    std::string m_centre;
    std::int64_t m_blockSize;
};

} // namespace ow::db
