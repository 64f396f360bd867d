#include "model/Applicant.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

const Date kToday(2026, 1, 15);

std::string residentId(const std::string& first17)
{
    return first17 + *gb11643CheckDigit(first17);
}

Applicant person()
{
    Applicant a;
    a.type = ApplicantType::Person;
    a.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    a.idKind = IdKind::ResidentId;
    a.idNumber = "11010519491231002X";
    a.phone = "13812345678";
    return a;
}

Applicant enterprise()
{
    Applicant a;
    a.type = ApplicantType::Enterprise;
    a.name
        = "\xE6\x9D\xAD\xE5\xB7\x9E\xE7\xA4\xBA\xE4\xBE\x8B\xE6\x9C\x89\xE9\x99\x90\xE5\x85\xAC\xE5\x8F\xB8";
    a.idKind = IdKind::UnifiedSocialCreditCode;
    a.idNumber = "91350100M000100Y43";
    a.phone = "0571-87654321";
    a.legalRepresentative = "\xE6\x9D\x8E\xE5\xBC\xBA"; // 李强
    return a;
}

Agent agent()
{
    Agent g;
    g.name = "\xE5\xBC\xA0\xE4\xB8\x89"; // 张三
    g.idKind = IdKind::ResidentId;
    g.idNumber = "330106199003071236";
    g.phone = "13900001111";
    g.authorisation = "WT-2026-0042";
    return g;
}

bool has(const std::vector<FieldProblem>& problems, const std::string& field, const std::string& code)
{
    return std::any_of(problems.begin(), problems.end(),
        [&](const FieldProblem& p) { return p.field == field && p.code == code; });
}

Applicant bornOn(const std::string& yyyymmdd)
{
    Applicant a = person();
    a.idNumber = residentId("330106" + yyyymmdd + "123");
    return a;
}

} // namespace

TEST_CASE("applicant: stable names of types and delivery methods", "[applicant]")
{
    CHECK(toString(ApplicantType::Person) == "person");
    CHECK(toString(ApplicantType::Enterprise) == "enterprise");
    CHECK(applicantTypeFromString("enterprise") == ApplicantType::Enterprise);
    CHECK_FALSE(applicantTypeFromString("company"));

    CHECK(toString(DeliveryMethod::PickUpAtWindow) == "window");
    CHECK(toString(DeliveryMethod::Post) == "post");
    CHECK(toString(DeliveryMethod::ELicence) == "e_licence");
    for (auto m : {DeliveryMethod::PickUpAtWindow, DeliveryMethod::Post, DeliveryMethod::ELicence})
        CHECK(deliveryMethodFromString(toString(m)) == m);
    CHECK_FALSE(deliveryMethodFromString("email"));
    CHECK_FALSE(deliveryMethodFromString(""));
}

TEST_CASE("applicant: complete applicants pass", "[applicant]")
{
    CHECK(validate(person(), kToday).empty());
    CHECK(validate(enterprise(), kToday).empty());

    Applicant withAgent = enterprise();
    withAgent.agent = agent();
    withAgent.delivery = DeliveryMethod::Post;
    withAgent.postalAddress = "\xE6\x9D\xAD\xE5\xB7\x9E\xE5\xB8\x82"; // 杭州市
    withAgent.assisted = true;
    CHECK(validate(withAgent, kToday).empty());

    Applicant noPhone = person();
    noPhone.phone = "";
    CHECK(validate(noPhone, kToday).empty());
}

TEST_CASE("applicant: names in any script are accepted", "[applicant]")
{
    Applicant a = person();
    a.name = "\xF0\xA0\xAE\xB7\xE5\xA4\xA7\xE5\x8D\x8E"; // 𠮷大华, U+20BB7 is CJK Ext-B (4 bytes)
    CHECK(validate(a, kToday).empty());
    a.name = "\xE4\xB9\xB0\xE4\xB9\xB0\xE6\x8F\x90\xC2\xB7\xE8\x89\xBE\xE5\x8A\x9B"; // 买买提·艾力
    CHECK(validate(a, kToday).empty());
    a.name = "Jos\xC3\xA9 Garc\xC3\xAD"
             "a-L\xC3\xB3pez";
    a.idKind = IdKind::Passport;
    a.idNumber = "XDA123456";
    CHECK(validate(a, kToday).empty());
}

