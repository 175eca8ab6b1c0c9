// Negotiation in a forwarded room with real Chromium offers (SSRCs made distinct per person):
// each publisher gets an answer, everyone else is offered its tracks once the reply has gone,
// answers are applied, newcomers and leavers are offered around, stale answers are refused,
// and the server yields in glare.
#include "media/forwarding_signaling.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace parley;
using namespace parley::media;

namespace {

std::string readSdpFile(const std::string& name) {
    std::ifstream in(std::string(PARLEY_SDP_TEST_DATA) + "/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

// Chromium's audio+video offer as person `n` would make it: their own SSRCs and ufrag.
std::string chromiumOffer(int n) {
    std::string sdp = readSdpFile("chromium-offer-audio-video.sdp");
    replaceAll(sdp, "2841962800", std::to_string(1000 + n));
    replaceAll(sdp, "2664583548", std::to_string(2000 + n));
    replaceAll(sdp, "3664690834", std::to_string(3000 + n));
    replaceAll(sdp, "a=ice-ufrag:HOrs", "a=ice-ufrag:HOr" + std::to_string(n));
    return sdp;
}

// What a browser answers to the server's offer: every section mirrored.
std::string browserAnswer(const std::string& offerSdp) {
    auto offer = *parseSdp(offerSdp).description;
    for (auto& m : offer.media) {
        m.direction = reversed(m.direction);
        m.setup = SdpSetup::Active;
        m.iceUfrag = "brow";
        m.icePwd = "browserpasswordbrowserpw";
        m.candidates.clear();
        m.endOfCandidates = false;
    }
    offer.iceLite = false;
    return serializeSdp(offer);
}

// `sdp` with receive-only sections appended, as a browser's first offer has them for the people
// already in the room: `audio` audio and `video` video sections (mids "10", "11", ...), copies
// of its own sections with no track.
std::string withReceiveSlots(const std::string& sdp, int audio, int video) {
    auto offer = *parseSdp(sdp).description;
    std::vector<SdpMediaSection> slots;
    int next = 10;
    for (auto [kind, count] : {std::pair{SdpMediaKind::Audio, audio}, std::pair{SdpMediaKind::Video, video}}) {
        for (int i = 0; i < count; ++i) {
            for (const auto& m : offer.media) {
                if (m.kind != kind) continue;
                SdpMediaSection slot = m;
                slot.mid = std::to_string(next++);
                slot.direction = SdpDirection::RecvOnly;
                slot.msids.clear();
                slot.ssrcs.clear();
                slot.ssrcGroups.clear();
                slot.rids.clear();
                slot.simulcast.reset();
                slots.push_back(std::move(slot));
                break;
            }
        }
    }
    for (auto& slot : slots) offer.media.push_back(std::move(slot));
    for (auto& group : offer.groups) {
        if (group.semantics != "BUNDLE") continue;
        group.ids.clear();
        for (const auto& m : offer.media) group.ids.push_back(m.mid);
    }
    return serializeSdp(offer);
}

}  // namespace

struct OfferEvent {
    std::uint64_t version;
    std::string sdp;
    std::vector<std::pair<std::string, std::string>> tracks;  // (from, source)
};

struct ForwardedNegotiation : ::testing::Test {
    MediaPlane plane{[] {
        MediaPlaneConfig c;
        c.bindAddress = "127.0.0.1";
        c.announcedAddresses = {"127.0.0.1"};
        return c;
    }()};
    std::deque<std::function<void()>> deferred;
    std::map<std::string, std::vector<OfferEvent>> offers;
    std::map<std::string, std::vector<std::string>> others;  // the types of other events, per person
    core::TopologyPolicy policy{core::TopologyMode::Forward};
    ForwardingSignaling signaling{plane, policy,
                                  [this](const core::ParticipantId& to, const core::Event& event) {
                                      const auto& e = std::get<core::ServiceEvent>(event);
                                      if (e.type != "media-offer") {
                                          others[to].push_back(e.type);
                                          return true;
                                      }
                                      auto fields = boost::json::parse("{" + e.fields + "}").as_object();
                                      OfferEvent offer{static_cast<std::uint64_t>(fields["version"].as_int64()),
                                                       std::string(fields["sdp"].as_string()), {}};
                                      for (const auto& t : fields["tracks"].as_array()) {
                                          offer.tracks.emplace_back(std::string(t.at("from").as_string()),
                                                                    std::string(t.at("source").as_string()));
                                      }
                                      offers[to].push_back(std::move(offer));
                                      return true;
                                  },
                                  [this](std::function<void()> task) { deferred.push_back(std::move(task)); }};

    void SetUp() override { signaling.roomOpened("class"); }

    void runDeferred() {
        for (int i = 0; i < 100 && !deferred.empty(); ++i) {
            auto task = std::move(deferred.front());
            deferred.pop_front();
            task();
        }
    }
    std::string publish(const std::string& who, int n) {
        auto result = signaling.offer("class", who, chromiumOffer(n),
                                      {{"0", "microphone"}, {"1", "camera"}});
        EXPECT_TRUE(std::holds_alternative<core::MediaAnswer>(result)) << std::get<core::Refusal>(result).message;
        return std::holds_alternative<core::MediaAnswer>(result) ? std::get<core::MediaAnswer>(result).sdp : std::string();
    }
    void answerLatest(const std::string& who) {
        const auto& offer = offers.at(who).back();
        EXPECT_EQ(signaling.answer("class", who, offer.version, browserAnswer(offer.sdp)), std::nullopt);
    }
};

TEST_F(ForwardedNegotiation, EveryoneIsOfferedEveryoneElsesTracksAsPeopleArrive) {
    const auto answer = publish("ann", 1);
    auto parsed = parseSdp(answer);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed.description->iceLite);
    runDeferred();
    EXPECT_TRUE(offers["ann"].empty());  // alone: nothing to receive

    publish("ben", 2);
    EXPECT_TRUE(offers["ann"].empty()) << "offers wait until the reply to Ben's own offer has gone";
    runDeferred();
    ASSERT_EQ(offers["ann"].size(), 1u);
    ASSERT_EQ(offers["ben"].size(), 1u);
    EXPECT_EQ(offers["ann"][0].tracks.size(), 2u);
    EXPECT_EQ(offers["ann"][0].tracks[0].first, "ben");
    answerLatest("ann");
    answerLatest("ben");
    EXPECT_EQ(signaling.sendingTo("ann"), 2u);

    publish("cat", 3);
    runDeferred();
    ASSERT_EQ(offers["ann"].size(), 2u) << "Ann is offered Cat's tracks";
    EXPECT_EQ(offers["ann"][1].tracks.size(), 4u);
    EXPECT_EQ(offers["ann"][1].version, 2u);
    ASSERT_EQ(offers["ben"].size(), 2u);
    ASSERT_EQ(offers["cat"].size(), 1u);
    EXPECT_EQ(offers["cat"][0].tracks.size(), 4u);
    answerLatest("ann");
    answerLatest("ben");
    answerLatest("cat");
    EXPECT_EQ(signaling.sendingTo("ann"), 4u);

    signaling.left("class", "cat", core::LeaveReason::Left);
    runDeferred();
    ASSERT_EQ(offers["ann"].size(), 3u);
    EXPECT_EQ(offers["ann"][2].tracks.size(), 2u);  // Cat's sections go inactive
    answerLatest("ann");
    EXPECT_EQ(signaling.sendingTo("ann"), 2u);
}

TEST_F(ForwardedNegotiation, AStaleAnswerIsRefusedAndTheServerYieldsInGlare) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    ASSERT_EQ(offers["ann"].size(), 1u);
    // Ann offers again before answering the server's offer (a screen share, say): she wins.
    publish("ann", 1);
    const auto stale = signaling.answer("class", "ann", offers["ann"][0].version, browserAnswer(offers["ann"][0].sdp));
    ASSERT_TRUE(stale.has_value());
    EXPECT_EQ(stale->code, core::ErrorCode::StaleOffer);
    runDeferred();
    ASSERT_EQ(offers["ann"].size(), 2u) << "the server offers again after yielding";
    EXPECT_GT(offers["ann"][1].version, offers["ann"][0].version);
    answerLatest("ann");
    EXPECT_EQ(signaling.sendingTo("ann"), 2u);
}

