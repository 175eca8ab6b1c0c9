#include "core/ids.hpp"

namespace parley::core {

std::string RandomIdSource::nextParticipantId() {
    static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::uint64_t v = rng_();
    std::string id(12, '0');
    id[0] = 'p';
    for (std::size_t i = 1; i < id.size(); ++i) {
        id[i] = kDigits[v % 36];
        v /= 36;
    }
    return id;
}

std::string RandomIdSource::nextResumeToken() {
    // Not the participant-id generator: a token must not be predictable from ids others see.
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device device;
    std::string token;
    token.reserve(32);
    for (int i = 0; i < 4; ++i) {
        std::uint32_t v = device();
        for (int k = 0; k < 8; ++k, v >>= 4) token.push_back(kHex[v & 15]);
    }
    return token;
}

}  // namespace parley::core
