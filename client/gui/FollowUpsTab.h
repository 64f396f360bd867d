// "Follow-ups": the queue manager's list of bad ratings (好差评: 不满意, 非常不满意) whose
// follow-up is still open, earliest due first, overdue ones in red — with the rating,
// the day it was given, the due day, the case, ticket, staff member and window it rates,
// the applicant's comment and the steps taken so far. Callback…, Rectification… and
// Appeal… each ask for a note (and an appeal's outcome) and may close the follow-up; the
// step is one job on the worker, and a refusal shows the model's reason with nothing
// changed.
#pragma once

#include "model/Evaluation.h"

#include "CaseTable.h"
#include "Shell.h"

#include <map>
#include <string>
#include <vector>

class wxButton;
class wxDataViewCtrl;
class wxStaticText;

namespace ow::gui {

// What one load brings from the worker.
struct FollowUpData {
    std::vector<model::Evaluation> open; // earliest due first
    std::map<std::string, std::string> staffNames; // id → display name
    model::Date today;
};

class FollowUpsTab : public Tab {
public:
    FollowUpsTab(wxWindow* parent, Shell& shell);
    wxString title() const override;
    void onDataChanged() override;

private:
    void reload();
    void show(FollowUpData data);
    const model::Evaluation* selected() const;
    void updateButtons();
    // Asks for the note (and outcome), then records the step on the worker.
    void step(model::FollowUpAction action);
    void openCase();
    void say(const wxString& text, bool refusal);

    FollowUpData m_data;
    LoadGate m_gate;
    bool m_busy = false;

    wxObjectDataPtr<CaseTableModel> m_model;
    wxDataViewCtrl* m_list = nullptr;
    wxStaticText* m_summary = nullptr;
    wxStaticText* m_message = nullptr;
    wxButton* m_callback = nullptr;
    wxButton* m_rectification = nullptr;
    wxButton* m_appeal = nullptr;
    wxButton* m_open = nullptr;
};

} // namespace ow::gui
