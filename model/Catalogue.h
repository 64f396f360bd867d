// The service catalogue (事项目录): matters, the materials each requires, and bundles
// (一件事) that take several matters in as one case with one receipt.
#pragma once

#include "model/Json.h"
#include "model/TimeLimit.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::model {

enum class MaterialForm { Original, Copy }; // 原件 / 复印件

struct Material {
    std::string code; // identical materials share a code across matters, e.g. "id_card"
    std::string nameZh;
    std::string nameEn;
    MaterialForm form = MaterialForm::Original;
    int count = 1;
    bool mandatory = true;
    bool dataShared = false; // obtainable through data sharing (免提交): the applicant need not bring it
};

struct ServiceMatter {
    std::string code; // e.g. "330102-BDC-001"
    std::string nameZh;
    std::string nameEn;
    std::string department;
    std::string category; // queue category letter served by windows, e.g. "A"
    TimeLimit statutoryLimit; // 法定时限
    TimeLimit promisedLimit; // 承诺时限
    std::int64_t feeFen = 0; // fee in fen (0.01 yuan)
    bool atMostOnce = true; // 最多跑一次
    bool onlineAble = false; // 网上可办
    bool immediate = false; // 即办件: decided at the window
    int visitsPromised = 1;
    std::vector<Material> materials;
};

struct Bundle {
    std::string code;
    std::string nameZh;
    std::string nameEn;
    std::vector<std::string> matterCodes;
};

// One line of the checklist shown at intake: a material asked for once even when
// several chosen matters require it.
struct MergedMaterial {
    Material material; // strongest requirement: original over copy, max count, mandatory if any is
    std::vector<std::string> requiredBy; // matter codes, in the order the matters were chosen
};

std::string toString(MaterialForm);
std::optional<MaterialForm> materialFormFromString(std::string_view);

class Catalogue {
public:
    // Throws DomainError "catalogue.invalid" with facts path (e.g. "matters[2].promisedLimit")
    // and reason. Nothing is added when anything is wrong.
    void addMatter(ServiceMatter matter);
    void addBundle(Bundle bundle);

    const ServiceMatter* findMatter(const std::string& code) const;
    const Bundle* findBundle(const std::string& code) const;
    // Case-insensitive substring of code, zh or en name; results in code order.
    std::vector<const ServiceMatter*> searchMatters(const std::string& text, std::size_t limit = 50) const;
    const std::map<std::string, ServiceMatter>& matters() const { return m_matters; }
    const std::map<std::string, Bundle>& bundles() const { return m_bundles; }

    // Matters of a bundle, in the bundle's order. Throws "catalogue.unknown_bundle".
    std::vector<const ServiceMatter*> bundleMatters(const std::string& bundleCode) const;
    // Throws "catalogue.unknown_matter" with the code.
    std::vector<MergedMaterial> mergedMaterials(const std::vector<std::string>& matterCodes) const;

    Json toJson() const;
    // Whole-document import: every problem is reported with its JSON path; on any error
    // nothing is imported. Throws DomainError "catalogue.invalid".
    static Catalogue fromJson(const Json& document);
    // A spreadsheet kept by centre administrators, saved as CSV (RFC 4180, UTF-8, header
    // row; format in docs/CATALOGUE.md). All or nothing: the first problem throws
    // DomainError "catalogue.invalid" with facts file, line (1-based physical line where
    // the row starts; 0 for the file as a whole), column (the header name, when one
    // applies) and reason, plus value/position/item/expected/actual where they help.
    static Catalogue fromCsv(std::string_view text, const std::string& fileName);

private:
    std::map<std::string, ServiceMatter> m_matters;
    std::map<std::string, Bundle> m_bundles;
};

std::vector<MergedMaterial> mergeMaterials(const std::vector<const ServiceMatter*>& matters);

Json toJson(const ServiceMatter&);
Json toJson(const Material&);
Json toJson(const Bundle&);

// The demo catalogue of one district centre (330102): model/demo/catalogue.json,
// compiled in (the raw text is embeddedDemoCatalogue()). Over fifty matters in
// categories B (real estate), C (enterprises, licences), D (social security, medical
// insurance, housing fund), E (public security, civil affairs) and F (construction,
// investment) — A is the general window that serves every matter — and the bundles
// (一件事) of home purchase, opening a business, birth, retirement, construction.
Catalogue fullDemoCatalogue();
// The small fixture the model tests were written against: the seven matters and two
// bundles of the same file that cover the rules (shared materials in the home-purchase
// bundle, an immediate matter, a 100-day investment filing).
Catalogue demoCatalogue();
const char* embeddedDemoCatalogue();

} // namespace ow::model
