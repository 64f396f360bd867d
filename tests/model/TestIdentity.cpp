#include "model/Identity.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

std::string withGb11643(const std::string& first17)
{
    return first17 + *gb11643CheckDigit(first17);
}
std::string withGb32100(const std::string& first17)
{
    return first17 + *gb32100CheckChar(first17);
}

const Date kToday(2026, 1, 15);

} // namespace

TEST_CASE("identity: kind names round-trip", "[identity]")
{
    const std::vector<std::pair<IdKind, std::string>> names{{IdKind::ResidentId, "resident_id"},
        {IdKind::HongKongMacaoPermit, "hk_macao_permit"}, {IdKind::TaiwanPermit, "taiwan_permit"},
        {IdKind::ForeignPermanentResidenceId, "foreign_pr_id"}, {IdKind::UnifiedSocialCreditCode, "uscc"},
        {IdKind::Passport, "passport"}};
    for (const auto& [kind, name] : names) {
        CHECK(toString(kind) == name);
        CHECK(idKindFromString(name) == kind);
    }
    CHECK_FALSE(idKindFromString("Resident_ID"));
    CHECK_FALSE(idKindFromString(""));
    CHECK(isPersonalIdKind(IdKind::Passport));
    CHECK_FALSE(isPersonalIdKind(IdKind::UnifiedSocialCreditCode));
    CHECK(carriesBirthDate(IdKind::ForeignPermanentResidenceId));
    CHECK_FALSE(carriesBirthDate(IdKind::Passport));
}

TEST_CASE("identity: GB 11643 check digits of known numbers", "[identity]")
{
    // Hand-verified constants: the first two are the worked examples of GB 11643-1999; all
    // were recomputed with an independent ten-line python3 script (weights, sum mod 11).
    const std::vector<std::pair<IdKind, std::string>> valid{
        {IdKind::ResidentId, "11010519491231002X"},
        {IdKind::ResidentId, "330106199003071236"},
        {IdKind::HongKongMacaoPermit, "810000199408230021"},
        {IdKind::HongKongMacaoPermit, "820000200103150044"},
        {IdKind::TaiwanPermit, "830000198007110116"},
        {IdKind::ForeignPermanentResidenceId, "911840198001010013"},
        {IdKind::ForeignPermanentResidenceId, "931156198506150026"},
    };
    for (const auto& [kind, number] : valid) {
        INFO(number);
        CHECK(gb11643CheckDigit(number.substr(0, 17)) == number[17]);
        const auto r = checkId(kind, number, kToday);
        CHECK(r.ok);
        CHECK(r.code.empty());
        CHECK(r.normalized == number);
    }
    CHECK(checkId(IdKind::ResidentId, "11010519491231002X").birthDate == Date(1949, 12, 31));
    // The standard's second example is born in 1880: its check digit is right, but the
    // model refuses birth dates before 1900.
    CHECK(gb11643CheckDigit("44052418800101001") == '4');
    const auto old = checkId(IdKind::ResidentId, "440524188001010014");
    CHECK(old.code == "id.birth_date");
    CHECK(old.facts.at("reason") == "before_1900");
}

TEST_CASE("identity: GB 11643 check digit function rejects malformed input", "[identity]")
{
    CHECK_FALSE(gb11643CheckDigit(""));
    CHECK_FALSE(gb11643CheckDigit("1101051949123100"));
    CHECK_FALSE(gb11643CheckDigit("110105194912310021"));
    CHECK_FALSE(gb11643CheckDigit("1101051949123100X"));
    CHECK_FALSE(gb11643CheckDigit("11010519491231 02"));
}

TEST_CASE("identity: every single-digit change of a resident ID is caught", "[identity]")
{
    const std::string valid = withGb11643("33010219850412301");
    REQUIRE(checkId(IdKind::ResidentId, valid).ok);
    for (std::size_t pos = 0; pos < 17; ++pos) {
        for (char d = '0'; d <= '9'; ++d) {
            if (d == valid[pos])
                continue;
            std::string changed = valid;
            changed[pos] = d;
            INFO("position " << pos + 1 << " digit " << d);
            CHECK_FALSE(checkId(IdKind::ResidentId, changed).ok);
        }
    }
}

