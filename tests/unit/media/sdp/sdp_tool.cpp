// Command-line face of the SDP negotiator for accept_check.mjs, which feeds what the server
// writes back into a real browser. Not part of the server.
//   parley_sdp_tool answer <offer.sdp> [N]                  -> the server's answer, sending N
//                                                             people on mids s1..s<2N>
//   parley_sdp_tool subscribe <server.sdp> <browser.sdp> N  -> a re-offer sending N remote people
//                                                             (audio + video each)
#include "media/sdp_negotiator.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace parley::media;

namespace {

SessionDescription load(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto r = parseSdp(text.str());
    if (!r.ok()) {
        std::cerr << path << ": line " << r.line << ": " << r.error << "\n";
        std::exit(2);
    }
    return *r.description;
}

ServerTransportParams params(std::uint64_t version) {
    ServerTransportParams p;
    p.iceUfrag = "srvU";
    p.icePwd = "serverpasswordserverpass";
    p.fingerprintSha256 =
        "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";
    p.addresses = {"127.0.0.1"};
    p.port = 40000;
    p.sessionId = "4242";
    p.sessionVersion = version;
    return p;
}

std::vector<OutgoingTrack> people(int count) {
    std::vector<OutgoingTrack> tracks;
    for (int i = 0; i < count; ++i) {
        const std::string who = "person" + std::to_string(i);
        const auto base = static_cast<std::uint32_t>(1000 * (i + 1));
        tracks.push_back({SdpMediaKind::Audio, "", base + 1, 0, who, who + "-mic", who + "-cname"});
        tracks.push_back({SdpMediaKind::Video, "", base + 2, base + 3, who, who + "-cam", who + "-cname"});
    }
    return tracks;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    NegotiationResult r;
    if (mode == "answer" && (argc == 3 || argc == 4)) {
        auto tracks = people(argc == 4 ? std::atoi(argv[3]) : 0);
        for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i].mid = "s" + std::to_string(i + 1);
        const SessionDescription offer = load(argv[2]);
        r = answerPublisherOffer(offer, params(offer.origin.sessionVersion + 100), tracks);
    } else if (mode == "subscribe" && argc == 5) {
        const SessionDescription server = load(argv[2]);
        r = makeSubscriberOffer(server, load(argv[3]), people(std::atoi(argv[4])),
                                params(server.origin.sessionVersion + 1));
    } else {
        std::cerr << "usage: parley_sdp_tool answer <offer> | subscribe <server> <browser> <people>\n";
        return 2;
    }
    if (!r.ok()) {
        std::cerr << r.error << "\n";
        return 1;
    }
    std::cout << serializeSdp(*r.description);
    return 0;
}
