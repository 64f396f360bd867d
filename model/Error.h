// Typed domain errors: a stable code that the client maps to a translated sentence,
// plus the facts a person needs to act on it. The model never produces prose for users.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>

namespace ow::model {

// Stable, dotted error codes, e.g. "case.transition_refused", "calendar.parse".
using ErrorCode = std::string;
using Facts = std::map<std::string, std::string>;

class DomainError : public std::runtime_error {
public:
    DomainError(ErrorCode code, Facts facts = {})
        : std::runtime_error(describe(code, facts))
        , m_code(std::move(code))
        , m_facts(std::move(facts))
    {
    }

    const ErrorCode& code() const noexcept { return m_code; }
    const Facts& facts() const noexcept { return m_facts; }
    std::string fact(const std::string& key) const
    {
        auto it = m_facts.find(key);
        return it == m_facts.end() ? std::string() : it->second;
    }

    // "code (key=value, key=value)" — for logs and command-line tools, not for screens.
    static std::string describe(const ErrorCode& code, const Facts& facts)
    {
        std::string s = code;
        if (!facts.empty()) {
            s += " (";
            bool first = true;
            for (const auto& [k, v] : facts) {
                if (!first)
                    s += ", ";
                first = false;
                s += k + "=" + v;
            }
            s += ")";
        }
        return s;
    }

private:
    ErrorCode m_code;
    Facts m_facts;
};

} // namespace ow::model
