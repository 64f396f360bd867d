// Demo reference data for a district centre (330102), kept as data in
// model/demo/catalogue.json and compiled in by cmake/EmbedText.cmake.
#include "model/Catalogue.h"
#include "model/Error.h"

#include <array>

namespace ow::model {

namespace {

const Catalogue& shippedDemoCatalogue()
{
    // Parsed once; the file is checked by the tests, so a failure here is a build defect.
    static const Catalogue catalogue = Catalogue::fromJson(Json::parse(embeddedDemoCatalogue()));
    return catalogue;
}

} // namespace

Catalogue fullDemoCatalogue()
{
    return shippedDemoCatalogue();
}

Catalogue demoCatalogue()
{
    static constexpr std::array<const char*, 7> kMatters = {"330102-BDC-001", "330102-SW-001",
        "330102-SDQ-001", "330102-SC-001", "330102-YB-001", "330102-GA-001", "330102-FGW-001"};
    static constexpr std::array<const char*, 2> kBundles = {"330102-YJS-001", "330102-YJS-002"};
    const Catalogue& full = shippedDemoCatalogue();
    Catalogue fixture;
    for (const char* code : kMatters) {
        const ServiceMatter* matter = full.findMatter(code);
        if (!matter)
            throw DomainError("catalogue.unknown_matter", {{"code", code}});
        fixture.addMatter(*matter);
    }
    for (const char* code : kBundles) {
        const Bundle* bundle = full.findBundle(code);
        if (!bundle)
            throw DomainError("catalogue.unknown_bundle", {{"code", code}});
        fixture.addBundle(*bundle);
    }
    return fixture;
}

} // namespace ow::model
