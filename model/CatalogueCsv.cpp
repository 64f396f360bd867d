// Catalogue import from the CSV that centre administrators keep in a spreadsheet
// (docs/CATALOGUE.md). The rows are turned into the JSON document of Catalogue::fromJson,
// so both formats share one set of rules; a JSON path in an error is mapped back to the
// file, line and column the administrator has to fix.
#include "model/Catalogue.h"
#include "model/Error.h"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ow::model {

namespace {

// Generous for any real catalogue (thousands of matters), small enough to refuse a wrong file early.
constexpr std::size_t kMaxFileBytes = 32u * 1024u * 1024u;
constexpr std::size_t kMaxCellBytes = 8192;
constexpr std::size_t kMaxColumns = 64;
constexpr std::size_t kMaxValueBytes = 80;

enum class RecordKind { Matter, Material, Bundle };

enum class CellType { Text, Integer, Boolean, CodeList };

struct ColumnSpec {
    const char* name;
    CellType type;
    bool forMatter;
    bool forMaterial;
    bool forBundle;
};

// The JSON member of the same name receives the value, except "record" and "matter".
constexpr ColumnSpec kColumns[] = {
    {"record", CellType::Text, true, true, true},
    {"code", CellType::Text, true, true, true},
    {"matter", CellType::Text, false, true, false},
    {"nameZh", CellType::Text, true, true, true},
    {"nameEn", CellType::Text, true, true, true},
    {"department", CellType::Text, true, false, false},
    {"category", CellType::Text, true, false, false},
    {"statutoryLimit", CellType::Text, true, false, false},
    {"promisedLimit", CellType::Text, true, false, false},
    {"feeFen", CellType::Integer, true, false, false},
    {"atMostOnce", CellType::Boolean, true, false, false},
    {"onlineAble", CellType::Boolean, true, false, false},
    {"immediate", CellType::Boolean, true, false, false},
    {"visitsPromised", CellType::Integer, true, false, false},
    {"form", CellType::Text, false, true, false},
    {"count", CellType::Integer, false, true, false},
    {"mandatory", CellType::Boolean, false, true, false},
    {"dataShared", CellType::Boolean, false, true, false},
    {"matters", CellType::CodeList, false, false, true},
};

const ColumnSpec* findColumn(std::string_view name)
{
    for (const auto& c : kColumns)
        if (name == c.name)
            return &c;
    return nullptr;
}

bool appliesTo(const ColumnSpec& c, RecordKind kind)
{
    switch (kind) {
    case RecordKind::Matter:
        return c.forMatter;
    case RecordKind::Material:
        return c.forMaterial;
    case RecordKind::Bundle:
        return c.forBundle;
    }
    return false;
}

// A value quoted in an error stays short and whole: cut at a character boundary.
std::string clip(std::string_view value)
{
    if (value.size() <= kMaxValueBytes)
        return std::string(value);
    std::size_t end = kMaxValueBytes;
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0u) == 0x80u)
        --end;
    return std::string(value.substr(0, end));
}

struct Row {
    std::size_t line = 0; // physical line where the row starts
    std::vector<std::string> cells;
    bool blank() const
    {
        for (const auto& c : cells)
            if (!c.empty())
                return false;
        return true;
    }
};

class CsvImport {
public:
    CsvImport(std::string_view text, const std::string& fileName)
        : m_text(text)
        , m_file(fileName)
    {
    }

    Catalogue run();

private:
    [[noreturn]] void fail(
        std::size_t line, const std::string& column, const std::string& reason, Facts extra = {}) const
    {
        Facts facts = std::move(extra);
        facts["file"] = m_file;
        facts["line"] = std::to_string(line);
        facts["reason"] = reason;
        if (!column.empty())
            facts["column"] = column;
        throw DomainError("catalogue.invalid", facts);
    }

    std::string columnName(std::size_t index) const
    {
        return index < m_header.size() ? m_header[index] : std::string();
    }

