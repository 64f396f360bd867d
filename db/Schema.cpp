#include "db/Schema.h"

namespace ow::db {

namespace {

// Version 1 for either backend. `bytewise` is the collation clause that makes text
// compare byte by byte: PostgreSQL needs COLLATE "C", SQLite's BINARY default already is.
// Prefix ranges then work for Chinese names, CJK Extension-B included, and both backends
// sort alike.
std::vector<std::string> version1(const std::string& bytewise)
{
    return {
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        "INSERT INTO counters (name, value) VALUES ('arrival', 0)",
        "CREATE TABLE origins (origin TEXT PRIMARY KEY, last_seq BIGINT NOT NULL, last_hash TEXT NOT NULL)",
        "CREATE TABLE events (arrival BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, origin TEXT NOT NULL,"
        " seq BIGINT NOT NULL, hlc BIGINT NOT NULL, type TEXT NOT NULL, case_number TEXT NOT NULL,"
        " actor TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (origin, "
        "seq))",
        "CREATE INDEX events_case ON events (case_number, arrival)",
        "CREATE TABLE cases (number TEXT" + bytewise
            + " PRIMARY KEY, status TEXT NOT NULL, centre TEXT NOT NULL, current_centre TEXT NOT NULL,"
              " applicant_name TEXT NOT NULL, masked_id TEXT NOT NULL, masked_phone TEXT NOT NULL,"
              " assignee TEXT NOT NULL, opened_on TEXT NOT NULL, accepted_on TEXT NOT NULL, deadline TEXT"
            + bytewise + " NOT NULL, in_conflict INTEGER NOT NULL, state TEXT NOT NULL)",
        "CREATE INDEX cases_status ON cases (status, number)",
        "CREATE INDEX cases_assignee ON cases (assignee, deadline)",
        "CREATE TABLE search_terms (kind TEXT NOT NULL, term TEXT" + bytewise + " NOT NULL, case_number TEXT"
            + bytewise + " NOT NULL, PRIMARY KEY (kind, term, case_number))",
        "CREATE INDEX search_terms_case ON search_terms (case_number)",
        "CREATE TABLE staff (id TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL, centre TEXT NOT "
        "NULL,"
        " active INTEGER NOT NULL, password_hash TEXT NOT NULL, version_key TEXT NOT NULL)",
        "CREATE TABLE catalogue_items (kind TEXT NOT NULL, code TEXT NOT NULL, doc TEXT NOT NULL,"
        " version_key TEXT NOT NULL, PRIMARY KEY (kind, code))",
    };
}

const std::vector<std::string> kVersion2 = {
    "CREATE TABLE case_number_days (centre TEXT NOT NULL, day TEXT NOT NULL, next BIGINT NOT NULL,"
    " PRIMARY KEY (centre, day))",
};

const std::vector<std::string> kVersion3 = {
    "CREATE TABLE held_events (id TEXT PRIMARY KEY, origin TEXT NOT NULL, seq BIGINT NOT NULL,"
    " reason TEXT NOT NULL, doc TEXT NOT NULL)",
};

// The hall's tickets as projected from ticket.* events (columns for the floor view and
// the reports, the whole ticket in `state`), the row whose lock serialises every ticket
// change of the centre, and the ratings (好差评) with the state of their follow-up.
const std::vector<std::string> kVersion4 = {
    "CREATE TABLE tickets (id TEXT PRIMARY KEY, day TEXT NOT NULL, category TEXT NOT NULL,"
    " issued_category TEXT NOT NULL, number INTEGER NOT NULL, status TEXT NOT NULL, priority TEXT NOT NULL,"
    " service_window TEXT NOT NULL, staff TEXT NOT NULL, target_window TEXT NOT NULL,"
    " target_staff TEXT NOT NULL, case_number TEXT NOT NULL, walk_in INTEGER NOT NULL,"
    " issued_at BIGINT NOT NULL, queued_at BIGINT NOT NULL, first_called_at BIGINT NOT NULL,"
    " ended_at BIGINT NOT NULL, waiting_ms BIGINT NOT NULL, serving_ms BIGINT NOT NULL, state TEXT NOT NULL)",
    "CREATE INDEX tickets_day ON tickets (day, status)",
    "CREATE INDEX tickets_number ON tickets (day, issued_category, number)",
    "INSERT INTO counters (name, value) VALUES ('hall', 0)",
    "CREATE TABLE evaluations (id TEXT PRIMARY KEY, day TEXT NOT NULL, at_ms BIGINT NOT NULL,"
    " case_number TEXT NOT NULL, ticket TEXT NOT NULL, staff TEXT NOT NULL, service_window TEXT NOT NULL,"
    " level INTEGER NOT NULL, channel TEXT NOT NULL, follow_up_open INTEGER NOT NULL,"
    " follow_up_due TEXT NOT NULL, state TEXT NOT NULL)",
    "CREATE INDEX evaluations_day ON evaluations (day)",
    "CREATE INDEX evaluations_ticket ON evaluations (ticket)",
    "CREATE INDEX evaluations_open ON evaluations (follow_up_open, follow_up_due)",
    // Follow-ups received before the rating they follow (another origin's batch came
    // first): kept here until the rating arrives, then applied in arrival order.
    "CREATE TABLE evaluation_orphans (event_id TEXT PRIMARY KEY, evaluation TEXT NOT NULL,"
    " arrival BIGINT NOT NULL)",
    // The facts of each case the reports (model/Kpi.h) count, in columns so that a year's
    // report never parses case JSON; written with the cases row. Departments and matter
    // codes are joined by a newline, which names never hold.
    "CREATE TABLE case_facts (number TEXT PRIMARY KEY, centre TEXT NOT NULL, status TEXT NOT NULL,"
    " outcome TEXT NOT NULL, departments TEXT NOT NULL, matters TEXT NOT NULL, accepted_on TEXT NOT NULL,"
    " concluded_on TEXT NOT NULL, deadline TEXT NOT NULL, statutory_days INTEGER NOT NULL,"
    " promised_days INTEGER NOT NULL, immediate INTEGER NOT NULL, visits INTEGER NOT NULL)",
    "CREATE INDEX case_facts_accepted ON case_facts (accepted_on)",
    "CREATE INDEX case_facts_concluded ON case_facts (concluded_on)",
};

// PostgreSQL: the role workstations log in under (DESIGN: "Workstations connect with a
// database role that may only insert and read events"): everything a workstation's push,
// its hall claims and its projections need, but never UPDATE, DELETE or TRUNCATE of an
// event, so that the model's role checks are not the only guard of the ledger. Login
// roles are made members by the centre's administrator:
//   CREATE ROLE w01 LOGIN PASSWORD '…' IN ROLE onewindow_workstation;
// The role is cluster-wide and may exist already (another centre database, or a database
// being set up at the same moment); a migrating user who may not create roles or grant
// leaves it to the administrator, with a notice. A migration that adds a table grants it
// the same way.
const std::string kWorkstationRole = R"(DO $grants$
BEGIN
  BEGIN
    CREATE ROLE onewindow_workstation NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO onewindow_workstation', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO onewindow_workstation',
    current_schema());
  REVOKE UPDATE, DELETE, TRUNCATE ON events FROM onewindow_workstation;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'the role onewindow_workstation was not set up (%); an administrator grants it', SQLERRM;
END
$grants$)";

} // namespace

