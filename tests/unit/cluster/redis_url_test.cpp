#include "cluster/redis_url.hpp"

#include <gtest/gtest.h>

using namespace parley::cluster;

namespace {

std::string codeOf(std::string_view url) {
    const auto result = parseRedisUrl(url);
    return result ? "ok" : result.error.code;
}

}  // namespace

TEST(RedisUrl, HostAndDefaultPort) {
    const auto result = parseRedisUrl("redis://redis.internal");
    ASSERT_TRUE(result) << result.error.message;
    EXPECT_EQ(result.endpoint->host, "redis.internal");
    EXPECT_EQ(result.endpoint->port, 6379);
    EXPECT_EQ(result.endpoint->database, 0u);
    EXPECT_FALSE(result.endpoint->password);
    EXPECT_EQ(result.endpoint->address(), "redis.internal:6379");
}

TEST(RedisUrl, PortDatabaseUserAndPassword) {
    const auto result = parseRedisUrl("redis://parley:s%40cret:x@10.0.0.5:6380/3");
    ASSERT_TRUE(result) << result.error.message;
    EXPECT_EQ(result.endpoint->host, "10.0.0.5");
    EXPECT_EQ(result.endpoint->port, 6380);
    EXPECT_EQ(result.endpoint->database, 3u);
    EXPECT_EQ(result.endpoint->username, "parley");
    EXPECT_EQ(result.endpoint->password, "s@cret:x");
}

TEST(RedisUrl, PasswordWithoutUser) {
    for (const char* url : {"redis://:pw@localhost", "redis://pw@localhost"}) {
        const auto result = parseRedisUrl(url);
        ASSERT_TRUE(result) << url;
        EXPECT_EQ(result.endpoint->username, "") << url;
        EXPECT_EQ(result.endpoint->password, "pw") << url;
    }
}

TEST(RedisUrl, Ipv6) {
    const auto result = parseRedisUrl("redis://[::1]:7000");
    ASSERT_TRUE(result) << result.error.message;
    EXPECT_EQ(result.endpoint->host, "::1");
    EXPECT_EQ(result.endpoint->port, 7000);
    EXPECT_EQ(result.endpoint->address(), "[::1]:7000");
    EXPECT_EQ(codeOf("redis://[::1"), "bad-host");
    EXPECT_EQ(codeOf("redis://[::1]x"), "bad-host");
    EXPECT_EQ(codeOf("redis://[zz]"), "bad-host");
}

TEST(RedisUrl, RefusalsHaveStableCodes) {
    EXPECT_EQ(codeOf("rediss://host"), "tls-unsupported");
    EXPECT_EQ(codeOf("http://host"), "not-redis-url");
    EXPECT_EQ(codeOf("host:6379"), "not-redis-url");
    EXPECT_EQ(codeOf("redis://"), "bad-host");
    EXPECT_EQ(codeOf("redis://:6379"), "bad-host");
    EXPECT_EQ(codeOf("redis://ho st"), "bad-host");
    EXPECT_EQ(codeOf("redis://host:"), "bad-port");
    EXPECT_EQ(codeOf("redis://host:0"), "bad-port");
    EXPECT_EQ(codeOf("redis://host:65536"), "bad-port");
    EXPECT_EQ(codeOf("redis://host:12ab"), "bad-port");
    EXPECT_EQ(codeOf("redis://host/x"), "bad-database");
    EXPECT_EQ(codeOf("redis://host/1/2"), "bad-database");
    EXPECT_EQ(codeOf("redis://host?db=1"), "unexpected-part");
    EXPECT_EQ(codeOf("redis://a:%4@host"), "bad-escape");
    EXPECT_EQ(codeOf("redis://a:%zz@host"), "bad-escape");
    EXPECT_EQ(codeOf("redis://host/"), "ok");  // an empty path is database 0
}

TEST(RedisUrl, MasksThePassword) {
    EXPECT_EQ(maskRedisUrl("redis://user:secret@host:6379/1"), "redis://user:********@host:6379/1");
    EXPECT_EQ(maskRedisUrl("redis://:secret@host"), "redis://:********@host");
    EXPECT_EQ(maskRedisUrl("redis://secret@host"), "redis://********@host");
    EXPECT_EQ(maskRedisUrl("redis://host:6379"), "redis://host:6379");
    EXPECT_EQ(maskRedisUrl("redis://user:@host"), "redis://user:@host");
    EXPECT_EQ(maskRedisUrl("rediss://u:p@host"), "rediss://u:********@host");
    EXPECT_EQ(maskRedisUrl("not a url"), "not a url");
}
