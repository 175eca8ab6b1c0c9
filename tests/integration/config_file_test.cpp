// --config FILE (TOML), the *-file secret flags and --dump-config, on the real binary.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "http_get.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::itest {
namespace {

const char* parleyBinary() {
    const char* chosen = std::getenv("PARLEY_TEST_SERVER");
    return chosen && *chosen ? chosen : PARLEY_BIN;
}

struct Run {
    int status = -1;
    std::string output;  // stdout and stderr
};

// Runs parley with `args` (no shell quoting needed: the test's own paths and words only).
Run runParley(const std::string& args) {
    Run run;
    // Bounded: a configuration that should be refused but is not would otherwise serve forever.
    FILE* pipe = ::popen(("timeout -k 2 10 " + std::string(parleyBinary()) + " " + args + " 2>&1").c_str(), "r");
    if (!pipe) return run;
    char chunk[4096];
    while (const auto n = std::fread(chunk, 1, sizeof chunk, pipe)) run.output.append(chunk, n);
    const int raw = ::pclose(pipe);
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return run;
}

class ConfigFile : public ::testing::Test {
protected:
    void SetUp() override { dir_ = makeTempDir("parley-config"); }
    void TearDown() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    std::string write(const std::string& name, const std::string& text) {
        const auto path = dir_ + "/" + name;
        std::ofstream(path) << text;
        return path;
    }
    std::string dir_;
};

TEST_F(ConfigFile, EveryFlagIsSettableThereAndSecretsComeFromFiles) {
    const auto admin = write("admin-token", "file-admin-token-123\n");
    const auto config = write("parley.toml",
                              "# as /etc/parley/parley.toml\n"
                              "allowed-host = [\"meet.test\", \"other.test\"]\n"
                              "max-seats-per-ip = 3\n"
                              "trusted-proxy = [\"10.0.0.0/8\"]\n"
                              "admin-token-file = \"" + admin + "\"\n");
    ServerProcess server({"--config", config});

    HttpCall named;
    named.headers.emplace_back("Host", "other.test");
    EXPECT_EQ(httpCall(server.port(), named).status, 200u) << "allowed-host from the file";
    EXPECT_EQ(httpGet(server.port(), "/admin/rooms/nothing/trace", "Bearer file-admin-token-123").status, 404u)
        << "the admin token from its file (authorized: the room does not exist)";
    EXPECT_EQ(httpGet(server.port(), "/admin/rooms/nothing/trace", "Bearer wrong").status, 401u);
}

TEST_F(ConfigFile, DumpConfigMasksSecretsAndReadsBack) {
    const auto token = write("token-secret", "very-secret-token-key\n");
    const auto config = write("parley.toml", "max-room-size = 4\nrequire-token = true\n"
                                             "token-secret-file = \"" + token + "\"\n");
    const auto dump = runParley("--config " + config + " --admin-token admin-on-the-command-line --dump-config");
    ASSERT_EQ(dump.status, 0) << dump.output;
    EXPECT_NE(dump.output.find("max-room-size=4"), std::string::npos) << dump.output;
    EXPECT_NE(dump.output.find("require-token=true"), std::string::npos) << dump.output;
    EXPECT_NE(dump.output.find("# token-secret=******** (set, not shown)"), std::string::npos) << dump.output;
    EXPECT_NE(dump.output.find("# admin-token=******** (set, not shown)"), std::string::npos) << dump.output;
    EXPECT_EQ(dump.output.find("very-secret-token-key"), std::string::npos) << dump.output;
    EXPECT_EQ(dump.output.find("admin-on-the-command-line"), std::string::npos) << dump.output;

    // What it printed is a configuration file that gives the same configuration (the secret
    // comes from its file again; the command-line admin token is gone, as intended).
    const auto again = runParley("--config " + write("dumped.toml", dump.output) + " --dump-config");
    ASSERT_EQ(again.status, 0) << again.output;
    EXPECT_NE(again.output.find("max-room-size=4"), std::string::npos) << again.output;
    EXPECT_NE(again.output.find("# token-secret=******** (set, not shown)"), std::string::npos);
    EXPECT_NE(again.output.find("# admin-token=\n"), std::string::npos) << again.output;
}

TEST_F(ConfigFile, BadInputIsRefusedWithAClearMessage) {
    auto run = runParley("--config " + dir_ + "/missing.toml");
    EXPECT_NE(run.status, 0);
    EXPECT_NE(run.output.find("missing.toml"), std::string::npos) << run.output;

    run = runParley("--config " + write("bad.toml", "max-room-size = 500\n"));
    EXPECT_NE(run.status, 0);
    EXPECT_NE(run.output.find("max-room-size"), std::string::npos) << run.output;

    run = runParley("--config " + write("unknown.toml", "max-room-sizes = 5\n"));
    EXPECT_NE(run.status, 0) << "a misspelt setting is not silently ignored: " << run.output;

    run = runParley("--token-secret-file " + write("empty", "\n"));
    EXPECT_EQ(run.status, 2) << run.output;
    EXPECT_NE(run.output.find("--token-secret-file"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("empty"), std::string::npos) << run.output;

    run = runParley("--admin-token x --admin-token-file " + write("admin", "y\n"));
    EXPECT_EQ(run.status, 2) << run.output;
    EXPECT_NE(run.output.find("not both"), std::string::npos) << run.output;
}

TEST_F(ConfigFile, TheRedisUrlIsShownWithoutItsPasswordAndCheckedAtStart) {
    auto run = runParley("--redis redis://parley:hunter2@10.0.0.5:6380/2 --node-id eu-1 --dump-config");
    ASSERT_EQ(run.status, 0) << run.output;
    EXPECT_EQ(run.output.find("hunter2"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("# redis=\"redis://parley:********@10.0.0.5:6380/2\""), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("node-id=\"eu-1\""), std::string::npos) << run.output;
    run = runParley("--redis redis://10.0.0.5:6380 --dump-config");
    EXPECT_NE(run.output.find("\nredis=\"redis://10.0.0.5:6380\""), std::string::npos) << run.output;

    run = runParley("--redis rediss://10.0.0.5");
    EXPECT_EQ(run.status, 2) << run.output;
    EXPECT_NE(run.output.find("tls-unsupported"), std::string::npos) << run.output;
    run = runParley("--redis redis://:pw@host:99999");
    EXPECT_EQ(run.status, 2) << run.output;
    EXPECT_NE(run.output.find("bad-port"), std::string::npos) << run.output;
    EXPECT_EQ(run.output.find(":pw@"), std::string::npos) << "the password in an error: " << run.output;
    run = runParley("--node-id 'a b'");
    EXPECT_NE(run.status, 0) << run.output;
}

TEST_F(ConfigFile, ByDefaultRoomsGoThroughTheServerFromThreePeopleAndHoldFifty) {
    auto run = runParley("--dump-config");
    ASSERT_EQ(run.status, 0) << run.output;
    EXPECT_NE(run.output.find("topology=\"auto\""), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("max-room-size=50"), std::string::npos) << run.output;

    run = runParley("--topology mesh --dump-config");
    ASSERT_EQ(run.status, 0) << run.output;
    EXPECT_NE(run.output.find("max-room-size=6"), std::string::npos) << "peer to peer caps rooms at 6: " << run.output;
}

}  // namespace
}  // namespace parley::itest
