// Frames up to 65,536 bytes are read; a larger one closes the socket with 1009.
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class FrameLimit : public ServerSuite<FrameLimit> {};

constexpr std::size_t kMaxFrame = 65'536;

// A valid ping of exactly `bytes` bytes, padded with an (ignored) unknown field.
std::string pingOfSize(std::size_t bytes) {
    json::object ping = {{"type", "ping"}, {"req", 1}, {"t", 7}, {"pad", ""}};
    const std::size_t base = json::serialize(ping).size();
    ping["pad"] = std::string(bytes - base, 'x');
    return json::serialize(ping);
}

TEST_F(FrameLimit, AFrameOfExactlyTheLimitIsAccepted) {
    Peer peer(port());
    const std::string frame = pingOfSize(kMaxFrame);
    ASSERT_EQ(frame.size(), kMaxFrame);
    peer.sendRaw(frame);
    const auto pong = peer.expect("pong");
    EXPECT_EQ(field(pong, "t"), json::value(7));
}

TEST_F(FrameLimit, ALargestSdpIsRelayed) {
    const auto room = uniqueRoom("big");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    const std::string sdp = "v=0\r\n" + std::string(60'000 - 5, 'a');
    const auto ok = alice.request({{"type", "offer"}, {"to", bob.id()}, {"sdp", sdp}});
    EXPECT_EQ(str(ok, "type"), "ok") << "the reply was " << json::serialize(ok).substr(0, 200);
    const auto offer = bob.expect("offer");
    EXPECT_EQ(str(offer, "sdp"), sdp);
    EXPECT_EQ(str(offer, "from"), alice.id());
}

TEST_F(FrameLimit, AFrameOverTheLimitClosesWith1009) {
    const auto room = uniqueRoom("abuse");
    Peer alice(port()), mallory(port());
    alice.join(room, "Alice");
    mallory.join(room, "Mallory");
    alice.expect("participant-joined");
    const std::string malloryId = mallory.id();

    // The write itself may fail if the server closes first; the close frame is what counts.
    (void)mallory.socket().trySendText(pingOfSize(kMaxFrame + 1));
    const Incoming in = mallory.socket().read();
    ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
    EXPECT_EQ(in.closeCode, 1009);
    EXPECT_EQ(in.closeReason, "message-too-big");

    // Like any dropped connection, the abuser shows as reconnecting; everyone else carries on.
    const auto dropped = alice.expect("participant-connection");
    EXPECT_EQ(str(dropped, "id"), malloryId);
    EXPECT_EQ(field(dropped, "connected"), json::value(false));
    alice.expectNothingPending();
    Peer newcomer(port());
    newcomer.expectNothingPending();
}

}  // namespace
}  // namespace parley::itest
