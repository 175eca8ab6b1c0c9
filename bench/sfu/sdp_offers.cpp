#include "sdp_offers.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "browser_sections.hpp"
#include "media/sdp.hpp"

namespace parley::bench::sfu {
namespace {

using media::SdpMediaKind;

media::SdpCandidate hostCandidate(const BenchPeer& peer) {
    media::SdpCandidate c;
    c.foundation = "1";
    c.component = 1;
    c.transport = "udp";
    c.priority = 2130706431;
    const auto& a = peer.localAddress();
    c.address = std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." +
                std::to_string(a[3]);
    c.port = peer.localPort();
    c.type = "host";
    return c;
}

media::SdpMediaSection section(const BenchPeer& peer, const std::string& mid, SdpMediaKind kind,
                               media::SdpDirection direction, bool withCandidate) {
    auto m = media::testing::browserOfferSection(
        kind, mid, direction, {peer.ice().ufrag, peer.ice().pwd, peer.certificate().fingerprint().hex()});
    if (withCandidate) {
        m.candidates = {hostCandidate(peer)};
        m.endOfCandidates = true;
    }
    return m;
}

media::SessionDescription session(std::vector<std::string> mids) {
    media::SessionDescription d;
    d.origin.sessionId = "4242";
    d.origin.sessionVersion = 1;
    d.groups = {{"BUNDLE", std::move(mids)}};
    return d;
}

}  // namespace

std::optional<std::array<std::uint8_t, 4>> parseIpv4(const std::string& text) {
    in_addr a{};
    if (::inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
    std::array<std::uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &a.s_addr, 4);
    return bytes;
}

std::string publishingOffer(const BenchPeer& peer, const WorkloadSpec& spec, bool withCandidate) {
    auto offer = session({"0", "1"});
    offer.msidSemantic = media::SdpMsidSemantic{"WMS", {"s"}};
    auto audio = section(peer, "0", SdpMediaKind::Audio, media::SdpDirection::SendOnly, withCandidate);
    audio.msids = {{"s", "t0"}};
    audio.ssrcs = {{spec.audioSsrc, {{"cname", "bench"}}}};
    auto video = section(peer, "1", SdpMediaKind::Video, media::SdpDirection::SendOnly, withCandidate);
    video.msids = {{"s", "t1"}};
    // One layer today; simulcast would add a=rid lines and a=simulcast here.
    for (const auto& layer : spec.layers) video.ssrcs.push_back({layer.ssrc, {{"cname", "bench"}}});
    offer.media = {audio, video};
    return media::serializeSdp(offer);
}

std::string receivingOffer(const BenchPeer& peer, bool withCandidate) {
    auto offer = session({"0", "1"});
    offer.media = {section(peer, "0", SdpMediaKind::Audio, media::SdpDirection::RecvOnly, withCandidate),
                   section(peer, "1", SdpMediaKind::Video, media::SdpDirection::RecvOnly, withCandidate)};
    return media::serializeSdp(offer);
}

std::optional<std::string> answerTo(const BenchPeer& peer, const std::string& offerSdp, bool withCandidate,
                                    std::string& error) {
    auto parsed = media::parseSdp(offerSdp);
    if (!parsed.ok()) {
        error = "the server's offer does not parse: " + parsed.error + " (line " + std::to_string(parsed.line) + ")";
        return std::nullopt;
    }
    auto answer = *parsed.description;
    answer.iceLite = false;
    answer.iceUfrag.reset();
    answer.icePwd.reset();
    answer.fingerprint.reset();
    answer.setup.reset();
    answer.iceOptions.reset();
    for (auto& m : answer.media) {
        m.direction = media::reversed(m.direction);
        m.setup = media::SdpSetup::Active;
        m.iceUfrag = peer.ice().ufrag;
        m.icePwd = peer.ice().pwd;
        m.iceOptions.reset();
        m.fingerprint = media::SdpFingerprint{"sha-256", peer.certificate().fingerprint().hex()};
        m.candidates.clear();
        m.endOfCandidates = false;
        m.ssrcs.clear();
        m.ssrcGroups.clear();
        m.msids.clear();
        if (withCandidate && !m.rejected()) {
            m.candidates = {hostCandidate(peer)};
            m.endOfCandidates = true;
        }
    }
    return media::serializeSdp(answer);
}

std::optional<RemoteEnd> serverEndOf(const std::string& sdp, bool weOffered, std::string& error) {
    auto parsed = media::parseSdp(sdp);
    if (!parsed.ok()) {
        error = "the server's SDP does not parse: " + parsed.error + " (line " + std::to_string(parsed.line) + ")";
        return std::nullopt;
    }
    const auto& d = *parsed.description;
    if (d.media.empty()) {
        error = "the server's SDP has no media section";
        return std::nullopt;
    }
    const auto& m = d.media.front();
    const auto ufrag = d.iceUfragOf(m);
    const auto pwd = d.icePwdOf(m);
    const auto fp = d.fingerprintOf(m);
    if (!ufrag || !pwd || !fp) {
        error = "the server's SDP lacks ICE credentials or a fingerprint";
        return std::nullopt;
    }
    auto fingerprint = media::CertificateFingerprint::parse(fp->algorithm, fp->value);
    if (!fingerprint) {
        error = "the server's fingerprint does not parse";
        return std::nullopt;
    }
    RemoteEnd end;
    end.ice = {*ufrag, *pwd};
    end.fingerprint = *fingerprint;
    // 127.0.0.1 if listed, else the first IPv4 UDP host candidate.
    for (const auto& section : d.media) {
        for (const auto& c : section.candidates) {
            const auto address = parseIpv4(c.address);
            if (!address || (c.transport != "udp" && c.transport != "UDP")) continue;
            if (end.port == 0 || c.address == "127.0.0.1") {
                end.address = *address;
                end.port = c.port;
            }
        }
    }
    const auto setup = d.setupOf(m).value_or(media::SdpSetup::ActPass);
    // Whoever is not active is the DTLS server; an offerer's actpass leaves the choice to the
    // answerer (we answer active: client), an answerer's passive makes us the client.
    if (weOffered) {
        end.ourDtlsRole = setup == media::SdpSetup::Active ? media::DtlsRole::Server : media::DtlsRole::Client;
    } else {
        end.ourDtlsRole = media::DtlsRole::Client;
    }
    // The offerer controls ICE; an ICE-lite server never does.
    end.controlling = weOffered || d.iceLite;
    return end;
}

}  // namespace parley::bench::sfu
