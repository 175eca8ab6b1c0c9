// Any datagram on the shared UDP port: classifyPacket() must agree with the RFC 7983 ranges
// and the minimum header sizes, and whatever parses as STUN must have been classified STUN,
// unless its method is one of the large ones (first byte above 3) that RFC 7983 leaves out.
#include <cstdlib>

#include "media/packet_kind.hpp"
#include "media/stun_message.hpp"

using namespace parley::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const std::uint8_t> datagram(data, size);
    const PacketKind kind = classifyPacket(datagram);
    const auto stun = parseStunMessage(datagram);
    if (stun && kind != PacketKind::Stun && data[0] <= 3) std::abort();
    verifyFingerprint(datagram);
    switch (kind) {
        case PacketKind::Stun:
            if (size < 20 || data[0] > 3) std::abort();
            break;
        case PacketKind::Dtls:
            if (size < 13 || data[0] < 20 || data[0] > 63) std::abort();
            break;
        case PacketKind::Rtp:
            if (size < 12 || (data[0] >> 6) != 2 || (data[1] >= 192 && data[1] <= 223)) std::abort();
            break;
        case PacketKind::Rtcp:
            if (size < 8 || (data[0] >> 6) != 2 || data[1] < 192 || data[1] > 223) std::abort();
            break;
        case PacketKind::Unknown:
            break;
    }
    return 0;
}
