// A bit rate from a byte count over the interval between samples, on an injected clock.
#include "media/bitrate_meter.hpp"

#include <gtest/gtest.h>

using parley::media::BitrateMeter;

TEST(BitrateMeter, IsZeroUntilStarted) {
    BitrateMeter meter;
    EXPECT_FALSE(meter.started());
    EXPECT_EQ(meter.sample(10'000, 1'000), 0u);
}

TEST(BitrateMeter, MeasuresTheBytesOfEachIntervalSinceTheFirstPacket) {
    BitrateMeter meter;
    meter.start(0, 1'000);
    EXPECT_EQ(meter.sample(62'500, 1'500), 1'000'000u);  // 62 500 bytes in half a second
    EXPECT_EQ(meter.sample(62'500 + 12'500, 2'000), 200'000u);
    EXPECT_EQ(meter.sample(75'000, 3'000), 0u);  // a silent second
    meter.start(0, 5'000);                        // starting twice does not reset it
    EXPECT_EQ(meter.sample(75'000 + 1'000, 4'000), 8'000u);
}

TEST(BitrateMeter, AnIntervalTooShortToMeanAnythingKeepsThePreviousFigure) {
    BitrateMeter meter;
    meter.start(0, 0);
    EXPECT_EQ(meter.sample(1'200, 1), 0u);  // one packet over a millisecond is not 9.6 Mbit/s
    EXPECT_EQ(meter.sample(12'500, 100), 1'000'000u);
    EXPECT_EQ(meter.sample(99'999, 150), 1'000'000u);
    EXPECT_EQ(meter.bitsPerSecond(), 1'000'000u);
}
