// The actions of a case tab and when the case's state allows them. The answer comes
// from the model's own state machine (checkTransition on a probe event), so the buttons
// and the services never disagree about a rule; the service call stays the real guard.
#pragma once

#include "model/CaseState.h"
#include "model/Permissions.h"

#include <string>
#include <vector>
#include <wx/string.h>

namespace ow::gui {

enum class CaseAction {
    Accept,
    Refuse,
    Route,
    CompleteStep,
    ReceiveMaterials,
    Correction,
    Suspend,
    Resume,
    Extend,
    Conclude,
    Deliver,
    Close,
    Withdraw,
    Terminate,
    Assign,
    AddNote,
    ResolveConflict,
};

struct CaseActionInfo {
    CaseAction action;
    model::Action permission; // the role must allow this, else the button is hidden
};

// In the order the buttons appear.
const std::vector<CaseActionInfo>& caseActions();

// Why the case's state does not allow the action now, in the model's words (translated);
// empty when it does.
wxString stateRefusal(CaseAction action, const model::CaseState& state, const std::string& user);

// A step id not used by the case yet: S1, S2, …
std::string nextStepId(const model::CaseState& state);
// The steps not done yet.
std::vector<const model::CaseStep*> openSteps(const model::CaseState& state);
// Materials neither received nor obtainable by data sharing.
std::vector<const model::CaseMaterial*> outstandingMaterials(const model::CaseState& state);

} // namespace ow::gui
