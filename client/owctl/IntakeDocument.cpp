#include "IntakeDocument.h"

#include "model/Identity.h"

#include <algorithm>
#include <set>

namespace ow::owctl {

namespace {

using model::Json;

[[noreturn]] void invalid(
    const std::string& path, const std::string& reason, const std::string& expected = {})
{
    model::Facts facts{{"path", path}, {"reason", reason}};
    if (!expected.empty())
        facts["expected"] = expected;
    throw model::DomainError("intake.document", facts);
}

std::string join(const std::string& path, const std::string& key)
{
    return path.empty() ? key : path + "." + key;
}

void requireObject(const Json& j, const std::string& path)
{
    if (!j.isObject())
        invalid(path.empty() ? "$" : path, "not_an_object");
}

void onlyKeys(const Json& j, const std::string& path, const std::set<std::string>& allowed)
{
    for (const auto& [key, value] : j.asObject())
        if (!allowed.count(key))
            invalid(join(path, key), "unknown_field");
}

std::string text(const Json& j, const std::string& path, const std::string& key, bool required)
{
    const Json* v = j.get(key);
    if (!v || v->isNull()) {
        if (required)
            invalid(join(path, key), "missing");
        return {};
    }
    if (!v->isString())
        invalid(join(path, key), "not_a_string");
    return v->asString();
}

bool flag(const Json& j, const std::string& path, const std::string& key)
{
    const Json* v = j.get(key);
    if (!v || v->isNull())
        return false;
    if (!v->isBool())
        invalid(join(path, key), "not_a_boolean");
    return v->asBool();
}

std::optional<std::vector<std::string>> texts(const Json& j, const std::string& path, const std::string& key)
{
    const Json* v = j.get(key);
    if (!v || v->isNull())
        return std::nullopt;
    if (!v->isArray())
        invalid(join(path, key), "not_an_array");
    std::vector<std::string> out;
    const auto& arr = v->asArray();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        std::string at = join(path, key) + "[" + std::to_string(i) + "]";
        if (!arr[i].isString())
            invalid(at, "not_a_string");
        if (arr[i].asString().empty())
            invalid(at, "empty");
        out.push_back(arr[i].asString());
    }
    return out;
}

model::IdKind idKind(const Json& j, const std::string& path, model::IdKind fallback)
{
    std::string name = text(j, path, "idKind", false);
    if (name.empty())
        return fallback;
    auto kind = model::idKindFromString(name);
    if (!kind)
        invalid(join(path, "idKind"), "unknown_value",
            "resident_id|hk_macao_permit|taiwan_permit|foreign_pr_id|uscc|passport");
    return *kind;
}

model::Agent parseAgent(const Json& j, const std::string& path)
{
    requireObject(j, path);
    onlyKeys(j, path, {"name", "idKind", "idNumber", "phone", "authorisation"});
    model::Agent a;
    a.name = text(j, path, "name", true);
    a.idKind = idKind(j, path, model::IdKind::ResidentId);
    a.idNumber = text(j, path, "idNumber", true);
    a.phone = text(j, path, "phone", false);
    a.authorisation = text(j, path, "authorisation", false);
    return a;
}

model::Applicant parseApplicant(const Json& j, const std::string& path)
{
    requireObject(j, path);
    onlyKeys(j, path,
        {"type", "name", "idKind", "idNumber", "phone", "agent", "assisted", "delivery", "postalAddress",
            "legalRepresentative"});
    model::Applicant a;
    std::string type = text(j, path, "type", false);
    if (!type.empty()) {
        auto t = model::applicantTypeFromString(type);
        if (!t)
            invalid(join(path, "type"), "unknown_value", "person|enterprise");
        a.type = *t;
    }
    a.name = text(j, path, "name", true);
    a.idKind = idKind(j, path,
        a.type == model::ApplicantType::Enterprise ? model::IdKind::UnifiedSocialCreditCode
                                                   : model::IdKind::ResidentId);
    a.idNumber = text(j, path, "idNumber", true);
    a.phone = text(j, path, "phone", false);
    if (const Json* agent = j.get("agent"); agent && !agent->isNull())
        a.agent = parseAgent(*agent, join(path, "agent"));
    a.assisted = flag(j, path, "assisted");
    std::string delivery = text(j, path, "delivery", false);
    if (!delivery.empty()) {
        auto d = model::deliveryMethodFromString(delivery);
        if (!d)
            invalid(join(path, "delivery"), "unknown_value", "window|post|e_licence");
        a.delivery = *d;
    }
    a.postalAddress = text(j, path, "postalAddress", false);
    a.legalRepresentative = text(j, path, "legalRepresentative", false);
    return a;
}

IntakeDecision parseDecision(const Json& j, const std::string& path)
{
    IntakeDecision d;
    if (j.isNull())
        return d;
    if (j.isString()) { // "accept" as a shorthand for {"kind": "accept"}
        Json wrapped = Json::object();
        wrapped["kind"] = j.asString();
        return parseDecision(wrapped, path);
    }
    requireObject(j, path);
    const std::string kind = text(j, path, "kind", true);
    if (kind == "none") {
        onlyKeys(j, path, {"kind"});
    } else if (kind == "accept") {
        onlyKeys(j, path, {"kind"});
        d.kind = DecisionKind::Accept;
    } else if (kind == "accept_deficient") {
        onlyKeys(j, path, {"kind", "missing", "commitmentDue"});
        d.kind = DecisionKind::AcceptDeficient;
        d.missing = texts(j, path, "missing");
        const Json* due = j.get("commitmentDue");
        if (!due || due->isNull())
            invalid(join(path, "commitmentDue"), "missing");
        if (due->isInt()) {
            if (due->asInt() < 1 || due->asInt() > 3650)
                invalid(join(path, "commitmentDue"), "out_of_range", "1-3650 days or YYYY-MM-DD");
            d.commitmentDueInDays = static_cast<int>(due->asInt());
        } else if (due->isString()) {
            d.commitmentDue = model::Date::fromIso(due->asString());
            if (!d.commitmentDue)
                invalid(join(path, "commitmentDue"), "not_a_date", "YYYY-MM-DD");
        } else {
            invalid(join(path, "commitmentDue"), "not_a_date", "YYYY-MM-DD or a number of days");
        }
    } else if (kind == "notice") {
        onlyKeys(j, path, {"kind", "items"});
        d.kind = DecisionKind::Notice;
        d.items = texts(j, path, "items");
    } else if (kind == "refuse") {
        onlyKeys(j, path, {"kind", "reason", "legalBasis"});
        d.kind = DecisionKind::Refuse;
        d.reason = text(j, path, "reason", true);
        d.legalBasis = text(j, path, "legalBasis", true);
        if (d.reason.empty())
            invalid(join(path, "reason"), "empty");
        if (d.legalBasis.empty())
            invalid(join(path, "legalBasis"), "empty");
    } else {
        invalid(join(path, "kind"), "unknown_value", "accept|accept_deficient|notice|refuse|none");
    }
    return d;
}

} // namespace

