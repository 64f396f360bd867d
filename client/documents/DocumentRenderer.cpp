#include "client/documents/DocumentRenderer.h"

#include "model/Error.h"

#include <algorithm>
#include <cairo-pdf.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <optional>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <variant>
#include <vector>

namespace ow::documents {

namespace {

using model::DocumentBlock;
using model::DocumentContent;
using model::DomainError;

// ---------------------------------------------------------------- page geometry (points)

constexpr double kMarginX = 56.7; // 20 mm
constexpr double kMarginTop = 42.5; // 15 mm
constexpr double kMarginBottom = 50.0;
constexpr double kFooterGap = 18.0; // from the last line of content to the page number
constexpr double kMinWidth = 360.0;
constexpr double kMinHeight = 400.0;

constexpr double kQrSize = 64.0;
constexpr int kQrQuietModules = 4;
constexpr double kCellPadX = 5.0;
constexpr double kCellPadY = 3.0;

struct Rgb {
    double r = 0, g = 0, b = 0;
};
constexpr Rgb kInk{0.08, 0.08, 0.08};
constexpr Rgb kRed{0.80, 0.08, 0.08};
constexpr Rgb kGrey{0.38, 0.38, 0.38};
constexpr Rgb kBorder{0.40, 0.40, 0.40};
constexpr Rgb kLabelFill{0.935, 0.935, 0.935};
constexpr Rgb kWhite{1, 1, 1};

enum class Face { Serif, Sans };

// Families in order of preference; fontconfig falls back from there.
const char* family(Face f)
{
    return f == Face::Serif ? "Noto Serif CJK SC, Noto Serif CJK, Source Han Serif SC, serif"
                            : "Noto Sans CJK SC, Noto Sans CJK, Source Han Sans SC, sans-serif";
}

struct Style {
    Face face = Face::Sans;
    double size = 10.0;
    bool bold = false;
    float lineSpacing = 0.0f; // factor; 0 = the font's own
};

const Style kTitle{Face::Serif, 22.0, true};
const Style kNumber{Face::Sans, 10.0};
const Style kReprintNote{Face::Sans, 8.5};
const Style kStamp{Face::Sans, 17.0, true};
const Style kCaption{Face::Sans, 7.0};
const Style kRunningHead{Face::Sans, 8.5};
const Style kBody{Face::Serif, 11.0, false, 1.3f};
const Style kHeading{Face::Sans, 11.0, true};
const Style kLabel{Face::Sans, 9.5};
const Style kValue{Face::Sans, 9.5};
const Style kHeader{Face::Sans, 9.5, true};
const Style kCell{Face::Sans, 9.5};
const Style kSignature{Face::Serif, 11.0};
const Style kIssuer{Face::Serif, 11.5};
const Style kFooter{Face::Sans, 8.0};

// ---------------------------------------------------------------- drawing operations

struct TextOp {
    double x = 0, y = 0;
    double width = 0; // wrap width; 0 = one unwrapped line
    std::string text;
    Style style;
    PangoAlignment align = PANGO_ALIGN_LEFT;
    bool justify = false;
    double indent = 0; // first line
    Rgb color = kInk;
};

struct RectOp {
    double x = 0, y = 0, w = 0, h = 0;
    std::optional<Rgb> fill;
    std::optional<Rgb> stroke;
    double lineWidth = 0.6;
};

struct LineOp {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    Rgb color = kInk;
    double lineWidth = 0.6;
};

struct QrOp {
    double x = 0, y = 0, size = 0;
    std::string payload;
};

using Op = std::variant<TextOp, RectOp, LineOp, QrOp>;

struct Stamp {
    double x = 0, y = 0, w = 0, h = 0;
    std::string text;
};

struct Page {
    std::vector<Op> ops;
    std::vector<Stamp> stamps;
};

// ---------------------------------------------------------------- pango helpers

template<typename T> struct GObjectDeleter {
    void operator()(T* p) const { g_object_unref(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter<PangoLayout>>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectDeleter<PangoContext>>;

struct FontDescriptionDeleter {
    void operator()(PangoFontDescription* p) const { pango_font_description_free(p); }
};
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

// One pango context whose metrics do not depend on the target: no hinting, unrounded
// glyph positions, 72 units per inch. Layouts measured here draw the same on a PDF
// page, an image and a scaled preview, so page breaks never differ between them.
class Typesetter {
public:
    Typesetter()
        : m_context(pango_font_map_create_context(pango_cairo_font_map_get_default()))
    {
        cairo_font_options_t* options = cairo_font_options_create();
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
        pango_cairo_context_set_font_options(m_context.get(), options);
        cairo_font_options_destroy(options);
        pango_cairo_context_set_resolution(m_context.get(), 72.0);
        pango_context_set_round_glyph_positions(m_context.get(), FALSE);
        pango_context_set_language(m_context.get(), pango_language_from_string("zh-cn"));
    }

    LayoutPtr layout(const TextOp& op) const
    {
        LayoutPtr layout(pango_layout_new(m_context.get()));
        FontPtr font(pango_font_description_from_string(family(op.style.face)));
        pango_font_description_set_size(font.get(), pango_units_from_double(op.style.size));
        pango_font_description_set_weight(
            font.get(), op.style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout.get(), font.get());
        if (op.width > 0) {
            pango_layout_set_width(layout.get(), pango_units_from_double(op.width));
            pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        }
        pango_layout_set_alignment(layout.get(), op.align);
        pango_layout_set_justify(layout.get(), op.justify ? TRUE : FALSE);
        if (op.indent > 0)
            pango_layout_set_indent(layout.get(), pango_units_from_double(op.indent));
        if (op.style.lineSpacing > 0)
            pango_layout_set_line_spacing(layout.get(), op.style.lineSpacing);
        pango_layout_set_text(layout.get(), op.text.c_str(), static_cast<int>(op.text.size()));
        return layout;
    }

    // Logical width and height in points.
    std::pair<double, double> size(const TextOp& op) const
    {
        LayoutPtr l = layout(op);
        int w = 0;
        int h = 0;
        pango_layout_get_size(l.get(), &w, &h);
        return {pango_units_to_double(w), pango_units_to_double(h)};
    }
    double height(const TextOp& op) const { return size(op).second; }
    double naturalWidth(const std::string& text, const Style& style) const
    {
        TextOp op;
        op.text = text;
        op.style = style;
        return size(op).first;
    }

private:
    ContextPtr m_context;
};

TextOp text(double x, double y, double width, std::string s, const Style& style,
    PangoAlignment align = PANGO_ALIGN_LEFT, Rgb color = kInk)
{
    TextOp op;
    op.x = x;
    op.y = y;
    op.width = width;
    op.text = std::move(s);
    op.style = style;
    op.align = align;
    op.color = color;
    return op;
}

std::string replaced(std::string s, const std::string& key, const std::string& value)
{
    for (std::size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
        s.replace(at, key.size(), value);
    return s;
}

// ---------------------------------------------------------------- layout

class Layouter {
public:
    Layouter(const DocumentContent& doc, double width, double height)
        : m_doc(doc)
        , m_left(kMarginX)
        , m_right(width - kMarginX)
        , m_width(width - 2 * kMarginX)
        , m_bottom(height - kMarginBottom)
    {
        if (!(width >= kMinWidth && height >= kMinHeight))
            throw DomainError("document.page_size_invalid",
                {{"width", std::to_string(width)}, {"height", std::to_string(height)}});
        // One label column for every label/value block, so all rows align.
        double label = 0;
        for (const auto& b : doc.blocks)
            for (const auto& f : b.fields)
                label = std::max(label, m_type.naturalWidth(f.label, kLabel));
        m_labelWidth = std::min(label + 2 * kCellPadX + 2, m_width * 0.25);
    }

    std::vector<Page> run()
    {
        firstPage();
        for (std::size_t i = 0; i < m_doc.blocks.size(); ++i) {
            const DocumentBlock& b = m_doc.blocks[i];
            switch (b.type) {
            case DocumentBlock::Type::Heading:
                heading(b, i + 1 < m_doc.blocks.size() ? &m_doc.blocks[i + 1] : nullptr);
                break;
            case DocumentBlock::Type::Fields:
                fields(b);
                break;
            case DocumentBlock::Type::Paragraph:
                paragraph(b);
                break;
            case DocumentBlock::Type::Table:
                table(b);
                break;
            case DocumentBlock::Type::Signatures:
                signatures(b);
                break;
            case DocumentBlock::Type::Issuer:
                issuer(b);
                break;
            }
        }
        footers();
        return std::move(m_pages);
    }

private:
    Page& page() { return m_pages.back(); }
    void add(Op op) { page().ops.push_back(std::move(op)); }
    bool fits(double h) const { return m_y + h <= m_bottom; }
    bool pageEmpty() const { return m_y <= m_contentTop + 0.01; }
    // A new page when `h` does not fit; never for an empty page (a block taller than a
    // page then runs over rather than looping).
    bool ensure(double h)
    {
        if (fits(h) || pageEmpty())
            return false;
        continuationPage();
        return true;
    }

    void firstPage()
    {
        m_pages.emplace_back();
        const double top = kMarginTop;
        // QR code of the case number, top right, with its caption.
        const double qrX = m_right - kQrSize;
        add(QrOp{qrX, top - 6, kQrSize, m_doc.qrPayload});
        double qrBottom = top - 6 + kQrSize;
        if (!m_doc.qrCaption.empty()) {
            TextOp cap = text(
                qrX - 10, qrBottom + 1, kQrSize + 20, m_doc.qrCaption, kCaption, PANGO_ALIGN_CENTER, kGrey);
            qrBottom += 1 + m_type.height(cap);
            add(std::move(cap));
        }
        // The title, centred on the page between the margins.
        TextOp title = text(m_left, top + 8, m_width, m_doc.title, kTitle, PANGO_ALIGN_CENTER);
        double y = title.y + m_type.height(title) + 4;
        add(std::move(title));
        TextOp number = text(m_left + kQrSize, y, m_width - 2 * kQrSize, m_doc.numberLabel + m_doc.number,
            kNumber, PANGO_ALIGN_CENTER);
        y += m_type.height(number);
        add(std::move(number));
        if (m_doc.reprint && !m_doc.reprintNote.empty()) {
            TextOp note = text(m_left + kQrSize, y + 1, m_width - 2 * kQrSize, m_doc.reprintNote,
                kReprintNote, PANGO_ALIGN_CENTER, kRed);
            y += 1 + m_type.height(note);
            add(std::move(note));
        }
        // 补打: a red stamp-like mark top left, opposite the QR code.
        if (m_doc.reprint)
            page().stamps.push_back({m_left + 2, top + 2, 74, 36, m_doc.reprintMark});
        double rule = std::max(y, qrBottom) + 8;
        add(LineOp{m_left, rule, m_right, rule, kInk, 1.4});
        add(LineOp{m_left, rule + 2.6, m_right, rule + 2.6, kInk, 0.5});
        m_y = rule + 11;
        m_contentTop = m_y;
    }

    void continuationPage()
    {
        m_pages.emplace_back();
        const double top = kMarginTop;
        TextOp left = text(m_left, top, m_width / 2, m_doc.title + m_doc.continuedMark, kRunningHead,
            PANGO_ALIGN_LEFT, kGrey);
        TextOp right = text(m_left + m_width / 2, top, m_width / 2, m_doc.numberLabel + m_doc.number,
            kRunningHead, PANGO_ALIGN_RIGHT, kGrey);
        double h = std::max(m_type.height(left), m_type.height(right));
        add(std::move(left));
        add(std::move(right));
        if (m_doc.reprint) {
            TextOp mark
                = text(m_left, top, m_width, m_doc.reprintMark, kRunningHead, PANGO_ALIGN_CENTER, kRed);
            mark.style.bold = true;
            add(std::move(mark));
        }
        double rule = top + h + 4;
        add(LineOp{m_left, rule, m_right, rule, kGrey, 0.6});
        m_y = rule + 12;
        m_contentTop = m_y;
    }

    void footers()
    {
        const int total = static_cast<int>(m_pages.size());
        for (int i = 0; i < total; ++i) {
            std::string s = replaced(replaced(m_doc.pageFormat, "{page}", std::to_string(i + 1)), "{pages}",
                std::to_string(total));
            m_pages[static_cast<std::size_t>(i)].ops.push_back(
                text(m_left, m_bottom + kFooterGap, m_width, s, kFooter, PANGO_ALIGN_CENTER, kGrey));
        }
    }

    void paragraph(const DocumentBlock& b)
    {
        TextOp op = text(m_left, 0, m_width, b.text, kBody);
        op.justify = true;
        if (b.indent)
            op.indent = 2 * kBody.size;
        double h = m_type.height(op);
        ensure(h);
        op.y = m_y;
        add(std::move(op));
        m_y += h + 5;
    }

    // A heading stays with the start of what follows it.
    void heading(const DocumentBlock& b, const DocumentBlock* next)
    {
        TextOp op = text(m_left, 0, m_width, b.text, kHeading);
        double h = m_type.height(op);
        double following = 0;
        if (next && next->type == DocumentBlock::Type::Table)
            following
                = headerRowHeight(*next) + (next->rows.empty() ? 20 : rowHeight(*next, next->rows.front()));
        else if (next && next->type == DocumentBlock::Type::Fields && !next->fields.empty())
            following = fieldRowHeight(next->fields.front());
        else if (next)
            following = 24;
        m_y += 4;
        ensure(h + 3 + following);
        op.y = m_y;
        // A short bar before the heading, as section marks on printed forms.
        add(RectOp{m_left, m_y + h * 0.18, 3, h * 0.64, kRed, std::nullopt, 0});
        op.x += 8;
        op.width -= 8;
        add(std::move(op));
        m_y += h + 3;
    }

    // Short values go two to a row (label, value, label, value), long ones across the
    // whole row; every label sits in one of two aligned label columns.
    double halfValueWidth() const { return (m_width - 2 * m_labelWidth) / 2; }
    bool fitsHalf(const model::DocumentField& f) const
    {
        return m_type.naturalWidth(f.value, kValue) <= halfValueWidth() - 2 * kCellPadX;
    }

    double cellHeight(const std::string& s, const Style& style, double width) const
    {
        return m_type.height(text(0, 0, width - 2 * kCellPadX, s, style)) + 2 * kCellPadY;
    }

    double fieldRowHeight(const model::DocumentField& f) const
    {
        return std::max(
            cellHeight(f.label, kLabel, m_labelWidth), cellHeight(f.value, kValue, m_width - m_labelWidth));
    }

    // Text of a cell `width` wide and `h` high at (x, m_y), centred vertically.
    void cellText(
        double x, double width, double h, const std::string& s, const Style& style, PangoAlignment align)
    {
        TextOp op = text(x + kCellPadX, 0, width - 2 * kCellPadX, s, style, align);
        op.y = m_y + std::max(kCellPadY, (h - m_type.height(op)) / 2);
        add(std::move(op));
    }

    void fieldCells(double x, const model::DocumentField& f, double valueWidth, double h)
    {
        add(RectOp{x, m_y, m_labelWidth, h, kLabelFill, kBorder, 0.6});
        add(RectOp{x + m_labelWidth, m_y, valueWidth, h, std::nullopt, kBorder, 0.6});
        cellText(x, m_labelWidth, h, f.label, kLabel, PANGO_ALIGN_LEFT);
        cellText(x + m_labelWidth, valueWidth, h, f.value, kValue, PANGO_ALIGN_LEFT);
    }

    void fields(const DocumentBlock& b)
    {
        const auto& f = b.fields;
        for (std::size_t i = 0; i < f.size();) {
            if (i + 1 < f.size() && fitsHalf(f[i]) && fitsHalf(f[i + 1])) {
                const double half = halfValueWidth();
                const double h = std::max({cellHeight(f[i].label, kLabel, m_labelWidth),
                    cellHeight(f[i + 1].label, kLabel, m_labelWidth), cellHeight(f[i].value, kValue, half),
                    cellHeight(f[i + 1].value, kValue, half)});
                ensure(h);
                fieldCells(m_left, f[i], half, h);
                fieldCells(m_left + m_labelWidth + half, f[i + 1], half, h);
                m_y += h;
                i += 2;
            } else {
                const double h = fieldRowHeight(f[i]);
                ensure(h);
                fieldCells(m_left, f[i], m_width - m_labelWidth, h);
                m_y += h;
                ++i;
            }
        }
        m_y += 6;
    }

    std::vector<double> columnWidths(const DocumentBlock& b) const
    {
        const std::size_t n = b.columns.size();
        std::vector<double> weights(n, 1.0);
        for (std::size_t i = 0; i < n && i < b.weights.size(); ++i)
            weights[i] = std::max(1, b.weights[i]);
        const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
        std::vector<double> widths;
        for (double w : weights)
            widths.push_back(m_width * w / sum);
        return widths;
    }

    // Narrow columns of short values (index, form, count) read better centred.
    std::vector<PangoAlignment> columnAlignments(
        const DocumentBlock& b, const std::vector<double>& widths) const
    {
        std::vector<PangoAlignment> align;
        for (std::size_t c = 0; c < b.columns.size(); ++c) {
            double widest = m_type.naturalWidth(b.columns[c], kHeader);
            for (const auto& row : b.rows)
                if (c < row.size())
                    widest = std::max(widest, m_type.naturalWidth(row[c], kCell));
            bool narrow = widths[c] < m_width * 0.16 && widest <= widths[c] - 2 * kCellPadX;
            align.push_back(narrow ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
        }
        return align;
    }

    double rowHeight(
        const DocumentBlock& b, const std::vector<std::string>& row, const Style& style = kCell) const
    {
        auto widths = columnWidths(b);
        double h = 0;
        for (std::size_t c = 0; c < widths.size(); ++c) {
            TextOp op = text(0, 0, widths[c] - 2 * kCellPadX, c < row.size() ? row[c] : std::string(), style);
            h = std::max(h, m_type.height(op));
        }
        return h + 2 * kCellPadY;
    }
    double headerRowHeight(const DocumentBlock& b) const { return rowHeight(b, b.columns, kHeader); }

    void placeRow(const std::vector<std::string>& row, const std::vector<double>& widths,
        const std::vector<PangoAlignment>& align, double h, const Style& style, bool header)
    {
        double x = m_left;
        for (std::size_t c = 0; c < widths.size(); ++c) {
            add(RectOp{
                x, m_y, widths[c], h, header ? std::optional<Rgb>(kLabelFill) : std::nullopt, kBorder, 0.6});
            cellText(x, widths[c], h, c < row.size() ? row[c] : std::string(), style,
                header ? PANGO_ALIGN_CENTER : align[c]);
            x += widths[c];
        }
        m_y += h;
    }

    void table(const DocumentBlock& b)
    {
        if (b.columns.empty())
            return;
        const auto widths = columnWidths(b);
        const auto align = columnAlignments(b, widths);
        std::vector<std::vector<std::string>> rows = b.rows;
        if (rows.empty())
            rows.push_back(std::vector<std::string>(b.columns.size(), "—"));
        const double headerH = headerRowHeight(b);
        ensure(headerH + rowHeight(b, rows.front()));
        placeRow(b.columns, widths, align, headerH, kHeader, true);
        for (const auto& row : rows) {
            double h = rowHeight(b, row);
            if (ensure(h)) // continued on a new page: the header again
                placeRow(b.columns, widths, align, headerH, kHeader, true);
            placeRow(row, widths, align, h, kCell, false);
        }
        m_y += 6;
    }

    void signatures(const DocumentBlock& b)
    {
        constexpr double lineLength = 120;
        double labelW = 0;
        double dateW = 0;
        for (const auto& s : b.signatures) {
            labelW = std::max(labelW, m_type.naturalWidth(s.label, kSignature));
            dateW = std::max(dateW, m_type.naturalWidth(s.dateLabel, kSignature));
        }
        const double blockW = labelW + 6 + lineLength + 14 + dateW;
        const double x0 = std::max(m_left, m_right - blockW);
        m_y += 10;
        for (const auto& s : b.signatures) {
            TextOp label = text(x0, 0, 0, s.label, kSignature);
            const double h = m_type.height(label) + 20; // room to sign
            ensure(h);
            const double base = m_y + 18;
            label.y = base - m_type.height(label) + 4;
            const double lineY = base + 5;
            add(text(x0, label.y, labelW, s.label, kSignature));
            add(LineOp{x0 + labelW + 6, lineY, x0 + labelW + 6 + lineLength, lineY, kInk, 0.6});
            add(text(x0 + labelW + 6 + lineLength + 14, label.y, dateW + 2, s.dateLabel, kSignature));
            m_y += h;
        }
        m_y += 4;
    }

    void issuer(const DocumentBlock& b)
    {
        double w = 0;
        double h = 0;
        for (const auto& l : b.lines) {
            w = std::max(w, m_type.naturalWidth(l, kIssuer));
            h += m_type.height(text(0, 0, 0, l, kIssuer)) + 2;
        }
        m_y += 14;
        ensure(h);
        // Left of the margin, leaving room for the seal over the centre's name.
        const double x = m_right - w - 28;
        for (const auto& l : b.lines) {
            TextOp op = text(x, m_y, w + 1, l, kIssuer, PANGO_ALIGN_CENTER);
            m_y += m_type.height(op) + 2;
            add(std::move(op));
        }
    }

    const DocumentContent& m_doc;
    Typesetter m_type;
    double m_left;
    double m_right;
    double m_width;
    double m_bottom;
    double m_labelWidth = 0;
    double m_y = 0;
    double m_contentTop = 0;
    std::vector<Page> m_pages;
};

// ---------------------------------------------------------------- drawing

void setColour(cairo_t* cr, const Rgb& c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

void drawQr(cairo_t* cr, const QrOp& op)
{
    std::unique_ptr<QRcode, QrDeleter> qr(
        QRcode_encodeString(op.payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr)
        throw DomainError(
            "document.render_failed", {{"reason", "qr_encode"}, {"errno", std::strerror(errno)}});
    const int n = qr->width;
    const double module = op.size / (n + 2 * kQrQuietModules);
    const double x0 = op.x + kQrQuietModules * module;
    const double y0 = op.y + kQrQuietModules * module;
    setColour(cr, kWhite);
    cairo_rectangle(cr, op.x, op.y, op.size, op.size);
    cairo_fill(cr);
    // Dark modules as rectangles, each horizontal run as one, overlapping a hair so that
    // viewers' anti-aliasing shows no seams.
    constexpr double hair = 0.02;
    for (int row = 0; row < n; ++row) {
        int col = 0;
        while (col < n) {
            auto dark = [&](int c) { return (qr->data[static_cast<std::size_t>(row * n + c)] & 1) != 0; };
            if (!dark(col)) {
                ++col;
                continue;
            }
            int end = col;
            while (end < n && dark(end))
                ++end;
            cairo_rectangle(cr, x0 + col * module - hair, y0 + row * module - hair,
                (end - col) * module + 2 * hair, module + 2 * hair);
            col = end;
        }
    }
    setColour(cr, kInk);
    cairo_fill(cr);
}

void drawStamp(cairo_t* cr, const Typesetter& type, const Stamp& s)
{
    cairo_save(cr);
    cairo_translate(cr, s.x + s.w / 2, s.y + s.h / 2);
    setColour(cr, kRed);
    cairo_set_line_width(cr, 1.8);
    cairo_rectangle(cr, -s.w / 2, -s.h / 2, s.w, s.h);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, -s.w / 2 + 3, -s.h / 2 + 3, s.w - 6, s.h - 6);
    cairo_stroke(cr);
    TextOp op = text(-s.w / 2, 0, s.w, s.text, kStamp, PANGO_ALIGN_CENTER, kRed);
    op.y = -type.height(op) / 2;
    LayoutPtr layout = type.layout(op);
    cairo_move_to(cr, op.x, op.y);
    pango_cairo_show_layout(cr, layout.get());
    cairo_restore(cr);
}

void drawPage(cairo_t* cr, const Typesetter& type, const Page& page, double width, double height)
{
    cairo_save(cr);
    setColour(cr, kWhite);
    cairo_rectangle(cr, 0, 0, width, height);
    cairo_fill(cr);
    for (const Op& op : page.ops) {
        if (const auto* r = std::get_if<RectOp>(&op)) {
            cairo_rectangle(cr, r->x, r->y, r->w, r->h);
            if (r->fill) {
                setColour(cr, *r->fill);
                cairo_fill_preserve(cr);
            }
            if (r->stroke) {
                setColour(cr, *r->stroke);
                cairo_set_line_width(cr, r->lineWidth);
                cairo_stroke(cr);
            }
            cairo_new_path(cr);
        } else if (const auto* l = std::get_if<LineOp>(&op)) {
            setColour(cr, l->color);
            cairo_set_line_width(cr, l->lineWidth);
            cairo_move_to(cr, l->x1, l->y1);
            cairo_line_to(cr, l->x2, l->y2);
            cairo_stroke(cr);
        } else if (const auto* t = std::get_if<TextOp>(&op)) {
            LayoutPtr layout = type.layout(*t);
            setColour(cr, t->color);
            cairo_move_to(cr, t->x, t->y);
            pango_cairo_show_layout(cr, layout.get());
        } else if (const auto* q = std::get_if<QrOp>(&op)) {
            drawQr(cr, *q);
        }
    }
    for (const Stamp& s : page.stamps)
        drawStamp(cr, type, s);
    cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        throw DomainError("document.render_failed", {{"reason", cairo_status_to_string(cairo_status(cr))}});
}

// ---------------------------------------------------------------- PDF output

struct Sink {
    std::FILE* file = nullptr;
    int error = 0;
};

cairo_status_t writeToFile(void* closure, const unsigned char* data, unsigned int length)
{
    auto* sink = static_cast<Sink*>(closure);
    if (std::fwrite(data, 1, length, sink->file) != length) {
        sink->error = errno != 0 ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

[[noreturn]] void writeFailed(const std::string& path, const std::string& reason)
{
    throw DomainError("document.write_failed", {{"path", path}, {"reason", reason}});
}

} // namespace

int pageCount(const DocumentContent& content, double widthPt, double heightPt)
{
    return static_cast<int>(Layouter(content, widthPt, heightPt).run().size());
}

void renderPage(cairo_t* cr, const DocumentContent& content, int page, double widthPt, double heightPt)
{
    const auto pages = Layouter(content, widthPt, heightPt).run();
    if (page < 0 || page >= static_cast<int>(pages.size()))
        throw DomainError("document.page_out_of_range",
            {{"page", std::to_string(page)}, {"pages", std::to_string(pages.size())}});
    drawPage(cr, Typesetter(), pages[static_cast<std::size_t>(page)], widthPt, heightPt);
}

void renderPdf(const DocumentContent& content, const std::string& path)
{
    const auto pages = Layouter(content, kA4WidthPt, kA4HeightPt).run();
    const std::string partial = path + ".partial";
    Sink sink;
    errno = 0;
    sink.file = std::fopen(partial.c_str(), "wb");
    if (!sink.file)
        writeFailed(path, std::strerror(errno));

    cairo_surface_t* surface
        = cairo_pdf_surface_create_for_stream(writeToFile, &sink, kA4WidthPt, kA4HeightPt);
    const std::string title = content.title + " " + content.number;
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "OneWindow");
    cairo_t* cr = cairo_create(surface);
    std::string failure;
    try {
        Typesetter type;
        for (const Page& p : pages) {
            drawPage(cr, type, p, kA4WidthPt, kA4HeightPt);
            cairo_show_page(cr);
        }
    } catch (const DomainError& e) {
        failure = e.fact("reason");
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    bool closed = std::fclose(sink.file) == 0;
    if (failure.empty() && status != CAIRO_STATUS_SUCCESS)
        failure = sink.error != 0 ? std::strerror(sink.error) : cairo_status_to_string(status);
    if (failure.empty() && !closed)
        failure = std::strerror(errno);
    if (failure.empty() && std::rename(partial.c_str(), path.c_str()) != 0)
        failure = std::strerror(errno);
    if (!failure.empty()) {
        std::remove(partial.c_str());
        writeFailed(path, failure);
    }
}

} // namespace ow::documents
