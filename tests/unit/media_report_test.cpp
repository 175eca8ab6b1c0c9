// What a participant may see of the room's media report, and its JSON.
#include "core/media_report.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "protocol/encoder.hpp"

using namespace parley;

namespace {

core::MediaReport roomOfThree() {
    core::MediaReport all;
    all.intervalMs = 500;
    all.participants = {{"ann", "connected", "10.0.0.1:5000", "udp", 10, 20, 1000, 2000, std::nullopt},
                        {"ben", "connected", "10.0.0.2:6000", "udp", 30, 40, 3000, 4000, std::nullopt}};
    core::MediaStreamReport annCamera{"ann", "camera", "video", 1111, 100, 90000, 800000, 2, 2, 1.5, std::nullopt, {}};
    annCamera.subscriptions = {{"ben", 5001, 99, 88000, 790000, 3, 3, 1, 0, std::nullopt, 12.0},
                               {"cat", 6001, 98, 87000, 780000, 7, 6, 2, 1, std::nullopt, std::nullopt}};
    core::MediaStreamReport benMic{"ben", "microphone", "audio", 2222, 50, 5000, 32000, 0, 1, std::nullopt, std::nullopt, {}};
    benMic.subscriptions = {{"ann", 7001, 50, 5000, 32000, 0, 0, 0, 0, std::nullopt, std::nullopt}};
    all.streams = {annCamera, benMic};
    return all;
}

}  // namespace

TEST(MediaReport, AParticipantSeesTheirOwnConnectionAndOnlyTheirOwnSubscriptions) {
    const auto mine = core::reportFor(roomOfThree(), "ben");
    EXPECT_EQ(mine.intervalMs, 500);
    ASSERT_EQ(mine.participants.size(), 1u);  // Ann's address stays with the operator
    EXPECT_EQ(mine.participants[0].participant, "ben");
    ASSERT_EQ(mine.streams.size(), 2u);
    // Ann's camera: how it reaches the server, and only what goes to Ben (not to Cat).
    EXPECT_EQ(mine.streams[0].publisher, "ann");
    EXPECT_EQ(mine.streams[0].bitsPerSecond, 800000u);
    ASSERT_EQ(mine.streams[0].subscriptions.size(), 1u);
    EXPECT_EQ(mine.streams[0].subscriptions[0].subscriber, "ben");
    EXPECT_EQ(mine.streams[0].subscriptions[0].nacksReceived, 3u);
    // Ben's own microphone: how many receive it, not who nor how well.
    EXPECT_EQ(mine.streams[1].publisher, "ben");
    EXPECT_EQ(mine.streams[1].subscribers, 1u);
    EXPECT_TRUE(mine.streams[1].subscriptions.empty());
}

TEST(MediaReport, SomeoneWithNoConnectionSeesTheStreamsButNothingForwardedToThem) {
    const auto mine = core::reportFor(roomOfThree(), "dan");
    EXPECT_TRUE(mine.participants.empty());
    ASSERT_EQ(mine.streams.size(), 2u);
    for (const auto& s : mine.streams) EXPECT_TRUE(s.subscriptions.empty());
}

TEST(MediaReport, TheJsonNamesEveryoneAndLeavesUnmeasuredValuesOut) {
    const auto text = protocol::encodeMediaReport("7", "room-1", core::reportFor(roomOfThree(), "ben"),
                                                  [](const core::ParticipantId& id) { return id == "ann" ? "Ann" : ""; });
    const auto json = boost::json::parse(text).as_object();
    EXPECT_EQ(json.at("type"), "media-report");
    EXPECT_EQ(json.at("req"), 7);
    EXPECT_EQ(json.at("room"), "room-1");
    const auto& media = json.at("media").as_object();
    EXPECT_EQ(media.at("intervalMs"), 500);
    const auto& you = media.at("participants").as_array().at(0).as_object();
    EXPECT_EQ(you.at("id"), "ben");
    EXPECT_EQ(you.at("transport"), "connected");
    EXPECT_EQ(you.at("remoteAddress"), "10.0.0.2:6000");
    EXPECT_FALSE(you.contains("rttMs"));
    const auto& camera = media.at("streams").as_array().at(0).as_object();
    EXPECT_EQ(camera.at("publisher"), "ann");
    EXPECT_EQ(camera.at("name"), "Ann");
    EXPECT_EQ(camera.at("source"), "camera");
    EXPECT_EQ(camera.at("kind"), "video");
    EXPECT_EQ(camera.at("bitsPerSecond"), 800000);
    EXPECT_EQ(camera.at("lossPercent").as_double(), 1.5);
    EXPECT_FALSE(camera.contains("jitterMs"));
    const auto& toBen = camera.at("subscriptions").as_array().at(0).as_object();
    EXPECT_EQ(toBen.at("subscriber"), "ben");
    EXPECT_EQ(toBen.at("nacks"), 3);
    EXPECT_EQ(toBen.at("retransmitted"), 3);
    EXPECT_EQ(toBen.at("plis"), 1);
    EXPECT_EQ(toBen.at("rttMs").as_double(), 12.0);
}
