// MD5 (RFC 1321), only for CouchDB-style `_rev` values ("1-<md5>"); never for integrity.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ow::model {

using Md5Digest = std::array<std::uint8_t, 16>;

Md5Digest md5(std::string_view data);
std::string md5Hex(std::string_view data); // 32 lower-case hex digits

} // namespace ow::model
