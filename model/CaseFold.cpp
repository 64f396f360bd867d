// The case state machine and the fold of a case's events into its state.
#include "model/CaseState.h"
#include "model/ConflictTable.h"
#include "model/Error.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <tuple>

namespace ow::model {

namespace {

namespace T = EventType;
using S = CaseStatus;

[[noreturn]] void bodyInvalid(const Event& e, const std::string& field, const std::string& reason)
{
    throw DomainError("case.body_invalid",
        {{"case", e.caseNumber}, {"event", e.type}, {"field", field}, {"reason", reason}});
}

std::string requireString(const Event& e, const std::string& key)
{
    const Json* v = e.body.get(key);
    if (!v || !v->isString() || v->asString().empty())
        bodyInvalid(e, key, !v ? "missing" : v->isString() ? "empty" : "wrong_type");
    return v->asString();
}

std::vector<std::string> stringList(const Event& e, const std::string& key, bool required)
{
    std::vector<std::string> out;
    const Json* v = e.body.get(key);
    if (!v) {
        if (required)
            bodyInvalid(e, key, "missing");
        return out;
    }
    if (!v->isArray())
        bodyInvalid(e, key, "not_an_array");
    for (const auto& x : v->asArray()) {
        if (!x.isString())
            bodyInvalid(e, key, "not_a_string");
        out.push_back(x.asString());
    }
    if (required && out.empty())
        bodyInvalid(e, key, "empty");
    return out;
}

std::optional<Date> optionalDate(const Event& e, const std::string& key)
{
    const Json* v = e.body.get(key);
    if (!v || v->isNull())
        return std::nullopt;
    if (!v->isString())
        bodyInvalid(e, key, "not_a_string");
    auto d = Date::fromIso(v->asString());
    if (!d)
        bodyInvalid(e, key, "bad_date");
    return d;
}

enum class Kind { Str, Int, Bool, StrList, Obj, Arr };
struct FieldSpec {
    const char* name;
    Kind kind;
    bool required;
};

// The body fields each type may carry and their JSON types. Checking them all here
// keeps checkTransition and the fold in agreement, whatever a peer sends.
const std::map<std::string, std::vector<FieldSpec>>& bodySchemas()
{
    using enum Kind;
    static const std::map<std::string, std::vector<FieldSpec>> schemas = {
        {T::Opened,
            {{"applicant", Obj, true}, {"matters", Arr, true}, {"materials", Arr, false},
                {"centre", Str, false}, {"window", Str, false}, {"bundle", Str, false}}},
        {T::MaterialReceived, {{"codes", StrList, true}}},
        {T::Corrected, {{"codes", StrList, false}}},
        {T::Accepted, {}},
        {T::AcceptedDeficient, {{"missing", StrList, true}, {"commitmentDue", Str, true}}},
        {T::NoticeIssued, {{"items", StrList, true}}},
        {T::Refused, {{"reason", Str, true}, {"legalBasis", Str, false}}},
        {T::Routed, {{"step", Str, true}, {"department", Str, true}, {"assignee", Str, false}}},
        {T::StepDone, {{"step", Str, true}, {"outcome", Str, false}}},
        {T::Suspended, {{"reason", Str, true}}},
        {T::Resumed, {}},
        {T::Extended,
            {{"limit", Str, true}, {"approvedBy", Str, true}, {"reason", Str, true},
                {"requestedBy", Str, false}}},
        {T::Concluded, {{"outcome", Str, true}, {"reason", Str, false}}},
        {T::Delivered, {{"method", Str, false}}},
        {T::Withdrawn, {{"reason", Str, true}}},
        {T::Terminated, {{"reason", Str, true}}},
        {T::Closed, {}},
        {T::Assigned, {{"assignee", Str, true}, {"window", Str, false}}},
        {T::Transferred, {{"toCentre", Str, true}, {"reason", Str, false}}},
        {T::Evaluated, {{"level", Int, true}, {"channel", Str, false}, {"comment", Str, false}}},
        {T::Note, {{"text", Str, true}}},
        {T::DocumentIssued, {{"kind", Str, true}, {"number", Str, true}, {"reprint", Bool, false}}},
        {T::ConflictResolved, {{"group", Str, true}, {"chosen", Str, true}}},
    };
    return schemas;
}

bool hasKind(const Json& v, Kind k)
{
    switch (k) {
    case Kind::Str:
        return v.isString();
    case Kind::Int:
        return v.isInt();
    case Kind::Bool:
        return v.isBool();
    case Kind::Obj:
        return v.isObject();
    case Kind::Arr:
        return v.isArray();
    case Kind::StrList:
        return v.isArray() && std::all_of(v.asArray().begin(), v.asArray().end(), [](const Json& x) {
            return x.isString();
        });
    }
    return false;
}

void checkBodyTypes(const Event& e)
{
    if (!e.body.isObject())
        bodyInvalid(e, "body", "not_an_object");
    if (const Json* on = e.body.get("on"); on && !on->isNull()) {
        if (!on->isString() || !Date::fromIso(on->asString()))
            bodyInvalid(e, "on", "bad_date");
    }
    auto it = bodySchemas().find(e.type);
    if (it == bodySchemas().end())
        return;
    for (const auto& f : it->second) {
        const Json* v = e.body.get(f.name);
        if (!v || v->isNull()) {
            if (f.required)
                bodyInvalid(e, f.name, "missing");
            continue;
        }
        if (!hasKind(*v, f.kind))
            bodyInvalid(e, f.name, "wrong_type");
    }
    if (e.type == T::Opened) {
        // Every matter and material must be readable as the fold reads it.
        for (const auto& m : e.body["matters"].asArray()) {
            if (!m.isObject() || !m.get("code") || !m["code"].isString())
                bodyInvalid(e, "matters", "bad_matter");
            for (const char* key : {"nameZh", "nameEn", "department", "statutoryLimit", "promisedLimit"})
                if (const Json* x = m.get(key); x && !x->isString())
                    bodyInvalid(e, std::string("matters.") + key, "wrong_type");
        }
        if (const Json* mats = e.body.get("materials"); mats && mats->isArray())
            for (const auto& m : mats->asArray()) {
                if (!m.isObject() || !m.get("code") || !m["code"].isString())
                    bodyInvalid(e, "materials", "bad_material");
                for (const char* key : {"nameZh", "nameEn", "form"})
                    if (const Json* x = m.get(key); x && !x->isString())
                        bodyInvalid(e, std::string("materials.") + key, "wrong_type");
                for (const char* key : {"mandatory", "dataShared", "received"})
                    if (const Json* x = m.get(key); x && !x->isBool())
                        bodyInvalid(e, std::string("materials.") + key, "wrong_type");
                if (const Json* x = m.get("count"); x && !x->isInt())
                    bodyInvalid(e, "materials.count", "wrong_type");
                if (const Json* x = m.get("requiredBy"); x && !hasKind(*x, Kind::StrList))
                    bodyInvalid(e, "materials.requiredBy", "wrong_type");
            }
        const Json& app = e.body["applicant"];
        for (const auto& [key, value] : app.asObject()) {
            bool ok = key == "assisted" ? value.isBool()
                : key == "agent"        ? (value.isNull() || value.isObject())
                                        : value.isString();
            if (!ok)
                bodyInvalid(e, "applicant." + key, "wrong_type");
        }
        if (const Json* agent = app.get("agent"); agent && agent->isObject())
            for (const auto& [key, value] : agent->asObject())
                if (!value.isString())
                    bodyInvalid(e, "applicant.agent." + key, "wrong_type");
    }
}

[[noreturn]] void refused(const CaseState& s, const Event& e)
{
    std::string allowed;
    for (const auto& t : allowedLifecycleEvents(s.status))
        allowed += (allowed.empty() ? "" : ",") + t;
    throw DomainError("case.transition_refused",
        {{"case", s.number.empty() ? e.caseNumber : s.number}, {"from", toString(s.status)},
            {"event", e.type}, {"allowed", allowed}});
}

bool isLifecycle(const std::string& type)
{
    static const std::set<std::string> annotations
        = {T::Note, T::Evaluated, T::DocumentIssued, T::Assigned, T::Transferred, T::ConflictResolved};
    return isKnownCaseEventType(type) && !annotations.count(type);
}

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ",") + x;
    return s;
}

} // namespace

