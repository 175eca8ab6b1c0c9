#include "core/secret_digest.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <string>

namespace parley::core {

SecretDigest sha256(std::string_view data) {
    SecretDigest digest;
    unsigned int size = 0;
    if (!EVP_Digest(data.data(), data.size(), digest.bytes.data(), &size, EVP_sha256(), nullptr) ||
        size != digest.bytes.size()) {
        throw std::runtime_error("SHA-256 failed");
    }
    return digest;
}

SecretDigest digestOf(const ResumeSecret& secret) {
    return sha256(std::string_view(reinterpret_cast<const char*>(secret.bytes.data()), secret.bytes.size()));
}

bool sameDigest(const SecretDigest& a, const SecretDigest& b) {
    std::uint8_t difference = 0;
    for (std::size_t i = 0; i < a.bytes.size(); ++i) difference |= a.bytes[i] ^ b.bytes[i];
    return difference == 0;
}

PasswordHash PasswordHash::of(std::string_view password) {
    std::array<std::uint8_t, 16> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        throw std::runtime_error("no random bytes for a password salt");
    }
    return of(password, salt);
}

PasswordHash PasswordHash::of(std::string_view password, const std::array<std::uint8_t, 16>& salt) {
    std::string salted(reinterpret_cast<const char*>(salt.data()), salt.size());
    salted.append(password);
    return PasswordHash{salt, sha256(salted)};
}

bool PasswordHash::matches(std::string_view password) const { return sameDigest(of(password, salt).digest, digest); }

}  // namespace parley::core
