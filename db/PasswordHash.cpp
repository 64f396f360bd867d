#include "db/PasswordHash.h"

#include "model/Error.h"

#include <argon2.h>
#include <fstream>
#include <random>
#include <stdexcept>
#include <vector>

namespace ow::db {

namespace {

std::vector<unsigned char> randomBytes(std::size_t n)
{
    std::vector<unsigned char> out(n);
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    if (urandom.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(n)))
        return out;
    std::random_device rd; // fallback where /dev/urandom is missing
    for (auto& b : out)
        b = static_cast<unsigned char>(rd());
    return out;
}

} // namespace

std::string hashPassword(const std::string& password, const PasswordPolicy& policy)
{
    if (password.size() < 8)
        throw model::DomainError("password.too_short", {{"min", "8"}});
    if (password.size() > 1024)
        throw model::DomainError("password.too_long", {{"max", "1024"}});
    auto salt = randomBytes(16);
    std::size_t len = argon2_encodedlen(policy.timeCost, policy.memoryKiB, policy.parallelism,
        static_cast<uint32_t>(salt.size()), 32, Argon2_id);
    std::string encoded(len, '\0');
    int rc = argon2id_hash_encoded(policy.timeCost, policy.memoryKiB, policy.parallelism, password.data(),
        password.size(), salt.data(), salt.size(), 32, encoded.data(), encoded.size());
    if (rc != ARGON2_OK)
        throw model::DomainError("password.hash_failed", {{"reason", argon2_error_message(rc)}});
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool verifyPassword(const std::string& encodedHash, const std::string& password)
{
    if (encodedHash.rfind("$argon2id$", 0) != 0)
        return false;
    return argon2id_verify(encodedHash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string generatePassword(std::size_t length)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    auto bytes = randomBytes(length);
    std::string out;
    for (auto b : bytes)
        out += alphabet[b % (sizeof alphabet - 1)];
    return out;
}

} // namespace ow::db
