// The documents as PDF: real text that pdftotext reads back (poppler-utils), a QR code
// that zbarimg decodes to the case number (zbar-tools), page breaks with pdfinfo's page
// count, and the same layout drawn onto a plain cairo image. A test whose tool is missing
// says so and is reported as skipped.
// Set OW_DOCUMENTS_OUT to a folder to keep the PDFs for a look.
#include "model/Catalogue.h"
#include "model/Documents.h"
#include "model/Error.h"

#include "DocumentWorld.h"
#include "client/documents/DocumentRenderer.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

using namespace ow::model;
namespace fs = std::filesystem;
using ow::test::contains;
using ow::test::DocumentWorld;
using ow::test::errorOf;

namespace {

// A fresh folder per test, removed afterwards unless OW_DOCUMENTS_OUT names one to keep.
class OutputDir {
public:
    OutputDir()
    {
        if (const char* keep = std::getenv("OW_DOCUMENTS_OUT"); keep && *keep) {
            m_path = keep;
            m_keep = true;
            fs::create_directories(m_path);
            return;
        }
        std::string tmpl = (fs::temp_directory_path() / "ow-documents-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        m_path = tmpl;
    }
    ~OutputDir()
    {
        if (!m_keep) {
            std::error_code ec;
            fs::remove_all(m_path, ec);
        }
    }
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    fs::path m_path;
    bool m_keep = false;
};

bool haveTool(const std::string& name)
{
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string quoted(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs a shell command, returns its standard output; fails the test on a non-zero exit.
std::string run(const std::string& command)
{
    std::string out;
    std::FILE* raw = popen(command.c_str(), "r");
    REQUIRE(raw != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), raw)) > 0)
        out.append(buf.data(), n);
    const int status = pclose(raw);
    INFO(command);
    REQUIRE(status == 0);
    return out;
}

std::string pdfText(const std::string& pdf, int firstPage = 0, int lastPage = 0)
{
    std::string range;
    if (firstPage > 0)
        range = " -f " + std::to_string(firstPage) + " -l " + std::to_string(lastPage);
    return run("pdftotext -enc UTF-8" + range + " " + quoted(pdf) + " -");
}

int pdfPages(const std::string& pdf)
{
    const std::string info = run("pdfinfo " + quoted(pdf));
    auto at = info.find("Pages:");
    REQUIRE(at != std::string::npos);
    return std::stoi(info.substr(at + 6));
}

std::string head(const std::string& path, std::size_t n)
{
    std::ifstream in(path, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

const char* kindFile(DocumentKind kind)
{
    switch (kind) {
    case DocumentKind::AcceptanceNotice:
        return "acceptance_notice";
    case DocumentKind::OneTimeNotice:
        return "one_time_notice";
    case DocumentKind::RefusalNotice:
        return "refusal_notice";
    case DocumentKind::DeficiencyCommitment:
        return "deficiency_commitment";
    case DocumentKind::PickupSlip:
        return "pickup_slip";
    }
    return "document";
}

// A one-time notice long enough for two pages: a dozen matters of the full demo
// catalogue taken in without any material, every material owed, plus plain-word items.
CaseState longNotice(DocumentWorld& w)
{
    w.catalogue = fullDemoCatalogue();
    const std::vector<std::string> matters
        = {"330102-SC-004", "330102-GA-002", "330102-SW-002", "330102-RS-001", "330102-YH-001",
            "330102-SC-007", "330102-SC-008", "330102-WJ-001", "330102-SC-009", "330102-JS-001"};
    const CaseState st = w.open({}, ow::test::enterprise(), "", matters);
    std::vector<std::string> items;
    for (const auto& m : st.materials)
        if (!m.dataShared)
            items.push_back(m.code);
    items.emplace_back("补充申请表法定代表人签字");
    items.emplace_back("提供近三个月完税证明");
    items.emplace_back(
        "经营场所产权证明与租赁合同载明的地址应当一致，不一致的请一并提供由产权单位出具的证明");
    return w.intake.issueNotice("clerk01", st.number, items);
}

} // namespace

TEST_CASE("render: every document as a PDF whose text reads back", "[render][pdftotext]")
{
    DocumentWorld w;
    OutputDir out;
    if (!haveTool("pdftotext"))
        OW_SKIP("pdftotext not found (Debian package poppler-utils)");
    for (DocumentKind kind : allDocumentKinds()) {
        CaseState st = w.stateFor(kind);
        const std::string number = nextIssue(st, kind).number;
        st = w.work.recordDocument("clerk01", st.number, toString(kind), number, false);
        for (bool reprint : {false, true}) {
            INFO(toString(kind) << (reprint ? " (reprint)" : ""));
            const DocumentContent d = w.composeAs(kind, st, number, reprint);
            CHECK(ow::documents::pageCount(d) == 1);
            const std::string pdf
                = out.file(std::string(kindFile(kind)) + (reprint ? "-reprint" : "") + ".pdf");
            ow::documents::renderPdf(d, pdf);
            REQUIRE(fs::exists(pdf));
            CHECK(head(pdf, 5) == "%PDF-");
            CHECK_FALSE(fs::exists(pdf + ".partial"));
            const std::string text = pdfText(pdf);
            CHECK(contains(text, documentTitle(kind)));
            CHECK(contains(text, st.number));
            CHECK(contains(text, number));
            CHECK(contains(text, displayId(st.applicant)));
            CHECK_FALSE(contains(text, st.applicant.idNumber));
            CHECK_FALSE(contains(text, st.applicant.agent->idNumber));
            CHECK(contains(text, "第1页"));
            CHECK(contains(text, "补打") == reprint);
        }
        // Wording particular to each kind reaches the page too.
        const std::string text = pdfText(out.file(std::string(kindFile(kind)) + ".pdf"));
        switch (kind) {
        case DocumentKind::AcceptanceNotice:
            CHECK(contains(text, "承诺办结时限"));
            CHECK(contains(text, "2026年2月26日前"));
            break;
        case DocumentKind::OneTimeNotice:
            CHECK(contains(text, "共有人到场签字"));
            break;
        case DocumentKind::RefusalNotice:
            CHECK(contains(text, "行政复议"));
            CHECK(contains(text, "行政诉讼"));
            break;
        case DocumentKind::DeficiencyCommitment:
            CHECK(contains(text, "2026年2月27日前"));
            break;
        case DocumentKind::PickupSlip:
            CHECK(contains(text, "领取窗口"));
            break;
        }
    }
}

TEST_CASE("render: the QR code decodes to the case number", "[render][zbar]")
{
    DocumentWorld w;
    OutputDir out;
    if (!haveTool("pdftoppm"))
        OW_SKIP("pdftoppm not found (Debian package poppler-utils)");
    if (!haveTool("zbarimg"))
        OW_SKIP("zbarimg not found (Debian package zbar-tools)");
    for (DocumentKind kind : {DocumentKind::AcceptanceNotice, DocumentKind::PickupSlip}) {
        const CaseState st = w.stateFor(kind);
        const std::string pdf = out.file(std::string("qr-") + kindFile(kind) + ".pdf");
        ow::documents::renderPdf(w.compose(kind, st), pdf);
        const std::string prefix = out.file(std::string("qr-") + kindFile(kind));
        run("pdftoppm -r 150 -png -f 1 -l 1 -singlefile " + quoted(pdf) + " " + quoted(prefix));
        const std::string decoded = run("zbarimg --nodbus --raw -q " + quoted(prefix + ".png"));
        CHECK(decoded == st.number + "\n");
    }
}

TEST_CASE("render: a long one-time notice continues on a second page", "[render][pdftotext]")
{
    DocumentWorld w;
    OutputDir out;
    const CaseState st = longNotice(w);
    const DocumentContent d = w.compose(DocumentKind::OneTimeNotice, st);
    const auto* items = ow::test::tableWith(d, "需补正的材料或事项");
    REQUIRE(items);
    CHECK(items->rows.size() >= 20);
    CHECK(ow::documents::pageCount(d) == 2);
    const std::string pdf = out.file("one_time_notice-long.pdf");
    ow::documents::renderPdf(d, pdf);
    if (!haveTool("pdfinfo") || !haveTool("pdftotext"))
        OW_SKIP("pdfinfo or pdftotext not found (Debian package poppler-utils)");
    CHECK(pdfPages(pdf) == 2);
    const std::string first = pdfText(pdf, 1, 1);
    const std::string second = pdfText(pdf, 2, 2);
    CHECK(contains(first, "第1页"));
    CHECK(contains(first, "共2页"));
    CHECK(contains(second, "第2页"));
    // The second page names the document and repeats the table's header.
    CHECK(contains(second, "一次性告知书（续）"));
    CHECK(contains(second, d.number));
    CHECK(contains(second, "需补正的材料或事项"));
    // Every item made it onto paper, the last one on the second page.
    CHECK(contains(second, "提供近三个月完税证明"));
    CHECK(contains(second, "申请人（代理人）签收"));
}

TEST_CASE("render: the same page on a plain cairo context, for the print preview", "[render]")
{
    DocumentWorld w;
    const CaseState st = w.accepted();
    DocumentContent d = w.compose(DocumentKind::AcceptanceNotice, st);
    const int width = 595;
    const int height = 842;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t* cr = cairo_create(surface);
    ow::documents::renderPage(cr, d, 0);
    cairo_surface_flush(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    auto darkIn = [&](int x0, int y0, int x1, int y1) {
        int dark = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) {
                const unsigned char* px = data + static_cast<std::ptrdiff_t>(y) * stride + x * 4;
                if (px[0] < 96 && px[1] < 96 && px[2] < 96)
                    ++dark;
            }
        return dark;
    };
    CHECK(darkIn(0, 0, width, height) > 2000); // text and rules were drawn
    CHECK(darkIn(470, 30, 540, 105) > 500); // the QR code, top right
    CHECK(darkIn(0, 0, 50, height) == 0); // nothing in the left margin

    auto err = errorOf([&] { ow::documents::renderPage(cr, d, 1); });
    REQUIRE(err);
    CHECK(err->code() == "document.page_out_of_range");
    CHECK(err->fact("pages") == "1");
    cairo_destroy(cr);
    cairo_surface_destroy(surface);

    // Layout does not depend on the page being drawn at another scale.
    cairo_surface_t* small = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 298, 421);
    cairo_t* half = cairo_create(small);
    cairo_scale(half, 0.5, 0.5);
    ow::documents::renderPage(half, d, 0);
    CHECK(cairo_status(half) == CAIRO_STATUS_SUCCESS);
    cairo_destroy(half);
    cairo_surface_destroy(small);

    auto tiny = errorOf([&] { ow::documents::pageCount(d, 100, 100); });
    REQUIRE(tiny);
    CHECK(tiny->code() == "document.page_size_invalid");
}

TEST_CASE("render: an unwritable path is a write error with the path and the reason", "[render]")
{
    DocumentWorld w;
    OutputDir out;
    const DocumentContent d = w.compose(DocumentKind::AcceptanceNotice, w.accepted());
    const std::string path = out.file("missing-folder/notice.pdf");
    auto err = errorOf([&] { ow::documents::renderPdf(d, path); });
    REQUIRE(err);
    CHECK(err->code() == "document.write_failed");
    CHECK(err->fact("path") == path);
    CHECK_FALSE(err->fact("reason").empty());
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(fs::exists(path + ".partial"));

    // A folder where the file should be: the PDF is written beside, the rename fails.
    const std::string taken = out.file("taken.pdf");
    fs::create_directories(taken + "/inside");
    err = errorOf([&] { ow::documents::renderPdf(d, taken); });
    REQUIRE(err);
    CHECK(err->code() == "document.write_failed");
    CHECK_FALSE(fs::exists(taken + ".partial"));
}
