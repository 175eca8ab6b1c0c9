// Every refusal has its stable code (and field), echoes req, and leaves the connection usable.
#include <optional>

#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class Refusals : public ServerSuite<Refusals> {};

void joinAlone(Peer& peer) { peer.join(uniqueRoom("alone"), "Alice"); }

// Sends `message`, expects the error `code` (naming `fieldName` when given), then proves the
// connection still answers a ping and nothing else was queued.
void expectRefused(Peer& peer, json::object message, std::string_view code,
                   std::optional<std::string_view> fieldName = std::nullopt) {
    const std::string sent = json::serialize(message);
    const auto error = peer.expectRefusal(std::move(message), code);
    if (fieldName) {
        const auto* named = error.if_contains("field");
        EXPECT_TRUE(named && *named == json::value(*fieldName))
            << "expected field '" << *fieldName << "' for " << sent << ", got " << json::serialize(error);
    }
    peer.expectNothingPending();
}

// For frames that cannot carry a usable req: the error comes without one.
void expectRefusedRaw(Peer& peer, std::string_view frame, std::string_view code) {
    peer.sendRaw(frame);
    const auto error = peer.expect("error");
    EXPECT_EQ(str(error, "code"), code) << "for frame " << frame << " got " << json::serialize(error);
    EXPECT_FALSE(error.contains("req")) << json::serialize(error);
    peer.expectNothingPending();
}

json::object join(std::string_view room, std::string_view name, int version = 1) {
    return {{"type", "join"}, {"v", version}, {"room", room}, {"name", name}};
}

TEST_F(Refusals, BadJson) {
    Peer peer(port());
    for (std::string_view frame : {"{not json", "", "{\"type\": \"ping\"", "{'type': 'ping'}", "nul"}) {
        SCOPED_TRACE(frame);
        expectRefusedRaw(peer, frame, "bad-json");
    }
}

TEST_F(Refusals, BadMessage) {
    Peer peer(port());
    for (std::string_view frame : {"[1, 2]", "[]", "42", "\"join\"", "null", "true", "{}",
                                   "{\"type\": 5}", "{\"type\": null}", "{\"type\": [\"join\"]}"}) {
        SCOPED_TRACE(frame);
        expectRefusedRaw(peer, frame, "bad-message");
    }
}

TEST_F(Refusals, BadMessageStillEchoesAValidReq) {
    Peer peer(port());
    expectRefused(peer, {{"room", "abc"}}, "bad-message");  // an object without type
}

TEST_F(Refusals, UnknownType) {
    Peer peer(port());
    expectRefused(peer, {{"type", "dance"}}, "unknown-type");
    expectRefused(peer, {{"type", "JOIN"}}, "unknown-type");
    expectRefusedRaw(peer, R"({"type": "participant-joined"})", "unknown-type");
}

TEST_F(Refusals, MissingField) {
    Peer fresh(port());
    expectRefused(fresh, {{"type", "join"}, {"v", 1}, {"name", "Alice"}}, "missing-field", "room");
    expectRefused(fresh, {{"type", "join"}, {"v", 1}, {"room", "abc"}}, "missing-field", "name");

    Peer peer(port());
    joinAlone(peer);
    expectRefused(peer, {{"type", "offer"}, {"sdp", "v=0\r\n"}}, "missing-field", "to");
    expectRefused(peer, {{"type", "offer"}, {"to", "p0000000000"}}, "missing-field", "sdp");
    expectRefused(peer, {{"type", "answer"}, {"to", "p0000000000"}}, "missing-field", "sdp");
    expectRefused(peer, {{"type", "candidate"}, {"candidate", nullptr}}, "missing-field", "to");
    expectRefused(peer, {{"type", "candidate"}, {"to", "p0000000000"}}, "missing-field", "candidate");
}

