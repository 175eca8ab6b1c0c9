#include "media/udp_socket.hpp"

#include <boost/asio/socket_base.hpp>

namespace parley::media {

namespace asio = boost::asio;

UdpSocket::UdpSocket(asio::io_context& io, const asio::ip::udp::endpoint& bindTo, Listener& listener)
    : socket_(io, bindTo.protocol()), listener_(listener) {
    // Bursts (a keyframe is dozens of packets, times every subscriber) must not overflow the
    // default buffers; the kernel caps these at net.core.{r,w}mem_max, which is fine.
    boost::system::error_code ignored;
    socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ignored);
    socket_.set_option(asio::socket_base::send_buffer_size(4 << 20), ignored);
    socket_.bind(bindTo);
    socket_.non_blocking(true);
}

void UdpSocket::start() { receive(); }

void UdpSocket::close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void UdpSocket::receive() {
    socket_.async_receive_from(asio::buffer(buffer_), from_, [this](boost::system::error_code ec, std::size_t n) {
        if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
        if (!ec) {
            ++counters_.received;
            listener_.onDatagram(std::span<const std::uint8_t>(buffer_.data(), n), from_);
        }
        // Other errors (an ICMP port unreachable reported on a later receive) concern one peer,
        // not the socket: keep receiving.
        receive();
    });
}

void UdpSocket::send(std::span<const std::uint8_t> datagram, const asio::ip::udp::endpoint& to) {
    boost::system::error_code ec;
    socket_.send_to(asio::buffer(datagram.data(), datagram.size()), to, 0, ec);
    if (ec) {
        ++counters_.sendDropped;
    } else {
        ++counters_.sent;
    }
}

}  // namespace parley::media
