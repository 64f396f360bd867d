// Booking an appointment at the counter or on the phone: a queue category, a day and a
// time. The ticket is issued at once, numbered in its day's band, and enters the queue
// when its time comes (ahead of walk-ins, as a priority class).
#pragma once

#include "model/CentreSetup.h"

#include <cstdint>
#include <string>
#include <vector>
#include <wx/dialog.h>

class wxChoice;
class wxDatePickerCtrl;
class wxTimePickerCtrl;

namespace ow::gui {

class AppointmentDialog : public wxDialog {
public:
    AppointmentDialog(wxWindow* parent, const std::vector<model::QueueCategory>& categories);
    std::string category() const;
    // The chosen moment in ms since the epoch, the day and time read in China Standard Time.
    std::int64_t at() const;

private:
    std::vector<std::string> m_codes;
    wxChoice* m_category = nullptr;
    wxDatePickerCtrl* m_day = nullptr;
    wxTimePickerCtrl* m_time = nullptr;
};

} // namespace ow::gui
