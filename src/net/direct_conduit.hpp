#pragma once
// A session's socket held as a registered descriptor in a DirectRing, outside the process's
// file table. One multishot receive stays armed for the connection's whole life, filling
// buffers the ring provides; a send is a sendmsg the kernel completes later. See conduit.hpp
// for what the owner provides.
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include "net/conduit.hpp"
#include "net/direct_ring.hpp"

namespace parley::net {

class DirectConduit {
public:
    DirectConduit(DirectRing& ring, unsigned slot) : ring_(&ring), slot_(slot) {}
    ~DirectConduit() { close(); }
    DirectConduit(const DirectConduit&) = delete;
    DirectConduit& operator=(const DirectConduit&) = delete;

    bool begin(boost::system::error_code&) { return true; }
    bool open() const { return open_; }
    auto executor() { return ring_->executor(); }
    DirectRing& ring() { return *ring_; }
    unsigned slot() const { return slot_; }

    template <class Owner>
    void read(std::shared_ptr<Owner> owner);

    template <class Owner>
    SendOutcome send(Owner& owner, std::span<const boost::asio::const_buffer> buffers);

    void shutdownSend() {
        if (!open_) return;
        if (io_uring_sqe* sqe = ring_->prepare(nullptr)) {
            io_uring_prep_shutdown(sqe, static_cast<int>(slot_), SHUT_WR);
            sqe->flags |= IOSQE_FIXED_FILE;
        }
    }

    // What is pending ends (the receive with ECANCELED); the slot is freed after.
    void close() {
        if (!open_) return;
        open_ = false;
        ring_->close(slot_);
    }

private:
    DirectRing* ring_;
    unsigned slot_;
    bool open_ = true;
};

namespace direct_detail {

inline boost::system::error_code kernelError(int result) {
    return {-result, boost::system::system_category()};
}

// The connection's one receive, armed again whenever the kernel ends it without the
// connection ending (no buffer was free, say).
template <class Owner>
class Receive final : public DirectRing::Operation {
public:
    explicit Receive(std::shared_ptr<Owner> owner) : owner_(std::move(owner)) {}

    bool arm() {
        DirectConduit& conduit = owner_->conduit();
        io_uring_sqe* sqe = conduit.ring().prepare(this);
        if (!sqe) return false;
        io_uring_prep_recv_multishot(sqe, static_cast<int>(conduit.slot()), nullptr, 0, 0);
        sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
        sqe->buf_group = conduit.ring().bufferGroup();
        return true;
    }

    void complete(DirectRing& ring, const io_uring_cqe& cqe) override {
        if (cqe.res > 0 && (cqe.flags & IORING_CQE_F_BUFFER)) {
            const unsigned id = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
            // (Within the ring's DeferredFlush scope: writes wait for the end of the reap.)
            if (!owner_->finished()) owner_->received(ring.buffer(id), static_cast<std::size_t>(cqe.res));
            ring.recycle(id);
        }
        if (cqe.flags & IORING_CQE_F_MORE) return;
        const bool stillWanted = !owner_->finished() && owner_->conduit().open() && !ring.closing();
        if (stillWanted && (cqe.res > 0 || cqe.res == -ENOBUFS) && arm()) return;
        if (!owner_->finished()) {
            if (cqe.res == 0) {
                owner_->readEnded(boost::asio::error::eof);
            } else if (cqe.res < 0) {
                owner_->readEnded(kernelError(cqe.res));
            } else {
                owner_->readEnded(boost::asio::error::no_buffer_space);
            }
        }
        delete this;
    }

private:
    std::shared_ptr<Owner> owner_;
};

// One sendmsg in flight: the iovecs, and copies of the small buffers (frame headers) that
// may move in the owner's queue meanwhile.
template <class Owner>
class Send final : public DirectRing::Operation {
public:
    Send(std::shared_ptr<Owner> owner, std::span<const boost::asio::const_buffer> buffers)
        : owner_(std::move(owner)) {
        std::size_t copied = 0;
        for (std::size_t i = 0; i < buffers.size(); ++i) {
            const auto& buffer = buffers[i];
            if (buffer.size() <= kCopiedBytes) {
                std::memcpy(copies_.data() + copied, buffer.data(), buffer.size());
                vectors_[i] = {copies_.data() + copied, buffer.size()};
                copied += buffer.size();
            } else {
                vectors_[i] = {const_cast<void*>(buffer.data()), buffer.size()};
            }
        }
        message_.msg_iov = vectors_.data();
        message_.msg_iovlen = buffers.size();
    }

    bool submit() {
        DirectConduit& conduit = owner_->conduit();
        io_uring_sqe* sqe = conduit.ring().prepare(this);
        if (!sqe) return false;
        io_uring_prep_sendmsg(sqe, static_cast<int>(conduit.slot()), &message_, MSG_NOSIGNAL);
        sqe->flags |= IOSQE_FIXED_FILE;
        return true;
    }

    void complete(DirectRing&, const io_uring_cqe& cqe) override {
        if (cqe.flags & IORING_CQE_F_MORE) return;
        std::shared_ptr<Owner> owner = std::move(owner_);
        const int result = cqe.res;
        delete this;
        if (result >= 0) {
            owner->sent(static_cast<std::size_t>(result), {});
        } else {
            owner->sent(0, kernelError(result));
        }
    }

private:
    std::shared_ptr<Owner> owner_;
    msghdr message_{};
    std::array<iovec, kMaxWriteBuffers> vectors_{};
    std::array<char, kMaxWriteBuffers * kCopiedBytes> copies_{};
};

}  // namespace direct_detail

template <class Owner>
void DirectConduit::read(std::shared_ptr<Owner> owner) {
    auto* receive = new direct_detail::Receive<Owner>(owner);
    if (receive->arm()) return;
    delete receive;
    // The ring is overwhelmed: the owner hears of it on its next turn, never inside this call.
    boost::asio::post(ring_->executor(), [owner = std::move(owner)] {
        if (!owner->finished()) owner->readEnded(boost::asio::error::no_buffer_space);
    });
}

template <class Owner>
SendOutcome DirectConduit::send(Owner& owner, std::span<const boost::asio::const_buffer> buffers) {
    auto* send = new direct_detail::Send<Owner>(owner.shared_from_this(), buffers);
    if (!send->submit()) {
        delete send;
        return SendOutcome{0, boost::asio::error::no_buffer_space, false, false};
    }
    return SendOutcome{0, {}, true, true};
}

}  // namespace parley::net
