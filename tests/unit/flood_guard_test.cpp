// Messages per connection: the bucket's burst and rate, and when refusals turn into a close.
#include "core/flood_guard.hpp"

#include <gtest/gtest.h>

using namespace parley::core;
using Verdict = FloodGuard::Verdict;

namespace {

TEST(FloodGuard, AcceptsTheBurstThenDropsUntilTokensComeBack) {
    FloodGuard guard({10, 5, 100}, 0);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(guard.onMessage(0), Verdict::Accept) << i;
    EXPECT_EQ(guard.onMessage(0), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(99), Verdict::Drop);     // 10/s: a token takes 100 ms
    EXPECT_EQ(guard.onMessage(100), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(100), Verdict::Drop);
}

TEST(FloodGuard, ASteadySenderAtTheRateIsNeverRefused) {
    FloodGuard guard({10, 1, 3}, 0);
    for (std::int64_t t = 0; t < 10'000; t += 100) EXPECT_EQ(guard.onMessage(t), Verdict::Accept) << t;
}

TEST(FloodGuard, RefusalsInARowCloseAndAnAcceptedMessageResetsTheCount) {
    FloodGuard guard({1, 1, 3}, 0);
    EXPECT_EQ(guard.onMessage(0), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(0), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(0), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(1000), Verdict::Accept);  // backed off: forgiven
    EXPECT_EQ(guard.onMessage(1000), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(1000), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(1000), Verdict::Close);
}

TEST(FloodGuard, TheBucketNeverHoldsMoreThanTheBurst) {
    FloodGuard guard({100, 2, 100}, 0);
    EXPECT_EQ(guard.onMessage(60'000), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(60'000), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(60'000), Verdict::Drop);
}

TEST(FloodGuard, ClockGoingBackwardsGrantsNothing) {
    FloodGuard guard({10, 1, 100}, 5'000);
    EXPECT_EQ(guard.onMessage(5'000), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(1'000), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(5'050), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(5'100), Verdict::Accept);
}

TEST(FloodGuard, RateZeroTurnsTheLimitOff) {
    FloodGuard guard({0, 1, 1}, 0);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(guard.onMessage(0), Verdict::Accept);
}

}  // namespace
