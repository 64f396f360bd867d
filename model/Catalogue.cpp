#include "model/Catalogue.h"

#include "model/Error.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace ow::model {

namespace {

[[noreturn]] void invalid(const std::string& path, const std::string& reason, const std::string& value = {})
{
    Facts facts{{"path", path}, {"reason", reason}};
    if (!value.empty())
        facts["value"] = value;
    throw DomainError("catalogue.invalid", facts);
}

bool isCodeChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

void checkCode(const std::string& path, const std::string& code)
{
    if (code.empty())
        invalid(path, "empty");
    if (code.size() > 64)
        invalid(path, "too_long", code.substr(0, 64));
    for (char c : code)
        if (!isCodeChar(c))
            invalid(path, "bad_character", code);
}

void checkName(const std::string& path, const std::string& name)
{
    if (name.empty())
        invalid(path, "empty");
    if (!isValidUtf8(name))
        invalid(path, "invalid_utf8");
    for (char c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            invalid(path, "control_character");
    if (name.size() > 400)
        invalid(path, "too_long");
}

void checkLimit(const std::string& path, const TimeLimit& limit)
{
    if (limit.days <= 0 || limit.days > 3650)
        invalid(path, "out_of_range", std::to_string(limit.days));
}

void validateMatter(const ServiceMatter& m, const std::string& path)
{
    checkCode(path + ".code", m.code);
    checkName(path + ".nameZh", m.nameZh);
    checkName(path + ".nameEn", m.nameEn);
    checkName(path + ".department", m.department);
    checkCode(path + ".category", m.category);
    checkLimit(path + ".statutoryLimit", m.statutoryLimit);
    checkLimit(path + ".promisedLimit", m.promisedLimit);
    // A promise longer than the law allows is a data-entry error; compare only like with like.
    if (m.promisedLimit.counting == m.statutoryLimit.counting && m.promisedLimit.days > m.statutoryLimit.days)
        invalid(path + ".promisedLimit", "exceeds_statutory", m.promisedLimit.toString());
    if (m.feeFen < 0)
        invalid(path + ".feeFen", "negative", std::to_string(m.feeFen));
    if (m.visitsPromised < 0 || m.visitsPromised > 10)
        invalid(path + ".visitsPromised", "out_of_range", std::to_string(m.visitsPromised));
    if (m.atMostOnce && m.visitsPromised > 1)
        invalid(path + ".visitsPromised", "at_most_once_needs_one_visit", std::to_string(m.visitsPromised));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < m.materials.size(); ++i) {
        const auto& mat = m.materials[i];
        std::string mp = path + ".materials[" + std::to_string(i) + "]";
        checkCode(mp + ".code", mat.code);
        checkName(mp + ".nameZh", mat.nameZh);
        checkName(mp + ".nameEn", mat.nameEn);
        if (mat.count < 1 || mat.count > 99)
            invalid(mp + ".count", "out_of_range", std::to_string(mat.count));
        if (!seen.insert(mat.code).second)
            invalid(mp + ".code", "duplicate", mat.code);
    }
}

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Typed field access that names the JSON path on failure.
const Json& field(const Json& obj, const std::string& path, const std::string& key)
{
    const Json* v = obj.get(key);
    if (!v)
        invalid(path + "." + key, "missing");
    return *v;
}

std::string stringField(const Json& obj, const std::string& path, const std::string& key)
{
    const Json& v = field(obj, path, key);
    if (!v.isString())
        invalid(path + "." + key, "not_a_string");
    return v.asString();
}

std::string optionalString(const Json& obj, const std::string& path, const std::string& key)
{
    const Json* v = obj.get(key);
    if (!v || v->isNull())
        return {};
    if (!v->isString())
        invalid(path + "." + key, "not_a_string");
    return v->asString();
}

std::int64_t intField(
    const Json& obj, const std::string& path, const std::string& key, std::int64_t def, bool required = false)
{
    const Json* v = obj.get(key);
    if (!v) {
        if (required)
            invalid(path + "." + key, "missing");
        return def;
    }
    if (!v->isInt())
        invalid(path + "." + key, "not_an_integer");
    return v->asInt();
}

bool boolField(const Json& obj, const std::string& path, const std::string& key, bool def)
{
    const Json* v = obj.get(key);
    if (!v)
        return def;
    if (!v->isBool())
        invalid(path + "." + key, "not_a_boolean");
    return v->asBool();
}

TimeLimit limitField(const Json& obj, const std::string& path, const std::string& key)
{
    std::string text = stringField(obj, path, key);
    auto limit = TimeLimit::parse(text);
    if (!limit)
        invalid(path + "." + key, "bad_time_limit", text);
    return *limit;
}

// A misspelt key would silently fall back to a default: refuse it instead.
void onlyKeys(const Json& obj, const std::string& path, std::initializer_list<const char*> keys)
{
    for (const auto& [key, value] : obj.asObject()) {
        bool known = false;
        for (const char* k : keys)
            known = known || key == k;
        if (!known)
            invalid(path + "." + key, "unknown_field");
    }
}

int smallInt(std::int64_t v, const std::string& path)
{
    if (v < -1000000 || v > 1000000)
        invalid(path, "out_of_range", std::to_string(v));
    return static_cast<int>(v);
}

} // namespace

