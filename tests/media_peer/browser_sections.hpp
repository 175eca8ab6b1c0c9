#pragma once
// What a browser puts in the m-sections of its SDP for one track, for the C++ peers that play a
// browser (the integration tests, the SFU load tool): Opus (111) or VP8 (96, with NACK, PLI and
// FIR), rtcp-mux, BUNDLE-ready, with the peer's ICE credentials and certificate fingerprint.
#include <string>

#include "media/sdp.hpp"

namespace parley::media::testing {

struct PeerIdentity {
    std::string ufrag;
    std::string pwd;
    std::string fingerprintHex;  // SHA-256 of the peer's certificate, as in a=fingerprint
};

// An offer's section (setup actpass), without SSRCs or candidates.
SdpMediaSection browserOfferSection(SdpMediaKind kind, const std::string& mid, SdpDirection direction,
                                    const PeerIdentity& peer);

}  // namespace parley::media::testing
