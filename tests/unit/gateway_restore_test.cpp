// Two gateways as two nodes: a room's snapshot written by the first (as JSON, as the cluster
// stores it) and restored by the second, where the people resume over the wire with the tokens
// the first gave them, exactly as the web client's auto-reconnect does.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "captured_frames.hpp"
#include "core/room_locator.hpp"
#include "core/room_snapshot_json.hpp"
#include "protocol/gateway.hpp"

using namespace parley;
namespace json = boost::json;

namespace {

struct GatewayNode {
    explicit GatewayNode(std::int64_t startMs) : clock(startMs) {}
    core::ManualClock clock;
    core::SequentialIdSource ids;
    unit::CapturedFrames out;
    protocol::Gateway gw{core::RoomsConfig{6}, protocol::GatewayConfig{}, clock, ids, out};

    json::object send(protocol::SessionId s, std::string_view text) {
        gw.onText(s, text);
        return out.last(s);
    }
};

struct CrossNodeResume : ::testing::Test {
    GatewayNode a{1'700'000'000'000};

    std::pair<std::string, std::string> enter(protocol::SessionId s, std::string_view name) {
        // The first sets the password and a session timer; the others bring the password.
        auto r = a.send(s, R"({"type":"join","req":1,"v":1,"room":"moved-room","name":")" + std::string(name) +
                               R"(","password":"pw","settings":{"password":"pw","sessionSeconds":3600}})");
        EXPECT_EQ(r["type"], "joined") << json::serialize(r);
        return {std::string(r["you"].as_object()["id"].as_string()), std::string(r["resumeToken"].as_string())};
    }
    static std::int64_t seqOf(const json::object& f) { return f.at("seq").as_int64(); }
};

