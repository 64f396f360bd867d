// HMAC-SHA256 (RFC 2104): keyed hashes, e.g. to index national ID numbers without storing them.
#pragma once

#include "model/Sha256.h"

#include <string>
#include <string_view>

namespace ow::model {

// `key` and `message` are raw bytes; a key longer than the 64-byte block is hashed first.
Sha256Digest hmacSha256(std::string_view key, std::string_view message);
std::string hmacSha256Hex(std::string_view key, std::string_view message); // 64 lower-case hex digits

} // namespace ow::model
