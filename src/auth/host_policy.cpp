#include "auth/host_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace parley::auth {

namespace {

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool isIpLiteral(const std::string& host) {
    unsigned char buffer[16];
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buffer) == 1;
    }
    return inet_pton(AF_INET, host.c_str(), buffer) == 1;
}

}  // namespace

std::optional<std::string> hostNameOf(std::string_view header) {
    std::string host;
    std::string_view port;
    if (header.starts_with('[')) {
        const auto close = header.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = std::string(header.substr(0, close + 1));
        const auto after = header.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') return std::nullopt;
            port = after.substr(1);
        }
    } else {
        const auto colon = header.find(':');
        host = std::string(header.substr(0, colon));
        if (colon != std::string_view::npos) port = header.substr(colon + 1);
        if (host.empty() || !std::all_of(host.begin(), host.end(), isNameChar)) return std::nullopt;
    }
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (host.front() != '[') {
        if (host.size() > 1 && host.back() == '.') host.pop_back();  // "name." is "name"
        // Every label has a character: "a..b", ".a" and "a.." name nothing.
        if (host.front() == '.' || host.back() == '.' || host.find("..") != std::string::npos) {
            return std::nullopt;
        }
    }
    return host;
}

bool isHostAllowed(std::optional<std::string_view> header, const HostPolicy& policy) {
    if (!header) return true;
    const auto host = hostNameOf(*header);
    if (!host) return false;
    if (isIpLiteral(*host)) return true;
    if (*host == "localhost" || host->ends_with(".localhost")) return true;
    for (const auto& allowed : policy.allowed) {
        if (allowed == "*" || allowed == *host) return true;
        // "*.example.org" (a wildcard certificate's name) covers one label: "a.example.org".
        if (allowed.starts_with("*.") && host->ends_with(allowed.substr(1)) &&
            host->size() > allowed.size() - 1 &&
            host->find('.') == host->size() - (allowed.size() - 1)) {
            return true;
        }
    }
    return false;
}

bool isValidAllowedHost(std::string_view name) {
    if (name == "*") return true;
    if (name.starts_with("*.")) name.remove_prefix(2);
    if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-') return false;
    return std::all_of(name.begin(), name.end(), isNameChar);
}

}  // namespace parley::auth
