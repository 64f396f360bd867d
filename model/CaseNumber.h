// Case numbers unique across nodes without asking anyone at intake time:
// <centre>-<YYYYMMDD>-<6-digit sequence> from blocks reserved while online, and
// <centre>-<YYYYMMDD>-<workstation>-<4-digit sequence> when a block runs out offline.
#pragma once

#include "model/Date.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

struct CaseNumber {
    std::string centre; // 6-digit administrative code, e.g. "330102"
    Date date;
    std::int64_t sequence = 0;
    std::string workstation; // set only for offline fallback numbers, e.g. "W03"

    std::string str() const;
    static std::optional<CaseNumber> parse(const std::string& text);
};

bool isValidCentreCode(const std::string& code); // six digits
bool isValidWorkstationCode(const std::string& code); // "W" + 2–4 digits

// A range [first, last] of sequence numbers for one centre and one day, reserved on the
// shared database so that no other workstation can hand them out.
struct CaseNumberBlock {
    std::string centre;
    Date date;
    std::int64_t first = 0;
    std::int64_t last = 0;
};

class CaseNumberAllocator {
public:
    CaseNumberAllocator(std::string centre, std::string workstation);

    void addBlock(const CaseNumberBlock& block); // throws "casenumber.block_invalid"
    // Numbers left in reserved blocks for `date`; a client tops up below a threshold.
    std::int64_t remaining(Date date) const;
    // Next number: from a reserved block for `date` if any is left, else the workstation
    // fallback (which needs the last fallback sequence used, persisted by the caller).
    CaseNumber next(Date date);
    bool usedFallback() const { return m_usedFallback; }
    std::int64_t fallbackSequence() const { return m_fallbackSeq; }
    Date fallbackDate() const { return m_fallbackDate; }
    // Restores the last fallback number used (persisted by the caller across restarts).
    void setFallbackState(Date date, std::int64_t seq)
    {
        m_fallbackDate = date;
        m_fallbackSeq = seq;
    }

private:
    std::string m_centre;
    std::string m_workstation;
    std::deque<CaseNumberBlock> m_blocks; // ranges not used up yet
    std::vector<CaseNumberBlock> m_reserved; // every range added, to refuse overlaps
    Date m_today; // latest date numbers were drawn for
    std::int64_t m_fallbackSeq = 0;
    Date m_fallbackDate;
    bool m_usedFallback = false;
};

} // namespace ow::model
