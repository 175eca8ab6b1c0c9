#include "nginx_process.hpp"

#include "local_programs.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

extern char** environ;

namespace parley::itest {

namespace {

bool accepts(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

}  // namespace

std::optional<std::string> NginxProcess::executable() {
    for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
        if (::access(path, X_OK) == 0) return std::string(path);
    }
    return std::nullopt;
}

NginxProcess::NginxProcess(const std::string& executable, const std::string& serverBlock,
                           std::uint16_t upstream)
    : dir_(makeTempDir("parley-nginx")) {
    port_ = freeLoopbackTcpPort();
    std::filesystem::create_directories(dir_ + "/temp");
    const std::string temp = dir_ + "/temp";
    std::ofstream(dir_ + "/nginx.conf")
        << "daemon off;\nmaster_process off;\npid " << dir_ << "/nginx.pid;\n"
        << "error_log " << dir_ << "/error.log info;\n"
        << "events { worker_connections 256; }\n"
        << "http {\n  access_log off;\n"
        << "  client_body_temp_path " << temp << "/body;\n  proxy_temp_path " << temp << "/proxy;\n"
        << "  fastcgi_temp_path " << temp << "/fastcgi;\n  uwsgi_temp_path " << temp << "/uwsgi;\n"
        << "  scgi_temp_path " << temp << "/scgi;\n"
        << "  map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n  }\n"
        << "  server {\n    listen 127.0.0.1:" << port_ << ";\n"
        << replaceAll(serverBlock, "PARLEY", "127.0.0.1:" + std::to_string(upstream)) << "\n  }\n}\n";

    std::vector<std::string> args = {executable, "-p", dir_, "-c", dir_ + "/nginx.conf",
                                     "-e", dir_ + "/error.log"};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string outputPath = dir_ + "/nginx.out";
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
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!accepts(port_)) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("nginx exited at start; its log:\n" + log());
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            const auto text = log();
            stop();
            throw std::runtime_error("nginx did not listen on 127.0.0.1:" + std::to_string(port_) +
                                     " within 10 s; its log:\n" + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

NginxProcess::~NginxProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string NginxProcess::log() const {
    std::stringstream text;
    for (const char* name : {"/nginx.out", "/error.log"}) {
        std::ifstream in(dir_ + name);
        text << in.rdbuf();
    }
    return text.str();
}

void NginxProcess::stop() {
    stopChild(pid_);
    pid_ = -1;
}

std::string documentedLocation(const std::string& doc) {
    // The first ```nginx block with a multi-line `location / {` (the proxy's, not a redirect's).
    for (auto fence = doc.find("```nginx"); fence != std::string::npos; fence = doc.find("```nginx", fence + 1)) {
        const auto close = doc.find("\n```", fence + 8);
        const std::string block = doc.substr(fence, close == std::string::npos ? std::string::npos : close - fence);
        const auto start = block.find("    location / {\n");
        if (start == std::string::npos) continue;
        const auto end = block.find("\n    }\n", start);
        if (end == std::string::npos) throw std::runtime_error("the documented `location / {` block is not closed");
        return replaceAll(block.substr(start, end + 6 - start), "127.0.0.1:8080", "PARLEY");
    }
    throw std::runtime_error("docs/operations.md has no nginx example with a `location / {` block");
}

}  // namespace parley::itest
