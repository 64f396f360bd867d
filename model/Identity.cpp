#include "model/Identity.h"

#include <array>
#include <cstdio>
#include <vector>

namespace ow::model {

namespace {

constexpr std::string_view kGb32100Chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::size_t kIdLength = 18;
constexpr std::size_t kPassportMin = 5;
constexpr std::size_t kPassportMax = 20;
constexpr int kEarliestBirthYear = 1900;

struct CodePoint {
    char32_t value = 0;
    std::size_t offset = 0;
    std::size_t size = 0;
    bool valid = false;
};

// Strict UTF-8 (no overlongs, surrogates or values above U+10FFFF); each bad byte becomes
// one invalid code point so that positions stay meaningful for the clerk.
std::vector<CodePoint> decodeUtf8(std::string_view s)
{
    std::vector<CodePoint> out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        char32_t cp = 0;
        char32_t minimum = 0;
        if (lead < 0x80) {
            n = 1;
            cp = lead;
        } else if ((lead & 0xE0U) == 0xC0U) {
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
        }
        bool ok = n > 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0U) != 0x80U)
                ok = false;
            else
                cp = (cp << 6) | static_cast<char32_t>(b & 0x3FU);
        }
        if (ok && n > 1 && (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) {
            out.push_back({0xFFFD, i, 1, false});
            ++i;
            continue;
        }
        out.push_back({cp, i, n, true});
        i += n;
    }
    return out;
}

// Pasted numbers often carry ideographic spaces, no-break spaces or a byte-order mark.
bool isTrimmable(const CodePoint& c)
{
    if (!c.valid)
        return false;
    switch (c.value) {
    case U' ':
    case U'\t':
    case U'\n':
    case U'\r':
    case U'\v':
    case U'\f':
    case 0x00A0:
    case 0x3000:
    case 0xFEFF:
        return true;
    default:
        return false;
    }
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool isUpperAsciiLetter(char c)
{
    return c >= 'A' && c <= 'Z';
}

std::string codePointLabel(char32_t cp)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

// Trimmed, full-width ASCII forms folded; invalid bytes are kept so that the charset check
// can point at them.
std::string trimAndFold(std::string_view text)
{
    const auto cps = decodeUtf8(text);
    std::size_t begin = 0;
    std::size_t end = cps.size();
    while (begin < end && isTrimmable(cps[begin]))
        ++begin;
    while (end > begin && isTrimmable(cps[end - 1]))
        --end;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = begin; i < end; ++i) {
        const auto& c = cps[i];
        if (c.valid && c.value >= 0xFF01 && c.value <= 0xFF5E)
            out.push_back(static_cast<char>(c.value - 0xFEE0));
        else
            out.append(text.substr(c.offset, c.size));
    }
    return out;
}

void upperAscii(std::string& s)
{
    for (char& c : s)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
}

std::string normalize(IdKind kind, std::string_view text)
{
    std::string s = trimAndFold(text);
    if (carriesBirthDate(kind)) {
        // Only the check position may be a letter; a lower-case x elsewhere stays wrong.
        if (!s.empty() && s.back() == 'x')
            s.back() = 'X';
    } else {
        upperAscii(s);
    }
    return s;
}

IdCheck fail(IdCheck r, std::string code, Facts facts)
{
    r.ok = false;
    r.code = std::move(code);
    r.facts = std::move(facts);
    r.birthDate.reset();
    return r;
}

IdCheck charsetProblem(IdCheck r, const std::vector<CodePoint>& cps, std::size_t index)
{
    const auto& c = cps[index];
    std::string character = c.valid ? r.normalized.substr(c.offset, c.size) : std::string("\xEF\xBF\xBD");
    return fail(std::move(r), "id.charset",
        {{"position", std::to_string(index + 1)}, {"character", std::move(character)},
            {"codepoint", c.valid ? codePointLabel(c.value) : std::string("invalid_utf8")}});
}

bool isAscii(const CodePoint& c, bool (*pred)(char))
{
    return c.valid && c.value < 0x80 && pred(static_cast<char>(c.value));
}

bool isGb32100Char(char c)
{
    return kGb32100Chars.find(c) != std::string_view::npos;
}
bool isCheckDigitChar(char c)
{
    return isDigit(c) || c == 'X';
}
bool isPassportChar(char c)
{
    return isDigit(c) || isUpperAsciiLetter(c);
}

