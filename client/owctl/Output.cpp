#include "Output.h"

#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Identity.h"

#include <cstdint>

namespace ow::owctl {

namespace {

bool isWide(std::uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF)
        || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF)
        || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
        || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6)
        || (cp >= 0x20000 && cp <= 0x3FFFD);
}

model::Json dateOrNull(const std::string& iso)
{
    return iso.empty() ? model::Json() : model::Json(iso);
}

std::string optionalDate(const std::optional<model::Date>& d)
{
    return d ? d->iso() : std::string("-");
}

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ")
{
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : separator) + s;
    return out;
}

void maskIdIn(model::Json& applicant)
{
    if (!applicant.isObject())
        return;
    if (const auto* id = applicant.get("idNumber"); id && id->isString())
        applicant["idNumber"] = model::maskId(id->asString());
    if (auto* agent = applicant.get("agent"); agent && agent->isObject())
        if (const auto* id = agent->get("idNumber"); id && id->isString())
            (*agent)["idNumber"] = model::maskId(id->asString());
}

void line(std::ostream& out, const std::string& label, const std::string& value)
{
    std::string l = label;
    if (l.size() < 12)
        l.resize(12, ' ');
    out << l << value << "\n";
}

} // namespace

std::size_t displayWidth(std::string_view text)
{
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        auto b = static_cast<unsigned char>(text[i]);
        std::size_t n = b < 0x80 ? 1u : b < 0xE0 ? 2u : b < 0xF0 ? 3u : 4u;
        std::uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1Fu) : n == 3 ? (b & 0x0Fu) : (b & 0x07u);
        for (std::size_t k = 1; k < n && i + k < text.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
        width += isWide(cp) ? 2u : 1u;
        i += n;
    }
    return width;
}

void Table::print(std::ostream& out) const
{
    std::vector<std::size_t> widths;
    for (const auto& row : m_rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (widths.size() <= c)
                widths.push_back(0);
            widths[c] = std::max(widths[c], displayWidth(row[c]));
        }
    for (const auto& row : m_rows) {
        std::string text;
        for (std::size_t c = 0; c < row.size(); ++c) {
            text += row[c];
            if (c + 1 < row.size())
                text += std::string(widths[c] - displayWidth(row[c]) + 2, ' ');
        }
        out << text << "\n";
    }
}

model::Json toJson(const db::CaseSummary& s)
{
    model::Json j = model::Json::object();
    j["number"] = s.number;
    j["status"] = s.status;
    j["applicantName"] = s.applicantName;
    j["maskedId"] = s.maskedId;
    j["maskedPhone"] = s.maskedPhone;
    j["assignee"] = s.assignee;
    j["openedOn"] = dateOrNull(s.openedOn);
    j["acceptedOn"] = dateOrNull(s.acceptedOn);
    j["deadline"] = dateOrNull(s.deadline);
    j["inConflict"] = s.inConflict;
    return j;
}

void printSummaryTable(std::ostream& out, const std::vector<db::CaseSummary>& rows)
{
    Table table({"NUMBER", "STATUS", "APPLICANT", "ID", "PHONE", "ASSIGNEE", "OPENED", "DEADLINE"});
    for (const auto& s : rows)
        table.add({s.number, s.status + (s.inConflict ? " (conflict)" : ""), s.applicantName, s.maskedId,
            s.maskedPhone.empty() ? "-" : s.maskedPhone, s.assignee.empty() ? "-" : s.assignee, s.openedOn,
            s.deadline.empty() ? "-" : s.deadline});
    table.print(out);
}

model::Json maskedCaseJson(const model::CaseState& state)
{
    model::Json j = state.toJson();
    if (auto* applicant = j.get("applicant"))
        maskIdIn(*applicant);
    return j;
}

