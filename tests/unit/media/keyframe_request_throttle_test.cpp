#include "media/keyframe_request_throttle.hpp"

#include <gtest/gtest.h>

using parley::media::KeyframeRequestThrottle;

TEST(KeyframeRequestThrottle, FirstRequestGoesOutAtOnce) {
    KeyframeRequestThrottle t;
    EXPECT_FALSE(t.nextDueMs());
    EXPECT_TRUE(t.request(1000));
    EXPECT_FALSE(t.nextDueMs());
    EXPECT_FALSE(t.poll(5000));  // nothing waits
}

TEST(KeyframeRequestThrottle, RequestsInsideTheWindowMergeIntoOneAtItsEnd) {
    KeyframeRequestThrottle t(500);
    EXPECT_TRUE(t.request(1000));
    EXPECT_FALSE(t.request(1100));
    EXPECT_FALSE(t.request(1200));
    EXPECT_FALSE(t.request(1499));
    EXPECT_EQ(t.nextDueMs(), 1500);
    EXPECT_FALSE(t.poll(1499));
    EXPECT_TRUE(t.poll(1500));
    EXPECT_FALSE(t.poll(1501));  // merged: one request, not three
    EXPECT_FALSE(t.nextDueMs());
    // The deferred send starts the next window.
    EXPECT_FALSE(t.request(1900));
    EXPECT_EQ(t.nextDueMs(), 2000);
    EXPECT_TRUE(t.poll(2000));
}

TEST(KeyframeRequestThrottle, RequestAfterTheWindowGoesOutAtOnce) {
    KeyframeRequestThrottle t(500);
    EXPECT_TRUE(t.request(0));
    EXPECT_TRUE(t.request(500));
    EXPECT_FALSE(t.request(999));
    EXPECT_TRUE(t.request(1000));  // the waiting one is sent with it
    EXPECT_FALSE(t.poll(2000));
}

TEST(KeyframeRequestThrottle, AKeyframeFromThePublisherAnswersAWaitingRequest) {
    KeyframeRequestThrottle t(500);
    EXPECT_TRUE(t.request(0));
    EXPECT_FALSE(t.request(100));
    t.onKeyframe();
    EXPECT_FALSE(t.nextDueMs());
    EXPECT_FALSE(t.poll(600));
    // Still throttled by the last request actually sent.
    EXPECT_FALSE(t.request(300));
    EXPECT_TRUE(t.poll(500));
}
