// "Floor": the queue manager's console. The live floor (who serves at each window, the
// ticket and how long, or how long it has been idle), the waiting tickets per category
// with the wait a newcomer can expect, the cases overdue or due within two working days,
// and the conflicts inbox with the candidate values side by side. Tickets are moved to a
// window or colleague and cases assigned with "Move…"/"Assign…" (or Enter), or by
// dragging a row onto a window of the floor; every write is one job on the worker, and
// a refusal shows the model's reason on the message line with nothing changed.
#pragma once

#include "CaseTable.h"
#include "CaseView.h"
#include "ConsoleView.h"
#include "Shell.h"

#include <functional>
#include <optional>
#include <string>
#include <wx/timer.h>

class wxBoxSizer;
class wxButton;
class wxDataViewCtrl;
class wxDataViewEvent;
class wxScrolledWindow;
class wxStaticText;

namespace ow::gui {

class ConsoleTab : public Tab {
public:
    ConsoleTab(wxWindow* parent, Shell& shell);
    ~ConsoleTab() override;
    wxString title() const override;
    void onDataChanged() override;
    // Puts the keyboard in the conflicts inbox (from the notice of new conflicts).
    void focusConflicts();

private:
    // What a drag carries, and what Move…/Assign… act on.
    enum class Source { None, Floor, Tickets, Risk, Conflicts };

    void reload();
    void show(FloorData data);
    void tick();
    // The tables from the loaded floor at this instant; `cases`: the case lists too.
    void applyRows(bool cases);

    void moveTicket();
    void assignCase();
    void openCase();
    void moveTicketTo(const std::string& ticketId, const model::TicketTarget& target);
    void assignCaseTo(const std::string& number, const std::string& assignee, const std::string& window);
    // A dragged row dropped onto the floor row of `window`.
    void dropped(Source from, const std::string& key, const std::string& window);
    // Runs a write on the worker; `done` is the sentence shown once it is recorded.
    void write(std::function<void(client::Backend&)> job, wxString done);
    void say(const wxString& text, bool refusal);

    // The ticket the Move… button acts on: the selected waiting ticket, or the ticket
    // served at the selected window (whichever list was used last).
    const model::Ticket* selectedTicket() const;
    std::string selectedCase() const;

    void loadConflict();
    void showConflict();
    void keep(const std::string& group, const std::string& eventId);

    void enableDrag(wxDataViewCtrl* view, Source source);
    wxDataViewCtrl* addTable(wxWindow* parent, wxBoxSizer* sizer, CaseTableModel* model,
        const std::vector<TableColumn>& columns, const char* name, int proportion);

    FloorData m_data;
    bool m_loaded = false;
    LoadGate m_gate;
    bool m_busy = false;
    bool m_applying = false; // rows being replaced: selection events are not the user's
    Source m_ticketSource = Source::Tickets;
    Source m_caseSource = Source::Risk;
    Source m_dragging = Source::None;

    wxObjectDataPtr<CaseTableModel> m_floorModel;
    wxObjectDataPtr<CaseTableModel> m_categoryModel;
    wxObjectDataPtr<CaseTableModel> m_ticketModel;
    wxObjectDataPtr<CaseTableModel> m_riskModel;
    wxObjectDataPtr<CaseTableModel> m_conflictModel;
    wxDataViewCtrl* m_floor = nullptr;
    wxDataViewCtrl* m_categories = nullptr;
    wxDataViewCtrl* m_tickets = nullptr;
    wxDataViewCtrl* m_risk = nullptr;
    wxDataViewCtrl* m_conflicts = nullptr;
    wxStaticText* m_summary = nullptr;
    wxStaticText* m_message = nullptr;
    wxStaticText* m_ticketsHeading = nullptr;
    wxStaticText* m_riskHeading = nullptr;
    wxStaticText* m_conflictsHeading = nullptr;
    wxButton* m_move = nullptr;
    wxButton* m_assign = nullptr;
    wxButton* m_open = nullptr;

    // The selected conflict and its candidates.
    wxScrolledWindow* m_candidates = nullptr;
    std::string m_conflictNumber;
    std::optional<CaseSnapshot> m_conflict;
    std::uint64_t m_conflictRequest = 0;

    wxTimer m_clock;
};

} // namespace ow::gui
