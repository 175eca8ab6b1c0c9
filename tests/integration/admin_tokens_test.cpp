// POST /admin/tokens mints invitation tokens for operators' tools: behind the admin bearer
// token, JSON in and out, and what it mints admits a join on a --require-token server.
#include <chrono>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

constexpr std::string_view kAdmin = "Bearer admin-for-tests";

HttpResponse mint(std::uint16_t port, std::string body, std::string_view authorization = kAdmin,
                  std::string method = "POST") {
    HttpCall call;
    call.method = std::move(method);
    call.target = "/admin/tokens";
    call.body = std::move(body);
    call.headers.emplace_back("Content-Type", "application/json");
    if (!authorization.empty()) call.headers.emplace_back("Authorization", std::string(authorization));
    return httpCall(port, call);
}

json::object parseObject(const HttpResponse& response) {
    EXPECT_EQ(response.contentType, "application/json");
    return json::parse(response.body).as_object();
}

class AdminTokens : public ServerSuite<AdminTokens> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--admin-token", "admin-for-tests", "--token-secret", "secret-for-tests", "--require-token"};
    }
};

TEST_F(AdminTokens, AMintedTokenAdmitsAJoinAndATamperedOneIsRefused) {
    const auto room = uniqueRoom("minted");
    const auto response = mint(port(), json::serialize(json::object{
        {"room", room}, {"name", "Ada"}, {"role", "host"}, {"ttl", 600}}));
    ASSERT_EQ(response.status, 200u) << response.body;
    const auto minted = parseObject(response);
    const std::string token(field(minted, "token").as_string());
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    const auto expiresAt = field(minted, "expiresAt").as_int64();
    EXPECT_GT(expiresAt, now);
    EXPECT_LE(expiresAt, now + 600);

    Peer ada(port());
    const auto joined = ada.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "typed"}, {"token", token}});
    ASSERT_EQ(str(joined, "type"), "joined") << json::serialize(joined);
    EXPECT_EQ(str(field(joined, "you").as_object(), "name"), "Ada") << "the token's name";
    EXPECT_EQ(str(field(joined, "you").as_object(), "role"), "host");

    std::string tampered = token;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    Peer mallory(port());
    mallory.expectRefusal({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "M"}, {"token", tampered}},
                          "invalid-token");
    Peer other(port());
    other.expectRefusal({{"type", "join"}, {"v", 1}, {"room", uniqueRoom("elsewhere")}, {"name", "O"},
                         {"token", token}},
                        "invalid-token");
}

TEST_F(AdminTokens, WithoutTheAdminTokenItIs401) {
    const std::string body = R"({"room":"abc"})";
    EXPECT_EQ(mint(port(), body, "").status, 401u);
    EXPECT_EQ(mint(port(), body, "Bearer wrong").status, 401u);
    EXPECT_EQ(mint(port(), body, "admin-for-tests").status, 401u) << "the Bearer scheme is required";
}

TEST_F(AdminTokens, BadBodiesAre400WithACode) {
    auto expect = [&](std::string body, std::string_view code, std::string_view fieldName) {
        const auto response = mint(port(), body);
        EXPECT_EQ(response.status, 400u) << body;
        const auto error = parseObject(response);
        EXPECT_EQ(str(error, "error"), code) << body;
        EXPECT_FALSE(str(error, "message").empty());
        if (!fieldName.empty()) {
            EXPECT_EQ(str(error, "field"), fieldName) << body;
        }
    };
    expect("not json", "bad-json", "");
    expect("", "bad-json", "");
    expect(R"({"name":"Ada"})", "missing-field", "room");
    expect(R"({"room":"Bad Room"})", "invalid-room", "room");
    expect(R"({"room":"abc","role":"owner"})", "invalid-field", "role");
    expect(R"({"room":"abc","ttl":-5})", "invalid-field", "ttl");
}

TEST_F(AdminTokens, OnlyPost) {
    const auto response = mint(port(), "", kAdmin, "GET");
    EXPECT_EQ(response.status, 405u);
    EXPECT_EQ(str(parseObject(response), "error"), "method-not-allowed");
}

class AdminTokensNoSecret : public ServerSuite<AdminTokensNoSecret> {
public:
    static std::vector<std::string> serverFlags() { return {"--admin-token", "admin-for-tests"}; }
};

TEST_F(AdminTokensNoSecret, WithoutATokenSecretItIs409) {
    const auto response = mint(port(), R"({"room":"abc"})");
    EXPECT_EQ(response.status, 409u);
    EXPECT_EQ(str(parseObject(response), "error"), "tokens-disabled");
}

}  // namespace
}  // namespace parley::itest
