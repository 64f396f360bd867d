// The intake tab's logic without a toolkit (client/gui/IntakeForm.h): fields checked as
// typed, numbers held masked, bundles and matters, the merged checklist, which decisions
// fit, what blocks carrying out, and the one job that opens and decides, run against the
// real services on the service-test workstation. Also the simulated ID-card reader.
#include "../model/ServiceWorld.h"
#include "client/core/IdCardReader.h"
#include "client/gui/IntakeForm.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace ow;
using gui::Blocker;
using gui::Decision;
using gui::Mark;

namespace {

const model::Date kDay(2026, 2, 12);
const std::string kBundle = "330102-YJS-001"; // 二手房交易一件事: BDC-001, SW-001, SDQ-001
const std::string kTransfer = "330102-BDC-001";
const std::string kDeedTax = "330102-SW-001";
const std::string kUtilities = "330102-SDQ-001";

std::string residentId(const std::string& first17)
{
    return first17 + *model::gb11643CheckDigit(first17);
}

struct Fixture {
    test::ServiceWorld world{kDay, {}};
    gui::IntakeForm form;

    Fixture()
    {
        form.setCatalogue(world.catalogue);
        form.setToday(kDay);
        form.setUser(*world.staff.findStaff("clerk01"));
        form.setCommitmentDue(kDay.addDays(7));
    }

    // What the tab does after each change of matters: ask the service, hand the answer back.
    void loadChecklist()
    {
        REQUIRE(form.setChecklist(world.intake.checklist(form.matters()), form.matters()));
    }

    void typeApplicant()
    {
        form.setName("\xE7\x8E\x8B\xE8\x8A\xB3"); // 王芳
        form.setIdNumber(residentId("33010219800101123"));
        form.setPhone("13812345678");
    }
};

} // namespace

TEST_CASE("intake form: an ID number is counted while typed and judged when complete or left", "[intake]")
{
    Fixture f;
    CHECK(f.form.field("idNumber", true).mark == Mark::None); // nothing typed yet: no nagging

    f.form.setIdNumber("330102198001");
    auto s = f.form.field("idNumber", true);
    CHECK(s.mark == Mark::Typing);
    CHECK(s.typed == "12");
    CHECK(s.expected == "18");

    // Leaving the field makes the same problem a problem.
    f.form.touch("idNumber");
    s = f.form.field("idNumber", false);
    REQUIRE(s.mark == Mark::Problem);
    CHECK(s.problem->code == "id.length");

    const std::string good = residentId("33010219800101123");
    std::string bad = good;
    bad.back() = bad.back() == '1' ? '2' : '1';
    f.form.setIdNumber(bad);
    s = f.form.field("idNumber", true);
    REQUIRE(s.mark == Mark::Problem); // complete and wrong: said at once, even while typing
    CHECK(s.problem->code == "id.check_digit");

    f.form.setIdNumber(good);
    CHECK(f.form.field("idNumber", true).mark == Mark::Ok);
}

TEST_CASE("intake form: the kind follows a completed number until chosen, and the type follows the kind",
    "[intake]")
{
    Fixture f;
    const std::string uscc
        = "91330102MA2ABCDE1" + std::string(1, *model::gb32100CheckChar("91330102MA2ABCDE1"));
    f.form.setIdNumber(uscc.substr(0, 10));
    CHECK(f.form.applicant().idKind == model::IdKind::ResidentId); // not complete: nothing moves
    CHECK(f.form.field("idNumber", true).mark == Mark::Typing); // counted as the credit code it is becoming
    f.form.setIdNumber(uscc);
    CHECK(f.form.applicant().idKind == model::IdKind::UnifiedSocialCreditCode);
    CHECK(f.form.applicant().type == model::ApplicantType::Enterprise);
    CHECK(f.form.field("idNumber", false).mark == Mark::Ok);

    // Explicit choices stick, and the model says when they do not fit together.
    f.form.setType(model::ApplicantType::Enterprise);
    f.form.setIdKind(model::IdKind::ResidentId);
    f.form.setIdNumber(residentId("33010219800101123"));
    CHECK(f.form.applicant().type == model::ApplicantType::Enterprise);
    const auto kind = f.form.field("idKind", false);
    REQUIRE(kind.mark == Mark::Problem);
    CHECK(kind.problem->code == "applicant.id_kind_mismatch");
}

