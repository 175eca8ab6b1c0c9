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
    // Reviewed by hand against RFC 8829 (JSEP) 5.3.1; accept_check.mjs feeds answers of this shape
    // to Chromium and Firefox.
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

namespace {

// The first exchange of a Chromium publisher: its offer and the server's answer.
struct Exchange {
    SessionDescription browserOffer;
    SessionDescription serverAnswer;
};

Exchange chromiumPublished() {
    Exchange e{browserSdp("chromium-offer-audio-video.sdp"), {}};
    const auto r = answerPublisherOffer(e.browserOffer, serverParams());
    EXPECT_TRUE(r.ok()) << r.error;
    e.serverAnswer = r.description.value_or(SessionDescription{});
    return e;
}

std::vector<OutgoingTrack> person(const std::string& who, std::uint32_t base) {
    std::vector<OutgoingTrack> t = {track(SdpMediaKind::Audio, who + "-mic", base + 1),
                                    track(SdpMediaKind::Video, who + "-cam", base + 2, base + 3)};
    for (auto& x : t) {
        x.streamId = who;
        x.cname = who + "-cname";
    }
    return t;
}

std::vector<std::string> mids(const SessionDescription& d) {
    std::vector<std::string> out;
    for (const auto& m : d.media) out.push_back(m.mid);
    return out;
}

}  // namespace

TEST(SdpNegotiator, SubscriberOfferAppendsSendonlySectionsAfterThePublishedOnes) {
    const Exchange e = chromiumPublished();
    ServerTransportParams p = serverParams();
    p.sessionVersion = 2;
    const NegotiationResult r = makeSubscriberOffer(e.serverAnswer, e.browserOffer, person("bob", 100), p);
    const SessionDescription o = reparsed(r);
    EXPECT_EQ(o.origin.sessionVersion, 2u);
    EXPECT_EQ(mids(o), (std::vector<std::string>{"0", "1", "s1", "s2"}));
    ASSERT_NE(o.bundleGroup(), nullptr);
    EXPECT_EQ(o.bundleGroup()->ids, mids(o));
    ASSERT_EQ(r.tracks.size(), 2u);
    EXPECT_EQ(r.tracks[0].mid, "s1");
    EXPECT_EQ(r.tracks[1].mid, "s2");
    for (const auto& m : o.media) EXPECT_EQ(m.setup, SdpSetup::ActPass) << m.mid;
    // The browser's own sections still receive only.
    EXPECT_EQ(o.media[0].direction, SdpDirection::RecvOnly);
    EXPECT_EQ(o.media[1].direction, SdpDirection::RecvOnly);
    EXPECT_TRUE(o.media[0].ssrcs.empty());

    const SdpMediaSection& audio = o.media[2];
    EXPECT_EQ(audio.kind, SdpMediaKind::Audio);
    EXPECT_EQ(audio.direction, SdpDirection::SendOnly);
    EXPECT_EQ(payloadTypes(audio), (std::vector<std::string>{"111"}));
    EXPECT_EQ(extmapIds(audio), extmapIds(e.serverAnswer.media[0]));
    EXPECT_EQ(audio.msids, (std::vector<SdpMsid>{{"bob", "bob-mic"}}));
    ASSERT_EQ(audio.ssrcs.size(), 1u);
    EXPECT_EQ(audio.ssrcs[0].ssrc, 101u);
    EXPECT_EQ(audio.ssrcs[0].attribute("cname"), "bob-cname");

    const SdpMediaSection& video = o.media[3];
    EXPECT_EQ(payloadTypes(video), (std::vector<std::string>{"96", "97"}));
    EXPECT_EQ(video.ssrcGroups, (std::vector<SdpSsrcGroup>{{"FID", {102, 103}}}));
    EXPECT_EQ(video.msids, (std::vector<SdpMsid>{{"bob", "bob-cam"}}));
    EXPECT_EQ(video.extmap(extmap_uri::kRid), nullptr);
    EXPECT_NE(video.extmap(extmap_uri::kTransportWideCc), nullptr);
    EXPECT_FALSE(video.candidates.empty());
}

