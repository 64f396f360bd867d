#include "model/Json.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

using namespace ow::model;

namespace {

// Source files stay ASCII so that every compiler reads them the same; UTF-8 text is spelled in bytes.
const std::string kZhangSan = "\xE5\xBC\xA0\xE4\xB8\x89"; // U+5F20 U+4E09
const std::string kXingMing = "\xE5\xA7\x93\xE5\x90\x8D"; // U+59D3 U+540D
const std::string kDiZhi = "\xE5\x9C\xB0\xE5\x9D\x80"; // U+5730 U+5740
const std::string kHangzhou = "\xE6\xB5\x99\xE6\xB1\x9F\xE7\x9C\x81\xE6\x9D\xAD\xE5\xB7\x9E\xE5\xB8\x82";
const std::string kExtB = "\xF0\xA0\xAE\xB7"; // U+20BB7, outside the BMP

// "reason@line:column" of a rejected document, so a failure shows all three at once.
std::string parseError(std::string_view text)
{
    try {
        Json::parse(text);
    } catch (const DomainError& e) {
        if (e.code() != "json.parse")
            return "wrong code " + e.code();
        return e.fact("reason") + "@" + e.fact("line") + ":" + e.fact("column");
    }
    return "accepted";
}

std::string errorCode(const std::function<void()>& action, Facts* facts = nullptr)
{
    try {
        action();
    } catch (const DomainError& e) {
        if (facts)
            *facts = e.facts();
        return e.code();
    }
    return "no error";
}

std::string quoted(const std::string& s)
{
    return "\"" + s + "\"";
}

} // namespace

TEST_CASE("json: canonical output sorts keys at every level and drops white space", "[json]")
{
    Json doc;
    doc["zeta"] = 1;
    doc["alpha"] = Json::Array{true, nullptr, "x", 2.5};
    doc["mid"]["b"] = "second";
    doc["mid"]["a"] = Json::object();
    doc["mid"]["c"] = Json::array();
    CHECK(doc.canonical() == R"({"alpha":[true,null,"x",2.5],"mid":{"a":{},"b":"second","c":[]},"zeta":1})");

    const Json parsed
        = Json::parse("  {\n\t\"zeta\" : 1 ,\r\n \"mid\": {\"c\": [ ], \"b\":\"second\", \"a\":{ }},"
                      " \"alpha\": [ true , null, \"x\", 2.5 ] }  ");
    CHECK(parsed.canonical() == doc.canonical());
    CHECK(parsed == doc);
}

TEST_CASE("json: keys are ordered by UTF-8 bytes", "[json]")
{
    Json doc = Json::object();
    for (const std::string& key : {std::string("b"), std::string("aa"), std::string("a"), std::string("B"),
             std::string("\xC3\xA9"), std::string("\xE4\xB8\xAD"), std::string("")})
        doc[key] = 0;
    CHECK(doc.canonical() == "{\"\":0,\"B\":0,\"a\":0,\"aa\":0,\"b\":0,\"\xC3\xA9\":0,\"\xE4\xB8\xAD\":0}");
}

TEST_CASE("json: canonical escapes only quote, backslash and control characters", "[json]")
{
    const std::string raw
        = std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f") + std::string(1, '\0') + "end \xC3\xA9";
    CHECK(Json(raw).canonical() == "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u0000end \xC3\xA9\"");
    // Escapes in the input are decoded, so the canonical form does not depend on how a writer spelled them.
    CHECK(Json::parse(R"("\u00e9\u4E2D\/\"\\\b\f\n\r\t\u0000\u007F")").canonical()
        == "\"\xC3\xA9\xE4\xB8\xAD/\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u007f\"");
    CHECK(Json::parse(R"("\u0000")").asString() == std::string(1, '\0'));
    CHECK(Json::parse("\"\"").asString().empty());
}

TEST_CASE("json: CJK text round-trips byte for byte", "[json]")
{
    const std::string text
        = "{\"" + kXingMing + "\":\"" + kZhangSan + "\",\"" + kDiZhi + "\":\"" + kHangzhou + "\"}";
    // U+5730 sorts before U+59D3.
    const std::string canonical
        = "{\"" + kDiZhi + "\":\"" + kHangzhou + "\",\"" + kXingMing + "\":\"" + kZhangSan + "\"}";
    CHECK(Json::parse(text).canonical() == canonical);
    CHECK(Json::parse(canonical).canonical() == canonical);
    CHECK(Json::parse(text)[kXingMing].asString() == kZhangSan);
}

