#include "model/Applicant.h"

#include <cstdio>

namespace ow::model {

namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMobileLength = 11;
constexpr std::size_t kLandlineMin = 7;
constexpr std::size_t kLandlineMax = 20;

struct Decoded {
    char32_t value = 0;
    std::size_t size = 0; // 0 marks an invalid byte
};

// One code point at `i`, strictly (no overlongs, surrogates, values above U+10FFFF).
Decoded decodeAt(std::string_view s, std::size_t i)
{
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80)
        return {lead, 1};
    std::size_t n = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0U) == 0xC0U) {
        n = 2;
        cp = static_cast<char32_t>(lead & 0x1FU);
        minimum = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
        n = 3;
        cp = static_cast<char32_t>(lead & 0x0FU);
        minimum = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
        n = 4;
        cp = static_cast<char32_t>(lead & 0x07U);
        minimum = 0x10000;
    } else {
        return {0xFFFD, 0};
    }
    if (i + n > s.size())
        return {0xFFFD, 0};
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0U) != 0x80U)
            return {0xFFFD, 0};
        cp = (cp << 6) | static_cast<char32_t>(b & 0x3FU);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return {0xFFFD, 0};
    return {cp, n};
}

bool isBlank(char32_t c)
{
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x00A0 || c == 0x3000 || c == 0xFEFF;
}

std::string_view trimmed(std::string_view s)
{
    // Blanks are ASCII or well-formed multi-byte sequences, so trimming by code point from
    // the front and by byte pattern from the back is exact.
    std::size_t begin = 0;
    while (begin < s.size()) {
        const auto d = decodeAt(s, begin);
        if (d.size == 0 || !isBlank(d.value))
            break;
        begin += d.size;
    }
    std::size_t end = s.size();
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0U) == 0x80U)
            --start;
        const auto d = decodeAt(s, start);
        if (d.size != end - start || !isBlank(d.value))
            break;
        end = start;
    }
    return s.substr(begin, end - begin);
}

