#include "model/HmacSha256.h"
#include "model/Md5.h"
#include "model/Sha256.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>

using namespace ow::model;

TEST_CASE("digest: SHA-256 FIPS 180-4 / NIST example messages", "[digest]")
{
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // 448 bits: padding needs a second block.
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // 896 bits.
    CHECK(sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                    "lmnopqrsmnopqrs"
                    "tnopqrstu")
        == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("digest: SHA-256 of one million 'a' fed incrementally", "[digest]")
{
    Sha256 h;
    const std::string chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i)
        h.update(chunk);
    const Sha256Digest d = h.finish();
    CHECK(toHex(d.data(), d.size()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    // Odd-sized pieces that straddle block boundaries give the same digest.
    Sha256 odd;
    std::size_t fed = 0;
    for (std::size_t piece = 1; fed < 1000000; piece = piece % 97 + 1) {
        const std::size_t n = std::min(piece, 1000000 - fed);
        odd.update(std::string(n, 'a'));
        fed += n;
    }
    CHECK(odd.finish() == d);
}

TEST_CASE("digest: SHA-256 around the padding boundaries", "[digest]")
{
    CHECK(sha256Hex(std::string(55, 'a'))
        == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(sha256Hex(std::string(56, 'a'))
        == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(sha256Hex(std::string(63, 'a'))
        == "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
    CHECK(sha256Hex(std::string(64, 'a'))
        == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    CHECK(sha256Hex(std::string(65, 'a'))
        == "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0");
    CHECK(sha256Hex(std::string(119, 'a'))
        == "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
    CHECK(sha256Hex(std::string(120, 'a'))
        == "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c");
    // Embedded NUL bytes are data, not terminators.
    CHECK(sha256Hex(std::string(3, '\0'))
        == "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c");
}

TEST_CASE("digest: SHA-256 incremental equals one-shot at every split point", "[digest]")
{
    std::string message;
    for (int i = 0; i < 200; ++i)
        message += static_cast<char>(i * 7 + 3);
    for (std::size_t len : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 128u, 200u}) {
        const std::string_view m = std::string_view(message).substr(0, len);
        const Sha256Digest whole = sha256(m);
        for (std::size_t split = 0; split <= len; ++split) {
            Sha256 h;
            h.update(m.substr(0, split));
            h.update(m.substr(split));
            REQUIRE(h.finish() == whole);
        }
    }
}

TEST_CASE("digest: Sha256::finish resets for the next message", "[digest]")
{
    Sha256 h;
    h.update("abc");
    h.finish();
    h.update("abc");
    const Sha256Digest d = h.finish();
    CHECK(toHex(d.data(), d.size()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(toHex(h.finish().data(), 32) == sha256Hex(""));
}

TEST_CASE("digest: toHex is lower-case, two digits per byte", "[digest]")
{
    const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    CHECK(toHex(bytes, 4) == "000fa0ff");
    CHECK(toHex(bytes, 0).empty());
}

TEST_CASE("digest: MD5 RFC 1321 test suite", "[digest]")
{
    CHECK(md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5Hex("a") == "0cc175b9c0f1b6a831c399e269772661");
    CHECK(md5Hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(md5Hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(md5Hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
    CHECK(md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        == "d174ab98d277d9f5a5611c2c9f419d9f");
    CHECK(md5Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890")
        == "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("digest: MD5 around the padding boundaries", "[digest]")
{
    CHECK(md5Hex(std::string(55, 'a')) == "ef1772b6dff9a122358552954ad0df65");
    CHECK(md5Hex(std::string(56, 'a')) == "3b0c8ac703f828b04c6c197006d17218");
    CHECK(md5Hex(std::string(63, 'a')) == "b06521f39153d618550606be297466d5");
    CHECK(md5Hex(std::string(64, 'a')) == "014842d480b571495a4a0363793f7367");
    CHECK(md5Hex(std::string(65, 'a')) == "c743a45e0d2e6a95cb859adae0248435");
    CHECK(md5Hex(std::string(119, 'a')) == "8a7bd0732ed6a28ce75f6dabc90e1613");
    CHECK(md5Hex(std::string(120, 'a')) == "5f61c0ccad4cac44c75ff505e1f1e537");
}

TEST_CASE("digest: HMAC-SHA256 RFC 4231 test cases", "[digest]")
{
    SECTION("1: short key")
    {
        CHECK(hmacSha256Hex(std::string(20, '\x0b'), "Hi There")
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }
    SECTION("2: key shorter than the output")
    {
        CHECK(hmacSha256Hex("Jefe", "what do ya want for nothing?")
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
    SECTION("3: combined key and data of 0xaa / 0xdd")
    {
        CHECK(hmacSha256Hex(std::string(20, '\xaa'), std::string(50, '\xdd'))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    }
    SECTION("4: key 0x01..0x19")
    {
        std::string key;
        for (char c = 1; c <= 25; ++c)
            key += c;
        CHECK(hmacSha256Hex(key, std::string(50, '\xcd'))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    }
    SECTION("6: key larger than the block")
    {
        CHECK(
            hmacSha256Hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }
    SECTION("7: key and data larger than the block")
    {
        CHECK(hmacSha256Hex(std::string(131, '\xaa'),
                  "This is a test using a larger than block-size key and a larger than block-size data. The "
                  "key "
                  "needs to be hashed before being used by the HMAC algorithm.")
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    }
}

TEST_CASE("digest: the SHA extension path and the portable path agree", "[digest]")
{
    const bool accelerated = sha256Accelerated();
    if (!accelerated)
        WARN("this CPU has no SHA extensions: only the portable path is exercised");
    std::uint64_t seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 300; ++i) {
        std::string data(static_cast<std::size_t>(rng() % 300), '\0');
        for (auto& c : data)
            c = static_cast<char>(rng());
        allowSha256Acceleration(true);
        std::string fast = sha256Hex(data);
        allowSha256Acceleration(false);
        std::string portable = sha256Hex(data);
        allowSha256Acceleration(true);
        REQUIRE(fast == portable);
    }
    CHECK(sha256Accelerated() == accelerated);
}
