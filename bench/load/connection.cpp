#include "connection.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include <variant>

#include "client_handshake.hpp"
#include "clock.hpp"
#include "node_target.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace parley::bench {
namespace {

constexpr std::size_t kMaxMessageBytes = 1 << 20;
// Reads start small (an idle connection holds little) and grow while reads fill the buffer:
// at saturation one read takes in everything a busy server wrote since the last one.
constexpr std::size_t kFirstReadBytes = 4 * 1024;
constexpr std::size_t kBatchReadBytes = 64 * 1024;
constexpr std::size_t kMaxHandshakeBytes = 16 * 1024;
// One write carries at most about this much; the rest of what is owed waits for the next.
constexpr std::size_t kMaxWriteBytes = 64 * 1024;

}  // namespace

Connection::Connection(net::io_context& io, const Dialect& dialect, Listener& listener,
                       std::uint32_t index)
    : dialect_(dialect), listener_(listener), index_(index), socket_(io),
      maskKeys_(nowNs() ^ (std::uint64_t(index) << 32)), parser_(kMaxMessageBytes), retryTimer_(io) {}

void Connection::start(Settings settings) {
    settings_ = std::move(settings);
    startedNs_ = nowNs();
    connect();
}

void Connection::connect() {
    state_ = State::Connecting;
    boost::system::error_code ec;
    socket_.open(tcp::v4(), ec);
    if (ec) return fail("socket: " + ec.message());
    // Pick the source port at connect time from the full 4-tuple, so each source address
    // serves ~28k connections instead of exhausting ports at bind time.
    int one = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket_.bind(tcp::endpoint(settings_.source, 0), ec);
    if (ec) return fail("bind " + settings_.source.to_string() + ": " + ec.message());
    socket_.async_connect(settings_.server, [this, generation = generation_](boost::system::error_code e) {
        if (generation == generation_) onConnect(e);
    });
}

void Connection::followRedirect(std::string_view url) {
    if (redirects_ >= settings_.maxRedirects)
        return fail("join: sent elsewhere more than " + std::to_string(settings_.maxRedirects) + " times");
    auto target = parseNodeUrl(url);
    if (auto* why = std::get_if<std::string>(&target)) return fail("join: room-elsewhere: " + *why);
    const auto& node = std::get<NodeTarget>(target);
    ++redirects_;
    ++generation_;
    boost::system::error_code ignored;
    socket_.close(ignored);
    // A fresh WebSocket to the room's node: nothing of the old one carries over.
    parser_ = ServerFrameParser(kMaxMessageBytes);
    readSize_ = 0;
    outgoing_.clear();
    writing_ = false;
    flushRequested_ = false;
    settings_.server = tcp::endpoint(net::ip::make_address_v4(node.host), node.port);
    settings_.host = node.host + ":" + std::to_string(node.port);
    connect();
}

void Connection::onConnect(boost::system::error_code ec) {
    if (ec) return fail("connect: " + ec.message());
    socket_.set_option(tcp::no_delay(true), ec);
    state_ = State::Handshaking;
    handshakeKey_ = makeWebSocketKey(maskKeys_);
    outgoing_ = makeUpgradeRequest(settings_.host, dialect_.path(), handshakeKey_);
    flush();
    readNext();
}

// The response head is in the read buffer; frames the server sent right behind it stay there.
bool Connection::onHandshakeResponse() {
    const std::string_view bytes(readBuffer_.get(), readSize_);
    const auto end = responseHeadEnd(bytes);
    if (!end) {
        if (readSize_ >= kMaxHandshakeBytes) fail("handshake: response head over 16 KiB");
        return false;
    }
    if (auto problem = checkUpgradeResponse(bytes.substr(0, *end), handshakeKey_)) {
        fail("handshake: " + *problem);
        return false;
    }
    std::memmove(readBuffer_.get(), readBuffer_.get() + *end, readSize_ - *end);
    readSize_ -= *end;
    handshakeKey_.clear();
    if (dialect_.readyOnHandshake()) {
        // Connect latency is the first node's; a redirect's connect shows in the join's time.
        if (redirects_ == 0) listener_.onReady(*this, nowNs() - startedNs_);
        sendJoin();
    } else {
        state_ = State::Opening;
    }
    return state_ != State::Closed;
}

