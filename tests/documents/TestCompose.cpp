// The documents' content: which fit which case, their numbers, what each says, and that
// no full identity number ever reaches paper.
#include "model/Documents.h"
#include "model/Error.h"

#include "DocumentWorld.h"

#include <catch2/catch.hpp>
#include <set>

using namespace ow::model;
using ow::test::allText;
using ow::test::contains;
using ow::test::DocumentWorld;
using ow::test::errorOf;
using ow::test::field;
using ow::test::joinedText;
using ow::test::tableWith;

namespace {

std::set<DocumentKind> applicable(const CaseState& st)
{
    auto v = applicableDocuments(st);
    return {v.begin(), v.end()};
}

} // namespace

TEST_CASE("compose: kinds have stable names, codes and titles", "[compose]")
{
    const std::vector<std::tuple<DocumentKind, std::string, std::string, std::string>> expected = {
        {DocumentKind::AcceptanceNotice, "acceptance_notice", "SL", "受理通知书"},
        {DocumentKind::OneTimeNotice, "one_time_notice", "GZ", "一次性告知书"},
        {DocumentKind::RefusalNotice, "refusal_notice", "BY", "不予受理通知书"},
        {DocumentKind::DeficiencyCommitment, "deficiency_commitment", "RQ", "容缺受理承诺书"},
        {DocumentKind::PickupSlip, "pickup_slip", "LQ", "办结取件单"},
    };
    REQUIRE(allDocumentKinds().size() == expected.size());
    for (const auto& [kind, name, code, title] : expected) {
        CHECK(toString(kind) == name);
        CHECK(documentKindFromString(name) == kind);
        CHECK(documentKindCode(kind) == code);
        CHECK(documentTitle(kind) == title);
    }
    CHECK_FALSE(documentKindFromString("receipt"));
    CHECK_FALSE(documentKindFromString(""));
}

TEST_CASE("compose: which documents fit which case", "[compose]")
{
    DocumentWorld w;
    CHECK(applicable(w.open({})).empty());
    CHECK(applicable(w.accepted()) == std::set{DocumentKind::AcceptanceNotice});
    CHECK(applicable(w.acceptedDeficient())
        == std::set{DocumentKind::AcceptanceNotice, DocumentKind::DeficiencyCommitment});
    CHECK(applicable(w.noticed()) == std::set{DocumentKind::OneTimeNotice});
    CHECK(applicable(w.refused()) == std::set{DocumentKind::RefusalNotice});
    CHECK(applicable(w.concluded()) == std::set{DocumentKind::AcceptanceNotice, DocumentKind::PickupSlip});
    CHECK(
        applicable(w.concluded(false)) == std::set{DocumentKind::AcceptanceNotice, DocumentKind::PickupSlip});

    // A result sent by post is not picked up at the window.
    Applicant byPost = ow::test::wangFang();
    byPost.delivery = DeliveryMethod::Post;
    byPost.postalAddress = "杭州市上城区望江路1号";
    CHECK_FALSE(documentApplies(DocumentKind::PickupSlip, w.concluded(true, byPost)));

    // A notice stays printable after the return visit; a refusal after archiving.
    CaseState st = w.noticed();
    st = w.intake.recordCorrection("clerk01", st.number, {"property_certificate", "sale_contract"});
    CHECK(st.status == CaseStatus::Consulting);
    CHECK(documentApplies(DocumentKind::OneTimeNotice, st));
    st = w.refused();
    st = w.work.close("clerk01", st.number);
    CHECK(documentApplies(DocumentKind::RefusalNotice, st));
}

TEST_CASE("compose: a document that does not fit the case is refused with the facts", "[compose]")
{
    DocumentWorld w;
    const CaseState st = w.accepted();
    auto err = errorOf([&] {
        composeDocument(DocumentKind::RefusalNotice, st, w.catalogue, w.calendar, w.context("X-BY-1"));
    });
    REQUIRE(err);
    CHECK(err->code() == "document.not_applicable");
    CHECK(err->fact("case") == st.number);
    CHECK(err->fact("kind") == "refusal_notice");
    CHECK(err->fact("status") == "accepted");

    err = errorOf([&] { nextIssue(w.open({}), DocumentKind::AcceptanceNotice); });
    REQUIRE(err);
    CHECK(err->code() == "document.not_applicable");
    CHECK(err->fact("status") == "consulting");

    err = errorOf(
        [&] { composeDocument(DocumentKind::AcceptanceNotice, st, w.catalogue, w.calendar, w.context("")); });
    REQUIRE(err);
    CHECK(err->code() == "document.number_missing");
}