// Line and paragraph separators break one-line displays and receipts like control codes do.
bool isControl(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

std::string codePointLabel(char32_t cp)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

// Any script is welcome (CJK Extension B, the middle dot of transliterated names); only
// invisible control codes, broken encodings and absurd lengths are refused.
void checkName(std::string_view raw, const std::string& field, std::vector<FieldProblem>& out)
{
    const std::string_view name = trimmed(raw);
    if (name.empty()) {
        out.push_back({field, "applicant.name_empty", {}});
        return;
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < name.size(); ++count) {
        const auto d = decodeAt(name, i);
        if (d.size == 0) {
            out.push_back({field, "applicant.name_invalid",
                {{"position", std::to_string(count + 1)}, {"reason", "utf8"}}});
            return;
        }
        if (isControl(d.value)) {
            out.push_back({field, "applicant.name_invalid",
                {{"position", std::to_string(count + 1)}, {"reason", "control"},
                    {"codepoint", codePointLabel(d.value)}}});
            return;
        }
        i += d.size;
    }
    if (count > kMaxNameLength)
        out.push_back({field, "applicant.name_too_long",
            {{"max", std::to_string(kMaxNameLength)}, {"actual", std::to_string(count)}}});
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Mobiles: 11 digits starting with 1. Landlines: digits and dashes such as 0571-87654321;
// they never start with 1, so a mistyped mobile is not taken for a landline.
bool isValidPhone(std::string_view phone)
{
    bool allDigits = !phone.empty();
    for (char c : phone)
        allDigits = allDigits && isDigit(c);
    if (allDigits && phone.size() == kMobileLength && phone.front() == '1')
        return true;
    if (phone.size() < kLandlineMin || phone.size() > kLandlineMax)
        return false;
    if (!isDigit(phone.front()) || phone.front() == '1' || !isDigit(phone.back()))
        return false;
    for (std::size_t i = 0; i < phone.size(); ++i) {
        const char c = phone[i];
        if (c == '-' ? phone[i - 1] == '-' : !isDigit(c))
            return false;
    }
    return true;
}

void checkPhone(std::string_view raw, const std::string& field, std::vector<FieldProblem>& out)
{
    const std::string_view phone = trimmed(raw);
    if (!phone.empty() && !isValidPhone(phone))
        out.push_back({field, "applicant.phone", {}});
}

void checkIdNumber(IdKind kind, std::string_view number, Date today, const std::string& field,
    std::vector<FieldProblem>& out)
{
    auto r = checkId(kind, number, today);
    if (!r.ok)
        out.push_back({field, std::move(r.code), std::move(r.facts)});
}

} // namespace

std::string toString(ApplicantType type)
{
    switch (type) {
    case ApplicantType::Person:
        return "person";
    case ApplicantType::Enterprise:
        return "enterprise";
    }
    return "";
}

std::optional<ApplicantType> applicantTypeFromString(std::string_view name)
{
    for (auto t : {ApplicantType::Person, ApplicantType::Enterprise})
        if (toString(t) == name)
            return t;
    return std::nullopt;
}

std::string toString(DeliveryMethod method)
{
    switch (method) {
    case DeliveryMethod::PickUpAtWindow:
        return "window";
    case DeliveryMethod::Post:
        return "post";
    case DeliveryMethod::ELicence:
        return "e_licence";
    }
    return "";
}

std::optional<DeliveryMethod> deliveryMethodFromString(std::string_view name)
{
    for (auto m : {DeliveryMethod::PickUpAtWindow, DeliveryMethod::Post, DeliveryMethod::ELicence})
        if (toString(m) == name)
            return m;
    return std::nullopt;
}

std::vector<FieldProblem> validate(const Applicant& a, Date today)
{
    std::vector<FieldProblem> out;
    checkName(a.name, "name", out);

    const bool enterprise = a.type == ApplicantType::Enterprise;
    if (enterprise == isPersonalIdKind(a.idKind))
        out.push_back({"idKind", "applicant.id_kind_mismatch",
            {{"type", toString(a.type)}, {"idKind", toString(a.idKind)}}});
    checkIdNumber(a.idKind, a.idNumber, today, "idNumber", out);
    checkPhone(a.phone, "phone", out);

    if (enterprise && !trimmed(a.legalRepresentative).empty())
        checkName(a.legalRepresentative, "legalRepresentative", out);

    if (a.agent) {
        const Agent& g = *a.agent;
        checkName(g.name, "agent.name", out);
        if (!isPersonalIdKind(g.idKind))
            out.push_back({"agent.idKind", "applicant.id_kind_mismatch",
                {{"type", "agent"}, {"idKind", toString(g.idKind)}}});
        checkIdNumber(g.idKind, g.idNumber, today, "agent.idNumber", out);
        checkPhone(g.phone, "agent.phone", out);
        if (trimmed(g.authorisation).empty())
            out.push_back({"agent.authorisation", "applicant.agent_authorisation_missing", {}});
    }

    if (a.delivery == DeliveryMethod::Post && trimmed(a.postalAddress).empty())
        out.push_back({"postalAddress", "applicant.postal_address_missing", {}});
    return out;
}

std::optional<Date> birthDate(const Applicant& a)
{
    if (!carriesBirthDate(a.idKind))
        return std::nullopt;
    return checkId(a.idKind, a.idNumber).birthDate;
}

std::optional<int> age(const Applicant& a, Date on)
{
    const auto birth = birthDate(a);
    if (!birth || on < *birth)
        return std::nullopt;
    return birth->yearsUntil(on);
}

bool isElderly(const Applicant& a, Date on, int threshold)
{
    const auto years = age(a, on);
    return years && *years >= threshold;
}

std::string displayId(const Applicant& a)
{
    return maskId(checkId(a.idKind, a.idNumber).normalized);
}

std::string displayPhone(const Applicant& a)
{
    return maskPhone(a.phone);
}

} // namespace ow::model
