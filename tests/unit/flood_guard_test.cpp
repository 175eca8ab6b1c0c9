// Messages per connection: the bucket's burst and rate, and when refusals turn into a close.
#include "core/flood_guard.hpp"

#include <gtest/gtest.h>

using namespace parley::core;
using Verdict = FloodGuard::Verdict;

namespace {

TEST(FloodGuard, AcceptsTheBurstThenDropsUntilTokensComeBack) {
    const MessageRateLimit limit{10, 5, 100};
    FloodGuard guard(limit, 0);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(guard.onMessage(limit, 0), Verdict::Accept) << i;
    EXPECT_EQ(guard.onMessage(limit, 0), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 99), Verdict::Drop);     // 10/s: a token takes 100 ms
    EXPECT_EQ(guard.onMessage(limit, 100), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(limit, 100), Verdict::Drop);
}

TEST(FloodGuard, ASteadySenderAtTheRateIsNeverRefused) {
    const MessageRateLimit limit{10, 1, 3};
    FloodGuard guard(limit, 0);
    for (std::int64_t t = 0; t < 10'000; t += 100) EXPECT_EQ(guard.onMessage(limit, t), Verdict::Accept) << t;
}

TEST(FloodGuard, RefusalsInARowCloseAndAnAcceptedMessageResetsTheCount) {
    const MessageRateLimit limit{1, 1, 3};
    FloodGuard guard(limit, 0);
    EXPECT_EQ(guard.onMessage(limit, 0), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(limit, 0), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 0), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 1000), Verdict::Accept);  // backed off: forgiven
    EXPECT_EQ(guard.onMessage(limit, 1000), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 1000), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 1000), Verdict::Close);
}

TEST(FloodGuard, TheBucketNeverHoldsMoreThanTheBurst) {
    const MessageRateLimit limit{100, 2, 100};
    FloodGuard guard(limit, 0);
    EXPECT_EQ(guard.onMessage(limit, 60'000), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(limit, 60'000), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(limit, 60'000), Verdict::Drop);
}

TEST(FloodGuard, ClockGoingBackwardsGrantsNothing) {
    const MessageRateLimit limit{10, 1, 100};
    FloodGuard guard(limit, 5'000);
    EXPECT_EQ(guard.onMessage(limit, 5'000), Verdict::Accept);
    EXPECT_EQ(guard.onMessage(limit, 1'000), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 5'050), Verdict::Drop);
    EXPECT_EQ(guard.onMessage(limit, 5'100), Verdict::Accept);
}

TEST(FloodGuard, RateZeroTurnsTheLimitOff) {
    const MessageRateLimit limit{0, 1, 1};
    FloodGuard guard(limit, 0);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(guard.onMessage(limit, 0), Verdict::Accept);
}

}  // namespace
