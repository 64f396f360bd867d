#include "sync/couch/EventJson.h"

#include "model/Error.h"

#include <simdjson.h>

namespace ow::sync {

using model::DomainError;
using model::Json;

namespace {

// simdjson and model::Json::parse differ only at the edges: simdjson refuses an integer
// beyond the 64-bit ranges, which the model reads as a double; it reads a literal too
// small for a double as zero, which the model refuses; and it nests deeper than the
// model's limit. The model writes none of these (events hold no doubles), so a text where
// one could be at stake (a number simdjson refuses, a double that reads as zero, nesting
// past the limit) is read by the model's parser, which then reads or refuses it.
struct ModelDecides { };

Json convert(simdjson::dom::element e, int depth = 0)
{
    switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
        if (depth >= Json::kMaxDepth)
            throw ModelDecides{};
        Json::Object out;
        for (auto field : simdjson::dom::object(e))
            // As model::Json::parse: a key twice is refused, not settled by either copy.
            if (!out.try_emplace(std::string(field.key), convert(field.value, depth + 1)).second)
                throw DomainError("json.parse", {{"reason", "duplicate_key"}});
        return Json(std::move(out));
    }
    case simdjson::dom::element_type::ARRAY: {
        if (depth >= Json::kMaxDepth)
            throw ModelDecides{};
        Json::Array out;
        for (auto item : simdjson::dom::array(e))
            out.push_back(convert(item, depth + 1));
        return Json(std::move(out));
    }
    case simdjson::dom::element_type::STRING:
        return Json(std::string(std::string_view(e)));
    case simdjson::dom::element_type::INT64:
        return Json(std::int64_t(e));
    case simdjson::dom::element_type::UINT64:
        // Only above INT64_MAX: a double, as model::Json::parse reads such an integer.
        return Json(static_cast<double>(std::uint64_t(e)));
    case simdjson::dom::element_type::DOUBLE:
        if (double(e) == 0.0)
            throw ModelDecides{};
        return Json(double(e));
    case simdjson::dom::element_type::BOOL:
        return Json(bool(e));
    case simdjson::dom::element_type::NULL_VALUE:
        return Json(nullptr);
    }
    return Json(nullptr);
}

} // namespace

Json parseJsonFast(std::string_view text)
{
    // One parser per thread: it keeps its buffers between requests.
    thread_local simdjson::dom::parser parser;
    simdjson::padded_string padded(text);
    simdjson::dom::element root;
    if (auto error = parser.parse(padded).get(root)) {
        if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE
            || error == simdjson::DEPTH_ERROR)
            return Json::parse(text);
        throw DomainError("json.parse", {{"reason", simdjson::error_message(error)}});
    }
    try {
        return convert(root);
    } catch (const ModelDecides&) {
        return Json::parse(text);
    }
}

namespace {

// Throws DomainError (json.type, event.invalid …) on anything that is not an event.
// `doc` loses its _revisions and its body.
std::optional<model::Event> checkedEvent(Json& doc, std::string& reason, std::string& canonicalText)
{
    if (!doc.isObject()) {
        reason = "document: not an object";
        return std::nullopt;
    }
    for (const char* refused : {"_deleted", "_attachments", "_conflicts", "_deleted_conflicts"})
        if (doc.contains(refused)) {
            reason = std::string(refused)
                + (std::string(refused) == "_deleted" ? ": events are never deleted"
                                                      : ": not part of an event");
            return std::nullopt;
        }
    if (const Json* revisions = doc.get("_revisions")) {
        // One revision, the document's own: {"start": 1, "ids": ["<md5>"]}.
        const std::string rev = doc.getString("_rev");
        const Json* ids = revisions->isObject() ? revisions->get("ids") : nullptr;
        const Json* start = revisions->isObject() ? revisions->get("start") : nullptr;
        if (!ids || !ids->isArray() || ids->size() != 1 || !ids->asArray()[0].isString() || !start
            || !start->isInt() || start->asInt() != 1 || "1-" + ids->asArray()[0].asString() != rev) {
            reason = "_revisions: an event has exactly one revision, its _rev";
            return std::nullopt;
        }
        doc.asObject().erase("_revisions");
    }
    return model::Event::fromDocument(std::move(doc), canonicalText);
}

std::optional<model::Event> guardedEvent(Json& doc, std::string& reason, std::string& canonicalText)
{
    try {
        return checkedEvent(doc, reason, canonicalText);
    } catch (const DomainError& e) {
        // A field of the wrong type anywhere: the document is not an event.
        const std::string field = e.fact("field");
        reason = (field.empty() ? e.code() : field) + ": "
            + (e.fact("reason").empty() ? e.what() : e.fact("reason"));
        return std::nullopt;
    }
}

} // namespace

std::optional<model::Event> eventFromDocument(const Json& doc, std::string& reason)
{
    Json copy = doc;
    std::string canonicalText;
    return guardedEvent(copy, reason, canonicalText);
}

std::optional<model::Event> eventFromDocument(Json&& doc, std::string& reason, std::string& canonicalText)
{
    return guardedEvent(doc, reason, canonicalText);
}

} // namespace ow::sync
