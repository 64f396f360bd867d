#include "CaseListModel.h"

#include "model/BuiltinCalendars.h"
#include "model/Date.h"
#include "model/HybridClock.h"
#include "model/Repositories.h"
#include "model/TimeLimit.h"

#include "Text.h"

#include <wx/intl.h>

namespace ow::gui {

namespace {

// Cases whose clock no longer runs: their deadline is history, not a countdown.
bool finished(const std::string& status)
{
    for (const char* s : {"refused", "approved", "denied", "terminated", "delivered", "withdrawn", "closed"})
        if (status == s)
            return true;
    return false;
}

} // namespace

std::optional<int> daysUntil(const std::string& isoDate)
{
    auto d = model::Date::fromIso(isoDate);
    if (!d)
        return std::nullopt;
    return static_cast<int>(model::SystemClock().today().daysUntil(*d));
}

std::optional<int> workingDaysUntil(const std::string& isoDate)
{
    static const model::HolidayCalendar calendar = model::builtinCalendar();
    auto d = model::Date::fromIso(isoDate);
    if (!d)
        return std::nullopt;
    const model::Date today = model::SystemClock().today();
    // Overdue by the working days since the deadline; due today is 0.
    return model::workingDaysBetween(calendar, today, *d);
}

CaseListModel::CaseListModel()
    : wxDataViewVirtualListModel(0)
{
}

void CaseListModel::setRows(std::vector<db::CaseSummary> rows)
{
    ++m_generation;
    m_session = nullptr;
    m_fetch = nullptr;
    m_pages.clear();
    m_requested.clear();
    m_count = static_cast<unsigned int>(rows.size());
    for (std::size_t i = 0; i < rows.size(); i += kPage) {
        auto end = std::min(rows.size(), i + kPage);
        m_pages[i / kPage].assign(std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(i)),
            std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    Reset(m_count);
}

void CaseListModel::setPaged(Session& session, std::size_t count,
    std::function<std::vector<db::CaseSummary>(client::Backend&, std::size_t, std::size_t)> fetch)
{
    ++m_generation;
    m_session = &session;
    m_fetch = std::move(fetch);
    m_pages.clear();
    m_requested.clear();
    m_count = static_cast<unsigned int>(count);
    Reset(m_count);
}

const db::CaseSummary* CaseListModel::cached(unsigned int row) const
{
    const std::size_t page = row / kPage;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        request(page);
        return nullptr;
    }
    const std::size_t at = row % kPage;
    return at < it->second.size() ? &it->second[at] : nullptr;
}

void CaseListModel::request(std::size_t page) const
{
    if (!m_session || !m_fetch || m_requested.count(page))
        return;
    m_requested.insert(page);
    auto self = const_cast<CaseListModel*>(this);
    const auto generation = m_generation;
    runAsync<std::vector<db::CaseSummary>>(
        *m_session, m_liveness,
        [fetch = m_fetch, page](client::Backend& b) { return fetch(b, page * kPage, kPage); },
        [self, page, generation](std::vector<db::CaseSummary> rows) {
            if (generation != self->m_generation)
                return;
            const auto first = static_cast<unsigned int>(page * kPage);
            const auto n = static_cast<unsigned int>(rows.size());
            self->m_pages[page] = std::move(rows);
            for (unsigned int i = 0; i < n && first + i < self->m_count; ++i)
                self->RowChanged(first + i);
        });
}

std::optional<db::CaseSummary> CaseListModel::row(unsigned int index) const
{
    if (index >= m_count)
        return std::nullopt;
    if (auto r = cached(index))
        return *r;
    return std::nullopt;
}

void CaseListModel::GetValueByRow(wxVariant& value, unsigned int rowIndex, unsigned int col) const
{
    const db::CaseSummary* r = rowIndex < m_count ? cached(rowIndex) : nullptr;
    if (!r) {
        value = col == Number ? wxString::FromUTF8("…") : wxString();
        return;
    }
    switch (col) {
    case Number:
        value = wx(r->number);
        break;
    case Status:
        value = statusLabel(r->status) + (r->inConflict ? wxString(" ⚠") : wxString());
        break;
    case Applicant:
        value = wx(r->applicantName);
        break;
    case Id:
        value = wx(r->maskedId);
        break;
    case Phone:
        value = wx(r->maskedPhone);
        break;
    case Deadline:
        if (finished(r->status)) {
            value = wx(r->deadline);
        } else if (auto d = workingDaysUntil(r->deadline)) {
            // TRANSLATORS: a deadline with the working days left (negative: overdue), e.g. "2026-12-04 (3
            // wd)".
            value = wxString::Format(_("%s (%d wd)"), wx(r->deadline), *d);
        } else {
            value = wxString();
        }
        break;
    case Assignee:
        value = wx(r->assignee);
        break;
    case Opened:
        value = wx(r->openedOn);
        break;
    default:
        value = wxString();
    }
}

bool CaseListModel::GetAttrByRow(unsigned int rowIndex, unsigned int col, wxDataViewItemAttr& attr) const
{
    if (col != Deadline && col != Status)
        return false;
    const db::CaseSummary* r = rowIndex < m_count ? cached(rowIndex) : nullptr;
    if (!r)
        return false;
    if (col == Status && r->inConflict) {
        attr.SetColour(wxColour(176, 0, 32));
        attr.SetBold(true);
        return true;
    }
    auto d = col == Deadline && !finished(r->status) ? workingDaysUntil(r->deadline) : std::nullopt;
    if (!d)
        return false;
    if (*d < 0)
        attr.SetColour(wxColour(176, 0, 32)); // overdue: red
    else if (*d <= 2)
        attr.SetColour(wxColour(180, 110, 0)); // due soon: amber
    else
        attr.SetColour(wxColour(0, 120, 60)); // green
    attr.SetBold(*d < 0);
    return true;
}

void CaseListModel::addColumns(wxDataViewCtrl* view)
{
    view->AppendTextColumn(_("Case number"), Number, wxDATAVIEW_CELL_INERT, 190);
    view->AppendTextColumn(_("Status"), Status, wxDATAVIEW_CELL_INERT, 120);
    view->AppendTextColumn(_("Applicant"), Applicant, wxDATAVIEW_CELL_INERT, 110);
    view->AppendTextColumn(_("ID"), Id, wxDATAVIEW_CELL_INERT, 160);
    view->AppendTextColumn(_("Phone"), Phone, wxDATAVIEW_CELL_INERT, 110);
    view->AppendTextColumn(_("Deadline"), Deadline, wxDATAVIEW_CELL_INERT, 140);
    view->AppendTextColumn(_("Assignee"), Assignee, wxDATAVIEW_CELL_INERT, 90);
    view->AppendTextColumn(_("Opened"), Opened, wxDATAVIEW_CELL_INERT, 90);
}

} // namespace ow::gui
