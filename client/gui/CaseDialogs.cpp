#include "CaseDialogs.h"

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/intl.h>
#include <wx/radiobox.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace ow::gui {

ActionDialog::ActionDialog(
    wxWindow* parent, const wxString& title, const wxString& intro, const wxString& okLabel)
    : wxDialog(
        parent, wxID_ANY, title, wxDefaultPosition, wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER)
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    if (!intro.empty()) {
        auto* text = new wxStaticText(this, wxID_ANY, intro);
        text->Wrap(FromDIP(460));
        top->Add(text, wxSizerFlags().Expand().Border(wxALL, FromDIP(10)));
    }
    m_fields = new wxFlexGridSizer(2, FromDIP(6), FromDIP(10));
    m_fields->AddGrowableCol(1, 1);
    top->Add(m_fields, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT, FromDIP(10)));
    m_problem = new wxStaticText(this, wxID_ANY, wxString());
    m_problem->SetForegroundColour(wxColour(150, 85, 0));
    top->Add(m_problem, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(10)));
    auto* buttons = new wxStdDialogButtonSizer;
    auto* ok = new wxButton(this, wxID_OK, okLabel);
    ok->SetDefault();
    buttons->AddButton(ok);
    buttons->AddButton(new wxButton(this, wxID_CANCEL, _("Cancel")));
    buttons->Realize();
    top->Add(buttons, wxSizerFlags().Expand().Border(wxALL, FromDIP(10)));
    SetSizer(top);
    SetEscapeId(wxID_CANCEL);
}

void ActionDialog::addInfo(const wxString& label, const wxString& text)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right());
    auto* value = new wxStaticText(this, wxID_ANY, text);
    value->SetFont(value->GetFont().Bold());
    m_fields->Add(value, wxSizerFlags().Expand());
}

wxTextCtrl* ActionDialog::addText(const wxString& label, const wxString& value, bool multiline)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label),
        multiline ? wxSizerFlags().Right().Top() : wxSizerFlags().Right().CentreVertical());
    auto* field = new wxTextCtrl(this, wxID_ANY, value, wxDefaultPosition,
        multiline ? FromDIP(wxSize(360, 90)) : FromDIP(wxSize(360, -1)), multiline ? wxTE_MULTILINE : 0);
    m_fields->Add(field, wxSizerFlags(1).Expand());
    if (multiline)
        m_fields->AddGrowableRow(static_cast<size_t>(m_fields->GetEffectiveRowsCount() - 1), 1);
    field->Bind(wxEVT_TEXT, [this](wxCommandEvent& e) {
        revalidate();
        e.Skip();
    });
    watch(field);
    return field;
}

wxComboBox* ActionDialog::addCombo(
    const wxString& label, const wxArrayString& suggestions, const wxString& value)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right().CentreVertical());
    auto* field = new wxComboBox(
        this, wxID_ANY, value, wxDefaultPosition, FromDIP(wxSize(360, -1)), suggestions, wxCB_DROPDOWN);
    m_fields->Add(field, wxSizerFlags(1).Expand());
    field->Bind(wxEVT_TEXT, [this](wxCommandEvent& e) {
        revalidate();
        e.Skip();
    });
    field->Bind(wxEVT_COMBOBOX, [this](wxCommandEvent& e) {
        revalidate();
        e.Skip();
    });
    watch(field);
    return field;
}

wxChoice* ActionDialog::addChoice(const wxString& label, const wxArrayString& items, int selection)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right().CentreVertical());
    auto* field = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, items);
    if (selection >= 0 && static_cast<unsigned int>(selection) < items.size())
        field->SetSelection(selection);
    m_fields->Add(field, wxSizerFlags(1).Expand());
    field->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
        revalidate();
        e.Skip();
    });
    watch(field);
    return field;
}

wxSpinCtrl* ActionDialog::addSpin(const wxString& label, int min, int max, int value)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right().CentreVertical());
    auto* field = new wxSpinCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
        wxSP_ARROW_KEYS | wxALIGN_RIGHT, min, max, value);
    m_fields->Add(field, wxSizerFlags());
    field->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent& e) {
        revalidate();
        e.Skip();
    });
    watch(field);
    return field;
}

wxCheckListBox* ActionDialog::addChecklist(const wxString& label, const wxArrayString& items)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right().Top());
    auto* field = new wxCheckListBox(this, wxID_ANY, wxDefaultPosition,
        FromDIP(wxSize(360, std::min(220, 28 * static_cast<int>(items.size()) + 8))), items);
    m_fields->Add(field, wxSizerFlags(1).Expand());
    m_fields->AddGrowableRow(static_cast<size_t>(m_fields->GetEffectiveRowsCount() - 1), 1);
    field->Bind(wxEVT_CHECKLISTBOX, [this](wxCommandEvent& e) {
        revalidate();
        e.Skip();
    });
    watch(field);
    return field;
}

wxRadioBox* ActionDialog::addRadio(const wxString& label, const wxArrayString& items, int selection)
{
    m_fields->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right().Top());
    auto* field = new wxRadioBox(
        this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, items, 1, wxRA_SPECIFY_COLS);
    field->SetSelection(selection);
    m_fields->Add(field, wxSizerFlags(1).Expand());
    field->Bind(wxEVT_RADIOBOX, [this](wxCommandEvent& e) {
        revalidate();
        e.Skip();
    });
    watch(field);
    return field;
}

void ActionDialog::watch(wxWindow* field)
{
    m_inputs.push_back(field);
}

void ActionDialog::revalidate()
{
    const wxString problem = m_check ? m_check() : wxString();
    m_problem->SetLabel(problem);
    if (auto* ok = FindWindow(wxID_OK))
        ok->Enable(problem.empty());
}

bool ActionDialog::run()
{
    revalidate();
    GetSizer()->SetSizeHints(this);
    Fit();
    CentreOnParent();
    // The first field, or for a plain confirmation the OK button (never Cancel, which GTK
    // would pick, so that Enter confirms).
    wxWindow* first = FindWindow(wxID_OK);
    for (auto* input : m_inputs)
        if (input->IsEnabled()) {
            first = input;
            break;
        }
    if (m_start)
        first = m_start;
    if (first)
        first->SetFocus();
    return ShowModal() == wxID_OK;
}

} // namespace ow::gui
