// The whole protocol without sockets: frames in, frames out.
#include "protocol/gateway.hpp"

#include "captured_frames.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <map>

using namespace parley;
namespace json = boost::json;

namespace {

using Capture = unit::CapturedFrames;

struct GatewayTest : ::testing::Test {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    Capture out;
    protocol::Gateway gw{core::RoomsConfig{2},
                         protocol::GatewayConfig{"parley/test", {.stunUrls = {"stun:127.0.0.1:3478"}}},
                         clock, ids, out};

    json::object send(protocol::SessionId s, std::string_view text) {
        gw.onText(s, text);
        return out.last(s);
    }
    std::string joinAs(protocol::SessionId s, std::string_view name, std::string_view room = "room-1") {
        auto reply = send(s, R"({"type":"join","req":1,"v":1,"room":")" + std::string(room) +
                                 R"(","name":")" + std::string(name) + R"("})");
        EXPECT_EQ(reply["type"], "joined") << json::serialize(reply);
        return std::string(reply["you"].as_object()["id"].as_string());
    }
};

TEST_F(GatewayTest, JoinedCarriesEverythingTheClientNeeds) {
    joinAs(1, "Alice");
    auto j = send(2, R"({"type":"join","req":"r-1","v":1,"room":"room-1","name":"Bob","media":{"mic":true,"cam":true,"screen":false}})");
    EXPECT_EQ(j["req"], "r-1");
    EXPECT_EQ(j["v"], 1);
    EXPECT_EQ(j["server"], "parley/test");
    EXPECT_EQ(j["room"], "room-1");
    EXPECT_EQ(j["you"].as_object()["name"], "Bob");
    EXPECT_EQ(j["you"].as_object()["media"].as_object()["mic"], true);
    ASSERT_EQ(j["participants"].as_array().size(), 1u);
    EXPECT_EQ(j["participants"].as_array()[0].as_object()["name"], "Alice");
    EXPECT_EQ(j["iceServers"].as_array()[0].as_object()["urls"].as_array()[0], "stun:127.0.0.1:3478");
    EXPECT_EQ(j["iceServers"].as_array().size(), 1u) << "no TURN configured, so no credentials";
    EXPECT_EQ(j["iceTransportPolicy"], "all");
    EXPECT_EQ(j["maxRoomSize"], 2);
    EXPECT_EQ(j["serverTime"], clock.nowMs());
    EXPECT_FALSE(j.contains("seq"));

    auto ev = out.last(1);
    EXPECT_EQ(ev["type"], "participant-joined");
    EXPECT_EQ(ev["seq"], 1);
    EXPECT_EQ(ev["participant"].as_object()["name"], "Bob");
}

TEST_F(GatewayTest, RelayStampsFromAndRepliesOkOnlyWhenAsked) {
    std::string a = joinAs(1, "A");
    std::string b = joinAs(2, "B");
    auto before = out.count(1);
    gw.onText(1, R"({"type":"offer","to":")" + b + R"(","from":"forged","sdp":"v=0\r\n"})");
    EXPECT_EQ(out.count(1), before) << "no reply without req";
    auto offer = out.last(2);
    EXPECT_EQ(offer["type"], "offer");
    EXPECT_EQ(offer["from"].as_string(), a);
    EXPECT_EQ(offer["sdp"], "v=0\r\n");
    EXPECT_EQ(offer["seq"], 1);

    auto ok = send(2, R"({"type":"answer","req":9,"to":")" + a + R"(","sdp":"x"})");
    EXPECT_EQ(ok["type"], "ok");
    EXPECT_EQ(ok["req"], 9);
    auto answer = out.frames[1].back();
    EXPECT_EQ(answer["type"], "answer");
    EXPECT_EQ(answer["seq"], 2);  // after participant-joined(B)

    send(1, R"({"type":"candidate","req":10,"to":")" + b + R"(","candidate":{"candidate":"c","sdpMid":"0","sdpMLineIndex":0}})");
    auto cand = out.last(2);
    EXPECT_EQ(cand["type"], "candidate");
    EXPECT_EQ(cand["candidate"].as_object()["candidate"], "c");
    EXPECT_EQ(cand["candidate"].as_object()["sdpMLineIndex"], 0);
    send(1, R"({"type":"candidate","to":")" + b + R"(","candidate":null})");
    EXPECT_TRUE(out.last(2)["candidate"].is_null());
}