TEST_CASE("compose: numbers count original issues, a reprint keeps the number of its original",
    "[compose][numbers]")
{
    DocumentWorld w;
    CaseState st = w.acceptedDeficient();
    const std::string n = st.number;
    CHECK(documentNumber(n, DocumentKind::AcceptanceNotice, 1) == n + "-SL-1");
    CHECK(originalIssues(st, DocumentKind::AcceptanceNotice) == 0);

    DocumentIssue first = nextIssue(st, DocumentKind::AcceptanceNotice);
    CHECK(first.number == n + "-SL-1");
    CHECK_FALSE(first.reprint);
    auto none = errorOf([&] { reprintIssue(st, DocumentKind::AcceptanceNotice); });
    REQUIRE(none);
    CHECK(none->code() == "document.not_issued");
    CHECK(none->fact("kind") == "acceptance_notice");
    st = w.work.recordDocument("clerk01", n, "acceptance_notice", first.number, false);

    // Each kind counts on its own.
    CHECK(nextIssue(st, DocumentKind::DeficiencyCommitment).number == n + "-RQ-1");
    CHECK(nextIssue(st, DocumentKind::AcceptanceNotice).number == n + "-SL-2");

    w.setDay(Date(2026, 2, 13));
    DocumentIssue again = reprintIssue(st, DocumentKind::AcceptanceNotice);
    CHECK(again.number == n + "-SL-1");
    CHECK(again.reprint);
    CHECK(again.originalOn == Date(2026, 2, 12));
    st = w.work.recordDocument("reviewer01", n, "acceptance_notice", again.number, true);
    // A reprint does not advance the count.
    CHECK(originalIssues(st, DocumentKind::AcceptanceNotice) == 1);
    CHECK(nextIssue(st, DocumentKind::AcceptanceNotice).number == n + "-SL-2");

    st = w.work.recordDocument("clerk01", n, "acceptance_notice", n + "-SL-2", false);
    CHECK(reprintIssue(st, DocumentKind::AcceptanceNotice).number == n + "-SL-2"); // the latest
    CHECK(reprintIssue(st, DocumentKind::AcceptanceNotice, n + "-SL-1").number == n + "-SL-1");
    auto unknown = errorOf([&] { reprintIssue(st, DocumentKind::AcceptanceNotice, n + "-SL-9"); });
    REQUIRE(unknown);
    CHECK(unknown->code() == "document.not_issued");
    CHECK(unknown->fact("number") == n + "-SL-9");

    // The fold keeps the list of issues, with who issued each and when.
    REQUIRE(st.documents.size() == 3);
    CHECK(st.documentsIssued == 3);
    CHECK(st.documents[0].kind == "acceptance_notice");
    CHECK(st.documents[0].number == n + "-SL-1");
    CHECK_FALSE(st.documents[0].reprint);
    CHECK(st.documents[0].on == Date(2026, 2, 12));
    CHECK(st.documents[0].by == "clerk01");
    CHECK(st.documents[1].reprint);
    CHECK(st.documents[1].by == "reviewer01");
    CHECK(st.documents[1].on == Date(2026, 2, 13));
    const Json row = st.toJson();
    REQUIRE(row["documents"].asArray().size() == 3);
    CHECK(row["documents"].asArray()[1]["reprint"].asBool());
    CHECK(row["committedMaterials"].asArray().size() == 1);
}

