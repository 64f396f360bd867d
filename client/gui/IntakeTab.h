// A new application (F3), in five sections the clerk works through from the keyboard
// (Alt+1 … Alt+5): the applicant, the matters (or a bundle, 一件事), the merged materials
// checklist, the decision, and the documents for that decision. Ctrl+Enter opens the
// case and records the decision in one job on the worker thread; the tab then carries
// the case number and the applicant's surname. A tab serving a queue ticket may start from
// the draft the ticket carries (a half-done intake passed on by another window).
#pragma once

#include "model/CaseState.h"
#include "model/Json.h"

#include "IntakeApplicantPanel.h"
#include "IntakeDocumentsPanel.h"
#include "IntakeForm.h"
#include "Shell.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

class wxButton;
class wxCheckBox;
class wxCheckListBox;
class wxChoice;
class wxComboBox;
class wxDatePickerCtrl;
class wxKeyEvent;
class wxPanel;
class wxRadioButton;
class wxScrolledWindow;
class wxSizer;
class wxStaticText;
class wxTextCtrl;

namespace ow::gui {

class IntakeTab : public Tab {
public:
    // `ticket`: the queue ticket served ("" for none); `draft`: IntakeForm::draft() of the
    // intake as another window left it (null for none), restored once the catalogue is here.
    IntakeTab(wxWindow* parent, Shell& shell, std::string ticket = {}, model::Json draft = {});
    wxString title() const override;
    bool canClose() override;
    const std::string& ticket() const { return m_ticket; }
    // What has been entered, to carry along when the ticket is passed on; a draft given
    // and not yet restored (the backend has not answered) is handed on as it came.
    model::Json draft() const;

private:
    struct DecisionRow {
        Decision decision;
        wxRadioButton* radio = nullptr;
        wxStaticText* note = nullptr;
        wxWindow* details = nullptr; // what this decision needs, shown while it is chosen
    };

    wxSizer* heading(wxWindow* parent, const wxString& text);
    wxSizer* buildMatters(wxWindow* parent);
    wxSizer* buildMaterials(wxWindow* parent);
    wxSizer* buildDecision(wxWindow* parent);
    void load();
    // Restores the draft given into the form; false (and the reason shown) when refused.
    bool restoreDraft();
    // Shows the decision's details the form holds (after a restore).
    void showDecisionDetails();
    void onKey(wxKeyEvent& e);
    void focusSection(int section);

    void listMatters();
    void mattersChanged();
    void requestChecklist();
    void showMaterials();
    void showMaterialDetail();
    void updateDecision();
    void showReadiness(bool attempted);
    void carryOut();
    void finished();
    wxString caseLine() const;
    // Sentences that wrap to the width their column gives them, again after each resize.
    void setWrapped(wxStaticText* label, const wxString& text);
    void wrap(wxStaticText* label);
    void rewrap();

    IntakeForm m_form;
    std::string m_ticket;
    model::Json m_draft; // given and not yet restored
    bool m_ready = false; // the catalogue and today's date have arrived
    bool m_busy = false;
    std::uint64_t m_checklistAsked = 0;
    std::optional<model::CaseState> m_opened; // the case, once opened
    std::optional<model::CaseState> m_decided; // and once decided
    std::string m_window;
    Mnemonics m_keys;
    std::map<wxStaticText*, wxString> m_texts; // wrapping labels and their unwrapped text
    int m_wrappedFor = -1; // the tab width the labels were last wrapped for

    wxStaticText* m_message = nullptr; // above the sections: why the draft was not restored
    wxScrolledWindow* m_scroll = nullptr;
    IntakeApplicantPanel* m_applicant = nullptr;
    // 2. Matters
    wxChoice* m_bundle = nullptr;
    std::vector<std::string> m_bundleCodes; // behind the choice's items, "" first
    wxTextCtrl* m_filter = nullptr;
    wxCheckListBox* m_matters = nullptr;
    std::vector<std::string> m_listed; // matter codes behind the list's items
    wxStaticText* m_chosen = nullptr;
    // 3. Materials
    wxCheckListBox* m_materials = nullptr;
    wxStaticText* m_materialsNote = nullptr;
    wxStaticText* m_materialDetail = nullptr;
    // 4. Decision
    std::vector<DecisionRow> m_decisions;
    wxStaticText* m_promised = nullptr;
    wxStaticText* m_owed = nullptr;
    wxCheckBox* m_committed = nullptr;
    wxDatePickerCtrl* m_due = nullptr;
    wxStaticText* m_noticeItems = nullptr;
    wxTextCtrl* m_noticeExtra = nullptr;
    wxTextCtrl* m_reason = nullptr;
    wxComboBox* m_legalBasis = nullptr;
    wxStaticText* m_readiness = nullptr;
    wxButton* m_carry = nullptr;
    wxStaticText* m_result = nullptr;
    wxButton* m_openCase = nullptr;
    wxString m_promisedText;
    // 5. Documents
    IntakeDocumentsPanel* m_documents = nullptr;
};

} // namespace ow::gui
