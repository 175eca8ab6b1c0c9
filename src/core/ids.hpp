#pragma once
// Participant ids are opaque to clients; where they come from is injected so tests are
// deterministic.
#include <cstdint>
#include <random>
#include <string>

namespace parley::core {

class IdSource {
public:
    virtual ~IdSource() = default;
    virtual std::string nextParticipantId() = 0;
    // A secret that lets a participant resume on a new socket; unguessable in production.
    virtual std::string nextResumeToken() = 0;
};

// "p" + 11 base-36 characters from a 64-bit random number.
class RandomIdSource final : public IdSource {
public:
    RandomIdSource() : rng_(std::random_device{}()) {}
    std::string nextParticipantId() override;
    std::string nextResumeToken() override;  // 128 bits from std::random_device

private:
    std::mt19937_64 rng_;
};

// p1, p2, ... for tests.
class SequentialIdSource final : public IdSource {
public:
    std::string nextParticipantId() override { return "p" + std::to_string(++n_); }
    std::string nextResumeToken() override { return "token-" + std::to_string(++t_); }

private:
    std::uint64_t n_ = 0;
    std::uint64_t t_ = 0;
};

}  // namespace parley::core
