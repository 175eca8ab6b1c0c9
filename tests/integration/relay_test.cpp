// offer / answer / candidate relayed to one participant of the same room, from stamped by
// the server, seq without gaps, exactly one reply per req.
#include <optional>

#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class Relay : public ServerSuite<Relay> {
protected:
    void SetUp() override {
        ServerSuite::SetUp();
        if (HasFatalFailure()) return;
        const auto room = uniqueRoom("relay");
        alice_.emplace(port());
        bob_.emplace(port());
        alice_->join(room, "Alice");
        bob_->join(room, "Bob");
        alice_->expect("participant-joined");
    }

    // Created in SetUp, once the server is known to run.
    std::optional<Peer> alice_;
    std::optional<Peer> bob_;
};

const json::object kCandidate = {
    {"candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host"},
    {"sdpMid", "0"},
    {"sdpMLineIndex", 0},
    {"usernameFragment", "a1b2"}};

TEST_F(Relay, OfferReachesTheTargetWithServerStampedFrom) {
    const std::string sdp = "v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    const auto ok = alice_->request({{"type", "offer"}, {"to", bob_->id()}, {"sdp", sdp}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);

    const auto offer = bob_->expect("offer");
    EXPECT_EQ(str(offer, "from"), alice_->id());
    EXPECT_EQ(str(offer, "sdp"), sdp);
    EXPECT_EQ(field(offer, "seq"), json::value(1));
    EXPECT_FALSE(offer.contains("to")) << json::serialize(offer);
    EXPECT_FALSE(offer.contains("req")) << "the sender's req leaked: " << json::serialize(offer);
    alice_->expectNothingPending();  // exactly one ok, and no echo to the sender
    bob_->expectNothingPending();
}

TEST_F(Relay, AForgedFromIsIgnored) {
    alice_->send({{"type", "offer"}, {"to", bob_->id()}, {"from", bob_->id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(str(bob_->expect("offer"), "from"), alice_->id());
    alice_->send({{"type", "candidate"}, {"to", bob_->id()}, {"from", "p0000000000"}, {"candidate", kCandidate}});
    EXPECT_EQ(str(bob_->expect("candidate"), "from"), alice_->id());
}

TEST_F(Relay, AnswerGoesBackToTheOfferer) {
    alice_->send({{"type", "offer"}, {"to", bob_->id()}, {"sdp", "v=0\r\noffer\r\n"}});
    const auto offer = bob_->expect("offer");
    const auto ok = bob_->request({{"type", "answer"}, {"to", str(offer, "from")}, {"sdp", "v=0\r\nanswer\r\n"}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);
    const auto answer = alice_->expect("answer");
    EXPECT_EQ(str(answer, "from"), bob_->id());
    EXPECT_EQ(str(answer, "sdp"), "v=0\r\nanswer\r\n");
}

TEST_F(Relay, CandidateObjectIsRelayedUntouched) {
    const auto ok = alice_->request({{"type", "candidate"}, {"to", bob_->id()}, {"candidate", kCandidate}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);
    const auto candidate = bob_->expect("candidate");
    EXPECT_EQ(str(candidate, "from"), alice_->id());
    EXPECT_EQ(field(candidate, "candidate"), json::value(kCandidate));
}

TEST_F(Relay, EndOfCandidatesRelaysAsNull) {
    const auto ok = alice_->request({{"type", "candidate"}, {"to", bob_->id()}, {"candidate", nullptr}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);
    const auto candidate = bob_->expect("candidate");
    EXPECT_EQ(str(candidate, "from"), alice_->id());
    EXPECT_TRUE(field(candidate, "candidate").is_null()) << json::serialize(candidate);
}

TEST_F(Relay, SeqIncreasesWithoutGapsAcrossEventKinds) {
    // bob joined last, so his first event is the first relay.
    for (int i = 0; i < 20; ++i) {
        if (i % 2) {
            alice_->send({{"type", "candidate"}, {"to", bob_->id()}, {"candidate", kCandidate}});
        } else {
            alice_->send({{"type", "offer"}, {"to", bob_->id()}, {"sdp", "v=0\r\n"}});
        }
    }
    for (int i = 0; i < 20; ++i) {
        const auto event = bob_->expect(i % 2 ? "candidate" : "offer");
        EXPECT_EQ(field(event, "seq"), json::value(i + 1));  // Peer also checks consecutiveness
    }
    bob_->send({{"type", "answer"}, {"to", alice_->id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(field(alice_->expect("answer"), "seq"), json::value(2));  // after participant-joined
}

TEST_F(Relay, StringReqIsEchoedAndMessagesWithoutReqGetNoReply) {
    alice_->send({{"type", "offer"}, {"req", "offer-1"}, {"to", bob_->id()}, {"sdp", "v=0\r\n"}});
    const auto ok = alice_->expect("ok");
    EXPECT_EQ(field(ok, "req"), json::value("offer-1"));

    alice_->send({{"type", "offer"}, {"to", bob_->id()}, {"sdp", "v=0\r\n"}});
    alice_->send({{"type", "candidate"}, {"to", bob_->id()}, {"candidate", nullptr}});
    bob_->expect("offer");
    bob_->expect("offer");
    bob_->expect("candidate");
    alice_->expectNothingPending();
}

TEST_F(Relay, ReqOfSixtyFourCharactersIsEchoed) {
    const std::string req(64, 'r');
    alice_->send({{"type", "offer"}, {"req", req}, {"to", bob_->id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(field(alice_->expect("ok"), "req"), json::value(req));
}

TEST_F(Relay, NothingIsRelayedToARoomOnItsOwn) {
    Peer carol(port());
    carol.join(uniqueRoom("elsewhere"), "Carol");
    alice_->expectRefusal(
        {{"type", "offer"}, {"to", carol.id()}, {"sdp", "v=0\r\n"}}, "target-not-found");
    carol.expectNothingPending();
}

}  // namespace
}  // namespace parley::itest