TEST_F(GatewayTest, EveryRefusalHasItsCodeAndTheSessionCarriesOn) {
    auto code = [&](std::string_view text) { return std::string(send(1, text)["code"].as_string()); };
    EXPECT_EQ(code("nope"), "bad-json");
    EXPECT_EQ(code("[]"), "bad-message");
    EXPECT_EQ(code(R"({"type":"fly","req":3})"), "unknown-type");
    EXPECT_EQ(code(R"({"type":"offer","req":4,"to":"p1","sdp":"x"})"), "not-joined");
    EXPECT_EQ(code(R"({"type":"leave","req":5})"), "not-joined");
    EXPECT_EQ(code(R"({"type":"join","v":3,"room":"abc","name":"A"})"), "unsupported-version");
    std::string a = joinAs(1, "A");
    EXPECT_EQ(code(R"({"type":"join","v":1,"room":"abc","name":"A"})"), "already-joined");
    auto self = send(1, R"({"type":"offer","req":6,"to":")" + a + R"(","sdp":"x"})");
    EXPECT_EQ(self["code"], "self-target");
    EXPECT_EQ(self["field"], "to");
    EXPECT_EQ(self["req"], 6);
    EXPECT_EQ(code(R"({"type":"offer","to":"p999","sdp":"x"})"), "target-not-found");
    gw.onBinary(1);
    EXPECT_EQ(out.last(1)["code"], "unsupported-frame");
    auto pong = send(1, R"({"type":"ping","req":7,"t":42})");
    EXPECT_EQ(pong["type"], "pong");
    EXPECT_EQ(pong["t"], 42);
    EXPECT_EQ(pong["serverTime"], clock.nowMs());
}

TEST_F(GatewayTest, RoomFullAndIsolationBetweenRooms) {
    joinAs(1, "A");
    joinAs(2, "B");
    auto full = send(3, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"C"})");
    EXPECT_EQ(full["type"], "waiting");
    EXPECT_EQ(full["position"], 1);
    send(3, R"({"type":"leave","req":2})");
    std::string c = joinAs(3, "C", "room-2");
    auto before1 = out.count(1), before2 = out.count(2);
    auto refused = send(1, R"({"type":"offer","req":2,"to":")" + c + R"(","sdp":"x"})");
    EXPECT_EQ(refused["code"], "target-not-found");
    EXPECT_EQ(out.count(2), before2);
    EXPECT_EQ(out.count(1), before1 + 1);
    EXPECT_EQ(out.frames[3].size(), 3u) << "only its waiting, ok and joined replies";
}

TEST_F(GatewayTest, MediaAndLeaveAndDisconnect) {
    std::string a = joinAs(1, "A");
    joinAs(2, "B");
    send(1, R"({"type":"media","mic":false,"cam":true,"screen":true,"screenStream":"s1"})");
    auto media = out.last(2);
    EXPECT_EQ(media["type"], "media");
    EXPECT_EQ(media["from"].as_string(), a);
    EXPECT_EQ(media["mic"], false);
    EXPECT_EQ(media["screenStream"], "s1");
    EXPECT_EQ(send(1, R"({"type":"leave","req":"bye"})")["type"], "ok");
    auto& toB = out.frames[2];
    ASSERT_GE(toB.size(), 3u);
    EXPECT_EQ(toB[toB.size() - 2]["type"], "host-changed");
    auto left = toB[toB.size() - 3];
    EXPECT_EQ(left["type"], "participant-left");
    EXPECT_EQ(left["id"].as_string(), a);
    EXPECT_EQ(left["reason"], "left");
    std::string again = joinAs(1, "A");
    EXPECT_NE(again, a);
    gw.onDisconnect(1);
    EXPECT_EQ(out.last(2)["type"], "participant-connection") << "reconnecting, not left";
    EXPECT_EQ(out.last(2)["connected"], false);
    gw.onDisconnect(1);  // a second notice is harmless
    clock.advance(30'000);
    gw.tick();
    EXPECT_EQ(out.last(2)["type"], "participant-left");
    EXPECT_EQ(out.last(2)["reason"], "disconnected");
    EXPECT_EQ(gw.rooms().participantCount(), 1u);
}

TEST_F(GatewayTest, NamesAreCarriedAsTextNotMarkup) {
    joinAs(1, "A");
    auto j = send(2, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"<img src=x onerror=\"x()\">"})");
    EXPECT_EQ(j["you"].as_object()["name"], "<img src=x onerror=\"x()\">");
    EXPECT_EQ(out.last(1)["participant"].as_object()["name"], "<img src=x onerror=\"x()\">");
}

}  // namespace