TEST_CASE("compose: acceptance notice", "[compose]")
{
    DocumentWorld w;
    const CaseState st = w.accepted();
    const DocumentContent d = w.compose(DocumentKind::AcceptanceNotice, st);
    CHECK(d.title == "受理通知书");
    CHECK(d.number == st.number + "-SL-1");
    CHECK_FALSE(d.reprint);
    CHECK(d.reprintNote.empty());
    CHECK(d.qrPayload == st.number);
    CHECK(d.caseNumber == st.number);

    CHECK(field(d, "办件编号") == st.number);
    CHECK(field(d, "申请人") == "王芳");
    CHECK(field(d, "证件号码") == displayId(st.applicant) + "（居民身份证）");
    CHECK(field(d, "联系电话") == "138****5678");
    CHECK(field(d, "代理人（经办人）") == "陈明");
    CHECK(field(d, "代理人证件号码") == maskId(st.applicant.agent->idNumber) + "（居民身份证）");
    // Accepted Thu 2026-02-12; 5 working days over the Spring Festival: Thu 2026-02-26.
    CHECK(field(d, "受理日期") == "2026年2月12日");
    CHECK(field(d, "承诺办结时限") == "5个工作日");
    CHECK(field(d, "承诺办结日期") == "2026年2月26日前");
    CHECK(field(d, "结果送达方式") == "窗口领取");
    CHECK(field(d, "受理机构") == "上城区行政服务中心");
    CHECK(field(d, "受理窗口") == "W03窗口");
    CHECK(field(d, "受理人") == "李强");
    CHECK(field(d, "容缺材料补交期限").empty());

    const DocumentBlock* matters = tableWith(d, "事项编码");
    REQUIRE(matters);
    REQUIRE(matters->rows.size() == 3);
    CHECK(matters->rows[0][1] == "330102-BDC-001");
    CHECK(matters->rows[0][2] == "不动产转移登记");
    CHECK(matters->rows[0][4] == "5个工作日");
    CHECK(matters->rows[1][1] == "330102-SW-001");
    CHECK(matters->rows[2][1] == "330102-SDQ-001");

    const DocumentBlock* mats = tableWith(d, "收取情况");
    REQUIRE(mats);
    REQUIRE(mats->rows.size() == 4);
    std::map<std::string, std::string> receipt;
    for (const auto& r : mats->rows)
        receipt[r[1]] = r[4];
    CHECK(receipt.at(st.material("property_certificate")->nameZh) == "已收取");
    CHECK(receipt.at(st.material("sale_contract")->nameZh) == "已收取");
    CHECK(receipt.at(st.material("id_card")->nameZh) == "免提交（数据共享）");
    for (const auto& r : mats->rows)
        if (r[1] == st.material("sale_contract")->nameZh) {
            CHECK(r[2] == "原件");
            CHECK(r[3] == "2份");
        }

    const std::string all = joinedText(d);
    CHECK(contains(all, "王芳："));
    CHECK(
        contains(all, "你于2026年2月12日提交的二手房交易一件事（不动产转移登记、契税申报、水电气过户）申请"));
    CHECK(contains(all, "决定予以受理"));
    CHECK_FALSE(contains(all, "容缺"));
    REQUIRE(d.blocks.back().type == DocumentBlock::Type::Issuer);
    CHECK(d.blocks.back().lines == std::vector<std::string>{"上城区行政服务中心", "2026年2月12日"});
}

