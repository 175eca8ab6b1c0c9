#pragma once
// The recent packets of one published stream, kept to answer NACKs from all its subscribers.
//
// One buffer per published stream, not per subscriber: packets are stored once as immutable
// shared bytes and each subscriber's answer reuses them (rewriting its own copy of the header
// when it sends). Packets are keyed by the publisher's 16-bit seq; a ring of `capacity` slots
// holds the newest `capacity` seqs, so memory is bounded by the count, and a packet older than
// maxAgeMs is neither returned nor kept (a retransmission that late arrives after the receiver
// has given up on it).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace parley::media {

// A whole RTP packet as received (after SRTP decryption), shared read-only.
using SharedPacket = std::shared_ptr<const std::vector<std::uint8_t>>;

struct RetransmissionBufferConfig {
    std::int64_t maxAgeMs = 2000;  // video; audio needs far less (NACK for Opus is rare)
    // Slots, rounded up to a power of two, at most 8192 (so the window and the restart distance,
    // twice the window, stay inside half the seq space where wrap-around is unambiguous). 2 s of 2.5 Mbit/s video is ~550 packets.
    std::size_t capacity = 1024;
};

class RetransmissionBuffer {
public:
    explicit RetransmissionBuffer(RetransmissionBufferConfig config = {});

    // Stores a packet; false when it is not kept (a duplicate, older than the window, or no
    // packet). A seq more than twice the capacity away from the newest is a restart of the
    // stream: the buffer empties and starts again from it.
    bool insert(std::uint16_t seq, SharedPacket packet, std::int64_t nowMs);

    // The packet with this seq, if stored and not older than maxAgeMs.
    SharedPacket get(std::uint16_t seq, std::int64_t nowMs) const;

    std::size_t size() const { return stored_; }
    std::size_t capacity() const { return slots_.size(); }

private:
    struct Slot {
        std::int64_t seq = 0;  // extended
        std::int64_t arrivalMs = 0;
        SharedPacket packet;
    };

    Slot& slotFor(std::int64_t extendedSeq) {
        return slots_[static_cast<std::size_t>(extendedSeq) & (slots_.size() - 1)];
    }
    void clear(Slot& slot);
    void clearAll();
    void expire(std::int64_t nowMs);

    RetransmissionBufferConfig config_;
    std::vector<Slot> slots_;
    std::size_t stored_ = 0;
    bool started_ = false;
    std::int64_t newest_ = 0;  // extended seq; kept >= 2^16 so it never goes negative
    std::int64_t oldest_ = 0;  // no packet is stored below this extended seq
};

}  // namespace parley::media