TEST_F(Refusals, InvalidField) {
    Peer fresh(port());
    expectRefused(fresh, {{"type", "join"}, {"v", 1}, {"room", "abc"}, {"name", "A"}, {"media", "all"}},
                  "invalid-field", "media");

    // `other` shares the room, so each message would be delivered if it were well formed.
    const auto room = uniqueRoom("invalid");
    Peer other(port()), peer(port());
    other.join(room, "Other");
    peer.join(room, "Alice");
    other.expect("participant-joined");
    const std::string to = other.id();

    expectRefused(peer, {{"type", "offer"}, {"to", to}, {"sdp", 5}}, "invalid-field", "sdp");
    expectRefused(peer, {{"type", "offer"}, {"to", to}, {"sdp", nullptr}}, "invalid-field", "sdp");
    expectRefused(peer, {{"type", "offer"}, {"to", 7}, {"sdp", "v=0\r\n"}}, "invalid-field", "to");
    expectRefused(peer, {{"type", "answer"}, {"to", to}, {"sdp", std::string(60'001, 'x')}},
                  "invalid-field", "sdp");
    expectRefused(peer, {{"type", "candidate"}, {"to", to}, {"candidate", "candidate:1 1 udp"}},
                  "invalid-field", "candidate");
    expectRefused(peer, {{"type", "candidate"}, {"to", to}, {"candidate", json::array{}}},
                  "invalid-field", "candidate");
    // The object form needs a string `candidate` of at most 2,048 bytes.
    // The inner `candidate` string is required (an absent one is missing, not invalid).
    expectRefused(peer, {{"type", "candidate"}, {"to", to}, {"candidate", {{"sdpMid", "0"}}}},
                  "missing-field", "candidate");
    expectRefused(peer, {{"type", "candidate"}, {"to", to}, {"candidate", {{"candidate", 1}}}},
                  "invalid-field");
    expectRefused(peer,
                  {{"type", "candidate"}, {"to", to}, {"candidate", {{"candidate", std::string(2049, 'c')}}}},
                  "invalid-field");
    expectRefused(peer, {{"type", "media"}, {"mic", "yes"}, {"cam", false}, {"screen", false}},
                  "invalid-field");
    expectRefused(peer,
                  {{"type", "media"}, {"mic", true}, {"cam", false}, {"screen", true},
                   {"screenStream", std::string(65, 's')}},
                  "invalid-field", "screenStream");

    // None of the refused relays reached the target.
    other.expectNothingPending();
    EXPECT_EQ(other.lastSeq(), 1u);
}

TEST_F(Refusals, ReqThatIsNeitherShortStringNorInteger) {
    Peer peer(port());
    for (const char* frame : {R"({"type": "ping", "t": 1, "req": {"a": 1}})",
                              R"({"type": "ping", "t": 1, "req": 1.5})",
                              R"({"type": "ping", "t": 1, "req": true})"}) {
        SCOPED_TRACE(frame);
        expectRefusedRaw(peer, frame, "invalid-field");
    }
    const std::string longReq =
        R"({"type": "ping", "t": 1, "req": ")" + std::string(65, 'r') + R"("})";
    expectRefusedRaw(peer, longReq, "invalid-field");
}

TEST_F(Refusals, UnsupportedVersion) {
    Peer peer(port());
    for (int version : {0, 2, 99}) {
        SCOPED_TRACE(version);
        expectRefused(peer, join(uniqueRoom("version"), "Alice", version), "unsupported-version");
    }
}

TEST_F(Refusals, InvalidRoom) {
    Peer peer(port());
    for (std::string room : {std::string(""), std::string("ab"), std::string(65, 'a'),
                             std::string("Brave-Otter"), std::string("-abc"), std::string("abc-"),
                             std::string("a_b_c"), std::string("room one"), std::string("caf\xC3\xA9"),
                             std::string("abc/def"), std::string("../etc")}) {
        SCOPED_TRACE(room);
        expectRefused(peer, join(room, "Alice"), "invalid-room");
    }
    // The limits themselves are fine.
    EXPECT_EQ(str(peer.request(join("a-1", "Alice")), "type"), "joined");
    EXPECT_EQ(str(peer.request({{"type", "leave"}}), "type"), "ok");
    EXPECT_EQ(str(peer.request(join(std::string(64, 'z'), "Alice")), "type"), "joined");
}

TEST_F(Refusals, InvalidName) {
    Peer peer(port());
    std::string sixtyFiveAccents;
    for (int i = 0; i < 65; ++i) sixtyFiveAccents += "\xC3\xA9";
    for (std::string name : {std::string(""), std::string("   "), std::string(65, 'n'), sixtyFiveAccents,
                             std::string("Al\x07ice"), std::string("Al\nice"), std::string("Al\tice"),
                             std::string("Al\x7Fice"), std::string("Al\xC2\x85ice"),
                             std::string("Al\x00ice", 6)}) {
        SCOPED_TRACE(json::serialize(json::value(name)));
        expectRefused(peer, join(uniqueRoom("names"), name), "invalid-name");
    }
    EXPECT_EQ(str(peer.request(join(uniqueRoom("names"), std::string(64, 'n'))), "type"), "joined");
}

TEST_F(Refusals, UnsupportedFrame) {
    Peer peer(port());
    joinAlone(peer);
    peer.socket().sendBinary(std::string("\x00\x01\x02{\"type\":\"ping\"}", 18));
    const auto error = peer.expect("error");
    EXPECT_EQ(str(error, "code"), "unsupported-frame") << json::serialize(error);
    peer.expectNothingPending();
    // Still in the room and still able to act.
    EXPECT_EQ(str(peer.request({{"type", "leave"}}), "type"), "ok");
}

TEST_F(Refusals, NotJoined) {
    Peer peer(port());
    const json::object messages[] = {
        {{"type", "offer"}, {"to", "p0000000000"}, {"sdp", "v=0\r\n"}},
        {{"type", "answer"}, {"to", "p0000000000"}, {"sdp", "v=0\r\n"}},
        {{"type", "candidate"}, {"to", "p0000000000"}, {"candidate", nullptr}},
        {{"type", "media"}, {"mic", true}, {"cam", true}, {"screen", false}},
        {{"type", "leave"}},
    };
    for (const auto& message : messages) {
        SCOPED_TRACE(json::serialize(message));
        expectRefused(peer, message, "not-joined");
    }
    // ... and again after leaving.
    peer.join(uniqueRoom("left"), "Alice");
    EXPECT_EQ(str(peer.request({{"type", "leave"}}), "type"), "ok");
    for (const auto& message : messages) {
        SCOPED_TRACE(json::serialize(message));
        expectRefused(peer, message, "not-joined");
    }
}

TEST_F(Refusals, NotJoinedWithoutReqStillReportsTheError) {
    Peer peer(port());
    peer.send({{"type", "leave"}});
    const auto error = peer.expect("error");
    EXPECT_EQ(str(error, "code"), "not-joined");
    EXPECT_FALSE(error.contains("req")) << json::serialize(error);
    peer.expectNothingPending();
}

TEST_F(Refusals, AlreadyJoinedKeepsTheFirstSeat) {
    const auto room = uniqueRoom("twice");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");

    expectRefused(bob, join(room, "Bob"), "already-joined");
    expectRefused(bob, join(uniqueRoom("other"), "Bob"), "already-joined");

    alice.send({{"type", "offer"}, {"to", bob.id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(str(bob.expect("offer"), "from"), alice.id());
    alice.expectNothingPending();  // no second participant-joined for the refused joins
}

TEST_F(Refusals, TargetNotFound) {
    const auto room = uniqueRoom("targets");
    Peer alice(port()), bob(port()), stranger(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    stranger.join(uniqueRoom("elsewhere"), "Stranger");

    expectRefused(alice, {{"type", "offer"}, {"to", "p0000000000"}, {"sdp", "v=0\r\n"}},
                  "target-not-found", "to");
    expectRefused(alice, {{"type", "offer"}, {"to", ""}, {"sdp", "v=0\r\n"}}, "target-not-found", "to");
    // A participant of another room is not addressable, whatever the kind.
    expectRefused(alice, {{"type", "offer"}, {"to", stranger.id()}, {"sdp", "v=0\r\n"}},
                  "target-not-found", "to");
    expectRefused(alice, {{"type", "answer"}, {"to", stranger.id()}, {"sdp", "v=0\r\n"}},
                  "target-not-found", "to");
    expectRefused(alice, {{"type", "candidate"}, {"to", stranger.id()}, {"candidate", nullptr}},
                  "target-not-found", "to");
    stranger.expectNothingPending();
    EXPECT_EQ(stranger.lastSeq(), 0u);

    // Someone who left is gone.
    const std::string bobId = bob.id();
    EXPECT_EQ(str(bob.request({{"type", "leave"}}), "type"), "ok");
    alice.expect("participant-left");
    expectRefused(alice, {{"type", "offer"}, {"to", bobId}, {"sdp", "v=0\r\n"}}, "target-not-found", "to");
    bob.expectNothingPending();
}

TEST_F(Refusals, SelfTarget) {
    Peer peer(port());
    joinAlone(peer);
    expectRefused(peer, {{"type", "offer"}, {"to", peer.id()}, {"sdp", "v=0\r\n"}}, "self-target", "to");
    expectRefused(peer, {{"type", "candidate"}, {"to", peer.id()}, {"candidate", nullptr}}, "self-target",
                  "to");
}

TEST_F(Refusals, ARefusedJoinHasNoEffect) {
    const auto room = uniqueRoom("noeffect");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    expectRefused(bob, join(room, ""), "invalid-name");
    expectRefused(bob, {{"type", "leave"}}, "not-joined");
    alice.expectNothingPending();  // nobody joined
    bob.join(room, "Bob");
    EXPECT_EQ(field(alice.expect("participant-joined"), "seq"), json::value(1));
}

}  // namespace
}  // namespace parley::itest