TEST_CASE("identity: resident IDs built with the check digit function pass", "[identity]")
{
    const std::vector<std::string> bodies{"11010119000101001", "65010220000229123", "33010619991231888",
        "51010220260115000", "23010119600301555"};
    for (const auto& body : bodies) {
        const auto number = withGb11643(body);
        INFO(number);
        const auto r = checkId(IdKind::ResidentId, number, kToday);
        CHECK(r.ok);
        REQUIRE(r.birthDate);
        CHECK(r.birthDate->compact() == body.substr(6, 8));
    }
}

TEST_CASE("identity: lower-case x is accepted and normalized", "[identity]")
{
    const auto r = checkId(IdKind::ResidentId, "11010519491231002x");
    CHECK(r.ok);
    CHECK(r.normalized == "11010519491231002X");

    // Elsewhere than the check position a letter stays wrong.
    const auto inside = checkId(IdKind::ResidentId, "1101051949123100x2");
    CHECK(inside.code == "id.charset");
    CHECK(inside.facts.at("position") == "17");
    CHECK(inside.facts.at("character") == "x");
}

TEST_CASE("identity: blanks are trimmed and full-width forms folded", "[identity]")
{
    CHECK(checkId(IdKind::ResidentId, "  11010519491231002X\t\n").normalized == "11010519491231002X");
    // U+3000 ideographic space around full-width digits and a full-width lower-case x.
    const auto r = checkId(IdKind::ResidentId,
        "\xE3\x80\x80\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x95"
        "19491231002\xEF\xBD\x98\xE3\x80\x80");
    CHECK(r.ok);
    CHECK(r.normalized == "11010519491231002X");
}

TEST_CASE("identity: empty and length problems", "[identity]")
{
    for (auto kind : {IdKind::ResidentId, IdKind::UnifiedSocialCreditCode, IdKind::Passport}) {
        CHECK(checkId(kind, "").code == "id.empty");
        CHECK(checkId(kind, "   ").code == "id.empty");
        CHECK(checkId(kind, "\xE3\x80\x80").code == "id.empty");
    }

    const auto shortId = checkId(IdKind::ResidentId, "1101051949123100");
    CHECK(shortId.code == "id.length");
    CHECK(shortId.facts.at("expected") == "18");
    CHECK(shortId.facts.at("actual") == "16");
    CHECK_FALSE(shortId.ok);

    CHECK(checkId(IdKind::ResidentId, "11010519491231002X1").facts.at("actual") == "19");
    // The old 15-digit first-generation card is no longer valid.
    CHECK(checkId(IdKind::ResidentId, "110105491231002").code == "id.length");
    // Length counts code points, not bytes: 17 digits and one CJK character are 18.
    CHECK(checkId(IdKind::ResidentId, "11010519491231002\xE4\xB8\x80").code == "id.charset");

    const auto uscc = checkId(IdKind::UnifiedSocialCreditCode, "91350100M000100Y4");
    CHECK(uscc.code == "id.length");
    CHECK(uscc.facts.at("actual") == "17");
}

