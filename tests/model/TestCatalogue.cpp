#include "model/Catalogue.h"
#include "model/Error.h"

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

// Source files stay ASCII; UTF-8 text is spelled in bytes.
const std::string kDengJi = "\xE7\x99\xBB\xE8\xAE\xB0"; // U+767B U+8BB0 "registration"
const std::string kQiShui = "\xE5\xA5\x91\xE7\xA8\x8E"; // U+5951 U+7A0E "deed tax"
const std::string kShiXiang = "\xE4\xBA\x8B\xE9\xA1\xB9"; // U+4E8B U+9879 "matter"
const std::string kCaiLiao = "\xE6\x9D\x90\xE6\x96\x99"; // U+6750 U+6599 "material"

struct Failure {
    std::string code;
    std::string path;
    std::string reason;
    std::string value;
};

Failure failureOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const DomainError& e) {
        return {e.code(), e.fact("path"), e.fact("reason"), e.fact("value")};
    }
    return {"no error", "", "", ""};
}

Json materialJson(const std::string& code, const std::string& form)
{
    Json m = Json::object();
    m["code"] = code;
    m["nameZh"] = kCaiLiao + code;
    m["nameEn"] = "Material " + code;
    m["form"] = form;
    m["count"] = 1;
    m["mandatory"] = true;
    m["dataShared"] = false;
    return m;
}

Json matterJson(const std::string& code, const std::string& statutory, const std::string& promised)
{
    Json m = Json::object();
    m["code"] = code;
    m["nameZh"] = kShiXiang + code;
    m["nameEn"] = "Matter " + code;
    m["department"] = "Department of " + code;
    m["category"] = "A";
    m["statutoryLimit"] = statutory;
    m["promisedLimit"] = promised;
    m["feeFen"] = 100;
    m["atMostOnce"] = true;
    m["onlineAble"] = false;
    m["immediate"] = false;
    m["visitsPromised"] = 1;
    m["materials"] = Json::Array{materialJson("id_card", "original"), materialJson("form_a", "copy")};
    return m;
}

// A small valid document that each error case below breaks in one place.
Json validDocument()
{
    Json doc = Json::object();
    doc["matters"] = Json::Array{matterJson("M-1", "20wd", "5wd"), matterJson("M-2", "10cd", "10cd")};
    Json bundle = Json::object();
    bundle["code"] = "B-1";
    bundle["nameZh"] = kShiXiang;
    bundle["nameEn"] = "Bundle one";
    bundle["matters"] = Json::Array{"M-1", "M-2"};
    doc["bundles"] = Json::Array{bundle};
    return doc;
}

Json& matter(Json& doc, std::size_t i)
{
    return doc["matters"].asArray()[i];
}
Json& material(Json& doc, std::size_t i, std::size_t k)
{
    return matter(doc, i)["materials"].asArray()[k];
}
Json& bundleAt(Json& doc, std::size_t i)
{
    return doc["bundles"].asArray()[i];
}

ServiceMatter simpleMatter(const std::string& code, std::vector<Material> materials)
{
    ServiceMatter m;
    m.code = code;
    m.nameZh = kShiXiang + code;
    m.nameEn = "Matter " + code;
    m.department = "Dept";
    m.category = "A";
    m.statutoryLimit = {10, DayCounting::Working};
    m.promisedLimit = {5, DayCounting::Working};
    m.materials = std::move(materials);
    return m;
}

Material mat(const std::string& code, MaterialForm form, int count, bool mandatory, bool dataShared)
{
    return {code, kCaiLiao + code, "Material " + code, form, count, mandatory, dataShared};
}

std::vector<std::string> codesOf(const std::vector<const ServiceMatter*>& ms)
{
    std::vector<std::string> out;
    for (const auto* m : ms)
        out.push_back(m->code);
    return out;
}

const MergedMaterial* find(const std::vector<MergedMaterial>& merged, const std::string& code)
{
    for (const auto& m : merged)
        if (m.material.code == code)
            return &m;
    return nullptr;
}

} // namespace

