#include "media/transport_address.hpp"

#include <cstdio>

namespace parley::media {

TransportAddress TransportAddress::ipv4(const std::array<std::uint8_t, 4>& address, std::uint16_t port) {
    TransportAddress a;
    a.family_ = Family::IPv4;
    for (std::size_t i = 0; i < 4; ++i) a.bytes_[i] = address[i];
    a.port_ = port;
    return a;
}

TransportAddress TransportAddress::ipv6(const std::array<std::uint8_t, 16>& address, std::uint16_t port) {
    TransportAddress a;
    a.family_ = Family::IPv6;
    a.bytes_ = address;
    a.port_ = port;
    return a;
}

std::string TransportAddress::addressString() const {
    char buffer[64];
    if (family_ == Family::IPv4) {
        std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
        return buffer;
    }
    bool mapped = true;
    for (std::size_t i = 0; i < 10; ++i) mapped = mapped && bytes_[i] == 0;
    mapped = mapped && bytes_[10] == 0xff && bytes_[11] == 0xff;
    if (mapped) {
        std::snprintf(buffer, sizeof buffer, "::ffff:%u.%u.%u.%u", bytes_[12], bytes_[13], bytes_[14], bytes_[15]);
        return buffer;
    }
    std::array<unsigned, 8> groups{};
    for (std::size_t i = 0; i < 8; ++i) groups[i] = (unsigned{bytes_[2 * i]} << 8) | bytes_[2 * i + 1];
    // RFC 5952 section 4.2: "::" replaces the longest run of two or more zero groups, the
    // first such run when two are equally long.
    std::size_t bestStart = 8, bestLength = 0;
    for (std::size_t i = 0; i < 8;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < 8 && groups[j] == 0) ++j;
        if (j - i > bestLength && j - i >= 2) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j;
    }
    std::string text;
    for (std::size_t i = 0; i < 8; ++i) {
        if (i == bestStart) {
            text += "::";
            i += bestLength - 1;
            continue;
        }
        if (!text.empty() && text.back() != ':') text += ':';
        std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
        text += buffer;
    }
    return text;
}

std::string TransportAddress::toString() const {
    const std::string port = std::to_string(port_) + (protocol_ == Protocol::Tcp ? " tcp" : "");
    if (family_ == Family::IPv4) return addressString() + ":" + port;
    return "[" + addressString() + "]:" + port;
}

}  // namespace parley::media

std::size_t std::hash<parley::media::TransportAddress>::operator()(
    const parley::media::TransportAddress& a) const noexcept {
    // FNV-1a over family, address and port: cheap, and every field counts.
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::uint8_t byte) {
        h ^= byte;
        h *= 1099511628211ull;
    };
    mix(static_cast<std::uint8_t>(a.family()));
    for (std::uint8_t b : a.bytes()) mix(b);
    mix(static_cast<std::uint8_t>(a.port() >> 8));
    mix(static_cast<std::uint8_t>(a.port()));
    mix(static_cast<std::uint8_t>(a.protocol()));
    return static_cast<std::size_t>(h);
}
