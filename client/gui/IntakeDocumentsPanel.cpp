#include "IntakeDocumentsPanel.h"

#include "model/Error.h"

#include "IntakeText.h"
#include "Text.h"
#include "client/documents/DocumentRenderer.h"

#include <cmath>
#include <wx/button.h>
#include <wx/config.h>
#include <wx/dc.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/graphics.h>
#include <wx/intl.h>
#include <wx/listbox.h>
#include <wx/print.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>

namespace ow::gui {

namespace {

// Pages drawn by the document renderer on the DC's own cairo context, so the preview
// shows exactly what the PDF holds. `printed` runs once a real printer took the pages.
class DocumentPrintout : public wxPrintout {
public:
    DocumentPrintout(model::DocumentContent content, std::function<void()> printed)
        : wxPrintout(wx(content.number))
        , m_content(std::move(content))
        , m_pages(documents::pageCount(m_content))
        , m_printed(std::move(printed))
    {
    }

    bool HasPage(int page) override { return page >= 1 && page <= m_pages; }

    void GetPageInfo(int* minPage, int* maxPage, int* from, int* to) override
    {
        *minPage = *from = 1;
        *maxPage = *to = m_pages;
    }

    bool OnPrintPage(int page) override
    {
        wxDC* dc = GetDC();
        if (!dc)
            return false;
        // Logical units become points on the paper, the renderer's own units.
        FitThisSizeToPaper(wxSize(static_cast<int>(std::lround(documents::kA4WidthPt)),
            static_cast<int>(std::lround(documents::kA4HeightPt))));
        cairo_t* cr = nullptr;
        bool transformed = false; // the context already maps logical units (points) to the device
        if (wxGraphicsContext* gc = dc->GetGraphicsContext()) {
            cr = static_cast<cairo_t*>(gc->GetNativeContext());
            transformed = true;
        } else {
            cr = static_cast<cairo_t*>(dc->GetHandle()); // GTK's printer DC is cairo underneath
        }
        if (!cr)
            return false;
        cairo_save(cr);
        if (!transformed) {
            // The DC maps logical to device units itself, not through cairo: do the same.
            const double scaleX = dc->LogicalToDeviceXRel(100000) / 100000.0;
            const double scaleY = dc->LogicalToDeviceYRel(100000) / 100000.0;
            cairo_translate(cr, dc->LogicalToDeviceX(0), dc->LogicalToDeviceY(0));
            cairo_scale(cr, scaleX, scaleY);
        }
        bool ok = true;
        try {
            documents::renderPage(cr, m_content, page - 1);
        } catch (const std::exception&) {
            ok = false;
        }
        cairo_restore(cr);
        return ok;
    }

    void OnEndPrinting() override
    {
        if (!IsPreview() && m_printed)
            m_printed();
    }

private:
    model::DocumentContent m_content;
    int m_pages = 1;
    std::function<void()> m_printed;
};

// Where documents are saved unless the clerk picks another folder.
wxString documentsFolder()
{
    wxString dir = wxStandardPaths::Get().GetDocumentsDir();
    if (!wxFileName::DirExists(dir))
        wxFileName::Mkdir(dir, wxS_DIR_DEFAULT, wxPATH_MKDIR_FULL);
    return dir;
}

// Characters a file name cannot hold on any of the platforms we ship.
wxString fileNameOf(const wxString& text)
{
    wxString out = text;
    for (wxUniChar c : wxString("/\\:*?\"<>|"))
        out.Replace(wxString(c), "_");
    return out;
}

} // namespace

IntakeDocumentsPanel::IntakeDocumentsPanel(wxWindow* parent, Session& session, model::Staff user,
    std::function<void(const model::CaseState&)> recorded)
    : wxPanel(parent, wxID_ANY)
    , m_session(session)
    , m_user(std::move(user))
    , m_recorded(std::move(recorded))
{
    SetName("documents");
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_list = new wxListBox(this, wxID_ANY, wxDefaultPosition, wxSize(-1, 56));
    m_list->SetMinSize(wxSize(160, 56));
    m_list->SetName("documents.list");
    row->Add(m_list, wxSizerFlags(1).Expand());
    auto* buttons = new wxBoxSizer(wxVERTICAL);
    m_save = new wxButton(this, wxID_ANY, _("&Save PDF…"));
    m_save->SetName("documents.save");
    m_preview = new wxButton(this, wxID_ANY, _("Print previe&w…"));
    m_preview->SetName("documents.preview");
    buttons->Add(m_save, wxSizerFlags().Expand());
    buttons->Add(m_preview, wxSizerFlags().Expand().Border(wxTOP, 3));
    row->Add(buttons, wxSizerFlags().Border(wxLEFT, 6));
    top->Add(row, wxSizerFlags().Expand());
    m_status = new wxStaticText(
        this, wxID_ANY, _("The documents of the decision appear here once it is recorded."));
    m_status->SetName("documents.status");
    m_status->SetForegroundColour(intake::quietColour());
    m_status->SetMinSize(wxSize(100, -1));
    m_statusText = m_status->GetLabel();
    top->Add(m_status, wxSizerFlags().Expand().Border(wxTOP, 3));
    SetSizer(top);

    m_save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { savePdf(); });
    m_preview->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { preview(); });
    // Enter on a document (GTK turns it into a double click): save it.
    m_list->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { savePdf(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        e.Skip();
        if (e.GetSize().GetWidth() == m_wrappedFor)
            return;
        m_wrappedFor = e.GetSize().GetWidth();
        CallAfter([this] {
            m_status->SetLabel(m_statusText);
            m_status->Wrap(std::max(200, GetClientSize().GetWidth()));
        });
    });
    showList();
}