void Connection::sendJoin() {
    state_ = State::Joining;
    joinSentNs_ = nowNs();
    if (firstJoinSentNs_ == 0) firstJoinSentNs_ = joinSentNs_;
    sendControl(dialect_.join(settings_.room, settings_.name));
}

void Connection::readNext() {
    if (state_ == State::Closed) return;
    if (readSize_ == readCapacity_) {
        // Full of one partial frame (or not allocated yet): double it, up to what the largest
        // frame the parser accepts needs (kMaxMessageBytes and a 10-byte header).
        if (readCapacity_ >= kMaxMessageBytes + 16) {
            return fail("read: a frame does not fit in " + std::to_string(readCapacity_) +
                        " bytes");
        }
        const std::size_t capacity = readCapacity_ == 0 ? kFirstReadBytes : readCapacity_ * 2;
        auto grown = std::make_unique<char[]>(capacity);
        if (readSize_ > 0) std::memcpy(grown.get(), readBuffer_.get(), readSize_);
        readBuffer_ = std::move(grown);
        readCapacity_ = capacity;
    }
    socket_.async_read_some(
        net::buffer(readBuffer_.get() + readSize_, readCapacity_ - readSize_),
        [this, generation = generation_](boost::system::error_code ec, std::size_t bytes) {
            if (generation == generation_) onRead(ec, bytes);
        });
}

void Connection::onRead(boost::system::error_code ec, std::size_t bytes) {
    if (state_ == State::Closed) return;
    if (ec) {
        if (ec == net::error::eof) return fail("read: the server closed TCP without a close frame");
        return fail("read: " + ec.message());
    }
    const bool filled = readSize_ + bytes == readCapacity_;
    readSize_ += bytes;
    if (state_ == State::Handshaking && !onHandshakeResponse()) {
        if (state_ != State::Closed) readNext();
        return;
    }

    const auto generation = generation_;
    const std::size_t used = parser_.parse({readBuffer_.get(), readSize_}, *this);
    // Closed, or redirected: the new socket has its own read under way.
    if (state_ == State::Closed || generation != generation_) return;
    if (parser_.failure()) return fail("bad frame from the server: " + *parser_.failure());
    std::memmove(readBuffer_.get(), readBuffer_.get() + used, readSize_ - used);
    readSize_ -= used;
    // A read that filled the buffer says more was waiting: read more at once next time.
    if (filled && readCapacity_ < kBatchReadBytes && readSize_ < readCapacity_) {
        auto grown = std::make_unique<char[]>(kBatchReadBytes);
        std::memcpy(grown.get(), readBuffer_.get(), readSize_);
        readBuffer_ = std::move(grown);
        readCapacity_ = kBatchReadBytes;
    }
    readNext();
}

bool Connection::onMessage(std::string_view frame) {
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
            if (redirects_ == 0) listener_.onReady(*this, nowNs() - startedNs_);
            sendJoin();
        }
        break;
    case Incoming::Kind::Joined:
        if (state_ == State::Joining) {
            participantId_ = in.id;
            resumeToken_ = in.resumeToken;
            state_ = State::Joined;
            if (participantId_.empty()) {
                fail("joined without an id");
                return false;
            }
            const auto now = nowNs();
            listener_.onJoined(*this, {now - joinSentNs_, now - firstJoinSentNs_, redirects_, retries_});
        }
        break;
    case Incoming::Kind::Redirect:
        if (state_ == State::Joining) {
            followRedirect(in.id);
            return false;  // the rest of this read belongs to the old socket
        }
        listener_.onServerError(*this, "room-elsewhere after joining: " + in.id);
        break;
    case Incoming::Kind::Retry:
        if (state_ == State::Joining) {
            if (retries_ >= settings_.maxRetries) {
                fail("join: room-moving " + std::to_string(retries_ + 1) + " times: " + in.id);
                return false;
            }
            ++retries_;
            retryTimer_.expires_after(std::chrono::milliseconds(in.retryAfterMs));
            retryTimer_.async_wait([this, generation = generation_](boost::system::error_code ec) {
                if (!ec && generation == generation_ && state_ == State::Joining) sendJoin();
            });
            break;
        }
        listener_.onServerError(*this, "room-moving after joining");
        break;
    case Incoming::Kind::Error:
        if (state_ == State::Joining) {
            fail("join refused: " + in.id);
            return false;
        }
        listener_.onServerError(*this, in.id);
        break;
    case Incoming::Kind::Other:
        break;
    }
    return state_ != State::Closed;
}

