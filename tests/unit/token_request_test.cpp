// The admin API's token request body, and that what it mints verifies.
#include "protocol/token_request.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "auth/room_token.hpp"

using namespace parley;
namespace json = boost::json;

namespace {

protocol::TokenRequest parsed(std::string_view body) {
    auto result = protocol::parseTokenRequest(body);
    EXPECT_TRUE(std::holds_alternative<protocol::TokenRequest>(result)) << body;
    return std::holds_alternative<protocol::TokenRequest>(result)
               ? std::get<protocol::TokenRequest>(result)
               : protocol::TokenRequest{};
}

protocol::TokenRequestError refusedRequest(std::string_view body) {
    auto result = protocol::parseTokenRequest(body);
    EXPECT_TRUE(std::holds_alternative<protocol::TokenRequestError>(result)) << body;
    return std::holds_alternative<protocol::TokenRequestError>(result)
               ? std::get<protocol::TokenRequestError>(result)
               : protocol::TokenRequestError{core::ErrorCode::Internal, {}, {}};
}

TEST(TokenRequest, DefaultsToAGuestForADay) {
    const auto r = parsed(R"({"room":"daily-standup"})");
    EXPECT_EQ(r.room, "daily-standup");
    EXPECT_EQ(r.name, "");
    EXPECT_FALSE(r.host);
    EXPECT_EQ(r.ttlSeconds, 24 * 3600);
}

TEST(TokenRequest, TakesNameRoleAndTtl) {
    const auto r = parsed(R"({"room":"*","name":"  Ada  ","role":"host","ttl":600,"extra":1})");
    EXPECT_EQ(r.room, "*");
    EXPECT_EQ(r.name, "Ada");
    EXPECT_TRUE(r.host);
    EXPECT_EQ(r.ttlSeconds, 600);
}

TEST(TokenRequest, RefusesBadBodiesWithStableCodes) {
    auto expect = [](std::string_view body, std::string_view code, std::string_view field) {
        const auto e = refusedRequest(body);
        EXPECT_EQ(core::toString(e.code), code) << body;
        EXPECT_EQ(e.field, field) << body;
        EXPECT_FALSE(e.message.empty());
    };
    expect("{", "bad-json", "");
    expect("[1]", "bad-message", "");
    expect(R"({"name":"Ada"})", "missing-field", "room");
    expect(R"({"room":7})", "invalid-field", "room");
    expect(R"({"room":"No Spaces"})", "invalid-room", "room");
    expect(R"({"room":"abc","name":"a\u0007b"})", "invalid-name", "name");
    expect(R"({"room":"abc","name":5})", "invalid-field", "name");
    expect(R"({"room":"abc","role":"admin"})", "invalid-field", "role");
    expect(R"({"room":"abc","ttl":0})", "invalid-field", "ttl");
    expect(R"({"room":"abc","ttl":1.5})", "invalid-field", "ttl");
    expect(R"({"room":"abc","ttl":99999999999})", "invalid-field", "ttl");
}

TEST(TokenRequest, MintedTokensVerifyForTheirRoomUntilTheyExpire) {
    const auto reply = json::parse(protocol::mintTokenJson(parsed(R"({"room":"abc","name":"Ada","role":"host","ttl":60})"),
                                                           "s3cret", 1'000)).as_object();
    EXPECT_EQ(reply.at("expiresAt"), 1'060);
    const std::string token(reply.at("token").as_string());
    auto ok = auth::verifyRoomToken(token, "s3cret", "abc", 1'059);
    ASSERT_TRUE(ok.claims);
    EXPECT_EQ(ok.claims->name, "Ada");
    EXPECT_TRUE(ok.claims->host);
    EXPECT_EQ(auth::verifyRoomToken(token, "s3cret", "abc", 1'060).problem, auth::TokenProblem::Expired);
    EXPECT_EQ(auth::verifyRoomToken(token, "other", "abc", 1'000).problem, auth::TokenProblem::BadSignature);
    EXPECT_EQ(auth::verifyRoomToken(token, "s3cret", "xyz", 1'000).problem, auth::TokenProblem::WrongRoom);
}

TEST(TokenRequest, ErrorBodiesNameCodeAndField) {
    const auto e = json::parse(protocol::tokenErrorJson("invalid-field", "bad ttl", "ttl")).as_object();
    EXPECT_EQ(e.at("error"), "invalid-field");
    EXPECT_EQ(e.at("field"), "ttl");
    EXPECT_FALSE(json::parse(protocol::tokenErrorJson("tokens-disabled", "no")).as_object().contains("field"));
}

}  // namespace
