#include "model/Json.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace ow::model {

namespace {

constexpr int kMaxDepth = Json::kMaxDepth;

// Length of the well-formed UTF-8 sequence starting at text[pos], or 0 if there is none
// (RFC 3629 / Unicode Table 3-7: the second byte's range depends on the lead byte).
std::size_t utf8SequenceLength(std::string_view text, std::size_t pos)
{
    const auto byteAt = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byteAt(pos);
    if (lead < 0x80)
        return 1;

    std::size_t length;
    unsigned char low = 0x80, high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0)
            low = 0xa0; // overlong below U+0800
        else if (lead == 0xed)
            high = 0x9f; // U+D800..U+DFFF are surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0)
            low = 0x90; // overlong below U+10000
        else if (lead == 0xf4)
            high = 0x8f; // above U+10FFFF
    } else {
        return 0; // continuation byte, overlong lead C0/C1, or F5..FF
    }

    if (text.size() - pos < length)
        return 0;
    if (byteAt(pos + 1) < low || byteAt(pos + 1) > high)
        return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if ((byteAt(pos + i) & 0xc0) != 0x80)
            return 0;
    }
    return length;
}

std::size_t firstInvalidUtf8(std::string_view text)
{
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t n = utf8SequenceLength(text, pos);
        if (n == 0)
            return pos;
        pos += n;
    }
    return std::string_view::npos;
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    const auto put = [&](std::uint32_t byte) { out += static_cast<char>(static_cast<unsigned char>(byte)); };
    if (cp < 0x80) {
        put(cp);
    } else if (cp < 0x800) {
        put(0xc0 | (cp >> 6));
        put(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        put(0xe0 | (cp >> 12));
        put(0x80 | ((cp >> 6) & 0x3f));
        put(0x80 | (cp & 0x3f));
    } else {
        put(0xf0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3f));
        put(0x80 | ((cp >> 6) & 0x3f));
        put(0x80 | (cp & 0x3f));
    }
}

std::string describeNonFinite(double value)
{
    if (std::isnan(value))
        return "nan";
    return value > 0 ? "inf" : "-inf";
}

[[noreturn]] void throwTypeError(std::string_view expected, JsonType actual)
{
    throw DomainError(
        "json.type", {{"expected", std::string(expected)}, {"actual", std::string(jsonTypeName(actual))}});
}

class Parser {
public:
    explicit Parser(std::string_view text)
        : m_text(text)
    {
    }