TEST_CASE("catalogue: the demo catalogue is valid", "[catalogue]")
{
    Catalogue demo = demoCatalogue();
    CHECK(demo.matters().size() == 7);
    CHECK(demo.bundles().size() == 2);
    // Valid by the import rules too, not only by addMatter/addBundle.
    REQUIRE_NOTHROW(Catalogue::fromJson(demo.toJson()));

    for (const auto& [code, m] : demo.matters()) {
        INFO(code);
        CHECK(code == m.code);
        CHECK(m.statutoryLimit.days > 0);
        if (m.promisedLimit.counting == m.statutoryLimit.counting)
            CHECK(m.promisedLimit.days <= m.statutoryLimit.days);
        CHECK(!m.materials.empty());
    }
    for (const auto& [code, b] : demo.bundles()) {
        INFO(code);
        CHECK(b.matterCodes.size() >= 2);
        for (const auto& mc : b.matterCodes)
            CHECK(demo.findMatter(mc) != nullptr);
    }
    const ServiceMatter* filing = demo.findMatter("330102-FGW-001");
    REQUIRE(filing);
    CHECK(filing->statutoryLimit == TimeLimit{100, DayCounting::Calendar});
    CHECK(codesOf(demo.bundleMatters("330102-YJS-001"))
        == std::vector<std::string>{"330102-BDC-001", "330102-SW-001", "330102-SDQ-001"});
    CHECK(failureOf([&] { demo.bundleMatters("330102-YJS-999"); }).code == "catalogue.unknown_bundle");
    CHECK(demo.findMatter("nope") == nullptr);
    CHECK(demo.findBundle("330102-YJS-002") != nullptr);
}

TEST_CASE("catalogue: toJson and fromJson round-trip", "[catalogue]")
{
    Catalogue demo = demoCatalogue();
    const Json doc = demo.toJson();
    Catalogue back = Catalogue::fromJson(doc);
    CHECK(back.toJson() == doc);
    CHECK(back.toJson().canonical() == doc.canonical());
    CHECK(back.matters().size() == demo.matters().size());
    CHECK(back.bundles().size() == demo.bundles().size());

    // Through the text form, as the catalogue travels as a replicated document.
    Catalogue fromText = Catalogue::fromJson(Json::parse(doc.canonical()));
    CHECK(fromText.toJson() == doc);

    const ServiceMatter* a = demo.findMatter("330102-BDC-001");
    const ServiceMatter* b = back.findMatter("330102-BDC-001");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->nameZh == a->nameZh);
    CHECK(b->statutoryLimit == a->statutoryLimit);
    CHECK(b->promisedLimit == a->promisedLimit);
    CHECK(b->feeFen == 8000);
    CHECK(b->onlineAble == a->onlineAble);
    REQUIRE(b->materials.size() == a->materials.size());
    for (std::size_t i = 0; i < a->materials.size(); ++i) {
        CHECK(b->materials[i].code == a->materials[i].code);
        CHECK(b->materials[i].form == a->materials[i].form);
        CHECK(b->materials[i].count == a->materials[i].count);
        CHECK(b->materials[i].mandatory == a->materials[i].mandatory);
        CHECK(b->materials[i].dataShared == a->materials[i].dataShared);
    }

    // Optional members take their defaults.
    Json minimal = Json::object();
    Json m = Json::object();
    m["code"] = "M-9";
    m["nameZh"] = kShiXiang;
    m["nameEn"] = "Minimal";
    m["department"] = "Dept";
    m["category"] = "C";
    m["statutoryLimit"] = "3wd";
    m["promisedLimit"] = "1wd";
    Json x = Json::object();
    x["code"] = "x";
    x["nameZh"] = kCaiLiao;
    x["nameEn"] = "X";
    m["materials"] = Json::Array{x};
    minimal["matters"] = Json::Array{m};
    Catalogue cat = Catalogue::fromJson(minimal);
    const ServiceMatter* got = cat.findMatter("M-9");
    REQUIRE(got);
    CHECK(got->feeFen == 0);
    CHECK(got->atMostOnce);
    CHECK_FALSE(got->onlineAble);
    CHECK_FALSE(got->immediate);
    CHECK(got->visitsPromised == 1);
    REQUIRE(got->materials.size() == 1);
    CHECK(got->materials[0].form == MaterialForm::Original);
    CHECK(got->materials[0].count == 1);
    CHECK(got->materials[0].mandatory);
    CHECK_FALSE(got->materials[0].dataShared);
    CHECK(cat.bundles().empty());
    CHECK(Catalogue::fromJson(Json::object()).matters().empty());
}

