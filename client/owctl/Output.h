// What owctl prints: aligned tables that count CJK characters as two columns, and the
// JSON shapes of its results. Identity numbers only ever appear masked.
#pragma once

#include "model/CaseState.h"
#include "model/Json.h"

#include "db/Store.h"

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ow::owctl {

// Terminal columns of UTF-8 text: East Asian wide and full-width characters take two.
std::size_t displayWidth(std::string_view text);

class Table {
public:
    explicit Table(std::vector<std::string> header)
        : m_rows{std::move(header)}
    {
    }
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }
    std::size_t size() const { return m_rows.size() - 1; }
    void print(std::ostream& out) const;

private:
    std::vector<std::vector<std::string>> m_rows;
};

model::Json toJson(const db::CaseSummary& summary);
// The case's row in the store's case list; built from the state when the row is missing.
db::CaseSummary summaryOf(const db::Store& store, const model::CaseState& state);
void printSummaryTable(std::ostream& out, const std::vector<db::CaseSummary>& rows);

// CaseState::toJson() with the applicant's and the agent's identity numbers masked.
model::Json maskedCaseJson(const model::CaseState& state);

// A readable view of one case: applicant masked, matters, materials with received
// marks, decision details and, once accepted, the deadline with its ledger.
void printCase(std::ostream& out, const model::CaseState& state);

} // namespace ow::owctl