    Json parseDocument()
    {
        Json value = parseValue();
        skipWhitespace();
        if (m_pos < m_text.size())
            fail("trailing_characters", m_pos);
        return value;
    }

private:
    [[noreturn]] void fail(const char* reason, std::size_t at) const
    {
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < at; ++i) {
            const auto byte = static_cast<unsigned char>(m_text[i]);
            if (byte == '\n') {
                ++line;
                column = 1;
            } else if ((byte & 0xc0) != 0x80) {
                ++column; // count characters, not continuation bytes
            }
        }
        throw DomainError("json.parse",
            {{"line", std::to_string(line)}, {"column", std::to_string(column)},
                {"offset", std::to_string(at)}, {"reason", reason}});
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }

    void skipWhitespace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_pos;
    }

    // Skips white space and fails unless another character follows.
    char nextSignificant()
    {
        skipWhitespace();
        if (atEnd())
            fail("unexpected_end", m_pos);
        return peek();
    }

    Json parseValue()
    {
        switch (nextSignificant()) {
        case '{':
            return parseObject();
        case '[':
            return parseArray();
        case '"':
            return Json(parseString());
        case 't':
            expectWord("true");
            return Json(true);
        case 'f':
            expectWord("false");
            return Json(false);
        case 'n':
            expectWord("null");
            return Json();
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return parseNumber();
            fail("unexpected_character", m_pos);
        }
    }

    void expectWord(std::string_view word)
    {
        for (char c : word) {
            if (atEnd())
                fail("unexpected_end", m_pos);
            if (peek() != c)
                fail("unexpected_character", m_pos);
            ++m_pos;
        }
    }

    void enter()
    {
        if (++m_depth > kMaxDepth)
            fail("too_deep", m_pos);
    }

    Json parseObject()
    {
        enter();
        ++m_pos; // '{'
        Json::Object members;
        if (nextSignificant() == '}') {
            ++m_pos;
            --m_depth;
            return Json(std::move(members));
        }
        for (;;) {
            if (nextSignificant() != '"')
                fail("unexpected_character", m_pos);
            const std::size_t keyAt = m_pos;
            std::string key = parseString();
            // Keys compare after unescaping, so "a" and "\u0061" collide.
            if (members.contains(key))
                fail("duplicate_key", keyAt);
            if (nextSignificant() != ':')
                fail("unexpected_character", m_pos);
            ++m_pos;
            members.emplace(std::move(key), parseValue());

            const char c = nextSignificant();
            ++m_pos;
            if (c == '}')
                break;
            if (c != ',')
                fail("unexpected_character", m_pos - 1);
        }
        --m_depth;
        return Json(std::move(members));
    }

    Json parseArray()
    {
        enter();
        ++m_pos; // '['
        Json::Array elements;
        if (nextSignificant() == ']') {
            ++m_pos;
            --m_depth;
            return Json(std::move(elements));
        }
        for (;;) {
            elements.push_back(parseValue());
            const char c = nextSignificant();
            ++m_pos;
            if (c == ']')
                break;
            if (c != ',')
                fail("unexpected_character", m_pos - 1);
        }
        --m_depth;
        return Json(std::move(elements));
    }

    std::uint32_t parseHex4(std::size_t escapeAt)
    {
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            if (atEnd())
                fail("unexpected_end", m_pos);
            const char c = peek();
            std::uint32_t digit;
            if (c >= '0' && c <= '9')
                digit = static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                digit = static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                digit = static_cast<std::uint32_t>(c - 'A' + 10);
            else
                fail("bad_unicode_escape", escapeAt);
            value = value * 16 + digit;
            ++m_pos;
        }
        return value;
    }

    // At the backslash of a \u escape; appends the code point (joining surrogate pairs).
    void parseUnicodeEscape(std::string& out)
    {
        const std::size_t escapeAt = m_pos;
        m_pos += 2; // "\u"
        std::uint32_t cp = parseHex4(escapeAt);
        if (cp >= 0xdc00 && cp <= 0xdfff)
            fail("lone_surrogate", escapeAt);
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (atEnd() || (peek() == '\\' && m_pos + 1 >= m_text.size()))
                fail("unexpected_end", m_text.size());
            if (peek() != '\\' || m_text[m_pos + 1] != 'u')
                fail("lone_surrogate", escapeAt);
            const std::size_t lowAt = m_pos;
            m_pos += 2;
            const std::uint32_t low = parseHex4(lowAt);
            if (low < 0xdc00 || low > 0xdfff)
                fail("lone_surrogate", escapeAt);
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        appendUtf8(out, cp);
    }

    std::string parseString()
    {
        ++m_pos; // opening quote
        std::string out;
        for (;;) {
            if (atEnd())
                fail("unexpected_end", m_pos);
            const auto byte = static_cast<unsigned char>(peek());
            if (byte == '"') {
                ++m_pos;
                return out;
            }
            if (byte == '\\') {
                if (m_pos + 1 >= m_text.size())
                    fail("unexpected_end", m_text.size());
                const char escaped = m_text[m_pos + 1];
                char plain;
                switch (escaped) {
                case '"':
                case '\\':
                case '/':
                    plain = escaped;
                    break;
                case 'b':
                    plain = '\b';
                    break;
                case 'f':
                    plain = '\f';
                    break;
                case 'n':
                    plain = '\n';
                    break;
                case 'r':
                    plain = '\r';
                    break;
                case 't':
                    plain = '\t';
                    break;
                case 'u':
                    parseUnicodeEscape(out);
                    continue;
                default:
                    fail("bad_escape", m_pos);
                }
                out += plain;
                m_pos += 2;
            } else if (byte < 0x20) {
                fail("control_character_in_string", m_pos);
            } else {
                const std::size_t n = utf8SequenceLength(m_text, m_pos);
                if (n == 0)
                    fail("invalid_utf8", m_pos);
                out.append(m_text.substr(m_pos, n));
                m_pos += n;
            }
        }
    }

    void skipDigits()
    {
        while (!atEnd() && peek() >= '0' && peek() <= '9')
            ++m_pos;
    }

    // At least one digit must follow a sign, '.', or exponent marker.
    void requireDigit()
    {
        if (atEnd())
            fail("unexpected_end", m_pos);
        if (peek() < '0' || peek() > '9')
            fail("unexpected_character", m_pos);
    }

    Json parseNumber()
    {
        const std::size_t start = m_pos;
        if (peek() == '-')
            ++m_pos;
        requireDigit();
        if (peek() == '0') {
            ++m_pos;
            if (!atEnd() && peek() >= '0' && peek() <= '9')
                fail("leading_zero", m_pos - 1);
        } else {
            skipDigits();
        }

        bool integral = true;
        if (!atEnd() && peek() == '.') {
            integral = false;
            ++m_pos;
            requireDigit();
            skipDigits();
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            integral = false;
            ++m_pos;
            if (!atEnd() && (peek() == '+' || peek() == '-'))
                ++m_pos;
            requireDigit();
            skipDigits();
        }

        const char* first = m_text.data() + start;
        const char* last = m_text.data() + m_pos;
        if (integral) {
            std::int64_t value = 0;
            const auto [ptr, ec] = std::from_chars(first, last, value);
            if (ec == std::errc() && ptr == last)
                return Json(value);
            // Out of int64 range: falls through to double.
        }
        double value = 0;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        // Overflow to infinity and underflow of a non-zero value to zero are both refused:
        // the stored number would not be the one written.
        if (ec != std::errc() || ptr != last || !std::isfinite(value))
            fail("number_out_of_range", start);
        return Json(value);
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

class Writer {
public:
    // indent < 0 writes the canonical form.
    explicit Writer(int indent)
        : m_indent(indent)
    {
    }

    void write(const Json& value, int level)
    {
        switch (value.type()) {
        case JsonType::Null:
            m_out += "null";
            break;
        case JsonType::Bool:
            m_out += value.asBool() ? "true" : "false";
            break;
        case JsonType::Int:
            m_out += std::to_string(value.asInt());
            break;
        case JsonType::Double:
            writeDouble(value.asDouble());
            break;
        case JsonType::String:
            writeString(value.asString());
            break;
        case JsonType::Array:
            writeArray(value.asArray(), level);
            break;
        case JsonType::Object:
            writeObject(value.asObject(), level);
            break;
        }
    }

    std::string take() { return std::move(m_out); }

private:
    void newline(int level)
    {
        if (m_indent < 0)
            return;
        m_out += '\n';
        m_out.append(static_cast<std::size_t>(m_indent) * static_cast<std::size_t>(level), ' ');
    }

    void writeDouble(double value)
    {
        if (!std::isfinite(value))
            throw DomainError("json.number", {{"reason", "not_finite"}, {"value", describeNonFinite(value)}});
        char buffer[64];
        // Shortest text that reads back as the same double.
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
        if (ec != std::errc())
            throw DomainError("json.number", {{"reason", "format_failed"}});
        const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
        m_out += text;
        // Keep doubles recognisable as doubles: 1.0 must not read back as the int 1.
        if (text.find_first_of(".e") == std::string_view::npos)
            m_out += ".0";
    }

    void writeString(const std::string& text) { appendJsonString(m_out, text); }

    void writeArray(const Json::Array& elements, int level)
    {
        m_out += '[';
        if (!elements.empty()) {
            bool first = true;
            for (const Json& element : elements) {
                if (!first)
                    m_out += ',';
                first = false;
                newline(level + 1);
                write(element, level + 1);
            }
            newline(level);
        }
        m_out += ']';
    }

    void writeObject(const Json::Object& members, int level)
    {
        m_out += '{';
        if (!members.empty()) {
            bool first = true;
            for (const auto& [key, member] : members) {
                if (!first)
                    m_out += ',';
                first = false;
                newline(level + 1);
                writeString(key);
                m_out += m_indent < 0 ? ":" : ": ";
                write(member, level + 1);
            }
            newline(level);
        }
        m_out += '}';
    }

    int m_indent;
    std::string m_out;
};

const Json& nullJson()
{
    static const Json value;
    return value;
}

} // namespace

