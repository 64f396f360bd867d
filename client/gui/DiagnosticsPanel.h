// The last log lines of this client (the in-memory ring of client/core/LogRing.h),
// refreshed while shown, for support staff on the telephone.
#pragma once

#include <cstdint>
#include <wx/panel.h>
#include <wx/timer.h>

class wxListCtrl;

namespace ow::gui {

class DiagnosticsPanel : public wxPanel {
public:
    explicit DiagnosticsPanel(wxWindow* parent);

private:
    void refresh();

    wxListCtrl* m_list = nullptr;
    wxTimer m_timer;
    std::uint64_t m_last = 0;
};

} // namespace ow::gui
