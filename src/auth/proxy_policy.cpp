#include "auth/proxy_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace parley::auth {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Parses a bare address (no brackets, no port) into `range` with a full-length prefix.
bool parseBare(std::string_view text, AddressRange& range) {
    if (text.empty() || text.size() > 45) return false;
    const std::string copy(text);
    in6_addr v6{};
    in_addr v4{};
    if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
        range.v6 = false;
        std::memcpy(range.bytes.data(), &v4, 4);
        range.prefix = 32;
        return true;
    }
    if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
        static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(&v6, kMapped, 12) == 0) {  // ::ffff:a.b.c.d is an IPv4 client
            range.v6 = false;
            std::memcpy(range.bytes.data(), reinterpret_cast<const std::uint8_t*>(&v6) + 12, 4);
            range.prefix = 32;
            return true;
        }
        range.v6 = true;
        std::memcpy(range.bytes.data(), &v6, 16);
        range.prefix = 128;
        return true;
    }
    return false;
}

std::string toText(const AddressRange& address) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), text, sizeof text);
    return text;
}

bool contains(const AddressRange& range, const AddressRange& address) {
    if (range.v6 != address.v6) return false;
    const int whole = range.prefix / 8;
    if (std::memcmp(range.bytes.data(), address.bytes.data(), static_cast<std::size_t>(whole)) != 0) {
        return false;
    }
    const int rest = range.prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (range.bytes[whole] & mask) == (address.bytes[whole] & mask);
}

// One node of a forwarding list: "192.0.2.1", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:443"
// or "192.0.2.1:443" (a port some proxies add).
std::optional<std::string> nodeAddress(std::string_view node) {
    node = trim(node);
    if (node.starts_with('[')) {
        const auto close = node.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        const auto after = node.substr(close + 1);
        if (!after.empty() && (after[0] != ':' || after.size() < 2)) return std::nullopt;
        node = node.substr(1, close - 1);
    } else if (std::count(node.begin(), node.end(), ':') == 1) {
        node = node.substr(0, node.find(':'));  // IPv4 with a port
    }
    return canonicalAddress(node);
}

// Splits at `separator` outside double quotes.
std::vector<std::string_view> splitOutsideQuotes(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') quoted = !quoted;
        if (text[i] == '\\' && quoted) ++i;
        else if (text[i] == separator && !quoted) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(text.substr(start));
    return parts;
}

// The for= node of one Forwarded element ("for=192.0.2.60;proto=http;by=203.0.113.43").
std::optional<std::string> forwardedFor(std::string_view element) {
    for (auto pair : splitOutsideQuotes(element, ';')) {
        pair = trim(pair);
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos) continue;
        std::string key(trim(pair.substr(0, equals)));
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (key != "for") continue;
        auto value = trim(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        return nodeAddress(value);
    }
    return std::nullopt;
}

}  // namespace

std::optional<AddressRange> parseAddressRange(std::string_view text) {
    text = trim(text);
    const auto slash = text.find('/');
    AddressRange range;
    if (!parseBare(text.substr(0, slash), range)) return std::nullopt;
    if (slash == std::string_view::npos) return range;
    // An IPv4-mapped range would be written as IPv4: a prefix given with ::ffff: is refused.
    if (!range.v6 && text.substr(0, slash).find(':') != std::string_view::npos) return std::nullopt;
    const auto digits = text.substr(slash + 1);
    int prefix = -1;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    const int most = range.v6 ? 128 : 32;
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > most) {
        return std::nullopt;
    }
    AddressRange masked = range;
    masked.prefix = prefix;
    for (int bit = prefix; bit < most; ++bit) masked.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
    if (masked.bytes != range.bytes) return std::nullopt;  // "10.0.0.1/8": host bits set
    return masked;
}

std::optional<std::string> canonicalAddress(std::string_view text) {
    AddressRange address;
    if (!parseBare(trim(text), address)) return std::nullopt;
    return toText(address);
}

bool ProxyPolicy::trusts(std::string_view text) const {
    AddressRange address;
    if (!parseBare(text, address)) return false;
    return std::any_of(trusted.begin(), trusted.end(),
                       [&](const AddressRange& range) { return contains(range, address); });
}

std::vector<std::optional<std::string>> forwardedAddresses(const std::vector<std::string_view>& values,
                                                           ForwardedHeader header) {
    std::vector<std::optional<std::string>> addresses;
    for (const auto value : values) {
        for (const auto node : splitOutsideQuotes(value, ',')) {
            if (trim(node).empty()) continue;  // "a,,b" and trailing commas
            addresses.push_back(header == ForwardedHeader::Forwarded ? forwardedFor(node) : nodeAddress(node));
        }
    }
    return addresses;
}

std::string clientAddress(std::string_view peer, const std::vector<std::string_view>& values,
                          const ProxyPolicy& policy) {
    std::string client = canonicalAddress(peer).value_or(std::string(peer));
    if (!policy.trusts(peer)) return client;
    const auto addresses = forwardedAddresses(values, policy.header);
    for (auto it = addresses.rbegin(); it != addresses.rend(); ++it) {
        if (!*it) return client;  // not an address: the last hop known to be real
        client = **it;
        if (!policy.trusts(client)) return client;
    }
    return client;
}

}  // namespace parley::auth
