#pragma once
// An IP address, port and transport protocol as plain bytes, so the pure media code (STUN, ICE, forwarding)
// names a peer without Asio. The socket layer converts at the edge:
//   TransportAddress::ipv4(endpoint.address().to_v4().to_bytes(), endpoint.port())
//
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack socket reports for an IPv4
// peer) is a different value from the plain IPv4 one: the socket layer should pick one form and
// keep to it, or the same peer would look like two addresses.
//
// A peer on a TCP connection to the media port (ICE-TCP, RFC 6544) is a TransportAddress with
// protocol Tcp: the connection is its own path, never equal to the UDP address with the same
// IP and port, so demultiplexing and replies never mix a UDP path with a TCP one.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace parley::media {

class TransportAddress {
public:
    enum class Family : std::uint8_t { IPv4, IPv6 };
    enum class Protocol : std::uint8_t { Udp, Tcp };

    // 0.0.0.0:0
    TransportAddress() = default;
    static TransportAddress ipv4(const std::array<std::uint8_t, 4>& address, std::uint16_t port);
    static TransportAddress ipv6(const std::array<std::uint8_t, 16>& address, std::uint16_t port);

    Family family() const { return family_; }
    bool isIpv4() const { return family_ == Family::IPv4; }
    // For IPv4 only the first 4 bytes are the address; the rest are zero.
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    std::array<std::uint8_t, 4> ipv4Bytes() const { return {bytes_[0], bytes_[1], bytes_[2], bytes_[3]}; }
    std::uint16_t port() const { return port_; }
    Protocol protocol() const { return protocol_; }
    bool isTcp() const { return protocol_ == Protocol::Tcp; }
    // The same address and port on the other protocol.
    TransportAddress withProtocol(Protocol protocol) const {
        TransportAddress a = *this;
        a.protocol_ = protocol;
        return a;
    }

    // "192.0.2.1:3478", "[2001:db8::1]:3478" (RFC 5952 text: lowercase, longest zero run
    // shortened, ::ffff:192.0.2.1 for a mapped IPv4 address); " tcp" is appended for Tcp.
    std::string toString() const;
    std::string addressString() const;

    friend bool operator==(const TransportAddress&, const TransportAddress&) = default;

private:
    Family family_ = Family::IPv4;
    std::array<std::uint8_t, 16> bytes_{};
    std::uint16_t port_ = 0;
    Protocol protocol_ = Protocol::Udp;
};

}  // namespace parley::media

template <>
struct std::hash<parley::media::TransportAddress> {
    std::size_t operator()(const parley::media::TransportAddress& a) const noexcept;
};
