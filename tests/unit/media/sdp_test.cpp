#include "media/sdp.hpp"

#include "sdp_test_data.hpp"

#include <gtest/gtest.h>

using namespace parley::media;
using parley::media::test::kCapturedSdps;
using parley::media::test::readSdpFile;

namespace {

SessionDescription parsedFile(const std::string& name) {
    const std::string text = readSdpFile(name);
    EXPECT_FALSE(text.empty()) << name;
    auto r = parseSdp(text);
    EXPECT_TRUE(r.ok()) << name << ": line " << r.line << ": " << r.error;
    return r.description.value_or(SessionDescription{});
}

}  // namespace

TEST(Sdp, EveryCapturedSdpParsesAndRoundTrips) {
    for (const char* name : kCapturedSdps) {
        SCOPED_TRACE(name);
        const SessionDescription d = parsedFile(name);
        ASSERT_FALSE(d.media.empty());
        const std::string text = serializeSdp(d);
        const auto again = parseSdp(text);
        ASSERT_TRUE(again.ok()) << again.error;
        EXPECT_EQ(*again.description, d);
        EXPECT_EQ(serializeSdp(*again.description), text);  // stable
    }
}

TEST(Sdp, ChromiumOfferFields) {
    const SessionDescription d = parsedFile("chromium-offer-audio-video.sdp");
    EXPECT_EQ(d.origin.username, "-");
    EXPECT_EQ(d.origin.sessionVersion, 2u);
    ASSERT_NE(d.bundleGroup(), nullptr);
    EXPECT_EQ(d.bundleGroup()->ids, (std::vector<std::string>{"0", "1"}));
    EXPECT_TRUE(d.extmapAllowMixed);
    ASSERT_TRUE(d.msidSemantic);
    EXPECT_EQ(d.msidSemantic->semantics, "WMS");
    EXPECT_EQ(d.msidSemantic->ids.size(), 1u);
    EXPECT_FALSE(d.iceLite);
    ASSERT_EQ(d.media.size(), 2u);

    const SdpMediaSection& audio = d.media[0];
    EXPECT_EQ(audio.kind, SdpMediaKind::Audio);
    EXPECT_EQ(audio.port, 9);
    EXPECT_EQ(audio.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(audio.formats, (std::vector<std::string>{"111", "63", "9", "0", "8", "13", "110", "126"}));
    EXPECT_EQ(audio.mid, "0");
    EXPECT_EQ(audio.direction, SdpDirection::SendRecv);
    EXPECT_EQ(audio.iceUfrag, "HOrs");
    EXPECT_EQ(audio.icePwd, "1NhH1qbIPOu+15DIOnKmLStl");
    EXPECT_EQ(audio.iceOptions, "trickle");
    ASSERT_TRUE(audio.fingerprint);
    EXPECT_EQ(audio.fingerprint->algorithm, "sha-256");
    EXPECT_EQ(audio.fingerprint->value.size(), 32u * 3 - 1);
    EXPECT_EQ(audio.setup, SdpSetup::ActPass);
    EXPECT_TRUE(audio.rtcpMux);
    EXPECT_TRUE(audio.rtcpRsize);
    EXPECT_EQ(audio.rtcp, "9 IN IP4 0.0.0.0");
    ASSERT_EQ(audio.extmaps.size(), 4u);
    EXPECT_EQ(audio.extmaps[0].id, 1);
    EXPECT_EQ(audio.extmaps[0].uri, "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    ASSERT_EQ(audio.codecs.size(), 8u);
    const SdpCodec* opus = audio.codec(111);
    ASSERT_NE(opus, nullptr);
    EXPECT_EQ(opus->name, "opus");
    EXPECT_EQ(opus->clockRate, 48000u);
    EXPECT_EQ(opus->channels, 2);
    EXPECT_EQ(opus->fmtpParameter("minptime"), "10");
    EXPECT_EQ(opus->fmtpParameter("useinbandfec"), "1");
    EXPECT_FALSE(opus->fmtpParameter("stereo"));
    EXPECT_EQ(opus->feedback, (std::vector<SdpRtcpFeedback>{{"transport-cc", ""}}));
    EXPECT_EQ(audio.codec(0)->name, "PCMU");
    EXPECT_EQ(audio.codec(0)->channels, 0);
    ASSERT_EQ(audio.ssrcs.size(), 1u);
    EXPECT_EQ(audio.ssrcs[0].ssrc, 2841962800u);
    EXPECT_EQ(audio.ssrcs[0].attribute("cname"), "8/q58vEciDuhvvK7");
    ASSERT_EQ(audio.msids.size(), 1u);
    EXPECT_EQ(audio.msids[0].streamId, d.msidSemantic->ids[0]);
    EXPECT_EQ(audio.otherAttributes, (std::vector<std::string>{"rtcp-xr:rcvr-rtt=all"}));

    const SdpMediaSection& video = d.media[1];
    EXPECT_EQ(video.kind, SdpMediaKind::Video);
    const SdpCodec* vp8 = video.codec(96);
    ASSERT_NE(vp8, nullptr);
    EXPECT_EQ(vp8->name, "VP8");
    EXPECT_EQ(vp8->feedback.size(), 5u);
    EXPECT_EQ(vp8->feedback[2], (SdpRtcpFeedback{"ccm", "fir"}));
    EXPECT_EQ(video.codec(97)->fmtpParameter("apt"), "96");
    ASSERT_EQ(video.ssrcGroups.size(), 1u);
    EXPECT_EQ(video.ssrcGroups[0].semantics, "FID");
    EXPECT_EQ(video.ssrcGroups[0].ssrcs, (std::vector<std::uint32_t>{2664583548u, 3664690834u}));
    EXPECT_EQ(video.ssrcs.size(), 2u);
    ASSERT_NE(video.extmap("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"), nullptr);
    EXPECT_EQ(video.extmap("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id")->id, 10);
}

TEST(Sdp, ChromiumSimulcastOfferHasRidsAndNoSsrcsForVideo) {
    const SessionDescription d = parsedFile("chromium-offer-simulcast.sdp");
    ASSERT_EQ(d.media.size(), 3u);
    const SdpMediaSection& video = d.media[1];
    EXPECT_EQ(video.direction, SdpDirection::SendOnly);
    ASSERT_EQ(video.rids.size(), 3u);
    EXPECT_EQ(video.rids[0], (SdpRid{"q", true, ""}));
    ASSERT_TRUE(video.simulcast);
    EXPECT_EQ(video.simulcast->send, (std::vector<std::string>{"q", "h", "f"}));
    EXPECT_TRUE(video.simulcast->recv.empty());
    EXPECT_TRUE(video.ssrcs.empty());

    const SdpMediaSection& data = d.media[2];
    EXPECT_EQ(data.kind, SdpMediaKind::Application);
    EXPECT_EQ(data.protocol, "UDP/DTLS/SCTP");
    EXPECT_EQ(data.formats, (std::vector<std::string>{"webrtc-datachannel"}));
    EXPECT_TRUE(data.codecs.empty());
    EXPECT_EQ(data.otherAttributes, (std::vector<std::string>{"sctp-port:5000", "max-message-size:262144"}));
}

TEST(Sdp, FirefoxOfferPutsTransportAtSessionLevelAndWritesFmtpFirst) {
    const SessionDescription d = parsedFile("firefox-offer-audio-video.sdp");
    ASSERT_TRUE(d.fingerprint);
    EXPECT_EQ(d.fingerprint->algorithm, "sha-256");
    EXPECT_EQ(d.iceOptions, "trickle");
    EXPECT_EQ(d.origin.username, "mozilla...THIS_IS_SDPARTA-99.0");
    ASSERT_EQ(d.media.size(), 2u);
    const SdpMediaSection& audio = d.media[0];
    EXPECT_FALSE(audio.fingerprint);
    EXPECT_EQ(d.fingerprintOf(audio), d.fingerprint);
    EXPECT_TRUE(audio.extmapAllowMixed);
    ASSERT_EQ(audio.extmaps.size(), 4u);
    EXPECT_EQ(audio.extmaps[1].direction, SdpDirection::RecvOnly);
    EXPECT_EQ(audio.extmaps[1].id, 2);
    // Codecs follow the m= line, though Firefox writes fmtp and rtcp-fb before rtpmap.
    ASSERT_EQ(audio.codecs.size(), 5u);
    EXPECT_EQ(audio.codecs[0].payloadType, 109);
    EXPECT_EQ(audio.codecs[0].name, "opus");
    EXPECT_EQ(audio.codecs[0].fmtpParameter("stereo"), "1");
    EXPECT_EQ(audio.codecs[4].payloadType, 101);
    EXPECT_EQ(audio.codecs[4].fmtp, "0-15");
    EXPECT_EQ(audio.codecs[4].channels, 1);
    ASSERT_EQ(audio.msids.size(), 1u);
    EXPECT_EQ(audio.msids[0].streamId.front(), '{');

    const SdpMediaSection& video = d.media[1];
    EXPECT_EQ(video.codecs[0].payloadType, 120);
    EXPECT_EQ(video.codecs[0].name, "VP8");
    EXPECT_EQ(video.codec(124)->fmtpParameter("apt"), "120");
    ASSERT_EQ(video.ssrcGroups.size(), 1u);
    EXPECT_EQ(video.ssrcGroups[0].ssrcs, (std::vector<std::uint32_t>{2414558276u, 1717809734u}));
}

TEST(Sdp, RecvonlyOffersAndAnswers) {
    const SessionDescription chromium = parsedFile("chromium-offer-recvonly.sdp");
    ASSERT_EQ(chromium.media.size(), 2u);
    for (const auto& m : chromium.media) {
        EXPECT_EQ(m.direction, SdpDirection::RecvOnly);
        EXPECT_TRUE(m.ssrcs.empty());
        EXPECT_TRUE(m.msids.empty());
    }
    const SessionDescription answer = parsedFile("chromium-answer-to-recvonly.sdp");
    EXPECT_EQ(answer.media[0].direction, SdpDirection::SendOnly);
    EXPECT_EQ(answer.media[0].setup, SdpSetup::Active);
    const SessionDescription firefox = parsedFile("firefox-answer-to-recvonly.sdp");
    EXPECT_EQ(firefox.media[1].direction, SdpDirection::SendOnly);
    EXPECT_EQ(firefox.setupOf(firefox.media[1]), SdpSetup::Active);
}

TEST(Sdp, AcceptsBareLineFeedsAndParsesCandidates) {
    const auto r = parseSdp(
        "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nt=0 0\na=ice-lite\n"
        "m=audio 40000 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 192.0.2.7\n"
        "a=candidate:1 1 udp 2130706431 192.0.2.7 40000 typ host generation 0\n"
        "a=candidate:2 1 UDP 1694498815 198.51.100.1 51000 typ srflx raddr 192.0.2.7 rport 40000\n"
        "a=end-of-candidates\na=rtpmap:111 opus/48000/2\n");
    ASSERT_TRUE(r.ok()) << r.error;
    const auto& m = r.description->media.at(0);
    EXPECT_TRUE(r.description->iceLite);
    EXPECT_EQ(m.port, 40000);
    EXPECT_EQ(m.connection, "IN IP4 192.0.2.7");
    ASSERT_EQ(m.candidates.size(), 2u);
    EXPECT_EQ(m.candidates[0], (SdpCandidate{"1", 1, "udp", 2130706431u, "192.0.2.7", 40000, "host", "generation 0"}));
    EXPECT_EQ(m.candidates[1].type, "srflx");
    EXPECT_EQ(m.candidates[1].extensions, "raddr 192.0.2.7 rport 40000");
    EXPECT_TRUE(m.endOfCandidates);
    EXPECT_NE(serializeSdp(*r.description).find("a=candidate:1 1 udp 2130706431 192.0.2.7 40000 typ host generation 0\r\n"),
              std::string::npos);
}

TEST(Sdp, SerializesWithCrlfInAFixedOrder) {
    const auto r = parseSdp("v=0\r\no=- 5 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                            "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
                            "a=fmtp:97 apt=96\r\na=rtpmap:97 rtx/90000\r\na=rtpmap:96 VP8/90000\r\n"
                            "a=x-custom:keep me\r\na=sendonly\r\na=mid:v\r\n");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(serializeSdp(*r.description),
              "v=0\r\no=- 5 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
              "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
              "a=mid:v\r\na=sendonly\r\n"
              "a=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
              "a=x-custom:keep me\r\n");
}

TEST(Sdp, KeepsLinesForPayloadTypesTheMLineDoesNotList) {
    const auto r = parseSdp("v=0\r\no=- 5 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 111\r\n"
                            "a=rtcp-fb:* nack\r\na=rtpmap:112 foo/8000\r\na=rtpmap:0111 opus/48000/2\r\n");
    ASSERT_TRUE(r.ok()) << r.error;
    const auto& m = r.description->media[0];
    EXPECT_TRUE(m.codecs.empty());
    EXPECT_EQ(m.otherAttributes,
              (std::vector<std::string>{"rtcp-fb:* nack", "rtpmap:112 foo/8000", "rtpmap:0111 opus/48000/2"}));
}

TEST(Sdp, BadInputIsAnErrorWithALine) {
    const std::string head = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    const std::vector<std::pair<std::string, std::size_t>> cases = {
        {"", 0},
        {"o=- 1 1 IN IP4 127.0.0.1\r\n", 1},
        {"v=1\r\n", 1},
        {"v=0\r\no=- 1 x IN IP4 127.0.0.1\r\n", 2},
        {"v=0\r\no=- 1 1 IN IP4\r\n", 2},
        {"v=0\r\nhello\r\n", 2},
        {"v=0\r\nA=b\r\n", 2},
        {head + "m=audio\r\n", 5},
        {head + "m=audio 70000 RTP/AVP 0\r\n", 5},
        {head + "m=audio 9/x RTP/AVP 0\r\n", 5},
        {head + "a=fingerprint:sha-256\r\n", 5},
        {head + "a=setup:sideways\r\n", 5},
        {head + "m=audio 9 RTP/AVP 0\r\na=extmap:0 urn:x\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=extmap:256 urn:x\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=extmap:1/up urn:x\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/x\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000/0\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=rtcp-fb:0\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=ssrc:-1 cname:x\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=ssrc:4294967296 cname:x\r\n", 6},
        {head + "m=audio 9 RTP/AVP 0\r\na=ssrc-group:FID 1 x\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=rid:q sideways\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=simulcast:send\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=simulcast:send a;;b\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=simulcast:up a\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=candidate:1 1 udp 1 1.2.3.4 5 host\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=candidate:1 0 udp 1 1.2.3.4 5 typ host\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=mid:0" + std::string(1, '\0') + "\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=msid:a b c\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=mid:a b\r\n", 6},
        {head + "m=video 9 RTP/AVP 96\r\na=mid:\r\n", 6},
        {std::string(300 * 1024, 'a'), 0},
    };
    for (const auto& [text, line] : cases) {
        SCOPED_TRACE(text.substr(0, 120));
        const auto r = parseSdp(text);
        EXPECT_FALSE(r.ok());
        EXPECT_FALSE(r.error.empty());
        EXPECT_EQ(r.line, line);
    }
}