TEST_F(ForwardedNegotiation, APeerToPeerRoomAndBadSdpAreRefusedInWords) {
    signaling.topologyChanged("class", core::Topology::Mesh);
    auto mesh = signaling.offer("class", "ann", chromiumOffer(1), {});
    ASSERT_TRUE(std::holds_alternative<core::Refusal>(mesh));
    EXPECT_EQ(std::get<core::Refusal>(mesh).code, core::ErrorCode::NotForwarded);

    signaling.topologyChanged("class", core::Topology::Forwarded);
    auto bad = signaling.offer("class", "ann", "v=0\r\nthis is not sdp\r\n", {});
    ASSERT_TRUE(std::holds_alternative<core::Refusal>(bad));
    EXPECT_EQ(std::get<core::Refusal>(bad).code, core::ErrorCode::BadSdp);
    EXPECT_FALSE(std::get<core::Refusal>(bad).message.empty());
}

TEST_F(ForwardedNegotiation, SomeoneWhoSendsNothingOffersNoSectionAndStillReceives) {
    publish("ann", 1);
    // A browser with no camera or microphone: its offer has no m-section, so no ICE yet.
    const std::string empty = "v=0\r\no=- 77 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    auto answer = signaling.offer("class", "viewer", empty, {});
    ASSERT_TRUE(std::holds_alternative<core::MediaAnswer>(answer)) << std::get<core::Refusal>(answer).message;
    const auto parsed = parseSdp(std::get<core::MediaAnswer>(answer).sdp);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed.description->media.empty());
    runDeferred();
    ASSERT_EQ(offers["viewer"].size(), 1u);  // Ann's tracks, and the server's ICE and DTLS
    EXPECT_EQ(offers["viewer"][0].tracks.size(), 2u);
    answerLatest("viewer");  // carries the viewer's ICE and DTLS: the transport opens now
    EXPECT_EQ(signaling.sendingTo("viewer"), 2u);
}

