// The main window's status bar with its fields as real labels, so that screen readers
// (and the GUI tests, through the accessibility tree) can read what it says; the stock
// GTK status bar only paints its text.
#pragma once

#include <vector>
#include <wx/statusbr.h>

class wxStaticText;

namespace ow::gui {

class StatusLine : public wxStatusBar {
public:
    // `widths`: as wxStatusBar::SetStatusWidths (negative: a share of the rest).
    StatusLine(wxWindow* parent, std::vector<int> widths);
    void show(const wxString& text, int field);

private:
    void place();

    std::vector<wxStaticText*> m_fields;
};

} // namespace ow::gui