void appendJsonString(std::string& out, std::string_view text)
{
    if (const std::size_t bad = firstInvalidUtf8(text); bad != std::string::npos)
        throw DomainError("json.utf8", {{"offset", std::to_string(bad)}});
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    // Copy runs that need no escape in one go; event documents are mostly such runs.
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (c != '"' && c != '\\' && byte >= 0x20 && byte != 0x7f)
            continue;
        out.append(text, run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (byte < 0x20 || byte == 0x7f) {
                out += "\\u00";
                out += kHex[byte >> 4];
                out += kHex[byte & 0x0f];
            }
        }
    }
    out.append(text, run, text.size() - run);
    out += '"';
}

std::string_view jsonTypeName(JsonType type)
{
    switch (type) {
    case JsonType::Null:
        return "null";
    case JsonType::Bool:
        return "bool";
    case JsonType::Int:
        return "int";
    case JsonType::Double:
        return "double";
    case JsonType::String:
        return "string";
    case JsonType::Array:
        return "array";
    case JsonType::Object:
        return "object";
    }
    return "unknown";
}

bool isValidUtf8(std::string_view text)
{
    return firstInvalidUtf8(text) == std::string_view::npos;
}

Json::Json(double value)
    : m_value(std::in_place_type<double>, value)
{
    if (!std::isfinite(value))
        throw DomainError("json.number", {{"reason", "not_finite"}, {"value", describeNonFinite(value)}});
}