std::string toString(MaterialForm f)
{
    return f == MaterialForm::Original ? "original" : "copy";
}

std::optional<MaterialForm> materialFormFromString(std::string_view s)
{
    if (s == "original")
        return MaterialForm::Original;
    if (s == "copy")
        return MaterialForm::Copy;
    return std::nullopt;
}

void Catalogue::addMatter(ServiceMatter matter)
{
    std::string path = "matters[" + matter.code + "]";
    validateMatter(matter, path);
    if (m_matters.count(matter.code))
        invalid(path + ".code", "duplicate", matter.code);
    std::string code = matter.code;
    m_matters.emplace(std::move(code), std::move(matter));
}

void Catalogue::addBundle(Bundle bundle)
{
    std::string path = "bundles[" + bundle.code + "]";
    checkCode(path + ".code", bundle.code);
    checkName(path + ".nameZh", bundle.nameZh);
    checkName(path + ".nameEn", bundle.nameEn);
    if (bundle.matterCodes.size() < 2)
        invalid(path + ".matters", "needs_two_or_more");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < bundle.matterCodes.size(); ++i) {
        const auto& code = bundle.matterCodes[i];
        if (!m_matters.count(code))
            invalid(path + ".matters[" + std::to_string(i) + "]", "unknown_matter", code);
        if (!seen.insert(code).second)
            invalid(path + ".matters[" + std::to_string(i) + "]", "duplicate", code);
    }
    if (m_bundles.count(bundle.code))
        invalid(path + ".code", "duplicate", bundle.code);
    std::string code = bundle.code;
    m_bundles.emplace(std::move(code), std::move(bundle));
}

const ServiceMatter* Catalogue::findMatter(const std::string& code) const
{
    auto it = m_matters.find(code);
    return it == m_matters.end() ? nullptr : &it->second;
}

const Bundle* Catalogue::findBundle(const std::string& code) const
{
    auto it = m_bundles.find(code);
    return it == m_bundles.end() ? nullptr : &it->second;
}

std::vector<const ServiceMatter*> Catalogue::searchMatters(const std::string& text, std::size_t limit) const
{
    std::vector<const ServiceMatter*> out;
    std::string needle = lower(text);
    for (const auto& [code, m] : m_matters) {
        if (out.size() >= limit)
            break;
        if (needle.empty() || lower(code).find(needle) != std::string::npos
            || m.nameZh.find(text) != std::string::npos || lower(m.nameEn).find(needle) != std::string::npos)
            out.push_back(&m);
    }
    return out;
}

std::vector<const ServiceMatter*> Catalogue::bundleMatters(const std::string& bundleCode) const
{
    const Bundle* b = findBundle(bundleCode);
    if (!b)
        throw DomainError("catalogue.unknown_bundle", {{"code", bundleCode}});
    std::vector<const ServiceMatter*> out;
    for (const auto& code : b->matterCodes)
        out.push_back(findMatter(code));
    return out;
}

