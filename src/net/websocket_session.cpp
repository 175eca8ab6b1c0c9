#include "net/websocket_session.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "net/server_state.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using SteadyClock = std::chrono::steady_clock;

// Beast refuses messages this many times the protocol limit on its own (see start()).
constexpr std::size_t kBeastLimitFactor = 16;

// The life of a session, as a chain of do_x / on_x steps on the one io_context thread:
//   accept -> register -> read loop (frames to the Gateway) -> close -> finish (unregister,
//   tell the Gateway once).
// Writes run beside the read loop, one at a time, from a queue. Every pending operation
// holds a shared_ptr to the session, so it lives exactly as long as it has work in flight.
template <class NextLayer>
class WebSocketSession final : public WebSocketPeer,
                               public std::enable_shared_from_this<WebSocketSession<NextLayer>> {
public:
    WebSocketSession(NextLayer&& stream, ServerState& state, std::string remote,
                     core::ConnectionSlot slot)
        : ws_(std::move(stream)),
          slot_(std::move(slot)),
          state_(state),
          limits_(state.limits()),
          id_(state.registry().nextSessionId()),
          remote_(std::move(remote)),
          idleTimer_(ws_.get_executor()),
          closeDeadline_(ws_.get_executor()) {}

    void start(const HttpRequest& upgrade) {
        // Beast's own idle timeout would drop the TCP connection without a close code; the
        // protocol wants 4000 "idle-timeout", so idleness is timed here instead.
        beast::get_lowest_layer(ws_).expires_never();
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = limits_.handshakeTimeout;
        timeouts.idle_timeout = websocket::stream_base::none();
        timeouts.keep_alive_pings = false;
        ws_.set_option(timeouts);
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(beast::http::field::server, "parley/" PARLEY_VERSION);
        }));
        // Messages are read piecewise and measured here, so one over the limit is closed with
        // 1009 *and* the reason the protocol names. Beast's own limit (which closes with 1009
        // but no reason) only backs this up against absurd frames, which it refuses from their
        // header alone.
        ws_.read_message_max(limits_.maxMessageBytes * kBeastLimitFactor);
        ws_.text(true);
        // Pings and pongs count as signs of life too, and against the message rate (Beast
        // answers a ping itself, one at a time, so its pongs cannot pile up).
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            lastHeard_ = SteadyClock::now();
            if (kind != websocket::frame_type::close && registered_ && !closing_) {
                // Counted outside the callback: a flood close starts an operation on the stream.
                asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
                    if (!self->closing_ && !self->finished_) self->state_.controlFrame(self->id_);
                });
            }
        });

        ws_.async_accept(upgrade, beast::bind_front_handler(&WebSocketSession::onAccept,
                                                            this->shared_from_this()));
    }

    void deliver(Frame frame) override {
        if (closing_ || finished_ || stalled_) return;
        if (queue_.size() + (inFlight_ ? 1 : 0) + 1 > limits_.maxQueuedFrames ||
            queuedBytes_ + frame->size() > limits_.maxQueuedBytes) {
            spdlog::warn("websocket session={} remote={} stopped reading: {} frames, {} bytes "
                         "pending",
                         id_, remote_, queue_.size() + (inFlight_ ? 1 : 0), queuedBytes_);
            state_.countLimitClose(ServerState::LimitClose::SlowConsumer);
            close(kSlowConsumer);
            return;
        }
        queuedBytes_ += frame->size();
        queue_.push_back(std::move(frame));
        if (!inFlight_) doWrite();
    }

    void close(CloseReason reason) override {
        if (closing_ || finished_) return;
        closing_ = true;
        sentClose_ = SentClose{reason.code, std::string(reason.text)};
        dropQueue();
        idleTimer_.cancel();
        ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(reason.code),
                                                 std::string(reason.text)),
                        beast::bind_front_handler(&WebSocketSession::onClose,
                                                  this->shared_from_this()));
        // A peer that stopped reading may never let the close frame out (it waits behind a
        // stuck write) nor answer it; after closeTimeout the TCP connection is simply cut.
        closeDeadline_.expires_after(limits_.closeTimeout);
        closeDeadline_.async_wait(
            [self = this->shared_from_this()](beast::error_code error) {
                if (!error && !self->finished_) self->cutConnection();
            });
    }

    void drop() override {
        if (!finished_) cutConnection();
    }

    void stall() override { stalled_ = true; }

