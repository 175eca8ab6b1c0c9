// The forwarding server in the real process: two C++ peers that play browsers join a forwarded
// room over WebSocket, publish with media-offer, answer the server's offers, connect to the
// media port (ICE-lite, DTLS, SRTP) and exchange RTP through it: packets arrive renumbered
// without gaps, a NACK is answered with the lost packet, and a PLI reaches the publisher.
// Run against the ASan+UBSan server too (script/test).
#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "media/packet_kind.hpp"
#include "media/rtcp_builder.hpp"
#include "media/rtcp_packet.hpp"
#include "media/rtp_packet.hpp"
#include "media/rtx.hpp"
#include "media/sdp.hpp"
#include "media/tcp_framing.hpp"
#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"
#include "browser_sections.hpp"
#include "udp_test_peer.hpp"

namespace parley::itest {
namespace {

using media::parseSdp;
using media::SdpMediaKind;
using media::SessionDescription;
using media::testing::serveUntil;
using media::testing::UdpTestPeer;

// The offer a browser publishing a microphone and a camera makes, with the peer's ICE
// credentials and certificate; with an RTX stream for the camera (rtx 97, apt=96) when
// `rtxSsrc` is given.
std::string publishingOffer(const UdpTestPeer& peer, std::uint32_t audioSsrc, std::uint32_t videoSsrc,
                            std::uint32_t rtxSsrc = 0) {
    SessionDescription offer;
    offer.origin.sessionId = "4242";
    offer.origin.sessionVersion = 1;
    offer.groups = {{"BUNDLE", {"0", "1"}}};
    offer.msidSemantic = media::SdpMsidSemantic{"WMS", {"s"}};
    const auto add = [&](const std::string& mid, SdpMediaKind kind, std::uint32_t ssrc) {
        auto m = media::testing::browserOfferSection(
            kind, mid, media::SdpDirection::SendOnly,
            {peer.ice().ufrag, peer.ice().pwd, peer.certificate().fingerprint().hex()});
        m.msids = {{"s", "t" + mid}};
        m.ssrcs = {{ssrc, {{"cname", "peer"}}}};
        if (kind == SdpMediaKind::Video && rtxSsrc != 0) {
            media::SdpCodec rtx;
            rtx.hasRtpmap = true;
            rtx.payloadType = 97;
            rtx.name = "rtx";
            rtx.clockRate = 90000;
            rtx.fmtp = "apt=96";
            m.formats.push_back("97");
            m.codecs.push_back(rtx);
            m.ssrcs.push_back({rtxSsrc, {{"cname", "peer"}}});
            m.ssrcGroups = {{"FID", {ssrc, rtxSsrc}}};
        }
        // RFC 6464 levels on the microphone, as browsers send them.
        if (kind == SdpMediaKind::Audio) m.extmaps = {{1, std::nullopt, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", ""}};
        offer.media.push_back(m);
    };
    add("0", SdpMediaKind::Audio, audioSsrc);
    add("1", SdpMediaKind::Video, videoSsrc);
    return media::serializeSdp(offer);
}

// A browser's answer to the server's offer: every section mirrored, with the peer's credentials.
std::string answerTo(const UdpTestPeer& peer, const std::string& offerSdp) {
    auto answer = *parseSdp(offerSdp).description;
    for (auto& m : answer.media) {
        m.direction = media::reversed(m.direction);
        m.setup = media::SdpSetup::Active;
        m.iceUfrag = peer.ice().ufrag;
        m.icePwd = peer.ice().pwd;
        m.fingerprint = media::SdpFingerprint{"sha-256", peer.certificate().fingerprint().hex()};
        m.candidates.clear();
        m.endOfCandidates = false;
    }
    answer.iceLite = false;
    return media::serializeSdp(answer);
}

struct ServerEnd {
    media::IceCredentials ice;
    media::CertificateFingerprint fingerprint;
    std::uint16_t port = 0;
};

ServerEnd serverEndOf(const std::string& sdp) {
    const auto d = *parseSdp(sdp).description;
    const auto& m = d.media.front();
    ServerEnd end;
    end.ice = {*d.iceUfragOf(m), *d.icePwdOf(m)};
    const auto fp = *d.fingerprintOf(m);
    end.fingerprint = *media::CertificateFingerprint::parse(fp.algorithm, fp.value);
    EXPECT_FALSE(m.candidates.empty()) << sdp;
    if (!m.candidates.empty()) {
        EXPECT_EQ(m.candidates.front().address, "127.0.0.1");
        end.port = m.candidates.front().port;
    }
    EXPECT_TRUE(d.iceLite);
    return end;
}

// The SSRC the server sends `from`'s camera on, from its offer and the event's track list.
std::optional<std::uint32_t> cameraSsrc(const json::object& offerEvent, const std::string& from) {
    const auto d = *parseSdp(str(offerEvent, "sdp")).description;
    for (const auto& t : offerEvent.at("tracks").as_array()) {
        if (t.at("from").as_string() != from || t.at("source").as_string() != "camera") continue;
        const auto* section = d.section(std::string(t.at("mid").as_string()));
        if (section && !section->ssrcs.empty()) return section->ssrcs.front().ssrc;
    }
    return std::nullopt;
}

// The RTX SSRC the server's offer pairs with an outgoing SSRC (a=ssrc-group:FID).
std::optional<std::uint32_t> rtxSsrcOf(const json::object& offerEvent, std::uint32_t ssrc) {
    const auto d = *parseSdp(str(offerEvent, "sdp")).description;
    for (const auto& m : d.media) {
        for (const auto& group : m.ssrcGroups) {
            if (group.semantics == "FID" && group.ssrcs.size() == 2 && group.ssrcs[0] == ssrc) return group.ssrcs[1];
        }
    }
    return std::nullopt;
}

// A VP8 packet: the start of a keyframe, or (keyframe false) the middle of a frame, whose loss
// the server asks the publisher to repair.
std::vector<std::uint8_t> videoPacket(std::uint32_t ssrc, std::uint16_t seq, bool keyframe = true) {
    media::RtpHeaderFields header;
    header.payloadType = 96;
    header.sequenceNumber = seq;
    header.timestamp = 3000u * seq;
    header.ssrc = ssrc;
    std::vector<std::uint8_t> payload{0x10, 0x00, 0x9d, 0x01, 0x2a};  // a VP8 keyframe's start
    if (!keyframe) payload[0] = 0x00;
    payload.insert(payload.end(), 400, static_cast<std::uint8_t>(seq));
    return *media::buildRtpPacket(header, {}, payload);
}

std::size_t plisFor(const UdpTestPeer& peer, std::uint32_t ssrc) {
    std::size_t n = 0;
    for (const auto& packet : peer.rtcp) {
        const auto compound = media::parseRtcpCompound(packet);
        if (!compound) continue;
        for (const auto& item : compound->items) {
            if (const auto* pli = std::get_if<media::RtcpPli>(&item); pli && pli->mediaSsrc == ssrc) ++n;
        }
    }
    return n;
}

class Forwarding : public ServerSuite<Forwarding> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--topology", "forward", "--media-port", "0", "--admin-token", "admin-secret"};
    }
};

// A stream of the admin trace's media chain, by publisher and source; null if absent.
const json::object* streamIn(const json::object& media, const std::string& publisher, const std::string& source) {
    for (const auto& s : media.at("streams").as_array()) {
        const auto& o = s.as_object();
        if (str(o, "publisher") == publisher && str(o, "source") == source) return &o;
    }
    return nullptr;
}

std::uint64_t count(const json::object& o, std::string_view name) { return o.at(name).to_number<std::uint64_t>(); }

TEST_F(Forwarding, TwoPeersExchangeMediaThroughTheServer) {
    const auto room = uniqueRoom("forwarded");
    Peer alice(port()), bob(port());
    UdpTestPeer aliceMedia, bobMedia;
    const json::object joined = alice.join(room, "Alice");
    EXPECT_EQ(str(joined.at("state").as_object(), "topology"), "forwarded");

    const auto aliceAnswer = alice.request({{"type", "media-offer"},
                                            {"sdp", publishingOffer(aliceMedia, 1001, 2001)},
                                            {"tracks", json::array{{{"mid", "0"}, {"source", "microphone"}},
                                                                   {{"mid", "1"}, {"source", "camera"}}}}});
    ASSERT_EQ(str(aliceAnswer, "type"), "media-answer") << json::serialize(aliceAnswer);
    const ServerEnd aliceServer = serverEndOf(str(aliceAnswer, "sdp"));
    aliceMedia.connect(aliceServer.port, aliceServer.ice, aliceServer.fingerprint);

    bob.join(room, "Bob");
    alice.expect("participant-joined");
    const auto bobAnswer = bob.request({{"type", "media-offer"}, {"sdp", publishingOffer(bobMedia, 1002, 2002)}});
    ASSERT_EQ(str(bobAnswer, "type"), "media-answer") << json::serialize(bobAnswer);
    const ServerEnd bobServer = serverEndOf(str(bobAnswer, "sdp"));
    EXPECT_EQ(bobServer.port, aliceServer.port);  // one room, one worker, one port
    bobMedia.connect(bobServer.port, bobServer.ice, bobServer.fingerprint);

    // Each is offered the other's tracks, and answers.
    const auto toBob = bob.expect("media-offer");
    const auto toAlice = alice.expect("media-offer");
    const auto outgoing = cameraSsrc(toBob, alice.id());
    ASSERT_TRUE(outgoing) << json::serialize(toBob);
    EXPECT_NE(*outgoing, 2001u);  // Bob gets Alice's camera on an SSRC of his own
    EXPECT_EQ(str(bob.request({{"type", "media-answer"}, {"version", toBob.at("version")},
                               {"sdp", answerTo(bobMedia, str(toBob, "sdp"))}}),
                  "type"),
              "ok");
    EXPECT_EQ(str(alice.request({{"type", "media-answer"}, {"version", toAlice.at("version")},
                                 {"sdp", answerTo(aliceMedia, str(toAlice, "sdp"))}}),
                  "type"),
              "ok");
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return aliceMedia.connected() && bobMedia.connected(); }))
        << "ICE and DTLS to the media port";

    // Bob's downlink loses the 11th RTP packet on its way (before SRTP sees it).
    int rtpSeen = 0;
    bobMedia.dropIncoming = [&](std::span<const std::uint8_t> d) {
        return media::classifyPacket(d) == media::PacketKind::Rtp && ++rtpSeen == 11;
    };
    for (std::uint16_t seq = 100; seq < 130; ++seq) ASSERT_TRUE(aliceMedia.peer().sendRtp(videoPacket(2001, seq)));
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return bobMedia.rtp.size() >= 29; }))
        << bobMedia.rtp.size() << " of 29 packets";
    std::vector<std::uint16_t> seqs;
    for (auto& bytes : bobMedia.rtp) {
        auto packet = media::RtpPacket::parse(bytes);
        ASSERT_TRUE(packet);
        EXPECT_EQ(packet->ssrc(), *outgoing);
        seqs.push_back(packet->sequenceNumber());
    }
    // One gap, where Bob lost a packet; otherwise consecutive.
    std::optional<std::uint16_t> lost;
    for (std::size_t i = 1; i < seqs.size(); ++i) {
        const auto step = static_cast<std::uint16_t>(seqs[i] - seqs[i - 1]);
        if (step == 2) {
            EXPECT_FALSE(lost) << "more than one gap";
            lost = static_cast<std::uint16_t>(seqs[i - 1] + 1);
        } else {
            EXPECT_EQ(step, 1) << "at " << i;
        }
    }
    ASSERT_TRUE(lost) << "the dropped packet should leave a gap";

    // Bob NACKs it: the server answers from its buffer, Alice is not asked.
    const std::size_t before = bobMedia.rtp.size();
    ASSERT_TRUE(bobMedia.peer().sendRtcp(media::buildNack(0xb0b, *outgoing, std::vector<std::uint16_t>{*lost})));
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return bobMedia.rtp.size() > before; }));
    auto resent = media::RtpPacket::parse(bobMedia.rtp.back());
    ASSERT_TRUE(resent);
    EXPECT_EQ(resent->sequenceNumber(), *lost);

    // Bob asks for a keyframe: a PLI for Alice's own SSRC reaches Alice (merged with the one
    // his subscription asked for, so within half a second).
    const std::size_t plisBefore = plisFor(aliceMedia, 2001);
    ASSERT_TRUE(bobMedia.peer().sendRtcp(media::buildPli(0xb0b, *outgoing)));
    EXPECT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return plisFor(aliceMedia, 2001) > plisBefore; }))
        << "no PLI reached the publisher";
}

