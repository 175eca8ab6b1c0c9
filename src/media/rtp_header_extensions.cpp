#include "media/rtp_header_extensions.hpp"

#include <array>

namespace parley::media {

namespace {

// 2^18 units per second in the 6.18 format; the 24-bit value wraps at 64 s.
constexpr std::int64_t kAbsSendTimeUnitsPerSecond = std::int64_t{1} << 18;
constexpr std::uint32_t kAbsSendTimeMask = 0xFFFFFF;

}  // namespace

std::optional<std::string_view> parseSdesTextExtension(std::span<const std::uint8_t> value) {
    std::size_t length = value.size();
    while (length > 0 && value[length - 1] == 0) --length;
    if (length == 0) return std::nullopt;
    for (std::size_t i = 0; i < length; ++i) {
        if (value[i] < 0x21 || value[i] > 0x7e) return std::nullopt;
    }
    return std::string_view(reinterpret_cast<const char*>(value.data()), length);
}

std::optional<std::uint32_t> parseAbsSendTime(std::span<const std::uint8_t> value) {
    if (value.size() != 3) return std::nullopt;
    return (std::uint32_t{value[0]} << 16) | (std::uint32_t{value[1]} << 8) | std::uint32_t{value[2]};
}

std::uint32_t absSendTimeFromMicros(std::int64_t micros) {
    // Floor into [0, 64 s) first so the shift cannot overflow, whatever the epoch.
    constexpr std::int64_t kWrapMicros = 64'000'000;
    std::int64_t inWrap = micros % kWrapMicros;
    if (inWrap < 0) inWrap += kWrapMicros;
    const std::int64_t units = (inWrap * kAbsSendTimeUnitsPerSecond + 500'000) / 1'000'000;
    return static_cast<std::uint32_t>(units) & kAbsSendTimeMask;
}

std::int64_t absSendTimeToMicros(std::uint32_t absSendTime) {
    return (std::int64_t{absSendTime & kAbsSendTimeMask} * 1'000'000) / kAbsSendTimeUnitsPerSecond;
}

std::optional<std::uint16_t> parseTransportSequenceNumber(std::span<const std::uint8_t> value) {
    if (value.size() != 2) return std::nullopt;
    return static_cast<std::uint16_t>((value[0] << 8) | value[1]);
}

std::optional<AudioLevel> parseAudioLevel(std::span<const std::uint8_t> value) {
    if (value.size() != 1) return std::nullopt;
    return AudioLevel{(value[0] & 0x80) != 0, static_cast<std::uint8_t>(value[0] & 0x7f)};
}

bool writeTransportSequenceNumber(RtpPacket& packet, std::uint8_t id, std::uint16_t seq) {
    const std::array<std::uint8_t, 2> value{static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq)};
    return packet.setExtensionValue(id, value);
}

bool writeAbsSendTime(RtpPacket& packet, std::uint8_t id, std::uint32_t absSendTime) {
    const std::array<std::uint8_t, 3> value{static_cast<std::uint8_t>(absSendTime >> 16),
                                            static_cast<std::uint8_t>(absSendTime >> 8),
                                            static_cast<std::uint8_t>(absSendTime)};
    return packet.setExtensionValue(id, value);
}

}  // namespace parley::media
