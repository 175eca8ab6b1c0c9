#include "media/sdp_negotiator.hpp"

#include "sdp_test_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace parley::media;
using parley::media::test::readSdpFile;

namespace {

SessionDescription browserSdp(const std::string& name) {
    auto r = parseSdp(readSdpFile(name));
    EXPECT_TRUE(r.ok()) << name << ": " << r.error;
    return r.description.value_or(SessionDescription{});
}

ServerTransportParams serverParams() {
    ServerTransportParams p;
    p.iceUfrag = "srvU";
    p.icePwd = "serverpasswordserverpass";
    p.fingerprintSha256 =
        "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";
    p.addresses = {"192.0.2.10", "198.51.100.20"};
    p.port = 40000;
    p.sessionId = "4242";
    p.sessionVersion = 1;
    return p;
}

// What the answer says, parsed back: also proves the output is SDP our own parser accepts.
SessionDescription reparsed(const NegotiationResult& r) {
    EXPECT_TRUE(r.ok()) << r.error;
    if (!r.ok()) return {};
    auto again = parseSdp(serializeSdp(*r.description));
    EXPECT_TRUE(again.ok()) << again.error;
    EXPECT_EQ(*again.description, *r.description);
    return again.description.value_or(SessionDescription{});
}

std::vector<std::string> payloadTypes(const SdpMediaSection& m) { return m.formats; }

std::vector<std::pair<int, std::string>> extmapIds(const SdpMediaSection& m) {
    std::vector<std::pair<int, std::string>> out;
    for (const auto& e : m.extmaps) out.emplace_back(e.id, e.uri);
    return out;
}

OutgoingTrack track(SdpMediaKind kind, std::string trackId, std::uint32_t ssrc, std::uint32_t rtx = 0) {
    OutgoingTrack t;
    t.kind = kind;
    t.ssrc = ssrc;
    t.rtxSsrc = rtx;
    t.streamId = "alice";
    t.trackId = std::move(trackId);
    t.cname = "alice-cname";
    return t;
}

}  // namespace