    bool atLineEnd() const
    {
        return m_pos >= m_text.size() || m_text[m_pos] == '\n' || m_text[m_pos] == '\r';
    }
    void skipLineEnd()
    {
        if (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
    }

    bool nextRow(Row& row, std::size_t maxCells);
    void readQuoted(std::string& cell, const Row& row, std::size_t index);
    void readHeader();
    void readRecord(const Row& row);
    void attachMaterials();
    Catalogue validate();

    std::string_view m_text;
    std::string m_file;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
    std::vector<std::string> m_header;

    struct MatterRecord {
        std::size_t line;
        Json json;
        std::vector<std::size_t> materialLines;
    };
    struct MaterialRecord {
        std::size_t line;
        std::string matterCode;
        Json json;
    };
    struct BundleRecord {
        std::size_t line;
        Json json;
    };
    std::vector<MatterRecord> m_matters;
    std::vector<MaterialRecord> m_materials;
    std::vector<BundleRecord> m_bundles;
    const MaterialRecord* m_orphan = nullptr; // the first material whose matter does not exist
};

// One record per call, RFC 4180: fields separated by commas, records by CRLF, LF or a
// lone CR; a quoted field may hold commas, line breaks and doubled quotes.
bool CsvImport::nextRow(Row& row, std::size_t maxCells)
{
    if (m_pos >= m_text.size())
        return false;
    row.line = m_line;
    row.cells.clear();
    for (;;) {
        const std::size_t index = row.cells.size();
        if (index >= maxCells) {
            if (m_header.empty())
                fail(row.line, {}, "too_many_columns", {{"expected", std::to_string(kMaxColumns)}});
            // Stop at the first field too many rather than storing a hostile line's millions.
            fail(row.line, {}, "wrong_field_count", {{"expected", std::to_string(m_header.size())}});
        }
        std::string cell;
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            readQuoted(cell, row, index);
        } else {
            const std::size_t start = m_pos;
            while (!atLineEnd() && m_text[m_pos] != ',') {
                if (m_text[m_pos] == '"')
                    fail(row.line, columnName(index), "quote_in_unquoted_field",
                        {{"position", std::to_string(index + 1)}});
                ++m_pos;
            }
            cell.assign(m_text.substr(start, m_pos - start));
        }
        if (cell.size() > kMaxCellBytes)
            fail(row.line, columnName(index), "cell_too_long",
                {{"position", std::to_string(index + 1)}, {"actual", std::to_string(cell.size())}});
        row.cells.push_back(std::move(cell));
        if (m_pos < m_text.size() && m_text[m_pos] == ',') {
            ++m_pos;
            continue;
        }
        if (m_pos < m_text.size())
            skipLineEnd();
        return true;
    }
}

