#pragma once
// RFC 7983 demultiplexing: STUN, DTLS, RTP and RTCP share the one UDP port of the SFU, and the
// first byte of a datagram tells them apart without parsing (STUN's two leading zero bits, DTLS
// content types 20..63, RTP/RTCP version 2). RTCP is told from RTP by the second byte
// (RFC 5761 section 4): RTCP packet types 192..223 fall where RTP's marker bit + payload type
// would be, and RTP payload types 64..95 are forbidden for exactly that reason.
//
// A datagram too short to hold the fixed header of its kind is Unknown, so a parser chosen by
// the kind never starts from an impossible length (STUN 20, DTLS record 13, RTP 12, RTCP 8).
// The ranges RFC 7983 gives to ZRTP (16..19) and TURN channels (64..79) are Unknown: the SFU
// speaks neither. A STUN message whose method is 0x100 or above has a first byte over 3 and is
// not STUN here, as RFC 7983 intends (ICE only uses Binding, 0x001).
#include <cstdint>
#include <span>

namespace parley::media {

enum class PacketKind { Stun, Dtls, Rtp, Rtcp, Unknown };

PacketKind classifyPacket(std::span<const std::uint8_t> datagram);

const char* toString(PacketKind kind);

}  // namespace parley::media