TEST(SdpNegotiator, AnswersChromiumOfferWithOpusAndVp8) {
    const SessionDescription offer = browserSdp("chromium-offer-audio-video.sdp");
    const SessionDescription a = reparsed(answerPublisherOffer(offer, serverParams()));
    EXPECT_TRUE(a.iceLite);
    ASSERT_NE(a.bundleGroup(), nullptr);
    EXPECT_EQ(a.bundleGroup()->ids, (std::vector<std::string>{"0", "1"}));
    EXPECT_TRUE(a.extmapAllowMixed);
    ASSERT_EQ(a.media.size(), 2u);

    const SdpMediaSection& audio = a.media[0];
    EXPECT_EQ(audio.mid, "0");
    EXPECT_EQ(audio.port, 40000);
    EXPECT_EQ(audio.direction, SdpDirection::RecvOnly);  // the server has nothing to send yet
    EXPECT_EQ(payloadTypes(audio), (std::vector<std::string>{"111"}));
    EXPECT_EQ(audio.codecs[0].fmtp, "minptime=10;useinbandfec=1");
    EXPECT_EQ(audio.codecs[0].feedback, (std::vector<SdpRtcpFeedback>{{"transport-cc", ""}}));
    EXPECT_EQ(extmapIds(audio), (std::vector<std::pair<int, std::string>>{
                                    {1, extmap_uri::kAudioLevel},
                                    {2, extmap_uri::kAbsSendTime},
                                    {3, extmap_uri::kTransportWideCc},
                                    {4, extmap_uri::kMid}}));
    EXPECT_EQ(audio.setup, SdpSetup::Passive);
    EXPECT_EQ(audio.iceUfrag, "srvU");
    EXPECT_EQ(audio.icePwd, "serverpasswordserverpass");
    ASSERT_TRUE(audio.fingerprint);
    EXPECT_EQ(audio.fingerprint->algorithm, "sha-256");
    EXPECT_TRUE(audio.rtcpMux);
    EXPECT_TRUE(audio.rtcpRsize);
    ASSERT_EQ(audio.candidates.size(), 2u);
    EXPECT_EQ(audio.candidates[0].address, "192.0.2.10");
    EXPECT_EQ(audio.candidates[0].port, 40000);
    EXPECT_EQ(audio.candidates[0].type, "host");
    EXPECT_EQ(audio.candidates[0].transport, "udp");
    EXPECT_GT(audio.candidates[0].priority, audio.candidates[1].priority);
    EXPECT_TRUE(audio.endOfCandidates);
    EXPECT_TRUE(audio.ssrcs.empty());

    const SdpMediaSection& video = a.media[1];
    EXPECT_EQ(payloadTypes(video), (std::vector<std::string>{"96", "97"}));
    EXPECT_EQ(video.codecs[1].fmtp, "apt=96");
    EXPECT_EQ(video.codecs[0].feedback,
              (std::vector<SdpRtcpFeedback>{{"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}}));
    EXPECT_EQ(extmapIds(video), (std::vector<std::pair<int, std::string>>{
                                    {2, extmap_uri::kAbsSendTime},
                                    {3, extmap_uri::kTransportWideCc},
                                    {4, extmap_uri::kMid},
                                    {10, extmap_uri::kRid},
                                    {11, extmap_uri::kRepairedRid}}));
    EXPECT_TRUE(video.rids.empty());
}

TEST(SdpNegotiator, AnswersFirefoxOfferWithItsPayloadTypesAndIds) {
    const SessionDescription offer = browserSdp("firefox-offer-audio-video.sdp");
    const SessionDescription a = reparsed(answerPublisherOffer(offer, serverParams()));
    ASSERT_EQ(a.media.size(), 2u);
    EXPECT_EQ(a.bundleGroup()->ids, (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(payloadTypes(a.media[0]), (std::vector<std::string>{"109"}));
    // csrc-audio-level (2/recvonly) is not supported, so it is left out.
    EXPECT_EQ(extmapIds(a.media[0]), (std::vector<std::pair<int, std::string>>{
                                         {1, extmap_uri::kAudioLevel}, {3, extmap_uri::kMid}, {7, extmap_uri::kTransportWideCc}}));
    EXPECT_EQ(payloadTypes(a.media[1]), (std::vector<std::string>{"120", "124"}));
    EXPECT_EQ(a.media[1].codecs[1].fmtp, "apt=120");
    EXPECT_EQ(extmapIds(a.media[1]), (std::vector<std::pair<int, std::string>>{
                                         {3, extmap_uri::kMid}, {4, extmap_uri::kAbsSendTime}, {7, extmap_uri::kTransportWideCc}}));
    EXPECT_FALSE(a.extmapAllowMixed);  // Firefox says it per section only
}

TEST(SdpNegotiator, AnswersSimulcastWithRecvRidsAndRejectsDataChannels) {
    const SessionDescription offer = browserSdp("chromium-offer-simulcast.sdp");
    const SessionDescription a = reparsed(answerPublisherOffer(offer, serverParams()));
    ASSERT_EQ(a.media.size(), 3u);
    EXPECT_EQ(a.bundleGroup()->ids, (std::vector<std::string>{"0", "1"}));
    const SdpMediaSection& video = a.media[1];
    EXPECT_EQ(video.direction, SdpDirection::RecvOnly);
    ASSERT_EQ(video.rids.size(), 3u);
    EXPECT_EQ(video.rids[0], (SdpRid{"q", false, ""}));
    ASSERT_TRUE(video.simulcast);
    EXPECT_EQ(video.simulcast->recv, (std::vector<std::string>{"q", "h", "f"}));
    EXPECT_TRUE(video.simulcast->send.empty());
    const SdpMediaSection& data = a.media[2];
    EXPECT_TRUE(data.rejected());
    EXPECT_EQ(data.mid, "2");
    EXPECT_EQ(data.formats, (std::vector<std::string>{"webrtc-datachannel"}));
    EXPECT_TRUE(data.candidates.empty());
}

TEST(SdpNegotiator, SendsWhereTheBrowserOffersToReceive) {
    const SessionDescription offer = browserSdp("chromium-offer-recvonly.sdp");
    OutgoingTrack video = track(SdpMediaKind::Video, "alice-cam", 1111, 2222);
    video.mid = "1";
    const NegotiationResult r = answerPublisherOffer(offer, serverParams(), {video});
    const SessionDescription a = reparsed(r);
    ASSERT_EQ(a.media.size(), 2u);
    EXPECT_EQ(a.media[0].direction, SdpDirection::Inactive);  // recvonly offered, nothing to send
    EXPECT_FALSE(a.media[0].rejected());
    const SdpMediaSection& v = a.media[1];
    EXPECT_EQ(v.direction, SdpDirection::SendOnly);
    ASSERT_EQ(v.msids.size(), 1u);
    EXPECT_EQ(v.msids[0], (SdpMsid{"alice", "alice-cam"}));
    ASSERT_EQ(v.ssrcGroups.size(), 1u);
    EXPECT_EQ(v.ssrcGroups[0], (SdpSsrcGroup{"FID", {1111, 2222}}));
    ASSERT_EQ(v.ssrcs.size(), 2u);
    EXPECT_EQ(v.ssrcs[1].attribute("cname"), "alice-cname");
    EXPECT_EQ(v.ssrcs[1].attribute("msid"), "alice alice-cam");
    // rid/repaired-rid are for what the browser sends; it sends nothing here.
    EXPECT_EQ(v.extmap(extmap_uri::kRid), nullptr);

    OutgoingTrack wrong = video;
    wrong.kind = SdpMediaKind::Audio;
    EXPECT_FALSE(answerPublisherOffer(offer, serverParams(), {wrong}).ok());
    OutgoingTrack nowhere = video;
    nowhere.mid = "7";
    EXPECT_FALSE(answerPublisherOffer(offer, serverParams(), {nowhere}).ok());
}

TEST(SdpNegotiator, SendrecvOfferBecomesSendrecvWhenTheServerSendsThere) {
    const SessionDescription offer = browserSdp("firefox-offer-audio-video.sdp");
    OutgoingTrack audio = track(SdpMediaKind::Audio, "bob-mic", 3333);
    audio.mid = "0";
    const SessionDescription a = reparsed(answerPublisherOffer(offer, serverParams(), {audio}));
    EXPECT_EQ(a.media[0].direction, SdpDirection::SendRecv);
    EXPECT_EQ(a.media[1].direction, SdpDirection::RecvOnly);
    EXPECT_TRUE(a.media[0].ssrcGroups.empty());
}

TEST(SdpNegotiator, RefusesOffersItCannotAnswer) {
    SessionDescription offer = browserSdp("chromium-offer-audio-video.sdp");
    SessionDescription noMid = offer;
    noMid.media[0].mid.clear();
    EXPECT_FALSE(answerPublisherOffer(noMid, serverParams()).ok());
    SessionDescription noFingerprint = offer;
    noFingerprint.media[1].fingerprint.reset();
    EXPECT_FALSE(answerPublisherOffer(noFingerprint, serverParams()).ok());
    SessionDescription passive = offer;
    passive.media[0].setup = SdpSetup::Passive;
    const auto r = answerPublisherOffer(passive, serverParams());
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("passive"), std::string::npos);
}

TEST(SdpNegotiator, RejectsSectionsWithoutASupportedCodecOrRtcpMux) {
    SessionDescription offer = browserSdp("chromium-offer-audio-video.sdp");
    offer.media[0].rtcpMux = false;
    auto& video = offer.media[1];
    video.codecs.erase(std::remove_if(video.codecs.begin(), video.codecs.end(),
                                      [](const SdpCodec& c) { return c.name == "VP8"; }),
                       video.codecs.end());
    const SessionDescription a = reparsed(answerPublisherOffer(offer, serverParams()));
    EXPECT_TRUE(a.media[0].rejected());
    EXPECT_TRUE(a.media[1].rejected());
    EXPECT_EQ(a.bundleGroup(), nullptr);
}

TEST(SdpNegotiator, GoldenAnswerToChromiumAudioOffer) {
    SessionDescription offer = browserSdp("chromium-offer-audio-video.sdp");
    offer.media.resize(1);
    offer.groups[0].ids = {"0"};
    ServerTransportParams p = serverParams();
    p.addresses = {"192.0.2.10"};
    const NegotiationResult r = answerPublisherOffer(offer, p);
    ASSERT_TRUE(r.ok()) << r.error;
    // Reviewed by hand against RFC 8829 (JSEP) 5.3.1 and checked in Chromium by accept_check.mjs.
    const char* const lines[] = {
        "v=0",
        "o=- 4242 1 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=ice-lite",
        "a=group:BUNDLE 0",
        "a=extmap-allow-mixed",
        "a=msid-semantic:WMS *",
        "m=audio 40000 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 192.0.2.10",
        "a=ice-ufrag:srvU",
        "a=ice-pwd:serverpasswordserverpass",
        "a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00",
        "a=setup:passive",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=recvonly",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host",
        "a=end-of-candidates",
    };
    std::string golden;
    for (const char* line : lines) golden += std::string(line) + "\r\n";
    EXPECT_EQ(serializeSdp(*r.description), golden);
}
