#pragma once
// Which transport a datagram on a worker's UDP port belongs to. Every peer connection pinned to
// the worker shares the port, so the kind comes from the first byte (RFC 7983), an ICE check is
// claimed by the server's ufrag in its USERNAME, and everything else by its source address,
// which a transport learns only from an authenticated check (WebRtcTransport's Listener calls
// learn()). A datagram nobody claims is dropped and counted. Pure: no socket here.
//
// Frames from a TCP connection (ICE-TCP) are routed the same way: their source address has
// protocol Tcp, so a TCP path and a UDP one never share an entry.
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

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
    // Returns the paths the transport had, so a TCP connection among them can be closed too.
    std::vector<TransportAddress> remove(WebRtcTransport& transport);
    // `from` authenticated as `transport` (a later check from the same address by another
    // transport takes it over: a port reused by a new peer connection).
    void learn(WebRtcTransport& transport, const TransportAddress& from);
    // The transport restarted ICE: checks come under its new ufrag now (its addresses stay
    // until checks from elsewhere take them over).
    void rekey(WebRtcTransport& transport);

    // The path `from` is gone (a TCP connection closed): nothing from it is routed any more.
    // Returns the transport that had learned it, if any, so it can stop sending there.
    WebRtcTransport* forget(const TransportAddress& from);

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
