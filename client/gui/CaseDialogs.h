// The small dialog each case action opens for its fields: a column of labelled fields,
// a line saying what is still missing, OK only while the fields are complete. Esc
// cancels, Enter confirms (in a single-line field).
#pragma once

#include <functional>
#include <vector>
#include <wx/dialog.h>
#include <wx/textentry.h>

class wxBoxSizer;
class wxCheckListBox;
class wxChoice;
class wxComboBox;
class wxFlexGridSizer;
class wxRadioBox;
class wxSpinCtrl;
class wxStaticText;
class wxTextCtrl;
class wxWindow;

namespace ow::gui {

class ActionDialog : public wxDialog {
public:
    // `intro` says what the action does and what follows from it.
    ActionDialog(wxWindow* parent, const wxString& title, const wxString& intro, const wxString& okLabel);

    // A read-only line, e.g. the approver of an extension.
    void addInfo(const wxString& label, const wxString& text);
    wxTextCtrl* addText(const wxString& label, const wxString& value, bool multiline = false);
    wxComboBox* addCombo(const wxString& label, const wxArrayString& suggestions, const wxString& value);
    wxChoice* addChoice(const wxString& label, const wxArrayString& items, int selection);
    wxSpinCtrl* addSpin(const wxString& label, int min, int max, int value);
    wxCheckListBox* addChecklist(const wxString& label, const wxArrayString& items);
    wxRadioBox* addRadio(const wxString& label, const wxArrayString& items, int selection);

    // The field the keyboard starts in (default: the first one).
    void startIn(wxWindow* field) { m_start = field; }
    // What is still missing, in a sentence, or "" when the fields are complete.
    void setCheck(std::function<wxString()> check) { m_check = std::move(check); }
    // The common check: OK waits until `field` holds more than blanks; `missing` says
    // what to give ("Give the reason.").
    void requireText(wxTextEntry* field, const wxString& missing)
    {
        setCheck([field, missing]() -> wxString {
            return wxString(field->GetValue()).Strip(wxString::both).empty() ? missing : wxString();
        });
    }
    // Lays out, focuses the first field, shows modally; true on OK.
    bool run();
    // Re-evaluates the check (fields call it on every change).
    void revalidate();

private:
    void watch(wxWindow* field);

    wxFlexGridSizer* m_fields = nullptr;
    wxStaticText* m_problem = nullptr;
    std::vector<wxWindow*> m_inputs;
    wxWindow* m_start = nullptr;
    std::function<wxString()> m_check;
};

} // namespace ow::gui
