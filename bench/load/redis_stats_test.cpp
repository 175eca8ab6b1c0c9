// Redis's own counters, read between the phases of a run: parsed from INFO, differenced, and
// the sampling INFO commands themselves left out.
#include <gtest/gtest.h>

#include "redis_stats.hpp"

namespace parley::bench {
namespace {

// Abridged from redis-server 7.0's `INFO all`.
constexpr const char* kInfo =
    "# Server\r\nredis_version:7.0.15\r\n\r\n"
    "# Stats\r\ntotal_connections_received:12\r\ntotal_commands_processed:1040\r\n\r\n"
    "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.750000\r\nused_cpu_sys_children:0.000000\r\n\r\n"
    "# Commandstats\r\n"
    "cmdstat_get:calls=600,usec=900,usec_per_call=1.50,rejected_calls=0,failed_calls=0\r\n"
    "cmdstat_eval:calls=400,usec=4000,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
    "cmdstat_info:calls=40,usec=2000,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n";

TEST(RedisInfo, ReadsCommandsCpuAndCallsPerCommand) {
    const auto stats = parseRedisInfo(kInfo);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->totalCommands, 1040u);
    EXPECT_DOUBLE_EQ(stats->cpuSeconds, 2.0);
    EXPECT_EQ(stats->calls.at("get"), 600u);
    EXPECT_EQ(stats->calls.at("eval"), 400u);
    EXPECT_EQ(stats->calls.at("info"), 40u);
    EXPECT_FALSE(stats->calls.count("used_cpu_sys_children"));
}

TEST(RedisInfo, ASampleWithoutItsCountersIsRefused) {
    EXPECT_FALSE(parseRedisInfo(""));
    EXPECT_FALSE(parseRedisInfo("# CPU\r\nused_cpu_sys:1.0\r\nused_cpu_user:1.0\r\n"));
    EXPECT_FALSE(parseRedisInfo("total_commands_processed:5\r\nused_cpu_user:1.0\r\n"));
    EXPECT_FALSE(parseRedisInfo("total_commands_processed:x\r\nused_cpu_sys:1\r\nused_cpu_user:1\r\n"));
}

TEST(RedisInfo, ABrokenCommandLineIsSkippedNotMisread) {
    const auto stats = parseRedisInfo(
        "total_commands_processed:3\nused_cpu_sys:0\nused_cpu_user:0\ncmdstat_get:usec=5\ncmdstat_set:calls=2,usec=1\n");
    ASSERT_TRUE(stats);
    EXPECT_FALSE(stats->calls.count("get"));
    EXPECT_EQ(stats->calls.at("set"), 2u);
}

TEST(RedisDelta, WhatRanBetweenTwoSamplesLessTheSamplingItself) {
    RedisStats before{1000, 1.5, {{"get", 10}, {"info", 7}}};
    RedisStats after{1031, 2.0, {{"get", 30}, {"eval", 10}, {"info", 8}}};
    const auto delta = redisDelta(before, after, 1);
    EXPECT_EQ(delta.totalCommands, 30u);
    EXPECT_DOUBLE_EQ(delta.cpuSeconds, 0.5);
    EXPECT_EQ(delta.calls, (std::map<std::string, std::uint64_t>{{"get", 20}, {"eval", 10}}));
}

TEST(RedisDelta, NothingRanIsZeroNotNegative) {
    RedisStats before{500, 1.0, {{"info", 3}}};
    RedisStats after{501, 1.0, {{"info", 4}}};
    const auto delta = redisDelta(before, after, 1);
    EXPECT_EQ(delta.totalCommands, 0u);
    EXPECT_TRUE(delta.calls.empty());
    EXPECT_EQ(describeCalls(delta.calls), "none");
    // A restarted Redis (counters back to zero) gives zero, not a wrapped-around count.
    EXPECT_EQ(redisDelta(after, before, 1).totalCommands, 0u);
}

TEST(RedisDelta, CallsAreDescribedLargestFirst) {
    EXPECT_EQ(describeCalls({{"eval", 3}, {"get", 12}, {"zadd", 1}}), "get 12, eval 3, zadd 1");
}

}  // namespace
}  // namespace parley::bench
