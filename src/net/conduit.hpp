#pragma once
// A WebSocket session's bytes, however the kernel is asked for them: EpollConduit (a socket in
// the file table, readiness through asio) or DirectConduit (a registered descriptor in an
// io_uring, completions). The session is a template over the two; each conduit calls back
// its owner (held by shared_ptr while anything is pending; send() takes the owner by
// reference and keeps a shared_ptr only when its answer comes later) with:
//   owner->conduit()                  the conduit itself (so a handler need hold only the owner)
//   owner->finished()                 whether to bother at all
//   owner->writeBatch()               the DeferredFlush a burst of reads is handled within
//                                     (EpollConduit; a DirectRing holds one over a whole reap)
//   owner->received(bytes, size)      bytes read (valid for the call only)
//   owner->readEnded(error)           no more bytes: end of stream or a broken socket
//   owner->sent(bytes, error)         the answer to a send() that said `later`
#include <cstddef>

#include <boost/system/error_code.hpp>

namespace parley::net {

struct SendOutcome {
    std::size_t bytes = 0;             // written at once (when not `later`)
    boost::system::error_code error;   // nothing could be written (when not `later`)
    bool later = false;                // owner->sent() follows
    // The kernel is reading the buffers now (not just waiting to be able to write): what they
    // point to must stay as it is until owner->sent(). Buffers of kCopiedBytes or fewer are
    // copied, so they may move.
    bool holdsBuffers = false;
};

inline constexpr std::size_t kCopiedBytes = 16;

// asio passes at most this many buffers to one sendmsg; so does DirectConduit.
inline constexpr std::size_t kMaxWriteBuffers = 64;

}  // namespace parley::net