void printCase(std::ostream& out, const model::CaseState& s)
{
    const auto& a = s.applicant;
    line(out, "Case", s.number);
    line(out, "Status", model::toString(s.status) + (s.inConflict() ? " (in conflict)" : ""));
    line(out, "Centre",
        s.centre + (s.currentCentre != s.centre ? " (now worked at " + s.currentCentre + ")" : ""));
    line(out, "Window", s.window.empty() ? "-" : s.window);
    line(out, "Assignee", s.assignee.empty() ? "-" : s.assignee);
    line(out, "Applicant", a.name + " (" + model::toString(a.type) + ")");
    line(out, "  ID", model::toString(a.idKind) + " " + model::displayId(a));
    line(out, "  Phone", a.phone.empty() ? "-" : model::displayPhone(a));
    if (!a.legalRepresentative.empty())
        line(out, "  Legal rep.", a.legalRepresentative);
    if (a.agent)
        line(out, "  Agent",
            a.agent->name + ", " + model::toString(a.agent->idKind) + " " + model::maskId(a.agent->idNumber)
                + ", authorisation " + a.agent->authorisation);
    line(out, "  Assisted", a.assisted ? "yes (帮办代办)" : "no");
    line(out, "  Delivery",
        model::toString(a.delivery) + (a.postalAddress.empty() ? "" : " to " + a.postalAddress));
    if (!s.bundle.empty())
        line(out, "Bundle", s.bundle);
    out << "Matters\n";
    Table matters({"  CODE", "NAME", "DEPARTMENT", "PROMISED", "STATUTORY"});
    for (const auto& m : s.matters)
        matters.add({"  " + m.code, m.nameZh + " / " + m.nameEn, m.department, m.promisedLimit.toString(),
            m.statutoryLimit.toString() + (m.immediate ? " immediate" : "")});
    matters.print(out);
    out << "Materials\n";
    Table materials({"  ", "CODE", "NAME", "FORM", "REQUIREMENT"});
    for (const auto& m : s.materials) {
        std::string mark = m.received ? "  [x]" : m.dataShared ? "  [=]" : "  [ ]";
        std::string requirement = std::string(m.mandatory ? "mandatory" : "optional")
            + (m.dataShared ? ", data-shared" : "") + (m.received ? ", received" : "");
        materials.add(
            {mark, m.code, m.nameZh, model::toString(m.form) + " x" + std::to_string(m.count), requirement});
    }
    materials.print(out);
    out << "  [x] received  [=] obtained by data sharing  [ ] not received\n";
    line(out, "Opened", s.openedOn.iso());
    line(out, "Accepted", optionalDate(s.acceptedOn));
    if (!s.deficiencies.empty())
        line(out, "Owed", joined(s.deficiencies) + " (commitment due " + optionalDate(s.commitmentDue) + ")");
    if (s.noticeIssued)
        line(out, "Notice", joined(s.noticeItems, "; "));
    if (!s.refusalReason.empty())
        line(out, "Refused", s.refusalReason + " (" + s.refusalLegalBasis + ")");
    if (!s.outcome.empty())
        line(out, "Outcome", s.outcome + (s.outcomeReason.empty() ? "" : ": " + s.outcomeReason));
    if (s.concludedOn)
        line(out, "Concluded", s.concludedOn->iso());
    if (s.deliveredOn)
        line(out, "Delivered", s.deliveredOn->iso());
    if (s.closedOn)
        line(out, "Closed", s.closedOn->iso());
    for (const auto& st : s.steps)
        line(out, "Step",
            st.id + " " + st.department + " " + st.assignee + " routed " + st.routedOn.iso()
                + (st.done ? " done " + optionalDate(st.doneOn) + " " + st.outcome : " open"));
    for (const auto& su : s.suspensions)
        line(out, "Suspended", su.from.iso() + " to " + optionalDate(su.to) + ": " + su.reason);
    for (const auto& e : s.extensions)
        line(out, "Extended",
            e.extra.toString() + " approved by " + e.approvedBy + " on " + e.approvedOn.iso());
    for (const auto& c : s.conflicts) {
        std::vector<std::string> candidates;
        for (const auto& cand : c.candidates)
            candidates.push_back(cand.eventId + " " + cand.type + " by " + cand.actor);
        line(out, "Conflict", c.group + ": " + joined(candidates, " | "));
    }
    for (const auto& an : s.anomalies)
        line(out, "Anomaly", an.eventId + " " + an.code);
    line(out, "Events",
        std::to_string(s.eventCount) + " (" + std::to_string(s.notes) + " notes, "
            + std::to_string(s.evaluations.size()) + " evaluations)");
    if (s.acceptedOn && !s.matters.empty()) {
        auto result = model::caseDeadline(s, model::builtinCalendar());
        line(out, "Deadline",
            (result.suspendedOpenEnded ? "open (suspended)" : result.deadline.iso())
                + (result.provisional ? " provisional" : "") + ", promised " + result.limit.toString());
        out << "Ledger\n" << model::formatLedger(result);
    }
}

db::CaseSummary summaryOf(const db::Store& store, const model::CaseState& state)
{
    for (auto& s : store.search(state.number, 5))
        if (s.number == state.number)
            return s;
    db::CaseSummary s; // the projection should always have the row; this is a fallback
    s.number = state.number;
    s.status = model::toString(state.status);
    s.applicantName = state.applicant.name;
    s.maskedId = model::displayId(state.applicant);
    s.maskedPhone = model::displayPhone(state.applicant);
    s.assignee = state.assignee;
    s.openedOn = state.openedOn.iso();
    s.acceptedOn = state.acceptedOn ? state.acceptedOn->iso() : "";
    return s;
}

} // namespace ow::owctl
