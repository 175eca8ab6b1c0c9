#pragma once
// Room access tokens: JWT-compatible (HS256), carrying room, display name, role and expiry.
// Minted by `parley token` and the admin API; checked on join when a room requires one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

struct RoomClaims {
    std::string room;       // "room"; "*" admits to any room
    std::string name;       // "name"; may be empty (the person types one)
    bool host = false;      // "role": "host" | "guest"
    std::int64_t expires;   // "exp", seconds since the Unix epoch
};

enum class TokenProblem { Malformed, BadSignature, Expired, WrongRoom, UnsupportedAlgorithm };
std::string_view toString(TokenProblem p);

std::string mintRoomToken(const RoomClaims& claims, std::string_view secret);

struct TokenCheck {
    std::optional<RoomClaims> claims;
    TokenProblem problem = TokenProblem::Malformed;  // when claims is empty
};

// Verifies signature, algorithm, expiry (against nowSeconds) and that the token is for `room`.
TokenCheck verifyRoomToken(std::string_view token, std::string_view secret, std::string_view room,
                           std::int64_t nowSeconds);

}  // namespace parley::auth
