// SIGTERM: every open socket gets close 1001 and the process exits 0.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>

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

}  // namespace
}  // namespace parley::itest
