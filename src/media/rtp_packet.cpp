#include "media/rtp_packet.hpp"

#include <algorithm>

#include "media/byte_io.hpp"

namespace parley::media {

namespace {

constexpr std::size_t kRtpFixedHeader = 12;
constexpr std::uint16_t kOneByteProfile = 0xBEDE;
// RFC 8285 section 4.3: 0x100 followed by four application-defined bits.
constexpr std::uint16_t kTwoByteProfileMask = 0xFFF0;
constexpr std::uint16_t kTwoByteProfile = 0x1000;
constexpr std::uint8_t kOneByteStopId = 15;

std::uint32_t loadU32(std::span<const std::uint8_t> b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           std::uint32_t{b[at + 3]};
}

void storeU32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 24);
    b[at + 1] = static_cast<std::uint8_t>(v >> 16);
    b[at + 2] = static_cast<std::uint8_t>(v >> 8);
    b[at + 3] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::optional<RtpPacket> RtpPacket::parse(std::span<std::uint8_t> datagram) {
    ByteReader r(datagram);
    const std::uint8_t first = r.u8();
    r.skip(kRtpFixedHeader - 1);
    if (!r.ok() || (first >> 6) != 2) return std::nullopt;
    RtpPacket packet(datagram);
    r.skip(4 * std::size_t{first & 0x0fu});
    if ((first & 0x10) != 0) {
        packet.extensionProfile_ = r.u16();
        packet.extensionSize_ = 4 * std::size_t{r.u16()};
        packet.extensionOffset_ = r.position();
        r.skip(packet.extensionSize_);
        if (packet.extensionProfile_ == kOneByteProfile) {
            packet.extensionForm_ = RtpExtensionForm::OneByte;
        } else if ((packet.extensionProfile_ & kTwoByteProfileMask) == kTwoByteProfile) {
            packet.extensionForm_ = RtpExtensionForm::TwoByte;
        } else {
            packet.extensionForm_ = RtpExtensionForm::Other;
        }
    }
    if (!r.ok()) return std::nullopt;
    packet.headerSize_ = r.position();
    if ((first & 0x20) != 0) {
        // The last byte counts the padding, itself included, so 0 is malformed; padding that
        // reaches into the header would make the payload's size negative.
        const std::size_t padding = datagram.back();
        if (padding == 0 || padding > datagram.size() - packet.headerSize_) return std::nullopt;
        packet.paddingSize_ = padding;
    }
    return packet;
}

std::uint16_t RtpPacket::sequenceNumber() const {
    return static_cast<std::uint16_t>((bytes_[2] << 8) | bytes_[3]);
}

std::uint32_t RtpPacket::timestamp() const { return loadU32(bytes_, 4); }
std::uint32_t RtpPacket::ssrc() const { return loadU32(bytes_, 8); }
std::uint32_t RtpPacket::csrc(std::size_t index) const { return loadU32(bytes_, kRtpFixedHeader + 4 * index); }

void RtpPacket::setSequenceNumber(std::uint16_t seq) {
    bytes_[2] = static_cast<std::uint8_t>(seq >> 8);
    bytes_[3] = static_cast<std::uint8_t>(seq);
}

void RtpPacket::setTimestamp(std::uint32_t ts) { storeU32(bytes_, 4, ts); }
void RtpPacket::setSsrc(std::uint32_t ssrc) { storeU32(bytes_, 8, ssrc); }

std::uint8_t RtpPacket::extensionAppBits() const {
    return extensionForm_ == RtpExtensionForm::TwoByte ? static_cast<std::uint8_t>(extensionProfile_ & 0x0f) : 0;
}

// Calls visit(id, offset, length) for each element until visit returns false. Stops quietly
// at the first element that does not fit: RFC 8285 asks for the elements before a bad one
// to be used, and a sender's packet should not be lost over one bad extension.
template <typename Visit>
void RtpPacket::walkExtensions(Visit&& visit) const {
    const std::size_t end = extensionOffset_ + extensionSize_;
    std::size_t at = extensionOffset_;
    if (extensionForm_ == RtpExtensionForm::OneByte) {
        while (at < end) {
            const std::uint8_t b = bytes_[at];
            if (b == 0) {  // padding between or after elements
                ++at;
                continue;
            }
            const std::uint8_t id = b >> 4;
            const std::size_t length = std::size_t{b & 0x0fu} + 1;
            // Id 0 with a length is not padding and not an element: nothing after it can be
            // trusted. Id 15 ends the block by definition.
            if (id == 0 || id == kOneByteStopId) return;
            if (length > end - at - 1) return;
            if (!visit(id, at + 1, length)) return;
            at += 1 + length;
        }
    } else if (extensionForm_ == RtpExtensionForm::TwoByte) {
        while (at < end) {
            const std::uint8_t id = bytes_[at];
            if (id == 0) {
                ++at;
                continue;
            }
            if (end - at < 2) return;
            const std::size_t length = bytes_[at + 1];
            if (length > end - at - 2) return;
            if (!visit(id, at + 2, length)) return;
            at += 2 + length;
        }
    }
}

std::optional<std::span<std::uint8_t>> RtpPacket::findExtension(std::uint8_t id) const {
    std::optional<std::span<std::uint8_t>> found;
    if (id == 0) return found;
    walkExtensions([&](std::uint8_t elementId, std::size_t offset, std::size_t length) {
        if (elementId != id) return true;
        found = bytes_.subspan(offset, length);
        return false;
    });
    return found;
}

std::optional<std::span<const std::uint8_t>> RtpPacket::extension(std::uint8_t id) const {
    if (auto found = findExtension(id)) return std::span<const std::uint8_t>(*found);
    return std::nullopt;
}

std::vector<RtpExtensionElement> RtpPacket::extensions() const {
    std::vector<RtpExtensionElement> out;
    walkExtensions([&](std::uint8_t id, std::size_t offset, std::size_t length) {
        out.push_back({id, bytes_.subspan(offset, length)});
        return true;
    });
    return out;
}

bool RtpPacket::setExtensionValue(std::uint8_t id, std::span<const std::uint8_t> value) {
    const auto found = findExtension(id);
    if (!found || found->size() != value.size()) return false;
    std::copy(value.begin(), value.end(), found->begin());
    return true;
}

std::optional<std::vector<std::uint8_t>> buildRtpPacket(const RtpHeaderFields& header,
                                                        std::span<const RtpExtensionValue> extensions,
                                                        std::span<const std::uint8_t> payload,
                                                        std::uint8_t padding) {
    if (header.csrcs.size() > 15) return std::nullopt;
    bool oneByte = true;
    for (const auto& e : extensions) {
        if (e.id == 0 || e.value.size() > 255) return std::nullopt;
        if (e.id >= kOneByteStopId || e.value.empty() || e.value.size() > 16) oneByte = false;
    }
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    w.u8(static_cast<std::uint8_t>(0x80 | (padding != 0 ? 0x20 : 0) | (!extensions.empty() ? 0x10 : 0) |
                                   header.csrcs.size()));
    w.u8(static_cast<std::uint8_t>((header.marker ? 0x80 : 0) | (header.payloadType & 0x7f)));
    w.u16(header.sequenceNumber);
    w.u32(header.timestamp);
    w.u32(header.ssrc);
    for (std::uint32_t c : header.csrcs) w.u32(c);
    if (!extensions.empty()) {
        w.u16(oneByte ? kOneByteProfile : kTwoByteProfile);
        const std::size_t lengthAt = w.size();
        w.u16(0);
        const std::size_t start = w.size();
        for (const auto& e : extensions) {
            if (oneByte) {
                w.u8(static_cast<std::uint8_t>((e.id << 4) | (e.value.size() - 1)));
            } else {
                w.u8(e.id);
                w.u8(static_cast<std::uint8_t>(e.value.size()));
            }
            w.bytes(e.value);
        }
        w.zeros((4 - (w.size() - start) % 4) % 4);
        const std::size_t words = (w.size() - start) / 4;
        if (words > 0xffff) return std::nullopt;
        w.patchU16(lengthAt, static_cast<std::uint16_t>(words));
    }
    w.bytes(payload);
    if (padding != 0) {
        w.zeros(padding - 1u);
        w.u8(padding);
    }
    return out;
}

}  // namespace parley::media
