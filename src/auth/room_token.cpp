#include "auth/room_token.hpp"

#include <boost/json.hpp>

#include "auth/crypto.hpp"

namespace parley::auth {

namespace json = boost::json;

std::string_view toString(TokenProblem p) {
    switch (p) {
        case TokenProblem::Malformed: return "malformed";
        case TokenProblem::BadSignature: return "bad-signature";
        case TokenProblem::Expired: return "expired";
        case TokenProblem::WrongRoom: return "wrong-room";
        case TokenProblem::UnsupportedAlgorithm: return "unsupported-algorithm";
    }
    return "malformed";
}

std::string mintRoomToken(const RoomClaims& c, std::string_view secret) {
    const std::string header = base64url(R"({"alg":"HS256","typ":"JWT"})");
    json::object payload{{"room", c.room}, {"role", c.host ? "host" : "guest"}, {"exp", c.expires}};
    if (!c.name.empty()) payload["name"] = c.name;
    const std::string signingInput = header + "." + base64url(json::serialize(payload));
    return signingInput + "." + base64url(hmacSha256(secret, signingInput));
}

TokenCheck verifyRoomToken(std::string_view token, std::string_view secret, std::string_view room,
                           std::int64_t nowSeconds) {
    auto fail = [](TokenProblem p) { return TokenCheck{std::nullopt, p}; };
    if (token.size() > 4096) return fail(TokenProblem::Malformed);
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return fail(TokenProblem::Malformed);
    }
    std::string header, payload, signature;
    if (!base64urlDecode(token.substr(0, dot1), header) ||
        !base64urlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1), payload) ||
        !base64urlDecode(token.substr(dot2 + 1), signature)) {
        return fail(TokenProblem::Malformed);
    }
    boost::system::error_code ec;
    json::value h = json::parse(header, ec);
    if (ec || !h.is_object()) return fail(TokenProblem::Malformed);
    // Only HS256: "none" and asymmetric algorithms are refused outright.
    const json::value* alg = h.as_object().if_contains("alg");
    if (!alg || !alg->is_string() || alg->get_string() != "HS256") return fail(TokenProblem::UnsupportedAlgorithm);
    const std::string expected = hmacSha256(secret, token.substr(0, dot2));
    if (!constantTimeEquals(expected, signature)) return fail(TokenProblem::BadSignature);

    json::value p = json::parse(payload, ec);
    if (ec || !p.is_object()) return fail(TokenProblem::Malformed);
    const json::object& o = p.as_object();
    const json::value* r = o.if_contains("room");
    const json::value* exp = o.if_contains("exp");
    const json::value* role = o.if_contains("role");
    const json::value* name = o.if_contains("name");
    if (!r || !r->is_string() || !exp || !exp->is_int64()) return fail(TokenProblem::Malformed);
    if (role && (!role->is_string() || (role->get_string() != "host" && role->get_string() != "guest"))) {
        return fail(TokenProblem::Malformed);
    }
    if (name && !name->is_string()) return fail(TokenProblem::Malformed);
    if (exp->get_int64() <= nowSeconds) return fail(TokenProblem::Expired);
    if (r->get_string() != "*" && r->get_string() != room) return fail(TokenProblem::WrongRoom);
    RoomClaims claims{std::string(r->get_string()), name ? std::string(name->get_string()) : std::string(),
                      role && role->get_string() == "host", exp->get_int64()};
    return TokenCheck{std::move(claims), TokenProblem::Malformed};
}

}  // namespace parley::auth
