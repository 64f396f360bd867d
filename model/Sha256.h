// SHA-256 (FIPS 180-4): event hashes, the `prev` chain and the store-wide state hash.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ow::model {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental hashing for inputs that arrive in pieces (a whole store for state-hash).
class Sha256 {
public:
    Sha256() { reset(); }

    void update(std::string_view data);
    // Returns the digest and resets, so one object can hash several messages in turn.
    Sha256Digest finish();
    void reset();

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> m_state{};
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0; // bytes so far
};

Sha256Digest sha256(std::string_view data);
std::string sha256Hex(std::string_view data); // 64 lower-case hex digits

// Lower-case hex of raw bytes; shared by every digest in model.
std::string toHex(const std::uint8_t* data, std::size_t size);

// Whether blocks go through the CPU's SHA extensions (x86 SHA-NI) rather than the
// portable code; tests turn acceleration off to compare the two.
bool sha256Accelerated();
void allowSha256Acceleration(bool allowed);

} // namespace ow::model