TEST_CASE("identity: charset problems name the position and character", "[identity]")
{
    const auto letter = checkId(IdKind::ResidentId, "1101A519491231002X");
    CHECK(letter.code == "id.charset");
    CHECK(letter.facts.at("position") == "5");
    CHECK(letter.facts.at("character") == "A");
    CHECK(letter.facts.at("codepoint") == "U+0041");

    const auto inner = checkId(IdKind::ResidentId, "110105 9491231002X");
    CHECK(inner.facts.at("position") == "7");
    CHECK(inner.facts.at("codepoint") == "U+0020");

    // A CJK character counts as one position.
    const auto cjk = checkId(IdKind::ResidentId,
        "\xE4\xB8\x80"
        "1010519491231002X");
    CHECK(cjk.code == "id.charset");
    CHECK(cjk.facts.at("position") == "1");
    CHECK(cjk.facts.at("character") == "\xE4\xB8\x80");
    CHECK(cjk.facts.at("codepoint") == "U+4E00");

    // A stray byte is reported, not copied into the facts.
    const auto broken = checkId(IdKind::ResidentId,
        "11010519\xFF"
        "91231002X");
    CHECK(broken.code == "id.charset");
    CHECK(broken.facts.at("position") == "9");
    CHECK(broken.facts.at("character") == "\xEF\xBF\xBD");
    CHECK(broken.facts.at("codepoint") == "invalid_utf8");

    // X anywhere but the check position.
    CHECK(checkId(IdKind::ResidentId, "X10105194912310021").facts.at("position") == "1");
}

TEST_CASE("identity: impossible, early and future birth dates", "[identity]")
{
    const auto feb30 = checkId(IdKind::ResidentId, withGb11643("11010520230230001"), kToday);
    CHECK(feb30.code == "id.birth_date");
    CHECK(feb30.facts.at("value") == "20230230");
    CHECK(feb30.facts.at("reason") == "impossible");
    CHECK_FALSE(feb30.birthDate);

    CHECK(checkId(IdKind::ResidentId, withGb11643("11010519901301001")).code == "id.birth_date");
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010519900100001")).code == "id.birth_date");
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010520230229001")).code == "id.birth_date");
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010519000229001")).code == "id.birth_date");
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010520000229001")).ok);

    const auto old = checkId(IdKind::ResidentId, withGb11643("11010518991231001"));
    CHECK(old.code == "id.birth_date");
    CHECK(old.facts.at("reason") == "before_1900");
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010519000101001")).ok);

    const std::string future = withGb11643("11010520990101001");
    const auto r = checkId(IdKind::ResidentId, future, kToday);
    CHECK(r.code == "id.birth_date");
    CHECK(r.facts.at("value") == "20990101");
    CHECK(r.facts.at("reason") == "future");
    // Without a reference day there is nothing to compare with.
    CHECK(checkId(IdKind::ResidentId, future).ok);

    // Born today is fine; tomorrow is not.
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010520260115001"), kToday).ok);
    CHECK(checkId(IdKind::ResidentId, withGb11643("11010520260116001"), kToday).code == "id.birth_date");
}

TEST_CASE("identity: wrong check digit reports expected and actual", "[identity]")
{
    const auto r = checkId(IdKind::ResidentId, "110105194912310021");
    CHECK(r.code == "id.check_digit");
    CHECK(r.facts.at("expected") == "X");
    CHECK(r.facts.at("actual") == "1");
    CHECK_FALSE(r.birthDate);

    const auto x = checkId(IdKind::ResidentId, "33010619900307123X");
    CHECK(x.facts.at("expected") == "6");
    CHECK(x.facts.at("actual") == "X");
}

TEST_CASE("identity: resident ID address codes", "[identity]")
{
    const auto zero = checkId(IdKind::ResidentId, withGb11643("01010519491231002"));
    CHECK(zero.code == "id.region");
    CHECK(zero.facts.at("value") == "010105");
    CHECK(checkId(IdKind::ResidentId, withGb11643("91010519491231002")).code == "id.region");

    const auto hk = checkId(IdKind::ResidentId, "810000199408230021");
    CHECK(hk.code == "id.region");
    CHECK(hk.facts.at("suggested_kind") == "hk_macao_permit");
    CHECK(checkId(IdKind::ResidentId, "820000200103150044").facts.at("suggested_kind") == "hk_macao_permit");
    CHECK(checkId(IdKind::ResidentId, "830000198007110116").facts.at("suggested_kind") == "taiwan_permit");
}