void IntakeDocumentsPanel::addMnemonics(Mnemonics& keys)
{
    keys['S'] = [this] {
        if (m_save->IsEnabled())
            savePdf();
    };
    keys['W'] = [this] {
        if (m_preview->IsEnabled())
            preview();
    };
}

void IntakeDocumentsPanel::focusList()
{
    if (m_list->IsEnabled())
        m_list->SetFocus();
}

void IntakeDocumentsPanel::setCase(const model::CaseState& state)
{
    m_state = state;
    m_kinds = model::applicableDocuments(state);
    showList();
    if (!m_kinds.empty())
        say(_("Enter or Alt+S saves the selected document as PDF; Alt+W shows it for printing."));
}

void IntakeDocumentsPanel::showList()
{
    const int selected = m_list->GetSelection();
    wxArrayString lines;
    for (auto kind : m_kinds) {
        wxString line = wx(model::documentTitle(kind));
        if (!intake::chineseInterface())
            line += " · " + documentLabel(kind);
        const int issued = m_state ? model::originalIssues(*m_state, kind) : 0;
        if (issued > 0)
            // TRANSLATORS: after a document already handed out; a new copy is marked 补打 (reprint).
            line += "   " + wxString(_("issued; again: 补打"));
        lines.Add(line);
    }
    m_list->Set(lines);
    if (!lines.empty())
        m_list->SetSelection(
            selected != wxNOT_FOUND && static_cast<unsigned>(selected) < lines.size() ? selected : 0);
    const bool enabled = !m_kinds.empty() && !m_busy;
    m_list->Enable(!m_kinds.empty());
    m_save->Enable(enabled);
    m_preview->Enable(enabled);
}

std::optional<model::DocumentKind> IntakeDocumentsPanel::selected() const
{
    const int i = m_list->GetSelection();
    if (i == wxNOT_FOUND || static_cast<std::size_t>(i) >= m_kinds.size())
        return std::nullopt;
    return m_kinds[static_cast<std::size_t>(i)];
}

model::DocumentIssue IntakeDocumentsPanel::plannedIssue(model::DocumentKind kind) const
{
    return model::originalIssues(*m_state, kind) > 0 ? model::reprintIssue(*m_state, kind)
                                                     : model::nextIssue(*m_state, kind);
}

model::DocumentContext IntakeDocumentsPanel::context() const
{
    // The centre's own particulars are workstation settings until the centre setup
    // carries them; without a name the document names the centre by its code.
    auto* config = wxConfigBase::Get();
    auto read = [config](const char* key) { return utf8(config->Read(key, wxString())); };
    model::DocumentContext c;
    c.centreName = read("Centre/Name");
    if (c.centreName.empty())
        c.centreName = m_state->centre
            + "\xE8\xA1\x8C\xE6\x94\xBF\xE6\x9C\x8D\xE5\x8A\xA1\xE4\xB8\xAD\xE5\xBF\x83"; // 行政服务中心
    c.centreAddress = read("Centre/Address");
    c.centrePhone = read("Centre/Phone");
    c.reconsiderationOrgan = read("Centre/ReconsiderationOrgan");
    c.court = read("Centre/Court");
    c.clerkName = m_user.name.empty() ? m_user.id : m_user.name;
    return c;
}

std::optional<std::pair<model::DocumentKind, model::DocumentIssue>> IntakeDocumentsPanel::plannedSelection()
{
    const auto kind = selected();
    if (!kind || !m_state || m_busy)
        return std::nullopt;
    try {
        return std::pair{*kind, plannedIssue(*kind)};
    } catch (const model::DomainError& e) {
        say(describe(e), true);
        return std::nullopt;
    }
}

