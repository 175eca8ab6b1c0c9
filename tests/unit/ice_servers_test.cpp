// iceServers for `joined`: STUN as configured, TURN with credentials minted per participant.
#include "protocol/ice_servers.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "auth/crypto.hpp"
#include "protocol/gateway.hpp"

using namespace parley;
namespace json = boost::json;

namespace {

protocol::IceConfig turnConfig() {
    protocol::IceConfig c;
    c.stunUrls = {"stun:stun.example.org:3478"};
    c.turnUrls = {"turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"};
    c.turnSecret = "coturn-secret";
    c.turnTtlSeconds = 3600;
    return c;
}

TEST(IceServers, NothingConfiguredIsAnEmptyList) {
    EXPECT_EQ(protocol::iceServersJson({}, "p1", 1'700'000'000), "[]");
}

TEST(IceServers, StunAloneCarriesNoCredentials) {
    protocol::IceConfig c;
    c.stunUrls = {"stun:a.example:3478", "stun:b.example"};
    EXPECT_EQ(protocol::iceServersJson(c, "p1", 1'700'000'000),
              R"([{"urls":["stun:a.example:3478","stun:b.example"]}])");
}

TEST(IceServers, TurnGetsCredentialsForThisParticipantAndMoment) {
    auto servers = json::parse(protocol::iceServersJson(turnConfig(), "alice", 1'700'000'000)).as_array();
    ASSERT_EQ(servers.size(), 2u);
    EXPECT_FALSE(servers[0].as_object().contains("username"));
    auto& turn = servers[1].as_object();
    EXPECT_EQ(turn["urls"], json::parse(R"(["turn:turn.example.org:3478?transport=udp","turns:turn.example.org:5349"])"));
    EXPECT_EQ(turn["username"], "1700003600:alice");
    EXPECT_EQ(turn["credential"], "1lobeIezgenyLqw/MsCKXLuSl7s=");  // computed independently with Python hmac
}

TEST(IceServers, CredentialsDifferByParticipantAndTime) {
    const auto c = turnConfig();
    EXPECT_NE(protocol::iceServersJson(c, "alice", 1'700'000'000), protocol::iceServersJson(c, "bob", 1'700'000'000));
    EXPECT_NE(protocol::iceServersJson(c, "alice", 1'700'000'000), protocol::iceServersJson(c, "alice", 1'700'000'001));
}

TEST(IceServers, TheSecretItselfNeverAppears) {
    EXPECT_EQ(protocol::iceServersJson(turnConfig(), "alice", 1).find("coturn-secret"), std::string::npos);
}

TEST(IceServerUrls, StunUrlsAreChecked) {
    for (auto good : {"stun:stun.example.org", "stun:stun.example.org:3478", "stuns:10.0.0.1:5349", "stun:[::1]:3478"}) {
        EXPECT_EQ(protocol::checkStunUrl(good), "") << good;
    }
    for (auto bad : {"turn:x", "stun:", "stun::3478", "stun:host:0", "stun:host:99999", "stun:host:34a",
                     "stun:host?transport=udp", "stun:ho st", "stun:[::1", "stun:host:"}) {
        EXPECT_NE(protocol::checkStunUrl(bad), "") << bad;
    }
}

TEST(IceServerUrls, TurnUrlsAreChecked) {
    for (auto good : {"turn:turn.example.org", "turn:127.0.0.1:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp",
                      "turn:[2001:db8::1]:3478"}) {
        EXPECT_EQ(protocol::checkTurnUrl(good), "") << good;
    }
    for (auto bad : {"stun:x", "turn:", "turn:host:0", "turn:host?transport=sctp", "turn:host?foo=bar",
                     "https://turn.example.org", "turn:user@host", "turn:[::1]x"}) {
        EXPECT_NE(protocol::checkTurnUrl(bad), "") << bad;
    }
}

struct SentFrames : protocol::Outbound {
    std::map<protocol::SessionId, std::vector<json::object>> frames;
    void send(protocol::SessionId to, protocol::Frame f) override {
        frames[to].push_back(json::parse(*f).as_object());
    }
};

// The gateway mints at join (or admission) time, from its clock, for the one who joins.
struct GatewayIce : ::testing::Test {
    core::ManualClock clock{1'700'000'000'000};
    core::SequentialIdSource ids;
    SentFrames out;
    protocol::GatewayConfig config() {
        protocol::GatewayConfig c;
        c.ice = turnConfig();
        c.ice.transportPolicy = protocol::IceTransportPolicy::Relay;
        return c;
    }
    protocol::Gateway gw{core::RoomsConfig{6}, config(), clock, ids, out};

    static json::object turnEntry(json::object& joined) { return joined["iceServers"].as_array().at(1).as_object(); }
    static std::string expectedCredential(std::string_view username) {
        return auth::base64(auth::hmacSha1("coturn-secret", username));
    }
};

TEST_F(GatewayIce, EachJoinGetsItsOwnCredentialFromTheClock) {
    gw.onText(1, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"A"})");
    clock.advance(5'000);
    gw.onText(2, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"B"})");
    auto a = out.frames[1].front();
    auto b = out.frames[2].front();
    ASSERT_EQ(a["type"], "joined");
    ASSERT_EQ(b["type"], "joined");
    EXPECT_EQ(a["iceTransportPolicy"], "relay");
    const std::string aId(a["you"].as_object()["id"].as_string());
    const std::string bId(b["you"].as_object()["id"].as_string());
    auto aTurn = turnEntry(a);
    auto bTurn = turnEntry(b);
    EXPECT_EQ(std::string(aTurn["username"].as_string()), "1700003600:" + aId);
    EXPECT_EQ(std::string(bTurn["username"].as_string()), "1700003605:" + bId);
    EXPECT_EQ(std::string(aTurn["credential"].as_string()), expectedCredential(aTurn["username"].as_string()));
    EXPECT_EQ(std::string(bTurn["credential"].as_string()), expectedCredential(bTurn["username"].as_string()));
}

TEST_F(GatewayIce, AnAdmittedGuestGetsCredentialsFromTheMomentOfAdmission) {
    gw.onText(1, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"Host","settings":{"admission":"knock"}})");
    gw.onText(2, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"Guest"})");
    ASSERT_EQ(out.frames[2].back()["type"], "waiting");
    const std::string guest(out.frames[2].back()["you"].as_string());
    clock.advance(60'000);
    gw.onText(1, R"({"type":"admit","req":2,"id":")" + guest + R"("})");
    auto joined = out.frames[2].back();
    ASSERT_EQ(joined["type"], "joined");
    EXPECT_EQ(std::string(turnEntry(joined)["username"].as_string()), "1700003660:" + guest);
    EXPECT_EQ(joined["iceTransportPolicy"], "relay");
    for (auto& frame : out.frames[1]) {
        if (frame["type"] != "joined") {
            EXPECT_FALSE(frame.contains("iceServers")) << json::serialize(frame);
        }
    }
}

}  // namespace