TEST(SdpNegotiator, SubscriberOfferKeepsMidsStableAndRecyclesEndedSlots) {
    const Exchange e = chromiumPublished();
    const auto bob = person("bob", 100);
    const auto carol = person("carol", 200);
    std::vector<OutgoingTrack> both = bob;
    both.insert(both.end(), carol.begin(), carol.end());
    const NegotiationResult first = makeSubscriberOffer(e.serverAnswer, e.browserOffer, both, serverParams());
    ASSERT_TRUE(first.ok()) << first.error;
    EXPECT_EQ(mids(*first.description), (std::vector<std::string>{"0", "1", "s1", "s2", "s3", "s4"}));

    // Bob leaves: his sections stay (JSEP never removes one) but go inactive; Carol keeps hers.
    const NegotiationResult second = makeSubscriberOffer(*first.description, e.browserOffer, carol, serverParams());
    const SessionDescription o2 = reparsed(second);
    EXPECT_EQ(mids(o2), mids(*first.description));
    EXPECT_EQ(o2.media[2].direction, SdpDirection::Inactive);
    EXPECT_EQ(o2.media[3].direction, SdpDirection::Inactive);
    EXPECT_FALSE(o2.media[2].rejected());
    EXPECT_TRUE(o2.media[2].msids.empty());
    EXPECT_TRUE(o2.media[3].ssrcs.empty());
    EXPECT_EQ(o2.media[4].direction, SdpDirection::SendOnly);
    EXPECT_EQ(o2.media[4].msids, (std::vector<SdpMsid>{{"carol", "carol-mic"}}));
    ASSERT_EQ(second.tracks.size(), 2u);
    EXPECT_EQ(second.tracks[0].mid, "s3");
    EXPECT_EQ(second.tracks[1].mid, "s4");

    // Dave joins: he gets Bob's old slots, nothing is appended.
    std::vector<OutgoingTrack> carolDave = carol;
    const auto dave = person("dave", 300);
    carolDave.insert(carolDave.end(), dave.begin(), dave.end());
    const NegotiationResult third = makeSubscriberOffer(*second.description, e.browserOffer, carolDave, serverParams());
    const SessionDescription o3 = reparsed(third);
    EXPECT_EQ(mids(o3), mids(*first.description));
    EXPECT_EQ(o3.media[2].msids, (std::vector<SdpMsid>{{"dave", "dave-mic"}}));
    EXPECT_EQ(o3.media[3].msids, (std::vector<SdpMsid>{{"dave", "dave-cam"}}));
    EXPECT_EQ(o3.media[3].direction, SdpDirection::SendOnly);
    ASSERT_EQ(third.tracks.size(), 4u);
    EXPECT_EQ(third.tracks[2].mid, "s1");
    EXPECT_EQ(third.tracks[3].mid, "s2");
}

TEST(SdpNegotiator, SubscriberOfferHonoursAGivenMidAndRefusesAKindMismatch) {
    const Exchange e = chromiumPublished();
    auto bob = person("bob", 100);
    bob[0].mid = "s9";
    const NegotiationResult r = makeSubscriberOffer(e.serverAnswer, e.browserOffer, bob, serverParams());
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(mids(*r.description), (std::vector<std::string>{"0", "1", "s9", "s1"}));

    auto wrong = person("bob", 100);
    wrong[0].mid = "1";  // the browser's camera section is video; an audio track cannot go there
    EXPECT_FALSE(makeSubscriberOffer(e.serverAnswer, e.browserOffer, wrong, serverParams()).ok());
    auto twice = person("bob", 100);
    twice[0].mid = twice[1].mid = "s5";
    EXPECT_FALSE(makeSubscriberOffer(e.serverAnswer, e.browserOffer, twice, serverParams()).ok());
}

