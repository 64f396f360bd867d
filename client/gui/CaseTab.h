// One case in a tab: header (number, masked applicant, matters, status, deadline
// countdown, conflict banner), timeline, materials, steps, the clock ledger, and the
// actions the user's role and the case's state allow. Everything is read and written
// on the worker thread; a reload keeps the section, the scroll positions and the
// selections as they were.
#pragma once

#include "CaseActions.h"
#include "CaseTable.h"
#include "CaseView.h"
#include "Shell.h"

#include <functional>
#include <map>
#include <optional>
#include <vector>
#include <wx/timer.h>

class wxButton;
class wxDataViewCtrl;
class wxNotebook;
class wxStaticText;
class wxWrapSizer;

namespace ow::gui {

class CaseTab : public Tab {
public:
    CaseTab(wxWindow* parent, Shell& shell, std::string number);
    wxString title() const override;
    std::string caseNumber() const override { return m_number; }
    void onDataChanged() override { load(); }

private:
    enum class Message { Info, Done, Refused };
    enum Section { Timeline, Materials, Steps, Clock, SectionCount };

    void build();
    wxWindow* buildTimelinePage(wxWindow* parent);
    wxWindow* buildClockPage(wxWindow* parent);
    void load();
    void show(CaseSnapshot snapshot);
    void showHeader();
    void showConflict();
    void showSections();
    void updateActions();
    void showMessage(const wxString& text, Message kind);
    void clearMessage();
    void setWrapped(wxStaticText* label, const wxString& text);
    void rewrap();
    void showSection(int section);
    void showEventDetail();
    void scrollLedger();

    // Writes one event on the worker thread; a refusal is shown and logged, a success
    // reloads every view.
    void perform(CaseAction action, const wxString& done, std::function<void(client::Backend&)> write);
    void act(CaseAction action);
    void accept();
    void refuse();
    void routeStep();
    void completeStep();
    void receiveMaterials();
    void recordCorrection();
    void suspend();
    void resume();
    void extend();
    void conclude();
    void deliver();
    void closeCase();
    void withdraw();
    void terminate();
    void assign();
    void addNote();
    void resolveConflict();

    std::string m_number;
    std::optional<CaseSnapshot> m_snapshot;
    bool m_loading = false;
    bool m_reloadWanted = false;
    bool m_busy = false;
    bool m_scrolledOnce = false;
    bool m_ledgerScrollPending = true;
    wxTimer m_ledgerTimer;

    wxStaticText* m_numberLabel = nullptr;
    wxStaticText* m_status = nullptr;
    wxStaticText* m_deadline = nullptr;
    wxStaticText* m_deadlineDetail = nullptr;
    wxStaticText* m_applicant = nullptr;
    wxStaticText* m_matters = nullptr;
    wxStaticText* m_caseLine = nullptr;
    wxPanel* m_banner = nullptr;
    wxStaticText* m_bannerText = nullptr;
    wxButton* m_resolve = nullptr;
    wxPanel* m_message = nullptr;
    wxStaticText* m_messageText = nullptr;
    wxWrapSizer* m_actionRow = nullptr;
    std::map<CaseAction, wxButton*> m_buttons;
    wxNotebook* m_sections = nullptr;
    wxObjectDataPtr<CaseTableModel> m_timeline;
    wxObjectDataPtr<CaseTableModel> m_materials;
    wxObjectDataPtr<CaseTableModel> m_steps;
    wxObjectDataPtr<CaseTableModel> m_ledger;
    wxDataViewCtrl* m_timelineView = nullptr;
    wxDataViewCtrl* m_materialsView = nullptr;
    wxDataViewCtrl* m_stepsView = nullptr;
    wxDataViewCtrl* m_ledgerView = nullptr;
    wxStaticText* m_eventDetail = nullptr;
    wxStaticText* m_clockSummary = nullptr;
    // Labels that wrap to the tab's width, with their unwrapped text.
    std::map<wxStaticText*, wxString> m_wrapped;
};

} // namespace ow::gui
