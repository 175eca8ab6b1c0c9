#include "stamp.hpp"

namespace parley::bench::sfu {
namespace {
constexpr std::uint8_t kMagic[4] = {'P', 'S', 'F', '1'};

void put(std::uint8_t* at, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i, value >>= 8) at[i] = static_cast<std::uint8_t>(value);
}
std::uint64_t get(const std::uint8_t* at, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = (value << 8) | at[i];
    return value;
}
}  // namespace

void writeStamp(std::span<std::uint8_t> payload, const Stamp& stamp) {
    std::uint8_t* at = payload.data() + payload.size() - kStampSize;
    for (int i = 0; i < 4; ++i) at[i] = kMagic[i];
    put(at + 4, stamp.stream, 4);
    put(at + 8, stamp.index, 4);
    put(at + 12, stamp.sendNs, 8);
}

std::optional<Stamp> readStamp(std::span<const std::uint8_t> payload) {
    if (payload.size() < kStampSize) return std::nullopt;
    const std::uint8_t* at = payload.data() + payload.size() - kStampSize;
    for (int i = 0; i < 4; ++i) {
        if (at[i] != kMagic[i]) return std::nullopt;
    }
    Stamp s;
    s.stream = static_cast<std::uint32_t>(get(at + 4, 4));
    s.index = static_cast<std::uint32_t>(get(at + 8, 4));
    s.sendNs = get(at + 12, 8);
    return s;
}

}  // namespace parley::bench::sfu