TEST(SdpNegotiator, SubscriberOfferKeepsRejectedSectionsRejected) {
    const SessionDescription offer = browserSdp("chromium-offer-simulcast.sdp");
    const auto answer = answerPublisherOffer(offer, serverParams());
    ASSERT_TRUE(answer.ok()) << answer.error;
    const SessionDescription o =
        reparsed(makeSubscriberOffer(*answer.description, offer, person("bob", 100), serverParams()));
    EXPECT_EQ(mids(o), (std::vector<std::string>{"0", "1", "2", "s1", "s2"}));
    EXPECT_TRUE(o.media[2].rejected());
    ASSERT_NE(o.bundleGroup(), nullptr);
    EXPECT_EQ(o.bundleGroup()->ids, (std::vector<std::string>{"0", "1", "s1", "s2"}));
    // The simulcast the browser sends is still received under the same rids.
    ASSERT_TRUE(o.media[1].simulcast);
    EXPECT_EQ(o.media[1].simulcast->recv, (std::vector<std::string>{"q", "h", "f"}));

    auto intoRejected = person("bob", 100);
    intoRejected[0].mid = "2";
    EXPECT_FALSE(makeSubscriberOffer(*answer.description, offer, intoRejected, serverParams()).ok());
}

TEST(SdpNegotiator, SubscriberOfferForABrowserThatNeverOfferedVideoPicksFreeNumbers) {
    SessionDescription offer = browserSdp("chromium-offer-audio-video.sdp");
    offer.media.resize(1);  // audio only
    offer.groups[0].ids = {"0"};
    const auto answer = answerPublisherOffer(offer, serverParams());
    ASSERT_TRUE(answer.ok()) << answer.error;
    const SessionDescription o =
        reparsed(makeSubscriberOffer(*answer.description, offer, person("bob", 100), serverParams()));
    ASSERT_EQ(o.media.size(), 3u);
    const SdpMediaSection& video = o.media[2];
    ASSERT_EQ(video.codecs.size(), 2u);
    EXPECT_EQ(video.codecs[0].name, "VP8");
    EXPECT_EQ(video.codecs[0].payloadType, 96);  // unused by the browser's audio section
    EXPECT_EQ(video.codecs[1].payloadType, 97);
    EXPECT_EQ(video.codecs[1].fmtpParameter("apt"), "96");
    // abs-send-time, transport-cc and mid reuse the audio ids: one id per URI in the BUNDLE.
    ASSERT_NE(video.extmap(extmap_uri::kMid), nullptr);
    EXPECT_EQ(video.extmap(extmap_uri::kMid)->id, 4);
    EXPECT_EQ(video.extmap(extmap_uri::kTransportWideCc)->id, 3);
}

TEST(SdpNegotiator, AnswersFirefoxReofferWhoseBundledSectionsHavePortZero) {
    // Firefox, after the server added three people on s1..s6, started a screen share: it reused
    // the recvonly video transceiver s2 (addTrack does that) and wrote port 0 + a=bundle-only on
    // every section but the first.
    const SessionDescription offer = browserSdp("firefox-reoffer-bundle-only.sdp");
    ASSERT_EQ(offer.media.size(), 8u);
    EXPECT_EQ(offer.media[2].port, 0);
    EXPECT_TRUE(offer.media[2].bundleOnly);
    EXPECT_FALSE(offer.media[2].rejected());
    std::vector<OutgoingTrack> sending;
    for (int i = 0; i < 3; ++i) {
        auto p = person("person" + std::to_string(i), 1000 * (i + 1));
        p[0].mid = "s" + std::to_string(2 * i + 1);
        p[1].mid = "s" + std::to_string(2 * i + 2);
        sending.insert(sending.end(), p.begin(), p.end());
    }
    const SessionDescription a = reparsed(answerPublisherOffer(offer, serverParams(), sending));
    EXPECT_EQ(mids(a), (std::vector<std::string>{"0", "1", "s1", "s2", "s3", "s4", "s5", "s6"}));
    ASSERT_NE(a.bundleGroup(), nullptr);
    EXPECT_EQ(a.bundleGroup()->ids, mids(a));
    for (const auto& m : a.media) {
        EXPECT_EQ(m.port, 40000) << m.mid;
        EXPECT_FALSE(m.bundleOnly) << m.mid;
    }
    EXPECT_EQ(a.media[2].direction, SdpDirection::SendOnly);
    EXPECT_EQ(a.media[3].direction, SdpDirection::SendRecv);  // the screen comes in on s2
    EXPECT_EQ(a.media[3].msids, (std::vector<SdpMsid>{{"person0", "person0-cam"}}));
}

