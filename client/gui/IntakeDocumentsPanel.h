// Section 5 of the intake: the documents that fit the decision (model/Documents.h) —
// saved as PDF (to the user's documents folder, named with the document number) or
// shown in a print preview drawn by the same renderer (client/documents). Each issue is
// recorded on the case; once a kind has been issued, issuing it again is a reprint (补打)
// of the same number.
#pragma once

#include "model/CaseState.h"
#include "model/Documents.h"

#include "Async.h"
#include "IntakeApplicantPanel.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <wx/panel.h>

class wxButton;
class wxListBox;
class wxStaticText;

namespace ow::gui {

class IntakeDocumentsPanel : public wxPanel {
public:
    // `recorded` runs with the case after each issue was recorded.
    IntakeDocumentsPanel(wxWindow* parent, Session& session, model::Staff user,
        std::function<void(const model::CaseState&)> recorded);

    // The decided case: its documents become available.
    void setCase(const model::CaseState& state);
    void addMnemonics(Mnemonics& keys);
    void focusList();

private:
    std::optional<model::DocumentKind> selected() const;
    // The number the next issue of `kind` gets, and whether it is a reprint.
    model::DocumentIssue plannedIssue(model::DocumentKind kind) const;
    // The selected document and how it would be issued now; nothing (and a message when
    // it cannot be issued) while nothing is selected or a job is running.
    std::optional<std::pair<model::DocumentKind, model::DocumentIssue>> plannedSelection();
    model::DocumentContext context() const;
    void savePdf();
    void preview();
    void record(model::DocumentKind kind, const model::DocumentIssue& issue);
    void say(const wxString& text, bool problem = false);
    void showList();

    Session& m_session;
    model::Staff m_user;
    std::function<void(const model::CaseState&)> m_recorded;
    std::optional<model::CaseState> m_state;
    std::vector<model::DocumentKind> m_kinds; // behind the list's lines
    bool m_busy = false;

    wxListBox* m_list = nullptr;
    wxButton* m_save = nullptr;
    wxButton* m_preview = nullptr;
    wxStaticText* m_status = nullptr;
    wxString m_statusText; // unwrapped
    int m_wrappedFor = -1; // the width it was last wrapped for
    Liveness m_liveness; // declared last, so destroyed first: no job calls back into a dying panel
};

} // namespace ow::gui