TEST_F(ForwardedNegotiation, ANewConnectionFromAReloadedPageIsOfferedEverythingAfresh) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    answerLatest("ann");
    answerLatest("ben");
    ASSERT_EQ(signaling.sendingTo("ann"), 2u);
    // Ann reloads: her new connection offers only her own sections, with new ICE credentials.
    std::string fresh = chromiumOffer(1);
    replaceAll(fresh, "a=ice-ufrag:HOr1", "a=ice-ufrag:NEW1");
    auto answer = signaling.offer("class", "ann", fresh, {{"0", "microphone"}, {"1", "camera"}});
    ASSERT_TRUE(std::holds_alternative<core::MediaAnswer>(answer)) << std::get<core::Refusal>(answer).message;
    EXPECT_TRUE(std::get<core::MediaAnswer>(answer).tracks.empty());
    EXPECT_EQ(signaling.sendingTo("ann"), 0u);
    runDeferred();
    ASSERT_EQ(offers["ann"].size(), 2u);
    EXPECT_EQ(offers["ann"][1].tracks.size(), 2u);  // Ben's tracks again, on the new connection
    answerLatest("ann");
    EXPECT_EQ(signaling.sendingTo("ann"), 2u);
    // The same credentials and no server sections is a client breaking JSEP: refused.
    auto broken = signaling.offer("class", "ann", fresh, {});
    ASSERT_TRUE(std::holds_alternative<core::Refusal>(broken));
    EXPECT_EQ(std::get<core::Refusal>(broken).code, core::ErrorCode::BadSdp);
}

TEST_F(ForwardedNegotiation, AVideoTrackIsOfferedWithAnRtxStreamOfItsOwn) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    ASSERT_EQ(offers["ben"].size(), 1u);
    auto offer = parseSdp(offers["ben"][0].sdp);
    ASSERT_TRUE(offer.ok());
    int videoSections = 0;
    for (const auto& m : offer.description->media) {
        if (m.kind != SdpMediaKind::Video || m.direction != SdpDirection::SendOnly) continue;
        ++videoSections;
        const SdpCodec* vp8 = forwardedCodec(m);
        ASSERT_TRUE(vp8);
        EXPECT_TRUE(rtxCodecFor(m, vp8->payloadType));
        ASSERT_EQ(m.ssrcGroups.size(), 1u);
        EXPECT_EQ(m.ssrcGroups[0].semantics, "FID");
        ASSERT_EQ(m.ssrcGroups[0].ssrcs.size(), 2u);
        EXPECT_NE(m.ssrcGroups[0].ssrcs[0], m.ssrcGroups[0].ssrcs[1]);
    }
    EXPECT_EQ(videoSections, 1);
    // The same SSRCs in the next offer (a newcomer adds tracks; Ann's stay as they were).
    const auto& first = offers["ben"][0].sdp;
    const auto at = first.find("a=ssrc-group:FID ");
    ASSERT_NE(at, std::string::npos);
    const std::string group = first.substr(at, first.find('\n', at) - at);
    answerLatest("ben");
    publish("cat", 3);
    runDeferred();
    ASSERT_EQ(offers["ben"].size(), 2u);
    EXPECT_NE(offers["ben"][1].sdp.find(group), std::string::npos);
}

