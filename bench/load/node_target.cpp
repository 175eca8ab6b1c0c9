#include "node_target.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace parley::bench {
namespace {

bool isIpv4Literal(const std::string& host) {
    in_addr ignored{};
    return ::inet_pton(AF_INET, host.c_str(), &ignored) == 1;
}

std::variant<std::uint16_t, std::string> parsePort(std::string_view text) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535)
        return "bad port '" + std::string(text) + "'";
    return std::uint16_t(value);
}

std::variant<NodeTarget, std::string> hostAndPort(std::string_view text, std::uint16_t defaultPort) {
    const auto colon = text.rfind(':');
    NodeTarget target;
    target.host = std::string(text.substr(0, colon));
    if (colon == std::string_view::npos) {
        if (defaultPort == 0) return "no port in '" + std::string(text) + "'";
        target.port = defaultPort;
    } else {
        auto port = parsePort(text.substr(colon + 1));
        if (auto* why = std::get_if<std::string>(&port)) return *why;
        target.port = std::get<std::uint16_t>(port);
    }
    if (!isIpv4Literal(target.host))
        return "'" + target.host + "' is not an IPv4 address (the tool resolves no names)";
    return target;
}

}  // namespace

std::variant<NodeTarget, std::string> parseHostPort(std::string_view text) { return hostAndPort(text, 0); }

std::variant<std::vector<NodeTarget>, std::string> parseTargetList(std::string_view text) {
    std::vector<NodeTarget> targets;
    while (true) {
        const auto comma = text.find(',');
        auto one = parseHostPort(text.substr(0, comma));
        if (auto* why = std::get_if<std::string>(&one)) return *why;
        targets.push_back(std::get<NodeTarget>(std::move(one)));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return targets;
}

std::variant<NodeTarget, std::string> parseNodeUrl(std::string_view url) {
    std::string_view rest;
    for (std::string_view scheme : {"http://", "ws://"}) {
        if (url.substr(0, scheme.size()) == scheme) rest = url.substr(scheme.size());
    }
    if (rest.empty()) {
        if (url.substr(0, 8) == "https://" || url.substr(0, 6) == "wss://")
            return "'" + std::string(url) + "' needs TLS, which the load tool does not speak";
        return "'" + std::string(url) + "' is not an http:// or ws:// URL";
    }
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos && slash + 1 != rest.size())
        return "'" + std::string(url) + "' has a path; a node's public URL is its origin";
    return hostAndPort(rest.substr(0, slash), 80);
}

}  // namespace parley::bench
