#pragma once
// The TCP side of a media worker's port (ICE-TCP, RFC 6544, passive candidate): for browsers on
// networks that block UDP. It listens on the same address and port number as the worker's UDP
// socket; each accepted connection carries RFC 4571 frames (tcp_framing.hpp), and each frame is
// handed to the worker like a datagram, from the connection's remote endpoint. What the worker
// sends back to that endpoint goes out on the same connection, framed.
//
// The port is open to anyone, so every connection is held to limits: until an ICE check on it
// passes (the worker calls authenticated()), only STUN may arrive and only for a few seconds;
// there is a cap on connections; and a slow reader loses packets, not server memory (a cap on
// bytes queued per connection: real-time media that cannot leave at once is late anyway).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>

namespace parley::media {

class TcpMediaListener {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        // A whole frame from the connection `from`; valid only during the call.
        virtual void onFrame(std::span<const std::uint8_t> frame, const boost::asio::ip::tcp::endpoint& from) = 0;
        // The connection ended (either side, or a limit): nothing more arrives from or goes to it.
        virtual void onConnectionClosed(const boost::asio::ip::tcp::endpoint& from) = 0;
    };

    struct Limits {
        std::size_t maxConnections = 500;
        std::size_t maxQueuedBytes = 256 * 1024;  // ~1 s of a camera at 2 Mbit/s
        std::chrono::milliseconds authenticateWithin{5000};
    };

    struct Counters {
        std::uint64_t open = 0;             // connections now
        std::uint64_t accepted = 0;
        std::uint64_t refused = 0;          // over maxConnections
        std::uint64_t closedGarbage = 0;    // not RFC 4571, or not STUN before a check passed
        std::uint64_t closedSilent = 0;     // no valid ICE check within authenticateWithin
        std::uint64_t framesDropped = 0;    // the connection's send queue was full
    };

    // Binds and listens at once (throws boost::system::system_error if the port is taken);
    // accepting starts with start(), on the io_context's thread.
    TcpMediaListener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& bindTo, Listener& listener,
                     Limits limits);
    TcpMediaListener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& bindTo, Listener& listener)
        : TcpMediaListener(io, bindTo, listener, Limits{}) {}
    ~TcpMediaListener();

    void start();
    // Closes the acceptor and every connection without telling the listener (the worker stops).
    void close();

    // Frames `packet` and queues it on the connection to `to`; dropped (and counted) if there is
    // no such connection or its queue is full.
    void send(std::span<const std::uint8_t> packet, const boost::asio::ip::tcp::endpoint& to);
    // Closes the connection to `peer`, if any, without telling the listener (the transport it
    // served is gone: a browser's TCP connection must not outlive its peer connection here).
    void closeConnection(const boost::asio::ip::tcp::endpoint& peer);
    // An ICE check from the connection passed: it may now carry DTLS and media, and stay.
    void authenticated(const boost::asio::ip::tcp::endpoint& peer);

    boost::asio::ip::tcp::endpoint localEndpoint() const { return acceptor_.local_endpoint(); }
    const Counters& counters() const { return counters_; }

private:
    class Connection;
    friend class Connection;

    void accept();
    // Removes the connection from the map and tells the listener; `counter` is what to count.
    void closed(const std::shared_ptr<Connection>& connection, std::uint64_t* counter);

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    Listener& listener_;
    Limits limits_;
    std::map<boost::asio::ip::tcp::endpoint, std::shared_ptr<Connection>> connections_;
    Counters counters_;
    bool stopped_ = false;
};

}  // namespace parley::media
