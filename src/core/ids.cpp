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

ResumeSecret RandomIdSource::nextResumeSecret() {
    // Not the participant-id generator: a secret must not be predictable from ids others see.
    std::random_device device;
    ResumeSecret secret;
    for (std::size_t i = 0; i < secret.bytes.size(); i += 4) {
        std::uint32_t v = device();
        for (std::size_t k = 0; k < 4; ++k, v >>= 8) secret.bytes[i + k] = static_cast<std::uint8_t>(v & 0xFF);
    }
    return secret;
}

}  // namespace parley::core