TEST_CASE("json: supplementary-plane characters (CJK Extension B) round-trip", "[json]")
{
    const std::string raw = quoted(kExtB + "\xE9\x87\x8E\xE5\xAE\xB6"); // U+20BB7 U+91CE U+5BB6
    CHECK(Json::parse(raw).canonical() == raw);
    CHECK(Json::parse(raw).asString().size() == 10);

    // The same character written as a surrogate pair decodes to the same four bytes.
    CHECK(Json::parse(R"("\uD842\uDFB7")").asString() == kExtB);
    CHECK(Json::parse(R"("\ud842\udfb7")").canonical() == quoted(kExtB));
    CHECK(Json::parse(R"("\uD83D\uDE00")").asString() == "\xF0\x9F\x98\x80"); // U+1F600
    CHECK(Json::parse(R"("\uD800\uDC00")").asString() == "\xF0\x90\x80\x80"); // U+10000
    CHECK(Json::parse(R"("\uDBFF\uDFFF")").asString() == "\xF4\x8F\xBF\xBF"); // U+10FFFF

    const Json key = Json::parse("{\"" + kExtB + "\":\"" + kExtB + "\"}");
    CHECK(key.canonical() == "{\"" + kExtB + "\":\"" + kExtB + "\"}");
}

TEST_CASE("json: every parse error reason with its line and column", "[json]")
{
    // Columns are 1-based and count characters; lines are separated by LF (CR LF counts once).
    CHECK(parseError("{\n  \"a\": 1,\n  \"b\": x\n}") == "unexpected_character@3:8");
    CHECK(parseError("{\n  \"a\": [1,\n") == "unexpected_end@3:1");
    CHECK(parseError("[\n  \"ok\",\n  \"a\\qb\"\n]") == "bad_escape@3:5");
    CHECK(parseError("[\n  \"\\u12G4\"\n]") == "bad_unicode_escape@2:4");
    CHECK(parseError("[\n  \"x\\uD834y\"\n]") == "lone_surrogate@2:5");
    CHECK(parseError("[\n  \"ab\xC0\xAF\"\n]") == "invalid_utf8@2:6");
    CHECK(parseError("{\r\n\"a\":\"x\ty\"}") == "control_character_in_string@2:7");
    CHECK(parseError("[\n 1,\n 1e400]") == "number_out_of_range@3:2");
    CHECK(parseError("{\n  \"a\": 1,\n  \"a\": 2\n}") == "duplicate_key@3:3");
    CHECK(parseError("\n" + std::string(65, '[') + std::string(65, ']')) == "too_deep@2:65");
    CHECK(parseError("{\"a\":1}\n  x") == "trailing_characters@2:3");
    CHECK(parseError("[\n  007\n]") == "leading_zero@2:3");
}

TEST_CASE("json: error columns count characters and the offset counts bytes", "[json]")
{
    const std::string text = "{\"" + kXingMing + "\": x}";
    CHECK(parseError(text) == "unexpected_character@1:8");
    Facts facts;
    CHECK(errorCode([&] { Json::parse(text); }, &facts) == "json.parse");
    CHECK(facts["offset"] == "11");
}