std::vector<std::string> allowedLifecycleEvents(CaseStatus status)
{
    switch (status) {
    case S::None:
        return {T::Opened};
    case S::Consulting:
        return {T::MaterialReceived, T::Accepted, T::AcceptedDeficient, T::NoticeIssued, T::Refused,
            T::Withdrawn};
    case S::AwaitingCorrection:
        return {
            T::Corrected, T::MaterialReceived, T::Accepted, T::AcceptedDeficient, T::Refused, T::Withdrawn};
    case S::Accepted:
        return {T::MaterialReceived, T::Routed, T::Suspended, T::Concluded, T::Withdrawn, T::Terminated};
    case S::AcceptedDeficient:
        return {T::MaterialReceived, T::Routed, T::Suspended, T::Concluded, T::Withdrawn, T::Terminated};
    case S::InReview:
        return {T::MaterialReceived, T::Routed, T::StepDone, T::Suspended, T::Extended, T::Concluded,
            T::Withdrawn, T::Terminated};
    case S::Suspended:
        return {T::MaterialReceived, T::Resumed, T::Withdrawn, T::Terminated};
    case S::Extended:
        return {T::MaterialReceived, T::Routed, T::StepDone, T::Suspended, T::Concluded, T::Withdrawn,
            T::Terminated};
    case S::Approved:
    case S::Denied:
        return {T::Delivered};
    case S::Delivered:
    case S::Refused:
    case S::Withdrawn:
    case S::Terminated:
        return {T::Closed};
    case S::Closed:
        return {};
    }
    return {};
}

