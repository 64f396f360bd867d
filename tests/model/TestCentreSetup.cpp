#include "model/CentreSetup.h"
#include "model/Error.h"

#include <catch2/catch.hpp>
#include <set>

using namespace ow::model;

TEST_CASE("centre: the demo hall has categories A-F and windows W01-W12", "[centre]")
{
    auto cats = demoCategories();
    REQUIRE(cats.size() == 6);
    CHECK(cats.front().code == "A");
    auto windows = demoWindows();
    REQUIRE(windows.size() == 12);
    CHECK(windows.front().code == "W01");
    CHECK(windows.back().code == "W12");
    std::set<std::string> served;
    for (const auto& w : windows)
        served.insert(w.categories.begin(), w.categories.end());
    CHECK(served == std::set<std::string>{"A", "B", "C", "D", "E", "F"});
}

TEST_CASE("centre: a general window serves every matter, others only their category", "[centre]")
{
    ServiceMatter estate;
    estate.category = "B";
    ServiceMatter licence;
    licence.category = "C";
    ServiceWindow general{"W01", "1号窗口", {"A"}, true};
    ServiceWindow estateWindow{"W03", "3号窗口", {"B"}, true};
    CHECK(windowServes(general, estate));
    CHECK(windowServes(general, licence));
    CHECK(windowServes(estateWindow, estate));
    CHECK_FALSE(windowServes(estateWindow, licence));
    estateWindow.active = false;
    CHECK_FALSE(windowServes(estateWindow, estate));
}

TEST_CASE("centre: windows and categories round-trip through JSON and reject bad input", "[centre]")
{
    for (const auto& w : demoWindows())
        CHECK(toJson(serviceWindowFromJson(toJson(w))) == toJson(w));
    for (const auto& c : demoCategories())
        CHECK(toJson(queueCategoryFromJson(toJson(c))) == toJson(c));
    auto reasonOf = [](const Json& j, bool window) {
        try {
            if (window)
                serviceWindowFromJson(j);
            else
                queueCategoryFromJson(j);
        } catch (const DomainError& e) {
            return e.fact("path") + ":" + e.fact("reason");
        }
        return std::string("accepted");
    };
    Json w = toJson(demoWindows().front());
    w["code"] = "X1";
    CHECK(reasonOf(w, true) == "window.code:bad_format");
    w = toJson(demoWindows().front());
    w["categories"] = Json::array();
    CHECK(reasonOf(w, true) == "window.categories:missing");
    w["categories"].push_back(Json("ab"));
    CHECK(reasonOf(w, true) == "window.categories:bad_category");
    Json c = toJson(demoCategories().front());
    c["lastNumber"] = 1000;
    CHECK(reasonOf(c, false) == "category.numbers:bad_range");
    c.asObject().erase("nameZh");
    CHECK(reasonOf(c, false) == "category.nameZh:missing");
}