std::vector<MergedMaterial> Catalogue::mergedMaterials(const std::vector<std::string>& matterCodes) const
{
    std::vector<const ServiceMatter*> ms;
    for (const auto& code : matterCodes) {
        const ServiceMatter* m = findMatter(code);
        if (!m)
            throw DomainError("catalogue.unknown_matter", {{"code", code}});
        ms.push_back(m);
    }
    return mergeMaterials(ms);
}

std::vector<MergedMaterial> mergeMaterials(const std::vector<const ServiceMatter*>& matters)
{
    std::vector<MergedMaterial> out;
    std::map<std::string, std::size_t> index;
    for (const ServiceMatter* m : matters) {
        for (const Material& mat : m->materials) {
            auto it = index.find(mat.code);
            if (it == index.end()) {
                index.emplace(mat.code, out.size());
                out.push_back({mat, {m->code}});
                continue;
            }
            MergedMaterial& merged = out[it->second];
            Material& have = merged.material;
            if (mat.form == MaterialForm::Original)
                have.form = MaterialForm::Original;
            have.count = std::max(have.count, mat.count);
            have.mandatory = have.mandatory || mat.mandatory;
            // Data sharing only spares the applicant if every requiring matter accepts it.
            have.dataShared = have.dataShared && mat.dataShared;
            if (std::find(merged.requiredBy.begin(), merged.requiredBy.end(), m->code)
                == merged.requiredBy.end())
                merged.requiredBy.push_back(m->code);
        }
    }
    return out;
}

Json toJson(const Material& m)
{
    Json j = Json::object();
    j["code"] = m.code;
    j["nameZh"] = m.nameZh;
    j["nameEn"] = m.nameEn;
    j["form"] = toString(m.form);
    j["count"] = static_cast<std::int64_t>(m.count);
    j["mandatory"] = m.mandatory;
    j["dataShared"] = m.dataShared;
    return j;
}

Json toJson(const ServiceMatter& m)
{
    Json j = Json::object();
    j["code"] = m.code;
    j["nameZh"] = m.nameZh;
    j["nameEn"] = m.nameEn;
    j["department"] = m.department;
    j["category"] = m.category;
    j["statutoryLimit"] = m.statutoryLimit.toString();
    j["promisedLimit"] = m.promisedLimit.toString();
    j["feeFen"] = m.feeFen;
    j["atMostOnce"] = m.atMostOnce;
    j["onlineAble"] = m.onlineAble;
    j["immediate"] = m.immediate;
    j["visitsPromised"] = static_cast<std::int64_t>(m.visitsPromised);
    Json mats = Json::array();
    for (const auto& mat : m.materials)
        mats.push_back(toJson(mat));
    j["materials"] = mats;
    return j;
}

Json toJson(const Bundle& b)
{
    Json j = Json::object();
    j["code"] = b.code;
    j["nameZh"] = b.nameZh;
    j["nameEn"] = b.nameEn;
    Json ms = Json::array();
    for (const auto& c : b.matterCodes)
        ms.push_back(Json(c));
    j["matters"] = ms;
    return j;
}

Json Catalogue::toJson() const
{
    Json j = Json::object();
    Json ms = Json::array();
    for (const auto& [code, m] : m_matters)
        ms.push_back(model::toJson(m));
    Json bs = Json::array();
    for (const auto& [code, b] : m_bundles)
        bs.push_back(model::toJson(b));
    j["matters"] = ms;
    j["bundles"] = bs;
    return j;
}