void checkTransition(const CaseState& s, const Event& e)
{
    const std::string& t = e.type;
    if (!isKnownCaseEventType(t))
        return; // stored and passed on, never judged
    checkBodyTypes(e);
    if (s.status == S::None && t != T::Opened)
        throw DomainError("case.not_opened", {{"case", e.caseNumber}, {"event", t}});
    if (auto g = conflictGroup(t); g && groupCanConflict(*g) && s.conflict(*g))
        throw DomainError("case.in_conflict", {{"case", s.number}, {"group", *g}, {"event", t}});

    if (isLifecycle(t)) {
        // Precise reasons first, where the generic refusal would not tell a person what to do.
        if (t == T::NoticeIssued && s.noticeIssued)
            throw DomainError("case.notice_already_issued", {{"case", s.number}});
        if (t == T::Extended && !s.extensions.empty() && (s.status == S::Extended || s.status == S::InReview))
            throw DomainError("case.already_extended", {{"case", s.number}});
        if (t == T::Resumed && s.status != S::Suspended)
            throw DomainError("case.not_suspended", {{"case", s.number}, {"from", toString(s.status)}});
        auto allowed = allowedLifecycleEvents(s.status);
        if (std::find(allowed.begin(), allowed.end(), t) == allowed.end())
            refused(s, e);
    } else if (s.status == S::Closed && t != T::Note && t != T::Evaluated && t != T::DocumentIssued) {
        refused(s, e);
    }

    if (t == T::Opened) {
        const Json* app = e.body.get("applicant");
        if (!app || !app->isObject())
            bodyInvalid(e, "applicant", "missing");
        const Json* ms = e.body.get("matters");
        if (!ms || !ms->isArray() || ms->asArray().empty())
            bodyInvalid(e, "matters", "missing");
    } else if (t == T::MaterialReceived || t == T::Corrected) {
        auto codes = stringList(e, "codes", t == T::MaterialReceived);
        for (const auto& c : codes)
            if (!s.material(c))
                throw DomainError("case.material_unknown", {{"case", s.number}, {"material", c}});
    } else if (t == T::Accepted) {
        auto missing = s.missingMandatoryMaterials();
        if (!missing.empty())
            throw DomainError("case.materials_missing", {{"case", s.number}, {"materials", joined(missing)}});
    } else if (t == T::AcceptedDeficient) {
        auto owed = stringList(e, "missing", true);
        for (const auto& c : owed) {
            const CaseMaterial* m = s.material(c);
            if (!m)
                throw DomainError("case.material_unknown", {{"case", s.number}, {"material", c}});
            if (m->received)
                throw DomainError(
                    "case.deficiency_invalid", {{"case", s.number}, {"material", c}, {"reason", "received"}});
        }
        if (!optionalDate(e, "commitmentDue"))
            bodyInvalid(e, "commitmentDue", "missing");
        // Every mandatory material still missing must be owed explicitly, or it could
        // never block approval.
        std::vector<std::string> uncovered;
        for (const auto& c : s.missingMandatoryMaterials())
            if (std::find(owed.begin(), owed.end(), c) == owed.end())
                uncovered.push_back(c);
        if (!uncovered.empty())
            throw DomainError(
                "case.materials_missing", {{"case", s.number}, {"materials", joined(uncovered)}});
    } else if (t == T::NoticeIssued) {
        stringList(e, "items", true);
    } else if (t == T::Refused) {
        requireString(e, "reason");
    } else if (t == T::Routed) {
        std::string step = requireString(e, "step");
        requireString(e, "department");
        if (s.step(step))
            throw DomainError("case.step_exists", {{"case", s.number}, {"step", step}});
    } else if (t == T::StepDone) {
        std::string step = requireString(e, "step");
        const CaseStep* st = s.step(step);
        if (!st)
            throw DomainError("case.step_unknown", {{"case", s.number}, {"step", step}});
        if (st->done)
            throw DomainError("case.step_already_done", {{"case", s.number}, {"step", step}});
    } else if (t == T::Suspended) {
        requireString(e, "reason");
    } else if (t == T::Resumed) {
        const SuspensionRecord* open = s.openSuspension();
        if (open && eventDate(e) < open->from)
            bodyInvalid(e, "on", "before_suspension");
    } else if (t == T::Extended) {
        auto limit = TimeLimit::parse(requireString(e, "limit"));
        if (!limit || limit->days <= 0)
            bodyInvalid(e, "limit", "bad_time_limit");
        requireString(e, "approvedBy");
        requireString(e, "reason");
    } else if (t == T::Concluded) {
        std::string outcome = requireString(e, "outcome");
        if (outcome != "approved" && outcome != "denied")
            bodyInvalid(e, "outcome", "unknown_value");
        if (outcome == "approved" && !s.deficiencies.empty())
            throw DomainError(
                "case.deficiencies_outstanding", {{"case", s.number}, {"materials", joined(s.deficiencies)}});
        if (outcome == "denied")
            requireString(e, "reason");
        std::vector<std::string> open;
        for (const auto& st : s.steps)
            if (!st.done)
                open.push_back(st.id);
        if (!open.empty())
            throw DomainError("case.steps_open", {{"case", s.number}, {"steps", joined(open)}});
    } else if (t == T::Withdrawn || t == T::Terminated) {
        requireString(e, "reason");
    } else if (t == T::Assigned) {
        requireString(e, "assignee");
    } else if (t == T::Transferred) {
        std::string to = requireString(e, "toCentre");
        if (to == s.currentCentre)
            throw DomainError("case.transfer_same_centre", {{"case", s.number}, {"centre", to}});
    } else if (t == T::Evaluated) {
        std::int64_t level = e.body.getInt("level", 0);
        if (level < 1 || level > 5)
            bodyInvalid(e, "level", "out_of_range");
    } else if (t == T::Note) {
        requireString(e, "text");
    } else if (t == T::DocumentIssued) {
        requireString(e, "kind");
        requireString(e, "number");
    } else if (t == T::ConflictResolved) {
        std::string group = requireString(e, "group");
        std::string chosen = requireString(e, "chosen");
        const CaseConflict* c = s.conflict(group);
        if (!c)
            throw DomainError("case.no_conflict", {{"case", s.number}, {"group", group}});
        bool found = std::any_of(c->candidates.begin(), c->candidates.end(),
            [&](const ConflictCandidate& cand) { return cand.eventId == chosen; });
        if (!found)
            throw DomainError("case.conflict_candidate_unknown",
                {{"case", s.number}, {"group", group}, {"chosen", chosen}});
    }
}