TEST_CASE("applicant: empty, invalid and overlong names", "[applicant]")
{
    Applicant a = person();
    a.name = " \xE3\x80\x80 ";
    CHECK(has(validate(a, kToday), "name", "applicant.name_empty"));

    a.name = "\xE7\x8E\x8B\t\xE8\x8A\xB3";
    auto problems = validate(a, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == "applicant.name_invalid");
    CHECK(problems[0].facts.at("position") == "2");
    CHECK(problems[0].facts.at("codepoint") == "U+0009");

    a.name = std::string("ab\0c", 4);
    CHECK(has(validate(a, kToday), "name", "applicant.name_invalid"));
    a.name = "ab\xC2\x85"
             "c"; // NEL, a C1 control
    CHECK(has(validate(a, kToday), "name", "applicant.name_invalid"));
    a.name = "ab\xE2\x80\xA8"
             "c"; // line separator
    CHECK(has(validate(a, kToday), "name", "applicant.name_invalid"));

    a.name = "\xE7\x8E\x8B\xFF";
    problems = validate(a, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].facts.at("reason") == "utf8");
    a.name = "\xE7\x8E"; // truncated sequence
    CHECK(has(validate(a, kToday), "name", "applicant.name_invalid"));
    a.name = "\xC0\xAF"; // overlong '/'
    CHECK(has(validate(a, kToday), "name", "applicant.name_invalid"));

    // 100 code points of a 4-byte character are fine; 101 are too many.
    std::string longName;
    for (int i = 0; i < 100; ++i)
        longName += "\xF0\xA0\xAE\xB7";
    a.name = longName;
    CHECK(validate(a, kToday).empty());
    a.name = longName + "\xE7\x8E\x8B";
    problems = validate(a, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == "applicant.name_too_long");
    CHECK(problems[0].facts.at("max") == "100");
    CHECK(problems[0].facts.at("actual") == "101");
}

TEST_CASE("applicant: several problems are listed at once", "[applicant]")
{
    Applicant a = person();
    a.name = "";
    a.idNumber = "110105194912310021";
    a.phone = "1381234567";
    a.delivery = DeliveryMethod::Post;
    a.agent = agent();
    a.agent->authorisation = "  ";
    a.agent->idNumber = "33010619900307123";

    const auto problems = validate(a, kToday);
    REQUIRE(problems.size() == 6);
    CHECK(problems[0].field == "name");
    CHECK(problems[0].code == "applicant.name_empty");
    CHECK(problems[1].field == "idNumber");
    CHECK(problems[1].code == "id.check_digit");
    CHECK(problems[1].facts.at("expected") == "X");
    CHECK(problems[2].field == "phone");
    CHECK(problems[2].code == "applicant.phone");
    CHECK(problems[3].field == "agent.idNumber");
    CHECK(problems[3].code == "id.length");
    CHECK(problems[4].field == "agent.authorisation");
    CHECK(problems[4].code == "applicant.agent_authorisation_missing");
    CHECK(problems[5].field == "postalAddress");
    CHECK(problems[5].code == "applicant.postal_address_missing");
}