template <typename T>
std::vector<T> rtcpItems(const UdpTestPeer& peer) {
    std::vector<T> out;
    for (const auto& packet : peer.rtcp) {
        const auto compound = media::parseRtcpCompound(packet);
        if (!compound) continue;
        for (const auto& item : compound->items) {
            if (const auto* found = std::get_if<T>(&item)) out.push_back(*found);
        }
    }
    return out;
}

TEST_F(Forwarding, LossesAreRepairedBothWaysAndReportsKeepTime) {
    const auto room = uniqueRoom("forwarded-repair");
    Peer alice(port()), bob(port());
    UdpTestPeer aliceMedia, bobMedia;
    alice.join(room, "Alice");
    const auto aliceAnswer = alice.request({{"type", "media-offer"}, {"sdp", publishingOffer(aliceMedia, 1001, 2001, 3001)}});
    ASSERT_EQ(str(aliceAnswer, "type"), "media-answer") << json::serialize(aliceAnswer);
    const ServerEnd aliceServer = serverEndOf(str(aliceAnswer, "sdp"));
    aliceMedia.connect(aliceServer.port, aliceServer.ice, aliceServer.fingerprint);
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    const auto bobAnswer = bob.request({{"type", "media-offer"}, {"sdp", publishingOffer(bobMedia, 1002, 2002, 3002)}});
    ASSERT_EQ(str(bobAnswer, "type"), "media-answer") << json::serialize(bobAnswer);
    const ServerEnd bobServer = serverEndOf(str(bobAnswer, "sdp"));
    bobMedia.connect(bobServer.port, bobServer.ice, bobServer.fingerprint);
    const auto toBob = bob.expect("media-offer");
    const auto toAlice = alice.expect("media-offer");
    const auto outgoing = cameraSsrc(toBob, alice.id());
    ASSERT_TRUE(outgoing);
    const auto outgoingRtx = rtxSsrcOf(toBob, *outgoing);
    ASSERT_TRUE(outgoingRtx) << "the server's offer pairs an RTX stream with the camera";
    // Bob's answer keeps rtx (it mirrors the offer), so his NACKs are answered as RTX.
    EXPECT_EQ(str(bob.request({{"type", "media-answer"}, {"version", toBob.at("version")},
                               {"sdp", answerTo(bobMedia, str(toBob, "sdp"))}}),
                  "type"),
              "ok");
    EXPECT_EQ(str(alice.request({{"type", "media-answer"}, {"version", toAlice.at("version")},
                                 {"sdp", answerTo(aliceMedia, str(toAlice, "sdp"))}}),
                  "type"),
              "ok");
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return aliceMedia.connected() && bobMedia.connected(); }));

    // Alice's uplink loses 110: the server NACKs it to her.
    for (std::uint16_t seq = 100; seq < 120; ++seq) {
        if (seq != 110) ASSERT_TRUE(aliceMedia.peer().sendRtp(videoPacket(2001, seq, seq == 100)));
    }
    const auto nackedToAlice = [&] {
        for (const auto& nack : rtcpItems<media::RtcpNack>(aliceMedia)) {
            const auto& lost = nack.lostSequenceNumbers;
            if (nack.mediaSsrc == 2001 && std::find(lost.begin(), lost.end(), 110) != lost.end()) return true;
        }
        return false;
    };
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return nackedToAlice() && bobMedia.rtp.size() >= 19; }))
        << "the server asks the publisher for what it lost";

    // She resends it on her RTX stream: Bob gets packet 110 in the gap it left.
    auto original = videoPacket(2001, 110, false);
    ASSERT_TRUE(aliceMedia.peer().sendRtp(media::buildRtxPacket(*media::RtpPacket::parse(original), 97, 3001, 1)));
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return bobMedia.rtp.size() >= 20; }));
    auto repaired = media::RtpPacket::parse(bobMedia.rtp.back());
    ASSERT_TRUE(repaired);
    EXPECT_EQ(repaired->ssrc(), *outgoing);
    const auto firstSeq = media::RtpPacket::parse(bobMedia.rtp.front())->sequenceNumber();
    const auto firstTs = media::RtpPacket::parse(bobMedia.rtp.front())->timestamp();
    EXPECT_EQ(repaired->sequenceNumber(), static_cast<std::uint16_t>(firstSeq + 10));
    EXPECT_EQ(repaired->payload().back(), 110);

    // Alice's sender report reaches Bob on his SSRC, its RTP time on his timeline.
    media::RtcpSenderReport sr;
    sr.senderSsrc = 2001;
    sr.ntpTimestamp = media::ntpFromUnixMicros(1'765'000'000'000'000);
    sr.rtpTimestamp = 3000u * 119 + 1500;
    ASSERT_TRUE(aliceMedia.peer().sendRtcp(media::buildSenderReport(sr)));
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return !rtcpItems<media::RtcpSenderReport>(bobMedia).empty(); }));
    const auto bobSr = rtcpItems<media::RtcpSenderReport>(bobMedia).front();
    EXPECT_EQ(bobSr.senderSsrc, *outgoing);
    EXPECT_EQ(bobSr.ntpTimestamp, sr.ntpTimestamp);
    EXPECT_EQ(bobSr.rtpTimestamp, firstTs + 3000u * 19 + 1500);
    EXPECT_EQ(bobSr.packetCount, 20u);

    // Bob's downlink loses a packet; his NACK is answered on the RTX stream.
    int rtpSeen = 0;
    bobMedia.dropIncoming = [&](std::span<const std::uint8_t> d) {
        return media::classifyPacket(d) == media::PacketKind::Rtp && ++rtpSeen == 2;
    };
    for (std::uint16_t seq = 120; seq < 124; ++seq) ASSERT_TRUE(aliceMedia.peer().sendRtp(videoPacket(2001, seq, false)));
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return bobMedia.rtp.size() >= 23; }));
    const auto lost = static_cast<std::uint16_t>(firstSeq + 21);
    const std::size_t before = bobMedia.rtp.size();
    ASSERT_TRUE(bobMedia.peer().sendRtcp(media::buildNack(0xb0b, *outgoing, std::vector<std::uint16_t>{lost})));
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return bobMedia.rtp.size() > before; }));
    auto rtx = media::RtpPacket::parse(bobMedia.rtp.back());
    ASSERT_TRUE(rtx);
    EXPECT_EQ(rtx->ssrc(), *outgoingRtx);
    EXPECT_EQ(rtx->payloadType(), 97);
    const auto unwrapped = media::parseRtxPayload(*rtx);
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(unwrapped->originalSequenceNumber, lost);
    EXPECT_EQ(unwrapped->originalPayload.back(), 121);

    // Within about a second Alice gets a receiver report about her camera, quoting her SR.
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] {
        for (const auto& rr : rtcpItems<media::RtcpReceiverReport>(aliceMedia)) {
            for (const auto& block : rr.reports) {
                if (block.ssrc == 2001 && block.lastSr == media::compactNtp(sr.ntpTimestamp)) return true;
            }
        }
        return false;
    })) << "no receiver report reached the publisher";

    // /metrics counts the NACK to Alice and the retransmission she answered with.
    const auto metric = [&](const std::string& name) -> std::uint64_t {
        const auto metrics = httpGet(port(), "/metrics").body;
        const auto at = metrics.find("\n" + name + " ");
        return at == std::string::npos ? 0 : std::stoull(metrics.substr(at + name.size() + 2));
    };
    EXPECT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] {
        return metric("parley_media_nacks_sent_total") >= 1 && metric("parley_media_publisher_retransmissions_total") >= 1;
    })) << "the NACK and the retransmission are counted";
}