TEST_CASE("identity: residence permits need their own address code", "[identity]")
{
    const auto wrongHk = checkId(IdKind::HongKongMacaoPermit, withGb11643("81000119940823002"));
    CHECK(wrongHk.code == "id.region");
    CHECK(wrongHk.facts.at("value") == "810001");
    CHECK(wrongHk.facts.at("expected") == "810000|820000");
    CHECK(checkId(IdKind::HongKongMacaoPermit, "830000198007110116").code == "id.region");
    CHECK(checkId(IdKind::HongKongMacaoPermit, "11010519491231002X").code == "id.region");

    const auto wrongTw = checkId(IdKind::TaiwanPermit, "810000199408230021");
    CHECK(wrongTw.code == "id.region");
    CHECK(wrongTw.facts.at("expected") == "830000");

    const auto permit = checkId(IdKind::TaiwanPermit, "830000198007110116");
    CHECK(permit.ok);
    CHECK(permit.birthDate == Date(1980, 7, 11));
    CHECK(checkId(IdKind::HongKongMacaoPermit, "810000199408230022").code == "id.check_digit");
}

TEST_CASE("identity: foreign permanent-residence IDs", "[identity]")
{
    const auto r = checkId(IdKind::ForeignPermanentResidenceId, "911840198001010013");
    CHECK(r.ok);
    CHECK(r.birthDate == Date(1980, 1, 1));

    const auto not9 = checkId(IdKind::ForeignPermanentResidenceId, "11010519491231002X");
    CHECK(not9.code == "id.region");
    CHECK(not9.facts.at("value") == "1");
    CHECK(not9.facts.at("expected") == "9");

    CHECK(checkId(IdKind::ForeignPermanentResidenceId, withGb11643("91184019800230001")).code
        == "id.birth_date");
    CHECK(checkId(IdKind::ForeignPermanentResidenceId, "911840198001010014").code == "id.check_digit");
    CHECK(checkId(IdKind::ForeignPermanentResidenceId, "91184019800101001").code == "id.length");
}

TEST_CASE("identity: GB 32100 unified social credit codes", "[identity]")
{
    // Hand-verified with the same independent python3 script (weights, 31 - sum mod 31).
    for (const std::string code : {"91350100M000100Y43", "91110000100003882B", "91330106MA2711111A"}) {
        INFO(code);
        CHECK(gb32100CheckChar(code.substr(0, 17)) == code[17]);
        CHECK(checkId(IdKind::UnifiedSocialCreditCode, code).ok);
    }
    CHECK_FALSE(checkId(IdKind::UnifiedSocialCreditCode, "91350100M000100Y43").birthDate);

    const auto lower = checkId(IdKind::UnifiedSocialCreditCode, " 91350100m000100y43 ");
    CHECK(lower.ok);
    CHECK(lower.normalized == "91350100M000100Y43");

    for (char bad : {'I', 'O', 'S', 'V', 'Z'}) {
        std::string code = "91350100M000100Y43";
        code[9] = bad;
        const auto r = checkId(IdKind::UnifiedSocialCreditCode, code);
        CHECK(r.code == "id.charset");
        CHECK(r.facts.at("position") == "10");
        CHECK(r.facts.at("character") == std::string(1, bad));
        CHECK_FALSE(gb32100CheckChar(code.substr(0, 17)));
    }

    // The administrative region code (positions 3-8) is numeric even though letters are allowed around it.
    const auto region = checkId(IdKind::UnifiedSocialCreditCode, withGb32100("9135A100M000100Y4"));
    CHECK(region.code == "id.charset");
    CHECK(region.facts.at("position") == "5");

    const auto wrong = checkId(IdKind::UnifiedSocialCreditCode, "91350100M000100Y44");
    CHECK(wrong.code == "id.check_digit");
    CHECK(wrong.facts.at("expected") == "3");
    CHECK(wrong.facts.at("actual") == "4");
}