IdCheck checkGb11643Layout(
    IdKind kind, IdCheck r, const std::vector<CodePoint>& cps, std::optional<Date> today)
{
    for (std::size_t i = 0; i < kIdLength; ++i) {
        const bool fits = i + 1 < kIdLength ? isAscii(cps[i], isDigit) : isAscii(cps[i], isCheckDigitChar);
        if (!fits)
            return charsetProblem(std::move(r), cps, i);
    }
    const std::string s = r.normalized; // a copy: r is moved into fail() below; all ASCII
    const std::string_view prefix2 = std::string_view(s).substr(0, 2);
    const std::string addressCode = s.substr(0, 6);
    switch (kind) {
    case IdKind::ResidentId:
        if (s[0] < '1' || s[0] > '8')
            return fail(std::move(r), "id.region", {{"value", addressCode}});
        if (prefix2 == "81" || prefix2 == "82")
            return fail(std::move(r), "id.region",
                {{"value", addressCode}, {"suggested_kind", toString(IdKind::HongKongMacaoPermit)}});
        if (prefix2 == "83")
            return fail(std::move(r), "id.region",
                {{"value", addressCode}, {"suggested_kind", toString(IdKind::TaiwanPermit)}});
        break;
    case IdKind::HongKongMacaoPermit:
        if (addressCode != "810000" && addressCode != "820000")
            return fail(std::move(r), "id.region", {{"value", addressCode}, {"expected", "810000|820000"}});
        break;
    case IdKind::TaiwanPermit:
        if (addressCode != "830000")
            return fail(std::move(r), "id.region", {{"value", addressCode}, {"expected", "830000"}});
        break;
    case IdKind::ForeignPermanentResidenceId:
        if (s[0] != '9')
            return fail(std::move(r), "id.region", {{"value", s.substr(0, 1)}, {"expected", "9"}});
        break;
    default:
        break;
    }

    const std::string dateText = s.substr(6, 8);
    const auto birth = Date::fromCompact(dateText);
    if (!birth)
        return fail(std::move(r), "id.birth_date", {{"value", dateText}, {"reason", "impossible"}});
    if (birth->year() < kEarliestBirthYear)
        return fail(std::move(r), "id.birth_date", {{"value", dateText}, {"reason", "before_1900"}});
    if (today && *birth > *today)
        return fail(std::move(r), "id.birth_date", {{"value", dateText}, {"reason", "future"}});

    const char expected = *gb11643CheckDigit(std::string_view(s).substr(0, 17));
    if (s[17] != expected)
        return fail(std::move(r), "id.check_digit",
            {{"expected", std::string(1, expected)}, {"actual", std::string(1, s[17])}});

    r.ok = true;
    r.birthDate = birth;
    return r;
}

IdCheck checkGb32100(IdCheck r, const std::vector<CodePoint>& cps)
{
    for (std::size_t i = 0; i < kIdLength; ++i) {
        // Positions 3-8 hold the administrative region code, which is numeric.
        const bool fits = (i >= 2 && i <= 7) ? isAscii(cps[i], isDigit) : isAscii(cps[i], isGb32100Char);
        if (!fits)
            return charsetProblem(std::move(r), cps, i);
    }
    const std::string s = r.normalized; // a copy: r is moved into fail() below
    const char expected = *gb32100CheckChar(std::string_view(s).substr(0, 17));
    if (s[17] != expected)
        return fail(std::move(r), "id.check_digit",
            {{"expected", std::string(1, expected)}, {"actual", std::string(1, s[17])}});
    r.ok = true;
    return r;
}

} // namespace

std::string toString(IdKind kind)
{
    switch (kind) {
    case IdKind::ResidentId:
        return "resident_id";
    case IdKind::HongKongMacaoPermit:
        return "hk_macao_permit";
    case IdKind::TaiwanPermit:
        return "taiwan_permit";
    case IdKind::ForeignPermanentResidenceId:
        return "foreign_pr_id";
    case IdKind::UnifiedSocialCreditCode:
        return "uscc";
    case IdKind::Passport:
        return "passport";
    }
    return "";
}

std::optional<IdKind> idKindFromString(std::string_view name)
{
    for (IdKind k : {IdKind::ResidentId, IdKind::HongKongMacaoPermit, IdKind::TaiwanPermit,
             IdKind::ForeignPermanentResidenceId, IdKind::UnifiedSocialCreditCode, IdKind::Passport})
        if (toString(k) == name)
            return k;
    return std::nullopt;
}

bool isPersonalIdKind(IdKind kind)
{
    return kind != IdKind::UnifiedSocialCreditCode;
}

bool carriesBirthDate(IdKind kind)
{
    return kind == IdKind::ResidentId || kind == IdKind::HongKongMacaoPermit || kind == IdKind::TaiwanPermit
        || kind == IdKind::ForeignPermanentResidenceId;
}

std::optional<char> gb11643CheckDigit(std::string_view first17)
{
    static constexpr std::array<int, 17> weights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    if (first17.size() != weights.size())
        return std::nullopt;
    int sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (!isDigit(first17[i]))
            return std::nullopt;
        sum += (first17[i] - '0') * weights[i];
    }
    static constexpr std::string_view checks = "10X98765432";
    return checks[static_cast<std::size_t>(sum % 11)];
}

