// Search (Ctrl+F): exact case number, ID number or phone, or the beginning of a name;
// the results in a virtual list, Enter opens the case in its own tab. The same tab lists
// every case of the centre (Ctrl+L), a page at a time as it scrolls.
#pragma once

#include "CaseListModel.h"
#include "Shell.h"

class wxDataViewCtrl;
class wxSearchCtrl;
class wxStaticText;

namespace ow::gui {

class SearchTab : public Tab {
public:
    SearchTab(wxWindow* parent, Shell& shell);
    wxString title() const override;
    // Every case of the centre, newest first, fetched page by page as it scrolls.
    void showAll();

private:
    void run();

    wxSearchCtrl* m_query = nullptr;
    wxStaticText* m_summary = nullptr;
    wxDataViewCtrl* m_view = nullptr;
    wxObjectDataPtr<CaseListModel> m_model;
    wxString m_lastQuery;
    bool m_all = false;
};

} // namespace ow::gui
