#include "IntakeText.h"

#include "Text.h"

#include <wx/intl.h>

namespace ow::gui::intake {

namespace {

wxString bilingual(const std::string& zh, const std::string& en)
{
    if (chineseInterface() || en.empty())
        return wx(zh);
    return wx(zh) + " · " + wx(en);
}

} // namespace

wxString matterLabel(const model::ServiceMatter& matter)
{
    std::string code = matter.code;
    // Every matter of a centre starts with the centre's code: the rest tells them apart.
    if (const auto dash = code.find('-'); dash != std::string::npos && dash + 1 < code.size())
        code = code.substr(dash + 1);
    return wx(code) + "  " + bilingual(matter.nameZh, matter.nameEn);
}

wxString matterName(const model::Catalogue& catalogue, const std::string& code)
{
    if (const auto* m = catalogue.findMatter(code))
        return wx(m->nameZh);
    return wx(code);
}

wxString bundleLabel(const model::Bundle& bundle)
{
    return bilingual(bundle.nameZh, bundle.nameEn);
}

wxString materialName(const model::Material& material)
{
    return wx(material.nameZh.empty() ? material.code : material.nameZh);
}

wxString materialForm(const model::Material& material)
{
    // TRANSLATORS: a material to hand over: "original ×2" means two originals.
    return material.form == model::MaterialForm::Original
        ? wxString::Format(_("original ×%d"), material.count)
        : wxString::Format(_("copy ×%d"), material.count);
}

wxString matterNumber(std::size_t index)
{
    if (index < 20)
        return wxString(wxUniChar(0x2460 + static_cast<unsigned>(index)));
    return wxString::Format("(%zu)", index + 1);
}

wxString materialNames(const IntakeForm& form, const std::vector<std::string>& codes)
{
    wxString out;
    for (const auto& code : codes) {
        if (!out.empty())
            out += wxString(_(", "));
        const auto* m = form.material(code);
        out += m ? materialName(m->material) : wx(code);
    }
    return out;
}

wxString decisionLabel(Decision decision)
{
    switch (decision) {
    case Decision::Accept:
        return _("accept");
    case Decision::AcceptDeficient:
        return _("accept with deficiencies");
    case Decision::Notice:
        return _("one-time notice");
    case Decision::Refuse:
        return _("refuse");
    }
    return {};
}

wxString blockerSentence(const IntakeForm& form, Blocker blocker, Decision decision)
{
    switch (blocker) {
    case Blocker::None:
        return {};
    case Blocker::NotPermitted:
        // TRANSLATORS: %s is a decision such as "accept with deficiencies".
        return wxString::Format(_("Your role does not allow this decision (%s)."), decisionLabel(decision));
    case Blocker::MaterialsMissing:
        // TRANSLATORS: %s lists material names.
        return wxString::Format(_("Plain acceptance needs every mandatory material; missing: %s."),
            materialNames(form, form.missingMandatory()));
    case Blocker::NothingMissing:
        return decision == Decision::Notice
            ? wxString(
                _("Nothing mandatory is missing: a notice needs missing materials or other requirements."))
            : wxString(_("Nothing mandatory is missing: accept without deficiencies."));
    case Blocker::ApplicantInvalid:
        return _("The applicant's details are not complete or not valid; see the marks.");
    case Blocker::NoMatters:
        return _("Choose at least one matter.");
    case Blocker::ChecklistPending:
        return _("The materials checklist is being loaded…");
    case Blocker::CommitmentMissing:
        return _("The applicant's signed commitment is needed to accept with deficiencies.");
    case Blocker::CommitmentNotInFuture:
        return _("The commitment date must be after today.");
    case Blocker::ReasonMissing:
        return _("Give the reason for the refusal.");
    case Blocker::LegalBasisMissing:
        return _("Give the legal basis of the refusal.");
    }
    return {};
}

} // namespace ow::gui::intake