TEST_CASE("identity: GB 32100 check value 31 wraps to 0", "[identity]")
{
    // Weighted sum of 91330106MA2001ABC is 1178 = 38 * 31 (found and checked with python3).
    CHECK(gb32100CheckChar("91330106MA2001ABC") == '0');
    CHECK(checkId(IdKind::UnifiedSocialCreditCode, "91330106MA2001ABC0").ok);
    const auto r = checkId(IdKind::UnifiedSocialCreditCode, "91330106MA2001ABCY");
    CHECK(r.code == "id.check_digit");
    CHECK(r.facts.at("expected") == "0");
    CHECK(gb32100CheckChar("00000000000000000") == '0');
}

TEST_CASE("identity: every single-character change of a USCC is caught", "[identity]")
{
    const std::string valid = "91350100M000100Y43";
    const std::string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    for (std::size_t pos = 0; pos < 17; ++pos) {
        for (char c : charset) {
            if (c == valid[pos])
                continue;
            std::string changed = valid;
            changed[pos] = c;
            INFO(changed);
            CHECK_FALSE(checkId(IdKind::UnifiedSocialCreditCode, changed).ok);
        }
    }
}

TEST_CASE("identity: GB 32100 check function rejects malformed input", "[identity]")
{
    CHECK_FALSE(gb32100CheckChar("91350100M000100Y"));
    CHECK_FALSE(gb32100CheckChar("91350100m000100Y4"));
    CHECK_FALSE(gb32100CheckChar("91350100M000100Y43"));
}

TEST_CASE("identity: passports are free text within limits", "[identity]")
{
    const auto r = checkId(IdKind::Passport, "  e12345678 ");
    CHECK(r.ok);
    CHECK(r.normalized == "E12345678");
    CHECK_FALSE(r.birthDate);

    CHECK(checkId(IdKind::Passport, "A1234").ok);
    CHECK(checkId(IdKind::Passport, "ABCDEFGHIJ0123456789").ok);
    const auto tooShort = checkId(IdKind::Passport, "A123");
    CHECK(tooShort.code == "id.length");
    CHECK(tooShort.facts.at("expected") == "5-20");
    CHECK(tooShort.facts.at("actual") == "4");
    CHECK(checkId(IdKind::Passport, "ABCDEFGHIJ01234567890").code == "id.length");

    const auto dash = checkId(IdKind::Passport, "G-1234567");
    CHECK(dash.code == "id.charset");
    CHECK(dash.facts.at("position") == "2");
    CHECK(checkId(IdKind::Passport,
              "\xE6\x8A\xA4\xE7\x85\xA7"
              "12345")
              .facts.at("position")
        == "1");
}

TEST_CASE("identity: the first problem wins, in the documented order", "[identity]")
{
    // Wrong region, impossible date and wrong check digit at once: region is reported.
    CHECK(checkId(IdKind::ResidentId, "010105202302300010").code == "id.region");
    // Charset before region.
    CHECK(checkId(IdKind::ResidentId, "0101052023023000A0").code == "id.charset");
    // Date before check digit.
    CHECK(checkId(IdKind::ResidentId, "110105202302300010").code == "id.birth_date");
}

TEST_CASE("identity: facts never carry the full number", "[identity]")
{
    const std::vector<std::pair<IdKind, std::string>> bad{{IdKind::ResidentId, "110105194912310021"},
        {IdKind::ResidentId, "810000199408230021"}, {IdKind::HongKongMacaoPermit, "11010519491231002X"},
        {IdKind::UnifiedSocialCreditCode, "91350100M000100Y44"}, {IdKind::ResidentId, "1101051949123100"}};
    for (const auto& [kind, number] : bad) {
        const auto r = checkId(kind, number);
        REQUIRE_FALSE(r.ok);
        for (const auto& [key, value] : r.facts)
            CHECK(value.find(number.substr(0, 12)) == std::string::npos);
    }
}

