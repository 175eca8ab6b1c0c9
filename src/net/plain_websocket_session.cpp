#include "net/plain_websocket_session.hpp"

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/deferred_flush.hpp"
#include "net/direct_conduit.hpp"
#include "net/epoll_conduit.hpp"
#include "net/server_state.hpp"
#include "net/websocket_frame_header.hpp"
#include "net/websocket_frame_reader.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

Frame closeFramePayload(std::optional<std::uint16_t> code, std::string_view reason) {
    std::string payload;
    if (code) {
        payload.push_back(static_cast<char>(*code >> 8));
        payload.push_back(static_cast<char>(*code & 0xFF));
        payload.append(reason.substr(0, 123));
    }
    return std::make_shared<const std::string>(std::move(payload));
}

// A frame waiting to be written: the header beside the shared payload, and how far it got.
struct Outgoing {
    WebSocketFrameHeader header;
    Frame payload;
    std::size_t written = 0;  // of header + payload

    std::size_t size() const { return header.size + payload->size(); }
};

// The life of a session, on the one io_context thread:
//   101 queued -> registered -> read loop (frames to the Gateway) -> close -> finish
//   (unregister, tell the Gateway once).
// The Conduit (conduit.hpp) moves the bytes: reads come to received(); writes go out through
// send(), which either writes at once or answers later with sent(). Every pending operation
// holds a shared_ptr to the session.
template <class Conduit>
class PlainWebSocketSession final : public WebSocketPeer,
                                    public WebSocketFrameReader::Listener,
                                    public DeferredFlush::Flushable,
                                    public std::enable_shared_from_this<PlainWebSocketSession<Conduit>> {
public:
    // `conduitArgs` make the Conduit in place.
    template <class... ConduitArgs>
    PlainWebSocketSession(ServerState& state, std::string remote, core::ConnectionSlot slot,
                          ConduitArgs&&... conduitArgs)
        : conduit_(std::forward<ConduitArgs>(conduitArgs)...),
          slot_(std::move(slot)),
          state_(state),
          id_(state.registry().nextSessionId()),
          remote_(std::move(remote)),
          reader_(state.limits().maxMessageBytes) {}

    void start(std::string handshakeResponse, std::string_view early) {
        error_code error;
        if (!conduit_.begin(error)) {
            spdlog::debug("websocket from {}: {}", remote_, error.message());
            return;
        }
        queue_.push_back(Outgoing{{}, std::make_shared<const std::string>(std::move(handshakeResponse))});
        queuedBytes_ = queue_.back().size();
        state_.registry().add(id_, this->weak_from_this());
        state_.sessionOpened(id_, slot_.address());
        spdlog::info("websocket open session={} remote={}", id_, remote_);
        timeoutFrom_ = SteadyClock::now();
        {
            DeferredFlush::Scope batch(state_.deferredFlush());
            requestFlush();
            if (state_.stopping()) close(kServerShutdown);
            if (!early.empty()) {
                std::string copy(early);
                take(copy.data(), copy.size());
            }
        }
        conduit_.read(this->shared_from_this());
    }

    // --- what the Conduit calls --------------------------------------------------------------
    Conduit& conduit() { return conduit_; }
    bool finished() const { return finished_; }
    DeferredFlush& writeBatch() { return state_.deferredFlush(); }

    void received(char* bytes, std::size_t size) {
        if (stalled_) return;
        if (!closing_) timeoutFrom_ = SteadyClock::now();
        take(bytes, size);
    }

    void readEnded(error_code error) { finish(error); }

    void sent(std::size_t bytes, error_code error) {
        sendPending_ = false;
        inFlight_ = 0;
        if (finished_) {
            releaseQueue();  // the kernel is done with it now
            return;
        }
        if (error) {
            // Broken: the read side notices and finishes the session.
            if (error != asio::error::operation_aborted)
                spdlog::debug("websocket session={} write: {}", id_, error.message());
            cut();
            return;
        }
        advance(bytes);
        flush();
    }

    // --- WebSocketPeer ----------------------------------------------------------------------
    void deliver(Frame frame) override {
        if (closing_ || finished_ || stalled_) return;
        enqueue(WebSocketFrameHeader::kText, std::move(frame));
    }

    void close(CloseReason reason) override {
        if (closing_ || finished_) return;
        sentClose_ = std::make_unique<SentClose>(reason.code, std::string(reason.text));
        beginClose(closeFramePayload(reason.code, reason.text));
    }

    void drop() override {
        if (!finished_) cut();
    }

    void stall() override { stalled_ = true; }

    void sweep(SteadyClock::time_point now) override {
        if (finished_) return;
        const auto& limits = state_.limits();
        if (closing_) {
            // A peer that stopped reading may never let the close frame out nor answer it.
            if (now - timeoutFrom_ >= limits.closeTimeout) cut();
        } else if (now - timeoutFrom_ >= limits.idleTimeout) {
            state_.countLimitClose(ServerState::LimitClose::IdleTimeout);
            close(kIdleTimeout);
        }
    }

    // --- DeferredFlush::Flushable ------------------------------------------------------------
    void flush() override {
        flushRequested_ = false;
        if (sendPending_ || finished_ || stalled_ || !conduit_.open()) return;
        std::array<asio::const_buffer, kMaxWriteBuffers> buffers;
        while (head_ < queue_.size()) {
            std::size_t count = 0;
            std::size_t entries = 0;
            for (std::size_t i = head_; i < queue_.size() && count + 2 <= kMaxWriteBuffers; ++i) {
                const Outgoing& out = queue_[i];
                std::size_t skip = out.written;
                if (skip < out.header.size) {
                    buffers[count++] = asio::buffer(out.header.bytes.data() + skip, out.header.size - skip);
                    skip = 0;
                } else {
                    skip -= out.header.size;
                }
                buffers[count++] = asio::buffer(out.payload->data() + skip, out.payload->size() - skip);
                ++entries;
            }
            const SendOutcome outcome =
                conduit_.send(*this, std::span<const asio::const_buffer>(buffers.data(), count));
            if (outcome.later) {
                sendPending_ = true;
                if (outcome.holdsBuffers) inFlight_ = entries;
                return;
            }
            if (outcome.error) {
                // Broken: the read side notices and finishes the session.
                spdlog::debug("websocket session={} write: {}", id_, outcome.error.message());
                cut();
                return;
            }
            advance(outcome.bytes);
        }
        // Everything is out.
        // An idle connection keeps no queue storage.
        std::vector<Outgoing>().swap(queue_);
        head_ = 0;
        if (closeWhenFlushed_) {
            cut();
        } else if (framingBroken_) {
            conduit_.shutdownSend();
        }
    }

private:
    // --- WebSocketFrameReader::Listener -----------------------------------------------------
    void onMessage(bool text, std::string_view payload) override {
        if (closing_) return;  // only the close handshake matters now
        state_.deliverMessage(id_, text, payload);
    }

    // Control frames count like messages: against the message rate (a ping over it goes
    // unanswered) and, for the pongs they ask for, against the write queue's bound.
    void onPing(std::string_view payload) override {
        if (closing_ || !state_.controlFrame(id_) || closing_) return;
        enqueue(WebSocketFrameHeader::kPong, std::make_shared<const std::string>(payload));
    }

    void onPong() override {
        if (!closing_) state_.controlFrame(id_);
    }

    void onClose(std::optional<std::uint16_t> code, std::string_view) override {
        clientClose_ = code.value_or(1005);
        if (!closing_) {
            // The client closes: echo its code, then the server closes TCP first (RFC 6455 7.1.1).
            beginClose(closeFramePayload(code, {}));
        }
        closeWhenFlushed_ = true;
        requestFlush();
    }

    // --- reading -----------------------------------------------------------------------------
    void take(char* bytes, std::size_t size) {
        if (framingBroken_) return;
        if (!reader_.consume(bytes, size, *this)) {
            // The framing is broken: say why, then stop listening (nothing after it can be
            // framed) and close the sending side once the close frame is out.
            framingBroken_ = true;
            const CloseReason why = *reader_.failure();
            if (!closing_) {
                sentClose_ = std::make_unique<SentClose>(why.code, std::string(why.text));
                beginClose(closeFramePayload(why.code, why.text));
            }
            requestFlush();
        }
    }

    // --- writing -----------------------------------------------------------------------------
    std::size_t pending() const { return queue_.size() - head_; }

    // Queues a frame within the bound (1,024 frames or 8 MiB), else closes as a slow consumer.
    void enqueue(std::uint8_t opcode, Frame frame) {
        const auto& limits = state_.limits();
        if (pending() + 1 > limits.maxQueuedFrames ||
            queuedBytes_ + frame->size() > limits.maxQueuedBytes) {
            spdlog::warn("websocket session={} remote={} stopped reading: {} frames, {} bytes "
                         "pending",
                         id_, remote_, pending(), queuedBytes_);
            state_.countLimitClose(ServerState::LimitClose::SlowConsumer);
            close(kSlowConsumer);
            return;
        }
        push(opcode, std::move(frame));
        requestFlush();
    }

    void push(std::uint8_t opcode, Frame payload) {
        if (head_ >= 64 && head_ * 2 >= queue_.size()) {
            // A slow reader: drop the written entries before growing further.
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
        queuedBytes_ += payload->size();
        queue_.push_back(Outgoing{WebSocketFrameHeader(opcode, payload->size()), std::move(payload)});
        queuedBytes_ += queue_.back().header.size;
    }

    void requestFlush() {
        if (sendPending_ || flushRequested_) return;
        auto& deferred = state_.deferredFlush();
        if (deferred.holding()) {
            flushRequested_ = true;
            deferred.add(this->shared_from_this());
        } else {
            flush();
        }
    }

    // `sent` bytes of the queue are written.
    void advance(std::size_t sent) {
        while (sent > 0) {
            Outgoing& out = queue_[head_];
            const std::size_t step = std::min(sent, out.size() - out.written);
            out.written += step;
            sent -= step;
            if (out.written == out.size()) {
                queuedBytes_ -= out.size();
                queue_[head_++] = Outgoing{};
            }
        }
    }

    // Queues the close frame behind the frames being written, if any; everything else queued
    // is dropped.
    void beginClose(Frame payload) {
        closing_ = true;
        timeoutFrom_ = SteadyClock::now();
        const bool partlyWritten = head_ < queue_.size() && queue_[head_].written > 0;
        const std::size_t keep = head_ + std::max<std::size_t>(inFlight_, partlyWritten ? 1 : 0);
        for (std::size_t i = keep; i < queue_.size(); ++i) queuedBytes_ -= queue_[i].size();
        queue_.resize(keep);
        push(WebSocketFrameHeader::kClose, std::move(payload));
        requestFlush();
    }

    // --- ending ------------------------------------------------------------------------------
    // Closes the connection; what was pending on it ends with an error, and the session
    // finishes (never synchronously here: this may run inside a Gateway call).
    void cut() {
        conduit_.close();
        asio::post(conduit_.executor(), [self = this->shared_from_this()] {
            self->finish(asio::error::operation_aborted);
        });
    }

    // The socket is done, for whatever reason: unregister and tell the Gateway, once.
    void finish(error_code error) {
        if (finished_) return;
        finished_ = true;
        conduit_.close();
        if (!sendPending_) releaseQueue();  // else the kernel may still be reading it: sent()
        state_.sessionEnded(id_);
        logClosed(error);
    }

    void releaseQueue() {
        queue_.clear();
        head_ = 0;
        queuedBytes_ = 0;
    }

    void logClosed(error_code error) const {
        if (sentClose_) {
            spdlog::info("websocket closed session={} remote={} code={} reason={} by=server", id_,
                         remote_, sentClose_->code, sentClose_->reason);
        } else if (clientClose_) {
            spdlog::info("websocket closed session={} remote={} code={} by=client", id_, remote_,
                         *clientClose_);
        } else {
            spdlog::info("websocket closed session={} remote={} code=none error=\"{}\"", id_,
                         remote_, error.message());
        }
    }

    Conduit conduit_;
    core::ConnectionSlot slot_;
    ServerState& state_;
    const SessionId id_;
    const std::string remote_;
    WebSocketFrameReader reader_;

    std::vector<Outgoing> queue_;  // [head_, end) still to write
    std::size_t head_ = 0;
    std::size_t queuedBytes_ = 0;
    std::size_t inFlight_ = 0;  // entries from head_ the kernel is reading (holdsBuffers)

    // Last heard from the client, or, once closing, when the close began.
    SteadyClock::time_point timeoutFrom_{};

    struct SentClose {
        std::uint16_t code;
        std::string reason;
    };
    std::unique_ptr<SentClose> sentClose_;  // only closing sessions pay for it
    std::optional<std::uint16_t> clientClose_;

    bool sendPending_ = false;  // sent() will be called
    bool flushRequested_ = false;
    bool closing_ = false;              // a close frame is queued or sent
    bool closeWhenFlushed_ = false;     // the close handshake is complete once it is out
    bool framingBroken_ = false;        // FIN after the close frame; reads drained unparsed
    bool finished_ = false;
    bool stalled_ = false;              // test hooks: nothing read or written any more
};

}  // namespace

void startPlainWebSocketSession(Socket socket, std::string handshakeResponse,
                                std::string_view early, ServerState& state, std::string remote,
                                core::ConnectionSlot slot) {
    if (DirectRings* rings = state.directRings()) {
        // Into an io_uring's table, out of the process's file table.
        error_code error;
        const auto protocol = socket.local_endpoint(error).protocol();
        const int fd = error ? -1 : socket.release(error);
        if (!error) {
            if (auto adopted = rings->adopt(fd)) {
                std::make_shared<PlainWebSocketSession<DirectConduit>>(
                    state, std::move(remote), std::move(slot), *adopted->ring, adopted->slot)
                    ->start(std::move(handshakeResponse), early);
                return;
            }
            socket = Socket(socket.get_executor(), protocol, fd);  // no room: stay in the file table
        }
    }
    std::make_shared<PlainWebSocketSession<EpollConduit>>(state, std::move(remote), std::move(slot),
                                                          std::move(socket))
        ->start(std::move(handshakeResponse), early);
}

}  // namespace parley::net