Json::Json(const char* value)
{
    if (value)
        m_value.emplace<std::string>(value);
}

Json Json::parse(std::string_view text)
{
    return Parser(text).parseDocument();
}

void Json::requireType(JsonType expected) const
{
    if (type() != expected)
        throwTypeError(jsonTypeName(expected), type());
}

bool Json::asBool() const
{
    requireType(JsonType::Bool);
    return std::get<bool>(m_value);
}

std::int64_t Json::asInt() const
{
    requireType(JsonType::Int);
    return std::get<std::int64_t>(m_value);
}

double Json::asDouble() const
{
    if (isInt())
        return static_cast<double>(std::get<std::int64_t>(m_value));
    requireType(JsonType::Double);
    return std::get<double>(m_value);
}

const std::string& Json::asString() const
{
    requireType(JsonType::String);
    return std::get<std::string>(m_value);
}

const Json::Array& Json::asArray() const
{
    requireType(JsonType::Array);
    return std::get<Array>(m_value);
}

Json::Array& Json::asArray()
{
    requireType(JsonType::Array);
    return std::get<Array>(m_value);
}

const Json::Object& Json::asObject() const
{
    requireType(JsonType::Object);
    return std::get<Object>(m_value);
}

Json::Object& Json::asObject()
{
    requireType(JsonType::Object);
    return std::get<Object>(m_value);
}

Json& Json::operator[](const std::string& key)
{
    if (isNull())
        m_value.emplace<Object>();
    return asObject()[key];
}

const Json& Json::operator[](const std::string& key) const
{
    const Json* found = get(key);
    return found ? *found : nullJson();
}

bool Json::contains(const std::string& key) const
{
    return get(key) != nullptr;
}

const Json* Json::get(const std::string& key) const
{
    if (isNull())
        return nullptr;
    const Object& members = asObject();
    const auto it = members.find(key);
    return it == members.end() ? nullptr : &it->second;
}

Json* Json::get(const std::string& key)
{
    return const_cast<Json*>(std::as_const(*this).get(key));
}

