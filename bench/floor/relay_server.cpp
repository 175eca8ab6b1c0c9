#include "relay_server.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>

namespace parley::bench {

namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using Frame = std::shared_ptr<const std::string>;

class FloorSession : public std::enable_shared_from_this<FloorSession> {
public:
    FloorSession(FloorServer& server, tcp::socket socket)
        : server_(server), ws_(std::move(socket)) {}

    void start() {
        ws_.next_layer().set_option(tcp::no_delay(true));
        ws_.read_message_max(65536);
        ws_.async_accept([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) self->readNext();
        });
    }

    void send(Frame frame) {
        queue_.push_back(std::move(frame));
        if (queue_.size() == 1) writeNext();
    }

private:
    void readNext() {
        ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code ec,
                                                             std::size_t) { self->onRead(ec); });
    }

    void onRead(boost::system::error_code ec) {
        if (ec) {
            if (!id_.empty()) server_.leave(id_);
            return;
        }
        const auto data = buffer_.cdata();
        handle({static_cast<const char*>(data.data()), data.size()});
        buffer_.consume(buffer_.size());
        readNext();
    }

    void handle(std::string_view frame) {
        constexpr std::string_view to = R"("to":")";
        if (frame.starts_with(R"({"type":"join")") && id_.empty()) {
            id_ = server_.enter(this);
            send(std::make_shared<const std::string>(R"({"type":"joined","req":1,"you":{"id":")" +
                                                     id_ + R"("}})"));
        } else if (auto at = frame.find(to); at != std::string_view::npos) {
            const auto begin = at + to.size();
            const auto end = frame.find('"', begin);
            if (end == std::string_view::npos) return;
            if (auto* target = server_.find(frame.substr(begin, end - begin)))
                target->send(std::make_shared<const std::string>(frame));
        }
    }

    void writeNext() {
        ws_.async_write(net::buffer(*queue_.front()),
                        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            self->queue_.pop_front();
                            if (!ec && !self->queue_.empty()) self->writeNext();
                        });
    }

    FloorServer& server_;
    websocket::stream<tcp::socket> ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<Frame> queue_;
    std::string id_;
};

FloorServer::FloorServer(net::io_context& io, const tcp::endpoint& listen)
    : io_(io), acceptor_(io) {
    acceptor_.open(listen.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(listen);
    acceptor_.listen(net::socket_base::max_listen_connections);
    acceptNext();
}

void FloorServer::acceptNext() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (!ec) std::make_shared<FloorSession>(*this, std::move(socket))->start();
        acceptNext();
    });
}

std::string FloorServer::enter(FloorSession* session) {
    auto id = "f" + std::to_string(++nextId_);
    sessions_.emplace(id, session);
    return id;
}

void FloorServer::leave(const std::string& id) { sessions_.erase(id); }

FloorSession* FloorServer::find(std::string_view id) const {
    auto it = sessions_.find(std::string(id));
    return it == sessions_.end() ? nullptr : it->second;
}

}  // namespace parley::bench
