// A shard hands its histograms to the parent as text: the round trip keeps every percentile,
// and a damaged line is refused rather than merged.
#include <gtest/gtest.h>

#include "histogram.hpp"

namespace parley::bench {
namespace {

TEST(HistogramText, RoundTripKeepsCountsAndPercentiles) {
    LatencyHistogram h;
    for (std::uint64_t v : {5u, 900u, 12'345u, 12'400u, 7'000'000u, 7'000'000u}) h.record(v);
    const auto back = LatencyHistogram::parse(h.serialize());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->count(), h.count());
    EXPECT_EQ(back->min(), 5u);
    EXPECT_EQ(back->max(), 7'000'000u);
    EXPECT_DOUBLE_EQ(back->mean(), h.mean());
    for (double p : {0.0, 50.0, 90.0, 99.0, 100.0}) EXPECT_EQ(back->percentile(p), h.percentile(p)) << p;
}

TEST(HistogramText, MergedShardsEqualOneHistogram) {
    LatencyHistogram all, first, second;
    for (std::uint64_t v = 1; v < 5000; v += 7) {
        all.record(v * 1000);
        (v % 2 ? first : second).record(v * 1000);
    }
    LatencyHistogram merged;
    merged.merge(*LatencyHistogram::parse(first.serialize()));
    merged.merge(*LatencyHistogram::parse(second.serialize()));
    EXPECT_EQ(merged.count(), all.count());
    for (double p : {50.0, 99.0, 99.9}) EXPECT_EQ(merged.percentile(p), all.percentile(p)) << p;
}

TEST(HistogramText, AnEmptyHistogramSurvives) {
    const auto back = LatencyHistogram::parse(LatencyHistogram().serialize());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->count(), 0u);
    EXPECT_EQ(back->percentile(50), 0u);
}

TEST(HistogramText, DamagedTextIsRefused) {
    LatencyHistogram h;
    h.record(42);
    h.record(4200);
    const std::string text = h.serialize();
    EXPECT_FALSE(LatencyHistogram::parse(""));
    EXPECT_FALSE(LatencyHistogram::parse("2 4242 42"));                    // header cut short
    EXPECT_FALSE(LatencyHistogram::parse(text.substr(0, text.rfind(' '))));  // a bucket missing
    EXPECT_FALSE(LatencyHistogram::parse(text + " 99999999:1"));            // no such bucket
    EXPECT_FALSE(LatencyHistogram::parse(text + " 3;1"));                   // not bucket:n
}

}  // namespace
}  // namespace parley::bench
