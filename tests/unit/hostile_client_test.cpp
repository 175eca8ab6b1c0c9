// The gateway against clients that try to take more than their share or see more than they
// may (issue "Hostile clients"): per-address seats and rooms, password guessing, host tokens,
// token names, the trace of someone waiting, what comes first, and control frames.
#include "protocol/gateway.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>

#include "auth/room_token.hpp"
#include "captured_frames.hpp"

using namespace parley;
namespace json = boost::json;

namespace {


core::RoomsConfig roomsConfig() {
    core::RoomsConfig config{3};
    config.perAddress = core::AddressLimits{4, 2, 6, 3};  // 4 seats, 2 rooms, 6 a minute (3 at once)
    return config;
}

struct Hostile : ::testing::Test {
    core::ManualClock clock;
    core::SequentialIdSource ids;
    unit::CapturedFrames out;
    protocol::Gateway gw{roomsConfig(), protocol::GatewayConfig{"parley/test", {}, "secret"}, clock, ids, out};
    protocol::SessionId next = 1;

    // A new connection from `address` sends `join`; returns {session, reply}.
    std::pair<protocol::SessionId, json::object> join(std::string_view address, std::string_view room,
                                                      std::string extra = {}) {
        const auto s = next++;
        gw.onOpen(s, std::string(address));
        gw.onText(s, R"({"type":"join","req":1,"v":1,"room":")" + std::string(room) + R"(","name":"N")" +
                         extra + "}");
        return {s, out.frames[s].back()};
    }
    static std::string code(const json::object& reply) {
        return reply.contains("code") ? std::string(reply.at("code").as_string()) : std::string(reply.at("type").as_string());
    }
};

TEST_F(Hostile, SeatsOfVanishedSocketsCountAgainstTheirAddress) {
    for (int i = 0; i < 2; ++i) {
        auto [s, reply] = join("10.0.0.1", "room-a");
        EXPECT_EQ(code(reply), "joined");
        gw.onDisconnect(s);  // gone, but the seat is kept for the resume grace
    }
    for (int i = 0; i < 2; ++i) {
        auto [s, reply] = join("10.0.0.1", "room-b");
        EXPECT_EQ(code(reply), "joined");
        gw.onDisconnect(s);
    }
    auto [s, refused] = join("10.0.0.1", "room-a");
    EXPECT_EQ(code(refused), "too-many-seats");
    EXPECT_EQ(code(join("10.0.0.2", "room-a").second), "joined") << "another address is not held back";
    clock.advance(31'000);
    gw.tick();  // the grace ends: the seats are given back
    EXPECT_EQ(code(join("10.0.0.1", "room-c").second), "joined");
}

TEST_F(Hostile, RoomsOpenedFromOneAddressAreCappedAndPaced) {
    EXPECT_EQ(code(join("10.0.0.1", "one").second), "joined");
    EXPECT_EQ(code(join("10.0.0.1", "two").second), "joined");
    auto refused = join("10.0.0.1", "three").second;
    EXPECT_EQ(code(refused), "too-many-rooms");
    EXPECT_FALSE(refused.contains("retryAfterMs")) << "a cap, not a pace: close one first";
    EXPECT_EQ(code(join("10.0.0.1", "one").second), "joined") << "joining an open room is not opening one";
    EXPECT_EQ(code(join("10.0.0.2", "three").second), "joined");
    EXPECT_EQ(gw.rooms().roomCount(), 3u);
}

TEST_F(Hostile, ProbingForRoomsIsPaced) {
    // Each probe opens an empty room and leaves it: the cap never bites, the pace does.
    int opened = 0;
    json::object last;
    for (int i = 0; i < 10; ++i) {
        auto [s, reply] = join("10.0.0.9", "probe-" + std::to_string(i));
        last = reply;
        if (code(reply) != "joined") break;
        ++opened;
        gw.onText(s, R"({"type":"leave"})");
    }
    EXPECT_EQ(opened, 3) << "three back to back";
    EXPECT_EQ(code(last), "too-many-rooms");
    ASSERT_TRUE(last.contains("retryAfterMs"));
    EXPECT_GT(last["retryAfterMs"].as_int64(), 0);
    EXPECT_LE(last["retryAfterMs"].as_int64(), 10'001);
    clock.advance(last["retryAfterMs"].as_int64());
    EXPECT_EQ(code(join("10.0.0.9", "probe-x").second), "joined");
}

TEST_F(Hostile, WrongPasswordsWaitLongerEachTimeAndTheRightGuestStillGetsIn) {
    join("10.0.0.1", "locked-room", R"(,"settings":{"password":"sesame"})");
    std::string last;
    std::int64_t wait = 0;
    for (int i = 0; i < 8; ++i) {
        auto reply = join("10.6.6.6", "locked-room", R"(,"password":"guess)" + std::to_string(i) + R"(")").second;
        last = code(reply);
        if (last == "too-many-attempts") {
            wait = reply["retryAfterMs"].as_int64();
            break;
        }
        EXPECT_EQ(last, "wrong-password");
    }
    EXPECT_EQ(last, "too-many-attempts");
    EXPECT_GT(wait, 0);
    auto held = join("10.6.6.6", "locked-room", R"(,"password":"sesame")").second;
    EXPECT_EQ(code(held), "too-many-attempts") << "while waiting, even the right password is not checked";
    EXPECT_EQ(code(join("10.0.0.7", "locked-room", R"(,"password":"sesame")").second), "joined")
        << "a guest on another address is not locked out";
    clock.advance(wait);
    EXPECT_EQ(code(join("10.6.6.6", "locked-room", R"(,"password":"wrong-again")").second), "wrong-password");
    auto longer = join("10.6.6.6", "locked-room", R"(,"password":"x")").second;
    ASSERT_EQ(code(longer), "too-many-attempts");
    EXPECT_GT(longer["retryAfterMs"].as_int64(), wait) << "each wrong guess makes the next wait longer";
}

TEST_F(Hostile, AHostTokenDoesNotMakeARoomBiggerThanItsSize) {
    const std::string token = auth::mintRoomToken({"capped", "", true, clock.nowMs() / 1000 + 3600}, "secret");
    int inside = 0;
    std::string refusal;
    for (int i = 0; i < 6; ++i) {
        auto reply = join("10.0.0." + std::to_string(i + 1), "capped", R"(,"token":")" + token + R"(")").second;
        if (code(reply) == "joined") ++inside; else refusal = code(reply);
    }
    EXPECT_EQ(inside, 3) << "the room holds 3 (--max-room-size)";
    EXPECT_EQ(refusal, "no-free-seat");
}

TEST_F(Hostile, ATokenNameIsADisplayNameLikeAnyOther) {
    for (const std::string& bad : {std::string(303, 'x'), std::string("ab\x01" "cd"), std::string("x\u202Ey")}) {
        const std::string token = auth::mintRoomToken({"named", bad, false, clock.nowMs() / 1000 + 3600}, "secret");
        auto reply = join("10.0.0.1", "named", R"(,"token":")" + token + R"(")").second;
        EXPECT_EQ(code(reply), "invalid-token") << bad.size();
    }
    const std::string ok = auth::mintRoomToken({"named", "  Dr. Ng  ", false, clock.nowMs() / 1000 + 3600}, "secret");
    auto joined = join("10.0.0.1", "named", R"(,"token":")" + ok + R"(")").second;
    ASSERT_EQ(code(joined), "joined");
    EXPECT_EQ(joined["you"].as_object()["name"], "Dr. Ng");
}

TEST_F(Hostile, SomeoneWaitingCannotReadTheTrace) {
    auto [host, joined] = join("10.0.0.1", "knock-room", R"(,"settings":{"admission":"knock"})");
    auto [guest, waiting] = join("10.0.0.2", "knock-room");
    ASSERT_EQ(code(waiting), "waiting");
    const std::string guestId(waiting["you"].as_string());
    gw.onText(host, R"({"type":"offer","to":")" + guestId + R"(","sdp":"v=0"})");
    gw.onText(guest, R"({"type":"trace","req":5})");
    auto reply = out.frames[guest].back();
    EXPECT_EQ(code(reply), "not-admitted");
    EXPECT_EQ(json::serialize(reply).find(std::string(joined["you"].as_object()["id"].as_string())), std::string::npos);
}

TEST_F(Hostile, JoinedIsTheFirstFrameInOfficeHours) {
    auto [host, j] = join("10.0.0.1", "office", R"(,"settings":{"admission":"one-at-a-time","slotSeconds":300})");
    auto [guest, reply] = join("10.0.0.2", "office");
    ASSERT_FALSE(out.frames[guest].empty());
    EXPECT_EQ(out.frames[guest].front()["type"], "joined") << "the slot is in the joined snapshot";
    EXPECT_FALSE(out.frames[guest].front()["state"].as_object()["slotEndsAt"].is_null());

    auto [next, waiting] = join("10.0.0.3", "office");
    ASSERT_EQ(code(waiting), "waiting");
    gw.onText(guest, R"({"type":"leave"})");
    const auto& frames = out.frames[next];
    ASSERT_GE(frames.size(), 2u);
    EXPECT_EQ(frames[0].at("type"), "waiting");
    for (std::size_t i = 1; i < frames.size(); ++i) {
        EXPECT_NE(frames[i].at("type"), "room-state") << "nothing of the room before the joined event";
        if (frames[i].at("type") == "joined") break;
    }
    bool admitted = false;
    for (const auto& f : frames) admitted = admitted || f.at("type") == "joined";
    EXPECT_TRUE(admitted);
}

TEST_F(Hostile, ControlFramesCountAgainstTheMessageRate) {
    gw.onOpen(50, "10.0.0.1");
    int answered = 0;
    for (int i = 0; i < 150; ++i) answered += gw.onControl(50) ? 1 : 0;
    EXPECT_EQ(answered, 100) << "the burst, then pings go unanswered";
    EXPECT_TRUE(out.frames[50].empty()) << "no error frame is sent for a control frame";
    for (int i = 0; i < 100; ++i) gw.onControl(50);
    ASSERT_FALSE(out.closed.empty());
    EXPECT_EQ(out.closed.back(), (std::pair<protocol::SessionId, std::uint16_t>{50, 4003}));
}

TEST_F(Hostile, AReaderThatNeverAcknowledgesHoldsABoundedLog) {
    auto [a, ja] = join("10.0.0.1", "big");
    auto [b, jb] = join("10.0.0.2", "big");
    const std::string bId(jb["you"].as_object()["id"].as_string());
    const std::string sdp(50'000, 'v');
    for (int i = 0; i < 40; ++i) {
        clock.advance(30);
        gw.onText(a, R"({"type":"offer","to":")" + bId + R"(","sdp":")" + sdp + R"("})");
    }
    std::string metrics;
    gw.appendMetrics(metrics);
    const auto overflows = metrics.find("\nparley_replay_overflows_total ");
    ASSERT_NE(overflows, std::string::npos);
    EXPECT_GE(std::stoul(metrics.substr(overflows + 31)), 1u) << "2 MB unacknowledged passed the budget";
    const auto at = metrics.find("\nparley_replay_bytes ");
    ASSERT_NE(at, std::string::npos);
    EXPECT_LE(std::stoul(metrics.substr(at + 21)), 512u * 1024) << "within the per-participant budget";
}

}  // namespace