void CsvImport::readQuoted(std::string& cell, const Row& row, std::size_t index)
{
    ++m_pos; // the opening quote
    for (;;) {
        if (m_pos >= m_text.size())
            fail(
                row.line, columnName(index), "unterminated_quote", {{"position", std::to_string(index + 1)}});
        const char c = m_text[m_pos];
        if (c == '"') {
            if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                cell += '"';
                m_pos += 2;
                continue;
            }
            ++m_pos;
            if (!atLineEnd() && m_text[m_pos] != ',')
                fail(row.line, columnName(index), "text_after_closing_quote",
                    {{"position", std::to_string(index + 1)}});
            return;
        }
        if (cell.size() > kMaxCellBytes) // stop reading a hostile cell early
            fail(row.line, columnName(index), "cell_too_long", {{"position", std::to_string(index + 1)}});
        // Line breaks inside quotes are kept, and counted so later rows report the right line.
        if (c == '\n' || (c == '\r' && !(m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n')))
            ++m_line;
        cell += c;
        ++m_pos;
    }
}

void CsvImport::readHeader()
{
    Row row;
    for (;;) {
        if (!nextRow(row, kMaxColumns))
            fail(0, {}, "missing_header");
        if (!row.blank())
            break;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const std::string& name = row.cells[i];
        Facts position{{"position", std::to_string(i + 1)}};
        if (!isValidUtf8(name))
            fail(row.line, {}, "invalid_utf8", position);
        if (name.empty())
            fail(row.line, {}, "empty_column_name", position);
        if (!findColumn(name))
            fail(row.line, clip(name), "unknown_column", position);
        if (!seen.insert(name).second)
            fail(row.line, name, "duplicate_column", position);
    }
    for (const char* required : {"record", "code"})
        if (!seen.count(required))
            fail(row.line, required, "missing_column");
    m_header = row.cells;
}

void CsvImport::readRecord(const Row& row)
{
    if (row.cells.size() != m_header.size())
        fail(row.line, {}, "wrong_field_count",
            {{"expected", std::to_string(m_header.size())}, {"actual", std::to_string(row.cells.size())}});
    std::size_t recordIndex = 0;
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
        if (!isValidUtf8(row.cells[i]))
            fail(row.line, m_header[i], "invalid_utf8");
        if (m_header[i] == "record")
            recordIndex = i;
    }

    const std::string& record = row.cells[recordIndex];
    RecordKind kind = RecordKind::Matter;
    if (record == "matter")
        kind = RecordKind::Matter;
    else if (record == "material")
        kind = RecordKind::Material;
    else if (record == "bundle")
        kind = RecordKind::Bundle;
    else if (record.empty())
        fail(row.line, "record", "missing");
    else
        fail(row.line, "record", "unknown_record", {{"value", clip(record)}});

    Json json = Json::object();
    std::string matterCode;
    for (std::size_t i = 0; i < m_header.size(); ++i) {
        const std::string& name = m_header[i];
        const std::string& cell = row.cells[i];
        const ColumnSpec& spec = *findColumn(name);
        if (name == "record" || cell.empty())
            continue; // an empty cell takes the JSON default, or is reported as missing
        if (!appliesTo(spec, kind))
            fail(row.line, name, "not_applicable", {{"value", clip(cell)}});
        if (name == "matter") {
            matterCode = cell;
            continue;
        }
        switch (spec.type) {
        case CellType::Text:
            json[name] = cell;
            break;
        case CellType::Integer: {
            std::int64_t value = 0;
            const char* first = cell.data();
            const char* last = cell.data() + cell.size();
            auto [end, ec] = std::from_chars(first, last, value);
            if (ec == std::errc::result_out_of_range && end == last)
                fail(row.line, name, "out_of_range", {{"value", clip(cell)}});
            if (ec != std::errc() || end != last)
                fail(row.line, name, "not_an_integer", {{"value", clip(cell)}});
            json[name] = value;
            break;
        }
        case CellType::Boolean: {
            std::string lower;
            for (char c : cell)
                lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            // Excel writes TRUE/FALSE; administrators often type 1/0 or 是/否.
            if (lower == "true" || lower == "1" || lower == "\xE6\x98\xAF")
                json[name] = true;
            else if (lower == "false" || lower == "0" || lower == "\xE5\x90\xA6")
                json[name] = false;
            else
                fail(row.line, name, "not_a_boolean", {{"value", clip(cell)}});
            break;
        }
        case CellType::CodeList: {
            Json list = Json::array();
            std::size_t start = 0;
            while (start <= cell.size()) {
                std::size_t end = cell.find(';', start);
                if (end == std::string::npos)
                    end = cell.size();
                std::string_view item = std::string_view(cell).substr(start, end - start);
                const std::string_view space = " \t\r\n";
                const std::size_t b = item.find_first_not_of(space);
                if (b != std::string_view::npos)
                    list.push_back(Json(std::string(item.substr(b, item.find_last_not_of(space) - b + 1))));
                start = end + 1;
            }
            json[name] = list;
            break;
        }
        }
    }

    switch (kind) {
    case RecordKind::Matter:
        json["materials"] = Json::array();
        m_matters.push_back({row.line, std::move(json), {}});
        break;
    case RecordKind::Material:
        if (matterCode.empty())
            fail(row.line, "matter", "missing");
        m_materials.push_back({row.line, std::move(matterCode), std::move(json)});
        break;
    case RecordKind::Bundle:
        m_bundles.push_back({row.line, std::move(json)});
        break;
    }
}

void CsvImport::attachMaterials()
{
    // Materials may come anywhere in the file; they belong to the first matter row of that code.
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m_matters.size(); ++i) {
        const Json* code = m_matters[i].json.get("code");
        if (code)
            index.emplace(code->asString(), i);
    }
    for (auto& material : m_materials) {
        auto it = index.find(material.matterCode);
        if (it == index.end()) {
            // Often the matter row's own code is wrong: let the catalogue rules report that first.
            if (!m_orphan)
                m_orphan = &material;
            continue;
        }
        MatterRecord& matter = m_matters[it->second];
        matter.json["materials"].push_back(std::move(material.json));
        matter.materialLines.push_back(material.line);
    }
}

