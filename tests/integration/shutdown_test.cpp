// SIGTERM: every open socket gets close 1001 and the process exits 0.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <thread>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

// Each test owns its server: stopping it is the point.
class Shutdown : public ::testing::Test {};

constexpr std::chrono::milliseconds kExitWithin{5000};

// Events (e.g. a participant-left while the room empties) may come before the close frame.
Incoming closeFrame(WsClient& socket) {
    Incoming in = socket.read();
    for (int skipped = 0; in.kind == Incoming::Kind::Text && skipped < 10; ++skipped) in = socket.read();
    return in;
}

void expectCleanExit(ServerProcess& server) {
    const auto status = server.waitForExit(kExitWithin);
    ASSERT_TRUE(status) << "parley still runs 5 s after SIGTERM";
    ASSERT_TRUE(WIFEXITED(*status)) << "parley died from signal " << WTERMSIG(*status);
    EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST_F(Shutdown, OpenSocketsGet1001AndTheProcessExitsZero) {
    ServerProcess server;
    const auto room = uniqueRoom("bye");
    Peer alice(server.port()), bob(server.port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    WsClient lurker(server.port());  // connected, never joined

    server.sendSignal(SIGTERM);
    for (WsClient* socket : {&alice.socket(), &bob.socket(), &lurker}) {
        const Incoming in = closeFrame(*socket);
        ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
        EXPECT_EQ(in.closeCode, 1001);
        EXPECT_EQ(in.closeReason, "server-shutdown");
    }
    expectCleanExit(server);
}

TEST_F(Shutdown, AnIdleServerExitsZero) {
    ServerProcess server;
    server.sendSignal(SIGTERM);
    expectCleanExit(server);
}

// --drain-seconds: SIGTERM first turns /ready to 503 while everything else goes on, then closes.
class Drain : public ::testing::Test {};

// Polls /ready (bounded) until it answers 503; returns that response.
HttpResponse readyUntilUnavailable(std::uint16_t port) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    HttpResponse response = httpGet(port, "/ready");
    while (response.status != 503 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        response = httpGet(port, "/ready");
    }
    return response;
}

TEST_F(Drain, ReadyTurns503WhileCallsGoOnThenSocketsGet1001) {
    // Long enough for the checks below even under ASan; the second test ends its drain early.
    ServerProcess server({"--drain-seconds", "3"});
    const auto room = uniqueRoom("drain");
    Peer alice(server.port()), bob(server.port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    ASSERT_EQ(httpGet(server.port(), "/ready").status, 200u);

    server.sendSignal(SIGTERM);
    const auto ready = readyUntilUnavailable(server.port());
    ASSERT_EQ(ready.status, 503u) << "/ready never said 503 after SIGTERM";
    EXPECT_EQ(ready.body, R"({"status":"draining"})");
    const auto waitedFrom = std::chrono::steady_clock::now();

    // The call goes on: a relay still reaches the other side, and whoever the balancer still
    // sends (or who reconnects) is served.
    bob.request({{"type", "offer"}, {"to", alice.id()}, {"sdp", "v=0 drain"}});
    const auto offer = alice.expect("offer");
    EXPECT_EQ(str(offer, "from"), bob.id());
    EXPECT_EQ(httpGet(server.port(), "/health").status, 200u);
    EXPECT_NE(httpGet(server.port(), "/metrics").body.find("parley_ready 0"), std::string::npos);
    Peer carol(server.port());
    carol.join(room, "Carol");

    for (WsClient* socket : {&alice.socket(), &bob.socket(), &carol.socket()}) {
        Incoming in = socket->read(std::chrono::seconds(8));
        for (int skipped = 0; in.kind == Incoming::Kind::Text && skipped < 10; ++skipped) {
            in = socket->read(std::chrono::seconds(8));
        }
        ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
        EXPECT_EQ(in.closeCode, 1001);
        EXPECT_EQ(in.closeReason, "server-shutdown");
    }
    // Closed when the drain ended (3 s after the signal), not before: /ready said 503 within
    // moments of the signal, so at least ~2 s of the drain were left.
    EXPECT_GE(std::chrono::steady_clock::now() - waitedFrom, std::chrono::seconds(1));
    expectCleanExit(server);
}

TEST_F(Drain, ASecondSignalEndsTheDrainAtOnce) {
    ServerProcess server({"--drain-seconds", "600"});
    Peer alice(server.port());
    alice.join(uniqueRoom("drain"), "Alice");
    server.sendSignal(SIGTERM);
    ASSERT_EQ(readyUntilUnavailable(server.port()).status, 503u);
    alice.expectNothingPending();  // still served
    server.sendSignal(SIGTERM);
    const Incoming in = closeFrame(alice.socket());
    ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
    EXPECT_EQ(in.closeCode, 1001);
    expectCleanExit(server);
}

}  // namespace
}  // namespace parley::itest