namespace {

struct RoomControlFrames : GatewayTest {};

TEST_F(RoomControlFrames, KnockWaitingAdmissionAndHostFrames) {
    auto host = send(1, R"({"type":"join","req":1,"v":1,"room":"desk","name":"Host","settings":{"admission":"knock","sessionSeconds":600}})");
    EXPECT_EQ(host["type"], "joined");
    EXPECT_EQ(host["you"].as_object()["role"], "host");
    EXPECT_EQ(host["state"].as_object()["admission"], "knock");
    EXPECT_EQ(host["state"].as_object()["sessionEndsAt"], clock.nowMs() + 600'000);
    EXPECT_TRUE(host["queue"].as_array().empty());
    EXPECT_TRUE(host["chat"].as_array().empty());

    auto wait = send(2, R"({"type":"join","req":"w","v":1,"room":"desk","name":"Guest"})");
    EXPECT_EQ(wait["type"], "waiting");
    EXPECT_EQ(wait["req"], "w");
    EXPECT_EQ(wait["position"], 1);
    EXPECT_EQ(wait["of"], 1);
    EXPECT_TRUE(wait["estimatedWaitMs"].is_null());
    std::string guest(wait["you"].as_string());

    auto queue = out.last(1);
    EXPECT_EQ(queue["type"], "queue");
    EXPECT_EQ(queue["entries"].as_array()[0].as_object()["name"], "Guest");

    auto refused = send(2, R"({"type":"chat","req":3,"text":"hi"})");
    EXPECT_EQ(refused["code"], "not-admitted");

    EXPECT_EQ(send(1, R"({"type":"admit","req":4,"id":")" + guest + R"("})")["type"], "ok");
    bool sawJoinedEvent = false;
    for (auto& f : out.frames[2]) {
        if (f["type"] == "joined" && f.contains("seq") && !f.contains("req")) sawJoinedEvent = true;
    }
    EXPECT_TRUE(sawJoinedEvent);

    auto notHost = send(2, R"({"type":"lock","req":5,"locked":true})");
    EXPECT_EQ(notHost["code"], "not-host");
    auto missing = send(1, R"({"type":"kick","req":6,"id":"p404"})");
    EXPECT_EQ(missing["code"], "target-not-found");
    EXPECT_EQ(missing["field"], "id");

    EXPECT_EQ(send(2, R"({"type":"chat","req":7,"text":"hello  \n"})")["type"], "ok");
    auto chat = out.last(1);
    EXPECT_EQ(chat["type"], "chat");
    EXPECT_EQ(chat["message"].as_object()["text"], "hello");
    EXPECT_EQ(chat["message"].as_object()["name"], "Guest");

    send(2, R"({"type":"hand","raised":true})");
    EXPECT_EQ(out.last(1)["order"].as_array()[0].as_string(), guest);

    EXPECT_EQ(send(1, R"({"type":"extend-timer","req":8,"seconds":60})")["type"], "ok");
    auto state = out.frames[1][out.frames[1].size() - 2];
    EXPECT_EQ(state["type"], "room-state");
    EXPECT_EQ(state["state"].as_object()["sessionEndsAt"], clock.nowMs() + 660'000);

    clock.advance(660'000);
    gw.tick();
    EXPECT_EQ(out.last(2)["type"], "session-ended");
    EXPECT_EQ(out.last(2)["reason"], "time-up");
    EXPECT_EQ(gw.rooms().roomCount(), 0u);
}

TEST_F(RoomControlFrames, SettingsAndNewMessagesAreValidated) {
    auto code = [&](std::string_view text) { return std::string(send(1, text)["code"].as_string()); };
    EXPECT_EQ(code(R"({"type":"join","v":1,"room":"abc","name":"A","settings":{"admission":"vip"}})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"join","v":1,"room":"abc","name":"A","settings":{"seats":1}})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"join","v":1,"room":"abc","name":"A","settings":{"sessionSeconds":-5}})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"join","v":1,"room":"abc","name":"A","settings":[]})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"chat","text":""})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"chat"})"), "missing-field");
    EXPECT_EQ(code(R"({"type":"hand","raised":"yes"})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"admit"})"), "missing-field");
    EXPECT_EQ(code(R"({"type":"set-timer","seconds":99999999})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"extend-timer","seconds":0})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"lock"})"), "missing-field");
    EXPECT_EQ(code(R"({"type":"end-session","req":1})"), "not-joined");
    std::string longReason(201, 'x');
    EXPECT_EQ(code(R"({"type":"kick","id":"p1","reason":")" + longReason + R"("})"), "invalid-field");
}

}  // namespace

namespace {

struct Resume : GatewayTest {
    // Joins and returns {id, resumeToken}.
    std::pair<std::string, std::string> enter(protocol::SessionId s, std::string_view name, std::string_view room = "room-1") {
        auto r = send(s, R"({"type":"join","req":1,"v":1,"room":")" + std::string(room) + R"(","name":")" +
                             std::string(name) + R"("})");
        EXPECT_TRUE(r.contains("resumeToken")) << json::serialize(r);
        std::string id = r["type"] == "joined" ? std::string(r["you"].as_object()["id"].as_string())
                                               : std::string(r["you"].as_string());
        return {id, std::string(r["resumeToken"].as_string())};
    }
    static std::int64_t seqOf(const json::object& f) { return f.at("seq").as_int64(); }
};

TEST_F(Resume, DroppedSocketResumesWithItsPlaceAndTheMissedEventsExactlyOnce) {
    auto [a, tokenA] = enter(1, "A");
    auto [b, tokenB] = enter(2, "B");
    gw.onText(2, R"({"type":"offer","to":")" + a + R"(","sdp":"first"})");
    const std::int64_t seen = seqOf(out.last(1));  // A processed up to here
    gw.onDisconnect(1);
    EXPECT_EQ(gw.rooms().participantCount(), 2u) << "the seat is kept";
    gw.onText(2, R"({"type":"offer","to":")" + a + R"(","sdp":"while-away-1"})");
    gw.onText(2, R"({"type":"chat","text":"are you there?"})");
    auto before = out.count(1);

    auto r = send(7, R"({"type":"resume","req":"r","token":")" + tokenA + R"(","lastSeq":)" + std::to_string(seen) + "}");
    // `send` returns the last frame; the reply comes first, then the replay.
    auto& frames = out.frames[7];
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0]["type"], "resumed");
    EXPECT_EQ(frames[0]["req"], "r");
    EXPECT_EQ(frames[0]["you"].as_string(), a);
    EXPECT_EQ(frames[0]["replayed"], 2);
    EXPECT_EQ(frames[1]["sdp"], "while-away-1");
    EXPECT_EQ(seqOf(frames[1]), seen + 1);
    EXPECT_EQ(frames[2]["type"], "chat");
    EXPECT_EQ(seqOf(frames[2]), seen + 2);
    EXPECT_EQ(out.count(1), before) << "nothing goes to the dead socket";
    EXPECT_EQ(out.frames[2].back()["type"], "participant-connection");
    EXPECT_EQ(out.frames[2].back()["connected"], true);

