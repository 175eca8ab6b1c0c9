#include "protocol/ice_servers.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "auth/turn_credentials.hpp"

namespace parley::protocol {

namespace {

// host[:port] after the scheme: a name or IPv4 address, or an IPv6 address in brackets.
std::string checkHostPort(std::string_view rest) {
    std::string_view port;
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos || close == 1) return "an IPv6 host needs [brackets]";
        const auto after = rest.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) return "unexpected text after the host";
        if (!after.empty()) port = after.substr(1);
        if (after == ":") return "the port is empty";
    } else {
        const auto colon = rest.find(':');
        const auto host = rest.substr(0, colon);
        if (host.empty()) return "the host is missing";
        for (char c : host) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '.' || c == '-' || c == '_';
            if (!ok) return "the host has a character a host name cannot have";
        }
        if (colon != std::string_view::npos) {
            port = rest.substr(colon + 1);
            if (port.empty()) return "the port is empty";
        }
    }
    if (!port.empty()) {
        unsigned value = 0;
        const auto* end = port.data() + port.size();
        const auto [stop, error] = std::from_chars(port.data(), end, value);
        if (error != std::errc{} || stop != end || value == 0 || value > 65535) {
            return "the port must be a number from 1 to 65535";
        }
    }
    return {};
}

std::string_view afterScheme(std::string_view url, std::initializer_list<std::string_view> schemes) {
    for (auto scheme : schemes) {
        if (url.starts_with(scheme)) return url.substr(scheme.size());
    }
    return {};
}

}  // namespace

std::string_view toString(IceTransportPolicy policy) {
    return policy == IceTransportPolicy::Relay ? "relay" : "all";
}

std::string iceServersJson(const IceConfig& config, std::string_view participantId, std::int64_t nowSeconds) {
    boost::json::array servers;
    if (!config.stunUrls.empty()) {
        boost::json::array urls(config.stunUrls.begin(), config.stunUrls.end());
        servers.emplace_back(boost::json::object{{"urls", std::move(urls)}});
    }
    if (!config.turnUrls.empty() && !config.turnSecret.empty()) {
        const auto minted = auth::turnCredentials(config.turnSecret, participantId, nowSeconds,
                                                  config.turnTtlSeconds);
        boost::json::array urls(config.turnUrls.begin(), config.turnUrls.end());
        servers.emplace_back(boost::json::object{
            {"urls", std::move(urls)}, {"username", minted.username}, {"credential", minted.credential}});
    }
    return boost::json::serialize(servers);
}

std::string checkStunUrl(std::string_view url) {
    if (!url.starts_with("stun:") && !url.starts_with("stuns:")) return "a STUN URL starts with stun: or stuns:";
    const auto rest = afterScheme(url, {"stuns:", "stun:"});
    if (rest.find('?') != std::string_view::npos) return "a STUN URL takes no ?query";
    return checkHostPort(rest);
}

std::string checkTurnUrl(std::string_view url) {
    if (!url.starts_with("turn:") && !url.starts_with("turns:")) return "a TURN URL starts with turn: or turns:";
    auto rest = afterScheme(url, {"turns:", "turn:"});
    if (const auto query = rest.find('?'); query != std::string_view::npos) {
        const auto parameter = rest.substr(query + 1);
        if (parameter != "transport=udp" && parameter != "transport=tcp") {
            return "the only TURN URL parameter is ?transport=udp or ?transport=tcp";
        }
        rest = rest.substr(0, query);
    }
    return checkHostPort(rest);
}

}  // namespace parley::protocol
