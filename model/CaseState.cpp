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

Json strings(const std::vector<std::string>& v)
{
    Json a = Json::array();
    for (const auto& s : v)
        a.push_back(Json(s));
    return a;
}

Json optDate(const std::optional<Date>& d)
{
    return d ? Json(d->iso()) : Json();
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
    Json j = Json::object();
    j["number"] = number;
    j["centre"] = centre;
    j["currentCentre"] = currentCentre;
    j["status"] = toString(status);
    j["applicant"] = model::toJson(applicant);
    j["bundle"] = bundle;
    Json ms = Json::array();
    for (const auto& m : matters) {
        Json x = Json::object();
        x["code"] = m.code;
        x["nameZh"] = m.nameZh;
        x["nameEn"] = m.nameEn;
        x["department"] = m.department;
        x["statutoryLimit"] = m.statutoryLimit.toString();
        x["promisedLimit"] = m.promisedLimit.toString();
        x["immediate"] = m.immediate;
        ms.push_back(x);
    }
    j["matters"] = ms;
    Json mats = Json::array();
    for (const auto& m : materials) {
        Json x = Json::object();
        x["code"] = m.code;
        x["nameZh"] = m.nameZh;
        x["nameEn"] = m.nameEn;
        x["form"] = toString(m.form);
        x["count"] = static_cast<std::int64_t>(m.count);
        x["mandatory"] = m.mandatory;
        x["dataShared"] = m.dataShared;
        x["received"] = m.received;
        x["requiredBy"] = strings(m.requiredBy);
        mats.push_back(x);
    }
    j["materials"] = mats;
    j["openedOn"] = openedOn.iso();
    j["acceptedOn"] = optDate(acceptedOn);
    j["concludedOn"] = optDate(concludedOn);
    j["deliveredOn"] = optDate(deliveredOn);
    j["closedOn"] = optDate(closedOn);
    j["deficiencies"] = strings(deficiencies);
    j["committedMaterials"] = strings(committedMaterials);
    j["commitmentDue"] = optDate(commitmentDue);
    j["noticeIssued"] = noticeIssued;
    j["noticeItems"] = strings(noticeItems);
    j["refusalReason"] = refusalReason;
    j["refusalLegalBasis"] = refusalLegalBasis;
    j["outcome"] = outcome;
    j["outcomeReason"] = outcomeReason;
    j["assignee"] = assignee;
    j["window"] = window;
    Json st = Json::array();
    for (const auto& s : steps) {
        Json x = Json::object();
        x["id"] = s.id;
        x["department"] = s.department;
        x["assignee"] = s.assignee;
        x["routedOn"] = s.routedOn.iso();
        x["done"] = s.done;
        x["outcome"] = s.outcome;
        x["doneOn"] = optDate(s.doneOn);
        st.push_back(x);
    }
    j["steps"] = st;
    Json sus = Json::array();
    for (const auto& s : suspensions) {
        Json x = Json::object();
        x["from"] = s.from.iso();
        x["to"] = optDate(s.to);
        x["reason"] = s.reason;
        sus.push_back(x);
    }
    j["suspensions"] = sus;
    Json ext = Json::array();
    for (const auto& e : extensions) {
        Json x = Json::object();
        x["extra"] = e.extra.toString();
        x["approvedBy"] = e.approvedBy;
        x["approvedOn"] = e.approvedOn.iso();
        x["reason"] = e.reason;
        ext.push_back(x);
    }
    j["extensions"] = ext;
    Json ev = Json::array();
    for (const auto& e : evaluations) {
        Json x = Json::object();
        x["level"] = static_cast<std::int64_t>(e.level);
        x["channel"] = e.channel;
        x["comment"] = e.comment;
        x["on"] = e.on.iso();
        ev.push_back(x);
    }
    j["evaluations"] = ev;
    j["notes"] = static_cast<std::int64_t>(notes);
    j["visits"] = static_cast<std::int64_t>(visits);
    j["documentsIssued"] = static_cast<std::int64_t>(documentsIssued);
    Json docs = Json::array();
    for (const auto& d : documents) {
        Json x = Json::object();
        x["kind"] = d.kind;
        x["number"] = d.number;
        x["reprint"] = d.reprint;
        x["on"] = d.on.iso();
        x["by"] = d.by;
        docs.push_back(x);
    }
    j["documents"] = docs;
    Json cs = Json::array();
    for (const auto& c : conflicts) {
        Json x = Json::object();
        x["group"] = c.group;
        Json cands = Json::array();
        for (const auto& cand : c.candidates) {
            Json y = Json::object();
            y["eventId"] = cand.eventId;
            y["type"] = cand.type;
            y["value"] = cand.value;
            y["actor"] = cand.actor;
            cands.push_back(y);
        }
        x["candidates"] = cands;
        cs.push_back(x);
    }
    j["conflicts"] = cs;
    Json an = Json::array();
    for (const auto& a : anomalies) {
        Json x = Json::object();
        x["eventId"] = a.eventId;
        x["code"] = a.code;
        an.push_back(x);
    }
    j["anomalies"] = an;
    j["heads"] = strings(heads);
    j["lastHlc"] = lastHlc;
    j["eventCount"] = static_cast<std::int64_t>(eventCount);
    j["unknownEvents"] = static_cast<std::int64_t>(unknownEvents);
    return j;
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