TEST_CASE("applicant: ID kind must fit the applicant type", "[applicant]")
{
    Applicant p = person();
    p.idKind = IdKind::UnifiedSocialCreditCode;
    p.idNumber = "91350100M000100Y43";
    auto problems = validate(p, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "idKind");
    CHECK(problems[0].code == "applicant.id_kind_mismatch");
    CHECK(problems[0].facts.at("type") == "person");
    CHECK(problems[0].facts.at("idKind") == "uscc");

    Applicant e = enterprise();
    e.idKind = IdKind::ResidentId;
    e.idNumber = "11010519491231002X";
    CHECK(has(validate(e, kToday), "idKind", "applicant.id_kind_mismatch"));
    e.idKind = IdKind::Passport;
    e.idNumber = "E12345678";
    CHECK(has(validate(e, kToday), "idKind", "applicant.id_kind_mismatch"));

    for (auto kind : {IdKind::HongKongMacaoPermit, IdKind::TaiwanPermit, IdKind::ForeignPermanentResidenceId,
             IdKind::Passport}) {
        Applicant q = person();
        q.idKind = kind;
        CHECK_FALSE(has(validate(q, kToday), "idKind", "applicant.id_kind_mismatch"));
    }
}

TEST_CASE("applicant: ID problems carry the identity code", "[applicant]")
{
    Applicant a = person();
    a.idNumber = residentId("33010620990101123");
    auto problems = validate(a, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "idNumber");
    CHECK(problems[0].code == "id.birth_date");
    CHECK(problems[0].facts.at("reason") == "future");

    a.idNumber = "";
    CHECK(has(validate(a, kToday), "idNumber", "id.empty"));
    a.idNumber = "11010519491231002x";
    CHECK(validate(a, kToday).empty());
}

TEST_CASE("applicant: phone numbers", "[applicant]")
{
    const std::vector<std::string> good{"13812345678", " 13812345678 ", "19900000000", "0571-87654321",
        "87654321", "0571-8765-4321", "05718765432", "400-123-4567"};
    const std::vector<std::string> bad{"1381234567", "138123456789", "+8613812345678", "138 1234 5678",
        "0571--87654321", "-057187654321", "0571876543-", "1234-5678", "1234567", "123456",
        "057187654321098765432", "abcdefgh", "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98"};
    for (const auto& phone : good) {
        Applicant a = person();
        a.phone = phone;
        INFO(phone);
        CHECK(validate(a, kToday).empty());
    }
    for (const auto& phone : bad) {
        Applicant a = person();
        a.phone = phone;
        INFO(phone);
        CHECK(has(validate(a, kToday), "phone", "applicant.phone"));
    }
}

TEST_CASE("applicant: agent rules", "[applicant]")
{
    Applicant a = person();
    a.agent = agent();
    CHECK(validate(a, kToday).empty());

    a.agent->authorisation = "";
    CHECK(has(validate(a, kToday), "agent.authorisation", "applicant.agent_authorisation_missing"));
    a.agent->authorisation = "WT-1";

    a.agent->name = "";
    CHECK(has(validate(a, kToday), "agent.name", "applicant.name_empty"));
    a.agent->name = "\xE5\xBC\xA0\n\xE4\xB8\x89";
    CHECK(has(validate(a, kToday), "agent.name", "applicant.name_invalid"));
    a.agent->name = "\xE5\xBC\xA0\xE4\xB8\x89";

    a.agent->idNumber = "330106199003071235";
    auto problems = validate(a, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "agent.idNumber");
    CHECK(problems[0].code == "id.check_digit");
    CHECK(problems[0].facts.at("expected") == "6");

    a.agent->idKind = IdKind::UnifiedSocialCreditCode;
    a.agent->idNumber = "91350100M000100Y43";
    CHECK(has(validate(a, kToday), "agent.idKind", "applicant.id_kind_mismatch"));

    a.agent->idKind = IdKind::Passport;
    a.agent->idNumber = "P1234567";
    a.agent->phone = "12345";
    problems = validate(a, kToday);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "agent.phone");
}

