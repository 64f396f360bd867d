// How a centre's hall is organised: queue categories (A–F, each with its ticket number
// band) and the windows that serve them. Replicated as centre.* events like the
// catalogue, so every node derives the same setup.
#pragma once

#include "model/Catalogue.h"
#include "model/Json.h"

#include <string>
#include <vector>

namespace ow::model {

// The category that serves every matter (综合窗口).
inline constexpr const char* kGeneralCategory = "A";

struct QueueCategory {
    std::string code; // one letter, "A"–"Z"
    std::string nameZh;
    std::string nameEn;
    int firstNumber = 1; // ticket band, e.g. A001–A499
    int lastNumber = 499;
};

struct ServiceWindow {
    std::string code; // "W01"
    std::string nameZh;
    std::vector<std::string> categories;
    bool active = true;
};

// A window serves a matter when it serves the matter's category or the general one.
bool windowServes(const ServiceWindow& window, const ServiceMatter& matter);

Json toJson(const QueueCategory&);
Json toJson(const ServiceWindow&);
// Throw DomainError "centre.invalid" (facts path, reason).
QueueCategory queueCategoryFromJson(const Json&);
ServiceWindow serviceWindowFromJson(const Json&);

// The demo centre: categories A–F (A serves every matter) and windows W01–W12.
std::vector<QueueCategory> demoCategories();
std::vector<ServiceWindow> demoWindows();

} // namespace ow::model