    // Same id, still in the room: B can reach A on the new socket, numbering continues.
    gw.onText(2, R"({"type":"answer","to":")" + a + R"(","sdp":"after"})");
    EXPECT_EQ(out.last(7)["sdp"], "after");
    EXPECT_EQ(seqOf(out.last(7)), seen + 3);
    EXPECT_EQ(send(7, R"({"type":"offer","req":2,"to":")" + b + R"(","sdp":"x"})")["type"], "ok");
    (void)r;
    (void)tokenB;
}

TEST_F(Resume, ResumingWhileTheOldSocketLingersReplacesIt) {
    auto [a, token] = enter(1, "A");
    enter(2, "B");
    auto r = send(5, R"({"type":"resume","token":")" + token + R"(","lastSeq":1})");
    EXPECT_EQ(r["type"], "resumed");
    ASSERT_EQ(out.closed.size(), 1u);
    EXPECT_EQ(out.closed[0].first, 1u);
    EXPECT_EQ(out.closed[0].second, protocol::kCloseReplaced);
    gw.onDisconnect(1);  // the old socket's close arrives later: it no longer speaks for A
    EXPECT_EQ(gw.rooms().awayCount(), 0u);
}

TEST_F(Resume, GracePeriodExpiryReleasesTheSeatAndTheLineMoves) {
    enter(1, "A");
    auto [b, tokenB] = enter(2, "B");
    auto [c, tokenC] = enter(3, "C");  // room of 2: waits
    EXPECT_EQ(out.frames[3].front()["type"], "waiting");
    gw.onDisconnect(2);
    clock.advance(29'999);
    gw.tick();
    EXPECT_NE(out.last(3)["type"], "joined");
    clock.advance(1);
    gw.tick();
    EXPECT_EQ(out.last(3)["type"], "joined") << "C enters once B's grace ran out";
    auto late = send(9, R"({"type":"resume","req":1,"token":")" + tokenB + R"(","lastSeq":0})");
    EXPECT_EQ(late["code"], "resume-failed");
    (void)b, (void)c, (void)tokenC;
}

TEST_F(Resume, WaitingPersonKeepsTheirPlaceAcrossAResume) {
    enter(1, "A");
    enter(2, "B");
    auto [c, tokenC] = enter(3, "C");
    auto [d, tokenD] = enter(4, "D");
    gw.onDisconnect(3);
    auto r = send(8, R"({"type":"resume","req":1,"token":")" + tokenC + R"(","lastSeq":0})");
    EXPECT_EQ(out.frames[8][0]["type"], "resumed");
    send(2, R"({"type":"leave"})");
    EXPECT_EQ(out.last(8)["type"], "joined") << "C is still first in line";
    EXPECT_EQ(out.last(4)["type"], "queue-position");
    EXPECT_EQ(out.last(4)["position"], 1);
    (void)r, (void)c, (void)d, (void)tokenD;
}

TEST_F(Resume, UnknownTokenFailsAndTooLargeAGapGetsASnapshotInstead) {
    EXPECT_EQ(send(1, R"({"type":"resume","req":1,"token":"nope","lastSeq":0})")["code"], "resume-failed");
    auto [a, token] = enter(1, "A");
    auto [b, tokenB] = enter(2, "B");
    gw.onDisconnect(1);
    for (int i = 0; i < 300; ++i) {
        clock.advance(20);  // within the per-connection message rate (50/s)
        gw.onText(2, R"({"type":"candidate","to":")" + a + R"(","candidate":null})");
    }
    auto r = send(3, R"({"type":"resume","req":1,"token":")" + token + R"(","lastSeq":0})");
    ASSERT_EQ(r["type"], "resumed") << json::serialize(r);
    EXPECT_EQ(r["replayed"], 0);
    ASSERT_TRUE(r.contains("snapshot")) << "more was missed than kept: the whole picture instead";
    EXPECT_EQ(r["snapshot"].as_object()["type"], "joined");
    EXPECT_EQ(r["snapshot"].as_object()["you"].as_object()["id"].as_string(), a) << "the seat is kept";
    EXPECT_EQ(out.count(3), 1u) << "nothing replayed after it";
    EXPECT_EQ(gw.rooms().participantCount(), 2u);
    auto rebuild = out.last(2);
    EXPECT_EQ(rebuild["type"], "participant-connection");
    EXPECT_EQ(rebuild["rebuild"], true) << "the others replace their peer connection to A";
    (void)tokenB, (void)b;
}

TEST_F(Resume, SnapshotResumeCarriesTheJoinedPictureAndReplaysNothing) {
    auto [a, tokenA] = enter(1, "A");
    auto [b, tokenB] = enter(2, "B");
    gw.onText(1, R"({"type":"chat","text":"hello"})");
    gw.onDisconnect(1);
    gw.onText(2, R"({"type":"offer","to":")" + a + R"(","sdp":"for-the-old-page"})");
    const std::int64_t last = seqOf(out.last(1));  // numbered, though nobody was there to get it
    (void)last;

    auto r = send(7, R"({"type":"resume","req":3,"token":")" + tokenA + R"(","snapshot":true})");
    ASSERT_EQ(out.frames[7].size(), 1u) << "one reply, no replay";
    EXPECT_EQ(r["type"], "resumed");
    EXPECT_EQ(r["replayed"], 0);
    const auto& snap = r["snapshot"].as_object();
    EXPECT_EQ(snap.at("type"), "joined");
    EXPECT_FALSE(snap.contains("req"));
    EXPECT_FALSE(snap.contains("seq"));
    EXPECT_EQ(snap.at("resumeToken").as_string(), tokenA);
    EXPECT_EQ(snap.at("you").as_object().at("id").as_string(), a);
    EXPECT_EQ(snap.at("you").as_object().at("role"), "host");
    EXPECT_EQ(snap.at("chat").as_array().size(), 1u);
    const auto lastSeq = r["lastSeq"].as_int64();
    EXPECT_GE(lastSeq, 2);

    auto& toB = out.frames[2];
    EXPECT_EQ(toB.back()["type"], "participant-connection");
    EXPECT_EQ(toB.back()["rebuild"], true);

    // Numbering goes on after the snapshot's lastSeq.
    gw.onText(2, R"({"type":"offer","to":")" + a + R"(","sdp":"fresh"})");
    EXPECT_EQ(seqOf(out.last(7)), lastSeq + 1);
    (void)tokenB, (void)b;
}

TEST_F(Resume, SnapshotResumeOfAWaitingPersonCarriesTheirPlace) {
    enter(1, "A");
    enter(2, "B");
    auto [c, tokenC] = enter(3, "C");
    gw.onDisconnect(3);
    auto r = send(8, R"({"type":"resume","req":1,"token":")" + tokenC + R"(","snapshot":true})");
    EXPECT_EQ(r["type"], "resumed");
    const auto& snap = r["snapshot"].as_object();
    EXPECT_EQ(snap.at("type"), "waiting");
    EXPECT_EQ(snap.at("position"), 1);
    EXPECT_EQ(snap.at("you").as_string(), c);
}

TEST_F(Resume, ResumeWithoutLastSeqNeedsSnapshot) {
    auto r = send(1, R"({"type":"resume","req":1,"token":"abc"})");
    EXPECT_EQ(r["code"], "missing-field");
    EXPECT_EQ(r["field"], "lastSeq");
    EXPECT_EQ(send(1, R"({"type":"resume","req":1,"token":"abc","snapshot":"yes"})")["code"], "invalid-field");
}

TEST_F(Resume, AcknowledgedEventsAreNotReplayed) {
    auto [a, token] = enter(1, "A");
    auto [b, tokenB] = enter(2, "B");
    for (int i = 0; i < 3; ++i) gw.onText(2, R"({"type":"candidate","to":")" + a + R"(","candidate":null})");
    send(1, R"({"type":"ping","ack":4})");  // participant-joined + 3 candidates
    gw.onDisconnect(1);
    auto r = send(3, R"({"type":"resume","req":1,"token":")" + token + R"(","lastSeq":2})");
    EXPECT_EQ(out.frames[3][0]["replayed"], 0) << "seq 3 and 4 were acknowledged already";
    (void)r, (void)b, (void)tokenB;
}

}  // namespace

