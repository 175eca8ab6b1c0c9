// Messages per connection (--message-rate 5 --message-burst 10): a burst over the rate gets
// rate-limited replies and keeps its connection; a sender that ignores them (--flood-limit 30
// refusals in a row) is closed with 4003 while its room carries on.
#include <chrono>
#include <thread>

#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class RateLimit : public ServerSuite<RateLimit> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--message-rate", "5", "--message-burst", "10", "--flood-limit", "30"};
    }
};

json::object ping(int req) { return {{"type", "ping"}, {"req", req}, {"t", req}}; }

TEST_F(RateLimit, ABurstOverTheRateIsRefusedAndTheConnectionStays) {
    Peer peer(port());
    // Written back to back without reading: far faster than 5 a second, yet fewer refusals in
    // a row than the flood limit (at most 25 - 10).
    constexpr int kSent = 25;
    for (int i = 1; i <= kSent; ++i) peer.send(ping(i));
    int pongs = 0;
    int limited = 0;
    for (int i = 1; i <= kSent; ++i) {
        const auto reply = peer.next();
        EXPECT_EQ(field(reply, "req"), json::value(i)) << "every request gets its one reply, in order";
        if (str(reply, "type") == "pong") ++pongs;
        if (str(reply, "type") == "error") {
            EXPECT_EQ(str(reply, "code"), "rate-limited");
            ++limited;
        }
    }
    EXPECT_GE(pongs, 10) << "the burst is accepted";
    EXPECT_GT(limited, 0);
    EXPECT_EQ(pongs + limited, kSent);

    // Still connected: once tokens come back (one per 200 ms), requests are served again. The
    // poll backs off between tries, as a well-behaved client does, so it never floods.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    json::object reply;
    for (;;) {
        peer.send(ping(100));
        reply = peer.next();
        if (str(reply, "type") == "pong" || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(str(reply, "type"), "pong");
}

TEST_F(RateLimit, AFloodIsClosedWith4003AndTheRoomCarriesOn) {
    const auto room = uniqueRoom("flood");
    Peer alice(port()), bob(port()), mallory(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    mallory.join(room, "Mallory");
    alice.expect("participant-joined");
    bob.expect("participant-joined");
    const std::string malloryId = mallory.id();

    // Mallory floods Bob with candidates and never reads; the server stops her.
    const std::string candidate = json::serialize(json::object{
        {"type", "candidate"}, {"to", bob.id()}, {"candidate", nullptr}});
    for (int i = 0; i < 200; ++i) {
        if (mallory.socket().trySendText(candidate)) break;  // the server may cut her off first
    }
    Incoming in;
    do {
        in = mallory.socket().read();
    } while (in.kind == Incoming::Kind::Text);
    ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
    EXPECT_EQ(in.closeCode, 4003);
    EXPECT_EQ(in.closeReason, "flooding");

    // Bob got at most the burst (and what trickled in at the rate) of her candidates, then
    // her dropped connection; Alice's relays still reach him.
    int floodCandidates = 0;
    json::object event;
    for (;;) {
        event = bob.next();
        if (str(event, "type") != "candidate") break;
        EXPECT_EQ(str(event, "from"), malloryId);
        ++floodCandidates;
    }
    EXPECT_LT(floodCandidates, 200);
    EXPECT_EQ(str(event, "type"), "participant-connection") << json::serialize(event);
    EXPECT_EQ(str(event, "id"), malloryId);
    EXPECT_EQ(field(event, "connected"), json::value(false));

    const auto seen = alice.expect("participant-connection");
    EXPECT_EQ(str(seen, "id"), malloryId);
    const auto ok = alice.request({{"type", "offer"}, {"to", bob.id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);
    const auto offer = bob.expect("offer");
    EXPECT_EQ(str(offer, "from"), alice.id());
}

}  // namespace
}  // namespace parley::itest
