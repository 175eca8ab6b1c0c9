#pragma once
// The SDP the load tool's endpoints write and read, as a browser's would look to the server:
// a publisher's offer (Opus and VP8, send-only, BUNDLE, rtcp-mux), a receive-only offer for a
// subscriber (Parley fills it with the publisher's tracks), an answer mirroring a server's
// offer (Janus offers its subscribers), and the server end read from the server's SDP.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench_peer.hpp"
#include "workload.hpp"

namespace parley::bench::sfu {

// "192.0.2.7" as four bytes; nullopt for anything else (IPv6, an mDNS name).
std::optional<std::array<std::uint8_t, 4>> parseIpv4(const std::string& text);

// `withCandidate`: list the peer's host candidate (a full agent such as Janus checks it).
std::string publishingOffer(const BenchPeer& peer, const WorkloadSpec& spec, bool withCandidate);
std::string receivingOffer(const BenchPeer& peer, bool withCandidate);
// Every section mirrored (direction reversed, setup active: the peer is the DTLS client),
// with the peer's credentials; nullopt if the offer does not parse (`error` says why).
std::optional<std::string> answerTo(const BenchPeer& peer, const std::string& offer, bool withCandidate,
                                    std::string& error);

// The server's ICE credentials, fingerprint and first UDP host candidate on 127.0.0.1 (port 0
// when the SDP lists none: it may come by trickle), and which DTLS role the peer takes.
// `weOffered`: the SDP is an answer to our offer (then the server's setup decides the role).
std::optional<RemoteEnd> serverEndOf(const std::string& sdp, bool weOffered, std::string& error);

}  // namespace parley::bench::sfu
