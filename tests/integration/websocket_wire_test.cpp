// RFC 6455 on the wire, byte by byte: the handshake, frames split and batched in every way a
// TCP stream may deliver them, fragmentation, ping/pong, the close handshake, and the closes
// for broken framing. A raw socket (not a WebSocket library) so the bytes are exactly these.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "peer.hpp"
#include "raw_websocket.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

namespace json = boost::json;

class WebSocketWire : public ServerSuite<WebSocketWire> {};

std::string pingText(int t) { return "{\"type\":\"ping\",\"req\":" + std::to_string(t) + ",\"t\":" + std::to_string(t) + "}"; }

// The `t` of a pong frame, or -1.
std::int64_t pongT(const std::optional<ServerFrame>& frame) {
    if (!frame || frame->opcode != 1) return -1;
    const auto value = json::parse(frame->payload).as_object();
    if (value.at("type").as_string() != "pong") return -1;
    return value.at("t").as_int64();
}

TEST_F(WebSocketWire, HandshakeAnswersWithTheAcceptKeyOfRfc6455) {
    RawConnection c(port());
    c.write(upgradeRequest());
    const auto head = c.readHttpHead();
    EXPECT_EQ(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Upgrade: websocket\r\n"), std::string::npos) << head;
}

TEST_F(WebSocketWire, AnotherVersionGets426NamingThirteen) {
    RawConnection c(port());
    c.write(upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", "8"));
    const auto head = c.readHttpHead();
    EXPECT_EQ(head.rfind("HTTP/1.1 426", 0), 0u) << head;
    EXPECT_NE(head.find("Sec-WebSocket-Version: 13"), std::string::npos) << head;
}

TEST_F(WebSocketWire, AMissingOrMalformedKeyGets400) {
    for (const std::string_view key : {std::string_view{}, std::string_view{"not-a-key"}}) {
        RawConnection c(port());
        c.write(upgradeRequest(key));
        const auto head = c.readHttpHead();
        EXPECT_EQ(head.rfind("HTTP/1.1 400", 0), 0u) << head;
    }
}

TEST_F(WebSocketWire, AFrameSentWithTheUpgradeRequestIsRead) {
    RawConnection c(port());
    c.write(upgradeRequest() + clientFrame(1, pingText(41)));
    ASSERT_EQ(c.readHttpHead().rfind("HTTP/1.1 101", 0), 0u);
    EXPECT_EQ(pongT(c.readFrame()), 41);
}

TEST_F(WebSocketWire, AFrameArrivingAByteAtATimeIsRead) {
    OpenSocket c(port());
    const std::string frame = clientFrame(1, pingText(42));
    for (char byte : frame) c.write(std::string(1, byte));
    EXPECT_EQ(pongT(c.readFrame()), 42);
}

TEST_F(WebSocketWire, ManyFramesInOneWriteAreAllAnsweredInOrder) {
    OpenSocket c(port());
    std::string batch;
    for (int t = 1; t <= 40; ++t) batch += clientFrame(1, pingText(t));
    c.write(batch);
    for (int t = 1; t <= 40; ++t) ASSERT_EQ(pongT(c.readFrame()), t);
}

TEST_F(WebSocketWire, MoreThanTheServersReadBufferInOneWriteIsAllAnswered) {
    // ~85 KB at once: more than one 64 KiB read of the server's, so one frame straddles the end
    // of a full read (its first part must outlive the shared read buffer) and the frames after
    // it arrive only with a later read.
    OpenSocket c(port());
    std::string batch;
    for (int t = 1; t <= 80; ++t) {
        batch += clientFrame(1, "{\"type\":\"ping\",\"req\":" + std::to_string(t) + ",\"t\":" +
                                    std::to_string(t) + ",\"pad\":\"" + std::string(1'000, 'x') + "\"}");
    }
    ASSERT_GT(batch.size(), 64u * 1024u);
    c.write(batch);
    for (int t = 1; t <= 80; ++t) ASSERT_EQ(pongT(c.readFrame()), t);
}

TEST_F(WebSocketWire, AFragmentedMessageWithAPingInsideIsJoined) {
    OpenSocket c(port());
    const std::string text = pingText(43);
    c.write(clientFrame(1, text.substr(0, 5), false) + clientFrame(9, "are you there") +
            clientFrame(0, text.substr(5, 7), false) + clientFrame(0, text.substr(12), true));
    const auto pong = c.readFrame();
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->opcode, 0xA);
    EXPECT_EQ(pong->payload, "are you there");
    EXPECT_EQ(pongT(c.readFrame()), 43);
}

TEST_F(WebSocketWire, ALargeFrameWithA16BitLengthIsRead) {
    // (Large frames out are covered by FrameLimit.ALargestSdpIsRelayed.)
    OpenSocket c(port());
    const std::string big = "{\"type\":\"ping\",\"req\":1,\"t\":44,\"pad\":\"" + std::string(60'000, 'x') + "\"}";
    c.write(clientFrame(1, big));
    EXPECT_EQ(pongT(c.readFrame()), 44);
}

TEST_F(WebSocketWire, TheClientsCloseIsEchoedAndTheServerClosesTcp) {
    OpenSocket c(port());
    c.write(clientFrame(8, std::string("\x03\xE8") + "bye"));
    const auto echo = c.readFrame();
    ASSERT_TRUE(echo);
    EXPECT_EQ(echo->opcode, 8);
    EXPECT_EQ(closeCode(*echo), 1000);
    EXPECT_TRUE(c.readsEof());
}

TEST_F(WebSocketWire, AnUnmaskedFrameClosesWith1002ThenEof) {
    OpenSocket c(port());
    c.write(clientFrame(1, pingText(45), true, false));
    const auto close = c.readFrame();
    ASSERT_TRUE(close);
    EXPECT_EQ(close->opcode, 8);
    EXPECT_EQ(closeCode(*close), 1002);
    EXPECT_EQ(close->payload.substr(2), "protocol-error");
    EXPECT_TRUE(c.readsEof());
}

TEST_F(WebSocketWire, TextThatIsNotUtf8ClosesWith1007) {
    OpenSocket c(port());
    c.write(clientFrame(1, "{\"type\":\"chat\",\"text\":\"\xC3(\"}"));
    const auto close = c.readFrame();
    ASSERT_TRUE(close);
    EXPECT_EQ(close->opcode, 8);
    EXPECT_EQ(closeCode(*close), 1007);
    EXPECT_EQ(close->payload.substr(2), "invalid-utf8");
    EXPECT_TRUE(c.readsEof());
}

TEST_F(WebSocketWire, OthersCarryOnWhileOneBreaksTheFraming) {
    OpenSocket good(port()), bad(port());
    bad.write(clientFrame(3, "?"));  // an opcode that does not exist
    const auto close = bad.readFrame();
    ASSERT_TRUE(close);
    EXPECT_EQ(closeCode(*close), 1002);
    good.write(clientFrame(1, pingText(46)));
    EXPECT_EQ(pongT(good.readFrame()), 46);
}

// Without the message rate limit, so one sender can outrun one reader.
class SlowConsumer : public ServerSuite<SlowConsumer> {
public:
    static std::vector<std::string> serverFlags() { return {"--message-rate", "0"}; }
};

TEST_F(SlowConsumer, AReaderThatFallsBehindIsClosedWith4001AfterWhatWasAlreadyOnItsWay) {
    const auto room = uniqueRoom("slow");
    OpenSocket alice(port());
    alice.write(clientFrame(1, "{\"v\":1,\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"Alice\"}"));
    const auto joined = alice.readFrame();
    ASSERT_TRUE(joined);
    const auto aliceId = std::string(json::parse(joined->payload).as_object().at("you").as_object().at("id").as_string());

    // Alice stops reading. Bob sends her offers of ~60 KB: 24 MB, far more than the kernel's
    // buffers (a few MB) plus the 8 MiB the server queues for one connection.
    Peer bob(port());
    bob.join(room, "Bob");
    const std::string sdp = "v=0\r\n" + std::string(60'000 - 5, 's');
    for (int i = 0; i < 400; ++i) {
        const auto reply = bob.request({{"type", "offer"}, {"to", aliceId}, {"sdp", sdp}});
        ASSERT_EQ(str(reply, "type"), "ok") << i << ": " << json::serialize(reply);
    }

    // Now Alice reads: whole frames (her join's events, then offers), then the close frame.
    int offers = 0;
    std::optional<ServerFrame> frame;
    while ((frame = alice.readFrame()) && frame->opcode == 1) {
        const auto message = json::parse(frame->payload).as_object();
        if (message.at("type").as_string() == "offer") {
            ASSERT_EQ(message.at("sdp").as_string().size(), sdp.size());
            ++offers;
        }
    }
    ASSERT_TRUE(frame) << "no close frame after " << offers << " offers";
    EXPECT_EQ(frame->opcode, 8);
    EXPECT_EQ(closeCode(*frame), 4001);
    EXPECT_EQ(frame->payload.substr(2), "slow-consumer");
    EXPECT_GT(offers, 0);
    EXPECT_LT(offers, 400);

    // She answers the close; the server ends the connection and Bob hears she is gone.
    alice.write(clientFrame(8, std::string("\x0F\xA1", 2)));
    EXPECT_TRUE(alice.readsEof());
    const auto gone = bob.expect("participant-connection");
    EXPECT_EQ(str(gone, "id"), aliceId);
    EXPECT_EQ(field(gone, "connected"), json::value(false));
    bob.expectNothingPending();
}

}  // namespace
}  // namespace parley::itest