IntakeDocument parseIntakeDocument(const Json& j)
{
    requireObject(j, "");
    onlyKeys(j, "", {"applicant", "matters", "bundle", "materialsReceived", "decision", "window", "clerk"});
    IntakeDocument doc;
    const Json* applicant = j.get("applicant");
    if (!applicant || applicant->isNull())
        invalid("applicant", "missing");
    doc.request.applicant = parseApplicant(*applicant, "applicant");
    doc.request.matterCodes = texts(j, "", "matters").value_or(std::vector<std::string>{});
    doc.request.bundleCode = text(j, "", "bundle", false);
    if (doc.request.matterCodes.empty() && doc.request.bundleCode.empty())
        invalid("matters", "missing", "a list of matter codes, or a bundle");
    doc.request.receivedMaterials = texts(j, "", "materialsReceived").value_or(std::vector<std::string>{});
    doc.request.window = text(j, "", "window", false);
    if (!doc.request.window.empty()
        && (doc.request.window.size() < 3 || doc.request.window.size() > 5 || doc.request.window[0] != 'W'
            || !std::all_of(doc.request.window.begin() + 1, doc.request.window.end(),
                [](char c) { return c >= '0' && c <= '9'; })))
        invalid("window", "bad_format", "W followed by 2-4 digits, e.g. W03");
    doc.clerk = text(j, "", "clerk", false);
    if (const Json* decision = j.get("decision"))
        doc.decision = parseDecision(*decision, "decision");
    return doc;
}

} // namespace ow::owctl