namespace {

void markReceived(CaseState& s, const std::vector<std::string>& codes)
{
    for (auto& m : s.materials)
        if (std::find(codes.begin(), codes.end(), m.code) != codes.end())
            m.received = true;
    std::erase_if(
        s.deficiencies, [&](const std::string& c) { return s.material(c) && s.material(c)->received; });
}

TimeLimit limitOr(const Json& j, const std::string& key)
{
    auto l = TimeLimit::parse(j.getString(key));
    return l ? *l : TimeLimit{1, DayCounting::Working};
}

// Applies an event already checked by checkTransition.
void applyChecked(CaseState& s, const Event& e)
{
    const std::string& t = e.type;
    Date on = eventDate(e);
    if (t == T::Opened) {
        s.number = e.caseNumber;
        s.centre = e.body.getString("centre");
        s.currentCentre = s.centre;
        s.window = e.body.getString("window");
        s.assignee = e.actor;
        s.applicant = applicantFromJson(e.body["applicant"]);
        s.bundle = e.body.getString("bundle");
        s.openedOn = on;
        s.status = S::Consulting;
        s.visits = 1;
        for (const auto& m : e.body["matters"].asArray()) {
            if (!m.isObject())
                continue;
            s.matters.push_back({m.getString("code"), m.getString("nameZh"), m.getString("nameEn"),
                m.getString("department"), limitOr(m, "statutoryLimit"), limitOr(m, "promisedLimit"),
                m.getBool("immediate", false)});
        }
        if (const Json* mats = e.body.get("materials"); mats && mats->isArray()) {
            for (const auto& m : mats->asArray()) {
                if (!m.isObject())
                    continue;
                CaseMaterial cm;
                cm.code = m.getString("code");
                cm.nameZh = m.getString("nameZh");
                cm.nameEn = m.getString("nameEn");
                cm.form = materialFormFromString(m.getString("form")).value_or(MaterialForm::Original);
                cm.count = static_cast<int>(std::clamp<std::int64_t>(m.getInt("count", 1), 1, 99));
                cm.mandatory = m.getBool("mandatory", true);
                cm.dataShared = m.getBool("dataShared", false);
                cm.received = m.getBool("received", false);
                if (const Json* rb = m.get("requiredBy"); rb && rb->isArray())
                    for (const auto& r : rb->asArray())
                        if (r.isString())
                            cm.requiredBy.push_back(r.asString());
                s.materials.push_back(std::move(cm));
            }
        }
    } else if (t == T::MaterialReceived) {
        markReceived(s, stringList(e, "codes", true));
        if (s.status == S::AcceptedDeficient && s.deficiencies.empty())
            s.status = S::Accepted;
    } else if (t == T::Corrected) {
        markReceived(s, stringList(e, "codes", false));
        s.status = S::Consulting;
        ++s.visits;
    } else if (t == T::Accepted) {
        s.status = S::Accepted;
        s.acceptedOn = on;
    } else if (t == T::AcceptedDeficient) {
        s.status = S::AcceptedDeficient;
        s.acceptedOn = on;
        s.deficiencies = stringList(e, "missing", true);
        s.committedMaterials = s.deficiencies;
        s.commitmentDue = optionalDate(e, "commitmentDue");
    } else if (t == T::NoticeIssued) {
        s.status = S::AwaitingCorrection;
        s.noticeIssued = true;
        s.noticeItems = stringList(e, "items", true);
    } else if (t == T::Refused) {
        s.status = S::Refused;
        s.refusalReason = e.body.getString("reason");
        s.refusalLegalBasis = e.body.getString("legalBasis");
        s.concludedOn = on;
    } else if (t == T::Routed) {
        CaseStep st;
        st.id = e.body.getString("step");
        st.department = e.body.getString("department");
        st.assignee = e.body.getString("assignee");
        st.routedOn = on;
        s.steps.push_back(st);
        if (s.status == S::Accepted || s.status == S::AcceptedDeficient)
            s.status = S::InReview;
    } else if (t == T::StepDone) {
        for (auto& st : s.steps)
            if (st.id == e.body.getString("step")) {
                st.done = true;
                st.outcome = e.body.getString("outcome");
                st.doneOn = on;
            }
    } else if (t == T::Suspended) {
        s.suspensions.push_back({on, std::nullopt, e.body.getString("reason"), s.status});
        s.status = S::Suspended;
    } else if (t == T::Resumed) {
        if (!s.suspensions.empty() && !s.suspensions.back().to) {
            s.suspensions.back().to = on;
            s.status = s.suspensions.back().resumeTo;
            // Owed materials may have arrived while the clock stood still.
            if (s.status == S::AcceptedDeficient && s.deficiencies.empty())
                s.status = S::Accepted;
        }
    } else if (t == T::Extended) {
        s.extensions.push_back({*TimeLimit::parse(e.body.getString("limit")), e.body.getString("approvedBy"),
            on, e.body.getString("reason")});
        s.status = S::Extended;
    } else if (t == T::Concluded) {
        s.outcome = e.body.getString("outcome");
        s.outcomeReason = e.body.getString("reason");
        s.status = s.outcome == "approved" ? S::Approved : S::Denied;
        s.concludedOn = on;
    } else if (t == T::Delivered) {
        s.status = S::Delivered;
        s.deliveredOn = on;
    } else if (t == T::Withdrawn || t == T::Terminated) {
        s.status = t == T::Withdrawn ? S::Withdrawn : S::Terminated;
        s.outcomeReason = e.body.getString("reason");
        s.concludedOn = on;
    } else if (t == T::Closed) {
        s.status = S::Closed;
        s.closedOn = on;
    } else if (t == T::Assigned) {
        s.assignee = e.body.getString("assignee");
        if (e.body.contains("window"))
            s.window = e.body.getString("window");
    } else if (t == T::Transferred) {
        s.currentCentre = e.body.getString("toCentre");
    } else if (t == T::Evaluated) {
        s.evaluations.push_back({static_cast<int>(e.body.getInt("level", 0)), e.body.getString("channel"),
            e.body.getString("comment"), on});
    } else if (t == T::Note) {
        ++s.notes;
    } else if (t == T::DocumentIssued) {
        ++s.documentsIssued;
        s.documents.push_back({e.body.getString("kind"), e.body.getString("number"),
            e.body.getBool("reprint", false), on, e.actor});
    } else if (t == T::ConflictResolved) {
        std::string group = e.body.getString("group");
        std::erase_if(s.conflicts, [&](const CaseConflict& c) { return c.group == group; });
    }
}

// The event applied when the state machine allows it, all or nothing even for a malformed
// body; otherwise kept as an anomaly with the refusal's code.
void applyOrRecord(CaseState& s, const Event& e)
{
    try {
        checkTransition(s, e);
        CaseState next = s;
        applyChecked(next, e);
        s = std::move(next);
    } catch (const DomainError& err) {
        s.anomalies.push_back({e.id(), err.code()});
    }
}

using Key = std::tuple<Hlc, std::string, std::int64_t>;
Key keyOf(const Event& e)
{
    return {e.hlc, e.origin, e.seq};
}

struct Graph {
    std::vector<Event> events; // canonical order
    std::vector<std::vector<bool>> ancestor; // ancestor[i][j]: events[j] happened before events[i]
    bool cycle = false;
    bool collision = false;
};

Graph buildGraph(std::vector<Event> input)
{
    // Idempotent on ids. Two different events under one id (a forged or broken origin)
    // must not make the result depend on arrival order: the smaller hash is kept, and
    // the collision is reported.
    std::map<std::string, Event> byId;
    bool collision = false;
    for (auto& e : input) {
        std::string id = e.id();
        auto it = byId.find(id);
        if (it == byId.end()) {
            byId.emplace(std::move(id), std::move(e));
        } else if (it->second.hash != e.hash) {
            collision = true;
            if (e.hash < it->second.hash)
                it->second = std::move(e);
        }
    }
    std::vector<Event> ev;
    ev.reserve(byId.size());
    for (auto& [id, e] : byId)
        ev.push_back(std::move(e));
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < ev.size(); ++i)
        index[ev[i].id()] = i;

