#include "media/ice_credentials.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace parley::media {

namespace {

// 64 symbols, so a random byte's low 6 bits pick one without bias.
constexpr std::string_view kIceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kIceUfragLength = 8;
constexpr std::size_t kIcePwdLength = 24;

std::string randomIceString(std::size_t length) {
    std::array<unsigned char, 64> random{};
    if (length > random.size() || RAND_bytes(random.data(), static_cast<int>(length)) != 1) {
        throw std::runtime_error("RAND_bytes failed for ICE credentials");
    }
    std::string text(length, ' ');
    for (std::size_t i = 0; i < length; ++i) text[i] = kIceChars[random[i] & 0x3F];
    return text;
}

}  // namespace

IceCredentials generateIceCredentials() {
    return IceCredentials{randomIceString(kIceUfragLength), randomIceString(kIcePwdLength)};
}

std::optional<StunUsername> parseStunUsername(std::string_view username) {
    const auto colon = username.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == username.size()) return std::nullopt;
    return StunUsername{username.substr(0, colon), username.substr(colon + 1)};
}

}  // namespace parley::media
