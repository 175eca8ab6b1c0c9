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
#include "server_suite.hpp"

namespace parley::itest {
namespace {

namespace json = boost::json;

class WebSocketWire : public ServerSuite<WebSocketWire> {};

struct ServerFrame {
    std::uint8_t opcode = 0;
    bool fin = false;
    std::string payload;
};

// One TCP connection with a 3-second bound on every read.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error("socket");
        timeval limit{3, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("connect");
        }
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void write(const std::string& bytes) {
        std::size_t at = 0;
        while (at < bytes.size()) {
            const auto n = ::send(fd_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send failed");
            at += static_cast<std::size_t>(n);
        }
    }

    // Up to and including the blank line of an HTTP response.
    std::string readHttpHead() {
        while (buffer_.find("\r\n\r\n") == std::string::npos) {
            if (!fill()) throw std::runtime_error("no HTTP response: " + buffer_);
        }
        const auto end = buffer_.find("\r\n\r\n") + 4;
        std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end);
        return head;
    }

    std::optional<ServerFrame> readFrame() {
        while (true) {
            if (buffer_.size() >= 2) {
                const auto* b = reinterpret_cast<const unsigned char*>(buffer_.data());
                if (b[1] & 0x80) throw std::runtime_error("the server masked a frame");
                std::size_t length = b[1] & 0x7F, header = 2;
                if (length == 126) {
                    header = 4;
                    if (buffer_.size() >= 4) length = (std::size_t{b[2]} << 8) | b[3];
                } else if (length == 127) {
                    header = 10;
                    if (buffer_.size() >= 10) {
                        length = 0;
                        for (int i = 0; i < 8; ++i) length = (length << 8) | b[2 + i];
                    }
                }
                if (buffer_.size() >= header && buffer_.size() - header >= length) {
                    ServerFrame frame{static_cast<std::uint8_t>(b[0] & 0x0F), (b[0] & 0x80) != 0,
                                      buffer_.substr(header, length)};
                    buffer_.erase(0, header + length);
                    return frame;
                }
            }
            if (!fill()) return std::nullopt;
        }
    }

    // Whether the server closed its side: EOF after everything it sent was read.
    bool readsEof() {
        char byte;
        return buffer_.empty() && ::recv(fd_, &byte, 1, 0) == 0;
    }

private:
    bool fill() {
        char chunk[65536];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    std::string buffer_;
};

std::string upgradeRequest(std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==",
                           std::string_view version = "13") {
    std::string request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\n";
    if (!key.empty()) request += "Sec-WebSocket-Key: " + std::string(key) + "\r\n";
    request += "Sec-WebSocket-Version: " + std::string(version) + "\r\n\r\n";
    return request;
}

std::string clientFrame(std::uint8_t opcode, const std::string& payload, bool fin = true,
                        bool masked = true) {
    std::string out;
    out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
    const unsigned char maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        out.push_back(static_cast<char>(maskBit | payload.size()));
    } else {
        out.push_back(static_cast<char>(maskBit | 126));
        out.push_back(static_cast<char>(payload.size() >> 8));
        out.push_back(static_cast<char>(payload.size() & 0xFF));
    }
    const unsigned char key[4] = {0xa1, 0x07, 0x5c, 0xe3};
    if (masked) out.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) {
        out.push_back(static_cast<char>(payload[i] ^ (masked ? key[i % 4] : 0)));
    }
    return out;
}

std::string pingText(int t) { return "{\"type\":\"ping\",\"req\":" + std::to_string(t) + ",\"t\":" + std::to_string(t) + "}"; }

// The `t` of a pong frame, or -1.
std::int64_t pongT(const std::optional<ServerFrame>& frame) {
    if (!frame || frame->opcode != 1) return -1;
    const auto value = json::parse(frame->payload).as_object();
    if (value.at("type").as_string() != "pong") return -1;
    return value.at("t").as_int64();
}

std::uint16_t closeCode(const ServerFrame& frame) {
    if (frame.payload.size() < 2) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(frame.payload[0]) << 8) |
                                      static_cast<unsigned char>(frame.payload[1]));
}

// An open WebSocket: upgraded, with the 101 read.
struct OpenSocket : RawConnection {
    explicit OpenSocket(std::uint16_t port) : RawConnection(port) {
        write(upgradeRequest());
        const auto head = readHttpHead();
        if (head.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("no 101: " + head);
    }
};

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
