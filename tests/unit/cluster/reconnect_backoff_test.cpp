#include "cluster/reconnect_backoff.hpp"

#include <gtest/gtest.h>

using namespace parley::cluster;
using std::chrono::milliseconds;

TEST(ReconnectBackoff, DoublesUpToTheCap) {
    const ReconnectBackoff policy{milliseconds(100), milliseconds(5'000)};
    // With the random part at its top, each step's full length.
    const double top = 0.999999;
    EXPECT_NEAR(reconnectDelay(policy, 1, top).count(), 100, 1);
    EXPECT_NEAR(reconnectDelay(policy, 2, top).count(), 200, 1);
    EXPECT_NEAR(reconnectDelay(policy, 3, top).count(), 400, 1);
    EXPECT_NEAR(reconnectDelay(policy, 7, top).count(), 5'000, 1);  // 6400 capped
    EXPECT_NEAR(reconnectDelay(policy, 1'000'000, top).count(), 5'000, 1);
}

TEST(ReconnectBackoff, JitterSpreadsHalfOfEachStep) {
    const ReconnectBackoff policy{milliseconds(100), milliseconds(5'000)};
    EXPECT_EQ(reconnectDelay(policy, 3, 0.0), milliseconds(200));   // never below half
    EXPECT_EQ(reconnectDelay(policy, 3, 0.5), milliseconds(300));
    EXPECT_EQ(reconnectDelay(policy, 20, 0.0), milliseconds(2'500));
    // Out-of-range randomness is clamped rather than trusted.
    EXPECT_EQ(reconnectDelay(policy, 3, -4.0), milliseconds(200));
    EXPECT_EQ(reconnectDelay(policy, 3, 9.0), milliseconds(400));
}

TEST(ReconnectBackoff, DegeneratePoliciesStillWait) {
    EXPECT_GE(reconnectDelay({milliseconds(0), milliseconds(0)}, 5, 0.0).count(), 1);
    // A cap below the first step: the first step wins.
    EXPECT_EQ(reconnectDelay({milliseconds(300), milliseconds(100)}, 4, 0.0), milliseconds(150));
}
