#include "model/CentreSetup.h"

#include "model/CaseNumber.h"
#include "model/Error.h"

#include <algorithm>

namespace ow::model {

namespace {

[[noreturn]] void invalid(const std::string& path, const std::string& reason)
{
    throw DomainError("centre.invalid", {{"path", path}, {"reason", reason}});
}

std::string text(const Json& j, const std::string& key, const std::string& path, bool required)
{
    const Json* v = j.isObject() ? j.get(key) : nullptr;
    if (!v || v->isNull()) {
        if (required)
            invalid(path + "." + key, "missing");
        return {};
    }
    if (!v->isString())
        invalid(path + "." + key, "not_a_string");
    return v->asString();
}

bool isCategoryCode(const std::string& c)
{
    return c.size() == 1 && c[0] >= 'A' && c[0] <= 'Z';
}

} // namespace

bool windowServes(const ServiceWindow& window, const ServiceMatter& matter)
{
    if (!window.active)
        return false;
    return std::any_of(window.categories.begin(), window.categories.end(),
        [&](const std::string& c) { return c == kGeneralCategory || c == matter.category; });
}

Json toJson(const QueueCategory& c)
{
    Json j = Json::object();
    j["code"] = c.code;
    j["nameZh"] = c.nameZh;
    j["nameEn"] = c.nameEn;
    j["firstNumber"] = c.firstNumber;
    j["lastNumber"] = c.lastNumber;
    return j;
}

Json toJson(const ServiceWindow& w)
{
    Json j = Json::object();
    j["code"] = w.code;
    j["nameZh"] = w.nameZh;
    Json cats = Json::array();
    for (const auto& c : w.categories)
        cats.push_back(Json(c));
    j["categories"] = cats;
    j["active"] = w.active;
    return j;
}

QueueCategory queueCategoryFromJson(const Json& j)
{
    QueueCategory c;
    c.code = text(j, "code", "category", true);
    if (!isCategoryCode(c.code))
        invalid("category.code", "bad_format");
    c.nameZh = text(j, "nameZh", "category", true);
    c.nameEn = text(j, "nameEn", "category", false);
    c.firstNumber = static_cast<int>(j.getInt("firstNumber", 1));
    c.lastNumber = static_cast<int>(j.getInt("lastNumber", 499));
    if (c.firstNumber < 1 || c.lastNumber > 999 || c.firstNumber > c.lastNumber)
        invalid("category.numbers", "bad_range");
    return c;
}

ServiceWindow serviceWindowFromJson(const Json& j)
{
    ServiceWindow w;
    w.code = text(j, "code", "window", true);
    if (!isValidWorkstationCode(w.code))
        invalid("window.code", "bad_format");
    w.nameZh = text(j, "nameZh", "window", false);
    if (const Json* cats = j.get("categories"); cats && cats->isArray())
        for (const auto& c : cats->asArray()) {
            if (!c.isString() || !isCategoryCode(c.asString()))
                invalid("window.categories", "bad_category");
            w.categories.push_back(c.asString());
        }
    if (w.categories.empty())
        invalid("window.categories", "missing");
    w.active = j.getBool("active", true);
    return w;
}

std::vector<QueueCategory> demoCategories()
{
    return {
        {"A", "综合受理", "General (every matter)", 1, 499},
        {"B", "不动产登记", "Real estate", 1, 499},
        {"C", "企业开办与许可", "Enterprises and licences", 1, 499},
        {"D", "社保医保公积金", "Social security, medical insurance, housing fund", 1, 499},
        {"E", "公安与民政", "Public security and civil affairs", 1, 499},
        {"F", "工程建设与投资", "Construction and investment", 1, 499},
    };
}

std::vector<ServiceWindow> demoWindows()
{
    // Two general windows, then two for each specialised category.
    const char* cats[] = {"A", "A", "B", "B", "C", "C", "D", "D", "E", "E", "F", "F"};
    std::vector<ServiceWindow> out;
    for (int i = 0; i < 12; ++i) {
        std::string code = (i < 9 ? "W0" : "W") + std::to_string(i + 1);
        out.push_back({code, std::to_string(i + 1) + "号窗口", {cats[i]}, true});
    }
    return out;
}

} // namespace ow::model