TEST_CASE("identity: guessing the kind of a number", "[identity]")
{
    CHECK(guessIdKind("11010519491231002x") == IdKind::ResidentId);
    CHECK(guessIdKind("810000199408230021") == IdKind::HongKongMacaoPermit);
    CHECK(guessIdKind("820000200103150044") == IdKind::HongKongMacaoPermit);
    CHECK(guessIdKind("830000198007110116") == IdKind::TaiwanPermit);
    CHECK(guessIdKind("911840198001010013") == IdKind::ForeignPermanentResidenceId);
    CHECK(guessIdKind("91350100M000100Y43") == IdKind::UnifiedSocialCreditCode);
    CHECK(guessIdKind("91330106MA2001ABC0") == IdKind::UnifiedSocialCreditCode);
    CHECK(guessIdKind("E12345678") == IdKind::Passport);

    // Not valid, but shaped like one kind: the clerk then sees that kind's precise error.
    CHECK(guessIdKind("110105194912310021") == IdKind::ResidentId);
    CHECK(guessIdKind("911840198001010014") == IdKind::ForeignPermanentResidenceId);
    CHECK(guessIdKind("810000199408230022") == IdKind::HongKongMacaoPermit);
    CHECK(guessIdKind("91350100M000100Y44") == IdKind::UnifiedSocialCreditCode);

    CHECK_FALSE(guessIdKind(""));
    CHECK_FALSE(guessIdKind("A12"));
    CHECK_FALSE(guessIdKind("\xE7\x8E\x8B\xE8\x8A\xB3"));
    CHECK_FALSE(guessIdKind("ABCDEFGHIJ01234567890"));
}

TEST_CASE("identity: sex from the 17th digit", "[identity]")
{
    CHECK(sexFromId(IdKind::ResidentId, "330106199003071236") == Sex::Male);
    CHECK(sexFromId(IdKind::ResidentId, "11010519491231002X") == Sex::Female);
    CHECK(sexFromId(IdKind::HongKongMacaoPermit, "810000199408230021") == Sex::Female);
    CHECK(sexFromId(IdKind::TaiwanPermit, "830000198007110116") == Sex::Male);
    CHECK_FALSE(sexFromId(IdKind::ResidentId, "110105194912310021"));
    CHECK_FALSE(sexFromId(IdKind::UnifiedSocialCreditCode, "91110000100003882B"));
    CHECK_FALSE(sexFromId(IdKind::Passport, "E12345678"));
}

TEST_CASE("identity: masking ID numbers", "[identity]")
{
    CHECK(maskId("330102199001011234") == "3301**********1234");
    CHECK(maskId("91350100M000100Y43") == "9135**********0Y43");
    CHECK(maskId("E12345678") == "E123*5678");
    CHECK(maskId("E1234567") == "E******7");
    CHECK(maskId("AB") == "AB");
    CHECK(maskId("A") == "A");
    CHECK(maskId("") == "");

    // U+20BB7 (CJK Ext-B) is four bytes and one code point; ten code points mask to 4 + 2 + 4.
    const std::string ext = "\xF0\xA0\xAE\xB7";
    CHECK(maskId(ext + "123456789") == ext + "123**6789");
    CHECK(maskId(ext + "12" + ext) == ext + "**" + ext);
    const std::string cjk = "\xE7\x8E\x8B" + ext + "\xE8\x8A\xB3\xE6\x9D\x8E\xE5\xBC\xBA";
    CHECK(maskId(cjk) == "\xE7\x8E\x8B***\xE5\xBC\xBA");
}

TEST_CASE("identity: masking phone numbers", "[identity]")
{
    CHECK(maskPhone("13812345678") == "138****5678");
    CHECK(maskPhone(" 13812345678 ") == "138****5678");
    CHECK(maskPhone("0571-87654321") == "*********4321");
    CHECK(maskPhone("87654321") == "****4321");
    CHECK(maskPhone("+8613812345678") == "**********5678");
    CHECK(maskPhone("1234") == "1234");
    CHECK(maskPhone("") == "");
    CHECK(maskPhone("\xE7\x94\xB5\xE8\xAF\x9D"
                    "1234")
        == "**1234");
}
