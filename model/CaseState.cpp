#include "model/CaseState.h"

#include "model/Error.h"

#include <algorithm>
#include <map>

namespace ow::model {

namespace {

const std::vector<std::pair<CaseStatus, const char*>>& statusNames()
{
    static const std::vector<std::pair<CaseStatus, const char*>> names = {
        {CaseStatus::None, "none"},
        {CaseStatus::Consulting, "consulting"},
        {CaseStatus::Accepted, "accepted"},
        {CaseStatus::AcceptedDeficient, "accepted_deficient"},
        {CaseStatus::AwaitingCorrection, "awaiting_correction"},
        {CaseStatus::Refused, "refused"},
        {CaseStatus::InReview, "in_review"},
        {CaseStatus::Suspended, "suspended"},
        {CaseStatus::Extended, "extended"},
        {CaseStatus::Approved, "approved"},
        {CaseStatus::Denied, "denied"},
        {CaseStatus::Terminated, "terminated"},
        {CaseStatus::Delivered, "delivered"},
        {CaseStatus::Withdrawn, "withdrawn"},
        {CaseStatus::Closed, "closed"},
    };
    return names;
}

} // namespace

std::string toString(CaseStatus s)
{
    for (const auto& [status, name] : statusNames())
        if (status == s)
            return name;
    return "unknown";
}

std::optional<CaseStatus> caseStatusFromString(const std::string& s)
{
    for (const auto& [status, name] : statusNames())
        if (s == name)
            return status;
    return std::nullopt;
}

const std::vector<CaseStatus>& allCaseStatuses()
{
    static const std::vector<CaseStatus> all = [] {
        std::vector<CaseStatus> v;
        for (const auto& [status, name] : statusNames())
            v.push_back(status);
        return v;
    }();
    return all;
}

bool isTerminal(CaseStatus s)
{
    switch (s) {
    case CaseStatus::Refused:
    case CaseStatus::Withdrawn:
    case CaseStatus::Terminated:
    case CaseStatus::Delivered:
    case CaseStatus::Closed:
        return true;
    default:
        return false;
    }
}

const CaseConflict* CaseState::conflict(const std::string& group) const
{
    for (const auto& c : conflicts)
        if (c.group == group)
            return &c;
    return nullptr;
}

const CaseMaterial* CaseState::material(const std::string& code) const
{
    for (const auto& m : materials)
        if (m.code == code)
            return &m;
    return nullptr;
}

const CaseStep* CaseState::step(const std::string& id) const
{
    for (const auto& s : steps)
        if (s.id == id)
            return &s;
    return nullptr;
}

const SuspensionRecord* CaseState::openSuspension() const
{
    if (!suspensions.empty() && !suspensions.back().to)
        return &suspensions.back();
    return nullptr;
}

std::vector<std::string> CaseState::missingMandatoryMaterials() const
{
    std::vector<std::string> out;
    for (const auto& m : materials)
        if (m.mandatory && !m.received && !m.dataShared)
            out.push_back(m.code);
    return out;
}

Json CaseState::toJson() const
{
    return Json::parse(canonicalText());
}

// Members in canonical (byte) order, which the writer checks.
std::string CaseState::canonicalText() const
{
    JsonTextWriter w;
    const auto date = [&](std::string_view key, const std::optional<Date>& d) {
        w.key(key);
        if (d)
            w.value(d->iso());
        else
            w.null();
    };
    const auto strings = [&](std::string_view key, const std::vector<std::string>& v) {
        w.key(key).beginArray();
        for (const auto& s : v)
            w.value(s);
        w.endArray();
    };
    w.beginObject();
    date("acceptedOn", acceptedOn);
    w.key("anomalies").beginArray();
    for (const auto& a : anomalies)
        w.beginObject().member("code", a.code).member("eventId", a.eventId).endObject();
    w.endArray();
    w.key("applicant");
    writeApplicant(w, applicant);
    w.member("assignee", assignee).member("bundle", bundle).member("centre", centre);
    date("closedOn", closedOn);
    date("commitmentDue", commitmentDue);
    strings("committedMaterials", committedMaterials);
    date("concludedOn", concludedOn);
    w.key("conflicts").beginArray();
    for (const auto& c : conflicts) {
        w.beginObject().key("candidates").beginArray();
        for (const auto& cand : c.candidates)
            w.beginObject()
                .member("actor", cand.actor)
                .member("eventId", cand.eventId)
                .member("type", cand.type)
                .member("value", cand.value)
                .endObject();
        w.endArray().member("group", c.group).endObject();
    }
    w.endArray();
    w.member("currentCentre", currentCentre);
    strings("deficiencies", deficiencies);
    date("deliveredOn", deliveredOn);
    w.key("documents").beginArray();
    for (const auto& d : documents)
        w.beginObject()
            .member("by", d.by)
            .member("kind", d.kind)
            .member("number", d.number)
            .member("on", d.on.iso())
            .member("reprint", d.reprint)
            .endObject();
    w.endArray();
    w.member("documentsIssued", documentsIssued);
    w.key("evaluations").beginArray();
    for (const auto& e : evaluations)
        w.beginObject()
            .member("channel", e.channel)
            .member("comment", e.comment)
            .member("level", e.level)
            .member("on", e.on.iso())
            .endObject();
    w.endArray();
    w.member("eventCount", eventCount);
    w.key("extensions").beginArray();
    for (const auto& e : extensions)
        w.beginObject()
            .member("approvedBy", e.approvedBy)
            .member("approvedOn", e.approvedOn.iso())
            .member("extra", e.extra.toString())
            .member("reason", e.reason)
            .endObject();
    w.endArray();
    strings("heads", heads);
    w.member("lastHlc", lastHlc);
    w.key("materials").beginArray();
    for (const auto& m : materials) {
        w.beginObject()
            .member("code", m.code)
            .member("count", m.count)
            .member("dataShared", m.dataShared)
            .member("form", toString(m.form))
            .member("mandatory", m.mandatory)
            .member("nameEn", m.nameEn)
            .member("nameZh", m.nameZh)
            .member("received", m.received);
        strings("requiredBy", m.requiredBy);
        w.endObject();
    }
    w.endArray();
    w.key("matters").beginArray();
    for (const auto& m : matters)
        w.beginObject()
            .member("code", m.code)
            .member("department", m.department)
            .member("immediate", m.immediate)
            .member("nameEn", m.nameEn)
            .member("nameZh", m.nameZh)
            .member("promisedLimit", m.promisedLimit.toString())
            .member("statutoryLimit", m.statutoryLimit.toString())
            .endObject();
    w.endArray();
    w.member("notes", notes).member("noticeIssued", noticeIssued);
    strings("noticeItems", noticeItems);
    w.member("number", number)
        .member("openedOn", openedOn.iso())
        .member("outcome", outcome)
        .member("outcomeReason", outcomeReason)
        .member("refusalLegalBasis", refusalLegalBasis)
        .member("refusalReason", refusalReason)
        .member("status", toString(status));
    w.key("steps").beginArray();
    for (const auto& s : steps) {
        w.beginObject()
            .member("assignee", s.assignee)
            .member("department", s.department)
            .member("done", s.done);
        date("doneOn", s.doneOn);
        w.member("id", s.id).member("outcome", s.outcome).member("routedOn", s.routedOn.iso()).endObject();
    }
    w.endArray();
    w.key("suspensions").beginArray();
    for (const auto& s : suspensions) {
        w.beginObject().member("from", s.from.iso()).member("reason", s.reason);
        date("to", s.to);
        w.endObject();
    }
    w.endArray();
    w.member("unknownEvents", unknownEvents).member("visits", visits).member("window", window);
    w.endObject();
    return w.take();
}

Date dateOfHlc(Hlc hlc, int utcOffsetMinutes)
{
    std::int64_t ms = hlcWallMs(hlc) + std::int64_t{utcOffsetMinutes} * 60'000;
    std::int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
    return Date::fromDays(days);
}

Date eventDate(const Event& e)
{
    if (const Json* on = e.body.get("on"); on && on->isString())
        if (auto d = Date::fromIso(on->asString()))
            return *d;
    return dateOfHlc(e.hlc);
}

} // namespace ow::model