// Path readers: on success they advance past what they read, on failure text is unchanged.
bool takeName(std::string_view& text, std::string_view name)
{
    // "matters[" or ".materials[" — a name must be followed by its index.
    if (!text.starts_with(name) || text.size() == name.size() || text[name.size()] != '[')
        return false;
    text.remove_prefix(name.size());
    return true;
}

bool takeIndex(std::string_view& text, std::size_t& index)
{
    if (text.empty() || text.front() != '[')
        return false;
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos)
        return false;
    auto [end, ec] = std::from_chars(text.data() + 1, text.data() + close, index);
    if (ec != std::errc() || end != text.data() + close)
        return false;
    text.remove_prefix(close + 1);
    return true;
}

Catalogue CsvImport::validate()
{
    Json doc = Json::object();
    Json matters = Json::array();
    for (const auto& m : m_matters)
        matters.push_back(m.json);
    Json bundles = Json::array();
    for (const auto& b : m_bundles)
        bundles.push_back(b.json);
    doc["matters"] = std::move(matters);
    doc["bundles"] = std::move(bundles);
    try {
        return Catalogue::fromJson(doc);
    } catch (const DomainError& e) {
        if (e.code() != "catalogue.invalid")
            throw;
        // Translate "matters[3].materials[1].count" into the row and column it came from.
        const std::string fullPath = e.fact("path");
        std::string_view path = fullPath;
        std::size_t line = 0;
        std::string column;
        Facts extra;
        std::size_t i = 0;
        std::size_t k = 0;
        if (takeName(path, "matters") && takeIndex(path, i) && i < m_matters.size()) {
            line = m_matters[i].line;
            if (takeName(path, ".materials") && takeIndex(path, k) && k < m_matters[i].materialLines.size())
                line = m_matters[i].materialLines[k];
        } else if (takeName(path, "bundles") && takeIndex(path, i) && i < m_bundles.size()) {
            line = m_bundles[i].line;
            std::string_view rest = path;
            if (takeName(rest, ".matters") && takeIndex(rest, k)) {
                column = "matters";
                extra["item"] = std::to_string(k + 1);
            }
        }
        if (column.empty() && path.starts_with("."))
            column = std::string(path.substr(1));
        if (!e.fact("value").empty())
            extra["value"] = clip(e.fact("value"));
        fail(line, column, e.fact("reason"), extra);
    }
}

Catalogue CsvImport::run()
{
    if (m_text.size() > kMaxFileBytes)
        fail(0, {}, "file_too_large",
            {{"expected", std::to_string(kMaxFileBytes)}, {"actual", std::to_string(m_text.size())}});
    if (m_text.starts_with("\xEF\xBB\xBF")) // Excel's byte-order mark
        m_text.remove_prefix(3);
    readHeader();
    Row row;
    while (nextRow(row, m_header.size())) {
        if (!row.blank())
            readRecord(row);
    }
    attachMaterials();
    Catalogue catalogue = validate();
    if (m_orphan)
        fail(m_orphan->line, "matter", "unknown_matter", {{"value", clip(m_orphan->matterCode)}});
    return catalogue;
}

} // namespace

Catalogue Catalogue::fromCsv(std::string_view text, const std::string& fileName)
{
    return CsvImport(text, fileName).run();
}

} // namespace ow::model
