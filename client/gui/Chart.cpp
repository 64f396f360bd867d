#include "Chart.h"

#include <algorithm>
#include <cmath>
#include <wx/control.h>
#include <wx/dcbuffer.h>
#include <wx/dcgraph.h>
#include <wx/settings.h>

namespace ow::gui {

namespace {

const wxColour kGrid(230, 233, 237);
const wxColour kAxis(148, 155, 164);
const wxColour kMuted(92, 99, 108);
const wxColour kBorder(206, 211, 218);

// A round step dividing [0, top] into about `intervals` parts.
double niceStep(ChartScale scale, double top, int intervals)
{
    const double raw = top / std::max(1, intervals);
    if (scale == ChartScale::Seconds) {
        // Seconds, minutes and hours as people count them.
        static const double steps[] = {
            1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
        for (double s : steps)
            if (s >= raw)
                return s;
    }
    if (scale == ChartScale::Fraction) {
        static const double steps[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.25};
        for (double s : steps)
            if (s >= raw)
                return s;
        return 0.25;
    }
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw * (1 - 1e-9))
            return scale == ChartScale::Count ? std::max(1.0, m * magnitude) : m * magnitude;
    return 10 * magnitude;
}

bool isWide(wxUniChar c)
{
    // CJK and other scripts written without spaces break between any two characters.
    return c.GetValue() >= 0x2E80;
}

// The label broken into lines no wider than `width`: Latin text between words, Chinese
// between characters; the last line ellipsized when more would be needed.
std::vector<wxString> wrapLabel(const wxDC& dc, const wxString& text, int width, std::size_t maxLines)
{
    struct Token {
        wxString text;
        bool spaceBefore = false;
    };
    std::vector<Token> tokens;
    bool space = false;
    for (wxUniChar c : text) {
        if (c == ' ' || c == '\n') {
            space = true;
            continue;
        }
        if (isWide(c) || tokens.empty() || space || isWide(tokens.back().text.Last()))
            tokens.push_back({wxString(c), space});
        else
            tokens.back().text += c;
        space = false;
    }
    std::vector<wxString> lines;
    wxString line;
    for (const auto& t : tokens) {
        const wxString candidate = line.empty() ? t.text : line + (t.spaceBefore ? " " : "") + t.text;
        if (line.empty() || dc.GetTextExtent(candidate).x <= width)
            line = candidate;
        else {
            lines.push_back(line);
            line = t.text;
        }
    }
    if (!line.empty())
        lines.push_back(line);
    if (lines.size() > maxLines) {
        wxString rest;
        for (std::size_t i = maxLines - 1; i < lines.size(); ++i)
            rest += (rest.empty() || isWide(rest.Last()) ? "" : " ") + lines[i];
        lines.resize(maxLines - 1);
        lines.push_back(rest);
    }
    for (auto& l : lines)
        if (dc.GetTextExtent(l).x > width)
            l = wxControl::Ellipsize(l, dc, wxELLIPSIZE_END, width);
    return lines;
}

} // namespace

wxString durationText(double seconds)
{
    const long long total = std::llround(std::max(0.0, seconds));
    const long long h = total / 3600;
    const long long m = (total % 3600) / 60;
    const long long s = total % 60;
    if (h > 0)
        return wxString::Format("%lld:%02lld:%02lld", h, m, s);
    return wxString::Format("%lld:%02lld", m, s);
}

wxString percentText(double fraction)
{
    return wxString::Format("%.1f%%", fraction * 100);
}

wxString scaleText(ChartScale scale, double value)
{
    switch (scale) {
    case ChartScale::Seconds:
        return durationText(value);
    case ChartScale::Fraction:
        return percentText(value);
    case ChartScale::Count:
        break;
    }
    return wxString::Format("%lld", std::llround(value));
}

BarChart::BarChart(wxWindow* parent, const wxString& name)
    : wxWindow(
        parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxFULL_REPAINT_ON_RESIZE | wxBORDER_NONE, name)
{
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        Refresh();
        e.Skip();
    });
    Bind(wxEVT_MOTION, [this](wxMouseEvent& e) {
        hover(e.GetPosition());
        e.Skip();
    });
    Bind(wxEVT_LEAVE_WINDOW, [this](wxMouseEvent& e) {
        m_tipBar = -1;
        UnsetToolTip();
        e.Skip();
    });
}

