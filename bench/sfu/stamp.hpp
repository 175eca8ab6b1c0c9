#pragma once
// The trailer every RTP payload of the SFU benchmark ends with: which stream, which packet of
// it, and when the tool sent it (its steady clock, the one its subscribers read too, so one
// clock measures the one-way latency through the server). At the end of the payload because a
// server may read the start (the VP8 payload descriptor) and both servers pass the payload
// through untouched.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace parley::bench::sfu {

inline constexpr std::size_t kStampSize = 20;

struct Stamp {
    std::uint32_t stream = 0;  // which publisher's which track (workload.hpp: streamId)
    std::uint32_t index = 0;   // 0, 1, 2, ... per stream, in sending order
    std::uint64_t sendNs = 0;  // steady clock
};

// Writes the stamp over the last kStampSize bytes of `payload` (which must be that long).
void writeStamp(std::span<std::uint8_t> payload, const Stamp& stamp);
// The stamp at the end of a payload; nullopt when it is too short or lacks the magic.
std::optional<Stamp> readStamp(std::span<const std::uint8_t> payload);

}  // namespace parley::bench::sfu