    // Parents: declared heads that are present, plus the same origin's previous event in this case.
    std::vector<std::vector<std::size_t>> parents(ev.size());
    std::map<std::string, std::vector<std::size_t>> byOrigin;
    for (std::size_t i = 0; i < ev.size(); ++i)
        byOrigin[ev[i].origin].push_back(i);
    for (auto& [origin, idx] : byOrigin) {
        std::sort(
            idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return ev[a].seq < ev[b].seq; });
        for (std::size_t k = 1; k < idx.size(); ++k)
            parents[idx[k]].push_back(idx[k - 1]);
    }
    for (std::size_t i = 0; i < ev.size(); ++i)
        for (const auto& h : ev[i].heads)
            if (auto it = index.find(h); it != index.end() && it->second != i)
                parents[i].push_back(it->second);

    // Kahn's algorithm; among ready events the smallest (hlc, origin, seq) goes first.
    std::vector<std::vector<std::size_t>> children(ev.size());
    std::vector<std::size_t> pending(ev.size(), 0);
    for (std::size_t i = 0; i < ev.size(); ++i) {
        std::sort(parents[i].begin(), parents[i].end());
        parents[i].erase(std::unique(parents[i].begin(), parents[i].end()), parents[i].end());
        pending[i] = parents[i].size();
        for (auto p : parents[i])
            children[p].push_back(i);
    }
    auto later = [&](std::size_t a, std::size_t b) { return keyOf(ev[a]) > keyOf(ev[b]); };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
    for (std::size_t i = 0; i < ev.size(); ++i)
        if (pending[i] == 0)
            ready.push(i);
    std::vector<std::size_t> order;
    std::vector<bool> placed(ev.size(), false);
    while (order.size() < ev.size()) {
        if (ready.empty()) {
            // A cycle in forged heads: break it deterministically at the smallest key.
            std::size_t best = ev.size();
            for (std::size_t i = 0; i < ev.size(); ++i)
                if (!placed[i] && (best == ev.size() || keyOf(ev[i]) < keyOf(ev[best])))
                    best = i;
            pending[best] = 0;
            ready.push(best);
        }
        std::size_t i = ready.top();
        ready.pop();
        if (placed[i])
            continue;
        placed[i] = true;
        order.push_back(i);
        for (auto c : children[i])
            if (!placed[c] && pending[c] > 0 && --pending[c] == 0)
                ready.push(c);
    }

    Graph g;
    g.collision = collision;
    std::vector<std::size_t> position(ev.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        position[order[k]] = k;
    g.ancestor.assign(ev.size(), std::vector<bool>(ev.size(), false));
    for (std::size_t k = 0; k < order.size(); ++k) {
        std::size_t i = order[k];
        for (auto p : parents[i]) {
            std::size_t pk = position[p];
            if (pk >= k) {
                g.cycle = true; // a broken cycle edge: ignore it
                continue;
            }
            g.ancestor[k][pk] = true;
            for (std::size_t j = 0; j < order.size(); ++j)
                if (g.ancestor[pk][j])
                    g.ancestor[k][j] = true;
        }
    }
    for (auto i : order)
        g.events.push_back(std::move(ev[i]));
    return g;
}

