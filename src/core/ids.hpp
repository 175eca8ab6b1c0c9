#pragma once
// Participant ids are opaque to clients; where they come from is injected so tests are
// deterministic.
#include <cstdint>
#include <random>
#include <string>

#include "core/resume_token.hpp"

namespace parley::core {

class IdSource {
public:
    virtual ~IdSource() = default;
    virtual std::string nextParticipantId() = 0;
    // The secret that lets a participant resume on a new socket; unguessable in production.
    virtual ResumeSecret nextResumeSecret() = 0;
};

// "p" + 11 base-36 characters from a 64-bit random number.
class RandomIdSource final : public IdSource {
public:
    RandomIdSource() : rng_(std::random_device{}()) {}
    std::string nextParticipantId() override;
    ResumeSecret nextResumeSecret() override;  // 128 bits from std::random_device

private:
    std::mt19937_64 rng_;
};

// p1, p2, ... for tests.
class SequentialIdSource final : public IdSource {
public:
    std::string nextParticipantId() override { return "p" + std::to_string(++n_); }
    ResumeSecret nextResumeSecret() override {
        ResumeSecret secret;
        std::uint64_t n = ++t_;
        for (std::size_t i = secret.bytes.size(); i-- > 0 && n != 0; n >>= 8) {
            secret.bytes[i] = static_cast<std::uint8_t>(n & 0xFF);
        }
        return secret;
    }

private:
    std::uint64_t n_ = 0;
    std::uint64_t t_ = 0;
};

}  // namespace parley::core