#include "auth/room_token.hpp"

namespace {

struct Access : ::testing::Test {
    core::ManualClock clock{1'700'000'000'000};
    core::SequentialIdSource ids;
    Capture out;
    protocol::GatewayConfig config() {
        protocol::GatewayConfig c;
        c.tokenSecret = "sekret";
        return c;
    }
    protocol::Gateway gw{core::RoomsConfig{6}, config(), clock, ids, out};

    json::object send(protocol::SessionId s, std::string_view text) {
        gw.onText(s, text);
        return out.last(s);
    }
    std::string token(std::string_view room, bool host, std::int64_t exp = 1'700'003'600, std::string_view secret = "sekret") {
        return auth::mintRoomToken({std::string(room), host ? "Teacher" : "", host, exp}, secret);
    }
    std::string joinText(std::string_view extra) {
        return R"({"type":"join","req":1,"v":1,"room":"class","name":"Someone")" + std::string(extra) + "}";
    }
};

TEST_F(Access, RoomPasswordIsCheckedForEveryoneButTheOpener) {
    EXPECT_EQ(send(1, joinText(R"(,"settings":{"password":"open sesame"})"))["type"], "joined");
    EXPECT_EQ(send(2, joinText(""))["code"], "password-required");
    EXPECT_EQ(send(2, joinText(R"(,"password":"open sesam")"))["code"], "wrong-password");
    EXPECT_EQ(send(2, joinText(R"(,"password":"open sesame")"))["type"], "joined");
    EXPECT_EQ(send(3, joinText(R"(,"token":")" + token("class", false) + R"(")"))["type"], "joined")
        << "an invitation skips the password";
}

TEST_F(Access, HostTokenWinsOverFirstOneIn) {
    auto first = send(1, joinText(R"(,"settings":{"admission":"knock"})"));
    EXPECT_EQ(first["you"].as_object()["role"], "host");
    EXPECT_EQ(send(1, R"({"type":"lock","req":2,"locked":true})")["type"], "ok");
    auto teacher = send(2, joinText(R"(,"token":")" + token("class", true) + R"(")"));
    EXPECT_EQ(teacher["type"], "joined") << "past the lock and the knock";
    EXPECT_EQ(teacher["you"].as_object()["role"], "host");
    EXPECT_EQ(teacher["you"].as_object()["name"], "Teacher") << "the token's name";
    EXPECT_EQ(out.frames[2].size(), 1u) << "the joined reply comes before any event";
    EXPECT_EQ(out.last(1)["type"], "host-changed");
    EXPECT_EQ(send(1, R"({"type":"lock","req":3,"locked":false})")["code"], "not-host");
}

TEST_F(Access, BadTokensAreRefusedWithTheReason) {
    auto code = [&](const std::string& t) { return send(1, joinText(R"(,"token":")" + t + R"(")")); };
    auto wrongRoom = code(token("other", false));
    EXPECT_EQ(wrongRoom["code"], "invalid-token");
    EXPECT_NE(std::string(wrongRoom["message"].as_string()).find("wrong-room"), std::string::npos);
    EXPECT_EQ(wrongRoom["field"], "token");
    EXPECT_EQ(code(token("class", true, 1'699'999'999))["code"], "invalid-token");
    EXPECT_EQ(code(token("class", true, 1'700'003'600, "guess"))["code"], "invalid-token");
    EXPECT_EQ(code("garbage")["code"], "invalid-token");
    EXPECT_EQ(gw.rooms().participantCount(), 0u);
}

TEST(AccessRequired, EveryJoinNeedsAToken) {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    Capture out;
    protocol::GatewayConfig c;
    c.tokenSecret = "sekret";
    c.requireToken = true;
    protocol::Gateway gw{core::RoomsConfig{6}, c, clock, ids, out};
    gw.onText(1, R"({"type":"join","req":1,"v":1,"room":"class","name":"A"})");
    EXPECT_EQ(out.last(1)["code"], "token-required");
    auto t = auth::mintRoomToken({"class", "", false, clock.nowMs() / 1000 + 60}, "sekret");
    gw.onText(1, R"({"type":"join","req":1,"v":1,"room":"class","name":"A","token":")" + t + R"("})");
    EXPECT_EQ(out.last(1)["type"], "joined");
}

}  // namespace

namespace {

struct Diagnostics : GatewayTest {};

TEST_F(Diagnostics, TraceShowsTheChainWithIceRestartsAndOutcomes) {
    std::string a = joinAs(1, "A");
    std::string b = joinAs(2, "B");
    std::string c = joinAs(3, "C", "room-2");
    gw.onText(1, R"({"type":"offer","to":")" + b + R"(","sdp":"v=0\r\na=ice-ufrag:AAAA\r\n"})");
    gw.onText(2, R"({"type":"answer","to":")" + a + R"(","sdp":"v=0\r\na=ice-ufrag:BBBB\r\n"})");
    gw.onText(1, R"({"type":"candidate","to":")" + b + R"(","candidate":null})");
    gw.onText(1, R"({"type":"offer","to":")" + b + R"(","sdp":"v=0\r\na=ice-ufrag:CCCC\r\n"})");
    gw.onText(1, R"({"type":"candidate","to":"p404","candidate":null})");

    auto trace = json::parse(*gw.traceOf("room-1")).as_object();
    std::vector<std::string> kinds;
    for (auto& step : trace["steps"].as_array()) kinds.emplace_back(step.as_object()["kind"].as_string());
    EXPECT_EQ(kinds, (std::vector<std::string>{"join", "join", "offer", "answer", "candidate", "ice-restart",
                                               "offer", "candidate"}));
    auto steps = trace["steps"].as_array();
    EXPECT_EQ(steps[2].as_object()["from"].as_string(), a);
    EXPECT_EQ(steps[2].as_object()["to"].as_string(), b);
    EXPECT_EQ(steps[2].as_object()["outcome"], "delivered");
    EXPECT_EQ(steps[7].as_object()["outcome"], "target-missing");
    EXPECT_FALSE(gw.traceOf("nowhere"));

    // A participant sees only the steps from or to them.
    auto mine = send(2, R"({"type":"trace","req":5})");
    EXPECT_EQ(mine["type"], "trace");
    EXPECT_EQ(mine["steps"].as_array().size(), 6u) << "B's join, offer, answer, candidate, restart, offer";
    auto other = send(3, R"({"type":"trace","req":6})");
    EXPECT_EQ(other["steps"].as_array().size(), 1u) << "room-2 knows nothing of room-1";
    (void)c;
}

TEST_F(Diagnostics, EitherSideMayRestartIceAndRenegotiationIsNoRestart) {
    std::string a = joinAs(1, "A");
    std::string b = joinAs(2, "B");
    auto sdp = [](const char* ufrag) { return std::string(R"(,"sdp":"v=0\r\na=ice-ufrag:)") + ufrag + R"(\r\n"})"; };
    gw.onText(1, R"({"type":"offer","to":")" + b + "\"" + sdp("AAAA"));
    gw.onText(2, R"({"type":"answer","to":")" + a + "\"" + sdp("BBBB"));
    gw.onText(2, R"({"type":"offer","to":")" + a + "\"" + sdp("CCCC"));   // B, who only answered so far, restarts
    gw.onText(1, R"({"type":"answer","to":")" + b + "\"" + sdp("DDDD"));  // A's part of B's restart
    gw.onText(1, R"({"type":"offer","to":")" + b + "\"" + sdp("DDDD"));   // A renegotiates, same ICE
    gw.onText(2, R"({"type":"answer","to":")" + a + "\"" + sdp("CCCC"));

    auto trace = json::parse(*gw.traceOf("room-1")).as_object();
    std::vector<std::string> kinds;
    for (auto& step : trace["steps"].as_array()) kinds.emplace_back(step.as_object()["kind"].as_string());
    EXPECT_EQ(kinds, (std::vector<std::string>{"join", "join", "offer", "answer", "ice-restart", "offer", "answer",
                                               "offer", "answer"}));
    auto restart = trace["steps"].as_array()[4].as_object();
    EXPECT_EQ(restart["from"].as_string(), b);
    EXPECT_EQ(restart["to"].as_string(), a);
}

TEST_F(Diagnostics, MetricsCountRelaysErrorsAndPeople) {
    std::string a = joinAs(1, "A");
    std::string b = joinAs(2, "B");
    gw.onText(1, R"({"type":"offer","to":")" + b + R"(","sdp":"x"})");
    gw.onText(1, R"({"type":"offer","to":"p404","sdp":"x"})");
    gw.onText(1, "not json");
    EXPECT_EQ(send(3, R"({"type":"join","req":1,"v":1,"room":"room-1","name":"C"})")["type"], "waiting");
    std::string m;
    gw.appendMetrics(m);
    EXPECT_NE(m.find("parley_relays_total{kind=\"offer\",outcome=\"delivered\"} 1\n"), std::string::npos) << m;
    EXPECT_NE(m.find("parley_relays_total{kind=\"offer\",outcome=\"target-missing\"} 1\n"), std::string::npos);
    EXPECT_NE(m.find("parley_errors_total{code=\"bad-json\"} 1\n"), std::string::npos);
    EXPECT_NE(m.find("parley_errors_total{code=\"target-not-found\"} 1\n"), std::string::npos);
    EXPECT_NE(m.find("parley_participants 2\n"), std::string::npos);
    EXPECT_NE(m.find("parley_queue_length 1\n"), std::string::npos);
    EXPECT_NE(m.find("parley_joins_total{result=\"waiting\"} 1\n"), std::string::npos);
    (void)a;
}

}  // namespace

namespace {

// Messages per connection: over the rate one is dropped with rate-limited; a sender that keeps
// going is closed with 4003 while the room carries on.
struct RateLimit : ::testing::Test {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    Capture out;
    static protocol::GatewayConfig config() {
        protocol::GatewayConfig c;
        c.messageRate = core::MessageRateLimit{10, 3, 4};
        return c;
    }
    protocol::Gateway gw{core::RoomsConfig{6}, config(), clock, ids, out};

