// A small bar chart for reports: groups of bars along the bottom (one bar per series in
// each group), a value axis with round steps and light gridlines, the value over each
// bar where it fits, a legend, axis titles, and the group's figures in a tooltip. It
// draws only the numbers it was given (never asks the database) and takes no focus.
// Colours: one neutral hue and one accent, each in a full and a light tint, so that
// colour keeps meaning what it means elsewhere (attention), not decoration.
#pragma once

#include <optional>
#include <vector>
#include <wx/colour.h>
#include <wx/string.h>
#include <wx/window.h>

namespace ow::gui {

namespace chart {
const wxColour kNeutral(72, 99, 133); // slate blue
const wxColour kNeutralLight(163, 181, 204);
const wxColour kAccent(196, 118, 26); // ochre: what asks for attention
const wxColour kAccentLight(234, 192, 137);
} // namespace chart

// How values read and how the value axis steps.
enum class ChartScale {
    Count, // whole numbers
    Seconds, // durations, shown as m:ss (h:mm:ss from an hour)
    Fraction, // 0–1, shown as a percentage
};

// "3:05", "1:02:05" (rounded to the second).
wxString durationText(double seconds);
// "97.1%".
wxString percentText(double fraction);
// A value of this scale as the chart and the tables show it.
wxString scaleText(ChartScale scale, double value);

struct ChartSeries {
    wxString name;
    wxColour colour;
};

struct ChartGroup {
    wxString label; // under its bars, wrapped onto at most three lines
    std::vector<std::optional<double>> values; // one per series; nothing: n/a, no bar
    // Per-bar colours overriding the series' (a single series coloured by state).
    std::vector<wxColour> colours;
};

class BarChart : public wxWindow {
public:
    BarChart(wxWindow* parent, const wxString& name);

    void setTitle(const wxString& title);
    // The titles of the category axis (under the labels) and of the value axis (over it).
    void setAxisTitles(const wxString& categories, const wxString& values);
    void setScale(ChartScale scale);
    void setSeries(std::vector<ChartSeries> series);
    // Legend entries when they are not the series (bars coloured per group).
    void setLegend(std::vector<ChartSeries> legend);
    void setGroups(std::vector<ChartGroup> groups);
    // Shown instead of bars when no group has a value.
    void setEmptyText(const wxString& text);

    bool AcceptsFocus() const override { return false; }
    bool AcceptsFocusFromKeyboard() const override { return false; }

protected:
    wxSize DoGetBestClientSize() const override;

private:
    struct Bar {
        wxRect rect;
        std::size_t group;
        std::size_t series;
    };

    void paint();
    void hover(const wxPoint& at);
    wxString barTip(const Bar& bar) const;

    wxString m_title;
    wxString m_categoryAxis;
    wxString m_valueAxis;
    wxString m_empty;
    ChartScale m_scale = ChartScale::Count;
    std::vector<ChartSeries> m_series;
    std::vector<ChartSeries> m_legend;
    std::vector<ChartGroup> m_groups;
    std::vector<Bar> m_bars; // where the last paint drew each bar, for the tooltips
    int m_tipBar = -1;
};

} // namespace ow::gui