TEST_CASE("json: malformed documents", "[json]")
{
    CHECK(parseError("") == "unexpected_end@1:1");
    CHECK(parseError(" \n ") == "unexpected_end@2:2");
    CHECK(parseError("\xEF\xBB\xBF{}") == "unexpected_character@1:1"); // BOM
    CHECK(parseError("[1,]") == "unexpected_character@1:4");
    CHECK(parseError("{\"a\":1,}") == "unexpected_character@1:8");
    CHECK(parseError("[1 2]") == "unexpected_character@1:4");
    CHECK(parseError("{\"a\" 1}") == "unexpected_character@1:6");
    CHECK(parseError("{a:1}") == "unexpected_character@1:2");
    CHECK(parseError("{1:1}") == "unexpected_character@1:2");
    CHECK(parseError("['a']") == "unexpected_character@1:2");
    CHECK(parseError("tru") == "unexpected_end@1:4");
    CHECK(parseError("trux") == "unexpected_character@1:4");
    CHECK(parseError("True") == "unexpected_character@1:1");
    CHECK(parseError("nul") == "unexpected_end@1:4");
    CHECK(parseError("NaN") == "unexpected_character@1:1");
    CHECK(parseError("-Infinity") == "unexpected_character@1:2");
    CHECK(parseError("\"abc") == "unexpected_end@1:5");
    CHECK(parseError("\"abc\\") == "unexpected_end@1:6");
    CHECK(parseError("\"\\u12") == "unexpected_end@1:6");
    CHECK(parseError("[\"\\x\"]") == "bad_escape@1:3");
    CHECK(parseError("[\"\\'\"]") == "bad_escape@1:3");
    CHECK(parseError("\"\xE4\xB8\xAD\x01\"") == "control_character_in_string@1:3");
    CHECK(parseError("\"a\nb\"") == "control_character_in_string@1:3");
    CHECK(parseError("\"\x7F\"") == "accepted"); // DEL needs no escape on input
    CHECK(parseError("[1]x") == "trailing_characters@1:4");
    CHECK(parseError("1 2") == "trailing_characters@1:3");
    CHECK(parseError("\xC3\xA9") == "unexpected_character@1:1"); // non-ASCII outside a string
    CHECK(parseError("[1,\xC3\xA9]") == "unexpected_character@1:4");
}

TEST_CASE("json: surrogate escapes must pair up", "[json]")
{
    CHECK(parseError(R"("\uDD1E")") == "lone_surrogate@1:2"); // low surrogate alone
    CHECK(parseError(R"("\uD834")") == "lone_surrogate@1:2"); // high surrogate then quote
    CHECK(parseError(R"("\uD834\u0041")") == "lone_surrogate@1:2"); // high followed by non-low
    CHECK(parseError(R"("\uD834\uD834")") == "lone_surrogate@1:2"); // two highs
    CHECK(parseError(R"("\uD834\n")") == "lone_surrogate@1:2");
    CHECK(parseError(R"("a\uD834\uZZZZ")") == "bad_unicode_escape@1:9");
    CHECK(parseError("\"\\uD834") == "unexpected_end@1:8");
    CHECK(parseError("\"\\uD834\\") == "unexpected_end@1:9");
}

TEST_CASE("json: numbers and their grammar", "[json]")
{
    CHECK(parseError("01") == "leading_zero@1:1");
    CHECK(parseError("-01") == "leading_zero@1:2");
    CHECK(parseError("[0, 00]") == "leading_zero@1:5");
    CHECK(parseError("+1") == "unexpected_character@1:1");
    CHECK(parseError(".5") == "unexpected_character@1:1");
    CHECK(parseError("1.") == "unexpected_end@1:3");
    CHECK(parseError("[1.]") == "unexpected_character@1:4");
    CHECK(parseError("1.e5") == "unexpected_character@1:3");
    CHECK(parseError("1e") == "unexpected_end@1:3");
    CHECK(parseError("1e+") == "unexpected_end@1:4");
    CHECK(parseError("[1e+x]") == "unexpected_character@1:5");
    CHECK(parseError("-") == "unexpected_end@1:2");
    CHECK(parseError("[-]") == "unexpected_character@1:3");
    CHECK(parseError("- 1") == "unexpected_character@1:2");
    CHECK(parseError("0x10") == "trailing_characters@1:2");
    CHECK(parseError("-1e400") == "number_out_of_range@1:1");
    CHECK(parseError("1e-400") == "number_out_of_range@1:1"); // would silently become 0
    CHECK(parseError("[" + std::string(400, '9') + "]") == "number_out_of_range@1:2");

    CHECK(Json::parse("0").isInt());
    CHECK(Json::parse("-12").asInt() == -12);
    CHECK(Json::parse("0e-999").asDouble() == 0.0);
    CHECK(Json::parse("1E2").isDouble());
    CHECK(Json::parse("1E2").canonical() == "100.0");
    CHECK(Json::parse("1.50").canonical() == "1.5");
    CHECK(Json::parse("2.5e-3").asDouble() == 0.0025);
    CHECK(Json::parse("5e-324").asDouble() == std::numeric_limits<double>::denorm_min());
}