TEST_CASE("intake form: empty fields are quiet until the clerk tries to carry out", "[intake]")
{
    Fixture f;
    CHECK(f.form.field("name", false).mark == Mark::None);
    f.form.touchAll();
    const auto s = f.form.field("name", false);
    REQUIRE(s.mark == Mark::Problem);
    CHECK(s.problem->code == "applicant.name_empty");

    f.form.setPhone("1381234");
    CHECK(f.form.field("phone", true).mark == Mark::Problem); // after touchAll even a half number counts
}

TEST_CASE("intake form: numbers from a case or the card are held masked until typed over", "[intake]")
{
    Fixture f;
    model::Applicant a;
    a.name = "\xE7\x8E\x8B\xE8\x8A\xB3";
    a.idNumber = residentId("33010219800101123");
    a.phone = "13812345678";
    f.form.takeApplicant(a);
    CHECK(f.form.idHeld());
    CHECK(f.form.idText() == "3301**********123X");
    CHECK(f.form.phoneText() == "138****5678");
    CHECK(f.form.applicant().idNumber == a.idNumber); // the full number stays in memory
    CHECK(f.form.field("idNumber", false).mark == Mark::Ok);

    f.form.setPhone("1");
    CHECK_FALSE(f.form.phoneHeld());
    CHECK(f.form.phoneText() == "1");
    CHECK(f.form.idHeld());
}

TEST_CASE("intake form: a bundle ticks its matters; unticking one of them drops the bundle", "[intake]")
{
    Fixture f;
    f.form.setMatter("330102-GA-001", true);
    f.form.chooseBundle(kBundle);
    CHECK(f.form.matters() == std::vector<std::string>{kTransfer, kDeedTax, kUtilities, "330102-GA-001"});
    f.form.setMatter(kUtilities, false);
    CHECK(f.form.bundle().empty());
    CHECK(f.form.matters() == std::vector<std::string>{kTransfer, kDeedTax, "330102-GA-001"});

    // Another bundle replaces the matters of the one before, not those ticked by hand.
    f.form.chooseBundle(kBundle);
    f.form.chooseBundle("330102-YJS-002");
    CHECK(std::find(f.form.matters().begin(), f.form.matters().end(), kTransfer) == f.form.matters().end());
    CHECK(f.form.hasMatter("330102-GA-001"));
}

TEST_CASE(
    "intake form: one merged checklist, data-shared materials ticked, stale answers ignored", "[intake]")
{
    Fixture f;
    f.form.chooseBundle(kBundle);
    const auto asked = f.form.matters();
    const auto answer = f.world.intake.checklist(asked, kBundle);
    f.form.setMatter(kUtilities, false);
    CHECK_FALSE(f.form.setChecklist(answer, asked)); // the matters changed meanwhile
    CHECK_FALSE(f.form.checklistCurrent());
    f.form.chooseBundle(kBundle);
    f.loadChecklist();

    const auto* idCard = f.form.material("id_card");
    REQUIRE(idCard);
    CHECK(idCard->requiredBy.size() == 3); // asked for once, needed by all three matters
    CHECK(f.form.received("id_card")); // data sharing
    CHECK(f.form.received("marriage_record"));
    CHECK(f.form.missingMandatory() == std::vector<std::string>{"property_certificate", "sale_contract"});

    // The clerk's ticks survive a new answer; a data-shared material unticked stays unticked.
    f.form.setReceived("property_certificate", true);
    f.form.setReceived("id_card", false);
    f.form.setMatter("330102-GA-001", true);
    f.loadChecklist();
    CHECK(f.form.received("property_certificate"));
    CHECK_FALSE(f.form.received("id_card"));
}

