#include "protocol/token_request.hpp"

#include <boost/json.hpp>

#include "auth/room_token.hpp"
#include "protocol/validation.hpp"

namespace parley::protocol {

namespace json = boost::json;
using core::ErrorCode;

std::variant<TokenRequest, TokenRequestError> parseTokenRequest(std::string_view body) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(body, ec);
    if (ec) return TokenRequestError{ErrorCode::BadJson, "The body is not valid JSON", {}};
    if (!parsed.is_object()) {
        return TokenRequestError{ErrorCode::BadMessage, "The body must be a JSON object", {}};
    }
    const json::object& o = parsed.as_object();
    TokenRequest request;

    const json::value* room = o.if_contains("room");
    if (!room) return TokenRequestError{ErrorCode::MissingField, "Field 'room' is required", "room"};
    if (!room->is_string()) {
        return TokenRequestError{ErrorCode::InvalidField, "Field 'room' must be a string", "room"};
    }
    request.room = std::string(room->get_string());
    if (request.room != "*" && !isValidRoomId(request.room)) {
        return TokenRequestError{ErrorCode::InvalidRoom,
                                 "A room id has 3-64 of a-z, 0-9 and '-' (or is \"*\" for any room)",
                                 "room"};
    }

    if (const json::value* name = o.if_contains("name"); name && !name->is_null()) {
        if (!name->is_string()) {
            return TokenRequestError{ErrorCode::InvalidField, "Field 'name' must be a string", "name"};
        }
        if (!name->get_string().empty()) {
            auto normalized = normalizeDisplayName(name->get_string());
            if (!normalized) {
                return TokenRequestError{ErrorCode::InvalidName,
                                         "A name has 1-64 characters and no control characters",
                                         "name"};
            }
            request.name = std::move(*normalized);
        }
    }

    if (const json::value* role = o.if_contains("role")) {
        if (!role->is_string() || (role->get_string() != "host" && role->get_string() != "guest")) {
            return TokenRequestError{ErrorCode::InvalidField, "Field 'role' must be \"host\" or \"guest\"",
                                     "role"};
        }
        request.host = role->get_string() == "host";
    }

    if (const json::value* ttl = o.if_contains("ttl")) {
        if (!ttl->is_int64() || ttl->get_int64() < 1 || ttl->get_int64() > kMaxTokenTtlSeconds) {
            return TokenRequestError{ErrorCode::InvalidField,
                                     "Field 'ttl' must be a whole number of seconds from 1 to " +
                                         std::to_string(kMaxTokenTtlSeconds),
                                     "ttl"};
        }
        request.ttlSeconds = ttl->get_int64();
    }
    return request;
}

std::string mintTokenJson(const TokenRequest& request, std::string_view secret,
                          std::int64_t nowSeconds) {
    const std::int64_t expires = nowSeconds + request.ttlSeconds;
    const std::string token =
        auth::mintRoomToken({request.room, request.name, request.host, expires}, secret);
    return json::serialize(json::object{{"token", token}, {"expiresAt", expires}});
}

std::string tokenErrorJson(std::string_view code, std::string_view message, std::string_view field) {
    json::object o{{"error", code}, {"message", message}};
    if (!field.empty()) o["field"] = field;
    return json::serialize(o);
}

}  // namespace parley::protocol
