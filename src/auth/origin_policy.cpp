#include "auth/origin_policy.hpp"

#include <algorithm>
#include <cctype>

namespace parley::auth {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool isHostChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::optional<std::string> normalizeOrigin(std::string_view origin) {
    const std::string text = lower(origin);
    const auto sep = text.find("://");
    if (sep == std::string::npos) return std::nullopt;
    const std::string scheme = text.substr(0, sep);
    if (scheme != "http" && scheme != "https") return std::nullopt;
    std::string rest = text.substr(sep + 3);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();  // "https://a.example/" in configs

    std::string host;
    std::string port;
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string::npos || close == 1) return std::nullopt;
        host = rest.substr(0, close + 1);
        for (char c : host.substr(1, host.size() - 2)) {
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return std::nullopt;
        }
        const std::string after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') return std::nullopt;
            port = after.substr(1);
            if (port.empty()) return std::nullopt;
        }
    } else {
        const auto colon = rest.find(':');
        host = rest.substr(0, colon);
        if (colon != std::string::npos) {
            port = rest.substr(colon + 1);
            if (port.empty()) return std::nullopt;
        }
        if (host.empty() || !std::all_of(host.begin(), host.end(), isHostChar)) return std::nullopt;
    }
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(),
                                        [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    if (!port.empty()) {
        const long number = std::stol(port);
        if (number < 1 || number > 65535) return std::nullopt;
        port = std::to_string(number);  // "0443" is 443
        if ((scheme == "http" && number == 80) || (scheme == "https" && number == 443)) port.clear();
    }
    return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

bool isOriginAllowed(std::optional<std::string_view> origin, std::string_view host,
                     const OriginPolicy& policy) {
    if (!origin) return true;
    const auto canonical = normalizeOrigin(*origin);
    if (!canonical) {
        // "null" (sandboxed frames, file: pages) and the like: only an explicit "*" admits it.
        return std::find(policy.allowed.begin(), policy.allowed.end(), "*") != policy.allowed.end();
    }
    for (const auto& allowed : policy.allowed) {
        if (allowed == "*" || allowed == *canonical) return true;
    }
    // Same origin: the page came from this very host and port. Host carries no scheme, so the
    // origin's own lends it one; a Host without a port then means that scheme's default port.
    const std::string scheme = canonical->substr(0, canonical->find("://"));
    const auto own = normalizeOrigin(scheme + "://" + std::string(host));
    return own && *own == *canonical;
}

}  // namespace parley::auth
