// Case rows for wxDataViewCtrl, virtual so that a list of a million cases scrolls
// smoothly: rows are fetched a page at a time on the worker thread when first shown,
// and the page is redrawn when it arrives. A fixed list (the work list, search results)
// is the same model with every row already there.
#pragma once

#include "Async.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <wx/dataview.h>

namespace ow::gui {

class CaseListModel : public wxDataViewVirtualListModel {
public:
    enum Column { Number, Status, Applicant, Id, Phone, Deadline, Assignee, Opened, ColumnCount };

    CaseListModel();

    // Every row at once.
    void setRows(std::vector<db::CaseSummary> rows);
    // `count` rows fetched on demand by `fetch(offset, limit)` on the worker thread.
    void setPaged(Session& session, std::size_t count,
        std::function<std::vector<db::CaseSummary>(client::Backend&, std::size_t, std::size_t)> fetch);

    std::optional<db::CaseSummary> row(unsigned int index) const;
    unsigned int size() const { return m_count; }
    // Adds the standard columns to a view.
    static void addColumns(wxDataViewCtrl* view);

    // wxDataViewVirtualListModel
    unsigned int GetColumnCount() const override { return ColumnCount; }
    wxString GetColumnType(unsigned int) const override { return "string"; }
    void GetValueByRow(wxVariant& value, unsigned int row, unsigned int col) const override;
    bool SetValueByRow(const wxVariant&, unsigned int, unsigned int) override { return false; }
    bool GetAttrByRow(unsigned int row, unsigned int col, wxDataViewItemAttr& attr) const override;

private:
    static constexpr std::size_t kPage = 200;
    const db::CaseSummary* cached(unsigned int row) const;
    void request(std::size_t page) const;

    Session* m_session = nullptr;
    std::function<std::vector<db::CaseSummary>(client::Backend&, std::size_t, std::size_t)> m_fetch;
    unsigned int m_count = 0;
    mutable std::map<std::size_t, std::vector<db::CaseSummary>> m_pages;
    mutable std::set<std::size_t> m_requested;
    std::uint64_t m_generation = 0; // pages of an older listing are dropped
    Liveness m_liveness;
};

// Days from today (China time) to an ISO date; nullopt for "".
std::optional<int> daysUntil(const std::string& isoDate);
// Working days (official calendar) from today to an ISO date, negative when it is past.
std::optional<int> workingDaysUntil(const std::string& isoDate);

} // namespace ow::gui
