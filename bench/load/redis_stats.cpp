#include "redis_stats.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <vector>

#include "cluster/resp_codec.hpp"

namespace parley::bench {
namespace {

std::optional<double> toDouble(std::string_view text) {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr == text.data()) return std::nullopt;
    return value;
}

std::optional<std::uint64_t> toUnsigned(std::string_view text) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr == text.data()) return std::nullopt;
    return value;
}

// "calls=12,usec=34,..." -> 12
std::optional<std::uint64_t> callsField(std::string_view fields) {
    constexpr std::string_view key = "calls=";
    if (fields.substr(0, key.size()) != key) return std::nullopt;
    fields.remove_prefix(key.size());
    return toUnsigned(fields.substr(0, fields.find(',')));
}

}  // namespace

std::optional<RedisStats> parseRedisInfo(std::string_view text) {
    RedisStats stats;
    bool haveTotal = false, haveUser = false, haveSys = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto key = line.substr(0, colon);
        const auto value = line.substr(colon + 1);
        if (key == "total_commands_processed") {
            if (auto n = toUnsigned(value)) stats.totalCommands = *n, haveTotal = true;
        } else if (key == "used_cpu_user") {
            if (auto s = toDouble(value)) stats.cpuSeconds += *s, haveUser = true;
        } else if (key == "used_cpu_sys") {
            if (auto s = toDouble(value)) stats.cpuSeconds += *s, haveSys = true;
        } else if (key.substr(0, 8) == "cmdstat_") {
            if (auto calls = callsField(value)) stats.calls[std::string(key.substr(8))] = *calls;
        }
    }
    if (!haveTotal || !haveUser || !haveSys) return std::nullopt;
    return stats;
}

RedisStats redisDelta(const RedisStats& before, const RedisStats& after, std::uint64_t probes) {
    RedisStats delta;
    const std::uint64_t total = after.totalCommands - std::min(after.totalCommands, before.totalCommands);
    delta.totalCommands = total - std::min(total, probes);
    delta.cpuSeconds = after.cpuSeconds - before.cpuSeconds;
    for (const auto& [name, calls] : after.calls) {
        const auto was = before.calls.find(name);
        std::uint64_t n = calls - std::min(calls, was == before.calls.end() ? 0 : was->second);
        if (name == "info") n -= std::min(n, probes);
        if (n > 0) delta.calls[name] = n;
    }
    return delta;
}

std::string describeCalls(const std::map<std::string, std::uint64_t>& calls) {
    std::vector<std::pair<std::string, std::uint64_t>> sorted(calls.begin(), calls.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    for (const auto& [name, n] : sorted) {
        if (!out.empty()) out += ", ";
        out += name + " " + std::to_string(n);
    }
    return out.empty() ? "none" : out;
}

std::variant<RedisStats, std::string> fetchRedisStats(const NodeTarget& at, int timeoutMs) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::string("socket: ") + std::strerror(errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(at.port);
    ::inet_pton(AF_INET, at.host.c_str(), &address.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return "connect to redis " + at.host + ":" + std::to_string(at.port) + ": " + std::strerror(errno);
    const std::string command = cluster::encodeCommand({"INFO", "all"});
    if (::send(fd, command.data(), command.size(), MSG_NOSIGNAL) != ssize_t(command.size()))
        return std::string("send to redis: ") + std::strerror(errno);
    cluster::RespDecoder decoder;
    char chunk[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return n == 0 ? std::string("redis closed the connection") : std::string("recv from redis: ") + std::strerror(errno);
        decoder.feed({chunk, std::size_t(n)});
        auto next = decoder.next();
        if (std::holds_alternative<std::monostate>(next)) continue;
        if (auto* error = std::get_if<cluster::RespProtocolError>(&next)) return "redis: " + error->message;
        const auto& reply = std::get<cluster::RespValue>(next);
        if (reply.kind != cluster::RespValue::Kind::Bulk)
            return "redis: INFO answered " + cluster::describe(reply);
        auto stats = parseRedisInfo(reply.text);
        if (!stats) return std::string("redis: INFO lacks total_commands_processed or used_cpu_*");
        return *stats;
    }
}

}  // namespace parley::bench