Catalogue Catalogue::fromJson(const Json& doc)
{
    if (!doc.isObject())
        invalid("$", "not_an_object");
    onlyKeys(doc, "$", {"matters", "bundles"});
    Catalogue cat;
    if (const Json* matters = doc.get("matters")) {
        if (!matters->isArray())
            invalid("matters", "not_an_array");
        const auto& arr = matters->asArray();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            std::string path = "matters[" + std::to_string(i) + "]";
            const Json& j = arr[i];
            if (!j.isObject())
                invalid(path, "not_an_object");
            onlyKeys(j, path,
                {"code", "nameZh", "nameEn", "department", "category", "statutoryLimit", "promisedLimit",
                    "feeFen", "atMostOnce", "onlineAble", "immediate", "visitsPromised", "materials"});
            ServiceMatter m;
            m.code = stringField(j, path, "code");
            checkCode(path + ".code", m.code); // before the other fields: the code names the row
            m.nameZh = stringField(j, path, "nameZh");
            m.nameEn = stringField(j, path, "nameEn");
            m.department = stringField(j, path, "department");
            m.category = stringField(j, path, "category");
            m.statutoryLimit = limitField(j, path, "statutoryLimit");
            m.promisedLimit = limitField(j, path, "promisedLimit");
            m.feeFen = intField(j, path, "feeFen", 0);
            m.atMostOnce = boolField(j, path, "atMostOnce", true);
            m.onlineAble = boolField(j, path, "onlineAble", false);
            m.immediate = boolField(j, path, "immediate", false);
            m.visitsPromised = smallInt(intField(j, path, "visitsPromised", 1), path + ".visitsPromised");
            if (const Json* mats = j.get("materials")) {
                if (!mats->isArray())
                    invalid(path + ".materials", "not_an_array");
                const auto& marr = mats->asArray();
                for (std::size_t k = 0; k < marr.size(); ++k) {
                    std::string mp = path + ".materials[" + std::to_string(k) + "]";
                    const Json& mj = marr[k];
                    if (!mj.isObject())
                        invalid(mp, "not_an_object");
                    onlyKeys(
                        mj, mp, {"code", "nameZh", "nameEn", "form", "count", "mandatory", "dataShared"});
                    Material mat;
                    mat.code = stringField(mj, mp, "code");
                    mat.nameZh = stringField(mj, mp, "nameZh");
                    mat.nameEn = stringField(mj, mp, "nameEn");
                    std::string form = optionalString(mj, mp, "form");
                    if (!form.empty()) {
                        auto f = materialFormFromString(form);
                        if (!f)
                            invalid(mp + ".form", "unknown_value", form);
                        mat.form = *f;
                    }
                    mat.count = smallInt(intField(mj, mp, "count", 1), mp + ".count");
                    mat.mandatory = boolField(mj, mp, "mandatory", true);
                    mat.dataShared = boolField(mj, mp, "dataShared", false);
                    m.materials.push_back(std::move(mat));
                }
            }
            // Report problems under the document's own index, not the code.
            validateMatter(m, path);
            if (cat.m_matters.count(m.code))
                invalid(path + ".code", "duplicate", m.code);
            std::string code = m.code;
            cat.m_matters.emplace(std::move(code), std::move(m));
        }
    }
    if (const Json* bundles = doc.get("bundles")) {
        if (!bundles->isArray())
            invalid("bundles", "not_an_array");
        const auto& arr = bundles->asArray();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            std::string path = "bundles[" + std::to_string(i) + "]";
            const Json& j = arr[i];
            if (!j.isObject())
                invalid(path, "not_an_object");
            onlyKeys(j, path, {"code", "nameZh", "nameEn", "matters"});
            Bundle b;
            b.code = stringField(j, path, "code");
            b.nameZh = stringField(j, path, "nameZh");
            b.nameEn = stringField(j, path, "nameEn");
            const Json& ms = field(j, path, "matters");
            if (!ms.isArray())
                invalid(path + ".matters", "not_an_array");
            for (std::size_t k = 0; k < ms.asArray().size(); ++k) {
                const Json& c = ms.asArray()[k];
                if (!c.isString())
                    invalid(path + ".matters[" + std::to_string(k) + "]", "not_a_string");
                b.matterCodes.push_back(c.asString());
            }
            try {
                cat.addBundle(b);
            } catch (const DomainError& e) {
                // Re-anchor the path on the document index.
                std::string p = e.fact("path");
                std::string prefix = "bundles[" + b.code + "]";
                if (p.rfind(prefix, 0) == 0)
                    p = path + p.substr(prefix.size());
                Facts f = e.facts();
                f["path"] = p;
                throw DomainError(e.code(), f);
            }
        }
    }
    return cat;
}

} // namespace ow::model
