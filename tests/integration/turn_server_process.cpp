#include "turn_server_process.hpp"

#include "local_programs.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "stun_message.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace parley::itest {

namespace {

// A port free for both UDP and TCP on 127.0.0.1 right now (turnserver listens on both).
std::uint16_t freePort() {
    for (int attempt = 0; attempt < 20; ++attempt) {
        int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(tcp, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(tcp, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            ::close(tcp);
            continue;
        }
        int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
        const bool udpFree = ::bind(udp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(udp);
        ::close(tcp);
        if (udpFree) return ntohs(address.sin_port);
    }
    throw std::runtime_error("no free port on 127.0.0.1");
}

}  // namespace

std::optional<std::string> TurnServerProcess::executable() { return findProgram("turnserver"); }

TurnServerProcess::TurnServerProcess(const std::string& executable, const std::string& secret)
    : dir_(makeTempDir("parley-turn")) {
    port_ = freePort();
    // A relay port range of its own, away from the ephemeral ports the kernel hands out.
    minRelayPort_ = static_cast<std::uint16_t>(20000 + (port_ % 200) * 100);
    maxRelayPort_ = static_cast<std::uint16_t>(minRelayPort_ + 99);
    std::vector<std::string> args = {
        executable,
        "-n",  // no configuration file: nothing from /etc
        "--listening-ip=127.0.0.1",
        "--relay-ip=127.0.0.1",
        "--listening-port=" + std::to_string(port_),
        "--min-port=" + std::to_string(minRelayPort_),
        "--max-port=" + std::to_string(maxRelayPort_),
        "--use-auth-secret",
        "--static-auth-secret=" + secret,
        "--realm=" + realm_,
        "--allow-loopback-peers",  // the peers of a test are on 127.0.0.1 too
        "--no-cli",
        "--no-tls",
        "--no-dtls",
        "--no-rfc5780",  // no alternate port (listening port + 1) that could be taken
        "--no-tcp-relay",
        "--db=" + dir_ + "/turndb",
        "--pidfile=" + dir_ + "/turnserver.pid",
        "--log-file=" + dir_ + "/turnserver.log",
        "--simple-log",
        "--no-stdout-log",
    };
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // Its own output (a few lines before the log file opens) goes next to the log.
    const std::string outputPath = dir_ + "/turnserver.out";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&pid_, executable.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("posix_spawn " + executable + ": " + std::strerror(rc));
    }

    // Ready when it answers STUN Binding on its port (the exchange resends until then).
    stun::UdpClient client(port_);
    const auto id = stun::randomTransactionId();
    auto answer = client.exchange(stun::Request(stun::kBindingRequest, id), id, std::chrono::seconds(10));
    if (!answer || answer->type != stun::kBindingSuccess) {
        const auto log = this->log();
        stop();
        throw std::runtime_error("turnserver did not answer STUN Binding on 127.0.0.1:" + std::to_string(port_) +
                                 " within 10 s; its log:\n" + log);
    }
}

TurnServerProcess::~TurnServerProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string TurnServerProcess::log() const {
    std::ifstream in(dir_ + "/turnserver.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void TurnServerProcess::stop() {
    stopChild(pid_);
    pid_ = -1;
}

}  // namespace parley::itest
