#include "media/retransmission_buffer.hpp"

#include <algorithm>
#include <cstdlib>

#include "media/serial_number.hpp"

namespace parley::media {

RetransmissionBuffer::RetransmissionBuffer(RetransmissionBufferConfig config)
    : config_(config), slots_(sequenceRingSlots(config.capacity, 8192)) {}

void RetransmissionBuffer::clear(Slot& slot) {
    if (slot.packet) {
        slot.packet.reset();
        --stored_;
    }
}

void RetransmissionBuffer::clearAll() {
    for (Slot& slot : slots_) clear(slot);
}

// Drops packets from the oldest end while they are too old. Seqs arrive roughly in arrival
// order, so this stops at the first fresh packet and costs O(1) amortized per insert.
void RetransmissionBuffer::expire(std::int64_t nowMs) {
    while (oldest_ <= newest_) {
        Slot& slot = slotFor(oldest_);
        if (slot.packet && slot.seq == oldest_ && nowMs - slot.arrivalMs <= config_.maxAgeMs) break;
        if (slot.seq == oldest_) clear(slot);
        ++oldest_;
    }
}

bool RetransmissionBuffer::insert(std::uint16_t seq, SharedPacket packet, std::int64_t nowMs) {
    if (!packet) return false;
    const auto window = static_cast<std::int64_t>(slots_.size());
    std::int64_t extended = 0;
    if (started_) {
        extended = newest_ + serialDelta(serialMask(newest_, 16), seq, 16);
        if (std::abs(extended - newest_) > 2 * window) {
            clearAll();
            started_ = false;
        }
    }
    if (!started_) {
        started_ = true;
        extended = (std::int64_t{1} << 16) + seq;
        newest_ = oldest_ = extended;
    }

    if (extended > newest_) {
        // The slots the window slides over hold seqs now too old (seq - window), and the
        // seqs skipped (lost or not yet arrived) must not find those packets.
        if (extended - newest_ >= window) {
            clearAll();
        } else {
            for (std::int64_t s = newest_ + 1; s < extended; ++s) clear(slotFor(s));
        }
        newest_ = extended;
        oldest_ = std::max(oldest_, newest_ - window + 1);
    } else if (extended <= newest_ - window) {
        return false;
    }

    Slot& slot = slotFor(extended);
    if (slot.packet && slot.seq == extended) return false;
    clear(slot);
    slot.seq = extended;
    slot.arrivalMs = nowMs;
    slot.packet = std::move(packet);
    ++stored_;
    oldest_ = std::min(oldest_, extended);
    expire(nowMs);
    return true;
}

SharedPacket RetransmissionBuffer::get(std::uint16_t seq, std::int64_t nowMs) const {
    if (!started_) return nullptr;
    const std::int64_t extended = newest_ + serialDelta(serialMask(newest_, 16), seq, 16);
    if (extended > newest_ || extended <= newest_ - static_cast<std::int64_t>(slots_.size())) return nullptr;
    const Slot& slot = slots_[static_cast<std::size_t>(extended) & (slots_.size() - 1)];
    if (!slot.packet || slot.seq != extended || nowMs - slot.arrivalMs > config_.maxAgeMs) return nullptr;
    return slot.packet;
}

}  // namespace parley::media