private:
    void onAccept(beast::error_code error) {
        if (error) {
            spdlog::debug("websocket handshake from {} failed: {}", remote_, error.message());
            return;
        }
        registered_ = true;
        state_.registry().add(id_, this->weak_from_this());
        state_.sessionOpened(id_, slot_.address());
        spdlog::info("websocket open session={} remote={}", id_, remote_);
        lastHeard_ = SteadyClock::now();
        if (state_.stopping()) close(kServerShutdown);
        armIdleTimer();
        doRead();
    }

    void doRead() {
        // Never ask for more than one byte past the limit: enough to know it was crossed.
        const auto room = limits_.maxMessageBytes + 1 - std::min(buffer_.size(),
                                                                 limits_.maxMessageBytes);
        ws_.async_read_some(buffer_, room, beast::bind_front_handler(&WebSocketSession::onRead,
                                                                     this->shared_from_this()));
    }

    void onRead(beast::error_code error, std::size_t) {
        if (error) {
            finish(error);
            return;
        }
        if (stalled_) {
            buffer_.clear();
            return doRead();
        }
        lastHeard_ = SteadyClock::now();
        if (closing_) {
            // Only the close handshake matters now; whatever else arrives is dropped.
            buffer_.clear();
        } else if (buffer_.size() > limits_.maxMessageBytes) {
            buffer_.clear();
            close(kMessageTooBig);
        } else if (ws_.is_message_done()) {
            dispatch();
            buffer_.clear();
        }
        doRead();
    }

    void dispatch() {
        const std::string_view text(static_cast<const char*>(buffer_.data().data()),
                                    buffer_.size());
        state_.deliverMessage(id_, ws_.got_text(), text);
    }

    void doWrite() {
        inFlight_ = std::move(queue_.front());
        queue_.pop_front();
        ws_.async_write(asio::buffer(*inFlight_),
                        beast::bind_front_handler(&WebSocketSession::onWrite,
                                                  this->shared_from_this()));
    }

    void onWrite(beast::error_code error, std::size_t) {
        queuedBytes_ -= inFlight_->size();
        inFlight_.reset();
        if (error) {
            // The connection is broken; make sure the read side notices and finishes.
            if (!finished_) cutConnection();
            return;
        }
        if (!queue_.empty()) doWrite();
    }

    void onClose(beast::error_code error) {
        // The pending read completes next (with websocket::error::closed once the peer
        // answered) and finishes the session.
        if (error) spdlog::debug("websocket session={} close: {}", id_, error.message());
    }

    void armIdleTimer() {
        idleTimer_.expires_at(lastHeard_ + limits_.idleTimeout);
        idleTimer_.async_wait(beast::bind_front_handler(&WebSocketSession::onIdleTimer,
                                                        this->shared_from_this()));
    }

    // One timer for the whole session, re-armed from the last sign of life, instead of a
    // cancel + wait for every frame.
    void onIdleTimer(beast::error_code error) {
        if (error || closing_ || finished_) return;
        if (SteadyClock::now() - lastHeard_ >= limits_.idleTimeout) {
            state_.countLimitClose(ServerState::LimitClose::IdleTimeout);
            close(kIdleTimeout);
        } else {
            armIdleTimer();
        }
    }

    void dropQueue() {
        queue_.clear();
        queuedBytes_ = inFlight_ ? inFlight_->size() : 0;
    }

    void cutConnection() {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    // The socket is done, for whatever reason: unregister and tell the Gateway, once.
    void finish(beast::error_code error) {
        if (finished_) return;
        finished_ = true;
        idleTimer_.cancel();
        closeDeadline_.cancel();
        dropQueue();
        if (!registered_) return;
        state_.sessionEnded(id_);
        logClosed(error);
    }

    void logClosed(beast::error_code error) const {
        if (sentClose_) {
            spdlog::info("websocket closed session={} remote={} code={} reason={} by=server",
                         id_, remote_, sentClose_->code, sentClose_->reason);
        } else if (error == websocket::error::closed) {
            const auto& reason = ws_.reason();
            spdlog::info("websocket closed session={} remote={} code={} by=client", id_,
                         remote_, static_cast<std::uint16_t>(reason.code));
        } else if (error == websocket::error::message_too_big) {
            spdlog::info("websocket closed session={} remote={} code={} reason={} by=server",
                         id_, remote_, kMessageTooBig.code, kMessageTooBig.text);
        } else {
            spdlog::info("websocket closed session={} remote={} code=none error=\"{}\"", id_,
                         remote_, error.message());
        }
    }

    websocket::stream<NextLayer> ws_;
    core::ConnectionSlot slot_;
    ServerState& state_;
    const SessionLimits& limits_;
    const SessionId id_;
    const std::string remote_;
    beast::flat_buffer buffer_;

    std::deque<Frame> queue_;
    Frame inFlight_;  // the frame being written; kept alive until the write completes
    std::size_t queuedBytes_ = 0;  // queue_ plus inFlight_

    asio::steady_timer idleTimer_;
    asio::steady_timer closeDeadline_;
    SteadyClock::time_point lastHeard_ = SteadyClock::now();

    bool registered_ = false;
    bool closing_ = false;
    bool finished_ = false;
    bool stalled_ = false;  // test hooks: nothing read or written any more
    struct SentClose {
        std::uint16_t code;
        std::string reason;
    };
    std::optional<SentClose> sentClose_;
};

template <class NextLayer>
void start(NextLayer stream, const HttpRequest& upgrade, ServerState& state, std::string remote,
           core::ConnectionSlot slot) {
    std::make_shared<WebSocketSession<NextLayer>>(std::move(stream), state, std::move(remote),
                                                  std::move(slot))
        ->start(upgrade);
}

}  // namespace

void startWebSocketSession(TlsStream stream, HttpRequest upgrade,
                           ServerState& state, std::string remote, core::ConnectionSlot slot) {
    start(std::move(stream), upgrade, state, std::move(remote), std::move(slot));
}

}  // namespace parley::net
