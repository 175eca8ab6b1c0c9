#include "media/packet_kind.hpp"

namespace parley::media {

namespace {

constexpr std::size_t kDemuxStunHeader = 20;
constexpr std::size_t kDemuxDtlsRecordHeader = 13;
constexpr std::size_t kDemuxRtpHeader = 12;
constexpr std::size_t kDemuxRtcpHeader = 8;

}  // namespace

PacketKind classifyPacket(std::span<const std::uint8_t> datagram) {
    if (datagram.empty()) return PacketKind::Unknown;
    const std::uint8_t first = datagram[0];
    if (first <= 3) {
        return datagram.size() >= kDemuxStunHeader ? PacketKind::Stun : PacketKind::Unknown;
    }
    if (first >= 20 && first <= 63) {
        return datagram.size() >= kDemuxDtlsRecordHeader ? PacketKind::Dtls : PacketKind::Unknown;
    }
    if (first >= 128 && first <= 191) {
        if (datagram.size() < 2) return PacketKind::Unknown;
        const std::uint8_t second = datagram[1];
        if (second >= 192 && second <= 223) {
            return datagram.size() >= kDemuxRtcpHeader ? PacketKind::Rtcp : PacketKind::Unknown;
        }
        return datagram.size() >= kDemuxRtpHeader ? PacketKind::Rtp : PacketKind::Unknown;
    }
    return PacketKind::Unknown;
}

const char* toString(PacketKind kind) {
    switch (kind) {
        case PacketKind::Stun: return "stun";
        case PacketKind::Dtls: return "dtls";
        case PacketKind::Rtp: return "rtp";
        case PacketKind::Rtcp: return "rtcp";
        case PacketKind::Unknown: break;
    }
    return "unknown";
}

}  // namespace parley::media
