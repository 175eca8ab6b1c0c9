#include "media/rtx.hpp"

namespace parley::media {

namespace {

constexpr std::size_t kOsnSize = 2;
constexpr std::uint8_t kRtpPaddingBit = 0x20;

// A copy of the header with its padding bit cleared, as the start of a rewritten packet.
std::vector<std::uint8_t> copyHeaderWithoutPadding(const RtpPacket& packet, std::size_t extraCapacity) {
    const auto header = packet.bytes().first(packet.headerSize());
    std::vector<std::uint8_t> out;
    out.reserve(header.size() + extraCapacity);
    out.assign(header.begin(), header.end());
    out[0] = static_cast<std::uint8_t>(out[0] & ~kRtpPaddingBit);
    return out;
}

}  // namespace

std::optional<RtxPayload> parseRtxPayload(const RtpPacket& rtx) {
    const auto payload = rtx.payload();
    if (payload.size() < kOsnSize) return std::nullopt;
    return RtxPayload{static_cast<std::uint16_t>((payload[0] << 8) | payload[1]), payload.subspan(kOsnSize)};
}

std::vector<std::uint8_t> buildRtxPacket(const RtpPacket& original, std::uint8_t rtxPayloadType,
                                         std::uint32_t rtxSsrc, std::uint16_t rtxSequenceNumber) {
    const auto payload = original.payload();
    std::vector<std::uint8_t> out = copyHeaderWithoutPadding(original, kOsnSize + payload.size());
    const std::uint16_t osn = original.sequenceNumber();
    out.push_back(static_cast<std::uint8_t>(osn >> 8));
    out.push_back(static_cast<std::uint8_t>(osn));
    out.insert(out.end(), payload.begin(), payload.end());
    // The copy is a valid packet by construction (same header, no padding bit), so parse holds.
    auto rtx = RtpPacket::parse(out);
    rtx->setPayloadType(rtxPayloadType);
    rtx->setSsrc(rtxSsrc);
    rtx->setSequenceNumber(rtxSequenceNumber);
    return out;
}

std::optional<std::vector<std::uint8_t>> restoreFromRtx(const RtpPacket& rtx, std::uint8_t originalPayloadType,
                                                        std::uint32_t originalSsrc) {
    const auto parsed = parseRtxPayload(rtx);
    if (!parsed) return std::nullopt;
    std::vector<std::uint8_t> out = copyHeaderWithoutPadding(rtx, parsed->originalPayload.size());
    out.insert(out.end(), parsed->originalPayload.begin(), parsed->originalPayload.end());
    auto original = RtpPacket::parse(out);
    original->setPayloadType(originalPayloadType);
    original->setSsrc(originalSsrc);
    original->setSequenceNumber(parsed->originalSequenceNumber);
    return out;
}

}  // namespace parley::media
