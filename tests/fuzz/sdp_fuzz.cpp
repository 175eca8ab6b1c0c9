// Any bytes: parseSdp never crashes; what it accepts serializes to text that parses back to the
// same description; the negotiator copes with whatever parses (and its output parses too).
#include "media/sdp.hpp"
#include "media/sdp_negotiator.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace parley::media;

namespace {

void mustReparse(const SessionDescription& d) {
    const auto again = parseSdp(serializeSdp(d));
    if (!again.ok() || !(*again.description == d)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parsed = parseSdp(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!parsed.ok()) return 0;
    const SessionDescription& d = *parsed.description;
    mustReparse(d);

    ServerTransportParams p;
    p.iceUfrag = "fuzz";
    p.icePwd = "fuzzfuzzfuzzfuzzfuzzfuzz";
    p.fingerprintSha256 = "00:11";
    p.addresses = {"192.0.2.1"};
    p.port = 40000;
    const auto answer = answerPublisherOffer(d, p);
    if (!answer.ok()) return 0;
    mustReparse(*answer.description);

    OutgoingTrack audio{SdpMediaKind::Audio, "", 1, 0, "s", "a", "c"};
    OutgoingTrack video{SdpMediaKind::Video, "", 2, 3, "s", "v", "c"};
    const auto offer = makeSubscriberOffer(*answer.description, d, {audio, video}, p);
    if (offer.ok()) mustReparse(*offer.description);
    return 0;
}