// One pass of the fold with a given set of overruled events (losing sides of resolved
// conflicts). Returns the conflicts resolved in this pass that overrule further events.
struct Pass {
    CaseState state;
    std::set<std::size_t> newlyOverruled;
};

Pass foldPass(const Graph& g, const std::set<std::size_t>& overruled)
{
    Pass pass;
    CaseState& s = pass.state;
    // Per conflict group: the latest group events of each concurrent branch ("tips").
    std::map<std::string, std::vector<std::size_t>> tips;
    const auto n = g.events.size();
    for (std::size_t k = 0; k < n; ++k) {
        const Event& e = g.events[k];
        ++s.eventCount;
        s.lastHlc = std::max(s.lastHlc, e.hlc);
        if (!isKnownCaseEventType(e.type)) {
            ++s.unknownEvents;
            continue;
        }
        if (overruled.count(k)) {
            s.anomalies.push_back({e.id(), "case.overruled"});
            continue;
        }
        auto group = conflictGroup(e.type);
        if (group) {
            auto& t = tips[*group];
            std::erase_if(t, [&](std::size_t j) { return g.ancestor[k][j]; });
            // Tips that e does not know about are concurrent with it.
            std::vector<std::size_t> concurrent;
            for (auto j : t)
                concurrent.push_back(j);
            bool duplicate = false;
            bool conflicting = false;
            for (auto j : concurrent) {
                if (conflictValue(g.events[j]) == conflictValue(e))
                    duplicate = true;
                else if (groupCanConflict(*group))
                    conflicting = true;
            }
            t.push_back(k);
            if (conflicting) {
                // Keep both: the first in canonical order stays in effect; e waits for a person.
                CaseConflict* c = nullptr;
                for (auto& x : s.conflicts)
                    if (x.group == *group)
                        c = &x;
                if (!c) {
                    s.conflicts.push_back({*group, {}});
                    c = &s.conflicts.back();
                    for (auto j : concurrent) {
                        const Event& p = g.events[j];
                        c->candidates.push_back({p.id(), p.type, conflictValue(p), p.actor});
                    }
                }
                // e may extend a branch already listed: replace its ancestor there.
                bool extendsInEffect = false;
                for (std::size_t ci = 0; ci < c->candidates.size(); ++ci) {
                    const auto& cand = c->candidates[ci];
                    for (std::size_t j = 0; j < k; ++j)
                        if (g.ancestor[k][j] && g.events[j].id() == cand.eventId) {
                            c->candidates[ci] = {e.id(), e.type, conflictValue(e), e.actor};
                            extendsInEffect = ci == 0;
                        }
                }
                bool listed = std::any_of(c->candidates.begin(), c->candidates.end(),
                    [&](const ConflictCandidate& x) { return x.eventId == e.id(); });
                if (!listed)
                    c->candidates.push_back({e.id(), e.type, conflictValue(e), e.actor});
                if (!extendsInEffect)
                    continue;
                try {
                    CaseState probe = s;
                    probe.conflicts.clear(); // the group guard must not block its own branch
                    checkTransition(probe, e);
                    CaseState next = s;
                    applyChecked(next, e);
                    s = std::move(next);
                } catch (const DomainError& err) {
                    s.anomalies.push_back({e.id(), err.code()});
                }
                continue;
            }
            if (duplicate)
                continue; // the same intent reached twice concurrently: idempotent
        }
        if (e.type == T::ConflictResolved) {
            // A resolution picks one candidate; the others' branches are overruled.
            auto text = [&](const char* key) {
                const Json* v = e.body.isObject() ? e.body.get(key) : nullptr;
                return v && v->isString() ? v->asString() : std::string();
            };
            const CaseConflict* c = s.conflict(text("group"));
            std::string chosen = text("chosen");
            if (!c) {
                // Settled already: the losing side was overruled in this pass, or has not
                // reached this node yet (when it does, the same resolution applies).
                bool chosenKnown = false;
                bool chosenOverruled = false;
                for (std::size_t j = 0; j < k; ++j)
                    if (g.events[j].id() == chosen) {
                        chosenKnown = !overruled.count(j);
                        chosenOverruled = overruled.count(j) > 0;
                    }
                if (chosenKnown)
                    continue;
                if (chosenOverruled) {
                    // A concurrent resolution that chose differently and came later in
                    // canonical order: kept and shown, not applied.
                    s.anomalies.push_back({e.id(), "case.resolution_overruled"});
                    continue;
                }
            } else {
                std::size_t chosenIdx = n;
                for (std::size_t j = 0; j < k; ++j)
                    if (g.events[j].id() == chosen)
                        chosenIdx = j;
                if (chosenIdx != n) {
                    for (const auto& cand : c->candidates) {
                        if (cand.eventId == chosen)
                            continue;
                        for (std::size_t j = 0; j < k; ++j) {
                            bool onLosingBranch = g.events[j].id() == cand.eventId;
                            for (std::size_t x = 0; x < k && !onLosingBranch; ++x)
                                if (g.events[x].id() == cand.eventId && g.ancestor[x][j])
                                    onLosingBranch = true;
                            auto grp = conflictGroup(g.events[j].type);
                            if (onLosingBranch && grp && *grp == c->group && !g.ancestor[chosenIdx][j]
                                && j != chosenIdx && !overruled.count(j))
                                pass.newlyOverruled.insert(j);
                        }
                    }
                    if (!pass.newlyOverruled.empty())
                        return pass; // fold again without the losing branch
                }
            }
        }
        applyOrRecord(s, e);
    }
    // Leaves of the case graph: events no other event has as an ancestor.
    for (std::size_t k = 0; k < n; ++k) {
        bool isAncestor = false;
        for (std::size_t j = k + 1; j < n && !isAncestor; ++j)
            isAncestor = g.ancestor[j][k];
        if (!isAncestor)
            s.heads.push_back(g.events[k].id());
    }
    std::sort(s.heads.begin(), s.heads.end());
    if (g.cycle)
        s.anomalies.push_back({"", "case.cycle"});
    if (g.collision)
        s.anomalies.push_back({"", "case.id_collision"});
    return pass;
}

} // namespace

