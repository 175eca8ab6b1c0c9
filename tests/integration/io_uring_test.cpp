// --io-uring: plain WebSocket connections live in io_uring rings, as registered descriptors,
// not in the process's file table, so the server holds more of them than it may open files.
// Here parley may open 64 files and holds 150 joined participants (rings of 64 slots each),
// relays between every pair, and takes new ones into the slots that leavers free.
#include <gtest/gtest.h>

#include <dirent.h>

#include <memory>
#include <string>
#include <vector>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

constexpr int kFileLimit = 64;
constexpr int kPeers = 150;

std::size_t openFiles(pid_t pid) {
    std::size_t count = 0;
    DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (!dir) return 0;
    while (const dirent* entry = ::readdir(dir))
        if (entry->d_name[0] != '.') ++count;
    ::closedir(dir);
    return count;
}

const json::object kCandidate = {{"candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host"},
                                 {"sdpMid", "0"},
                                 {"sdpMLineIndex", 0}};

// A fixture only so that tests/integration/CMakeLists.txt registers the suite (it reads TEST_F).
class IoUring : public ::testing::Test {};

TEST_F(IoUring, HoldsMoreConnectionsThanItsFileLimit) {
    ServerProcess server({"--io-uring", "--max-connections-per-ip", "1000", "--max-seats-per-ip", "1000",
                          "--max-rooms-per-ip", "1000", "--new-rooms-per-minute", "100000",
                          "--resume-grace", "0"}, {},
                         {"/usr/bin/prlimit", "--nofile=" + std::to_string(kFileLimit) + ":" +
                                                  std::to_string(kFileLimit), "--"});
    const std::string room = uniqueRoom("uring");
    auto roomOf = [&](int i) { return room + "-" + std::to_string(i / 2); };

    std::vector<std::unique_ptr<Peer>> peers;
    for (int i = 0; i < kPeers; ++i) {
        peers.push_back(std::make_unique<Peer>(server.port()));
        peers.back()->join(roomOf(i), "P" + std::to_string(i));
        if (i % 2 == 1) peers[i - 1]->expect("participant-joined");
    }
    const auto files = openFiles(server.pid());
    EXPECT_GT(files, 0u);
    EXPECT_LT(files, std::size_t(kFileLimit)) << "the connections are in the file table";
    // What an operator sees: three rings (64 slots each) hold all of them.
    const auto metrics = httpGet(server.port(), "/metrics").body;
    EXPECT_NE(metrics.find("parley_io_uring_connections " + std::to_string(kPeers) + "\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("parley_io_uring_rings 3\n"), std::string::npos) << metrics;

    // Every pair relays both ways: each ring reads and writes.
    for (int i = 0; i < kPeers; i += 2) {
        Peer& a = *peers[i];
        Peer& b = *peers[i + 1];
        EXPECT_EQ(str(a.request({{"type", "candidate"}, {"to", b.id()}, {"candidate", kCandidate}}), "type"), "ok");
        EXPECT_EQ(str(b.expect("candidate"), "from"), a.id());
        EXPECT_EQ(str(b.request({{"type", "candidate"}, {"to", a.id()}, {"candidate", kCandidate}}), "type"), "ok");
        EXPECT_EQ(str(a.expect("candidate"), "from"), b.id());
    }

    // The first of every pair (the host) leaves; its room-mate hears it, and a newcomer takes its place
    // (and a freed slot).
    for (int i = 0; i < kPeers; i += 2) {
        peers[i]->socket().close();
        EXPECT_EQ(str(peers[i + 1]->expect("participant-left"), "type"), "participant-left");
        // Now the host: it hears so, and gets the (empty) waiting line.
        EXPECT_EQ(str(peers[i + 1]->expect("host-changed"), "host"), peers[i + 1]->id());
        peers[i + 1]->expect("queue");
    }
    for (int i = 0; i < kPeers; i += 2) {
        peers[i] = std::make_unique<Peer>(server.port());
        peers[i]->join(roomOf(i), "N" + std::to_string(i));
        peers[i + 1]->expect("participant-joined");
        EXPECT_EQ(str(peers[i]->request({{"type", "candidate"}, {"to", peers[i + 1]->id()}, {"candidate", kCandidate}}), "type"), "ok");
        EXPECT_EQ(str(peers[i + 1]->expect("candidate"), "from"), peers[i]->id());
    }
    EXPECT_LT(openFiles(server.pid()), std::size_t(kFileLimit));
    for (auto& peer : peers) peer->expectNothingPending();
}

}  // namespace
}  // namespace parley::itest