TEST_CASE("compose: acceptance notice and commitment of an acceptance with deficiencies", "[compose]")
{
    DocumentWorld w;
    CaseState st = w.acceptedDeficient();
    const std::string contract = st.material("sale_contract")->nameZh;

    const DocumentContent notice = w.compose(DocumentKind::AcceptanceNotice, st);
    CHECK(contains(joinedText(notice), "决定予以容缺受理"));
    CHECK(contains(joinedText(notice), "书面承诺于2026年2月27日前补交"));
    CHECK(field(notice, "容缺材料补交期限") == "2026年2月27日前");
    const DocumentBlock* mats = tableWith(notice, "收取情况");
    REQUIRE(mats);
    bool owedListed = false;
    for (const auto& r : mats->rows)
        if (r[1] == contract)
            owedListed = r[4] == "容缺后补";
    CHECK(owedListed);

    DocumentContent c = w.compose(DocumentKind::DeficiencyCommitment, st);
    CHECK(c.title == "容缺受理承诺书");
    CHECK(c.number == st.number + "-RQ-1");
    const DocumentBlock* owed = tableWith(c, "容缺材料");
    REQUIRE(owed);
    REQUIRE(owed->rows.size() == 1);
    CHECK(owed->rows[0][1] == contract);
    CHECK(owed->rows[0][2] == "原件");
    CHECK(owed->rows[0][3] == "2份");
    CHECK(owed->rows[0][4] == "不动产转移登记、契税申报");
    CHECK(field(c, "容缺材料补交期限") == "2026年2月27日前");
    CHECK(contains(joinedText(c), "本人将于2026年2月27日前补交上述全部材料"));
    const DocumentBlock* signatures = nullptr;
    for (const auto& b : c.blocks)
        if (b.type == DocumentBlock::Type::Signatures)
            signatures = &b;
    REQUIRE(signatures);
    REQUIRE(signatures->signatures.size() == 2);
    CHECK(signatures->signatures[0].label == "申请人（签字或盖章）");
    CHECK(signatures->signatures[1].label == "代理人（签字）");

    // Once the contract arrives the case owes nothing, and the commitment still prints
    // as it was signed.
    st = w.intake.receiveMaterials("clerk01", st.number, {"sale_contract"});
    CHECK(st.status == CaseStatus::Accepted);
    CHECK(st.deficiencies.empty());
    c = w.compose(DocumentKind::DeficiencyCommitment, st);
    owed = tableWith(c, "容缺材料");
    REQUIRE(owed);
    REQUIRE(owed->rows.size() == 1);
    CHECK(owed->rows[0][1] == contract);
}

TEST_CASE("compose: one-time notice lists every missing item with its form and count", "[compose]")
{
    DocumentWorld w;
    const CaseState st = w.noticed();
    const DocumentContent d = w.compose(DocumentKind::OneTimeNotice, st);
    CHECK(d.title == "一次性告知书");
    CHECK(d.number == st.number + "-GZ-1");
    const DocumentBlock* items = tableWith(d, "需补正的材料或事项");
    REQUIRE(items);
    REQUIRE(items->rows.size() == 3);
    CHECK(items->rows[0]
        == std::vector<std::string>{"1", st.material("property_certificate")->nameZh, "原件", "1份",
            "不动产转移登记、契税申报、水电气过户"});
    CHECK(items->rows[1]
        == std::vector<std::string>{
            "2", st.material("sale_contract")->nameZh, "原件", "2份", "不动产转移登记、契税申报"});
    CHECK(items->rows[2] == std::vector<std::string>{"3", "共有人到场签字", "—", "—", "—"});
    CHECK(field(d, "办理地点") == "上城区行政服务中心（上城区市民中心一楼办事大厅）");
    CHECK(field(d, "办理窗口") == "W03窗口");
    CHECK(field(d, "咨询电话") == "0571-87000000");
    CHECK(field(d, "告知人") == "李强");
    const std::string all = joinedText(d);
    CHECK(contains(all, "一次性告知如下"));
    CHECK(contains(all, "不再要求你补正其他材料"));
    CHECK(contains(all, "申请人（代理人）签收"));
}

TEST_CASE("compose: refusal notice with reason, legal basis and remedies", "[compose]")
{
    DocumentWorld w;
    const CaseState st = w.refused();
    const DocumentContent d = w.compose(DocumentKind::RefusalNotice, st);
    CHECK(d.title == "不予受理通知书");
    CHECK(d.number == st.number + "-BY-1");
    CHECK(field(d, "不予受理理由") == "申请事项依法不属于本机关职权范围");
    CHECK(field(d, "法律依据") == "《中华人民共和国行政许可法》第三十二条第一款第二项");
    CHECK(field(d, "决定日期") == "2026年2月12日");
    const std::string all = joinedText(d);
    CHECK(contains(all,
        "经审查，申请事项依法不属于本机关职权范围。根据《中华人民共和国行政许可法》第三十二条第一款第二项的规"
        "定，"
        "决定不予受理。"));
    CHECK(contains(all, "60日内向杭州市上城区人民政府申请行政复议"));
    CHECK(contains(all, "6个月内向杭州市上城区人民法院提起行政诉讼"));

    // Without named bodies the remedies stay, in general words; free-text reasons print as typed.
    const std::string n = w.open({}).number;
    const CaseState other = w.intake.refuse("clerk01", n, "申请人已就同一事项在其他中心办理", "");
    DocumentContext ctx = w.context(nextIssue(other, DocumentKind::RefusalNotice).number);
    ctx.reconsiderationOrgan.clear();
    ctx.court.clear();
    const std::string plain
        = joinedText(composeDocument(DocumentKind::RefusalNotice, other, w.catalogue, w.calendar, ctx));
    CHECK(contains(plain, "经审查，申请人已就同一事项在其他中心办理。决定不予受理。"));
    CHECK(contains(plain, "60日内向有关行政复议机关申请行政复议"));
    CHECK(contains(plain, "6个月内向有管辖权的人民法院提起行政诉讼"));
}

