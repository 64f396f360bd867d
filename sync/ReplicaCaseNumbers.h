// Case numbers on a workstation with a replica (DESIGN: "Case numbers"): drawn from a
// block reserved on the shared database while it answers and kept in the replica, so an
// outage starts with numbers in hand; when the block is used up offline, the workstation
// fallback <centre>-<date>-<workstation>-NNNN. Both are written to the replica before a
// number is handed out: a crash afterwards skips a number, never repeats one.
#pragma once

#include "model/CaseNumber.h"
#include "model/Repositories.h"

#include "sync/ReplicaWriter.h"

namespace ow::sync {

class ReplicaCaseNumberSource : public model::CaseNumberSource {
public:
    // Replica settings holding the unused rest of the block ("YYYY-MM-DD next last") and
    // the last fallback number used ("YYYY-MM-DD N").
    static constexpr const char* kBlockKey = "casenumber/block";
    static constexpr const char* kFallbackKey = "casenumber/fallback";

    // `workstation` names fallback numbers ("W03"); it may be empty when the source only
    // tops up blocks.
    ReplicaCaseNumberSource(
        ReplicaWriter& writer, std::string centre, std::string workstation = {}, std::int64_t blockSize = 20);

    model::CaseNumber nextCaseNumber(model::Date date) override;

    // Reserves a new block for `date` when fewer than `threshold` numbers are left and the
    // shared database answers; true when numbers are in hand afterwards.
    bool topUp(model::Date date, std::int64_t threshold);
    // Block numbers left for `date` in the replica.
    std::int64_t remaining(model::Date date) const;

private:
    struct Block {
        model::Date date;
        std::int64_t next = 0;
        std::int64_t last = 0;
    };
    std::optional<Block> savedBlock() const;
    void saveBlock(const Block& block);
    bool reserve(model::Date date);

    ReplicaWriter& m_writer;
    std::string m_centre;
    std::string m_workstation;
    std::int64_t m_blockSize;
};

} // namespace ow::sync
