#include "cluster/load_meter.hpp"

#include <gtest/gtest.h>

using namespace parley::cluster;

TEST(LoadMeter, CountsAsTheyAreTotalsAsRates) {
    LoadMeter meter;
    const auto first = meter.sample({10, 2, 1'000, 5.0, 100.0});
    EXPECT_EQ(first, (NodeLoad{10, 2, 0, 0}));  // no earlier sample to compare with
    const auto second = meter.sample({12, 3, 5'000, 6.0, 102.0});
    EXPECT_EQ(second.participants, 12u);
    EXPECT_EQ(second.rooms, 3u);
    EXPECT_EQ(second.mediaPacketsPerSecond, 2'000u);
    EXPECT_EQ(second.cpuPercent, 50u);  // one CPU second in two: half a core
}

TEST(LoadMeter, AStalledClockOrATotalGoingBackGivesNoRate) {
    LoadMeter meter;
    meter.sample({0, 0, 1'000, 5.0, 100.0});
    EXPECT_EQ(meter.sample({0, 0, 2'000, 6.0, 100.0}).mediaPacketsPerSecond, 0u);
    const auto back = meter.sample({0, 0, 10, 1.0, 101.0});
    EXPECT_EQ(back.mediaPacketsPerSecond, 0u);
    EXPECT_EQ(back.cpuPercent, 0u);
}
