// libFuzzer target: the catalogue import (model/Catalogue, docs/CATALOGUE.md). The input is
// the content of an imported file, tried both as the administrators' CSV
// (Catalogue::fromCsv) and as the JSON document (Catalogue::fromJson after Json::parse);
// seeds in tests/fuzz/corpus/catalogue. A refused file must give DomainError
// "catalogue.invalid" (or "json.parse" for text that is no JSON at all). An accepted
// catalogue then goes where an import sends it: each item becomes the body of a
// catalogue.* event and is read back the way the store rebuilds the catalogue, and the
// intake screen looks matters up, searches them and merges their materials. A crash, a
// sanitizer report, another exception, or a broken invariant below is a finding.
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Event.h"
#include "model/Json.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using ow::model::Catalogue;
using ow::model::DomainError;
using ow::model::Json;

[[noreturn]] void violated(const char* what, const std::string& detail = {})
{
    std::fprintf(stderr, "catalogue invariant violated: %s %s\n", what, detail.c_str());
    std::abort();
}

void expectCode(const DomainError& e, std::initializer_list<const char*> allowed)
{
    for (const char* code : allowed)
        if (e.code() == code)
            return;
    violated("unexpected error code", e.what());
}

// The store keeps one document per matter and per bundle (catalogue.* event bodies, written
// as canonical text) and rebuilds the catalogue from them, matters first, each in code order.
void checkStoredForm(const Catalogue& catalogue)
{
    Json doc = Json::object();
    doc["matters"] = Json::array();
    doc["bundles"] = Json::array();
    std::int64_t seq = 0;
    std::string prev;
    auto store = [&](const char* type, const char* member, const Json& body) {
        const std::string text = body.canonical();
        const Json back = Json::parse(text);
        if (!(back == body))
            violated("item body does not read back", text);
        doc[member].push_back(back);
        // The event the import appends for the item: sealed, written, read back, verified.
        ow::model::Event e;
        e.origin = "fuzz";
        e.seq = ++seq;
        e.hlc = 1806643200000000 + seq;
        e.type = type;
        e.actor = "admin01";
        e.prev = prev;
        e.body = body;
        const std::string document = e.sealDocument();
        const auto decoded = ow::model::Event::fromDocument(Json::parse(document));
        if (decoded.hash != e.hash || !(decoded.body == body))
            violated("catalogue event does not read back", document);
        prev = e.hash;
    };
    for (const auto& [code, m] : catalogue.matters())
        store("catalogue.matter", "matters", ow::model::toJson(m));
    for (const auto& [code, b] : catalogue.bundles())
        store("catalogue.bundle", "bundles", ow::model::toJson(b));
    Catalogue rebuilt;
    try {
        rebuilt = Catalogue::fromJson(doc);
    } catch (const DomainError& e) {
        violated("the stored items are refused", e.what());
    }
    if (!(rebuilt.toJson() == catalogue.toJson()))
        violated("the rebuilt catalogue differs");
}

void checkAccepted(const Catalogue& catalogue)
{
    const Json doc = catalogue.toJson();
    // The replicated document and its pretty form read back as the same catalogue.
    for (const std::string& text : {doc.canonical(), doc.pretty()}) {
        Catalogue again;
        try {
            again = Catalogue::fromJson(Json::parse(text));
        } catch (const DomainError& e) {
            violated("toJson() is refused by fromJson()", e.what());
        }
        if (!(again.toJson() == doc))
            violated("toJson() does not round-trip", text);
    }
    checkStoredForm(catalogue);

    // Item by item, as an administrator's edits add them, the same rules accept them.
    Catalogue added;
    try {
        for (const auto& [code, m] : catalogue.matters())
            added.addMatter(m);
        for (const auto& [code, b] : catalogue.bundles())
            added.addBundle(b);
    } catch (const DomainError& e) {
        violated("addMatter/addBundle refuse an imported item", e.what());
    }

    // What intake does with the matters: look up, search, merge checklists.
    std::vector<std::string> codes;
    for (const auto& [code, m] : catalogue.matters()) {
        codes.push_back(code);
        if (catalogue.findMatter(code) != &m)
            violated("findMatter", code);
        bool found = false;
        for (const auto* hit : catalogue.searchMatters(code, catalogue.matters().size()))
            found = found || hit == &m;
        if (!found)
            violated("searchMatters misses a matter by its own code", code);
        catalogue.searchMatters(m.nameZh, 5);
        catalogue.searchMatters(m.nameEn, 5);
    }
    auto checkMerged = [&](const std::vector<std::string>& matterCodes) {
        std::set<std::string> seen;
        for (const auto& merged : catalogue.mergedMaterials(matterCodes)) {
            if (!seen.insert(merged.material.code).second)
                violated("a material is listed twice in a checklist", merged.material.code);
            if (merged.requiredBy.empty() || merged.material.count < 1 || merged.material.count > 99)
                violated("a merged material is malformed", merged.material.code);
        }
    };
    checkMerged(codes);
    for (const auto& [code, b] : catalogue.bundles()) {
        std::vector<std::string> inBundle;
        for (const auto* m : catalogue.bundleMatters(code)) {
            if (!m)
                violated("a bundle names a matter that is not there", code);
            inBundle.push_back(m->code);
        }
        checkMerged(inBundle);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<Catalogue> fromCsv;
    try {
        fromCsv = Catalogue::fromCsv(text, "fuzz.csv");
    } catch (const DomainError& e) {
        expectCode(e, {"catalogue.invalid"});
    }
    std::optional<Catalogue> fromJson;
    try {
        fromJson = Catalogue::fromJson(Json::parse(text));
    } catch (const DomainError& e) {
        expectCode(e, {"catalogue.invalid", "json.parse"});
    }
    // Whatever an accepted catalogue goes through next must not fail at all.
    for (const auto* catalogue : {&fromCsv, &fromJson}) {
        if (!*catalogue)
            continue;
        try {
            checkAccepted(**catalogue);
        } catch (const DomainError& e) {
            violated("an accepted catalogue fails later", e.what());
        }
    }
    return 0;
}
