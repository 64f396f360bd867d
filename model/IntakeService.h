// Intake at the window: take in an application (applicant, matters or a bundle, the
// merged materials checklist) and decide on it: accept, accept with deficiencies
// (容缺受理), one-time notice of what is missing (一次性告知), or refuse.
#pragma once

#include "model/Applicant.h"
#include "model/Error.h"
#include "model/ServiceContext.h"

#include <string>
#include <vector>

namespace ow::model {

struct IntakeRequest {
    Applicant applicant;
    std::vector<std::string> matterCodes; // any order; a bundle's matters are added
    std::string bundleCode; // optional 一件事
    std::vector<std::string> receivedMaterials; // material codes handed over at the window
    std::string window; // e.g. "W03"
};

// Every problem with the applicant at once, so the form can mark each field.
class ValidationError : public DomainError {
public:
    explicit ValidationError(std::vector<FieldProblem> problems);
    const std::vector<FieldProblem>& problems() const { return m_problems; }

private:
    std::vector<FieldProblem> m_problems;
};

class IntakeService : ServiceBase {
public:
    explicit IntakeService(ServiceContext& ctx)
        : ServiceBase(ctx)
    {
    }

    // The checklist the clerk ticks: the chosen matters' materials merged.
    std::vector<MergedMaterial> checklist(
        const std::vector<std::string>& matterCodes, const std::string& bundleCode = {}) const;

    // Opens a case in "consulting". Throws ValidationError ("intake.applicant_invalid"),
    // "intake.no_matters", "catalogue.unknown_matter", "catalogue.unknown_bundle",
    // "intake.material_unknown", or a permission error.
    CaseState open(const std::string& actor, const IntakeRequest& request);

    CaseState receiveMaterials(
        const std::string& actor, const std::string& caseNumber, const std::vector<std::string>& codes);
    CaseState accept(const std::string& actor, const std::string& caseNumber);
    CaseState acceptWithDeficiencies(const std::string& actor, const std::string& caseNumber,
        const std::vector<std::string>& missing, Date commitmentDue);
    // `items`: material codes still missing and any other requirement in plain words.
    CaseState issueNotice(
        const std::string& actor, const std::string& caseNumber, const std::vector<std::string>& items);
    // The applicant's return visit after a notice: the same case resumes.
    CaseState recordCorrection(
        const std::string& actor, const std::string& caseNumber, const std::vector<std::string>& codes);
    CaseState refuse(const std::string& actor, const std::string& caseNumber, const std::string& reason,
        const std::string& legalBasis);
    // The 5-working-day rule: by when acceptance must be decided.
    Date decisionDue(const std::string& caseNumber) const;
};

} // namespace ow::model
