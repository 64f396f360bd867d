// Section 1 of the intake: the applicant. Found among earlier applicants (search through
// the backend; the chosen case's applicant fills the form), read from the ID-card
// reader, or typed: person or enterprise, name, ID kind and number, phone, address,
// agent with authorisation, the assisted (帮办代办) flag and the delivery method. Each
// field is checked as it is typed, with the model's reason or a check mark beside it.
#pragma once

#include "model/Applicant.h"

#include "Async.h"
#include "IntakeForm.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <wx/panel.h>

class wxButton;
class wxCheckBox;
class wxChoice;
class wxFlexGridSizer;
class wxListBox;
class wxStaticText;
class wxTextCtrl;

namespace ow::client {
class IdCardReader;
}

namespace ow::gui {

// Alt+letter (upper case) → what it does; the tab dispatches them.
using Mnemonics = std::map<int, std::function<void()>>;

class IntakeApplicantPanel : public wxPanel {
public:
    // `changed` runs after every edit of the applicant.
    IntakeApplicantPanel(wxWindow* parent, IntakeForm& form, Session& session, std::function<void()> changed);
    ~IntakeApplicantPanel() override;

    void addMnemonics(Mnemonics& keys);
    void focusFirst();
    // The form changed underneath (taken in, cleared): show it again.
    void refresh();
    // Marks every field the model found a problem with, and the rest as the form sees them.
    void showProblems(const std::vector<model::FieldProblem>& problems);
    // Focuses the first field with a problem; false when there is none.
    bool focusFirstProblem();
    // Once the case is opened its applicant is fixed.
    void lock();

private:
    struct Field {
        std::string name; // as in model::FieldProblem
        wxWindow* control = nullptr;
        wxStaticText* mark = nullptr; // beside the field: ✓, ✗ or how much is typed
        wxStaticText* reason = nullptr; // under the field while it has a problem
        wxString reasonText; // unwrapped
        std::vector<wxWindow*> row; // label, control, mark, reason
    };

    wxTextCtrl* addText(
        const wxString& label, const std::string& name, std::function<void(const std::string&)> set);
    wxChoice* addChoice(const wxString& label, const std::string& name, const wxArrayString& items);
    void addRow(Field& field, const wxString& label, wxWindow* control);
    void edited();
    void refreshMarks();
    void setMark(Field& field, const FieldState& state);
    void showRows();
    void relayout();
    void holdable(wxTextCtrl* text, std::function<bool()> held, std::function<void()> release);
    void find();
    void takeFromCase(const std::string& caseNumber);
    void readCard();
    void took(const wxString& status);
    void say(const wxString& text, bool problem = false);
    Field* fieldNamed(const std::string& name);

    IntakeForm& m_form;
    Session& m_session;
    std::function<void()> m_changed;
    std::shared_ptr<client::IdCardReader> m_reader;
    std::vector<std::string> m_resultCases; // case numbers behind the result lines
    std::map<std::string, Field> m_fields;
    bool m_refreshing = false;
    bool m_locked = false;

    wxTextCtrl* m_find = nullptr;
    wxButton* m_read = nullptr;
    wxButton* m_clear = nullptr;
    wxListBox* m_results = nullptr;
    wxStaticText* m_status = nullptr;
    wxString m_statusText;
    int m_wrappedFor = -1; // the width the sentences were last wrapped for
    wxChoice* m_type = nullptr;
    wxStaticText* m_typeNote = nullptr;
    wxTextCtrl* m_name = nullptr;
    wxChoice* m_kind = nullptr;
    wxTextCtrl* m_id = nullptr;
    wxTextCtrl* m_legal = nullptr;
    wxTextCtrl* m_phone = nullptr;
    wxTextCtrl* m_address = nullptr;
    wxChoice* m_delivery = nullptr;
    wxCheckBox* m_agent = nullptr;
    wxCheckBox* m_assisted = nullptr;
    wxTextCtrl* m_agentName = nullptr;
    wxChoice* m_agentKind = nullptr;
    wxTextCtrl* m_agentId = nullptr;
    wxTextCtrl* m_agentPhone = nullptr;
    wxTextCtrl* m_agentAuthorisation = nullptr;
    wxFlexGridSizer* m_grid = nullptr;
    Liveness m_liveness; // declared last, so destroyed first: no job calls back into a dying panel
};

} // namespace ow::gui