// One person in a forwarded room as a test drives it: a signaling socket, a media peer, and
// the server's latest offer answered.
struct Attendee {
    Attendee(std::uint16_t port, std::uint32_t n) : signaling(port), audioSsrc(10'000 + n), videoSsrc(20'000 + n) {}
    Peer signaling;
    std::unique_ptr<UdpTestPeer> media = std::make_unique<UdpTestPeer>();
    std::uint32_t audioSsrc;
    std::uint32_t videoSsrc;
    std::set<std::uint32_t> receivingOn;  // the SSRCs the server's last answered offer sends on
    std::uint16_t mediaPort = 0;

    // Answers the server's offers as they come until it sends on `streams` SSRCs and every
    // answer has had its reply.
    void answerUntilReceiving(std::size_t streams) {
        int unanswered = 0;
        while (receivingOn.size() != streams || unanswered > 0) {
            const json::object message = signaling.next(std::chrono::seconds(5));
            if (str(message, "type") == "ok") --unanswered;
            if (str(message, "type") != "media-offer") continue;
            const auto description = *parseSdp(str(message, "sdp")).description;
            receivingOn.clear();
            for (const auto& m : description.media) {
                if (m.direction == media::SdpDirection::SendOnly && !m.ssrcs.empty()) {
                    receivingOn.insert(m.ssrcs.front().ssrc);
                }
            }
            json::object answer{{"type", "media-answer"},
                                {"req", 900 + unanswered},
                                {"version", message.at("version")},
                                {"sdp", answerTo(*media, str(message, "sdp"))}};
            signaling.send(answer);
            ++unanswered;
        }
    }
    std::set<std::uint32_t> heardFrom() const {
        std::set<std::uint32_t> ssrcs;
        for (const auto& bytes : media->rtp) {
            auto copy = bytes;
            if (auto packet = media::RtpPacket::parse(copy)) ssrcs.insert(packet->ssrc());
        }
        return ssrcs;
    }
};

