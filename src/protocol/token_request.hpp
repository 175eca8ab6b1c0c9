#pragma once
// The admin API's token request: POST /admin/tokens with {room, name?, role?, ttl?} in, and
// {token, expiresAt} out. The same rules as `parley token` and as a join's room and name.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/error_code.hpp"

namespace parley::protocol {

inline constexpr std::int64_t kDefaultTokenTtlSeconds = 24 * 3600;
inline constexpr std::int64_t kMaxTokenTtlSeconds = 366 * 24 * 3600;

struct TokenRequest {
    std::string room;  // a valid room id, or "*" for any room
    std::string name;  // normalized display name; empty: the holder types one
    bool host = false;
    std::int64_t ttlSeconds = kDefaultTokenTtlSeconds;
};

struct TokenRequestError {
    core::ErrorCode code;
    std::string message;
    std::string field;  // empty when the body as a whole is wrong
};

std::variant<TokenRequest, TokenRequestError> parseTokenRequest(std::string_view body);

// {"token": "...", "expiresAt": <Unix seconds>}
std::string mintTokenJson(const TokenRequest& request, std::string_view secret,
                          std::int64_t nowSeconds);
// {"error": "<code>", "message": "...", "field": "..."}; also used for the API's other refusals.
std::string tokenErrorJson(std::string_view code, std::string_view message,
                           std::string_view field = {});

}  // namespace parley::protocol