std::optional<char> gb32100CheckChar(std::string_view first17)
{
    static constexpr std::array<std::size_t, 17> weights{
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (first17.size() != weights.size())
        return std::nullopt;
    std::size_t sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto value = kGb32100Chars.find(first17[i]);
        if (value == std::string_view::npos)
            return std::nullopt;
        sum += value * weights[i];
    }
    const std::size_t modulus = kGb32100Chars.size();
    const std::size_t check = (modulus - sum % modulus) % modulus; // 31 wraps to 0
    return kGb32100Chars[check];
}

IdCheck checkId(IdKind kind, std::string_view text, std::optional<Date> today)
{
    IdCheck r;
    r.normalized = normalize(kind, text);
    if (r.normalized.empty())
        return fail(std::move(r), "id.empty", {});

    const auto cps = decodeUtf8(r.normalized);
    const std::string actual = std::to_string(cps.size());
    if (kind == IdKind::Passport) {
        if (cps.size() < kPassportMin || cps.size() > kPassportMax)
            return fail(std::move(r), "id.length",
                {{"expected", std::to_string(kPassportMin) + "-" + std::to_string(kPassportMax)},
                    {"actual", actual}});
        for (std::size_t i = 0; i < cps.size(); ++i)
            if (!isAscii(cps[i], isPassportChar))
                return charsetProblem(std::move(r), cps, i);
        r.ok = true;
        return r;
    }

    if (cps.size() != kIdLength)
        return fail(std::move(r), "id.length", {{"expected", std::to_string(kIdLength)}, {"actual", actual}});
    if (kind == IdKind::UnifiedSocialCreditCode)
        return checkGb32100(std::move(r), cps);
    return checkGb11643Layout(kind, std::move(r), cps, today);
}

std::optional<IdKind> guessIdKind(std::string_view text)
{
    for (IdKind k : {IdKind::ForeignPermanentResidenceId, IdKind::HongKongMacaoPermit, IdKind::TaiwanPermit,
             IdKind::ResidentId, IdKind::UnifiedSocialCreditCode})
        if (checkId(k, text).ok)
            return k;

    std::string s = trimAndFold(text);
    upperAscii(s);
    if (s.size() == kIdLength) {
        bool gbShape = isCheckDigitChar(s.back());
        for (std::size_t i = 0; gbShape && i + 1 < kIdLength; ++i)
            gbShape = isDigit(s[i]);
        if (gbShape) {
            const std::string_view prefix2 = std::string_view(s).substr(0, 2);
            if (s[0] == '9')
                return IdKind::ForeignPermanentResidenceId;
            if (prefix2 == "81" || prefix2 == "82")
                return IdKind::HongKongMacaoPermit;
            if (prefix2 == "83")
                return IdKind::TaiwanPermit;
            if (Date::fromCompact(std::string_view(s).substr(6, 8)))
                return IdKind::ResidentId;
        }
        bool uscc = true;
        for (char c : s)
            uscc = uscc && isGb32100Char(c);
        if (uscc)
            return IdKind::UnifiedSocialCreditCode;
    }
    if (checkId(IdKind::Passport, text).ok)
        return IdKind::Passport;
    return std::nullopt;
}

std::optional<Sex> sexFromId(IdKind kind, std::string_view text)
{
    if (!carriesBirthDate(kind))
        return std::nullopt;
    const auto r = checkId(kind, text);
    if (!r.ok)
        return std::nullopt;
    return (r.normalized[16] - '0') % 2 == 1 ? Sex::Male : Sex::Female;
}

std::string maskId(std::string_view text)
{
    const auto cps = decodeUtf8(text);
    const std::size_t n = cps.size();
    const std::size_t keep = n >= 9 ? 4 : 1;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (i < keep || i + keep >= n)
            out.append(text.substr(cps[i].offset, cps[i].size));
        else
            out.push_back('*');
    }
    return out;
}

std::string maskPhone(std::string_view text)
{
    std::string s = trimAndFold(text);
    bool mobile = s.size() == 11 && s[0] == '1';
    for (std::size_t i = 0; mobile && i < s.size(); ++i)
        mobile = isDigit(s[i]);
    if (mobile)
        return s.substr(0, 3) + "****" + s.substr(7);

    const auto cps = decodeUtf8(s);
    constexpr std::size_t visible = 4;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < cps.size(); ++i) {
        if (i + visible >= cps.size())
            out.append(std::string_view(s).substr(cps[i].offset, cps[i].size));
        else
            out.push_back('*');
    }
    return out;
}

} // namespace ow::model
