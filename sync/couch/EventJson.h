// Event documents as peers send them: JSON request bodies parsed with simdjson (DESIGN:
// "Poco serves HTTP and TLS, simdjson parses event batches"), and a received document
// checked into a model::Event with a reason when it is not one.
#pragma once

#include "model/Event.h"
#include "model/Json.h"

#include <optional>
#include <string>
#include <string_view>

namespace ow::sync {

// Strict JSON into a model::Json: the same texts taken and refused, and the same values
// read, as model::Json::parse (a key repeated in an object is refused, an integer beyond
// the int64 range becomes a double, a number too small or too large for a double and
// nesting past Json::kMaxDepth are refused). Throws DomainError "json.parse" (fact
// reason) on malformed input, including invalid UTF-8.
model::Json parseJsonFast(std::string_view text);

// A document received from a peer as an event: CouchDB's own fields (_revisions, as
// replicators send them) are checked and set aside; a deletion, attachments or anything
// not an event are refused. Empty with `reason` ("hash: mismatch", "_deleted: events are
// never deleted", …) when the document is not a valid event.
std::optional<model::Event> eventFromDocument(const model::Json& doc, std::string& reason);
// The same, taking the document apart instead of copying it, and giving the event's
// canonical document text (made while checking its hash) in `canonicalText`.
std::optional<model::Event> eventFromDocument(
    model::Json&& doc, std::string& reason, std::string& canonicalText);

} // namespace ow::sync