bool Connection::onPing(std::string_view payload) {
    appendClientFrame(outgoing_, Opcode::Pong, payload, maskKeys_.next());
    requestFlush();
    return true;
}

bool Connection::onClose(std::optional<std::uint16_t> code, std::string_view reason) {
    // Echo the close (RFC 6455 5.5.1) when no write is half done, best effort: the load tool
    // does not wait for the server to finish closing.
    if (!writing_) {
        std::string frame;
        appendClientFrame(frame, Opcode::Close, code ? closePayload(*code) : std::string(),
                          maskKeys_.next());
        [[maybe_unused]] auto sent = ::send(socket_.native_handle(), frame.data(), frame.size(),
                                            MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    fail("closed by server: " + (code ? std::to_string(*code) : std::string("(no code)")) + " " +
         std::string(reason));
    return false;
}

void Connection::queueRelays(std::uint64_t count) {
    owedRelays_ += count;
    requestFlush();
}

void Connection::keepAlive(std::uint64_t now, std::uint64_t idleNs) {
    if (state_ != State::Joined || writing_ || now - lastWriteNs_ < idleNs) return;
    if (auto message = dialect_.keepalive(); !message.empty()) sendControl(message);
}

void Connection::sendControl(std::string_view message) {
    if (state_ == State::Closed || message.empty()) return;
    appendClientFrame(outgoing_, Opcode::Text, message, maskKeys_.next());
    requestFlush();
}

void Connection::requestFlush() {
    if (writing_ || flushRequested_ || state_ == State::Closed) return;
    flushRequested_ = true;
    net::post(socket_.get_executor(), [this] {
        flushRequested_ = false;
        flush();
    });
}

void Connection::flush() {
    if (state_ == State::Closed || writing_) return;
    std::uint64_t now = 0;
    if (owedRelays_ > 0 && state_ == State::Joined && !target_.empty()) {
        // Stamped as late as possible: just before the write that carries them, so latency
        // covers the wire and the server, not our queue. One write, one time.
        now = nowNs();
        while (owedRelays_ > 0 && outgoing_.size() < kMaxWriteBytes) {
            --owedRelays_;
            scratch_.clear();
            dialect_.appendRelay(scratch_, target_, {index_, nextSeq_++, now}, settings_.padding);
            appendClientFrame(outgoing_, Opcode::Text, scratch_, maskKeys_.next());
            listener_.onRelaySent(*this);
        }
    }
    if (outgoing_.empty()) return;
    inFlight_.swap(outgoing_);
    outgoing_.clear();
    writing_ = true;
    lastWriteNs_ = now ? now : nowNs();
    net::async_write(socket_, net::buffer(inFlight_),
                     [this, generation = generation_](boost::system::error_code ec, std::size_t) {
                         if (generation == generation_) onWrite(ec);
                     });
}

void Connection::onWrite(boost::system::error_code ec) {
    writing_ = false;
    if (state_ == State::Closed) return;
    if (ec) return fail("write: " + ec.message());
    // Whatever became owed while this write was under way goes out together.
    flush();
}

void Connection::abort() {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    retryTimer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void Connection::fail(std::string_view why) {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    retryTimer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    listener_.onClosed(*this, why);
}

}  // namespace parley::bench
