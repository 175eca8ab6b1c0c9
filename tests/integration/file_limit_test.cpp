// The server raises its own open-file limit: started with the usual low soft limit, it must
// not stay capped at ~1,000 connections.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "server_process.hpp"

namespace parley::itest {
namespace {

// "Max open files" soft and hard limits of a running process, from /proc/<pid>/limits.
std::pair<std::string, std::string> openFileLimits(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("Max open files")) continue;
        std::istringstream fields(line.substr(std::string("Max open files").size()));
        std::string soft, hard;
        fields >> soft >> hard;
        return {soft, hard};
    }
    return {};
}

// A fixture only so that tests/integration/CMakeLists.txt registers the suite (it reads TEST_F).
class FileLimit : public ::testing::Test {};

TEST_F(FileLimit, ServerRaisesItsSoftLimitToTheHardLimit) {
    rlimit original{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
    if (original.rlim_max != RLIM_INFINITY && original.rlim_max <= 512)
        GTEST_SKIP() << "hard limit " << original.rlim_max << " leaves nothing to raise";

    // The child inherits a low soft limit, as from a default login shell.
    rlimit low = original;
    low.rlim_cur = 512;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    std::optional<ServerProcess> server;
    try {
        server.emplace();
    } catch (...) {
        setrlimit(RLIMIT_NOFILE, &original);
        throw;
    }
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &original), 0);

    const auto [soft, hard] = openFileLimits(server->pid());
    ASSERT_FALSE(soft.empty()) << "no Max open files line in /proc/<pid>/limits";
    EXPECT_NE(soft, "512");
    if (hard != "unlimited") {
        EXPECT_EQ(soft, hard);
    }
}

}  // namespace
}  // namespace parley::itest
