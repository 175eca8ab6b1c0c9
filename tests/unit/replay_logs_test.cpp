// Unacknowledged frames kept for resumes, within byte budgets per participant and per room.
#include "protocol/replay_logs.hpp"

#include <gtest/gtest.h>

using namespace parley;
using protocol::ReplayLog;
using protocol::ReplayLogs;

namespace {
ReplayLog::Frame bytes(std::size_t n) { return std::make_shared<const std::string>(n, 'x'); }
}  // namespace

TEST(ReplayLog, CountsBytesAndRemembersWhatItLost) {
    ReplayLog log;
    log.add(1, bytes(10));
    log.add(2, bytes(20));
    EXPECT_EQ(log.bytes(), 30u);
    EXPECT_TRUE(log.covers(0));
    log.acknowledge(1);
    EXPECT_EQ(log.bytes(), 20u);
    log.overflow();
    EXPECT_EQ(log.bytes(), 0u);
    EXPECT_FALSE(log.covers(1)) << "event 2 is gone unacknowledged";
    EXPECT_TRUE(log.covers(2)) << "a client that saw event 2 misses nothing";
    log.add(3, bytes(5));
    EXPECT_TRUE(log.covers(2));
    EXPECT_FALSE(log.covers(1));
}

TEST(ReplayLog, TheFrameCapDropsTheOldestAndSaysSo) {
    ReplayLog log;
    for (std::uint64_t seq = 1; seq <= ReplayLog::kMaxFrames + 1; ++seq) log.add(seq, bytes(1));
    EXPECT_EQ(log.size(), ReplayLog::kMaxFrames);
    EXPECT_EQ(log.bytes(), ReplayLog::kMaxFrames);
    EXPECT_FALSE(log.covers(0));
    EXPECT_TRUE(log.covers(1));
}

TEST(ReplayLogs, AParticipantPastItsBudgetLosesItsLogNotOthers) {
    ReplayLogs logs({100, 1'000});
    logs.add("p1", "room", 1, bytes(60));
    logs.add("p2", "room", 1, bytes(60));
    EXPECT_EQ(logs.roomBytes("room"), 120u);
    logs.add("p1", "room", 2, bytes(60));  // p1 would hold 120 > 100
    EXPECT_EQ(logs.find("p1")->bytes(), 0u);
    EXPECT_FALSE(logs.find("p1")->covers(1));
    EXPECT_EQ(logs.find("p2")->bytes(), 60u);
    EXPECT_EQ(logs.roomBytes("room"), 60u);
    EXPECT_EQ(logs.bytes(), 60u);
    EXPECT_EQ(logs.overflows(), 1u);
}

TEST(ReplayLogs, ARoomHasATotalBudgetAcrossItsParticipants) {
    ReplayLogs logs({100, 250});
    for (int i = 0; i < 10; ++i) logs.add("p" + std::to_string(i), "room", 1, bytes(90));
    EXPECT_LE(logs.roomBytes("room"), 250u);
    logs.add("q", "other-room", 1, bytes(90));
    EXPECT_EQ(logs.roomBytes("other-room"), 90u) << "another room has a budget of its own";
    logs.acknowledge("q", 1);
    EXPECT_EQ(logs.roomBytes("other-room"), 0u);
    for (int i = 0; i < 10; ++i) logs.erase("p" + std::to_string(i));
    EXPECT_EQ(logs.roomBytes("room"), 0u);
    EXPECT_EQ(logs.bytes(), 0u);
}
