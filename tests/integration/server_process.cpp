#include "server_process.hpp"

#include <algorithm>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

extern char** environ;

namespace parley::itest {

namespace {

constexpr auto kStartupLimit = std::chrono::seconds(10);
constexpr auto kStopLimit = std::chrono::seconds(5);
// How often bounded waits look again; short so tests stay fast.
constexpr auto kPollInterval = std::chrono::milliseconds(5);

// PARLEY_TEST_SERVER runs these tests against another build of the server (script/test points
// it at the ASan/UBSan build), the binary next to these tests otherwise.
const char* serverBinary() {
    const char* chosen = std::getenv("PARLEY_TEST_SERVER");
    return chosen && *chosen ? chosen : PARLEY_BIN;
}

// PARLEY_TEST_SERVER_ARGS adds flags to every server a test starts, split at spaces (the
// io_uring run of the suites sets --io-uring).
std::vector<std::string> argsFromEnvironment() {
    std::vector<std::string> args;
    const char* text = std::getenv("PARLEY_TEST_SERVER_ARGS");
    std::string word;
    for (const char* c = text ? text : ""; ; ++c) {
        if (*c == ' ' || *c == '\0') {
            if (!word.empty()) args.push_back(std::move(word));
            word.clear();
            if (*c == '\0') break;
        } else {
            word.push_back(*c);
        }
    }
    return args;
}

std::string describe(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "wait status " + std::to_string(status);
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extraArgs, const std::string& outputPath,
                             std::vector<std::string> launcher)
    : dir_(makeTempDir("parley-itest")), portFile_(dir_ + "/port") {
    std::vector<std::string> args = std::move(launcher);
    const std::string program = args.empty() ? serverBinary() : args.front();
    args.insert(args.end(), {serverBinary(), "--listen", "127.0.0.1:0", "--port-file", portFile_,
                             "--log-level", "warn"});
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    const auto given = [&](const char* flag) {
        return std::find(extraArgs.begin(), extraArgs.end(), flag) != extraArgs.end();
    };
    // The suites check the signaling contract event by event, in peer-to-peer rooms unless they
    // say otherwise: the default (auto) would add a room-state at each third join. Forwarded and
    // auto rooms have suites of their own (forwarding_test.cpp).
    if (!given("--topology")) args.insert(args.end(), {"--topology", "mesh"});
    // Forwarded rooms: any free media port, so suites running at once never compete for the
    // default one, on loopback like everything else here.
    if (!given("--media-port")) args.insert(args.end(), {"--media-port", "0"});
    if (!given("--media-bind")) args.insert(args.end(), {"--media-bind", "127.0.0.1"});
    for (auto& arg : argsFromEnvironment()) args.push_back(std::move(arg));
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    // stdout/stderr are inherited so ctest --output-on-failure shows the server's log.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!outputPath.empty()) {
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    }
    // Nothing else of the test's: a server started while the test holds sockets open would keep
    // copies of them (a client's close would never reach its server), and they would count
    // against the file limit of a server run under a small one.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("posix_spawn " + program + ": " + std::strerror(rc));
    }

    const auto deadline = std::chrono::steady_clock::now() + kStartupLimit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto port = readPortFile()) {
            port_ = *port;
            return;
        }
        int status = 0;
        if (exited(&status)) {
            throw std::runtime_error("parley exited before listening (status " +
                                     std::to_string(status) + ")");
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    stop();
    throw std::runtime_error("parley did not write its port file within 10 s");
}

ServerProcess::~ServerProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::optional<std::uint16_t> ServerProcess::readPortFile() const {
    std::ifstream in(portFile_);
    long port = 0;
    // An empty or half-written file simply fails to parse; the caller polls again.
    if (!(in >> port) || port <= 0 || port > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(port);
}

bool ServerProcess::exited(int* status) {
    if (exitStatus_) {
        *status = *exitStatus_;
        return true;
    }
    if (pid_ <= 0) return false;
    int raw = 0;
    if (waitpid(pid_, &raw, WNOHANG) == pid_) {
        exitStatus_ = raw;
        *status = raw;
        return true;
    }
    return false;
}

void ServerProcess::sendSignal(int signal) const {
    if (pid_ > 0 && !exitStatus_) ::kill(pid_, signal);
}

std::optional<int> ServerProcess::waitForExit(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (!exited(&status)) {
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(kPollInterval);
    }
    return status;
}

void ServerProcess::stop() {
    if (pid_ <= 0 || exitStatus_) return;
    sendSignal(SIGTERM);
    // A clean exit is part of every test: a sanitizer's report (a leak found at exit, say)
    // makes the server exit non-zero, and that must fail the test that ran it.
    if (auto status = waitForExit(std::chrono::duration_cast<std::chrono::milliseconds>(kStopLimit))) {
        if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
            ADD_FAILURE() << "parley did not exit cleanly on SIGTERM: " << describe(*status)
                          << " (its output above says why)";
        }
        return;
    }
    ::kill(pid_, SIGKILL);
    int raw = 0;
    waitpid(pid_, &raw, 0);
    exitStatus_ = raw;
    ADD_FAILURE() << "parley did not stop within " << kStopLimit.count() << " s of SIGTERM";
}

}  // namespace parley::itest
