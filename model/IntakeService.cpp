#include "model/IntakeService.h"

#include <algorithm>

namespace ow::model {

namespace {

Facts firstProblemFacts(const std::vector<FieldProblem>& problems)
{
    Facts f;
    f["count"] = std::to_string(problems.size());
    if (!problems.empty()) {
        f["field"] = problems.front().field;
        f["reason"] = problems.front().code;
    }
    return f;
}

Json stringArray(const std::vector<std::string>& v)
{
    Json a = Json::array();
    for (const auto& s : v)
        a.push_back(Json(s));
    return a;
}

} // namespace

ValidationError::ValidationError(std::vector<FieldProblem> problems)
    : DomainError("intake.applicant_invalid", firstProblemFacts(problems))
    , m_problems(std::move(problems))
{
}

std::vector<MergedMaterial> IntakeService::checklist(
    const std::vector<std::string>& matterCodes, const std::string& bundleCode) const
{
    std::vector<std::string> codes;
    if (!bundleCode.empty())
        for (const auto* m : m_ctx.catalogue.bundleMatters(bundleCode))
            codes.push_back(m->code);
    for (const auto& c : matterCodes)
        if (std::find(codes.begin(), codes.end(), c) == codes.end())
            codes.push_back(c);
    return m_ctx.catalogue.mergedMaterials(codes);
}

CaseState IntakeService::open(const std::string& actor, const IntakeRequest& request)
{
    authorise(actor, Action::OpenCase);
    Date today = m_ctx.clock.today();
    auto problems = validate(request.applicant, today);
    if (!problems.empty())
        throw ValidationError(std::move(problems));

    std::vector<std::string> codes;
    if (!request.bundleCode.empty())
        for (const auto* m : m_ctx.catalogue.bundleMatters(request.bundleCode))
            codes.push_back(m->code);
    for (const auto& c : request.matterCodes)
        if (std::find(codes.begin(), codes.end(), c) == codes.end())
            codes.push_back(c);
    if (codes.empty())
        throw DomainError("intake.no_matters");
    auto merged = m_ctx.catalogue.mergedMaterials(codes); // throws on an unknown matter
    for (const auto& r : request.receivedMaterials) {
        bool known = std::any_of(
            merged.begin(), merged.end(), [&](const MergedMaterial& m) { return m.material.code == r; });
        if (!known)
            throw DomainError("intake.material_unknown", {{"material", r}});
    }

    // Normalised identity numbers only: search and masking rely on one spelling.
    Applicant applicant = request.applicant;
    applicant.idNumber = checkId(applicant.idKind, applicant.idNumber, today).normalized;
    if (applicant.agent)
        applicant.agent->idNumber
            = checkId(applicant.agent->idKind, applicant.agent->idNumber, today).normalized;

    Json body = Json::object();
    body["on"] = today.iso();
    body["centre"] = m_ctx.centre;
    body["window"] = request.window;
    body["applicant"] = toJson(applicant);
    body["bundle"] = request.bundleCode;
    // The catalogue's limits are copied into the case: later catalogue edits must not
    // move the deadline of a case already taken in.
    Json matters = Json::array();
    for (const auto& code : codes) {
        const ServiceMatter* m = m_ctx.catalogue.findMatter(code);
        Json x = Json::object();
        x["code"] = m->code;
        x["nameZh"] = m->nameZh;
        x["nameEn"] = m->nameEn;
        x["department"] = m->department;
        x["statutoryLimit"] = m->statutoryLimit.toString();
        x["promisedLimit"] = m->promisedLimit.toString();
        x["immediate"] = m->immediate;
        matters.push_back(x);
    }
    body["matters"] = matters;
    Json mats = Json::array();
    for (const auto& mm : merged) {
        Json x = toJson(mm.material);
        x["requiredBy"] = stringArray(mm.requiredBy);
        x["received"]
            = std::find(request.receivedMaterials.begin(), request.receivedMaterials.end(), mm.material.code)
            != request.receivedMaterials.end();
        mats.push_back(x);
    }
    body["materials"] = mats;

    CaseNumber number = m_ctx.numbers.nextCaseNumber(today);
    CaseState none;
    none.number = number.str();
    return write(none, actor, EventType::Opened, std::move(body));
}

CaseState IntakeService::receiveMaterials(
    const std::string& actor, const std::string& caseNumber, const std::vector<std::string>& codes)
{
    authorise(actor, Action::ReceiveMaterial);
    Json body = Json::object();
    body["codes"] = stringArray(codes);
    return write(load(caseNumber), actor, EventType::MaterialReceived, std::move(body));
}

CaseState IntakeService::accept(const std::string& actor, const std::string& caseNumber)
{
    authorise(actor, Action::Accept);
    return write(load(caseNumber), actor, EventType::Accepted, Json::object());
}

CaseState IntakeService::acceptWithDeficiencies(const std::string& actor, const std::string& caseNumber,
    const std::vector<std::string>& missing, Date commitmentDue)
{
    authorise(actor, Action::AcceptDeficient);
    Date today = m_ctx.clock.today();
    if (commitmentDue <= today)
        throw DomainError("intake.commitment_not_in_future",
            {{"commitmentDue", commitmentDue.iso()}, {"today", today.iso()}});
    Json body = Json::object();
    body["missing"] = stringArray(missing);
    body["commitmentDue"] = commitmentDue.iso();
    return write(load(caseNumber), actor, EventType::AcceptedDeficient, std::move(body));
}

CaseState IntakeService::issueNotice(
    const std::string& actor, const std::string& caseNumber, const std::vector<std::string>& items)
{
    authorise(actor, Action::IssueNotice);
    Json body = Json::object();
    body["items"] = stringArray(items);
    return write(load(caseNumber), actor, EventType::NoticeIssued, std::move(body));
}

CaseState IntakeService::recordCorrection(
    const std::string& actor, const std::string& caseNumber, const std::vector<std::string>& codes)
{
    authorise(actor, Action::RecordCorrection);
    Json body = Json::object();
    body["codes"] = stringArray(codes);
    return write(load(caseNumber), actor, EventType::Corrected, std::move(body));
}

CaseState IntakeService::refuse(const std::string& actor, const std::string& caseNumber,
    const std::string& reason, const std::string& legalBasis)
{
    authorise(actor, Action::Refuse);
    Json body = Json::object();
    body["reason"] = reason;
    body["legalBasis"] = legalBasis;
    return write(load(caseNumber), actor, EventType::Refused, std::move(body));
}

Date IntakeService::decisionDue(const std::string& caseNumber) const
{
    return acceptanceDecisionDue(m_ctx.calendar, load(caseNumber).openedOn);
}

} // namespace ow::model