void Json::push_back(Json value)
{
    if (isNull())
        m_value.emplace<Array>();
    asArray().push_back(std::move(value));
}

std::size_t Json::size() const
{
    switch (type()) {
    case JsonType::Null:
        return 0;
    case JsonType::Array:
        return std::get<Array>(m_value).size();
    case JsonType::Object:
        return std::get<Object>(m_value).size();
    default:
        throwTypeError("array|object", type());
    }
}

std::string Json::getString(const std::string& key, std::string def) const
{
    const Json* value = get(key);
    return value && !value->isNull() ? value->asString() : def;
}

std::int64_t Json::getInt(const std::string& key, std::int64_t def) const
{
    const Json* value = get(key);
    return value && !value->isNull() ? value->asInt() : def;
}

bool Json::getBool(const std::string& key, bool def) const
{
    const Json* value = get(key);
    return value && !value->isNull() ? value->asBool() : def;
}

std::string Json::canonical() const
{
    Writer writer(-1);
    writer.write(*this, 0);
    return writer.take();
}

std::string Json::pretty(int indent) const
{
    Writer writer(indent < 0 ? 0 : indent);
    writer.write(*this, 0);
    return writer.take();
}

bool operator==(const Json& a, const Json& b)
{
    if (a.m_value.index() != b.m_value.index())
        return false;
    // Bitwise, so that equal values always have equal canonical forms (0.0 vs -0.0).
    if (a.isDouble())
        return std::bit_cast<std::uint64_t>(std::get<double>(a.m_value))
            == std::bit_cast<std::uint64_t>(std::get<double>(b.m_value));
    return a.m_value == b.m_value;
}

// ---------------------------------------------------------------------------- JsonTextWriter

void JsonTextWriter::beforeValue()
{
    if (m_levels.empty()) {
        if (!m_out.empty())
            throw std::logic_error("JsonTextWriter: a second value at the top");
        return;
    }
    Level& l = m_levels.back();
    if (l.object) {
        if (!l.keyed)
            throw std::logic_error("JsonTextWriter: an object member without a key");
        l.keyed = false;
        return;
    }
    if (!l.empty)
        m_out += ',';
    l.empty = false;
}

JsonTextWriter& JsonTextWriter::open(char bracket, bool object)
{
    beforeValue();
    m_out += bracket;
    m_levels.emplace_back(object);
    return *this;
}

JsonTextWriter& JsonTextWriter::close(char bracket, bool object)
{
    if (m_levels.empty() || m_levels.back().object != object || m_levels.back().keyed)
        throw std::logic_error(
            std::string("JsonTextWriter: no ") + (object ? "object" : "array") + " to end");
    m_levels.pop_back();
    m_out += bracket;
    return *this;
}

JsonTextWriter& JsonTextWriter::key(std::string_view name)
{
    if (m_levels.empty() || !m_levels.back().object || m_levels.back().keyed)
        throw std::logic_error("JsonTextWriter: a key outside an object");
    Level& l = m_levels.back();
    if (!l.empty && name <= std::string_view(l.lastKey))
        throw std::logic_error("JsonTextWriter: key \"" + std::string(name) + "\" after \"" + l.lastKey
            + "\" is not in canonical order");
    if (!l.empty)
        m_out += ',';
    l.empty = false;
    l.keyed = true;
    l.lastKey.assign(name);
    appendJsonString(m_out, name);
    m_out += ':';
    return *this;
}

JsonTextWriter& JsonTextWriter::value(std::string_view text)
{
    beforeValue();
    appendJsonString(m_out, text);
    return *this;
}

JsonTextWriter& JsonTextWriter::literal(std::string_view text)
{
    beforeValue();
    m_out += text;
    return *this;
}

JsonTextWriter& JsonTextWriter::integer(std::int64_t number)
{
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    return literal(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
}

std::string JsonTextWriter::take()
{
    if (!m_levels.empty())
        throw std::logic_error("JsonTextWriter: an object or array is still open");
    return std::exchange(m_out, std::string());
}

} // namespace ow::model