TEST_F(CrossNodeResume, PeopleResumeOnTheNewNodeWithTheirOldTokens) {
    auto [ann, annToken] = enter(1, "Ann");
    auto [ben, benToken] = enter(2, "Ben");
    a.send(2, R"({"type":"chat","text":"before the crash"})");
    const std::string stored = core::encodeRoomSnapshot(*a.gw.rooms().snapshot("moved-room"));
    // After the snapshot was written the old node still numbered an event for Ben.
    a.send(1, R"({"type":"offer","to":")" + ben + R"(","sdp":"lost-with-the-node"})");
    const std::int64_t benSaw = seqOf(a.out.last(2));

    GatewayNode b{a.clock.nowMs() + 5'000};
    auto decoded = core::decodeRoomSnapshot(stored);
    ASSERT_TRUE(std::holds_alternative<core::RoomSnapshot>(decoded));
    ASSERT_EQ(b.gw.restoreRoom(std::get<core::RoomSnapshot>(decoded)), std::nullopt);

    // Ben's page reconnects to the new node: an ordinary resume with what it saw.
    auto r = b.send(10, R"({"type":"resume","req":1,"token":")" + benToken + R"(","lastSeq":)" +
                            std::to_string(benSaw) + "}");
    ASSERT_EQ(r["type"], "resumed") << json::serialize(r);
    EXPECT_EQ(r["you"].as_string(), ben);
    EXPECT_EQ(r["lastSeq"].as_int64(), benSaw) << "never behind what the client has";
    ASSERT_TRUE(r.contains("snapshot")) << "the new node has nothing to replay: the whole picture";
    const auto& joined = r["snapshot"].as_object();
    EXPECT_EQ(joined.at("type"), "joined");
    EXPECT_EQ(joined.at("you").as_object().at("role"), "guest");
    EXPECT_EQ(joined.at("host").as_string(), ann);
    ASSERT_EQ(joined.at("chat").as_array().size(), 1u);
    EXPECT_EQ(joined.at("chat").as_array()[0].as_object().at("text"), "before the crash");
    EXPECT_EQ(joined.at("state").as_object().at("sessionEndsAt").as_int64(), 1'700'000'000'000 + 3'600'000);

    // Ann comes back too; Ben hears of it, numbered after what he had, and rebuilds to her.
    auto annBack = b.send(11, R"({"type":"resume","req":1,"token":")" + annToken + R"(","lastSeq":0})");
    ASSERT_EQ(annBack["type"], "resumed");
    EXPECT_EQ(annBack["snapshot"].as_object().at("you").as_object().at("role"), "host");
    const auto toBen = b.out.last(10);
    EXPECT_EQ(toBen.at("type"), "participant-connection");
    EXPECT_EQ(toBen.at("rebuild"), true);
    EXPECT_EQ(seqOf(toBen), benSaw + 1);

    // A token with the right id but another secret takes nothing.
    std::string forged = benToken;
    forged.back() = forged.back() == 'a' ? 'b' : 'a';
    EXPECT_EQ(b.send(12, R"({"type":"resume","req":1,"token":")" + forged + R"(","lastSeq":0})")["code"],
              "resume-failed");
    // And the password still holds for newcomers.
    EXPECT_EQ(b.send(13, R"({"type":"join","req":1,"v":1,"room":"moved-room","name":"Cy"})")["code"],
              "password-required");
}

// A cluster's locator as the gateway sees it: answers as told, and may restore the room first
// (as RoomPlacement does when this node takes a room over).
struct ScriptedLocator final : core::RoomLocator {
    core::RoomLocation answer;
    std::function<void()> beforeAnswer;
    std::vector<std::string> asked;
    void locate(const core::RoomId& room, std::function<void(core::RoomLocation)> done) override {
        asked.push_back(room);
        if (beforeAnswer) beforeAnswer();
        done(answer);
    }
};

TEST_F(CrossNodeResume, AResumeNamingItsRoomFindsTheRoomOnAnyNodeOfTheCluster) {
    auto [ann, annToken] = enter(1, "Ann");
    a.send(1, R"({"type":"chat","text":"kept"})");
    const std::string stored = core::encodeRoomSnapshot(*a.gw.rooms().snapshot("moved-room"));

    GatewayNode b{a.clock.nowMs() + 5'000};
    ScriptedLocator locator;
    b.gw.setRoomLocator(&locator);

    // Without the room, a node that does not know the token cannot look for it.
    EXPECT_EQ(b.send(10, R"({"type":"resume","req":1,"token":")" + annToken + R"(","lastSeq":3})")["code"],
              "resume-failed");
    EXPECT_TRUE(locator.asked.empty());

    // The room lives on another node: the client is sent there, its connection kept.
    locator.answer = core::RoomLocation{core::RoomLocation::Kind::Elsewhere, "https://c.example", 0};
    auto r = b.send(11, R"({"type":"resume","req":1,"token":")" + annToken + R"(","lastSeq":3,"room":"moved-room"})");
    EXPECT_EQ(r["code"], "room-elsewhere") << json::serialize(r);
    EXPECT_EQ(r["url"], "https://c.example");
    EXPECT_EQ(r["room"], "moved-room");

    // Its node died and the lease still runs: come back shortly.
    locator.answer = core::RoomLocation{core::RoomLocation::Kind::Unsettled, {}, 1000};
    r = b.send(11, R"({"type":"resume","req":2,"token":")" + annToken + R"(","lastSeq":3,"room":"moved-room"})");
    EXPECT_EQ(r["code"], "room-moving");
    EXPECT_EQ(r["retryAfterMs"], 1000);

    // Taken over here: restored, then the resume goes ahead on the same connection.
    locator.answer = core::RoomLocation{};
    locator.beforeAnswer = [&] {
        ASSERT_EQ(b.gw.restoreRoom(std::get<core::RoomSnapshot>(core::decodeRoomSnapshot(stored))), std::nullopt);
    };
    r = b.send(11, R"({"type":"resume","req":3,"token":")" + annToken + R"(","lastSeq":3,"room":"moved-room"})");
    ASSERT_EQ(r["type"], "resumed") << json::serialize(r);
    EXPECT_EQ(r["you"].as_string(), ann);
    EXPECT_EQ(r["snapshot"].as_object().at("chat").as_array().size(), 1u);
    EXPECT_EQ(locator.asked.size(), 3u);

    // Open here now: a resume naming the room is not located again.
    locator.beforeAnswer = nullptr;
    EXPECT_EQ(b.send(12, R"({"type":"resume","req":1,"token":"p000000000000.00000000000000000000000000000000","lastSeq":0,"room":"moved-room"})")["code"],
              "resume-failed");
    EXPECT_EQ(locator.asked.size(), 3u);
    // A room field that is not a room id is refused as one.
    EXPECT_EQ(b.send(13, R"({"type":"resume","req":1,"token":"x","lastSeq":0,"room":"No Such"})")["code"],
              "invalid-room");
}

}  // namespace