TEST_F(Forwarding, EightPeopleHearAndSeeEachOtherThroughTheServer) {
    const auto room = uniqueRoom("forwarded-eight");
    std::vector<std::unique_ptr<Attendee>> people;
    for (std::uint32_t n = 0; n < 8; ++n) {
        people.push_back(std::make_unique<Attendee>(port(), n));
        Attendee& me = *people.back();
        me.signaling.join(room, "P" + std::to_string(n), {true, true, false});  // a muted mic is not forwarded
        const auto answer = me.signaling.request({{"type", "media-offer"},
                                                  {"sdp", publishingOffer(*me.media, me.audioSsrc, me.videoSsrc)}});
        ASSERT_EQ(str(answer, "type"), "media-answer") << json::serialize(answer);
        const ServerEnd server = serverEndOf(str(answer, "sdp"));
        me.mediaPort = server.port;
        me.media->connect(server.port, server.ice, server.fingerprint);
    }
    // Everyone answers what the server offers as people come, until each receives the other
    // seven's microphone and camera.
    for (auto& p : people) p->answerUntilReceiving(14);
    std::vector<UdpTestPeer*> peers;
    for (auto& p : people) peers.push_back(p->media.get());
    ASSERT_TRUE(serveUntil(peers, [&] {
        return std::all_of(people.begin(), people.end(), [](const auto& p) { return p->media->connected(); });
    })) << "all eight connected to the media port";

    // Everyone sends some audio and video; everyone receives all fourteen streams of the others.
    for (std::uint16_t seq = 0; seq < 5; ++seq) {
        for (auto& p : people) {
            ASSERT_TRUE(p->media->peer().sendRtp(videoPacket(p->videoSsrc, seq)));
            media::RtpHeaderFields audio;
            audio.payloadType = 111;
            audio.sequenceNumber = seq;
            audio.ssrc = p->audioSsrc;
            ASSERT_TRUE(p->media->peer().sendRtp(*media::buildRtpPacket(audio, {}, std::vector<std::uint8_t>(80, 1))));
        }
        serveUntil(peers, [] { return false; }, 0);
    }
    EXPECT_TRUE(serveUntil(peers, [&] {
        return std::all_of(people.begin(), people.end(), [](const auto& p) { return p->heardFrom() == p->receivingOn; });
    })) << "someone is missing a stream";

    // Garbage on the media port, and media from a port no check vouched for, are dropped; the
    // call carries on.
    boost::asio::io_context io;
    boost::asio::ip::udp::socket stranger(io, boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    const boost::asio::ip::udp::endpoint mediaPort(boost::asio::ip::make_address("127.0.0.1"), people[0]->mediaPort);
    for (const std::vector<std::uint8_t>& junk : {std::vector<std::uint8_t>(40, 0xff), std::vector<std::uint8_t>{0x80, 0x60, 1},
                                                  videoPacket(20'000, 999), std::vector<std::uint8_t>(20, 0)}) {
        stranger.send_to(boost::asio::buffer(junk), mediaPort);
    }
    const std::size_t before = people[1]->media->rtp.size();
    ASSERT_TRUE(people[0]->media->peer().sendRtp(videoPacket(people[0]->videoSsrc, 6)));
    EXPECT_TRUE(serveUntil(peers, [&] { return people[1]->media->rtp.size() > before; }));
    EXPECT_TRUE(serveUntil(peers, [&] {
        const auto metrics = httpGet(port(), "/metrics").body;
        const std::string name = "\nparley_media_datagrams_dropped_total ";
        const auto at = metrics.find(name);
        return at != std::string::npos && std::stoull(metrics.substr(at + name.size())) >= 3;
    })) << "the junk is counted";
}

// The server's passive TCP candidate on the same port number as its UDP one (ICE-TCP).
std::optional<media::SdpCandidate> tcpCandidateOf(const std::string& sdp) {
    const auto d = *parseSdp(sdp).description;
    for (const auto& c : d.media.front().candidates) {
        if (c.transport == "tcp") return c;
    }
    return std::nullopt;
}

std::uint64_t metric(std::uint16_t port, const std::string& name) {
    const auto metrics = httpGet(port, "/metrics").body;
    const auto at = metrics.find("\n" + name + " ");
    return at == std::string::npos ? 0 : std::stoull(metrics.substr(at + name.size() + 2));
}

// A browser on a network that blocks UDP: Alice reaches the media port over TCP only, Bob over
// UDP; each receives the other's camera through the server, so frames from a TCP connection
// reach the forwarding and what is forwarded to her goes back framed on her connection.
TEST_F(Forwarding, APeerOverTcpExchangesMediaWithAPeerOverUdp) {
    const auto room = uniqueRoom("forwarded-tcp");
    Attendee alice(port(), 1), bob(port(), 2);
    alice.media = std::make_unique<UdpTestPeer>(UdpTestPeer::Path::Tcp);
    std::uint16_t mediaPort = 0;
    for (Attendee* me : {&alice, &bob}) {
        me->signaling.join(room, me == &alice ? "Alice" : "Bob");
        const auto answer = me->signaling.request(
            {{"type", "media-offer"}, {"sdp", publishingOffer(*me->media, me->audioSsrc, me->videoSsrc)}});
        ASSERT_EQ(str(answer, "type"), "media-answer") << json::serialize(answer);
        const ServerEnd server = serverEndOf(str(answer, "sdp"));
        const auto tcp = tcpCandidateOf(str(answer, "sdp"));
        ASSERT_TRUE(tcp) << "no TCP candidate: " << str(answer, "sdp");
        EXPECT_EQ(tcp->port, server.port);
        EXPECT_EQ(tcp->extensions, "tcptype passive");
        mediaPort = server.port;
        me->media->connect(server.port, server.ice, server.fingerprint);
    }
    alice.answerUntilReceiving(2);
    bob.answerUntilReceiving(2);
    const std::vector<UdpTestPeer*> peers{alice.media.get(), bob.media.get()};
    ASSERT_TRUE(serveUntil(peers, [&] { return alice.media->connected() && bob.media->connected(); }))
        << "ICE and DTLS over TCP and over UDP";
    // The workers report their counters every half second: poll.
    EXPECT_TRUE(serveUntil(peers, [&] { return metric(port(), "parley_media_tcp_connections") >= 1; }));

    for (std::uint16_t seq = 0; seq < 10; ++seq) {
        ASSERT_TRUE(alice.media->peer().sendRtp(videoPacket(alice.videoSsrc, seq)));
        ASSERT_TRUE(bob.media->peer().sendRtp(videoPacket(bob.videoSsrc, seq)));
    }
    const auto camerasArrived = [&] {
        return alice.heardFrom().size() == 1 && bob.heardFrom().size() == 1 &&
               alice.media->rtp.size() >= 10 && bob.media->rtp.size() >= 10;
    };
    EXPECT_TRUE(serveUntil(peers, camerasArrived))
        << "Alice (TCP) got " << alice.media->rtp.size() << ", Bob (UDP) got " << bob.media->rtp.size();
    // On one of the SSRCs the server's offer to her named (Bob's camera).
    for (const std::uint32_t ssrc : alice.heardFrom()) EXPECT_TRUE(alice.receivingOn.count(ssrc)) << ssrc;

    // Garbage on TCP closes only that connection: a stream that is not RFC 4571, and a framed
    // packet that is not STUN before any check. Alice's connection and the server carry on.
    UdpTestPeer notFramed(UdpTestPeer::Path::Tcp), notStun(UdpTestPeer::Path::Tcp);
    const media::IceCredentials someone{"x", "y"};
    notFramed.connect(mediaPort, someone, alice.media->certificate().fingerprint());
    notStun.connect(mediaPort, someone, alice.media->certificate().fingerprint());
    const std::vector<std::uint8_t> huge{0xff, 0xff, 1, 2, 3};
    notFramed.sendRaw(huge);
    std::vector<std::uint8_t> framedRtp;
    media::appendTcpFrame(framedRtp, videoPacket(alice.videoSsrc, 99));
    notStun.sendRaw(framedRtp);
    EXPECT_TRUE(serveUntil({&notFramed, &notStun}, [&] { return notFramed.tcpClosed() && notStun.tcpClosed(); }))
        << "the server should close a connection that speaks garbage";
    EXPECT_TRUE(serveUntil(peers, [&] { return metric(port(), "parley_media_tcp_closed_garbage_total") >= 2; }))
        << "the closes are counted";
    EXPECT_FALSE(alice.media->tcpClosed());
    const std::size_t before = bob.media->rtp.size();
    ASSERT_TRUE(alice.media->peer().sendRtp(videoPacket(alice.videoSsrc, 10)));
    EXPECT_TRUE(serveUntil(peers, [&] { return bob.media->rtp.size() > before; }));
}

// Sends `message` and reads frames (events may come first) until its reply.
json::object replyTo(Peer& peer, json::object message, std::int64_t req) {
    message["req"] = req;
    peer.send(message);
    for (;;) {
        json::object frame = peer.next();
        if (frame.contains("req") && frame.at("req").as_int64() == req) return frame;
    }
}

TEST_F(Forwarding, AMutedMicrophoneIsHeldByTheServerUntilItIsOnAgain) {
    const auto room = uniqueRoom("forwarded-mute");
    Attendee ann(port(), 0), ben(port(), 1);
    for (Attendee* me : {&ann, &ben}) {
        me->signaling.join(room, me == &ann ? "Ann" : "Ben", {true, true, false});
        const auto answer = me->signaling.request({{"type", "media-offer"},
                                                   {"sdp", publishingOffer(*me->media, me->audioSsrc, me->videoSsrc)}});
        ASSERT_EQ(str(answer, "type"), "media-answer") << json::serialize(answer);
        const ServerEnd server = serverEndOf(str(answer, "sdp"));
        me->media->connect(server.port, server.ice, server.fingerprint);
    }
    ann.answerUntilReceiving(2);
    ben.answerUntilReceiving(2);
    ASSERT_TRUE(serveUntil(std::vector<UdpTestPeer*>{ann.media.get(), ben.media.get()}, [&] { return ann.media->connected() && ben.media->connected(); }));

    std::uint16_t seq = 500;
    const auto speak = [&](int packets) {
        for (int i = 0; i < packets; ++i) {
            media::RtpHeaderFields audio;
            audio.payloadType = 111;
            audio.sequenceNumber = seq++;
            audio.ssrc = ben.audioSsrc;
            ASSERT_TRUE(ben.media->peer().sendRtp(*media::buildRtpPacket(audio, {}, std::vector<std::uint8_t>(80, 1))));
        }
    };
    const auto annGets = [&](std::uint32_t ssrc) {
        std::vector<std::uint16_t> seqs;
        for (const auto& bytes : ann.media->rtp) {
            auto copy = bytes;
            if (auto packet = media::RtpPacket::parse(copy); packet && packet->ssrc() == ssrc) {
                seqs.push_back(packet->sequenceNumber());
            }
        }
        return seqs;
    };
    speak(10);
    ASSERT_TRUE(serveUntil(std::vector<UdpTestPeer*>{ann.media.get(), ben.media.get()}, [&] { return ann.media->rtp.size() >= 10; }));
    auto copy = ann.media->rtp.front();
    const std::uint32_t benAudio = media::RtpPacket::parse(copy)->ssrc();

    // Ann, the host, mutes Ben; his client goes on sending sound (it ignores the mute), and
    // none of it reaches Ann, while his camera does.
    EXPECT_EQ(str(replyTo(ann.signaling, {{"type", "mute"}, {"id", ben.signaling.id()}}, 70), "type"), "ok");
    speak(10);
    for (std::uint16_t v = 0; v < 10; ++v) ASSERT_TRUE(ben.media->peer().sendRtp(videoPacket(ben.videoSsrc, v)));
    ASSERT_TRUE(serveUntil(std::vector<UdpTestPeer*>{ann.media.get(), ben.media.get()}, [&] { return ann.media->rtp.size() >= 20; }))
        << ann.media->rtp.size() << " packets: Ben's camera should still come through";
    EXPECT_EQ(annGets(benAudio).size(), 10u) << "Ben's sound came through his mute";

    // Ben turns his microphone on: his sound comes through again, numbered on from before.
    EXPECT_EQ(str(replyTo(ben.signaling, {{"type", "media"}, {"mic", true}, {"cam", true}, {"screen", false}}, 71), "type"),
              "ok");
    speak(10);
    ASSERT_TRUE(serveUntil(std::vector<UdpTestPeer*>{ann.media.get(), ben.media.get()}, [&] { return annGets(benAudio).size() >= 20; }))
        << annGets(benAudio).size() << " of 20 audio packets";
    const auto seqs = annGets(benAudio);
    for (std::size_t i = 1; i < seqs.size(); ++i) {
        EXPECT_EQ(seqs[i], static_cast<std::uint16_t>(seqs[i - 1] + 1)) << "at " << i;
    }
}

// Reads events until one of `type`; returns it.
json::object eventOf(Peer& peer, std::string_view type) {
    for (;;) {
        json::object message = peer.next(std::chrono::seconds(5));
        if (str(message, "type") == type) return message;
    }
}

TEST_F(Forwarding, AVideoNobodyShowsIsNotSentAndTheOneWhoSpeaksIsNamed) {
    const auto room = uniqueRoom("forwarded-shown");
    std::vector<std::unique_ptr<Attendee>> people;
    for (std::uint32_t n = 0; n < 3; ++n) {
        people.push_back(std::make_unique<Attendee>(port(), n));
        Attendee& me = *people.back();
        me.signaling.join(room, "P" + std::to_string(n), {true, true, false});  // a muted mic is held
        const auto answer = me.signaling.request({{"type", "media-offer"},
                                                  {"sdp", publishingOffer(*me.media, me.audioSsrc, me.videoSsrc)}});
        ASSERT_EQ(str(answer, "type"), "media-answer") << json::serialize(answer);
        const ServerEnd server = serverEndOf(str(answer, "sdp"));
        me.media->connect(server.port, server.ice, server.fingerprint);
    }
    for (auto& p : people) p->answerUntilReceiving(4);
    std::vector<UdpTestPeer*> peers;
    for (auto& p : people) peers.push_back(p->media.get());
    ASSERT_TRUE(serveUntil(peers, [&] {
        return std::all_of(people.begin(), people.end(), [](const auto& p) { return p->media->connected(); });
    }));
    Attendee& ann = *people[0];
    Attendee& ben = *people[1];
    Attendee& cat = *people[2];

    // Bad lists change nothing and say why.
    EXPECT_EQ(str(replyTo(ben.signaling, {{"type", "visible-videos"},
                                          {"videos", json::array{{{"participant", "nobody"}, {"source", "camera"}}}}},
                          701),
                  "code"),
              "target-not-found");
    EXPECT_EQ(str(replyTo(ben.signaling, {{"type", "visible-videos"}, {"videos", "all"}}, 702), "code"), "invalid-field");

    // Ben shows only Cat: Ann's camera stops coming to him, Cat still gets it.
    ASSERT_EQ(str(replyTo(ben.signaling,
                          {{"type", "visible-videos"},
                           {"videos", json::array{{{"participant", cat.signaling.id()}, {"source", "camera"}}}}},
                          703),
                  "type"),
              "ok");
    const std::size_t benBefore = ben.media->rtp.size();
    const std::size_t catBefore = cat.media->rtp.size();
    for (std::uint16_t seq = 0; seq < 20; ++seq) ASSERT_TRUE(ann.media->peer().sendRtp(videoPacket(ann.videoSsrc, seq)));
    ASSERT_TRUE(serveUntil(peers, [&] { return cat.media->rtp.size() >= catBefore + 20; })) << "Cat gets Ann's camera";
    serveUntil(peers, [] { return false; }, 100);  // anything still on its way to Ben arrives
    EXPECT_EQ(ben.media->rtp.size(), benBefore) << "Ben does not show Ann's camera: none of it is sent";

    // Shown again: Ann is asked for a keyframe, and Ben gets her camera from it on.
    const std::size_t plis = plisFor(*ann.media, ann.videoSsrc);
    ASSERT_EQ(str(replyTo(ben.signaling,
                          {{"type", "visible-videos"},
                           {"videos", json::array{{{"participant", ann.signaling.id()}, {"source", "camera"}}}}},
                          704),
                  "type"),
              "ok");
    EXPECT_TRUE(serveUntil(peers, [&] { return plisFor(*ann.media, ann.videoSsrc) > plis; })) << "no keyframe request";
    for (std::uint16_t seq = 20; seq < 25; ++seq) ASSERT_TRUE(ann.media->peer().sendRtp(videoPacket(ann.videoSsrc, seq)));
    EXPECT_TRUE(serveUntil(peers, [&] { return ben.media->rtp.size() >= benBefore + 5; })) << "Ben gets Ann's camera again";

    // Cat speaks (RFC 6464 levels, loud): everyone is told she is the active speaker.
    for (std::uint16_t seq = 0; seq < 60; ++seq) {
        media::RtpHeaderFields audio;
        audio.payloadType = 111;
        audio.sequenceNumber = seq;
        audio.timestamp = 960u * seq;
        audio.ssrc = cat.audioSsrc;
        const std::vector<media::RtpExtensionValue> level{{1, {0x80 | 10}}};
        ASSERT_TRUE(cat.media->peer().sendRtp(*media::buildRtpPacket(audio, level, std::vector<std::uint8_t>(60, 1))));
        serveUntil(peers, [] { return false; }, 20);  // the pace of real audio: the speaker is picked over time
    }
    for (Attendee* p : {&ann, &ben, &cat}) {
        EXPECT_EQ(str(eventOf(p->signaling, "active-speaker"), "participant"), cat.signaling.id());
    }
}

TEST_F(Forwarding, OffersThatCannotBeUsedAreRefusedAndTheConnectionCarriesOn) {
    Peer carol(port());
    carol.join(uniqueRoom("forwarded-bad"), "Carol");
    carol.expectRefusal({{"type", "media-offer"}, {"sdp", "v=0\r\nnot really\r\n"}}, "bad-sdp");
    carol.expectRefusal({{"type", "media-answer"}, {"version", 7}, {"sdp", "v=0\r\n"}}, "not-forwarded");
    carol.expectRefusal({{"type", "media-offer"}, {"sdp", "v=0\r\n"}, {"tracks", "camera"}}, "invalid-field");
    const auto pong = carol.request({{"type", "ping"}});
    EXPECT_EQ(str(pong, "type"), "pong");
}

TEST_F(Forwarding, AConnectionThatEndedIsToldAndOnlyANewOneIsTaken) {
    const auto room = uniqueRoom("forwarded-lost");
    Peer alice(port());
    UdpTestPeer aliceMedia;
    alice.join(room, "Alice");
    const json::array tracks{{{"mid", "0"}, {"source", "microphone"}}, {{"mid", "1"}, {"source", "camera"}}};
    const std::string offer = publishingOffer(aliceMedia, 1001, 2001);
    const auto answer = alice.request({{"type", "media-offer"}, {"sdp", offer}, {"tracks", tracks}});
    ASSERT_EQ(str(answer, "type"), "media-answer") << json::serialize(answer);
    const ServerEnd server = serverEndOf(str(answer, "sdp"));
    aliceMedia.connect(server.port, server.ice, server.fingerprint);
    ASSERT_TRUE(serveUntil({&aliceMedia}, [&] { return aliceMedia.connected(); }));

    // Her DTLS session ends: the server drops the transport and says so.
    aliceMedia.peer().closeDtls();  // its close_notify leaves at once
    alice.expect("media-connection-lost");
    // An ICE restart on that connection (the same certificate) is refused...
    std::string restart = offer;
    const std::string ufrag = "a=ice-ufrag:" + aliceMedia.ice().ufrag;
    for (auto at = restart.find(ufrag); at != std::string::npos; at = restart.find(ufrag)) {
        restart.replace(at, ufrag.size(), "a=ice-ufrag:rstrt");
    }
    alice.expectRefusal({{"type", "media-offer"}, {"sdp", restart}, {"tracks", tracks}}, "media-connection-lost");
    // ...and a new connection (another certificate) is taken, and carries media again.
    UdpTestPeer renewed;
    const auto again = alice.request({{"type", "media-offer"}, {"sdp", publishingOffer(renewed, 1001, 2001)}, {"tracks", tracks}});
    ASSERT_EQ(str(again, "type"), "media-answer") << json::serialize(again);
    const ServerEnd next = serverEndOf(str(again, "sdp"));
    renewed.connect(next.port, next.ice, next.fingerprint);
    EXPECT_TRUE(serveUntil({&renewed}, [&] { return renewed.connected(); }));
}

class MeshOnly : public ServerSuite<MeshOnly> {
public:
    static std::vector<std::string> serverFlags() { return {"--topology", "mesh"}; }
};

TEST_F(MeshOnly, APeerToPeerServerSaysItDoesNotForward) {
    Peer dan(port());
    const auto joined = dan.join(uniqueRoom("mesh"), "Dan");
    EXPECT_EQ(str(joined.at("state").as_object(), "topology"), "mesh");
    dan.expectRefusal({{"type", "media-offer"}, {"sdp", "v=0\r\n"}}, "not-forwarded");
    dan.expectRefusal({{"type", "visible-videos"}, {"videos", json::array{}}}, "not-forwarded");
}

}  // namespace
}  // namespace parley::itest

namespace parley::itest {
namespace {

// The server as a witness: the admin trace shows Alice's camera reaching the server and going to
// Bob with its counts rising, and each participant's media-report tells only their own part.
TEST_F(Forwarding, TheAdminTraceAndTheMediaReportShowTheChainFromTheServersCounters) {
    const auto room = uniqueRoom("forwarded-witness");
    Peer alice(port()), bob(port());
    UdpTestPeer aliceMedia, bobMedia;
    alice.join(room, "Alice");
    const auto aliceAnswer = alice.request({{"type", "media-offer"},
                                            {"sdp", publishingOffer(aliceMedia, 1001, 2001)},
                                            {"tracks", json::array{{{"mid", "0"}, {"source", "microphone"}},
                                                                   {{"mid", "1"}, {"source", "camera"}}}}});
    ASSERT_EQ(str(aliceAnswer, "type"), "media-answer") << json::serialize(aliceAnswer);
    const ServerEnd aliceServer = serverEndOf(str(aliceAnswer, "sdp"));
    aliceMedia.connect(aliceServer.port, aliceServer.ice, aliceServer.fingerprint);
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    const auto bobAnswer = bob.request({{"type", "media-offer"}, {"sdp", publishingOffer(bobMedia, 1002, 2002)}});
    ASSERT_EQ(str(bobAnswer, "type"), "media-answer") << json::serialize(bobAnswer);
    const ServerEnd bobServer = serverEndOf(str(bobAnswer, "sdp"));
    bobMedia.connect(bobServer.port, bobServer.ice, bobServer.fingerprint);
    const auto toBob = bob.expect("media-offer");
    const auto toAlice = alice.expect("media-offer");
    const auto outgoing = cameraSsrc(toBob, alice.id());
    ASSERT_TRUE(outgoing);
    EXPECT_EQ(str(bob.request({{"type", "media-answer"}, {"version", toBob.at("version")},
                               {"sdp", answerTo(bobMedia, str(toBob, "sdp"))}}), "type"), "ok");
    EXPECT_EQ(str(alice.request({{"type", "media-answer"}, {"version", toAlice.at("version")},
                                 {"sdp", answerTo(aliceMedia, str(toAlice, "sdp"))}}), "type"), "ok");
    ASSERT_TRUE(serveUntil({&aliceMedia, &bobMedia}, [&] { return aliceMedia.connected() && bobMedia.connected(); }));

    // Alice's camera flows while the trace is read every few rounds, until it shows her stream
    // arriving at a measured rate and forwarded to Bob, who asked for a lost packet again.
    std::uint16_t seq = 0;
    int rounds = 0;
    std::uint64_t firstPackets = 0;
    json::object media;
    const auto mediaOf = [&]() -> std::optional<json::object> {
        const auto trace = httpGet(port(), "/admin/rooms/" + room + "/trace", "Bearer admin-secret");
        if (trace.status != 200u) return std::nullopt;
        const auto parsed = json::parse(trace.body).as_object();
        if (!parsed.contains("media")) return std::nullopt;
        return parsed.at("media").as_object();
    };
    bool nacked = false;
    const bool witnessed = serveUntil({&aliceMedia, &bobMedia}, [&] {
        EXPECT_TRUE(aliceMedia.peer().sendRtp(videoPacket(2001, seq++)));
        if (!nacked && !bobMedia.rtp.empty()) {
            nacked = bobMedia.peer().sendRtcp(media::buildNack(
                0xb0b, *outgoing, std::vector<std::uint16_t>{media::RtpPacket::parse(bobMedia.rtp.front())->sequenceNumber()}));
        }
        if (++rounds % 20 != 0) return false;
        auto now = mediaOf();
        if (!now) return false;
        const json::object* camera = streamIn(*now, alice.id(), "camera");
        if (!camera || camera->at("subscriptions").as_array().empty()) return false;
        const auto& sub = camera->at("subscriptions").as_array().front().as_object();
        if (firstPackets == 0) firstPackets = count(*camera, "packets");
        media = *now;
        return count(*camera, "packets") > firstPackets && count(*camera, "bitsPerSecond") > 0 &&
               count(sub, "packets") > 0 && count(sub, "bitsPerSecond") > 0 && count(sub, "nacks") > 0;
    }, 15'000);
    ASSERT_TRUE(witnessed) << json::serialize(media);
    EXPECT_EQ(media.at("intervalMs"), 500);
    const json::object* camera = streamIn(media, alice.id(), "camera");
    EXPECT_EQ(str(*camera, "name"), "Alice");
    EXPECT_EQ(str(*camera, "kind"), "video");
    EXPECT_EQ(count(*camera, "ssrc"), 2001u);
    EXPECT_EQ(count(*camera, "subscribers"), 1u);
    EXPECT_GE(count(*camera, "keyframeRequestsSent"), 1u);  // Bob's subscription asked for one
    const auto& toBobSub = camera->at("subscriptions").as_array().front().as_object();
    EXPECT_EQ(str(toBobSub, "subscriber"), bob.id());
    EXPECT_EQ(str(toBobSub, "name"), "Bob");
    EXPECT_EQ(count(toBobSub, "ssrc"), *outgoing);
    EXPECT_EQ(count(toBobSub, "retransmitted"), 1u);
    ASSERT_EQ(media.at("participants").as_array().size(), 2u);
    for (const auto& p : media.at("participants").as_array()) {
        EXPECT_EQ(str(p.as_object(), "transport"), "connected");
        EXPECT_EQ(str(p.as_object(), "protocol"), "udp");
        EXPECT_TRUE(str(p.as_object(), "remoteAddress").starts_with("127.0.0.1:"));
        EXPECT_GT(count(p.as_object(), "packetsIn"), 0u);
    }

    // Bob's own report: his connection only; Alice's camera with only what goes to him; his
    // own streams without who receives them.
    const auto report = bob.request({{"type", "media-report"}, {"req", 77}});
    ASSERT_EQ(str(report, "type"), "media-report") << json::serialize(report);
    EXPECT_EQ(str(report, "room"), room);
    const auto& mine = report.at("media").as_object();
    ASSERT_EQ(mine.at("participants").as_array().size(), 1u);
    EXPECT_EQ(str(mine.at("participants").as_array().front().as_object(), "id"), bob.id());
    const json::object* aliceCamera = streamIn(mine, alice.id(), "camera");
    ASSERT_TRUE(aliceCamera);
    EXPECT_GT(count(*aliceCamera, "packets"), 0u);
    ASSERT_EQ(aliceCamera->at("subscriptions").as_array().size(), 1u);
    EXPECT_EQ(str(aliceCamera->at("subscriptions").as_array().front().as_object(), "subscriber"), bob.id());
    for (const auto& s : mine.at("streams").as_array()) {
        if (str(s.as_object(), "publisher") == bob.id()) EXPECT_TRUE(s.at("subscriptions").as_array().empty());
    }
    // Alice, who receives nothing from Bob's silent camera yet, sees none of Bob's subscriptions.
    const auto aliceReport = alice.request({{"type", "media-report"}});
    const json::object* ownCamera = streamIn(aliceReport.at("media").as_object(), alice.id(), "camera");
    ASSERT_TRUE(ownCamera);
    EXPECT_TRUE(ownCamera->at("subscriptions").as_array().empty());
    EXPECT_EQ(count(*ownCamera, "subscribers"), 1u);
}

TEST_F(MeshOnly, AMediaReportInAPeerToPeerRoomIsRefused) {
    Peer erin(port());
    erin.join(uniqueRoom("mesh-report"), "Erin");
    erin.expectRefusal({{"type", "media-report"}}, "not-forwarded");
}

}  // namespace
}  // namespace parley::itest
