#include "auth/turn_credentials.hpp"

#include "auth/crypto.hpp"

namespace parley::auth {

TurnCredentials turnCredentials(std::string_view secret, std::string_view user, std::int64_t nowSeconds,
                                std::int64_t ttlSeconds) {
    std::string username = std::to_string(nowSeconds + ttlSeconds) + ":" + std::string(user);
    return TurnCredentials{username, base64(hmacSha1(secret, username))};
}

}  // namespace parley::auth
