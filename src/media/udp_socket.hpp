#pragma once
// One UDP socket of a media worker. Every participant pinned to the worker sends its ICE checks,
// DTLS, RTP and RTCP here (RFC 7983 tells them apart), so a server opens one port per worker
// instead of one per peer connection, and a firewall needs a short range, not thousands.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <cstdint>
#include <span>

namespace parley::media {

class UdpSocket {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        // `datagram` is valid only during the call.
        virtual void onDatagram(std::span<const std::uint8_t> datagram, const boost::asio::ip::udp::endpoint& from) = 0;
    };

    struct Counters {
        std::uint64_t received = 0;
        std::uint64_t sent = 0;
        std::uint64_t sendDropped = 0;  // the kernel's buffer was full or the send failed
    };

    // Binds at once (throws boost::system::system_error if the port is taken); receiving starts
    // with start(), on the io_context's thread.
    UdpSocket(boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& bindTo, Listener& listener);

    void start();
    void close();

    // Sends now, never queues: for real-time media a datagram that cannot leave at once is late
    // anyway, so a full kernel buffer is loss (counted), not back-pressure.
    void send(std::span<const std::uint8_t> datagram, const boost::asio::ip::udp::endpoint& to);

    boost::asio::ip::udp::endpoint localEndpoint() const { return socket_.local_endpoint(); }
    const Counters& counters() const { return counters_; }

private:
    void receive();

    boost::asio::ip::udp::socket socket_;
    Listener& listener_;
    // Larger than any datagram WebRTC sends (it keeps under ~1200-1500 bytes); a longer one
    // arrives truncated and fails its parser.
    std::array<std::uint8_t, 2048> buffer_{};
    boost::asio::ip::udp::endpoint from_;
    Counters counters_;
};

}  // namespace parley::media
