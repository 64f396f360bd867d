#include "StatusLine.h"

#include <wx/stattext.h>

namespace ow::gui {

StatusLine::StatusLine(wxWindow* parent, std::vector<int> widths)
    : wxStatusBar(parent, wxID_ANY)
{
    SetFieldsCount(static_cast<int>(widths.size()), widths.data());
    for (std::size_t i = 0; i < widths.size(); ++i) {
        auto* label = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
            wxST_NO_AUTORESIZE | wxST_ELLIPSIZE_END);
        m_fields.push_back(label);
    }
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        place();
        e.Skip();
    });
    place();
}

void StatusLine::show(const wxString& text, int field)
{
    if (field >= 0 && static_cast<std::size_t>(field) < m_fields.size()) {
        auto* label = m_fields[static_cast<std::size_t>(field)];
        if (label->GetLabel() != text) {
            label->SetLabel(text);
            label->SetToolTip(text);
        }
    }
}

void StatusLine::place()
{
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        wxRect r;
        if (GetFieldRect(static_cast<int>(i), r))
            m_fields[i]->SetSize(r.Deflate(2, 1));
    }
}

} // namespace ow::gui
