// Cases in every state a document needs, built through the real services on the service
// test workstation (tests/model/ServiceWorld.h) on 2026-02-12, plus the helpers the
// document tests share: the issuing context, every string of a composed document, and a
// way to skip a test whose external tool is missing.
#pragma once

#include "model/Documents.h"
#include "model/Identity.h"

#include "../model/ServiceWorld.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ow::test {

// Set when a test skipped because a tool is missing; main() then exits with 77, which
// CTest's SKIP_RETURN_CODE reports as skipped.
bool& skippedFlag();
#define OW_SKIP(reason)                                                                                      \
    do {                                                                                                     \
        WARN("skipped: " << (reason));                                                                       \
        ::ow::test::skippedFlag() = true;                                                                    \
        return;                                                                                              \
    } while (false)

inline const std::string kBundle = "330102-YJS-001"; // 二手房交易一件事

inline std::string residentId(const std::string& first17)
{
    return first17 + *model::gb11643CheckDigit(first17);
}

// 王芳, represented by her agent 陈明.
inline model::Applicant wangFang(bool withAgent = true)
{
    model::Applicant a;
    a.name = "王芳";
    a.idKind = model::IdKind::ResidentId;
    a.idNumber = residentId("33010219800101123");
    a.phone = "13812345678";
    if (withAgent) {
        model::Agent g;
        g.name = "陈明";
        g.idKind = model::IdKind::ResidentId;
        g.idNumber = residentId("33010619750505231");
        g.phone = "13900001111";
        g.authorisation = "WT-2026-0042";
        a.agent = g;
    }
    return a;
}

inline model::Applicant enterprise()
{
    model::Applicant a;
    a.type = model::ApplicantType::Enterprise;
    a.name = "杭州示例有限公司";
    a.idKind = model::IdKind::UnifiedSocialCreditCode;
    a.idNumber = "91350100M000100Y43";
    a.phone = "0571-87654321";
    a.legalRepresentative = "李强";
    return a;
}

struct DocumentWorld : ServiceWorld {
    DocumentWorld()
        : ServiceWorld(model::Date(2026, 2, 12), {model::Role::WindowStaff})
    {
    }

    model::CaseState open(const std::vector<std::string>& received, model::Applicant applicant = wangFang(),
        const std::string& bundle = kBundle, const std::vector<std::string>& matters = {})
    {
        model::IntakeRequest r;
        r.applicant = std::move(applicant);
        r.bundleCode = bundle;
        r.matterCodes = matters;
        r.receivedMaterials = received;
        r.window = "W03";
        return intake.open("clerk01", r);
    }

    model::CaseState accepted(model::Applicant applicant = wangFang())
    {
        auto n = open({"property_certificate", "sale_contract"}, std::move(applicant)).number;
        return intake.accept("clerk01", n);
    }

    model::CaseState acceptedDeficient()
    {
        auto n = open({"property_certificate"}).number;
        return intake.acceptWithDeficiencies("clerk01", n, {"sale_contract"}, model::Date(2026, 2, 27));
    }

    model::CaseState noticed()
    {
        auto n = open({}).number;
        return intake.issueNotice("clerk01", n, {"property_certificate", "sale_contract", "共有人到场签字"});
    }

    model::CaseState refused()
    {
        auto n = open({}).number;
        return intake.refuse(
            "clerk01", n, "not_within_remit", "《中华人民共和国行政许可法》第三十二条第一款第二项");
    }

    model::CaseState concluded(bool approved = true, model::Applicant applicant = wangFang())
    {
        auto n = accepted(std::move(applicant)).number;
        work.route("clerk01", n, "s1", "BDC", "reviewer01");
        work.completeStep("reviewer01", n, "s1", approved ? "approved" : "not_approved");
        return work.conclude("reviewer01", n, approved, approved ? "" : "conditions_not_met");
    }

    model::CaseState stateFor(model::DocumentKind kind)
    {
        switch (kind) {
        case model::DocumentKind::AcceptanceNotice:
            return accepted();
        case model::DocumentKind::OneTimeNotice:
            return noticed();
        case model::DocumentKind::RefusalNotice:
            return refused();
        case model::DocumentKind::DeficiencyCommitment:
            return acceptedDeficient();
        case model::DocumentKind::PickupSlip:
            return concluded();
        }
        return accepted();
    }

    model::DocumentContext context(const std::string& number, bool reprint = false) const
    {
        model::DocumentContext c;
        c.centreName = "上城区行政服务中心";
        c.centreAddress = "上城区市民中心一楼办事大厅";
        c.centrePhone = "0571-87000000";
        c.window = "W03";
        c.clerkName = "李强";
        c.issuedOn = clock.today();
        c.number = number;
        c.reprint = reprint;
        c.reconsiderationOrgan = "杭州市上城区人民政府";
        c.court = "杭州市上城区人民法院";
        return c;
    }

    // The next original, or a reprint of the latest one.
    model::DocumentContent compose(model::DocumentKind kind, const model::CaseState& st, bool reprint = false)
    {
        std::string number
            = reprint ? model::reprintIssue(st, kind).number : model::nextIssue(st, kind).number;
        return composeAs(kind, st, number, reprint);
    }
    model::DocumentContent composeAs(
        model::DocumentKind kind, const model::CaseState& st, const std::string& number, bool reprint)
    {
        return model::composeDocument(kind, st, catalogue, calendar, context(number, reprint));
    }
};

// Every string a composed document carries, in order, for "is it anywhere" checks.
inline std::vector<std::string> allText(const model::DocumentContent& d)
{
    std::vector<std::string> out = {d.title, d.number, d.numberLabel, d.reprintMark, d.reprintNote,
        d.caseNumber, d.qrPayload, d.qrCaption, d.continuedMark, d.pageFormat};
    for (const auto& b : d.blocks) {
        out.push_back(b.text);
        for (const auto& f : b.fields) {
            out.push_back(f.label);
            out.push_back(f.value);
        }
        out.insert(out.end(), b.columns.begin(), b.columns.end());
        for (const auto& r : b.rows)
            out.insert(out.end(), r.begin(), r.end());
        for (const auto& s : b.signatures) {
            out.push_back(s.label);
            out.push_back(s.dateLabel);
        }
        out.insert(out.end(), b.lines.begin(), b.lines.end());
    }
    return out;
}

inline std::string joinedText(const model::DocumentContent& d)
{
    std::string s;
    for (const auto& t : allText(d))
        s += t + "\n";
    return s;
}

inline bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// The value of the first label/value row with this label, or "" when there is none.
inline std::string field(const model::DocumentContent& d, const std::string& label)
{
    for (const auto& b : d.blocks)
        for (const auto& f : b.fields)
            if (f.label == label)
                return f.value;
    return {};
}

// The first table whose header has this column.
inline const model::DocumentBlock* tableWith(const model::DocumentContent& d, const std::string& column)
{
    for (const auto& b : d.blocks)
        if (b.type == model::DocumentBlock::Type::Table
            && std::find(b.columns.begin(), b.columns.end(), column) != b.columns.end())
            return &b;
    return nullptr;
}

} // namespace ow::test
