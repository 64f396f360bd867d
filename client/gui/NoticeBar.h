// A line across the top of the main window for something a person should act on (cases
// that came back from an outage in conflict): a sentence, one action button and a close
// button. Screen readers and the GUI tests read it as a label and two buttons.
#pragma once

#include <functional>
#include <wx/panel.h>

class wxButton;
class wxStaticText;

namespace ow::gui {

class NoticeBar : public wxPanel {
public:
    explicit NoticeBar(wxWindow* parent);

    // Sets the sentence and the action; the owner shows the bar.
    void set(const wxString& text, const wxString& action, std::function<void()> onAction);
    // Called when the person closes the bar, or after the action ran.
    void onDismiss(std::function<void()> dismissed) { m_dismissed = std::move(dismissed); }

private:
    wxStaticText* m_text = nullptr;
    wxButton* m_action = nullptr;
    wxButton* m_close = nullptr;
    std::function<void()> m_onAction;
    std::function<void()> m_dismissed;
};

} // namespace ow::gui