TEST_F(ForwardedNegotiation, VideosSomeoneDoesNotShowArePausedForThemAlone) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    answerLatest("ann");
    answerLatest("ben");
    EXPECT_EQ(signaling.pausedFor("ann"), 0u) << "before a list, everything is sent";

    EXPECT_EQ(signaling.visibleVideos("class", "ann", {}), std::nullopt);
    EXPECT_EQ(signaling.pausedFor("ann"), 1u) << "Ben's camera, not his microphone";
    EXPECT_EQ(signaling.pausedFor("ben"), 0u);
    EXPECT_EQ(signaling.visibleVideos("class", "ann", {{"ben", "screen"}}), std::nullopt);
    EXPECT_EQ(signaling.pausedFor("ann"), 1u) << "his screen is not his camera";
    EXPECT_EQ(signaling.visibleVideos("class", "ann", {{"ben", "camera"}}), std::nullopt);
    EXPECT_EQ(signaling.pausedFor("ann"), 0u);

    // Said before their connection to the server exists, it applies to what they are sent then.
    EXPECT_EQ(signaling.visibleVideos("class", "cat", {{"ann", "camera"}}), std::nullopt);
    publish("cat", 3);
    runDeferred();
    answerLatest("cat");
    EXPECT_EQ(signaling.sendingTo("cat"), 4u);
    EXPECT_EQ(signaling.pausedFor("cat"), 1u) << "Ben's camera";
}

TEST_F(ForwardedNegotiation, ANewcomersReceiveOnlySectionsCarryTheOthersTracksInTheAnswer) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    answerLatest("ann");
    answerLatest("ben");
    // Cat's first offer has her own two sections and, for Ann and Ben, an audio and a video
    // section each to receive on, plus one video section too many.
    auto result = signaling.offer("class", "cat", withReceiveSlots(chromiumOffer(3), 2, 3),
                                  {{"0", "microphone"}, {"1", "camera"}});
    ASSERT_TRUE(std::holds_alternative<core::MediaAnswer>(result)) << std::get<core::Refusal>(result).message;
    const auto& answer = std::get<core::MediaAnswer>(result);
    ASSERT_EQ(answer.tracks.size(), 4u);
    std::map<std::string, int> perPerson;
    std::set<std::string> mids;
    for (const auto& t : answer.tracks) {
        ++perPerson[t.from];
        mids.insert(t.mid);
    }
    EXPECT_EQ(perPerson["ann"], 2);
    EXPECT_EQ(perPerson["ben"], 2);
    EXPECT_EQ(mids.size(), 4u);
    const auto parsed = parseSdp(answer.sdp);
    ASSERT_TRUE(parsed.ok());
    int sending = 0, inactive = 0;
    for (const auto& m : parsed.description->media) {
        if (m.mid.size() < 2) continue;  // her own sections
        if (m.direction == SdpDirection::SendOnly) {
            ++sending;
            EXPECT_TRUE(mids.count(m.mid)) << m.mid;
            EXPECT_FALSE(m.ssrcs.empty());
        } else {
            EXPECT_EQ(m.direction, SdpDirection::Inactive) << m.mid;
            ++inactive;
        }
    }
    EXPECT_EQ(sending, 4);
    EXPECT_EQ(inactive, 1);
    EXPECT_EQ(signaling.sendingTo("cat"), 4u) << "sent from the answer on, with no second negotiation";
    runDeferred();
    EXPECT_TRUE(offers["cat"].empty()) << "nothing is left to offer her";
    // Ann and Ben are offered Cat's tracks as before.
    ASSERT_EQ(offers["ann"].size(), 2u);
    EXPECT_EQ(offers["ann"][1].tracks.size(), 4u);
    answerLatest("ann");
    answerLatest("ben");

    // Dan comes: Cat's spare video section is reused for his camera, and a new one is made for
    // his microphone; the four tracks in her slots stay where they are.
    publish("dan", 4);
    runDeferred();
    ASSERT_EQ(offers["cat"].size(), 1u);
    const auto& offer = offers["cat"][0];
    EXPECT_EQ(offer.tracks.size(), 6u);
    const auto reoffer = parseSdp(offer.sdp);
    ASSERT_TRUE(reoffer.ok());
    std::set<std::string> sendingMids;
    for (const auto& m : reoffer.description->media) {
        if (m.direction == SdpDirection::SendOnly) sendingMids.insert(m.mid);
    }
    for (const auto& mid : mids) EXPECT_TRUE(sendingMids.count(mid)) << mid;
    EXPECT_TRUE(sendingMids.count("14")) << "the spare receive-only video section carries Dan's camera";
    EXPECT_EQ(sendingMids.size(), 6u);
    answerLatest("cat");
    EXPECT_EQ(signaling.sendingTo("cat"), 6u);
}

