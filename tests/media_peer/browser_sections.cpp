#include "browser_sections.hpp"

namespace parley::media::testing {

SdpMediaSection browserOfferSection(SdpMediaKind kind, const std::string& mid, SdpDirection direction,
                                    const PeerIdentity& peer) {
    SdpMediaSection m;
    m.kind = kind;
    m.media = kind == SdpMediaKind::Audio ? "audio" : "video";
    m.port = 9;
    m.connection = "IN IP4 0.0.0.0";
    m.mid = mid;
    m.direction = direction;
    m.iceUfrag = peer.ufrag;
    m.icePwd = peer.pwd;
    m.fingerprint = SdpFingerprint{"sha-256", peer.fingerprintHex};
    m.setup = SdpSetup::ActPass;
    m.rtcpMux = true;
    SdpCodec codec;
    codec.hasRtpmap = true;
    if (kind == SdpMediaKind::Audio) {
        codec.payloadType = 111;
        codec.name = "opus";
        codec.clockRate = 48000;
        codec.channels = 2;
        codec.fmtp = "minptime=10;useinbandfec=1";
    } else {
        codec.payloadType = 96;
        codec.name = "VP8";
        codec.clockRate = 90000;
        codec.feedback = {{"nack", ""}, {"nack", "pli"}, {"ccm", "fir"}};
    }
    m.formats = {std::to_string(codec.payloadType)};
    m.codecs = {codec};
    return m;
}

}  // namespace parley::media::testing
