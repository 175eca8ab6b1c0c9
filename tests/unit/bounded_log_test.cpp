#include "core/bounded_log.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using parley::core::BoundedLog;

namespace {
std::vector<int> contents(const BoundedLog<int>& log) { return {log.begin(), log.end()}; }
}  // namespace

TEST(BoundedLog, KeepsTheNewestInOrderAndDropsTheOldest) {
    BoundedLog<int> log(3);
    EXPECT_TRUE(log.empty());
    for (int i = 1; i <= 2; ++i) log.push(i);
    EXPECT_EQ(contents(log), (std::vector<int>{1, 2}));
    for (int i = 3; i <= 7; ++i) log.push(i);
    EXPECT_EQ(contents(log), (std::vector<int>{5, 6, 7}));
    EXPECT_EQ(log.front(), 5);
    EXPECT_EQ(log.back(), 7);
    EXPECT_EQ(log.size(), 3u);
}

TEST(BoundedLog, PoppingKeepsOrderAcrossTheWrap) {
    BoundedLog<int> log(4);
    for (int i = 1; i <= 6; ++i) log.push(i);  // wrapped: 3 4 5 6
    log.popFront();
    log.push(7);
    EXPECT_EQ(contents(log), (std::vector<int>{4, 5, 6, 7}));
    while (!log.empty()) log.popFront();
    log.push(8);
    EXPECT_EQ(contents(log), (std::vector<int>{8}));
}

TEST(BoundedLog, GrowsWhilePartlyPoppedWithoutLosingOrder) {
    BoundedLog<std::string> log(100);
    for (int i = 0; i < 3; ++i) log.push(std::to_string(i));
    log.popFront();  // head moves, then the ring grows past its first sizes
    for (int i = 3; i < 40; ++i) log.push(std::to_string(i));
    ASSERT_EQ(log.size(), 39u);
    int expected = 1;
    for (const auto& item : log) EXPECT_EQ(item, std::to_string(expected++));
}

TEST(BoundedLog, CopiesKeepOrderAndAMovedFromLogIsEmpty) {
    BoundedLog<std::string> log(3);
    for (const char* s : {"a", "b", "c", "d"}) log.push(s);  // wrapped: b c d
    BoundedLog<std::string> copy(log);
    copy.push("e");
    EXPECT_EQ(std::vector<std::string>(copy.begin(), copy.end()), (std::vector<std::string>{"c", "d", "e"}));
    EXPECT_EQ(std::vector<std::string>(log.begin(), log.end()), (std::vector<std::string>{"b", "c", "d"}));
    BoundedLog<std::string> moved(std::move(log));
    EXPECT_EQ(moved.size(), 3u);
    EXPECT_TRUE(log.empty());  // NOLINT(bugprone-use-after-move): documented state
    log.push("x");
    EXPECT_EQ(log.front(), "x");
    copy = moved;
    EXPECT_EQ(copy.front(), "b");
}