TEST_CASE("intake form: the decisions that fit, and why the others do not", "[intake]")
{
    Fixture f;
    f.typeApplicant();
    f.form.chooseBundle(kBundle);
    f.loadChecklist();

    auto accept = f.form.availability(Decision::Accept);
    CHECK_FALSE(accept.allowed);
    CHECK(accept.why == Blocker::MaterialsMissing);
    CHECK(accept.materials.size() == 2);
    CHECK(f.form.availability(Decision::AcceptDeficient).allowed);
    CHECK(f.form.decision() == Decision::Notice); // what a clerk does when something is missing

    f.form.setReceived("property_certificate", true);
    f.form.setReceived("sale_contract", true);
    CHECK(f.form.decision() == Decision::Accept);
    CHECK(f.form.availability(Decision::AcceptDeficient).why == Blocker::NothingMissing);
    CHECK(f.form.blockers().empty());

    // A choice that stops fitting falls back, and comes back when it fits again.
    f.form.setReceived("sale_contract", false);
    f.form.choose(Decision::AcceptDeficient);
    f.form.setReceived("sale_contract", true);
    CHECK(f.form.decision() == Decision::Accept);
    f.form.setReceived("sale_contract", false);
    CHECK(f.form.decision() == Decision::AcceptDeficient);

    // A reviewer may not take in applications at all.
    f.form.setUser(*f.world.staff.findStaff("reviewer01"));
    CHECK(f.form.availability(Decision::Refuse).why == Blocker::NotPermitted);
}

TEST_CASE("intake form: what blocks carrying out each decision", "[intake]")
{
    Fixture f;
    CHECK(f.form.blockers().front() == Blocker::ApplicantInvalid);
    f.typeApplicant();
    CHECK(f.form.blockers().front() == Blocker::NoMatters);
    f.form.setMatter(kTransfer, true);
    CHECK(f.form.blockers().front() == Blocker::ChecklistPending);
    f.loadChecklist();

    f.form.choose(Decision::AcceptDeficient);
    CHECK(f.form.blockers() == std::vector<Blocker>{Blocker::CommitmentMissing});
    f.form.setCommitted(true);
    f.form.setCommitmentDue(kDay);
    CHECK(f.form.blockers() == std::vector<Blocker>{Blocker::CommitmentNotInFuture});

    f.form.choose(Decision::Refuse);
    CHECK(f.form.blockers() == std::vector<Blocker>{Blocker::ReasonMissing, Blocker::LegalBasisMissing});
    f.form.setRefusal("not within this centre's remit", "Administrative Licensing Law art. 32");
    CHECK(f.form.blockers().empty());

    // A notice lists the missing materials and every other requirement, one per line.
    f.form.choose(Decision::Notice);
    f.form.setNoticeExtra("  signature of the co-owner \n\n notarised power of attorney");
    CHECK(f.form.plan().items
        == std::vector<std::string>{"property_certificate", "sale_contract", "signature of the co-owner",
            "notarised power of attorney"});
}

TEST_CASE("intake: one job opens the case and records the decision", "[intake]")
{
    Fixture f;
    f.typeApplicant();
    f.form.chooseBundle(kBundle);
    f.loadChecklist();
    f.form.setReceived("property_certificate", true);
    f.form.setReceived("sale_contract", true);

    const auto out = gui::carryOut(f.world.intake, "clerk01", f.form.request("W03"), f.form.plan(), nullptr);
    REQUIRE_FALSE(out.error);
    REQUIRE(out.decided);
    CHECK(out.decided->status == model::CaseStatus::Accepted);
    CHECK(out.decided->bundle == kBundle);
    CHECK(out.decided->window == "W03");
    CHECK(out.decided->materials.size() == 4);
    CHECK(gui::surnameOf(out.decided->applicant.name) == "\xE7\x8E\x8B"); // 王
}

