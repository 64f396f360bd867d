// The intake tab's logic without a toolkit (client/gui/IntakeForm.h): fields checked as
// typed, numbers held masked, bundles and matters, the merged checklist, which decisions
// fit, what blocks carrying out, the draft a ticket passed on carries, and the one job that
// opens and decides, run against the real services on the service-test workstation. Also
// the simulated ID-card reader.
#include "../model/ServiceWorld.h"
#include "client/core/IdCardReader.h"
#include "client/gui/IntakeForm.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

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

    Fixture() { prepare(form); }

    // What the tab sets once the backend answered.
    void prepare(gui::IntakeForm& f) const
    {
        f.setCatalogue(world.catalogue);
        f.setToday(kDay);
        f.setUser(*world.staff.findStaff("clerk01"));
        f.setCommitmentDue(kDay.addDays(7));
    }

    // The form of the window the ticket was passed on to.
    gui::IntakeForm receiving() const
    {
        gui::IntakeForm f;
        prepare(f);
        return f;
    }

    // What the tab does after each change of matters: ask the service, hand the answer back.
    void loadChecklist() { loadChecklist(form); }
    void loadChecklist(gui::IntakeForm& f)
    {
        REQUIRE(f.setChecklist(world.intake.checklist(f.matters()), f.matters()));
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

namespace {

std::string canonical(const gui::IntakeForm& form)
{
    return form.draft().canonical();
}

std::string applicantOf(const gui::IntakeForm& form)
{
    return model::toJson(form.applicant()).canonical();
}

// What a restored form offers must be what the form it came from offered, once both have
// the checklist of their matters.
void checkSameDecisions(const gui::IntakeForm& restored, const gui::IntakeForm& original)
{
    for (auto d : {Decision::Accept, Decision::AcceptDeficient, Decision::Notice, Decision::Refuse}) {
        const auto a = restored.availability(d);
        const auto b = original.availability(d);
        CHECK(a.allowed == b.allowed);
        CHECK(a.why == b.why);
        CHECK(a.materials == b.materials);
    }
    CHECK(restored.decision() == original.decision());
    CHECK(restored.blockers() == original.blockers());
    CHECK(restored.missingMandatory() == original.missingMandatory());
    const auto p = restored.plan();
    const auto q = original.plan();
    CHECK(p.decision == q.decision);
    CHECK(p.missing == q.missing);
    CHECK(p.commitmentDue == q.commitmentDue);
    CHECK(p.items == q.items);
    CHECK(p.reason == q.reason);
    CHECK(p.legalBasis == q.legalBasis);
}

} // namespace

TEST_CASE("intake draft: a person with an agent, a bundle and one more matter, ticks and every decision "
          "survive being passed on",
    "[intake][draft]")
{
    Fixture f;
    // From the ID card: the numbers are held, masked.
    model::Applicant card;
    card.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    card.idNumber = residentId("33010219800101123");
    card.phone = "13812345678";
    card.postalAddress = "\xE6\x9D\xAD\xE5\xB7\x9E\xE5\xB8\x82"; // 杭州市
    f.form.takeApplicant(card);
    f.form.setAgentOn(true);
    f.form.setAgentName("\xE6\x9D\x8E\xE5\xBC\xBA"); // 李强
    f.form.setAgentIdKind(model::IdKind::Passport);
    f.form.setAgentIdNumber("E12345678");
    f.form.setAgentPhone("13987654321");
    f.form.setAgentAuthorisation("WT-2026-0042");
    f.form.setAssisted(true);
    f.form.setDelivery(model::DeliveryMethod::Post);
    f.form.chooseBundle(kBundle);
    f.form.setMatter("330102-GA-001", true);
    f.loadChecklist();
    f.form.setReceived("property_certificate", true);
    f.form.setReceived("id_card", false); // a data-shared material the clerk unticked
    f.form.setCommitted(true);
    f.form.setCommitmentDue(kDay.addDays(10));
    f.form.setNoticeExtra("signature of the co-owner\nnotarised power of attorney");
    f.form.setRefusal("not within this centre's remit", "Administrative Licensing Law art. 32");
    REQUIRE(f.form.idHeld());
    REQUIRE(f.form.problems().empty());

    const auto decision
        = GENERATE(Decision::Accept, Decision::AcceptDeficient, Decision::Notice, Decision::Refuse);
    f.form.choose(decision);
    const model::Json draft = f.form.draft();
    CHECK(draft["version"].asInt() == 1);
    CHECK(draft["applicant"]["idNumber"].asString() == card.idNumber); // carried in full
    CHECK(draft["matters"].size() == 4);

    // Through its stored text, as the queue keeps it.
    const model::Json stored = model::Json::parse(draft.canonical());
    gui::IntakeForm restored = f.receiving();
    restored.restore(stored);
    CHECK(canonical(restored) == draft.canonical());
    CHECK(applicantOf(restored) == applicantOf(f.form));
    CHECK(restored.idHeld());
    CHECK(restored.phoneHeld());
    CHECK(restored.idText() == f.form.idText()); // masked again
    CHECK(restored.phoneText() == "138****5678");
    CHECK(restored.agentOn());
    CHECK(restored.bundle() == kBundle);
    CHECK(restored.matters() == f.form.matters());
    CHECK(restored.committed());
    CHECK(restored.commitmentDue() == kDay.addDays(10));
    CHECK(restored.noticeExtra() == f.form.noticeExtra());
    CHECK(restored.refusalReason() == f.form.refusalReason());
    CHECK(restored.refusalLegalBasis() == f.form.refusalLegalBasis());

    // The ticks wait for the checklist the receiving window asks for, and are kept by it.
    CHECK_FALSE(restored.checklistCurrent());
    CHECK(restored.blockers() == std::vector<Blocker>{Blocker::ChecklistPending});
    f.loadChecklist(restored);
    CHECK(restored.received("property_certificate"));
    CHECK_FALSE(restored.received("id_card"));
    CHECK(restored.received("marriage_record")); // data-shared, ticked when first listed
    CHECK(canonical(restored) == draft.canonical());
    checkSameDecisions(restored, f.form);
}

TEST_CASE("intake draft: an enterprise typed by hand survives being passed on", "[intake][draft]")
{
    Fixture f;
    const std::string uscc
        = "91330102MA2ABCDE1" + std::string(1, *model::gb32100CheckChar("91330102MA2ABCDE1"));
    f.form.setIdNumber(uscc); // the kind and the type follow the number
    f.form.setName("\xE6\x9D\xAD\xE5\xB7\x9E\xE6\x9F\x90\xE5\x85\xAC\xE5\x8F\xB8"); // 杭州某公司
    f.form.setLegalRepresentative("\xE7\x8E\x8B\xE8\x8A\xB3");
    f.form.setPhone("13812345678");
    f.form.setDelivery(model::DeliveryMethod::ELicence);
    f.form.setMatter(kTransfer, true);
    f.loadChecklist();
    f.form.setReceived("property_certificate", true);
    f.form.setReceived("sale_contract", true);
    REQUIRE(f.form.blockers().empty());

    gui::IntakeForm restored = f.receiving();
    restored.restore(f.form.draft());
    CHECK(canonical(restored) == canonical(f.form));
    CHECK(applicantOf(restored) == applicantOf(f.form));
    CHECK(restored.applicant().type == model::ApplicantType::Enterprise);
    CHECK(restored.applicant().idKind == model::IdKind::UnifiedSocialCreditCode);
    CHECK(restored.applicant().legalRepresentative == f.form.applicant().legalRepresentative);
    CHECK_FALSE(restored.idHeld()); // typed, shown as typed
    CHECK(restored.idText() == uscc);
    CHECK(restored.problems().empty());
    CHECK(restored.started());
    f.loadChecklist(restored);
    checkSameDecisions(restored, f.form);
    CHECK(restored.blockers().empty());
    CHECK(restored.decision() == Decision::Accept); // nothing was chosen: the first that fits

    // The kind was not chosen: it still follows what the receiving clerk types.
    restored.setIdNumber(residentId("33010219800101123"));
    CHECK(restored.applicant().idKind == model::IdKind::ResidentId);
}

TEST_CASE("intake draft: an empty form, and a draft that leaves things out", "[intake][draft]")
{
    Fixture f;
    gui::IntakeForm restored = f.receiving();
    restored.restore(f.form.draft());
    CHECK(canonical(restored) == canonical(f.form));
    CHECK_FALSE(restored.started());
    CHECK(restored.checklistCurrent()); // no matters: nothing to wait for

    // Missing members take an empty form's values; the commitment date proposed stays.
    model::Json sparse = model::Json::object();
    sparse["version"] = 1;
    sparse["applicant"]["name"] = "\xE7\x8E\x8B\xE8\x8A\xB3";
    sparse["matters"] = model::Json::array();
    sparse["matters"].push_back(kTransfer);
    sparse["decision"]["chosen"] = nullptr;
    restored.setAgentOn(true);
    restored.restore(sparse);
    CHECK(restored.applicant().name == "\xE7\x8E\x8B\xE8\x8A\xB3");
    CHECK(restored.applicant().idNumber.empty());
    CHECK_FALSE(restored.agentOn());
    CHECK(restored.matters() == std::vector<std::string>{kTransfer});
    CHECK(restored.bundle().empty());
    CHECK(restored.commitmentDue() == kDay.addDays(7));
    f.loadChecklist(restored);
    CHECK(restored.received("id_card")); // never listed before: data sharing ticks it
}

TEST_CASE("intake draft: an unknown version or a value of the wrong type is refused, naming the field, "
          "and the form keeps what it had",
    "[intake][draft]")
{
    Fixture f;
    f.typeApplicant();
    f.form.chooseBundle(kBundle);
    f.loadChecklist();
    f.form.setReceived("property_certificate", true);
    const model::Json good = f.form.draft();
    const std::string before = canonical(f.form);
    const std::string nextTick
        = "materials.received[" + std::to_string(good["materials"]["received"].size()) + "]";

    struct Case {
        std::string what;
        std::function<void(model::Json&)> spoil;
        std::string field;
        std::string reason;
    };
    const std::vector<Case> cases = {
        {"a newer version", [](model::Json& d) { d["version"] = 99; }, "version", "unknown_version"},
        {"no version", [](model::Json& d) { d.asObject().erase("version"); }, "version", "missing"},
        {"a version as text", [](model::Json& d) { d["version"] = "1"; }, "version", "wrong_type"},
        {"a string where the matters belong", [](model::Json& d) { d["matters"] = kTransfer; }, "matters",
            "wrong_type"},
        {"a number among the ticks", [](model::Json& d) { d["materials"]["received"].push_back(7); },
            nextTick, "wrong_type"},
        {"the applicant as text", [](model::Json& d) { d["applicant"] = "王芳"; }, "applicant", "wrong_type"},
        {"a flag as text", [](model::Json& d) { d["agent"]["on"] = "yes"; }, "agent.on", "wrong_type"},
        {"an unknown kind of ID", [](model::Json& d) { d["applicant"]["idKind"] = "library_card"; },
            "applicant.idKind", "unknown_value"},
        {"an unknown decision", [](model::Json& d) { d["decision"]["chosen"] = "postpone"; },
            "decision.chosen", "unknown_value"},
        {"a date that is none", [](model::Json& d) { d["decision"]["commitmentDue"] = "2026-02-30"; },
            "decision.commitmentDue", "bad_date"},
        {"a matter not in the catalogue", [](model::Json& d) { d["matters"].push_back("330102-XX-999"); },
            "matters[3]", "unknown_matter"},
        {"a matter twice", [](model::Json& d) { d["matters"].push_back(kTransfer); }, "matters[3]",
            "duplicate"},
        {"a bundle not in the catalogue", [](model::Json& d) { d["bundle"] = "330102-YJS-999"; }, "bundle",
            "unknown_bundle"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        model::Json draft = good;
        c.spoil(draft);
        const auto error = test::errorOf([&] { f.form.restore(draft); });
        REQUIRE(error);
        CHECK(error->code() == "intake.draft_invalid");
        CHECK(error->fact("field") == c.field);
        CHECK(error->fact("reason") == c.reason);
        CHECK(canonical(f.form) == before);
        CHECK(f.form.checklistCurrent());
    }
    CHECK(test::errorOf([&] { f.form.restore(model::Json()); })->fact("reason") == "missing");
    CHECK(test::errorOf([&] { f.form.restore(model::Json::array()); })->fact("field") == "draft");
    // The facts never carry what was typed: a draft holds identity numbers.
    model::Json draft = good;
    draft["applicant"]["idNumber"] = 330102;
    const auto error = test::errorOf([&] { f.form.restore(draft); });
    REQUIRE(error);
    CHECK(error->fact("field") == "applicant.idNumber");
    CHECK(std::string(error->what()).find("330102") == std::string::npos);
    CHECK(canonical(f.form) == before);
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
