#pragma once
// Time-limited TURN credentials in coturn's `use-auth-secret` (TURN REST API) scheme:
// username = "<expiry unix seconds>:<user>", credential = base64(HMAC-SHA1(secret, username)).
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::auth {

struct TurnCredentials {
    std::string username;
    std::string credential;
};

TurnCredentials turnCredentials(std::string_view secret, std::string_view user, std::int64_t nowSeconds,
                                std::int64_t ttlSeconds);

}  // namespace parley::auth
