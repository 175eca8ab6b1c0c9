#include "redis_server_process.hpp"

#include "local_programs.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
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

#include "temp_dir.hpp"

extern char** environ;

namespace parley::itest {

namespace {

constexpr auto kRedisStartLimit = std::chrono::seconds(10);

// The RESP form of a command, by hand: this helper must not depend on the code under test.
std::string encodeRedisCommand(const std::vector<std::string>& argv) {
    std::string out = "*" + std::to_string(argv.size()) + "\r\n";
    for (const auto& arg : argv) out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
    return out;
}

// Sends `argv` to 127.0.0.1:port and reads one reply (a simple one: good for PING, ZCARD, GET
// of short values), with a one-second timeout on each step. nullopt when it cannot.
std::optional<std::string> redisExchange(std::uint16_t port, const std::vector<std::string>& argv) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    std::optional<std::string> reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const auto request = encodeRedisCommand(argv);
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
            char buffer[4096];
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n > 0) reply = std::string(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return reply;
}

}  // namespace

std::optional<std::string> RedisServerProcess::executable() { return findProgram("redis-server"); }

RedisServerProcess::RedisServerProcess(std::vector<std::string> extraArgs)
    : extraArgs_(std::move(extraArgs)), dir_(makeTempDir("parley-redis")) {
    const auto found = executable();
    if (!found) throw std::runtime_error("redis-server is not installed (Debian package redis-server)");
    executable_ = *found;
    port_ = freeLoopbackTcpPort();
    spawn();
}

RedisServerProcess::~RedisServerProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServerProcess::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

void RedisServerProcess::spawn() {
    std::vector<std::string> args = {
        executable_,
        "--port", std::to_string(port_),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "no",
        "--dir", dir_,
        "--logfile", dir_ + "/redis.log",
        "--daemonize", "no",
    };
    args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string outputPath = dir_ + "/redis.out";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // Nothing else of the test's: a Redis restarted mid-test would otherwise hold copies of the
    // test's open WebSocket sockets, and a client that closes one would never reach the server.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    const int rc = posix_spawn(&pid_, executable_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("posix_spawn " + executable_ + ": " + std::strerror(rc));
    }
    // Ready when it answers PING (or, with --requirepass, refuses it by name: it is up).
    const auto deadline = std::chrono::steady_clock::now() + kRedisStartLimit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto reply = redisExchange(port_, {"PING"}); reply && (reply->starts_with("+PONG") || reply->starts_with("-NOAUTH"))) {
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("redis-server exited at start; its log:\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto text = log();
    stop();
    throw std::runtime_error("redis-server did not answer PING on 127.0.0.1:" + std::to_string(port_) +
                             " within 10 s; its log:\n" + text);
}

void RedisServerProcess::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

void RedisServerProcess::restart() {
    stop();
    spawn();
}

void RedisServerProcess::stop() {
    stopChild(pid_);
    pid_ = -1;
}

std::string RedisServerProcess::log() const {
    std::stringstream text;
    for (const char* name : {"/redis.out", "/redis.log"}) {
        std::ifstream in(dir_ + name);
        text << in.rdbuf();
    }
    return text.str();
}

std::string RedisServerProcess::rawCommand(const std::vector<std::string>& argv) const {
    auto reply = redisExchange(port_, argv);
    if (!reply) throw std::runtime_error("redis-server on port " + std::to_string(port_) + " did not answer");
    return *reply;
}

}  // namespace parley::itest
