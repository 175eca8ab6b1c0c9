// The seams beside the signaling: facts about rooms reported once to each observer, and
// numbered events from other components (Rooms::send) that take part in the replay on resume.
#include "protocol/gateway.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "captured_frames.hpp"

using namespace parley;
namespace json = boost::json;

namespace {

struct FactLog : core::RoomObserver {
    std::vector<std::string> facts;
    void roomOpened(const core::RoomId& room) override { facts.push_back("opened " + room); }
    void admitted(const core::RoomId& room, const core::ParticipantInfo& who) override {
        facts.push_back("admitted " + who.name + " as " + std::string(core::toString(who.role)) + " in " + room);
    }
    void left(const core::RoomId&, const core::ParticipantId& id, core::LeaveReason reason) override {
        facts.push_back("left " + id + " " + std::string(core::toString(reason)));
    }
    void mediaChanged(const core::RoomId&, const core::ParticipantId& id, const core::MediaState& m) override {
        facts.push_back("media " + id + (m.mic ? " mic" : " -") + (m.cam ? " cam" : " -"));
    }
    void roleChanged(const core::RoomId&, const core::ParticipantId& id, core::Role role) override {
        facts.push_back("role " + id + " " + std::string(core::toString(role)));
    }
    void connectionChanged(const core::RoomId&, const core::ParticipantId& id, bool connected, bool) override {
        facts.push_back(std::string(connected ? "back " : "away ") + id);
    }
    void ended(const core::RoomId& room, core::EndReason reason) override {
        facts.push_back("ended " + room + " " + std::string(core::toString(reason)));
    }
    void roomClosed(const core::RoomId& room) override { facts.push_back("closed " + room); }
};


struct Seams : ::testing::Test {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    unit::CapturedFrames out;
    protocol::Gateway gw{core::RoomsConfig{6}, protocol::GatewayConfig{}, clock, ids, out};
    FactLog first, second;

    void SetUp() override {
        gw.addObserver(first);
        gw.addObserver(second);
    }
    std::string join(protocol::SessionId s, std::string_view name) {
        gw.onText(s, R"({"type":"join","req":1,"v":1,"room":"seams","name":")" + std::string(name) + R"("})");
        return std::string(out.frames[s].back()["you"].as_object()["id"].as_string());
    }
};

TEST_F(Seams, EachFactReachesEachObserverOnce) {
    const auto a = join(1, "Ann");
    const auto b = join(2, "Ben");
    gw.onText(2, R"({"type":"media","mic":true,"cam":false,"screen":false})");
    gw.onText(1, R"({"type":"mute","id":")" + b + R"("})");
    gw.onText(1, R"({"type":"transfer-host","id":")" + b + R"("})");
    gw.onDisconnect(1);
    gw.onText(2, R"({"type":"kick","id":")" + a + R"("})");
    gw.onText(2, R"({"type":"end-session"})");
    const std::vector<std::string> expected = {
        "opened seams",
        "admitted Ann as host in seams",
        "admitted Ben as guest in seams",
        "media " + b + " mic -",
        "media " + b + " - -",  // muted by the host: once, not once per person told
        "role " + a + " guest",
        "role " + b + " host",
        "away " + a,
        "left " + a + " kicked",
        "ended seams host-ended",
        "closed seams",
    };
    EXPECT_EQ(first.facts, expected);
    EXPECT_EQ(second.facts, expected) << "every observer gets every fact";
    gw.removeObserver(second);
    join(3, "Cat");
    EXPECT_EQ(second.facts.size(), expected.size());
    EXPECT_EQ(first.facts.size(), expected.size() + 2);
}

TEST_F(Seams, AnotherComponentsEventsAreNumberedKeptAndReplayed) {
    const auto a = join(1, "Ann");
    join(2, "Ben");  // Ann: participant-joined, seq 1
    ASSERT_TRUE(gw.sendEvent(a, core::ServiceEvent{"track-added", R"("track":"t1","kind":"video")"}));
    auto event = out.frames[1].back();
    EXPECT_EQ(event["type"], "track-added");
    EXPECT_EQ(event["seq"], 2);
    EXPECT_EQ(event["track"], "t1");
    EXPECT_FALSE(gw.sendEvent("nobody", core::ServiceEvent{"x", ""}));

    const std::string token(out.frames[1].front()["resumeToken"].as_string());
    gw.onDisconnect(1);
    ASSERT_TRUE(gw.sendEvent(a, core::ServiceEvent{"layer-changed", R"("layer":1)"}));  // while away
    gw.onText(9, R"({"type":"resume","req":1,"token":")" + token + R"(","lastSeq":1})");
    const auto& replay = out.frames[9];
    ASSERT_EQ(replay.size(), 3u);
    EXPECT_EQ(replay[0].at("type"), "resumed");
    EXPECT_EQ(replay[1].at("type"), "track-added");
    EXPECT_EQ(replay[2].at("type"), "layer-changed");
    EXPECT_EQ(replay[2].at("seq"), 3);
}

}  // namespace
