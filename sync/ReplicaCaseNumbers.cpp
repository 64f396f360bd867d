#include "sync/ReplicaCaseNumbers.h"

#include "model/Error.h"

#include <sstream>

namespace ow::sync {

ReplicaCaseNumberSource::ReplicaCaseNumberSource(
    ReplicaWriter& writer, std::string centre, std::string workstation, std::int64_t blockSize)
    : m_writer(writer)
    , m_centre(std::move(centre))
    , m_workstation(std::move(workstation))
    , m_blockSize(blockSize)
{
    if (!model::isValidCentreCode(m_centre))
        throw model::DomainError("casenumber.centre_invalid", {{"centre", m_centre}});
    // The workstation code is checked when a fallback number is made (CaseNumberAllocator).
}

std::optional<ReplicaCaseNumberSource::Block> ReplicaCaseNumberSource::savedBlock() const
{
    auto text = m_writer.replica().setting(kBlockKey);
    if (!text)
        return std::nullopt;
    std::istringstream in(*text);
    std::string day;
    Block b;
    if (!(in >> day >> b.next >> b.last))
        return std::nullopt;
    auto date = model::Date::fromIso(day);
    if (!date)
        return std::nullopt;
    b.date = *date;
    return b;
}

void ReplicaCaseNumberSource::saveBlock(const Block& block)
{
    m_writer.replica().setSetting(
        kBlockKey, block.date.iso() + " " + std::to_string(block.next) + " " + std::to_string(block.last));
}

std::int64_t ReplicaCaseNumberSource::remaining(model::Date date) const
{
    auto b = savedBlock();
    return b && b->date == date && b->next <= b->last ? b->last - b->next + 1 : 0;
}

bool ReplicaCaseNumberSource::reserve(model::Date date)
{
    std::optional<model::CaseNumberBlock> reserved;
    m_writer.withShared(
        [&](db::Store& shared) { reserved = shared.reserveCaseNumbers(m_centre, date, m_blockSize); });
    if (!reserved)
        return false;
    // A block replaces the rest of an older one: those numbers are never handed out.
    saveBlock(Block{reserved->date, reserved->first, reserved->last});
    return true;
}

bool ReplicaCaseNumberSource::topUp(model::Date date, std::int64_t threshold)
{
    if (remaining(date) >= threshold)
        return true;
    return reserve(date) || remaining(date) > 0;
}

model::CaseNumber ReplicaCaseNumberSource::nextCaseNumber(model::Date date)
{
    if (remaining(date) > 0 || reserve(date)) {
        Block b = *savedBlock();
        model::CaseNumber n{m_centre, date, b.next, {}};
        ++b.next;
        saveBlock(b);
        return n;
    }
    model::CaseNumberAllocator fallback(m_centre, m_workstation);
    if (auto saved = m_writer.replica().setting(kFallbackKey)) {
        auto space = saved->find(' ');
        auto day = model::Date::fromIso(saved->substr(0, space));
        if (day && space != std::string::npos)
            fallback.setFallbackState(*day, std::stoll(saved->substr(space + 1)));
    }
    model::CaseNumber n = fallback.next(date);
    m_writer.replica().setSetting(
        kFallbackKey, fallback.fallbackDate().iso() + " " + std::to_string(fallback.fallbackSequence()));
    return n;
}

} // namespace ow::sync