TEST_CASE("json: int64 limits, 2^63 and negative zero", "[json]")
{
    const auto max = std::numeric_limits<std::int64_t>::max();
    const auto min = std::numeric_limits<std::int64_t>::min();

    const Json parsedMax = Json::parse("9223372036854775807");
    REQUIRE(parsedMax.isInt());
    CHECK(parsedMax.asInt() == max);
    CHECK(parsedMax.canonical() == "9223372036854775807");
    const Json parsedMin = Json::parse("-9223372036854775808");
    REQUIRE(parsedMin.isInt());
    CHECK(parsedMin.asInt() == min);
    CHECK(Json(min).canonical() == "-9223372036854775808");
    CHECK(Json(max) == parsedMax);

    const Json twoTo63 = Json::parse("9223372036854775808");
    REQUIRE(twoTo63.isDouble());
    CHECK(twoTo63.asDouble() == 9223372036854775808.0);
    CHECK(twoTo63.canonical() == "9223372036854775808.0");
    CHECK(Json::parse(twoTo63.canonical()) == twoTo63);
    CHECK(Json::parse("-9223372036854775809").isDouble());

    // "-0" is an integer that fits int64, so it is the int 0; -0.0 stays a negative double.
    const Json minusZero = Json::parse("-0");
    REQUIRE(minusZero.isInt());
    CHECK(minusZero.asInt() == 0);
    CHECK(minusZero.canonical() == "0");
    const Json minusZeroDouble = Json::parse("-0.0");
    REQUIRE(minusZeroDouble.isDouble());
    CHECK(std::signbit(minusZeroDouble.asDouble()));
    CHECK(minusZeroDouble.canonical() == "-0.0");
    CHECK(Json(-0.0).canonical() == "-0.0");
    CHECK(Json(0.0).canonical() == "0.0");
    CHECK(Json(-0.0) != Json(0.0));

    CHECK(Json(std::uint64_t{5}).asInt() == 5);
    CHECK(Json(std::uint8_t{200}).asInt() == 200);
    CHECK(errorCode([] { (void)Json(std::numeric_limits<std::uint64_t>::max()); }) == "json.number");
}

TEST_CASE("json: doubles use the shortest form that round-trips", "[json]")
{
    CHECK(Json(1.0).canonical() == "1.0");
    CHECK(Json(100.0).canonical() == "100.0");
    CHECK(Json(0.5).canonical() == "0.5");
    CHECK(Json(0.1).canonical() == "0.1");
    CHECK(Json(-2.5).canonical() == "-2.5");
    CHECK(Json(0.1 + 0.2).canonical() == "0.30000000000000004");
    CHECK(Json(1e21).canonical() == "1e+21");
    CHECK(Json(1e-7).canonical() == "1e-07");

    for (const double value : {0.1, 1.0 / 3.0, 2.0 / 3.0, 1e21, 1e-7, 123456.789, 1e300, -1e-300,
             4503599627370497.0, 123456789012345680000.0, std::numeric_limits<double>::max(),
             std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
             std::numeric_limits<double>::lowest(), std::numeric_limits<double>::epsilon()}) {
        const std::string text = Json(value).canonical();
        const Json back = Json::parse(text);
        INFO(text);
        REQUIRE(back.isDouble());
        CHECK(back == Json(value));
        CHECK(back.canonical() == text);
    }
}

TEST_CASE("json: NaN and infinities cannot be stored", "[json]")
{
    Facts facts;
    CHECK(errorCode([] { (void)Json(std::numeric_limits<double>::quiet_NaN()); }, &facts) == "json.number");
    CHECK(facts["value"] == "nan");
    CHECK(errorCode([] { (void)Json(std::numeric_limits<double>::infinity()); }, &facts) == "json.number");
    CHECK(facts["value"] == "inf");
    CHECK(errorCode([] { (void)Json(-std::numeric_limits<double>::infinity()); }, &facts) == "json.number");
    CHECK(facts["value"] == "-inf");
}

TEST_CASE("json: nesting depth 64 is accepted and 65 refused", "[json]")
{
    const std::string deepest = std::string(64, '[') + "1" + std::string(64, ']');
    CHECK(Json::parse(deepest).canonical() == deepest);
    CHECK(parseError(std::string(65, '[') + "1" + std::string(65, ']')) == "too_deep@1:65");

    std::string objects;
    for (int i = 0; i < 64; ++i)
        objects += "{\"a\":";
    objects += "null" + std::string(64, '}');
    CHECK(Json::parse(objects).canonical() == objects);
    CHECK(parseError("[" + objects + "]") == "too_deep@1:317");

    // Depth is nesting, not the number of containers: siblings do not add up.
    std::string wide = "[";
    for (int i = 0; i < 100; ++i)
        wide += std::string(i ? "," : "") + std::string(63, '[') + std::string(63, ']');
    wide += "]";
    CHECK(Json::parse(wide).size() == 100);
}