void BarChart::setTitle(const wxString& title)
{
    m_title = title;
    Refresh();
}

void BarChart::setAxisTitles(const wxString& categories, const wxString& values)
{
    m_categoryAxis = categories;
    m_valueAxis = values;
    Refresh();
}

void BarChart::setScale(ChartScale scale)
{
    m_scale = scale;
    Refresh();
}

void BarChart::setSeries(std::vector<ChartSeries> series)
{
    m_series = std::move(series);
    Refresh();
}

void BarChart::setLegend(std::vector<ChartSeries> legend)
{
    m_legend = std::move(legend);
    Refresh();
}

void BarChart::setGroups(std::vector<ChartGroup> groups)
{
    m_groups = std::move(groups);
    m_tipBar = -1;
    UnsetToolTip();
    Refresh();
}

void BarChart::setEmptyText(const wxString& text)
{
    m_empty = text;
    Refresh();
}

wxSize BarChart::DoGetBestClientSize() const
{
    return FromDIP(wxSize(360, 220));
}

void BarChart::paint()
{
    wxAutoBufferedPaintDC paintDc(this);
    wxGCDC dc(paintDc);
    const wxSize size = GetClientSize();
    const wxColour background = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW);
    const wxColour ink = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT);
    dc.SetBackground(wxBrush(background));
    dc.Clear();
    dc.SetPen(wxPen(kBorder));
    dc.SetBrush(*wxTRANSPARENT_BRUSH);
    dc.DrawRectangle(0, 0, size.x, size.y);
    m_bars.clear();

    const int pad = FromDIP(12);
    const int gap = FromDIP(6);
    const wxFont base = GetFont();
    const wxFont bold = base.Bold();
    const wxFont small = base.Scaled(0.9f);
    dc.SetFont(small);
    const int smallHeight = dc.GetCharHeight();

    // Title on the left, legend on the right of the same line when both fit.
    int y = pad;
    dc.SetFont(bold);
    dc.SetTextForeground(ink);
    const wxSize titleSize = dc.GetTextExtent(m_title);
    dc.DrawText(m_title, pad, y);
    const auto& legend = m_legend.empty() ? m_series : m_legend;
    dc.SetFont(small);
    const int swatch = FromDIP(10);
    int legendWidth = 0;
    for (const auto& entry : legend)
        legendWidth += swatch + FromDIP(4) + dc.GetTextExtent(entry.name).x + FromDIP(14);
    int legendX = size.x - pad - legendWidth + FromDIP(14);
    int legendY = y + (titleSize.y - smallHeight) / 2;
    if (legendX < pad + titleSize.x + FromDIP(24)) {
        legendX = pad;
        legendY = y + titleSize.y + FromDIP(4);
        y = legendY + smallHeight;
    } else {
        y += titleSize.y;
    }
    for (const auto& entry : legend) {
        dc.SetPen(*wxTRANSPARENT_PEN);
        dc.SetBrush(wxBrush(entry.colour));
        dc.DrawRoundedRectangle(legendX, legendY + (smallHeight - swatch) / 2, swatch, swatch, FromDIP(2));
        dc.SetTextForeground(ink);
        dc.DrawText(entry.name, legendX + swatch + FromDIP(4), legendY);
        legendX += swatch + FromDIP(4) + dc.GetTextExtent(entry.name).x + FromDIP(14);
    }
    y += gap;

    const bool anyValue = std::any_of(m_groups.begin(), m_groups.end(), [](const ChartGroup& g) {
        return std::any_of(g.values.begin(), g.values.end(), [](auto v) { return v.has_value(); });
    });
    if (!anyValue) {
        dc.SetFont(base);
        dc.SetTextForeground(kMuted);
        const wxSize extent = dc.GetTextExtent(m_empty);
        dc.DrawText(m_empty, (size.x - extent.x) / 2, y + (size.y - y - extent.y) / 2);
        return;
    }

    // The value axis: its title over it, then the plot with room for a value over the
    // highest bar.
    dc.SetTextForeground(kMuted);
    if (!m_valueAxis.empty()) {
        dc.DrawText(m_valueAxis, pad, y);
        y += smallHeight + FromDIP(2);
    }
    const int plotTop = y + smallHeight + FromDIP(2);

    double highest = 0;
    for (const auto& g : m_groups)
        for (const auto& v : g.values)
            if (v)
                highest = std::max(highest, *v);
    double top = highest;
    if (m_scale == ChartScale::Fraction)
        top = std::max(1.0, highest);
    else if (top <= 0)
        top = m_scale == ChartScale::Seconds ? 60 : 4;

    // Bottom up: the category axis title, the group labels, then the plot. The left margin
    // is the widest tick label; the step depends on the height, so settle the width first.
    const int fullBottom = size.y - pad;
    const int roughHeight = std::max(1, fullBottom - plotTop - 3 * smallHeight);
    const int intervals = std::clamp(roughHeight / FromDIP(36), 2, 6);
    const double step = niceStep(m_scale, top, intervals);
    if (m_scale != ChartScale::Fraction)
        top = std::ceil(top / step - 1e-9) * step;
    int tickWidth = 0;
    for (double v = 0; v <= top + step / 2; v += step)
        tickWidth = std::max(tickWidth, dc.GetTextExtent(scaleText(m_scale, v)).x);
    const int plotLeft = pad + tickWidth + FromDIP(8);
    const int plotRight = size.x - pad;
    const int plotWidth = plotRight - plotLeft;
    const std::size_t groups = m_groups.size();
    if (plotWidth < FromDIP(40) || groups == 0)
        return;
    const double groupWidth = static_cast<double>(plotWidth) / static_cast<double>(groups);

    // When the chart is short, the bars keep their height first: the labels take fewer
    // lines (ellipsized; the tooltip has them whole), then the category title goes.
    struct Fit {
        std::size_t lines;
        bool axisTitle;
    };
    const Fit fits[] = {{3, true}, {2, true}, {2, false}, {1, false}};
    std::vector<std::vector<wxString>> labels;
    int bottom = fullBottom;
    int plotBottom = 0;
    int labelsTop = 0;
    bool axisTitle = false;
    for (const Fit& fit : fits) {
        labels.clear();
        std::size_t lines = 1;
        for (const auto& g : m_groups) {
            labels.push_back(wrapLabel(
                dc, g.label, std::max(FromDIP(20), static_cast<int>(groupWidth) - FromDIP(6)), fit.lines));
            lines = std::max(lines, labels.back().size());
        }
        axisTitle = fit.axisTitle && !m_categoryAxis.empty();
        bottom = fullBottom - (axisTitle ? smallHeight + FromDIP(4) : 0);
        labelsTop = bottom - static_cast<int>(lines) * smallHeight;
        plotBottom = labelsTop - FromDIP(6);
        if (plotBottom - plotTop >= FromDIP(70))
            break;
    }
    const int plotHeight = plotBottom - plotTop;
    if (plotHeight < FromDIP(30))
        return;
    if (axisTitle) {
        const wxSize extent = dc.GetTextExtent(m_categoryAxis);
        dc.SetTextForeground(kMuted);
        dc.DrawText(m_categoryAxis, std::max(pad, (size.x - extent.x) / 2), bottom + FromDIP(4));
    }
    auto yOf = [&](double v) { return plotBottom - static_cast<int>(std::lround(v / top * plotHeight)); };

    // Gridlines and tick labels.
    for (double v = 0; v <= top + step / 2; v += step) {
        const int at = yOf(v);
        if (v > 0) {
            dc.SetPen(wxPen(kGrid));
            dc.DrawLine(plotLeft, at, plotRight, at);
        }
        const wxString text = scaleText(m_scale, v);
        const wxSize extent = dc.GetTextExtent(text);
        dc.SetTextForeground(kMuted);
        dc.DrawText(text, plotLeft - FromDIP(8) - extent.x, at - extent.y / 2);
    }

    // The bars of each group, centred in its slot; the value over each where it fits.
    const std::size_t series = std::max<std::size_t>(1, m_series.size());
    const int barGap = FromDIP(2);
    const double inner = groupWidth * 0.74;
    const int barWidth = std::clamp(
        static_cast<int>((inner - barGap * static_cast<double>(series - 1)) / static_cast<double>(series)), 2,
        FromDIP(46));
    const int groupBars = barWidth * static_cast<int>(series) + barGap * static_cast<int>(series - 1);
    for (std::size_t gi = 0; gi < groups; ++gi) {
        const auto& g = m_groups[gi];
        const int centre
            = plotLeft + static_cast<int>(std::lround(groupWidth * (static_cast<double>(gi) + 0.5)));
        int x = centre - groupBars / 2;
        for (std::size_t si = 0; si < series; ++si, x += barWidth + barGap) {
            const auto value = si < g.values.size() ? g.values[si] : std::nullopt;
            if (!value) {
                // n/a: a dash on the baseline, so that a missing bar does not read as zero.
                const wxString dash = wxString::FromUTF8("—");
                const wxSize extent = dc.GetTextExtent(dash);
                if (extent.x <= barWidth + barGap * 2) {
                    dc.SetTextForeground(kAxis);
                    dc.DrawText(dash, x + (barWidth - extent.x) / 2, plotBottom - extent.y - FromDIP(1));
                }
                continue;
            }
            const int barTop = std::min(yOf(*value), *value > 0 ? plotBottom - 1 : plotBottom);
            wxColour colour = si < m_series.size() ? m_series[si].colour : chart::kNeutral;
            if (si < g.colours.size() && g.colours[si].IsOk())
                colour = g.colours[si];
            if (barTop < plotBottom) {
                dc.SetPen(*wxTRANSPARENT_PEN);
                dc.SetBrush(wxBrush(colour));
                dc.DrawRectangle(x, barTop, barWidth, plotBottom - barTop);
            }
            m_bars.push_back({wxRect(x, barTop, barWidth, plotBottom - barTop), gi, si});
            const wxString text = scaleText(m_scale, *value);
            const wxSize extent = dc.GetTextExtent(text);
            if (extent.x <= barWidth + barGap + FromDIP(2)) {
                dc.SetTextForeground(ink);
                dc.DrawText(text, x + (barWidth - extent.x) / 2, barTop - extent.y - FromDIP(1));
            }
        }
        dc.SetTextForeground(ink);
        int lineY = labelsTop;
        for (const auto& line : labels[gi]) {
            const int width = dc.GetTextExtent(line).x;
            dc.DrawText(line, centre - width / 2, lineY);
            lineY += smallHeight;
        }
    }
    // The baseline over the bars' feet.
    dc.SetPen(wxPen(kAxis));
    dc.DrawLine(plotLeft, plotBottom, plotRight, plotBottom);
}

wxString BarChart::barTip(const Bar& bar) const
{
    const auto& g = m_groups[bar.group];
    wxString tip = g.label;
    for (std::size_t si = 0; si < m_series.size(); ++si) {
        const auto value = si < g.values.size() ? g.values[si] : std::nullopt;
        tip += "\n" + m_series[si].name + ": "
            + (value ? scaleText(m_scale, *value) : wxString::FromUTF8("—"));
    }
    return tip;
}

void BarChart::hover(const wxPoint& at)
{
    // Anywhere over a group's bars (or the empty room above them) shows that group's figures.
    int found = -1;
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const wxRect& r = m_bars[i].rect;
        if (at.x >= r.x - FromDIP(1) && at.x <= r.GetRight() + FromDIP(1) && at.y <= r.GetBottom()
            && at.y >= r.y - FromDIP(40))
            found = static_cast<int>(i);
    }
    const int group = found < 0 ? -1 : static_cast<int>(m_bars[static_cast<std::size_t>(found)].group);
    if (group == m_tipBar)
        return;
    m_tipBar = group;
    if (found < 0)
        UnsetToolTip();
    else
        SetToolTip(barTip(m_bars[static_cast<std::size_t>(found)]));
}

} // namespace ow::gui