TEST_CASE("applicant: postal delivery needs an address", "[applicant]")
{
    Applicant a = person();
    a.delivery = DeliveryMethod::Post;
    CHECK(has(validate(a, kToday), "postalAddress", "applicant.postal_address_missing"));
    a.postalAddress = "\xE3\x80\x80";
    CHECK(has(validate(a, kToday), "postalAddress", "applicant.postal_address_missing"));
    a.postalAddress
        = "\xE6\x9D\xAD\xE5\xB7\x9E\xE5\xB8\x82\xE4\xB8\x8A\xE5\x9F\x8E\xE5\x8C\xBA 1 \xE5\x8F\xB7";
    CHECK(validate(a, kToday).empty());

    Applicant window = person();
    window.delivery = DeliveryMethod::PickUpAtWindow;
    CHECK(validate(window, kToday).empty());
    Applicant online = person();
    online.delivery = DeliveryMethod::ELicence;
    CHECK(validate(online, kToday).empty());
}

TEST_CASE("applicant: legal representative name is checked when given", "[applicant]")
{
    Applicant e = enterprise();
    e.legalRepresentative = "";
    CHECK(validate(e, kToday).empty());
    e.legalRepresentative = "\xE6\x9D\x8E\x1B\xE5\xBC\xBA";
    CHECK(has(validate(e, kToday), "legalRepresentative", "applicant.name_invalid"));
}

TEST_CASE("applicant: birth date and age come from the ID", "[applicant]")
{
    const Applicant a = person();
    CHECK(birthDate(a) == Date(1949, 12, 31));
    CHECK(age(a, Date(2026, 1, 15)) == 76);
    CHECK(age(a, Date(1949, 12, 31)) == 0);
    CHECK_FALSE(age(a, Date(1949, 12, 30)));

    Applicant permit = person();
    permit.idKind = IdKind::TaiwanPermit;
    permit.idNumber = "830000198007110116";
    CHECK(birthDate(permit) == Date(1980, 7, 11));

    Applicant passport = person();
    passport.idKind = IdKind::Passport;
    passport.idNumber = "E12345678";
    CHECK_FALSE(birthDate(passport));
    CHECK_FALSE(age(passport, kToday));
    CHECK_FALSE(isElderly(passport, kToday));

    Applicant broken = person();
    broken.idNumber = "110105194912310021";
    CHECK_FALSE(birthDate(broken));
    CHECK_FALSE(birthDate(enterprise()));
}

TEST_CASE("applicant: elderly from the 60th birthday on", "[applicant]")
{
    const Applicant a = bornOn("19660115");
    CHECK(age(a, Date(2026, 1, 14)) == 59);
    CHECK_FALSE(isElderly(a, Date(2026, 1, 14)));
    CHECK(age(a, Date(2026, 1, 15)) == 60);
    CHECK(isElderly(a, Date(2026, 1, 15)));
    CHECK(isElderly(a, Date(2026, 1, 16)));

    // The threshold is configurable per centre.
    CHECK_FALSE(isElderly(a, Date(2026, 1, 15), 65));
    CHECK(isElderly(a, Date(2031, 1, 15), 65));
    CHECK_FALSE(isElderly(a, Date(2031, 1, 14), 65));
}

TEST_CASE("applicant: elderly with a 29 February birthday", "[applicant]")
{
    const Applicant a = bornOn("19640229");
    REQUIRE(birthDate(a) == Date(1964, 2, 29));
    // 2024 is a leap year, so the 60th birthday exists.
    CHECK_FALSE(isElderly(a, Date(2024, 2, 28)));
    CHECK(isElderly(a, Date(2024, 2, 29)));
    // 2029 is not: the 65th birthday is counted from 1 March.
    CHECK_FALSE(isElderly(a, Date(2029, 2, 28), 65));
    CHECK(isElderly(a, Date(2029, 3, 1), 65));
}

TEST_CASE("applicant: screens show masked numbers", "[applicant]")
{
    Applicant a = person();
    a.idNumber = " 11010519491231002x ";
    CHECK(displayId(a) == "1101**********002X");
    CHECK(displayPhone(a) == "138****5678");
    CHECK(displayId(enterprise()) == "9135**********0Y43");
    CHECK(displayPhone(enterprise()) == "*********4321");
    Applicant none = person();
    none.idNumber = "";
    none.phone = "";
    CHECK(displayId(none) == "");
    CHECK(displayPhone(none) == "");
}