TEST_CASE("catalogue: every import error names its JSON path and reason", "[catalogue]")
{
    REQUIRE_NOTHROW(Catalogue::fromJson(validDocument()));

    struct Bad {
        const char* what;
        std::function<void(Json&)> edit;
        const char* path;
        const char* reason;
    };
    const std::vector<Bad> cases = {
        // Shape of the document.
        {"matters not an array", [](Json& d) { d["matters"] = Json::object(); }, "matters", "not_an_array"},
        {"matter not an object", [](Json& d) { matter(d, 1) = "M-2"; }, "matters[1]", "not_an_object"},
        {"bundles not an array", [](Json& d) { d["bundles"] = "B-1"; }, "bundles", "not_an_array"},
        {"bundle not an object", [](Json& d) { bundleAt(d, 0) = Json::array(); }, "bundles[0]",
            "not_an_object"},
        // Unknown (misspelt) fields are refused rather than defaulted.
        {"misspelt matter key", [](Json& d) { matter(d, 0)["visitPromised"] = 2; },
            "matters[0].visitPromised", "unknown_field"},
        {"misspelt material key", [](Json& d) { material(d, 0, 1)["mandatroy"] = false; },
            "matters[0].materials[1].mandatroy", "unknown_field"},
        {"unknown top-level key", [](Json& d) { d["matter"] = Json::array(); }, "$.matter", "unknown_field"},
        {"unknown bundle key", [](Json& d) { bundleAt(d, 0)["items"] = Json::array(); }, "bundles[0].items",
            "unknown_field"},
        // Missing fields.
        {"missing nameZh", [](Json& d) { matter(d, 0).asObject().erase("nameZh"); }, "matters[0].nameZh",
            "missing"},
        {"missing code", [](Json& d) { matter(d, 1).asObject().erase("code"); }, "matters[1].code",
            "missing"},
        {"missing statutory limit", [](Json& d) { matter(d, 1).asObject().erase("statutoryLimit"); },
            "matters[1].statutoryLimit", "missing"},
        {"missing material name", [](Json& d) { material(d, 0, 1).asObject().erase("nameEn"); },
            "matters[0].materials[1].nameEn", "missing"},
        {"missing bundle matters", [](Json& d) { bundleAt(d, 0).asObject().erase("matters"); },
            "bundles[0].matters", "missing"},
        // Wrong types.
        {"code a number", [](Json& d) { matter(d, 0)["code"] = 5; }, "matters[0].code", "not_a_string"},
        {"fee a string", [](Json& d) { matter(d, 0)["feeFen"] = "100"; }, "matters[0].feeFen",
            "not_an_integer"},
        {"fee a double", [](Json& d) { matter(d, 0)["feeFen"] = 1.5; }, "matters[0].feeFen",
            "not_an_integer"},
        {"flag a string", [](Json& d) { matter(d, 1)["atMostOnce"] = "yes"; }, "matters[1].atMostOnce",
            "not_a_boolean"},
        {"flag a number", [](Json& d) { matter(d, 0)["immediate"] = 1; }, "matters[0].immediate",
            "not_a_boolean"},
        {"limit a number", [](Json& d) { matter(d, 0)["promisedLimit"] = 5; }, "matters[0].promisedLimit",
            "not_a_string"},
        {"materials an object", [](Json& d) { matter(d, 0)["materials"] = Json::object(); },
            "matters[0].materials", "not_an_array"},
        {"material a number", [](Json& d) { material(d, 0, 0) = 1; }, "matters[0].materials[0]",
            "not_an_object"},
        {"material count a string", [](Json& d) { material(d, 0, 0)["count"] = "2"; },
            "matters[0].materials[0].count", "not_an_integer"},
        {"material mandatory a string", [](Json& d) { material(d, 0, 0)["mandatory"] = "true"; },
            "matters[0].materials[0].mandatory", "not_a_boolean"},
        {"bundle matter a number", [](Json& d) { bundleAt(d, 0)["matters"].asArray()[0] = 3; },
            "bundles[0].matters[0]", "not_a_string"},
        // Bad values.
        {"limit with a space", [](Json& d) { matter(d, 0)["statutoryLimit"] = "20 wd"; },
            "matters[0].statutoryLimit", "bad_time_limit"},
        {"limit without unit", [](Json& d) { matter(d, 0)["statutoryLimit"] = "20"; },
            "matters[0].statutoryLimit", "bad_time_limit"},
        {"limit with a leading zero", [](Json& d) { matter(d, 0)["statutoryLimit"] = "020wd"; },
            "matters[0].statutoryLimit", "bad_time_limit"},
        {"limit of zero days", [](Json& d) { matter(d, 1)["promisedLimit"] = "0cd"; },
            "matters[1].promisedLimit", "bad_time_limit"},
        {"limit beyond ten years", [](Json& d) { matter(d, 0)["statutoryLimit"] = "3651wd"; },
            "matters[0].statutoryLimit", "bad_time_limit"},
        {"limit in months", [](Json& d) { matter(d, 0)["statutoryLimit"] = "2mo"; },
            "matters[0].statutoryLimit", "bad_time_limit"},
        {"promised beyond statutory", [](Json& d) { matter(d, 0)["promisedLimit"] = "21wd"; },
            "matters[0].promisedLimit", "exceeds_statutory"},
        {"promised beyond statutory (calendar days)", [](Json& d) { matter(d, 1)["promisedLimit"] = "11cd"; },
            "matters[1].promisedLimit", "exceeds_statutory"},
        {"duplicate matter code", [](Json& d) { matter(d, 1)["code"] = "M-1"; }, "matters[1].code",
            "duplicate"},
        {"at most once with two visits", [](Json& d) { matter(d, 0)["visitsPromised"] = 2; },
            "matters[0].visitsPromised", "at_most_once_needs_one_visit"},
        {"too many visits", [](Json& d) { matter(d, 0)["visitsPromised"] = 11; }, "matters[0].visitsPromised",
            "out_of_range"},
        {"negative visits", [](Json& d) { matter(d, 0)["visitsPromised"] = -1; }, "matters[0].visitsPromised",
            "out_of_range"},
        {"huge visits", [](Json& d) { matter(d, 0)["visitsPromised"] = 5000000000; },
            "matters[0].visitsPromised", "out_of_range"},
        {"negative fee", [](Json& d) { matter(d, 1)["feeFen"] = -1; }, "matters[1].feeFen", "negative"},
        {"empty code", [](Json& d) { matter(d, 0)["code"] = ""; }, "matters[0].code", "empty"},
        {"code with a space", [](Json& d) { matter(d, 0)["code"] = "M 1"; }, "matters[0].code",
            "bad_character"},
        {"code too long", [](Json& d) { matter(d, 0)["code"] = std::string(65, 'M'); }, "matters[0].code",
            "too_long"},
        {"empty name", [](Json& d) { matter(d, 1)["nameZh"] = ""; }, "matters[1].nameZh", "empty"},
        {"name with a control character", [](Json& d) { matter(d, 0)["nameEn"] = "Matter\x01"; },
            "matters[0].nameEn", "control_character"},
        {"name not UTF-8", [](Json& d) { matter(d, 0)["department"] = "Dept \xFF"; }, "matters[0].department",
            "invalid_utf8"},
        {"empty category", [](Json& d) { matter(d, 0)["category"] = ""; }, "matters[0].category", "empty"},
        {"duplicate material", [](Json& d) { material(d, 0, 1)["code"] = "id_card"; },
            "matters[0].materials[1].code", "duplicate"},
        {"material count zero", [](Json& d) { material(d, 1, 0)["count"] = 0; },
            "matters[1].materials[0].count", "out_of_range"},
        {"material count 100", [](Json& d) { material(d, 1, 0)["count"] = 100; },
            "matters[1].materials[0].count", "out_of_range"},
        {"unknown material form", [](Json& d) { material(d, 0, 1)["form"] = "scan"; },
            "matters[0].materials[1].form", "unknown_value"},
        {"bad material code", [](Json& d) { material(d, 0, 1)["code"] = "form/a"; },
            "matters[0].materials[1].code", "bad_character"},
        {"bundle with an unknown matter", [](Json& d) { bundleAt(d, 0)["matters"].asArray()[1] = "M-9"; },
            "bundles[0].matters[1]", "unknown_matter"},
        {"bundle with one matter", [](Json& d) { bundleAt(d, 0)["matters"] = Json::Array{"M-1"}; },
            "bundles[0].matters", "needs_two_or_more"},
        {"bundle naming a matter twice",
            [](Json& d) {
                bundleAt(d, 0)["matters"] = Json::Array{"M-1", "M-1"};
            },
            "bundles[0].matters[1]", "duplicate"},
        {"duplicate bundle code", [](Json& d) { d["bundles"].push_back(bundleAt(d, 0)); }, "bundles[1].code",
            "duplicate"},
        {"bad bundle code", [](Json& d) { bundleAt(d, 0)["code"] = "B/1"; }, "bundles[0].code",
            "bad_character"},
        {"empty bundle name", [](Json& d) { bundleAt(d, 0)["nameEn"] = ""; }, "bundles[0].nameEn", "empty"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        Json doc = validDocument();
        c.edit(doc);
        Failure f = failureOf([&] { Catalogue::fromJson(doc); });
        CHECK(f.code == "catalogue.invalid");
        CHECK(f.path == c.path);
        CHECK(f.reason == c.reason);
    }

    Failure root = failureOf([] { Catalogue::fromJson(Json::array()); });
    CHECK(root.code == "catalogue.invalid");
    CHECK(root.path == "$");
    CHECK(root.reason == "not_an_object");

    // The offending value is reported where it helps.
    Json dup = validDocument();
    matter(dup, 1)["code"] = "M-1";
    CHECK(failureOf([&] { Catalogue::fromJson(dup); }).value == "M-1");
    Json lim = validDocument();
    matter(lim, 0)["statutoryLimit"] = "20 wd";
    CHECK(failureOf([&] { Catalogue::fromJson(lim); }).value == "20 wd");

    // Not a rule: at most once is about one visit; without it two visits are fine.
    Json twoVisits = validDocument();
    matter(twoVisits, 0)["atMostOnce"] = false;
    matter(twoVisits, 0)["visitsPromised"] = 2;
    CHECK_NOTHROW(Catalogue::fromJson(twoVisits));
}

TEST_CASE("catalogue: a refused addition adds nothing", "[catalogue]")
{
    Catalogue cat = demoCatalogue();
    const std::string before = cat.toJson().canonical();

    ServiceMatter dup = *cat.findMatter("330102-SW-001");
    Failure f = failureOf([&] { cat.addMatter(dup); });
    CHECK(f.code == "catalogue.invalid");
    CHECK(f.path == "matters[330102-SW-001].code");
    CHECK(f.reason == "duplicate");

    ServiceMatter tooLong = simpleMatter("NEW-1", {});
    tooLong.promisedLimit = {11, DayCounting::Working};
    f = failureOf([&] { cat.addMatter(tooLong); });
    CHECK(f.path == "matters[NEW-1].promisedLimit");
    CHECK(f.reason == "exceeds_statutory");
    CHECK(cat.findMatter("NEW-1") == nullptr);

    ServiceMatter twoVisits = simpleMatter("NEW-2", {});
    twoVisits.visitsPromised = 2;
    f = failureOf([&] { cat.addMatter(twoVisits); });
    CHECK(f.path == "matters[NEW-2].visitsPromised");
    CHECK(f.reason == "at_most_once_needs_one_visit");

    f = failureOf([&] { cat.addBundle({"B-NEW", "x", "x", {"330102-SW-001", "330102-NOPE-001"}}); });
    CHECK(f.path == "bundles[B-NEW].matters[1]");
    CHECK(f.reason == "unknown_matter");
    CHECK(f.value == "330102-NOPE-001");
    CHECK(cat.findBundle("B-NEW") == nullptr);

    CHECK(cat.toJson().canonical() == before);
}

TEST_CASE("catalogue: search by code, Chinese and English name", "[catalogue]")
{
    Catalogue demo = demoCatalogue();
    using V = std::vector<std::string>;
    CHECK(codesOf(demo.searchMatters("BDC")) == V{"330102-BDC-001"});
    CHECK(codesOf(demo.searchMatters("bdc")) == V{"330102-BDC-001"});
    CHECK(codesOf(demo.searchMatters("330102-sw")) == V{"330102-SW-001"});
    CHECK(codesOf(demo.searchMatters("deed tax")) == V{"330102-SW-001"});
    CHECK(codesOf(demo.searchMatters("DEED TAX")) == V{"330102-SW-001"});
    CHECK(codesOf(demo.searchMatters("Transfer")) == V{"330102-BDC-001", "330102-SDQ-001"});
    CHECK(codesOf(demo.searchMatters(kQiShui)) == V{"330102-SW-001"});
    // Results come in code order.
    CHECK(codesOf(demo.searchMatters(kDengJi)) == V{"330102-BDC-001", "330102-SC-001", "330102-YB-001"});
    CHECK(demo.searchMatters("").size() == 7);
    CHECK(codesOf(demo.searchMatters("", 2)) == V{"330102-BDC-001", "330102-FGW-001"});
    CHECK(codesOf(demo.searchMatters("330102", 3)).size() == 3);
    CHECK(demo.searchMatters("no such matter").empty());
}

TEST_CASE("catalogue: merged materials ask each material once with the strongest requirement", "[catalogue]")
{
    Catalogue demo = demoCatalogue();
    auto merged = demo.mergedMaterials({"330102-BDC-001", "330102-SW-001", "330102-SDQ-001"});
    REQUIRE(merged.size() == 4);
    CHECK(merged[0].material.code == "id_card");
    CHECK(merged[1].material.code == "property_certificate");
    CHECK(merged[2].material.code == "sale_contract");
    CHECK(merged[3].material.code == "marriage_record");

    using V = std::vector<std::string>;
    // Asked once, for every matter that needs it, in the order the matters were chosen.
    CHECK(merged[0].requiredBy == V{"330102-BDC-001", "330102-SW-001", "330102-SDQ-001"});
    CHECK(merged[0].material.dataShared);
    // The original beats copies; the largest count wins.
    CHECK(merged[1].material.form == MaterialForm::Original);
    CHECK(merged[1].requiredBy == V{"330102-BDC-001", "330102-SW-001", "330102-SDQ-001"});
    CHECK(merged[2].material.form == MaterialForm::Original);
    CHECK(merged[2].material.count == 2);
    CHECK(merged[2].requiredBy == V{"330102-BDC-001", "330102-SW-001"});
    CHECK(merged[3].material.form == MaterialForm::Copy);
    CHECK(merged[3].requiredBy == V{"330102-BDC-001"});

    // The same when the copies come first.
    auto reversed = demo.mergedMaterials({"330102-SW-001", "330102-BDC-001"});
    REQUIRE(reversed.size() == 4);
    const MergedMaterial* contract = find(reversed, "sale_contract");
    REQUIRE(contract);
    CHECK(contract->material.form == MaterialForm::Original);
    CHECK(contract->material.count == 2);
    CHECK(contract->requiredBy == V{"330102-SW-001", "330102-BDC-001"});
    const MergedMaterial* cert = find(reversed, "property_certificate");
    REQUIRE(cert);
    CHECK(cert->material.form == MaterialForm::Original);

    // A matter chosen twice asks nothing twice.
    auto twice = demo.mergedMaterials({"330102-YB-001", "330102-YB-001"});
    REQUIRE(twice.size() == 1);
    CHECK(twice[0].requiredBy == V{"330102-YB-001"});

    CHECK(demo.mergedMaterials({}).empty());
    Failure f = failureOf([&] { demo.mergedMaterials({"330102-SW-001", "330102-XX-001"}); });
    CHECK(f.code == "catalogue.unknown_matter");
}

TEST_CASE("catalogue: merged materials are mandatory if any, data-shared only if all", "[catalogue]")
{
    Catalogue cat;
    cat.addMatter(simpleMatter("X",
        {mat("photo", MaterialForm::Copy, 1, false, true), mat("licence", MaterialForm::Copy, 1, true, true),
            mat("map", MaterialForm::Copy, 1, false, false)}));
    cat.addMatter(simpleMatter("Y",
        {mat("photo", MaterialForm::Copy, 3, true, false), mat("licence", MaterialForm::Copy, 2, true, true),
            mat("map", MaterialForm::Copy, 1, false, true)}));
    cat.addMatter(simpleMatter("Z", {mat("photo", MaterialForm::Copy, 1, false, true)}));

    for (const std::vector<std::string>& order :
        {std::vector<std::string>{"X", "Y", "Z"}, std::vector<std::string>{"Z", "Y", "X"}}) {
        INFO(order.front());
        auto merged = cat.mergedMaterials(order);
        REQUIRE(merged.size() == 3);
        const MergedMaterial* photo = find(merged, "photo");
        REQUIRE(photo);
        CHECK(photo->material.mandatory); // Y needs it
        CHECK_FALSE(photo->material.dataShared); // Y does not accept data sharing
        CHECK(photo->material.count == 3);
        CHECK(photo->material.form == MaterialForm::Copy); // nobody asked for the original
        CHECK(photo->requiredBy.size() == 3);

        const MergedMaterial* licence = find(merged, "licence");
        REQUIRE(licence);
        CHECK(licence->material.dataShared); // every matter accepts it
        CHECK(licence->material.count == 2);

        const MergedMaterial* map = find(merged, "map");
        REQUIRE(map);
        CHECK_FALSE(map->material.mandatory); // optional everywhere
        CHECK_FALSE(map->material.dataShared);
    }

    // The free function agrees with the catalogue method.
    auto direct = mergeMaterials({cat.findMatter("Y"), cat.findMatter("Z")});
    REQUIRE(direct.size() == 3);
    CHECK(direct[0].material.code == "photo");
    CHECK(direct[0].material.mandatory);
    CHECK_FALSE(direct[0].material.dataShared);
    CHECK(direct[0].requiredBy == std::vector<std::string>{"Y", "Z"});
}
