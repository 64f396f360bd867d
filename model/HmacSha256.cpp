#include "model/HmacSha256.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace ow::model {

Sha256Digest hmacSha256(std::string_view key, std::string_view message)
{
    constexpr std::size_t kBlock = 64;

    std::array<std::uint8_t, kBlock> paddedKey{};
    if (key.size() > kBlock) {
        const Sha256Digest hashedKey = sha256(key);
        std::copy(hashedKey.begin(), hashedKey.end(), paddedKey.begin());
    } else {
        std::transform(
            key.begin(), key.end(), paddedKey.begin(), [](char c) { return static_cast<std::uint8_t>(c); });
    }

    std::string innerPad(kBlock, '\0');
    std::string outerPad(kBlock, '\0');
    for (std::size_t i = 0; i < kBlock; ++i) {
        innerPad[i] = static_cast<char>(paddedKey[i] ^ 0x36);
        outerPad[i] = static_cast<char>(paddedKey[i] ^ 0x5c);
    }

    Sha256 inner;
    inner.update(innerPad);
    inner.update(message);
    const Sha256Digest innerDigest = inner.finish();

    Sha256 outer;
    outer.update(outerPad);
    outer.update(std::string_view(reinterpret_cast<const char*>(innerDigest.data()), innerDigest.size()));
    return outer.finish();
}

std::string hmacSha256Hex(std::string_view key, std::string_view message)
{
    const Sha256Digest d = hmacSha256(key, message);
    return toHex(d.data(), d.size());
}

} // namespace ow::model