void IntakeDocumentsPanel::savePdf()
{
    const auto planned = plannedSelection();
    if (!planned)
        return;
    const model::DocumentKind kind = planned->first;
    const model::DocumentIssue issue = planned->second;
    wxString name = wx(issue.number) + " " + wx(model::documentTitle(kind));
    if (issue.reprint)
        name += wxString::FromUTF8(" \xE8\xA1\xA5\xE6\x89\x93"); // 补打
    wxFileDialog dialog(this, _("Save the document as PDF"), documentsFolder(), fileNameOf(name) + ".pdf",
        _("PDF documents (*.pdf)|*.pdf"), wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (dialog.ShowModal() != wxID_OK)
        return;
    struct Saved {
        model::CaseState state;
        std::string path;
        std::string number;
        bool reprint = false;
    };
    m_busy = true;
    showList();
    say(_("Saving…"));
    runAsync<Saved>(
        m_session, m_liveness,
        [kind, issue, path = utf8(dialog.GetPath()), ctx = context(), actor = m_user.id,
            number = m_state->number](client::Backend& b) mutable {
            auto state = b.findCase(number);
            if (!state)
                throw model::DomainError("case.not_found", {{"case", number}});
            // The case as it is now decides the number: another window may have issued meanwhile.
            const auto fresh = issue.reprint ? model::reprintIssue(*state, kind, issue.number)
                                             : model::nextIssue(*state, kind);
            if (fresh.number != issue.number)
                if (const auto at = path.rfind(issue.number); at != std::string::npos)
                    path.replace(at, issue.number.size(), fresh.number);
            ctx.number = fresh.number;
            ctx.reprint = fresh.reprint;
            ctx.issuedOn = b.today();
            documents::renderPdf(
                model::composeDocument(kind, *state, b.catalogue(), b.calendar(), ctx), path);
            Saved s;
            s.state
                = b.work().recordDocument(actor, number, model::toString(kind), fresh.number, fresh.reprint);
            s.path = path;
            s.number = fresh.number;
            s.reprint = fresh.reprint;
            return s;
        },
        [this](Saved s) {
            m_busy = false;
            m_state = s.state;
            showList();
            say(s.reprint
                    // TRANSLATORS: %s is a file path; a reprint (补打) carries the original's number.
                    ? wxString::Format(_("Reprint (补打) saved and recorded: %s"), wx(s.path))
                    : wxString::Format(_("Saved and recorded: %s"), wx(s.path)));
            m_recorded(s.state);
        },
        [this](const std::string& message) {
            m_busy = false;
            showList();
            say(wx(message), true);
        });
}

void IntakeDocumentsPanel::preview()
{
    const auto planned = plannedSelection();
    if (!planned)
        return;
    const model::DocumentKind kind = planned->first;
    const model::DocumentIssue issue = planned->second;
    say(_("Preparing the preview…"));
    runAsync<model::DocumentContent>(
        m_session, m_liveness,
        [kind, issue, ctx = context(), number = m_state->number](client::Backend& b) mutable {
            auto state = b.findCase(number);
            if (!state)
                throw model::DomainError("case.not_found", {{"case", number}});
            ctx.number = issue.number;
            ctx.reprint = issue.reprint;
            ctx.issuedOn = b.today();
            return model::composeDocument(kind, *state, b.catalogue(), b.calendar(), ctx);
        },
        [this, kind, issue](model::DocumentContent content) {
            auto alive = m_liveness.token();
            // Printed from the preview: the issue is recorded then, not when merely looked at.
            auto printed = [this, alive, kind, issue] {
                if (*alive)
                    record(kind, issue);
            };
            wxPrintDialogData data;
            auto* preview = new wxPrintPreview(
                new DocumentPrintout(content, {}), new DocumentPrintout(content, printed), &data);
            if (!preview->IsOk()) {
                delete preview;
                say(_("The print preview cannot be shown (no printing system?)."), true);
                return;
            }
            // TRANSLATORS: title of the print preview; %s is the document number.
            auto* frame = new wxPreviewFrame(preview, wxGetTopLevelParent(this),
                wxString::Format(_("Print preview: %s"), wx(content.number)), wxDefaultPosition,
                wxSize(760, 900));
            frame->Centre();
            frame->Initialize();
            frame->Show();
            say(_("Print from the preview to hand the document out; Esc closes it."));
        },
        [this](const std::string& message) { say(wx(message), true); });
}

void IntakeDocumentsPanel::record(model::DocumentKind kind, const model::DocumentIssue& issue)
{
    runAsync<model::CaseState>(
        m_session, m_liveness,
        [kind, issue, actor = m_user.id, number = m_state->number](client::Backend& b) {
            return b.work().recordDocument(actor, number, model::toString(kind), issue.number, issue.reprint);
        },
        [this, issue](model::CaseState state) {
            m_state = state;
            showList();
            say(issue.reprint
                    ? wxString::Format(_("Reprint (补打) printed and recorded: %s"), wx(issue.number))
                    : wxString::Format(_("Printed and recorded: %s"), wx(issue.number)));
            m_recorded(state);
        },
        [this](const std::string& message) { say(wx(message), true); });
}

void IntakeDocumentsPanel::say(const wxString& text, bool problem)
{
    m_statusText = text;
    m_status->SetLabel(text);
    m_status->SetForegroundColour(problem ? intake::problemColour() : intake::quietColour());
    m_status->Wrap(std::max(200, GetClientSize().GetWidth()));
    GetParent()->Layout();
}

} // namespace ow::gui