std::vector<Event> canonicalOrder(std::vector<Event> events)
{
    return buildGraph(std::move(events)).events;
}

CaseState foldCase(std::vector<Event> events)
{
    Graph g = buildGraph(std::move(events));
    std::set<std::size_t> overruled;
    // Each resolution can only add to the overruled set, so this ends.
    for (std::size_t round = 0; round <= g.events.size(); ++round) {
        Pass pass = foldPass(g, overruled);
        if (pass.newlyOverruled.empty())
            return pass.state;
        overruled.insert(pass.newlyOverruled.begin(), pass.newlyOverruled.end());
    }
    return foldPass(g, overruled).state;
}

FoldedCase foldCaseKeeping(std::vector<Event> events)
{
    FoldedCase fold;
    for (const auto& e : events) {
        fold.ids.insert(e.id());
        auto& last = fold.lastSeq[e.origin];
        last = std::max(last, e.seq);
    }
    for (const auto& e : events)
        for (const auto& h : e.heads)
            if (!fold.ids.count(h))
                fold.dangling.insert(h);
    fold.state = foldCase(std::move(events));
    return fold;
}

bool foldOnto(FoldedCase& fold, const Event& e)
{
    CaseState& s = fold.state;
    const std::string id = e.id();
    if (s.heads.empty() || e.type == T::ConflictResolved || fold.ids.count(id) || fold.dangling.count(id))
        return false;
    if (auto last = fold.lastSeq.find(e.origin); last != fold.lastSeq.end() && last->second >= e.seq)
        return false;
    for (const auto& a : s.anomalies)
        if (a.eventId.empty())
            return false; // a cycle or an id collision: only a whole fold says what follows
    for (const auto& h : s.heads)
        if (std::find(e.heads.begin(), e.heads.end(), h) == e.heads.end())
            return false;
    // The event descends from every event folded so far: a whole fold would place it last,
    // with no concurrent branch of any conflict group, and go on exactly from here.
    ++s.eventCount;
    s.lastHlc = std::max(s.lastHlc, e.hlc);
    if (!isKnownCaseEventType(e.type)) {
        ++s.unknownEvents;
    } else {
        applyOrRecord(s, e);
    }
    s.heads = {id};
    fold.ids.insert(id);
    fold.lastSeq[e.origin] = e.seq;
    for (const auto& h : e.heads)
        if (!fold.ids.count(h))
            fold.dangling.insert(h);
    return true;
}

} // namespace ow::model
