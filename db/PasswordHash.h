// Salted, slow password hashes (Argon2id, libargon2), in the PHC string format so the
// parameters travel with the hash and can be raised later.
#pragma once

#include <string>

namespace ow::db {

struct PasswordPolicy {
    unsigned timeCost = 3;
    unsigned memoryKiB = 64 * 1024;
    unsigned parallelism = 1;
};

// Throws DomainError "password.too_short" (facts min) / "password.too_long".
std::string hashPassword(const std::string& password, const PasswordPolicy& policy = {});
bool verifyPassword(const std::string& encodedHash, const std::string& password);
// A readable random password for demo accounts and resets (letters and digits, no 0/O/1/l).
std::string generatePassword(std::size_t length = 12);

} // namespace ow::db