    json::object send(protocol::SessionId s, std::string_view text) {
        gw.onText(s, text);
        return out.last(s);
    }
    std::string join(protocol::SessionId s, std::string_view name) {
        auto reply = send(s, R"({"type":"join","req":1,"v":1,"room":"busy","name":")" + std::string(name) + R"("})");
        EXPECT_EQ(reply["type"], "joined") << json::serialize(reply);
        return std::string(reply["you"].as_object()["id"].as_string());
    }
};

TEST_F(RateLimit, OneMessageOverTheRateIsDroppedAndTheConnectionKept) {
    const auto alice = join(1, "Alice");
    clock.advance(1000);
    const auto bob = join(2, "Bob");
    EXPECT_EQ(send(1, R"({"type":"chat","req":"a","text":"one"})")["type"], "ok");
    EXPECT_EQ(send(1, R"({"type":"chat","req":"b","text":"two"})")["type"], "ok");
    EXPECT_EQ(send(1, R"({"type":"chat","req":"c","text":"three"})")["type"], "ok");
    const std::size_t bobHad = out.count(2);
    auto refusal = send(1, R"({"type":"chat","req":"d","text":"four"})");
    EXPECT_EQ(refusal["type"], "error");
    EXPECT_EQ(refusal["code"], "rate-limited");
    EXPECT_EQ(refusal["req"], "d") << "a dropped request still gets its one reply";
    EXPECT_EQ(out.count(2), bobHad) << "the dropped chat reached nobody";
    EXPECT_TRUE(out.closed.empty());

    clock.advance(100);  // one token back at 10/s
    EXPECT_EQ(send(1, R"({"type":"chat","req":"e","text":"five"})")["type"], "ok");
    EXPECT_EQ(out.last(2)["type"], "chat");
    (void)alice, (void)bob;
}

TEST_F(RateLimit, GarbageAndBinaryFramesCountToo) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(send(1, "nonsense")["code"], "bad-json");
    EXPECT_EQ(send(1, "nonsense")["code"], "rate-limited");
    gw.onBinary(1);
    EXPECT_EQ(out.last(1)["code"], "rate-limited");
}

TEST_F(RateLimit, ASustainedFloodClosesWith4003AndOthersCarryOn) {
    join(1, "Mallory");
    clock.advance(1000);
    const auto alice = join(2, "Alice");
    for (int i = 0; i < 3; ++i) send(1, R"({"type":"ping","t":1})");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(send(1, R"({"type":"ping","t":1})")["code"], "rate-limited");
    EXPECT_TRUE(out.closed.empty());
    gw.onText(1, R"({"type":"ping","t":1})");
    ASSERT_EQ(out.closed.size(), 1u);
    EXPECT_EQ(out.closed[0], std::make_pair(protocol::SessionId{1}, protocol::kCloseFlooding));
    EXPECT_EQ(gw.counters().floodCloses, 1u);

    // The transport reports the socket gone; Alice's own budget (burst 3, one spent on her
    // join) is untouched by Mallory's flood.
    gw.onDisconnect(1);
    EXPECT_EQ(out.last(2)["type"], "participant-connection");
    for (int i = 0; i < 2; ++i) EXPECT_EQ(send(2, R"({"type":"ping","req":9,"t":1})")["type"], "pong");
}

TEST_F(RateLimit, EachConnectionHasItsOwnBudget) {
    for (int i = 0; i < 3; ++i) send(1, R"({"type":"ping","t":1})");
    EXPECT_EQ(send(1, R"({"type":"ping","t":1})")["code"], "rate-limited");
    EXPECT_EQ(send(2, R"({"type":"ping","t":1})")["type"], "pong");
}

TEST(RateLimitOff, RateZeroAcceptsEverything) {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    Capture out;
    protocol::GatewayConfig c;
    c.messageRate = core::MessageRateLimit{0, 1, 1};
    protocol::Gateway gw{core::RoomsConfig{6}, c, clock, ids, out};
    for (int i = 0; i < 500; ++i) {
        gw.onText(1, R"({"type":"ping","t":1})");
        ASSERT_EQ(out.last(1)["type"], "pong") << i;
    }
}

TEST_F(GatewayTest, ANegotiationFailureIsRelayedTracedAndValidated) {
    std::string a = joinAs(1, "A");
    std::string b = joinAs(2, "B");
    auto ok = send(2, R"({"type":"negotiation-failed","req":3,"to":")" + a +
                          R"(","description":"offer","reason":"Failed to parse SessionDescription"})");
    EXPECT_EQ(ok["type"], "ok");
    auto event = out.last(1);
    EXPECT_EQ(event["type"], "negotiation-failed");
    EXPECT_EQ(event["from"].as_string(), b);
    EXPECT_EQ(event["description"], "offer");
    EXPECT_EQ(event["reason"], "Failed to parse SessionDescription");
    EXPECT_TRUE(event.contains("seq"));

    auto trace = send(1, R"({"type":"trace","req":4})");
    const auto& steps = trace["steps"].as_array();
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.back().as_object().at("kind"), "negotiation-failed");

    auto code = [&](std::string_view text) { return std::string(send(2, text)["code"].as_string()); };
    EXPECT_EQ(code(R"({"type":"negotiation-failed","req":5,"to":")" + a + R"(","description":"pranswer"})"), "invalid-field");
    EXPECT_EQ(code(R"({"type":"negotiation-failed","req":6,"to":")" + a + R"("})"), "missing-field");
    EXPECT_EQ(code(R"({"type":"negotiation-failed","req":7,"to":")" + a + R"(","description":"answer","reason":")" +
                   std::string(501, 'r') + R"("})"), "invalid-field");
    auto noReason = send(2, R"({"type":"negotiation-failed","req":8,"to":")" + a + R"(","description":"answer"})");
    EXPECT_EQ(noReason["type"], "ok");
    EXPECT_EQ(out.last(1)["reason"], "");
}

}  // namespace
