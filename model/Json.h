// A small JSON value for event documents. Events are hashed over their canonical form, so
// canonical() is the contract: sorted keys, no insignificant white space, fixed escaping and
// number formatting. parse() is strict RFC 8259 so that what we accept we can reproduce.
#pragma once

#include "model/Error.h"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace ow::model {

enum class JsonType { Null, Bool, Int, Double, String, Array, Object };

// "null", "bool", "int", "double", "string", "array", "object" — the tokens used in "json.type" facts.
std::string_view jsonTypeName(JsonType type);

// Well-formed UTF-8 per RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF, no truncation.
bool isValidUtf8(std::string_view text);

// Integers other than bool and the character types (a char is text, not a number).
template<class T>
inline constexpr bool kIsBoolOrCharacter = std::disjunction_v<std::is_same<T, bool>, std::is_same<T, char>,
    std::is_same<T, wchar_t>, std::is_same<T, char8_t>, std::is_same<T, char16_t>, std::is_same<T, char32_t>>;

template<class T>
concept JsonInteger = std::integral<T> && !kIsBoolOrCharacter<T>;

class Json {
public:
    using Array = std::vector<Json>;
    using Object = std::map<std::string, Json>; // ordered by key bytes, which canonical() relies on

    Json() noexcept = default; // null
    Json(std::nullptr_t) noexcept { }
    Json(bool value) noexcept
        : m_value(std::in_place_type<bool>, value)
    {
    }
    // Throws "json.number" for unsigned values above INT64_MAX rather than losing them.
    template<JsonInteger T>
    Json(T value)
        : m_value(std::in_place_type<std::int64_t>, checkedInt(value))
    {
    }
    Json(double value); // throws "json.number" for NaN and infinities
    Json(const char* value); // a string, never a bool; nullptr gives null
    Json(std::string_view value)
        : m_value(std::in_place_type<std::string>, value)
    {
    }
    Json(std::string value) noexcept
        : m_value(std::in_place_type<std::string>, std::move(value))
    {
    }
    Json(Array value) noexcept
        : m_value(std::in_place_type<Array>, std::move(value))
    {
    }
    Json(Object value) noexcept
        : m_value(std::in_place_type<Object>, std::move(value))
    {
    }
    Json(char) = delete;

    static Json object() { return Json(Object{}); }
    static Json array() { return Json(Array{}); }

    // Strict RFC 8259. Throws DomainError "json.parse" with facts line, column (1-based; the
    // column counts UTF-8 characters), offset (0-based byte) and reason; "too_deep" for
    // arrays and objects nested more than kMaxDepth levels.
    static Json parse(std::string_view text);
    static constexpr int kMaxDepth = 64;

    JsonType type() const noexcept { return static_cast<JsonType>(m_value.index()); }
    bool isNull() const noexcept { return type() == JsonType::Null; }
    bool isBool() const noexcept { return type() == JsonType::Bool; }
    bool isInt() const noexcept { return type() == JsonType::Int; }
    bool isDouble() const noexcept { return type() == JsonType::Double; }
    bool isNumber() const noexcept { return isInt() || isDouble(); }
    bool isString() const noexcept { return type() == JsonType::String; }
    bool isArray() const noexcept { return type() == JsonType::Array; }
    bool isObject() const noexcept { return type() == JsonType::Object; }

    // Accessors throw DomainError "json.type" (facts expected, actual) on a mismatch.
    bool asBool() const;
    std::int64_t asInt() const;
    double asDouble() const; // an int converts
    const std::string& asString() const;
    const Array& asArray() const;
    Array& asArray();
    const Object& asObject() const;
    Object& asObject();

    // Non-const: inserts null when missing; a null value first becomes an empty object.
    Json& operator[](const std::string& key);
    // Const: a missing key, or a null value, reads as null, so lookups can be chained.
    const Json& operator[](const std::string& key) const;
    bool contains(const std::string& key) const;
    // nullptr when missing or when this is null; throws "json.type" on other non-objects.
    const Json* get(const std::string& key) const;
    Json* get(const std::string& key);
    void push_back(Json value); // a null value first becomes an empty array
    std::size_t size() const; // elements or members; 0 for null

    // Missing or null gives the default; a value of another type throws "json.type".
    std::string getString(const std::string& key, std::string def = {}) const;
    std::int64_t getInt(const std::string& key, std::int64_t def = 0) const;
    bool getBool(const std::string& key, bool def = false) const;

    // The hashed form. Throws "json.utf8" if a string or key is not valid UTF-8.
    std::string canonical() const;
    // For people: same escaping and numbers, one member per line.
    std::string pretty(int indent = 2) const;

    // Same type and same canonical form: 1 != 1.0, and 0.0 != -0.0.
    friend bool operator==(const Json& a, const Json& b);

private:
    template<JsonInteger T> static std::int64_t checkedInt(T value)
    {
        if (!std::in_range<std::int64_t>(value))
            throw DomainError(
                "json.number", {{"reason", "int_out_of_range"}, {"value", std::to_string(value)}});
        return static_cast<std::int64_t>(value);
    }

    void requireType(JsonType expected) const;

    // Order must match JsonType.
    std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> m_value;
};

// Appends `text` as a JSON string literal, escaped exactly as canonical() escapes it;
// throws "json.utf8" (fact offset) for text that is not valid UTF-8.
void appendJsonString(std::string& out, std::string_view text);

// Writes canonical JSON text directly, for values written often (a case's state) without
// building a Json first: the same text canonical() gives for the value built. Members must
// be given in canonical key order (by key bytes); a key out of order throws
// std::logic_error, so a writer's order is checked wherever it runs. Strings are checked
// as canonical() checks them ("json.utf8").
class JsonTextWriter {
public:
    JsonTextWriter& beginObject() { return open('{', true); }
    JsonTextWriter& endObject() { return close('}', true); }
    JsonTextWriter& beginArray() { return open('[', false); }
    JsonTextWriter& endArray() { return close(']', false); }
    JsonTextWriter& key(std::string_view name);
    JsonTextWriter& value(std::string_view text);
    JsonTextWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonTextWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonTextWriter& value(bool b) { return literal(b ? "true" : "false"); }
    template<JsonInteger T> JsonTextWriter& value(T number)
    {
        return integer(static_cast<std::int64_t>(number));
    }
    JsonTextWriter& null() { return literal("null"); }
    // A whole value, written as canonical() does.
    JsonTextWriter& value(const Json& j) { return literal(j.canonical()); }
    // Shorthands: a key and its value.
    template<class T> JsonTextWriter& member(std::string_view name, const T& v) { return key(name).value(v); }
    // The text; the writer is empty afterwards. Throws std::logic_error when a value is open.
    std::string take();

private:
    JsonTextWriter& open(char bracket, bool object);
    JsonTextWriter& close(char bracket, bool object);
    JsonTextWriter& literal(std::string_view text); // a value's text, already JSON
    JsonTextWriter& integer(std::int64_t number);
    void beforeValue();
    struct Level {
        explicit Level(bool isObject)
            : object(isObject)
        {
        }
        bool object;
        bool empty = true;
        bool keyed = false; // an object's key was written, its value not yet
        std::string lastKey;
    };
    std::vector<Level> m_levels;
    std::string m_out;
};

} // namespace ow::model
