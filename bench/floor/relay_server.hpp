#pragma once
// The floor: the least work a relay can do on the same stack as parley (Beast WebSocket, one
// thread). It answers a join with an id and forwards each addressed frame byte-for-byte to its
// target, parsing nothing but the `to` field. What parley-load measures against it is the cost
// of the tool, the kernel and Beast; parley's figures minus these are parley's own.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace parley::bench {

class FloorSession;

class FloorServer {
public:
    FloorServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& listen);
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    std::string enter(FloorSession* session);
    void leave(const std::string& id);
    FloorSession* find(std::string_view id) const;

private:
    void acceptNext();

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::unordered_map<std::string, FloorSession*> sessions_;
    std::uint64_t nextId_ = 0;
};

}  // namespace parley::bench