TEST_CASE("json: duplicate keys are refused, also when spelled differently", "[json]")
{
    CHECK(parseError(R"({"a":1,"a":1})") == "duplicate_key@1:8");
    CHECK(parseError(R"({"a":1,"\u0061":2})") == "duplicate_key@1:8");
    CHECK(parseError(R"({"x":{"a":1,"b":{"a":2}},"b":{"a":1,"a":2}})") == "duplicate_key@1:37");
    CHECK(Json::parse(R"({"a":{"a":{"a":1}}})").canonical() == R"({"a":{"a":{"a":1}}})");
}

TEST_CASE("json: invalid UTF-8 is refused in every form", "[json]")
{
    const std::string bad[] = {
        "\xC0\xAF", // overlong '/'
        "\xC1\xBF", // overlong
        "\xE0\x80\xAF", // overlong 3-byte
        "\xE0\x9F\xBF", // overlong 3-byte (below U+0800)
        "\xF0\x80\x80\xAF", // overlong 4-byte
        "\xF0\x8F\xBF\xBF", // overlong 4-byte (below U+10000)
        "\xED\xA0\x80", // U+D800 encoded directly
        "\xED\xBF\xBF", // U+DFFF encoded directly
        "\xED\xA0\xBD\xED\xB8\x80", // CESU-8 surrogate pair
        "\xF4\x90\x80\x80", // U+110000
        "\xF5\x80\x80\x80", // lead byte beyond U+10FFFF
        "\xF8\x88\x80\x80\x80", // 5-byte form
        "\xFE",
        "\xFF",
        "\x80", // stray continuation
        "\xBF",
        "\xC3", // truncated 2-byte
        "\xE4\xB8", // truncated 3-byte
        "\xF0\xA0\xAE", // truncated 4-byte
        "\xE4"
        "a", // lead byte followed by ASCII
        "\xE4\xB8"
        "a",
    };
    for (const std::string& bytes : bad) {
        INFO("bad sequence #" << (&bytes - bad));
        CHECK_FALSE(isValidUtf8(bytes));
        CHECK_FALSE(isValidUtf8("ok " + bytes + " ok"));
        CHECK(parseError(quoted(bytes)) == "invalid_utf8@1:2");
        CHECK(parseError("{\"k\":\"ab" + bytes + "\"}") == "invalid_utf8@1:9");
        CHECK(parseError("{\"" + bytes + "\":1}") == "invalid_utf8@1:3");
        CHECK(errorCode([&] { Json(bytes).canonical(); }) == "json.utf8");
        CHECK(errorCode([&] {
            Json doc;
            doc[bytes] = 1;
            doc.canonical();
        }) == "json.utf8");
    }
    // Truncated at the very end of the input.
    CHECK(parseError("\"\xE4\xB8") == "invalid_utf8@1:2");

    const std::string good[]
        = {"", "plain", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
            "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", kZhangSan, kExtB, std::string(1, '\0')};
    for (const std::string& bytes : good) {
        CHECK(isValidUtf8(bytes));
        if (bytes.find('\0') == std::string::npos)
            CHECK(Json::parse(quoted(bytes)).asString() == bytes);
    }
}

TEST_CASE("json: equality is structural and type-exact", "[json]")
{
    CHECK(Json() == Json(nullptr));
    CHECK(Json("a") == Json(std::string("a")));
    CHECK(Json("a") == Json(std::string_view("a")));
    CHECK(Json(1) == Json(std::int64_t{1}));
    CHECK(Json(1) != Json(1.0));
    CHECK(Json(0) != Json(false));
    CHECK(Json() != Json(false));
    CHECK(Json("1") != Json(1));
    CHECK(Json::array() != Json::object());
    CHECK(Json(Json::Array{1, 2}) != Json(Json::Array{2, 1}));
    CHECK(Json(Json::Array{1, 2}) == Json::parse("[1,2]"));
    CHECK(Json::parse(R"({"b":1,"a":[true,null,{"c":"d"}]})")
        == Json::parse(R"({"a":[true,null,{"c":"d"}],"b":1})"));
    CHECK(Json::parse(R"({"a":1})") != Json::parse(R"({"a":1,"b":1})"));
    CHECK(Json::parse(R"({"a":1})") != Json::parse(R"({"a":2})"));
}