const std::vector<Migration>& migrations()
{
    // Never edit a released migration: add a new one.
    static const std::vector<Migration> list = {
        {1, "events, origins, counters, projections, staff, catalogue", version1(""),
            version1(" COLLATE \"C\"")},
        {2, "case-number blocks reserved per centre and day", kVersion2, kVersion2},
        {3, "received events held until their predecessor arrives", kVersion3, kVersion3},
        {4, "the hall's tickets, the ratings of services and the facts of cases for the reports", kVersion4,
            kVersion4},
        {5, "the workstations' database role: insert and read events, never change them", {},
            {kWorkstationRole}},
    };
    return list;
}

int currentSchemaVersion()
{
    return migrations().back().version;
}

const std::vector<IndexDefinition>& projectionIndexes()
{
    static const std::vector<IndexDefinition> list = {
        {"cases_status", "CREATE INDEX cases_status ON cases (status, number)"},
        {"cases_assignee", "CREATE INDEX cases_assignee ON cases (assignee, deadline)"},
        {"search_terms_case", "CREATE INDEX search_terms_case ON search_terms (case_number)"},
        {"tickets_day", "CREATE INDEX tickets_day ON tickets (day, status)"},
        {"tickets_number", "CREATE INDEX tickets_number ON tickets (day, issued_category, number)"},
        {"evaluations_day", "CREATE INDEX evaluations_day ON evaluations (day)"},
        {"evaluations_ticket", "CREATE INDEX evaluations_ticket ON evaluations (ticket)"},
        {"evaluations_open", "CREATE INDEX evaluations_open ON evaluations (follow_up_open, follow_up_due)"},
        {"case_facts_accepted", "CREATE INDEX case_facts_accepted ON case_facts (accepted_on)"},
        {"case_facts_concluded", "CREATE INDEX case_facts_concluded ON case_facts (concluded_on)"},
    };
    return list;
}

} // namespace ow::db
