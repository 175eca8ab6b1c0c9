#pragma once
// Secrets the server keeps only as digests, so that a copy of its state (a room written to Redis
// for another node to restore) cannot be used to take a seat or read a room's password:
//  - a resume secret (128 random bits) is kept as its SHA-256: a guess cannot be checked against
//    it faster than against the server itself, the secret being far too long to search;
//  - a room password (chosen by a person, so perhaps short) is kept as SHA-256 over a random
//    salt and the password: one precomputed table cannot serve every room. A fast hash does not
//    make a weak password safe from someone holding the digest; the server's own guessing limit
//    (PasswordGuard) is what protects it, which is why Redis must stay out of clients' reach.
#include <array>
#include <cstdint>
#include <string_view>

#include "core/resume_token.hpp"

namespace parley::core {

struct SecretDigest {
    std::array<std::uint8_t, 32> bytes{};  // SHA-256
    bool operator==(const SecretDigest&) const = default;
};

SecretDigest sha256(std::string_view data);
SecretDigest digestOf(const ResumeSecret& secret);
// Compares in time that does not depend on where the digests differ.
bool sameDigest(const SecretDigest& a, const SecretDigest& b);

struct PasswordHash {
    std::array<std::uint8_t, 16> salt{};
    SecretDigest digest;

    // With a fresh random salt (OpenSSL's generator); the salt never changes what matches.
    static PasswordHash of(std::string_view password);
    static PasswordHash of(std::string_view password, const std::array<std::uint8_t, 16>& salt);
    bool matches(std::string_view password) const;
    bool operator==(const PasswordHash&) const = default;
};

}  // namespace parley::core
