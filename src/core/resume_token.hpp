#pragma once
// A resume token is "<participant id>.<32 hex digits>". The id names whose place it is, so the
// server finds the seat without a table of tokens; the 128-bit secret, kept in the seat as 16
// bytes, proves the holder may take it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/participant.hpp"

namespace parley::core {

struct ResumeSecret {
    std::array<std::uint8_t, 16> bytes{};
};

std::string formatResumeToken(const ParticipantId& id, const ResumeSecret& secret);

struct ResumeTokenParts {
    std::string_view participant;
    ResumeSecret secret;
};
// nullopt unless the token has exactly the shape formatResumeToken gives.
std::optional<ResumeTokenParts> parseResumeToken(std::string_view token);

// Compares in time that does not depend on where the secrets differ.
bool sameSecret(const ResumeSecret& a, const ResumeSecret& b);

}  // namespace parley::core