TEST(SdpNegotiator, SubscriberOfferKeepsSectionsTheBrowserRejectedRejected) {
    const Exchange e = chromiumPublished();
    const NegotiationResult first = makeSubscriberOffer(e.serverAnswer, e.browserOffer, person("bob", 100), serverParams());
    ASSERT_TRUE(first.ok()) << first.error;
    // The browser's answer refused Bob's audio section (s1).
    SessionDescription browserAnswer = *first.description;
    browserAnswer.media[2].port = 0;
    const NegotiationResult second = makeSubscriberOffer(*first.description, browserAnswer, person("bob", 100), serverParams());
    const SessionDescription o = reparsed(second);
    EXPECT_EQ(mids(o), (std::vector<std::string>{"0", "1", "s1", "s2", "s3"}));
    EXPECT_TRUE(o.media[2].rejected());
    EXPECT_EQ(o.media[4].msids, (std::vector<SdpMsid>{{"bob", "bob-mic"}}));
    EXPECT_EQ(second.tracks[0].mid, "s3");
    EXPECT_EQ(second.tracks[1].mid, "s2");
}

TEST(SdpNegotiator, PassiveTcpCandidatesRankBelowEveryUdpOne) {
    SessionDescription offer = browserSdp("chromium-offer-audio-video.sdp");
    ServerTransportParams p = serverParams();
    p.tcp = true;
    const NegotiationResult answer = answerPublisherOffer(offer, p);
    ASSERT_TRUE(answer.ok()) << answer.error;
    const std::string text = serializeSdp(*answer.description);
    // One line per address and protocol, written as RFC 6544 says (tcptype after typ host).
    EXPECT_NE(text.find("a=candidate:3 1 tcp 2124414975 192.0.2.10 40000 typ host tcptype passive\r\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("a=candidate:4 1 tcp 2124414719 198.51.100.20 40000 typ host tcptype passive\r\n"),
              std::string::npos)
        << text;
    for (const SessionDescription& d : {reparsed(answer), reparsed(makeSubscriberOffer(
                                                              *answer.description, offer, {}, p))}) {
        for (const auto& m : d.media) {
            if (m.port == 0) continue;
            ASSERT_EQ(m.candidates.size(), 4u) << m.mid;
            std::uint32_t lowestUdp = UINT32_MAX, highestTcp = 0;
            for (const auto& c : m.candidates) {
                EXPECT_EQ(c.port, 40000);
                EXPECT_EQ(c.type, "host");
                if (c.transport == "udp") lowestUdp = std::min(lowestUdp, c.priority);
                if (c.transport == "tcp") {
                    highestTcp = std::max(highestTcp, c.priority);
                    EXPECT_EQ(c.extensions, "tcptype passive");
                }
            }
            EXPECT_GT(lowestUdp, highestTcp) << m.mid;
        }
    }
    // Off (--media-tcp off): UDP only.
    p.tcp = false;
    for (const auto& m : reparsed(answerPublisherOffer(offer, p)).media) {
        for (const auto& c : m.candidates) EXPECT_EQ(c.transport, "udp");
    }
}
