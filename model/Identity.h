// Identity documents that applicants present at the window: what each number must look like,
// how it is normalized, and how it is shown on screen. Never put a full number into a fact:
// facts end up in logs, and the design forbids full national ID numbers there.
#pragma once

#include "model/Date.h"
#include "model/Error.h"

#include <optional>
#include <string>
#include <string_view>

namespace ow::model {

enum class IdKind {
    ResidentId, // 居民身份证, GB 11643
    HongKongMacaoPermit, // 港澳居民居住证, address code 810000 / 820000
    TaiwanPermit, // 台湾居民居住证, address code 830000
    ForeignPermanentResidenceId, // 外国人永久居留身份证 (2023 version), starts with 9
    UnifiedSocialCreditCode, // 统一社会信用代码, GB 32100
    Passport, // free text, no check digit
};

// Stable names for storage and sync: "resident_id", "hk_macao_permit", "taiwan_permit",
// "foreign_pr_id", "uscc", "passport".
std::string toString(IdKind kind);
std::optional<IdKind> idKindFromString(std::string_view name);

// Kinds that identify a natural person (everything except the USCC).
bool isPersonalIdKind(IdKind kind);
// Kinds whose number embeds a birth date and a sex digit (the GB 11643 layout).
bool carriesBirthDate(IdKind kind);

struct IdCheck {
    bool ok = false;
    std::string code; // empty when ok, else the first problem, e.g. "id.check_digit"
    Facts facts;
    std::string normalized; // trimmed, folded to ASCII, upper-cased where the kind allows
    std::optional<Date> birthDate; // set when ok and the kind carries one
};

// Checks in a fixed order and reports the first problem: id.empty, id.length, id.charset,
// id.region, id.birth_date, id.check_digit. Birth dates after `today` are refused only when
// `today` is given. Full-width forms (０-９, Ａ-Ｚ, ｘ) typed with a Chinese IME are folded.
IdCheck checkId(IdKind kind, std::string_view text, std::optional<Date> today = std::nullopt);

// For the ID-card reader and the search box: a number that passes a full check wins (in the
// order foreign PR, permits, resident ID, USCC); otherwise the kind it most looks like, so
// that the clerk sees that kind's precise error; nullopt when nothing fits.
std::optional<IdKind> guessIdKind(std::string_view text);

// Check characters; nullopt unless `first17` is exactly 17 valid characters
// (ASCII digits for GB 11643, the upper-case 31-character set for GB 32100).
std::optional<char> gb11643CheckDigit(std::string_view first17);
std::optional<char> gb32100CheckChar(std::string_view first17);

enum class Sex { Male, Female };

// From the 17th digit (odd male, even female); nullopt unless the number passes checkId
// for a kind that carries a birth date.
std::optional<Sex> sexFromId(IdKind kind, std::string_view text);

// "3301**********1234": first 4 and last 4 code points visible; shorter than 9 code points:
// first and last visible. Counts UTF-8 code points, so CJK text is never cut mid-character.
std::string maskId(std::string_view text);
// "138****5678" for 11-digit mobiles; anything else keeps only its last 4 code points.
std::string maskPhone(std::string_view text);

} // namespace ow::model
