#include "media/tcp_media_listener.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <deque>
#include <vector>

#include "media/packet_kind.hpp"
#include "media/tcp_framing.hpp"

namespace parley::media {

namespace asio = boost::asio;
using asio::ip::tcp;

// One accepted connection. Its handlers hold it alive (shared_ptr) until they have run, so
// closing it from anywhere (the map lets go at once) is safe; a closed connection's handlers
// return without touching the listener, which may be gone by then.
class TcpMediaListener::Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(TcpMediaListener& owner, tcp::socket socket, tcp::endpoint peer)
        : owner_(owner), socket_(std::move(socket)), peer_(std::move(peer)), deadline_(owner.io_) {}

    void start() {
        boost::system::error_code ignored;
        socket_.set_option(tcp::no_delay(true), ignored);  // media frames must not wait for Nagle
        deadline_.expires_after(owner_.limits_.authenticateWithin);
        deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec || self->closed_ || self->authenticated_) return;
            self->end(&self->owner_.counters_.closedSilent);
        });
        read();
    }

    void authenticate() { authenticated_ = true; }

    void send(std::span<const std::uint8_t> packet) {
        if (closed_) return;
        if (queuedBytes_ + packet.size() + 2 > owner_.limits_.maxQueuedBytes) {
            ++owner_.counters_.framesDropped;
            return;
        }
        std::vector<std::uint8_t> frame;
        frame.reserve(packet.size() + 2);
        if (!appendTcpFrame(frame, packet)) return;
        queuedBytes_ += frame.size();
        queue_.push_back(std::move(frame));
        if (queue_.size() == 1) write();
    }

    // Closes the socket without telling anyone (the listener is stopping).
    void shut() {
        closed_ = true;
        boost::system::error_code ignored;
        deadline_.cancel();
        socket_.close(ignored);
    }

    // Closes and lets the owner forget it; `counter` is the reason counted, if any.
    void end(std::uint64_t* counter) {
        if (closed_) return;
        shut();
        owner_.closed(shared_from_this(), counter);
    }

    const tcp::endpoint& peer() const { return peer_; }

private:
    void read() {
        socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](boost::system::error_code ec,
                                                                                    std::size_t n) {
            if (self->closed_) return;
            if (ec) {
                self->end(nullptr);  // the peer closed or reset it
                return;
            }
            self->received(std::span<const std::uint8_t>(self->buffer_.data(), n));
            if (!self->closed_) self->read();
        });
    }

    void received(std::span<const std::uint8_t> bytes) {
        frames_.push(bytes);
        while (auto frame = frames_.next()) {
            // Until a check passes, only STUN: anything else is not an ICE-TCP peer.
            if (!authenticated_ && classifyPacket(*frame) != PacketKind::Stun) {
                end(&owner_.counters_.closedGarbage);
                return;
            }
            owner_.listener_.onFrame(*frame, peer_);
            if (closed_) return;
        }
        if (frames_.broken()) end(&owner_.counters_.closedGarbage);
    }

    void write() {
        asio::async_write(socket_, asio::buffer(queue_.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              if (self->closed_) return;
                              if (ec) {
                                  self->end(nullptr);
                                  return;
                              }
                              self->queuedBytes_ -= self->queue_.front().size();
                              self->queue_.pop_front();
                              if (!self->queue_.empty()) self->write();
                          });
    }

    TcpMediaListener& owner_;
    tcp::socket socket_;
    tcp::endpoint peer_;
    asio::steady_timer deadline_;
    TcpFrameReassembler frames_;
    std::array<std::uint8_t, 4096> buffer_{};
    std::deque<std::vector<std::uint8_t>> queue_;  // the front one is being written
    std::size_t queuedBytes_ = 0;
    bool authenticated_ = false;
    bool closed_ = false;
};

TcpMediaListener::TcpMediaListener(asio::io_context& io, const tcp::endpoint& bindTo, Listener& listener,
                                   Limits limits)
    : io_(io), acceptor_(io, bindTo.protocol()), listener_(listener), limits_(limits) {
    // A restarted server must get its port back while old connections sit in TIME_WAIT.
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(bindTo);
    acceptor_.listen();
}

TcpMediaListener::~TcpMediaListener() { close(); }

void TcpMediaListener::start() { accept(); }

void TcpMediaListener::close() {
    if (stopped_) return;
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& [peer, connection] : connections_) connection->shut();
    connections_.clear();
    counters_.open = 0;
}

void TcpMediaListener::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (stopped_ || ec == asio::error::operation_aborted) return;
        if (!ec) {
            boost::system::error_code peerError;
            const tcp::endpoint peer = socket.remote_endpoint(peerError);
            if (peerError) {
                // Gone before we looked: nothing to keep.
            } else if (connections_.size() >= limits_.maxConnections) {
                ++counters_.refused;
                socket.close(peerError);
            } else {
                auto connection = std::make_shared<Connection>(*this, std::move(socket), peer);
                connections_[peer] = connection;
                ++counters_.accepted;
                counters_.open = connections_.size();
                connection->start();
            }
        }
        // Errors such as too many open files concern this accept, not the port: keep accepting.
        accept();
    });
}

void TcpMediaListener::closed(const std::shared_ptr<Connection>& connection, std::uint64_t* counter) {
    auto it = connections_.find(connection->peer());
    if (it == connections_.end() || it->second != connection) return;
    connections_.erase(it);
    counters_.open = connections_.size();
    if (counter) ++*counter;
    listener_.onConnectionClosed(connection->peer());
}

void TcpMediaListener::send(std::span<const std::uint8_t> packet, const tcp::endpoint& to) {
    auto it = connections_.find(to);
    if (it == connections_.end()) {
        ++counters_.framesDropped;
        return;
    }
    it->second->send(packet);
}

void TcpMediaListener::closeConnection(const tcp::endpoint& peer) {
    auto it = connections_.find(peer);
    if (it == connections_.end()) return;
    it->second->shut();
    connections_.erase(it);
    counters_.open = connections_.size();
}

void TcpMediaListener::authenticated(const tcp::endpoint& peer) {
    if (auto it = connections_.find(peer); it != connections_.end()) it->second->authenticate();
}

}  // namespace parley::media
