#include "model/CaseNumber.h"

#include "model/Error.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

namespace ow::model {

namespace {

bool allDigits(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> toInt(const std::string& s)
{
    if (!allDigits(s))
        return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

} // namespace

bool isValidCentreCode(const std::string& code)
{
    return code.size() == 6 && allDigits(code);
}

bool isValidWorkstationCode(const std::string& code)
{
    return code.size() >= 3 && code.size() <= 5 && code[0] == 'W' && allDigits(code.substr(1));
}

std::string CaseNumber::str() const
{
    char seq[32];
    if (workstation.empty()) {
        std::snprintf(seq, sizeof seq, "%06lld", static_cast<long long>(sequence));
        return centre + "-" + date.compact() + "-" + seq;
    }
    std::snprintf(seq, sizeof seq, "%04lld", static_cast<long long>(sequence));
    return centre + "-" + date.compact() + "-" + workstation + "-" + seq;
}

std::optional<CaseNumber> CaseNumber::parse(const std::string& text)
{
    // centre-date-seq or centre-date-Wnn-seq
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto dash = text.find('-', start);
        parts.push_back(text.substr(start, dash - start));
        if (dash == std::string::npos)
            break;
        start = dash + 1;
    }
    if (parts.size() != 3 && parts.size() != 4)
        return std::nullopt;
    CaseNumber n;
    n.centre = parts[0];
    if (!isValidCentreCode(n.centre))
        return std::nullopt;
    auto date = Date::fromCompact(parts[1]);
    if (!date)
        return std::nullopt;
    n.date = *date;
    const std::string& seqText = parts.back();
    if (parts.size() == 3) {
        if (seqText.size() != 6)
            return std::nullopt;
    } else {
        n.workstation = parts[2];
        if (!isValidWorkstationCode(n.workstation) || seqText.size() != 4)
            return std::nullopt;
    }
    auto seq = toInt(seqText);
    if (!seq || *seq < 1)
        return std::nullopt;
    n.sequence = *seq;
    return n;
}

CaseNumberAllocator::CaseNumberAllocator(std::string centre, std::string workstation)
    : m_centre(std::move(centre))
    , m_workstation(std::move(workstation))
{
    if (!isValidCentreCode(m_centre))
        throw DomainError("casenumber.centre_invalid", {{"centre", m_centre}});
    if (!isValidWorkstationCode(m_workstation))
        throw DomainError("casenumber.workstation_invalid", {{"workstation", m_workstation}});
}

void CaseNumberAllocator::addBlock(const CaseNumberBlock& block)
{
    if (block.centre != m_centre || block.first < 1 || block.last < block.first || block.last > 999999)
        throw DomainError("casenumber.block_invalid",
            {{"centre", block.centre}, {"first", std::to_string(block.first)},
                {"last", std::to_string(block.last)}});
    // An overlapping block would hand out the same numbers twice.
    std::erase_if(
        m_reserved, [&](const CaseNumberBlock& b) { return b.date < block.date && b.date < m_today; });
    for (const auto& b : m_reserved)
        if (b.date == block.date && block.first <= b.last && b.first <= block.last)
            throw DomainError("casenumber.block_invalid",
                {{"centre", block.centre}, {"reason", "overlap"}, {"first", std::to_string(block.first)},
                    {"last", std::to_string(block.last)}});
    m_reserved.push_back(block);
    m_blocks.push_back(block);
}

std::int64_t CaseNumberAllocator::remaining(Date date) const
{
    std::int64_t n = 0;
    for (const auto& b : m_blocks)
        if (b.date == date)
            n += b.last - b.first + 1;
    return n;
}

CaseNumber CaseNumberAllocator::next(Date date)
{
    // Blocks for past days are useless: numbers carry the date they were issued on.
    m_today = std::max(m_today, date);
    std::erase_if(m_blocks, [&](const CaseNumberBlock& b) { return b.date < date; });
    for (auto& b : m_blocks) {
        if (b.date != date)
            continue;
        CaseNumber n{m_centre, date, b.first, {}};
        ++b.first;
        std::erase_if(m_blocks, [](const CaseNumberBlock& x) { return x.first > x.last; });
        m_usedFallback = false;
        return n;
    }
    if (m_fallbackDate != date) {
        m_fallbackDate = date;
        m_fallbackSeq = 0;
    }
    if (m_fallbackSeq >= 9999)
        throw DomainError(
            "casenumber.fallback_exhausted", {{"workstation", m_workstation}, {"date", date.iso()}});
    m_usedFallback = true;
    return CaseNumber{m_centre, date, ++m_fallbackSeq, m_workstation};
}

} // namespace ow::model
