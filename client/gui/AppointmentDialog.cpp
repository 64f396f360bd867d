#include "AppointmentDialog.h"

#include "Text.h"

#include <wx/choice.h>
#include <wx/datectrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/timectrl.h>

namespace ow::gui {

AppointmentDialog::AppointmentDialog(wxWindow* parent, const std::vector<model::QueueCategory>& categories)
    : wxDialog(parent, wxID_ANY, _("Book an appointment"))
{
    SetName("appointment");
    m_category = new wxChoice(this, wxID_ANY);
    m_category->SetName("appointment.category");
    for (const auto& c : categories) {
        m_category->Append(wx(c.code) + " " + localName(c.nameZh, c.nameEn));
        m_codes.push_back(c.code);
    }
    if (!m_codes.empty())
        m_category->SetSelection(0);
    const wxDateTime tomorrow = wxDateTime::Today() + wxDateSpan::Day();
    m_day = new wxDatePickerCtrl(this, wxID_ANY, tomorrow, wxDefaultPosition, wxDefaultSize, wxDP_DROPDOWN);
    m_day->SetName("appointment.day");
    m_day->SetRange(wxDateTime::Today(), wxDateTime());
    wxDateTime nine = tomorrow;
    nine.SetHour(9);
    m_time = new wxTimePickerCtrl(this, wxID_ANY, nine);
    m_time->SetName("appointment.time");
    auto* grid = new wxFlexGridSizer(2, wxSize(8, 8));
    grid->AddGrowableCol(1);
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Category:")), wxSizerFlags().CentreVertical());
    grid->Add(m_category, wxSizerFlags().Expand());
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Day:")), wxSizerFlags().CentreVertical());
    grid->Add(m_day, wxSizerFlags().Expand());
    grid->Add(new wxStaticText(this, wxID_ANY, _("&Time:")), wxSizerFlags().CentreVertical());
    grid->Add(m_time, wxSizerFlags().Expand());
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(new wxStaticText(this, wxID_ANY,
                 _("The ticket is issued now and joins the queue, ahead of walk-ins, when its time comes.")),
        wxSizerFlags().Border(wxALL, 10));
    top->Add(grid, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, 10));
    top->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL), wxSizerFlags().Expand().Border(wxALL, 10));
    SetSizerAndFit(top);
    m_category->SetFocus();
}

std::string AppointmentDialog::category() const
{
    const int row = m_category->GetSelection();
    return row == wxNOT_FOUND ? std::string() : m_codes[static_cast<std::size_t>(row)];
}

std::int64_t AppointmentDialog::at() const
{
    const wxDateTime day = m_day->GetValue();
    int hour = 0, minute = 0, second = 0;
    m_time->GetTime(&hour, &minute, &second);
    const model::Date date(day.GetYear(), static_cast<unsigned>(day.GetMonth()) + 1, day.GetDay());
    // China Standard Time is UTC+8 all year.
    return ((date.days() * 24 + hour - 8) * 60 + minute) * 60'000LL;
}

} // namespace ow::gui
