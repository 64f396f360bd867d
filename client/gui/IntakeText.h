// The intake tab's words: matters, materials and decisions as the clerk reads them,
// and the sentences that say why something is not possible yet. Chinese catalogue
// names come first; the English ones follow when the interface is not Chinese.
#pragma once

#include "model/Catalogue.h"

#include "IntakeForm.h"
#include "Text.h"

#include <string>
#include <vector>
#include <wx/colour.h>
#include <wx/string.h>

namespace ow::gui::intake {

// Colours of the marks: calm, used only for state.
inline wxColour problemColour()
{
    return wxColour(176, 0, 32);
}
inline wxColour okColour()
{
    return wxColour(0, 120, 60);
}
inline wxColour quietColour()
{
    return wxColour(110, 110, 110);
}

using gui::chineseInterface; // Text.h
// "BDC-001 不动产转移登记" (the centre prefix of the code left out), plus the English name
// when the interface is not Chinese.
wxString matterLabel(const model::ServiceMatter& matter);
wxString matterName(const model::Catalogue& catalogue, const std::string& code);
wxString bundleLabel(const model::Bundle& bundle);
wxString materialName(const model::Material& material);
// "original ×2" / "copy ×1".
wxString materialForm(const model::Material& material);
// ① … ⑳ for the 1st to 20th chosen matter, then "(21)".
wxString matterNumber(std::size_t index);
// Material names joined, for sentences.
wxString materialNames(const IntakeForm& form, const std::vector<std::string>& codes);
wxString decisionLabel(Decision decision);
// Why a decision is not offered, or why the intake cannot be carried out yet.
wxString blockerSentence(const IntakeForm& form, Blocker blocker, Decision decision);

} // namespace ow::gui::intake