TEST_CASE("compose: pick-up slip", "[compose]")
{
    DocumentWorld w;
    const CaseState st = w.concluded();
    const DocumentContent d = w.compose(DocumentKind::PickupSlip, st);
    CHECK(d.title == "办结取件单");
    CHECK(d.number == st.number + "-LQ-1");
    CHECK(d.qrPayload == st.number);
    CHECK(field(d, "办件编号") == st.number);
    CHECK(field(d, "办理结果") == "准予办理");
    CHECK(field(d, "办结日期") == "2026年2月12日");
    CHECK(field(d, "领取地点") == "上城区行政服务中心（上城区市民中心一楼办事大厅）");
    CHECK(field(d, "领取窗口") == "W03窗口");
    const DocumentBlock* matters = tableWith(d, "事项名称");
    REQUIRE(matters);
    CHECK(matters->rows.size() == 3);
    CHECK(field(w.compose(DocumentKind::PickupSlip, w.concluded(false)), "办理结果")
        == "不予办理（详见决定书）");
}

TEST_CASE("compose: an enterprise is addressed as a unit, its credit code masked", "[compose]")
{
    DocumentWorld w;
    const CaseState st = w.accepted(ow::test::enterprise());
    const DocumentContent d = w.compose(DocumentKind::AcceptanceNotice, st);
    CHECK(field(d, "统一社会信用代码") == "9135**********0Y43");
    CHECK(field(d, "法定代表人") == "李强");
    CHECK(field(d, "证件号码").empty());
    CHECK(contains(joinedText(d), "你单位于2026年2月12日提交的"));
    CHECK_FALSE(contains(joinedText(d), "91350100M000100Y43"));
}

TEST_CASE("compose: a reprint is marked and dated as the original", "[compose][numbers]")
{
    DocumentWorld w;
    CaseState st = w.noticed();
    const std::string number = nextIssue(st, DocumentKind::OneTimeNotice).number;
    st = w.work.recordDocument("clerk01", st.number, "one_time_notice", number, false);
    w.setDay(Date(2026, 2, 24));
    const DocumentContent d = w.compose(DocumentKind::OneTimeNotice, st, true);
    CHECK(d.reprint);
    CHECK(d.number == number);
    CHECK(d.reprintMark == "补打");
    CHECK(d.reprintNote == "本件为补打件，原件出具日期：2026年2月12日，补打日期：2026年2月24日。");
    CHECK(field(d, "告知日期") == "2026年2月12日");
    CHECK(d.blocks.back().lines.back() == "2026年2月12日");
}

TEST_CASE("compose: no full identity number anywhere in any document", "[compose][privacy]")
{
    DocumentWorld w;
    for (DocumentKind kind : allDocumentKinds()) {
        CaseState st = w.stateFor(kind);
        const std::string full = st.applicant.idNumber;
        const std::string agentFull = st.applicant.agent->idNumber;
        REQUIRE(full.size() == 18);
        st = w.work.recordDocument("clerk01", st.number, toString(kind), nextIssue(st, kind).number, false);
        for (bool reprint : {false, true}) {
            const DocumentContent d = w.compose(kind, st, reprint);
            INFO(toString(kind) << (reprint ? " (reprint)" : ""));
            bool masked = false;
            for (const auto& s : allText(d)) {
                CHECK_FALSE(contains(s, full));
                CHECK_FALSE(contains(s, agentFull));
                CHECK_FALSE(contains(s, full.substr(4, 10))); // not even the hidden middle
                masked = masked || contains(s, displayId(st.applicant));
            }
            CHECK(masked);
        }
    }
}
