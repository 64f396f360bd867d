// Draws a composed document (model::DocumentContent) as tidy A4 pages: the title centred,
// the QR code of the case number top right, a red 补打 mark on reprints, aligned
// label/value rows, tables that continue on the next page with their header repeated,
// and page numbers. The same layout goes to a PDF file and to any cairo context (on GTK,
// wx's graphics context is cairo), so the print preview shows exactly what prints.
#pragma once

#include "model/Documents.h"

#include <cairo.h>
#include <string>

namespace ow::documents {

inline constexpr double kA4WidthPt = 595.2756; // 210 mm
inline constexpr double kA4HeightPt = 841.8898; // 297 mm

// Pages the document takes at the given page size, in points (1/72 inch). Throws
// DomainError "document.page_size_invalid" (facts width, height) for pages too small to
// hold the layout.
int pageCount(
    const model::DocumentContent& content, double widthPt = kA4WidthPt, double heightPt = kA4HeightPt);

// Draws page `page` (0-based, < pageCount) onto `cr`, whose user space is taken as the
// page in points with the origin top left: scale `cr` first to preview at another size.
// Paints the page white first. Throws DomainError "document.page_out_of_range" (facts
// page, pages) or "document.render_failed" (fact reason) when cairo reports an error.
void renderPage(cairo_t* cr, const model::DocumentContent& content, int page, double widthPt = kA4WidthPt,
    double heightPt = kA4HeightPt);

// Writes the document as an A4 PDF with real text. The file appears complete or not at
// all (written beside it, then renamed). Throws DomainError "document.write_failed"
// (facts path, reason).
void renderPdf(const model::DocumentContent& content, const std::string& path);

} // namespace ow::documents
