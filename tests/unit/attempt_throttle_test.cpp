// Growing delays after failed attempts, per key; and the password guard built on them.
#include "core/attempt_throttle.hpp"
#include "core/password_guard.hpp"

#include <gtest/gtest.h>

using namespace parley::core;

TEST(AttemptThrottle, FreeFailuresThenDoublingDelaysUpToTheCeiling) {
    AttemptThrottle t({3, 1'000, 8'000, 3'600'000});
    const std::int64_t t0 = 1'000'000;
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(t.retryAfterMs("a", t0));
        t.failed("a", t0);
    }
    EXPECT_FALSE(t.retryAfterMs("a", t0)) << "three free failures";
    t.failed("a", t0);
    EXPECT_EQ(t.retryAfterMs("a", t0), 1'000);
    EXPECT_EQ(t.retryAfterMs("a", t0 + 400), 600);
    EXPECT_FALSE(t.retryAfterMs("a", t0 + 1'000));
    t.failed("a", t0 + 1'000);
    EXPECT_EQ(t.retryAfterMs("a", t0 + 1'000), 2'000);
    t.failed("a", t0 + 3'000);
    EXPECT_EQ(t.retryAfterMs("a", t0 + 3'000), 4'000);
    t.failed("a", t0 + 7'000);
    EXPECT_EQ(t.retryAfterMs("a", t0 + 7'000), 8'000);
    t.failed("a", t0 + 15'000);
    EXPECT_EQ(t.retryAfterMs("a", t0 + 15'000), 8'000) << "the ceiling";
    EXPECT_FALSE(t.retryAfterMs("b", t0 + 15'000)) << "other keys are not held back";
}

TEST(AttemptThrottle, SuccessOrAQuietSpellStartsAfresh) {
    AttemptThrottle t({1, 1'000, 60'000, 10'000});
    t.failed("a", 0);
    t.failed("a", 0);
    EXPECT_TRUE(t.retryAfterMs("a", 0));
    t.succeeded("a");
    EXPECT_FALSE(t.retryAfterMs("a", 0));
    EXPECT_FALSE(t.failedBefore("a", 0));

    t.failed("b", 0);
    t.failed("b", 0);
    t.failed("b", 20'000);  // long after: counts as the first failure again
    EXPECT_FALSE(t.retryAfterMs("b", 20'000));
    t.forgetOld(40'000);
    EXPECT_EQ(t.size(), 0u);
}

TEST(AttemptThrottle, HoldsABoundedNumberOfKeys) {
    AttemptThrottle t({0, 1'000, 1'000, 10'000}, 3);
    for (int i = 0; i < 10; ++i) t.failed("k" + std::to_string(i), 0);
    EXPECT_EQ(t.size(), 3u);
}

TEST(PasswordGuard, OneAddressGetsAFewGuessesThenWaitsLongerEachTime) {
    PasswordGuard g;
    const std::int64_t now = 5'000'000;
    for (std::uint32_t i = 0; i < PasswordGuard::kPerAddress.free; ++i) {
        EXPECT_FALSE(g.retryAfterMs("room", "10.0.0.1", now));
        g.failed("room", "10.0.0.1", now);
    }
    EXPECT_FALSE(g.retryAfterMs("room", "10.0.0.1", now));
    g.failed("room", "10.0.0.1", now);
    EXPECT_EQ(g.retryAfterMs("room", "10.0.0.1", now), 1'000);
    EXPECT_EQ(g.retryAfterMs("other-room", "10.0.0.1", now), 1'000) << "per address, whatever room";
    g.succeeded("my-own-room", "10.0.0.1");
    EXPECT_EQ(g.retryAfterMs("room", "10.0.0.1", now), 1'000)
        << "knowing one room's password buys no more guesses elsewhere";
}

TEST(PasswordGuard, ARoomUnderAttackHoldsBackOnlyAddressesThatGuessedWrongThere) {
    PasswordGuard g;
    const std::int64_t now = 5'000'000;
    // Many addresses, one wrong guess each: none passes its own free failures.
    for (std::uint32_t i = 0; i <= PasswordGuard::kPerRoom.free; ++i) {
        g.failed("room", "10.1.0." + std::to_string(i), now);
    }
    EXPECT_TRUE(g.retryAfterMs("room", "10.1.0.3", now)) << "a guesser waits for the room's delay";
    EXPECT_FALSE(g.retryAfterMs("room", "192.168.7.7", now)) << "a guest typing it first time does not";
    EXPECT_FALSE(g.retryAfterMs("elsewhere", "10.1.0.3", now));
}