TEST_CASE(
    "intake: a decision that fails leaves the case open, and the retry decides the same case", "[intake]")
{
    Fixture f;
    f.typeApplicant();
    f.form.setMatter(kTransfer, true);
    f.loadChecklist();
    // Plain acceptance while materials are missing: the form would not offer it, the model refuses it.
    gui::DecisionPlan accept;
    const auto first = gui::carryOut(f.world.intake, "clerk01", f.form.request("W03"), accept, nullptr);
    REQUIRE(first.opened);
    CHECK_FALSE(first.decided);
    REQUIRE(first.error);
    CHECK(first.opened->status == model::CaseStatus::Consulting);

    const auto events = f.world.eventCount();
    f.form.setReceived("property_certificate", true);
    f.form.setReceived("sale_contract", true);
    const auto second
        = gui::carryOut(f.world.intake, "clerk01", f.form.request("W03"), accept, &*first.opened);
    REQUIRE(second.decided);
    CHECK(second.decided->number == first.opened->number);
    CHECK(second.decided->status == model::CaseStatus::Accepted);
    CHECK(f.world.eventCount() == events + 2); // materials received, accepted: no second case
}

TEST_CASE("intake: an invalid applicant comes back with every field problem and opens nothing", "[intake]")
{
    Fixture f;
    f.form.setIdNumber("330102");
    f.form.setPhone("12");
    f.form.setMatter(kTransfer, true);
    f.loadChecklist();
    const auto out = gui::carryOut(f.world.intake, "clerk01", f.form.request("W03"), f.form.plan(), nullptr);
    CHECK_FALSE(out.opened);
    REQUIRE(out.error);
    std::set<std::string> fields;
    for (const auto& p : out.problems)
        fields.insert(p.field);
    CHECK(fields == std::set<std::string>{"name", "idNumber", "phone"});
    CHECK(f.world.eventCount() == 0);
}

TEST_CASE(
    "simulated ID card: the demo card, a card from a file, no card, an unreadable card", "[intake][idcard]")
{
    const auto demo = client::SimulatedIdCardReader().read();
    REQUIRE(demo);
    CHECK(model::validate(*demo, kDay).empty());
    CHECK(model::isElderly(*demo, kDay));
    CHECK_FALSE(demo->postalAddress.empty());

    const auto dir = std::filesystem::temp_directory_path() / "ow-intake-card-test";
    std::filesystem::create_directories(dir);
    const auto path = (dir / "card.json").string();
    {
        std::ofstream out(path);
        out << R"({"name": "\u674e\u5f3a", "idNumber": ")" << residentId("11010519491231002")
            << R"(", "address": "\u5317\u4eac\u5e02\u671d\u9633\u533a"})";
    }
    client::SimulatedIdCardReader reader(path);
    const auto card = reader.read();
    REQUIRE(card);
    CHECK(card->name == "\xE6\x9D\x8E\xE5\xBC\xBA"); // 李强
    CHECK(card->idKind == model::IdKind::ResidentId);
    CHECK(card->postalAddress == "\xE5\x8C\x97\xE4\xBA\xAC\xE5\xB8\x82\xE6\x9C\x9D\xE9\x98\xB3\xE5\x8C\xBA");

    {
        std::ofstream out(path);
        out << R"({"name": "x")";
    }
    const auto error = test::errorOf([&] { reader.read(); });
    REQUIRE(error);
    CHECK(error->code() == "idcard.unreadable");
    CHECK(error->fact("reason") == "json");

    std::filesystem::remove_all(dir);
    CHECK_FALSE(reader.read()); // no card on the reader
}

TEST_CASE("intake: the surname in the tab title", "[intake]")
{
    CHECK(gui::surnameOf("王芳") == "王");
    CHECK(gui::surnameOf("欧阳娜娜") == "欧阳");
    CHECK(gui::surnameOf("欧阳") == "欧"); // a two-character name is surname and given name
    CHECK(gui::surnameOf(" Smith John ") == "Smith");
    CHECK(gui::surnameOf("\xF0\xA0\x80\x80\xE6\x98\x8E") == "\xF0\xA0\x80\x80"); // CJK Extension B
    CHECK(gui::surnameOf("") == "");
}
