// media is broadcast to the others; ping is answered with pong.
#include "peer.hpp"
#include "server_suite.hpp"
#include "wall_clock.hpp"

namespace parley::itest {
namespace {

class MediaAndPing : public ServerSuite<MediaAndPing> {};

TEST_F(MediaAndPing, MediaIsBroadcastToEveryoneElseWithFromAndSeq) {
    const auto room = uniqueRoom("media");
    Peer alice(port()), bob(port()), carol(port()), stranger(port());
    alice.join(room, "Alice", {.mic = true, .cam = true});
    bob.join(room, "Bob");
    carol.join(room, "Carol");
    alice.expect("participant-joined");
    alice.expect("participant-joined");
    bob.expect("participant-joined");
    stranger.join(uniqueRoom("elsewhere"), "Stranger");

    const auto ok = alice.request(
        {{"type", "media"}, {"mic", false}, {"cam", true}, {"screen", true}, {"screenStream", "{7d0c-screen}"}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);

    for (Peer* other : {&bob, &carol}) {
        const auto media = other->expect("media");
        EXPECT_EQ(str(media, "from"), alice.id());
        EXPECT_EQ(field(media, "mic"), json::value(false));
        EXPECT_EQ(field(media, "cam"), json::value(true));
        EXPECT_EQ(field(media, "screen"), json::value(true));
        EXPECT_EQ(field(media, "screenStream"), json::value("{7d0c-screen}"));
    }
    EXPECT_EQ(bob.lastSeq(), 2u);
    EXPECT_EQ(carol.lastSeq(), 1u);
    alice.expectNothingPending();  // not echoed to the sender
    stranger.expectNothingPending();

    // A later joiner sees the new state.
    Peer dave(port());
    const auto joined = dave.join(room, "Dave");
    const auto& others = field(joined, "participants").as_array();
    ASSERT_EQ(others.size(), 3u) << json::serialize(joined);
    const auto& aliceState = field(others[0].as_object(), "media").as_object();
    EXPECT_EQ(field(aliceState, "mic"), json::value(false));
    EXPECT_EQ(field(aliceState, "cam"), json::value(true));
    EXPECT_EQ(field(aliceState, "screen"), json::value(true));
}

TEST_F(MediaAndPing, MediaWithoutReqIsSilentForTheSender) {
    const auto room = uniqueRoom("quiet");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.send({{"type", "media"}, {"mic", true}, {"cam", false}, {"screen", false}, {"from", bob.id()}});
    const auto media = bob.expect("media");
    EXPECT_EQ(str(media, "from"), alice.id()) << "a forged from must be ignored";
    EXPECT_EQ(field(media, "mic"), json::value(true));
    alice.expect("participant-joined");
    alice.expectNothingPending();
}

TEST_F(MediaAndPing, PingEchoesTAndReportsServerTime) {
    Peer peer(port());  // ping works before join too
    const std::int64_t t = 1763750412345;
    const auto pong = peer.request({{"type", "ping"}, {"t", t}});
    ASSERT_EQ(str(pong, "type"), "pong") << json::serialize(pong);
    EXPECT_EQ(field(pong, "t"), json::value(t));
    const auto& serverTime = field(pong, "serverTime");
    ASSERT_TRUE(serverTime.is_int64()) << json::serialize(pong);
    EXPECT_NEAR(static_cast<double>(serverTime.as_int64()), static_cast<double>(wallClockMs()), 60'000.0);
}

TEST_F(MediaAndPing, PingWithoutReqIsStillAnswered) {
    Peer peer(port());
    peer.join(uniqueRoom("ping"), "Alice");
    peer.send({{"type", "ping"}, {"t", 42}});
    const auto pong = peer.expect("pong");
    EXPECT_EQ(field(pong, "t"), json::value(42));
    EXPECT_FALSE(pong.contains("req")) << json::serialize(pong);
    peer.send({{"type", "ping"}, {"req", "s-1"}, {"t", 43}});
    EXPECT_EQ(field(peer.expect("pong"), "req"), json::value("s-1"));
}

}  // namespace
}  // namespace parley::itest