TEST_CASE("json: construction picks the intended type", "[json]")
{
    CHECK(Json("text").isString()); // a string literal must not decay to bool
    const char* pointer = "text";
    CHECK(Json(pointer).isString());
    CHECK(Json(static_cast<const char*>(nullptr)).isNull());
    CHECK(Json(true).isBool());
    CHECK(Json(42).isInt());
    CHECK(Json(42L).isInt());
    CHECK(Json(42u).isInt());
    CHECK(Json(4.2).isDouble());
    CHECK(Json(4.5f).asDouble() == 4.5);
    CHECK(Json().isNull());
    CHECK(Json::object().isObject());
    CHECK(Json::array().isArray());
    CHECK(Json().type() == JsonType::Null);
    CHECK(Json(Json::Object{{"k", "v"}}).type() == JsonType::Object);
    CHECK(jsonTypeName(JsonType::Double) == "double");
    CHECK(Json(7).isNumber());
    CHECK(Json(7.5).isNumber());
    CHECK_FALSE(Json("7").isNumber());
}

TEST_CASE("json: accessors throw json.type with expected and actual", "[json]")
{
    Facts facts;
    CHECK(errorCode([] { Json(1).asString(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "string"}, {"actual", "int"}});
    CHECK(errorCode([] { Json("x").asInt(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "int"}, {"actual", "string"}});
    CHECK(errorCode([] { Json(1.5).asInt(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "int"}, {"actual", "double"}});
    CHECK(errorCode([] { Json().asBool(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "bool"}, {"actual", "null"}});
    CHECK(errorCode([] { Json(true).asDouble(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "double"}, {"actual", "bool"}});
    CHECK(errorCode([] { Json::object().asArray(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "array"}, {"actual", "object"}});
    CHECK(errorCode([] { Json::array().asObject(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "object"}, {"actual", "array"}});
    CHECK(errorCode([] { Json("s").size(); }, &facts) == "json.type");
    CHECK(facts == Facts{{"expected", "array|object"}, {"actual", "string"}});
    CHECK(errorCode([] {
        Json n = 3;
        n["k"] = 1;
    }) == "json.type");
    CHECK(errorCode([] {
        const Json n = 3;
        (void)n["k"];
    }) == "json.type");
    CHECK(errorCode([] {
        Json s = "s";
        s.push_back(1);
    }) == "json.type");

    CHECK(Json(2).asDouble() == 2.0);
    CHECK(Json(-7).asInt() == -7);
    CHECK(Json(false).asBool() == false);
}

TEST_CASE("json: object and array access", "[json]")
{
    Json doc = Json::parse(
        R"({"type":"case.accepted","seq":42,"urgent":true,"body":{"note":null},"heads":["a"]})");

    CHECK(doc["type"].asString() == "case.accepted");
    CHECK(doc.contains("seq"));
    CHECK_FALSE(doc.contains("missing"));
    CHECK(doc.get("missing") == nullptr);
    REQUIRE(doc.get("seq") != nullptr);
    CHECK(doc.get("seq")->asInt() == 42);
    CHECK(doc.size() == 5);
    CHECK(doc["heads"].size() == 1);

    const Json& view = doc;
    CHECK(view["missing"].isNull());
    CHECK(view["missing"]["deeper"].isNull()); // lookups chain through null
    CHECK(view.size() == 5); // const lookups did not insert
    CHECK(Json().size() == 0);
    CHECK_FALSE(Json().contains("x"));

    CHECK(doc.getString("type") == "case.accepted");
    CHECK(doc.getString("missing", "fallback") == "fallback");
    CHECK(doc["body"].getString("note", "none") == "none"); // null reads as missing
    CHECK(doc.getInt("seq") == 42);
    CHECK(doc.getInt("missing", -1) == -1);
    CHECK(doc.getBool("urgent") == true);
    CHECK(doc.getBool("missing", true) == true);
    CHECK(errorCode([&] { doc.getInt("type"); }) == "json.type");
    CHECK(errorCode([&] { doc.getString("seq"); }) == "json.type");
    CHECK(errorCode([&] { doc.getBool("seq"); }) == "json.type");

    doc["added"] = "x"; // non-const access inserts
    CHECK(doc.size() == 6);
    doc.get("seq")->asInt();
    *doc.get("seq") = 43;
    CHECK(doc.getInt("seq") == 43);

    Json list;
    list.push_back(1);
    list.push_back("two");
    list.push_back(Json::object());
    CHECK(list.canonical() == R"([1,"two",{}])");
    list.asArray()[0] = 3;
    CHECK(list.asArray().front().asInt() == 3);

    Json built;
    built["a"]["b"]["c"] = 1;
    CHECK(built.canonical() == R"({"a":{"b":{"c":1}}})");
}

TEST_CASE("json: pretty output for people", "[json]")
{
    const Json doc = Json::parse(R"({"c":[],"a":[1,{"x":"y"}],"b":{}})");
    CHECK(doc.pretty()
        == "{\n  \"a\": [\n    1,\n    {\n      \"x\": \"y\"\n    }\n  ],\n  \"b\": {},\n  \"c\": []\n}");
    CHECK(doc.pretty(4).find("\n    \"a\": [\n        1,") != std::string::npos);
    CHECK(Json::parse(doc.pretty()) == doc);
    CHECK(Json(1.0).pretty() == "1.0");
    CHECK(Json("\t").pretty() == "\"\\t\"");
}

TEST_CASE("json: an event document hashes over a stable canonical form", "[json]")
{
    Json ev;
    ev["_id"] = "ev-a1b2-000000000042";
    ev["origin"] = "a1b2";
    ev["seq"] = 42;
    ev["hlc"] = std::int64_t{1795000000000} << 10;
    ev["type"] = "case.accepted";
    ev["case"] = "330102-20261128-000123";
    ev["actor"] = "clerk01";
    ev["heads"] = Json::Array{"ev-a1b2-000000000041"};
    ev["body"]["applicant"] = kZhangSan;
    const std::string canonical = ev.canonical();
    CHECK(canonical
        == "{\"_id\":\"ev-a1b2-000000000042\",\"actor\":\"clerk01\",\"body\":{\"applicant\":\"" + kZhangSan
            + "\"},\"case\":\"330102-20261128-000123\",\"heads\":[\"ev-a1b2-000000000041\"],"
              "\"hlc\":1838080000000000,\"origin\":\"a1b2\",\"seq\":42,\"type\":\"case.accepted\"}");
    CHECK(Json::parse(canonical).canonical() == canonical);
    CHECK(Json::parse(ev.pretty()).canonical() == canonical);
}

TEST_CASE("json text writer: writes what canonical() gives, and refuses keys out of order", "[json]")
{
    JsonTextWriter w;
    w.beginObject()
        .member("a", std::string("引号\"与\\反斜杠\n"))
        .key("b")
        .beginArray()
        .value(true)
        .value(std::int64_t{-9007199254740991})
        .null()
        .beginObject()
        .endObject()
        .beginArray()
        .endArray()
        .endArray()
        .member("c", Json::parse(R"({"z":1,"y":[2.5,"x"]})"))
        .member("d", "text")
        .endObject();
    const std::string text = w.take();
    CHECK(text == Json::parse(text).canonical());
    CHECK(text
        == R"({"a":"引号\"与\\反斜杠\n","b":[true,-9007199254740991,null,{},[]],"c":{"y":[2.5,"x"],"z":1},"d":"text"})");

    JsonTextWriter out;
    out.beginObject().member("b", 1);
    CHECK_THROWS_AS(out.key("a"), std::logic_error);
    CHECK_THROWS_AS(out.key("b"), std::logic_error); // a key twice is out of order too
    JsonTextWriter open;
    open.beginArray().value("x");
    CHECK_THROWS_AS(open.take(), std::logic_error);
    JsonTextWriter keyless;
    keyless.beginObject();
    CHECK_THROWS_AS(keyless.value("no key"), std::logic_error);
    JsonTextWriter badUtf8;
    badUtf8.beginArray();
    CHECK_THROWS_AS(badUtf8.value(std::string("\xff")), DomainError);
}
