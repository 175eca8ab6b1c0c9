#include "connection.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "clock.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace parley::bench {

namespace websocket = boost::beast::websocket;

Connection::Connection(net::io_context& io, const Dialect& dialect, Listener& listener,
                       std::uint32_t index)
    : dialect_(dialect), listener_(listener), index_(index), ws_(io) {}

void Connection::start(Settings settings) {
    settings_ = std::move(settings);
    state_ = State::Connecting;
    startedNs_ = nowNs();

    auto& socket = ws_.next_layer();
    boost::system::error_code ec;
    socket.open(tcp::v4(), ec);
    if (ec) return fail("socket: " + ec.message());
    // Pick the source port at connect time from the full 4-tuple, so each source address
    // serves ~28k connections instead of exhausting ports at bind time.
    int one = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket.bind(tcp::endpoint(settings_.source, 0), ec);
    if (ec) return fail("bind " + settings_.source.to_string() + ": " + ec.message());
    socket.async_connect(settings_.server,
                         [this](boost::system::error_code e) { onConnect(e); });
}

void Connection::onConnect(boost::system::error_code ec) {
    if (ec) return fail("connect: " + ec.message());
    ws_.next_layer().set_option(tcp::no_delay(true));
    // The load must not measure itself: no deflate, no cryptographic masking keys.
    ws_.secure_prng(false);
    ws_.auto_fragment(false);
    ws_.text(true);
    ws_.read_message_max(1 << 20);
    state_ = State::Handshaking;
    ws_.async_handshake(settings_.host, std::string(dialect_.path()),
                        [this](boost::system::error_code e) { onHandshake(e); });
}

void Connection::onHandshake(boost::system::error_code ec) {
    if (ec) return fail("handshake: " + ec.message());
    readNext();
    if (dialect_.readyOnHandshake()) {
        listener_.onReady(*this, nowNs() - startedNs_);
        sendJoin();
    } else {
        state_ = State::Opening;
    }
}

void Connection::sendJoin() {
    state_ = State::Joining;
    joinSentNs_ = nowNs();
    sendControl(dialect_.join(settings_.room, settings_.name));
}

void Connection::readNext() {
    ws_.async_read(readBuffer_, [this](boost::system::error_code ec, std::size_t) { onRead(ec); });
}

void Connection::onRead(boost::system::error_code ec) {
    if (ec) {
        if (ec == websocket::error::closed)
            return fail("closed by server: " + std::to_string(ws_.reason().code) + " " +
                        std::string(ws_.reason().reason.data(), ws_.reason().reason.size()));
        return fail("read: " + ec.message());
    }
    const auto data = readBuffer_.cdata();
    handleFrame({static_cast<const char*>(data.data()), data.size()});
    readBuffer_.consume(readBuffer_.size());
    if (state_ != State::Closed) readNext();
}

void Connection::handleFrame(std::string_view frame) {
    const Incoming in = dialect_.classify(frame);
    switch (in.kind) {
    case Incoming::Kind::Relay:
        listener_.onRelayReceived(*this, in.stamp, nowNs());
        break;
    case Incoming::Kind::Ping:
        sendControl(dialect_.pingReply());
        break;
    case Incoming::Kind::Open:
        sendControl(dialect_.connectReply());
        break;
    case Incoming::Kind::Connected:
        if (state_ == State::Opening) {
            listener_.onReady(*this, nowNs() - startedNs_);
            sendJoin();
        }
        break;
    case Incoming::Kind::Joined:
        if (state_ == State::Joining) {
            participantId_ = in.id;
            state_ = State::Joined;
            if (participantId_.empty()) return fail("joined without an id");
            listener_.onJoined(*this, nowNs() - joinSentNs_);
        }
        break;
    case Incoming::Kind::Error:
        if (state_ == State::Joining) return fail("join refused: " + in.id);
        listener_.onServerError(*this, in.id);
        break;
    case Incoming::Kind::Other:
        break;
    }
}

void Connection::queueRelays(std::uint64_t count) {
    owedRelays_ += count;
    if (!writing_) writeNext();
}

void Connection::keepAlive(std::uint64_t now, std::uint64_t idleNs) {
    if (state_ != State::Joined || writing_ || now - lastWriteNs_ < idleNs) return;
    if (auto frame = dialect_.keepalive(); !frame.empty()) sendControl(std::move(frame));
}

void Connection::sendControl(std::string frame) {
    if (state_ == State::Closed) return;
    control_.push_back(std::move(frame));
    if (!writing_) writeNext();
}

void Connection::writeNext() {
    if (state_ == State::Closed) return;
    writeBuffer_.clear();
    if (!control_.empty()) {
        writeBuffer_ = std::move(control_.front());
        control_.pop_front();
    } else if (owedRelays_ > 0 && state_ == State::Joined && !target_.empty()) {
        --owedRelays_;
        // Stamped as late as possible: latency covers the wire and the server, not our queue.
        dialect_.appendRelay(writeBuffer_, target_, {index_, nextSeq_++, nowNs()},
                             settings_.padding);
        listener_.onRelaySent(*this);
    } else {
        return;
    }
    writing_ = true;
    lastWriteNs_ = nowNs();
    ws_.async_write(net::buffer(writeBuffer_),
                    [this](boost::system::error_code ec, std::size_t) { onWrite(ec); });
}

void Connection::onWrite(boost::system::error_code ec) {
    writing_ = false;
    if (ec) return fail("write: " + ec.message());
    writeNext();
}

void Connection::abort() {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    boost::system::error_code ignored;
    ws_.next_layer().close(ignored);
}

void Connection::fail(std::string_view why) {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    boost::system::error_code ignored;
    ws_.next_layer().close(ignored);
    listener_.onClosed(*this, why);
}

}  // namespace parley::bench
