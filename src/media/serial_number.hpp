#pragma once
// RFC 1982 serial-number arithmetic for the wrapping counters of RTP and VP8: 16-bit sequence
// numbers, 32-bit timestamps, 15- and 7-bit PictureIDs, 8-bit TL0PICIDX.
//
// Forwarding state keeps counters "extended" to 64 bits (an unwrapped count that never wraps),
// so ordering, distances and ring-buffer slots are plain integer comparisons; the wire value is
// the extended value masked back to its width.
#include <cstddef>
#include <cstdint>

namespace parley::media {

// The signed distance from `from` to `to` on a circle of 2^bits values, in
// [-2^(bits-1), 2^(bits-1)): positive when `to` is newer.
constexpr std::int64_t serialDelta(std::uint64_t from, std::uint64_t to, unsigned bits) {
    const std::uint64_t modulus = std::uint64_t{1} << bits;
    const std::uint64_t forward = (to - from) & (modulus - 1);
    return forward >= modulus / 2 ? static_cast<std::int64_t>(forward) - static_cast<std::int64_t>(modulus)
                                  : static_cast<std::int64_t>(forward);
}

constexpr std::uint64_t serialMask(std::int64_t extended, unsigned bits) {
    return static_cast<std::uint64_t>(extended) & ((std::uint64_t{1} << bits) - 1);
}

// Extends a wrapping counter of `bits` bits to 64 bits, taking each value as the one nearest to
// the newest value seen so far. The first value is taken as is, so extended values start in
// [0, 2^bits) and can go negative only for values older than the first.
class SerialUnwrapper {
public:
    explicit SerialUnwrapper(unsigned bits) : bits_(bits) {}

    bool started() const { return started_; }
    std::int64_t newest() const { return newest_; }

    // The extended value of `value`, without recording it.
    std::int64_t peek(std::uint64_t value) const {
        if (!started_) return static_cast<std::int64_t>(serialMask(static_cast<std::int64_t>(value), bits_));
        return newest_ + serialDelta(serialMask(newest_, bits_), value, bits_);
    }

    // The extended value of `value`; it becomes the reference if it is the newest.
    std::int64_t unwrap(std::uint64_t value) {
        const std::int64_t extended = peek(value);
        if (!started_ || extended > newest_) newest_ = extended;
        started_ = true;
        return extended;
    }

    void reset() {
        started_ = false;
        newest_ = 0;
    }

private:
    unsigned bits_;
    bool started_ = false;
    std::int64_t newest_ = 0;
};

// Slots for a ring indexed by sequence number (index = seq & (slots - 1)): `wanted` rounded up
// to a power of two, from 16 up to `most` (itself a power of two).
inline std::size_t sequenceRingSlots(std::size_t wanted, std::size_t most) {
    std::size_t slots = 16;
    while (slots < wanted && slots < most) slots *= 2;
    return slots;
}

}  // namespace parley::media
