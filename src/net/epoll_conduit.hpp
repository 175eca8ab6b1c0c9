#pragma once
// A session's socket in the process's file table: asio waits for readiness (epoll), and reads
// and writes happen at once, without blocking. See conduit.hpp for what the owner provides.
#include <array>
#include <memory>
#include <span>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>

#include "net/conduit.hpp"
#include "net/deferred_flush.hpp"
#include "net/handler_memory.hpp"
#include "net/socket_types.hpp"

namespace parley::net {

class EpollConduit {
public:
    explicit EpollConduit(Socket socket) : socket_(std::move(socket)) {}

    bool begin(boost::system::error_code& error) {
        socket_.non_blocking(true, error);
        return !error;
    }
    bool open() const { return socket_.is_open(); }
    auto executor() { return socket_.get_executor(); }

    // Waits for readiness (not for data into a buffer of its own), then reads until the
    // socket has nothing more, into one buffer all sessions share.
    template <class Owner>
    void read(std::shared_ptr<Owner> owner) {
        socket_.async_wait(Socket::wait_read,
                           boost::asio::bind_allocator(
                               HandlerAllocator<void, kSocketWaitBytes>(readWaitMemory_),
                               // Only the owner, not `this` too: the handler must fit readWaitMemory_.
                               [owner = std::move(owner)](boost::system::error_code error) mutable {
                                   auto& conduit = owner->conduit();
                                   conduit.onReadable(std::move(owner), error);
                               }));
    }

    // Writes what the socket takes now; waits for writability (then owner->sent(0, ...)) only
    // when it takes nothing.
    template <class Owner>
    SendOutcome send(Owner& owner, std::span<const boost::asio::const_buffer> buffers) {
        SendOutcome outcome;
        outcome.bytes = socket_.write_some(buffers, outcome.error);
        if (outcome.error == boost::asio::error::would_block ||
            outcome.error == boost::asio::error::try_again) {
            socket_.async_wait(Socket::wait_write,
                               [self = owner.shared_from_this()](boost::system::error_code error) {
                                   self->sent(0, error);
                               });
            return SendOutcome{0, {}, true, false};
        }
        return outcome;
    }

    void shutdownSend() {
        boost::system::error_code ignored;
        socket_.shutdown(Socket::shutdown_send, ignored);
    }

    // Pending waits complete with operation_aborted.
    void close() {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    template <class Owner>
    void onReadable(std::shared_ptr<Owner> owner, boost::system::error_code error);

private:
    // Every session reads into this one buffer (the server has one I/O thread), so an idle
    // connection owns no read buffer at all.
    static constexpr std::size_t kReadBufferBytes = 64 * 1024;
    // Reads per wake-up before other connections get their turn.
    static constexpr int kMaxReadsPerTurn = 16;

    static char* sharedReadBuffer() {
        static std::array<char, kReadBufferBytes> buffer;
        return buffer.data();
    }

    Socket socket_;
    HandlerMemory<kSocketWaitBytes> readWaitMemory_;  // the readiness wait every idle session has
};

template <class Owner>
void EpollConduit::onReadable(std::shared_ptr<Owner> owner, boost::system::error_code error) {
    if (owner->finished()) return;
    if (error) return owner->readEnded(error);
    DeferredFlush::Scope batch(owner->writeBatch());
    char* buffer = sharedReadBuffer();
    for (int reads = 0; reads < kMaxReadsPerTurn; ++reads) {
        const std::size_t got = socket_.read_some(boost::asio::buffer(buffer, kReadBufferBytes), error);
        if (error == boost::asio::error::would_block || error == boost::asio::error::try_again) {
            // Drained: the next arrival wakes the wait (epoll is edge-triggered in asio).
            return read(std::move(owner));
        }
        if (error) return owner->readEnded(error);
        owner->received(buffer, got);
        if (owner->finished()) return;
        // A short read took everything the socket held (epoll(7), for stream sockets), so
        // no second read just to hear EAGAIN: whatever arrives next raises a new edge.
        if (got < kReadBufferBytes) return read(std::move(owner));
    }
    // Not drained yet, but others get their turn first.
    boost::asio::post(socket_.get_executor(), [this, owner = std::move(owner)]() mutable {
        onReadable(std::move(owner), {});
    });
}

}  // namespace parley::net