TEST_F(ForwardedNegotiation, ReceiveOnlySectionsFewerThanTheTracksTakeWhatFitsAndTheRestIsOffered) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    auto result = signaling.offer("class", "cat", withReceiveSlots(chromiumOffer(3), 1, 0),
                                  {{"0", "microphone"}, {"1", "camera"}});
    ASSERT_TRUE(std::holds_alternative<core::MediaAnswer>(result)) << std::get<core::Refusal>(result).message;
    const auto& answer = std::get<core::MediaAnswer>(result);
    ASSERT_EQ(answer.tracks.size(), 1u);
    EXPECT_EQ(answer.tracks[0].source, "microphone");
    EXPECT_EQ(answer.tracks[0].mid, "10");
    runDeferred();
    ASSERT_EQ(offers["cat"].size(), 1u);
    EXPECT_EQ(offers["cat"][0].tracks.size(), 4u) << "every track she gets, the one she has among them";
    answerLatest("cat");
    EXPECT_EQ(signaling.sendingTo("cat"), 4u);
}

TEST_F(ForwardedNegotiation, AConnectionTheServerDroppedIsRefusedUntilANewOneComesAndGetsEverythingAgain) {
    publish("ann", 1);
    publish("ben", 2);
    runDeferred();
    answerLatest("ann");
    answerLatest("ben");
    const auto first = parseSdp(chromiumOffer(1));
    ASSERT_TRUE(first.ok());
    const auto line = first.description->fingerprintOf(first.description->media[0]);
    ASSERT_TRUE(line);
    const auto fingerprint = CertificateFingerprint::parse(line->algorithm, line->value);
    ASSERT_TRUE(fingerprint);

    // A connection of another certificate closing says nothing about Ann's.
    auto other = *fingerprint;
    other.digest[0] ^= 0xFF;
    signaling.transportClosed("class", "ann", other);
    EXPECT_TRUE(others["ann"].empty());

    signaling.transportClosed("class", "ann", *fingerprint);  // consent lost: the plane dropped it
    ASSERT_EQ(others["ann"], std::vector<std::string>{"media-connection-lost"});
    // Her ICE restart on the old connection cannot bring it back.
    std::string restart = chromiumOffer(1);
    replaceAll(restart, "a=ice-ufrag:HOr1", "a=ice-ufrag:RST1");
    auto refused = signaling.offer("class", "ann", restart, {{"0", "microphone"}, {"1", "camera"}});
    ASSERT_TRUE(std::holds_alternative<core::Refusal>(refused));
    EXPECT_EQ(std::get<core::Refusal>(refused).code, core::ErrorCode::MediaConnectionLost);
    // Nor an answer on it: Cat comes, and the server's offer to Ann is refused when answered.
    publish("cat", 3);
    runDeferred();
    ASSERT_FALSE(offers["ann"].empty());
    const auto& pending = offers["ann"].back();
    auto answered = signaling.answer("class", "ann", pending.version, browserAnswer(pending.sdp));
    ASSERT_TRUE(answered);
    EXPECT_EQ(answered->code, core::ErrorCode::MediaConnectionLost);

    // A new connection (another certificate, new credentials) gets everyone's tracks with its
    // answer, and is not refused.
    std::string fresh = withReceiveSlots(chromiumOffer(1), 2, 2);
    replaceAll(fresh, "a=ice-ufrag:HOr1", "a=ice-ufrag:NEW1");
    replaceAll(fresh, fingerprint->hex(), other.hex());
    auto renewed = signaling.offer("class", "ann", fresh, {{"0", "microphone"}, {"1", "camera"}});
    ASSERT_TRUE(std::holds_alternative<core::MediaAnswer>(renewed)) << std::get<core::Refusal>(renewed).message;
    EXPECT_EQ(std::get<core::MediaAnswer>(renewed).tracks.size(), 4u) << "Ben's and Cat's";
    EXPECT_EQ(signaling.sendingTo("ann"), 4u);
}
