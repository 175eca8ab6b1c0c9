#pragma once
// Which transport a datagram on a worker's UDP port belongs to. Every peer connection pinned to
// the worker shares the port, so the kind comes from the first byte (RFC 7983), an ICE check is
// claimed by the server's ufrag in its USERNAME, and everything else by its source address,
// which a transport learns only from an authenticated check (WebRtcTransport's Listener calls
// learn()). A datagram nobody claims is dropped and counted. Pure: no socket here.
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "media/transport_address.hpp"
#include "media/webrtc_transport.hpp"

namespace parley::media {

class PortDemux {
public:
    struct Counters {
        std::uint64_t unknownKind = 0;     // not STUN, DTLS, RTP or RTCP
        std::uint64_t badStun = 0;         // unparsable, not a request, or no usable USERNAME
        std::uint64_t unknownUfrag = 0;    // a check for a transport that is not here
        std::uint64_t unknownAddress = 0;  // DTLS/RTP/RTCP from an address no check vouched for
    };

    // The transport must be removed before it is destroyed.
    void add(WebRtcTransport& transport);
    void remove(WebRtcTransport& transport);
    // `from` authenticated as `transport` (a later check from the same address by another
    // transport takes it over: a port reused by a new peer connection).
    void learn(WebRtcTransport& transport, const TransportAddress& from);
    // The transport restarted ICE: checks come under its new ufrag now (its addresses stay
    // until checks from elsewhere take them over).
    void rekey(WebRtcTransport& transport);

    void route(std::span<const std::uint8_t> datagram, const TransportAddress& from, std::int64_t nowMs);

    std::size_t transports() const { return transports_; }
    const Counters& counters() const { return counters_; }

private:
    std::unordered_map<std::string, WebRtcTransport*> byUfrag_;
    std::unordered_map<TransportAddress, WebRtcTransport*> byAddress_;
    std::size_t transports_ = 0;
    Counters counters_;
};

}  // namespace parley::media
