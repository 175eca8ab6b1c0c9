#include "core/resume_token.hpp"

namespace parley::core {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::size_t kSecretDigits = 2 * sizeof(ResumeSecret::bytes);

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

std::string formatResumeToken(const ParticipantId& id, const ResumeSecret& secret) {
    std::string token;
    token.reserve(id.size() + 1 + kSecretDigits);
    token += id;
    token += '.';
    for (std::uint8_t byte : secret.bytes) {
        token += kHex[byte >> 4];
        token += kHex[byte & 15];
    }
    return token;
}

std::optional<ResumeTokenParts> parseResumeToken(std::string_view token) {
    const auto dot = token.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || token.size() - dot - 1 != kSecretDigits) {
        return std::nullopt;
    }
    ResumeTokenParts parts{token.substr(0, dot), {}};
    const std::string_view digits = token.substr(dot + 1);
    for (std::size_t i = 0; i < parts.secret.bytes.size(); ++i) {
        const int high = hexValue(digits[2 * i]);
        const int low = hexValue(digits[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        parts.secret.bytes[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    return parts;
}

bool sameSecret(const ResumeSecret& a, const ResumeSecret& b) {
    std::uint8_t difference = 0;
    for (std::size_t i = 0; i < a.bytes.size(); ++i) difference |= a.bytes[i] ^ b.bytes[i];
    return difference == 0;
}

}  // namespace parley::core
