// The Redis directory and connection against a real redis-server (started per test on a free
// loopback port): lease semantics, node records and their expiry, AUTH and SELECT, a command
// timeout, and reconnection after Redis is killed and started again. Built as its own program
// (parley_redis_tests) so script/test runs it under ASan as well.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "cluster/redis_connection.hpp"
#include "cluster/redis_directory.hpp"
#include "cluster/redis_url.hpp"
#include "redis_server_process.hpp"

using namespace parley::cluster;
using parley::itest::RedisServerProcess;
using std::chrono::milliseconds;

namespace {

constexpr auto kWaitLimit = std::chrono::seconds(10);

RedisEndpoint endpointOf(const std::string& url) {
    auto parsed = parseRedisUrl(url);
    if (!parsed) throw std::runtime_error(parsed.error.message);
    return *parsed.endpoint;
}

}  // namespace

class RedisDirectoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!RedisServerProcess::executable()) GTEST_SKIP() << "redis-server is not installed (apt-get install redis-server)";
        redis_.emplace();
    }

    // Runs the io_context until `ready` holds, for at most kWaitLimit.
    bool runUntil(const std::function<bool()>& ready) {
        const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
        while (!ready()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            io_.restart();
            io_.run_for(milliseconds(10));
        }
        return true;
    }

    std::unique_ptr<RedisConnection> connect(const std::string& url, RedisConnectionOptions options = {}) {
        options.endpoint = endpointOf(url);
        options.backoff = {milliseconds(20), milliseconds(200)};
        auto connection = std::make_unique<RedisConnection>(io_, options);
        connection->start();
        return connection;
    }

    // One directory call, run to its completion.
    template <class T, class Call>
    DirectoryResult<T> await(Call&& call) {
        std::optional<DirectoryResult<T>> result;
        call([&result](DirectoryResult<T> r) { result.emplace(std::move(r)); });
        if (!runUntil([&] { return result.has_value(); })) throw std::runtime_error("no completion within 10 s");
        return std::move(*result);
    }
    template <class T, class Call>
    T ok(Call&& call) {
        auto result = await<T>(std::forward<Call>(call));
        if (!result.ok()) throw std::runtime_error(result.error().message);
        return result.value();
    }

    boost::asio::io_context io_;
    std::optional<RedisServerProcess> redis_;
};

TEST_F(RedisDirectoryTest, LeasesAreSetIfAbsentRenewedAndReleasedOnlyByTheirHolder) {
    auto connection = connect(redis_->url());
    ASSERT_TRUE(runUntil([&] { return connection->up(); })) << redis_->log();
    RedisDirectory directory(*connection);
    const milliseconds ttl(10'000);

    EXPECT_EQ(ok<std::optional<std::string>>([&](auto done) { directory.leaseOwner("math", done); }), std::nullopt);
    auto first = ok<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "node-a", ttl, done); });
    EXPECT_TRUE(first.acquired);
    EXPECT_EQ(first.owner, "node-a");
    auto second = ok<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "node-b", ttl, done); });
    EXPECT_FALSE(second.acquired);
    EXPECT_EQ(second.owner, "node-a");
    EXPECT_EQ(ok<std::optional<std::string>>([&](auto done) { directory.leaseOwner("math", done); }), "node-a");

    // Compare and set: only the holder renews or releases.
    EXPECT_FALSE(ok<bool>([&](auto done) { directory.renewLease("math", "node-b", ttl, done); }));
    EXPECT_TRUE(ok<bool>([&](auto done) { directory.renewLease("math", "node-a", ttl, done); }));
    EXPECT_FALSE(ok<bool>([&](auto done) { directory.releaseLease("math", "node-b", done); }));
    EXPECT_TRUE(ok<bool>([&](auto done) { directory.releaseLease("math", "node-a", done); }));
    EXPECT_EQ(ok<std::optional<std::string>>([&](auto done) { directory.leaseOwner("math", done); }), std::nullopt);
    EXPECT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "node-b", ttl, done); }).acquired);

    // The key holds the owner with an expiry, as operators will see it with redis-cli.
    EXPECT_EQ(redis_->rawCommand({"GET", "parley:lease:math"}), "$6\r\nnode-b\r\n");
    const auto pttl = redis_->rawCommand({"PTTL", "parley:lease:math"});
    EXPECT_TRUE(pttl.starts_with(":") && pttl != ":-1\r\n" && pttl != ":-2\r\n") << pttl;
}

TEST_F(RedisDirectoryTest, AnUnrenewedLeaseExpiresAndAnotherNodeTakesIt) {
    auto connection = connect(redis_->url());
    ASSERT_TRUE(runUntil([&] { return connection->up(); }));
    RedisDirectory directory(*connection);
    ASSERT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("art", "node-a", milliseconds(150), done); })
                    .acquired);
    // Redis expires it by its own clock: poll the owner until it is gone (bounded).
    std::optional<std::string> owner = "node-a";
    ASSERT_TRUE(runUntil([&] {
        owner = ok<std::optional<std::string>>([&](auto done) { directory.leaseOwner("art", done); });
        return !owner.has_value();
    }));
    EXPECT_FALSE(ok<bool>([&](auto done) { directory.renewLease("art", "node-a", milliseconds(5'000), done); }));
    EXPECT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("art", "node-b", milliseconds(5'000), done); })
                    .acquired);
}

TEST_F(RedisDirectoryTest, ManyLeasesAreTakenAndExtendedTogetherAndOthersHoldersAreSaid) {
    auto connection = connect(redis_->url());
    ASSERT_TRUE(runUntil([&] { return connection->up(); })) << redis_->log();
    RedisDirectory directory(*connection);
    const milliseconds ttl(10'000);
    // More than one script's worth, one of them another node's.
    std::vector<std::string> rooms;
    for (int i = 0; i < 700; ++i) rooms.push_back("room-" + std::to_string(i));
    ASSERT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("room-300", "node-b", ttl, done); }).acquired);
    ASSERT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("room-5", "node-a", milliseconds(50), done); })
                    .acquired);
    const auto outcomes =
        ok<std::vector<LeaseOutcome>>([&](auto done) { directory.acquireLeases(rooms, "node-a", ttl, done); });
    ASSERT_EQ(outcomes.size(), rooms.size());
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        if (rooms[i] == "room-300") {
            EXPECT_FALSE(outcomes[i].acquired);
            EXPECT_EQ(outcomes[i].owner, "node-b");
        } else {
            EXPECT_TRUE(outcomes[i].acquired) << rooms[i];
        }
    }
    // room-5's short lease was extended to the full time to live.
    const auto pttl = redis_->rawCommand({"PTTL", "parley:lease:room-5"});
    EXPECT_GT(std::stoll(pttl.substr(1)), 1000) << pttl;
    EXPECT_EQ(ok<std::vector<LeaseOutcome>>([&](auto done) { directory.acquireLeases({}, "node-a", ttl, done); }).size(),
              0u);
}

TEST_F(RedisDirectoryTest, ARoomsStateIsWrittenOnlyByItsLeaseHolderAndClosingRemovesBoth) {
    auto connection = connect(redis_->url());
    ASSERT_TRUE(runUntil([&] { return connection->up(); })) << redis_->log();
    RedisDirectory directory(*connection);
    const milliseconds ttl(60'000);
    const auto save = [&](const std::string& owner, const std::string& state) {
        return ok<bool>([&](auto done) { directory.saveRoomState("math", owner, state, ttl, done); });
    };
    const auto load = [&] {
        return ok<std::optional<std::string>>([&](auto done) { directory.loadRoomState("math", done); });
    };
    EXPECT_FALSE(save("node-a", R"({"v":0})")) << "nobody's lease: nothing written";
    EXPECT_EQ(load(), std::nullopt);
    ASSERT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "node-a", ttl, done); }).acquired);
    const std::string big(300'000, 'x');  // a room's state with a long chat is large
    EXPECT_TRUE(save("node-a", big));
    EXPECT_EQ(load(), big);
    EXPECT_FALSE(save("node-b", R"({"v":"b"})")) << "fenced";
    EXPECT_EQ(load(), big);
    const auto pttl = redis_->rawCommand({"PTTL", "parley:room:math"});
    EXPECT_TRUE(pttl.starts_with(":") && pttl != ":-1\r\n" && pttl != ":-2\r\n") << pttl;

    // Released (a node handing it on): the state stays for the next holder.
    EXPECT_TRUE(ok<bool>([&](auto done) { directory.releaseLease("math", "node-a", done); }));
    EXPECT_EQ(load(), big);
    ASSERT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "node-b", ttl, done); }).acquired);
    EXPECT_FALSE(ok<bool>([&](auto done) { directory.closeRoom("math", "node-a", done); }));
    EXPECT_EQ(load(), big);
    EXPECT_TRUE(ok<bool>([&](auto done) { directory.closeRoom("math", "node-b", done); }));
    EXPECT_EQ(load(), std::nullopt);
    EXPECT_EQ(ok<std::optional<std::string>>([&](auto done) { directory.leaseOwner("math", done); }), std::nullopt);
}

TEST_F(RedisDirectoryTest, NodesAreListedWhileTheirRecordLivesAndOneIdHasOneInstance) {
    auto connection = connect(redis_->url());
    ASSERT_TRUE(runUntil([&] { return connection->up(); }));
    RedisDirectory directory(*connection);
    const NodeRecord a{"node-a", "ia", "https://a.example", {3, 1, 250, 50}, 1'700'000'000'000};
    const NodeRecord b{"node-b", "ib", "https://b.example", {0, 0, 0, 0}, 1'700'000'000'000};
    EXPECT_EQ(ok<AnnounceOutcome>([&](auto done) { directory.announce(a, kNodeTimeToLive, done); }),
              AnnounceOutcome::Announced);
    EXPECT_EQ(ok<AnnounceOutcome>([&](auto done) { directory.announce(b, milliseconds(200), done); }),
              AnnounceOutcome::Announced);
    auto nodes = ok<std::vector<NodeRecord>>([&](auto done) { directory.liveNodes(done); });
    ASSERT_EQ(nodes.size(), 2u);
    EXPECT_EQ(nodes[0], a);
    EXPECT_EQ(nodes[1], b);

    // A second process claiming node-a's id while node-a lives is refused, not listed.
    NodeRecord impostor = a;
    impostor.instance = "other";
    EXPECT_EQ(ok<AnnounceOutcome>([&](auto done) { directory.announce(impostor, kNodeTimeToLive, done); }),
              AnnounceOutcome::IdTaken);

    // b stops announcing: gone once its record expires, and dropped from the id set too.
    ASSERT_TRUE(runUntil([&] {
        return ok<std::vector<NodeRecord>>([&](auto done) { directory.liveNodes(done); }).size() == 1;
    }));
    EXPECT_EQ(redis_->rawCommand({"ZCARD", "parley:nodes"}), ":1\r\n");

    // Withdrawn: gone at once; only by its own instance.
    EXPECT_FALSE(ok<bool>([&](auto done) { directory.withdraw("node-a", "other", done); }));
    EXPECT_TRUE(ok<bool>([&](auto done) { directory.withdraw("node-a", "ia", done); }));
    EXPECT_TRUE(ok<std::vector<NodeRecord>>([&](auto done) { directory.liveNodes(done); }).empty());
}

TEST_F(RedisDirectoryTest, CommandsFailFastWhileRedisIsDownAndWorkAgainOnceItIsBack) {
    auto connection = connect(redis_->url());
    std::vector<bool> changes;
    const auto first = connection->addStateListener([&](bool up) { changes.push_back(up); });
    ASSERT_TRUE(runUntil([&] { return connection->up(); }));
    RedisDirectory directory(*connection);
    std::vector<bool> seenByDirectory;
    directory.addReachabilityListener([&](bool up) { seenByDirectory.push_back(up); });
    // A listener removed is not called again; the others still are.
    const auto removed = connection->addStateListener([&](bool) { ADD_FAILURE() << "a removed listener was called"; });
    connection->removeStateListener(removed);

    redis_->kill();
    ASSERT_TRUE(runUntil([&] { return !connection->up(); }));
    auto refused = await<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "a", milliseconds(1000), done); });
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, DirectoryError::Code::Unavailable);

    redis_->restart();
    ASSERT_TRUE(runUntil([&] { return connection->up(); })) << redis_->log();
    EXPECT_EQ(changes, (std::vector<bool>{true, false, true}));  // up at start, then the outage
    EXPECT_EQ(seenByDirectory, (std::vector<bool>{false, true}));
    connection->removeStateListener(first);
    EXPECT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("math", "a", milliseconds(1000), done); })
                    .acquired);
}

TEST_F(RedisDirectoryTest, AReplyThatNeverComesTimesOutAndTheConnectionStartsOver) {
    RedisConnectionOptions options;
    options.commandTimeout = milliseconds(300);
    auto connection = connect(redis_->url(), options);
    ASSERT_TRUE(runUntil([&] { return connection->up(); }));
    // Redis holds every client's commands for 1.5 s (its own included, after this one).
    std::optional<RedisConnection::Reply> paused;
    connection->command({"CLIENT", "PAUSE", "1500"}, [&](RedisConnection::Reply r) { paused.emplace(std::move(r)); });
    ASSERT_TRUE(runUntil([&] { return paused.has_value(); }));
    ASSERT_TRUE(paused->ok() && paused->value().is("OK")) << describe(paused->value());
    std::optional<RedisConnection::Reply> late;
    connection->command({"GET", "x"}, [&](RedisConnection::Reply r) { late.emplace(std::move(r)); });
    ASSERT_TRUE(runUntil([&] { return late.has_value(); }));
    ASSERT_FALSE(late->ok());
    EXPECT_EQ(late->error().code, DirectoryError::Code::Timeout);
    // Reconnected once the pause is over; commands answer again.
    ASSERT_TRUE(runUntil([&] { return connection->up(); }));
    std::optional<RedisConnection::Reply> again;
    connection->command({"PING"}, [&](RedisConnection::Reply r) { again.emplace(std::move(r)); });
    ASSERT_TRUE(runUntil([&] { return again.has_value(); }));
    ASSERT_TRUE(again->ok());
    EXPECT_TRUE(again->value().is("PONG"));
}

TEST_F(RedisDirectoryTest, AuthenticatesAndSelectsTheDatabaseFromTheUrl) {
    redis_.reset();
    redis_.emplace(std::vector<std::string>{"--requirepass", "s3cret"});
    auto wrong = connect("redis://:nope@127.0.0.1:" + std::to_string(redis_->port()));
    auto right = connect("redis://:s3cret@127.0.0.1:" + std::to_string(redis_->port()) + "/2");
    ASSERT_TRUE(runUntil([&] { return right->up(); })) << redis_->log();
    EXPECT_FALSE(wrong->up());  // AUTH refused: it keeps retrying, never up
    RedisDirectory directory(*right);
    ASSERT_TRUE(ok<LeaseOutcome>([&](auto done) { directory.acquireLease("db", "a", milliseconds(60'000), done); })
                    .acquired);
    std::optional<RedisConnection::Reply> where;
    right->command({"CLIENT", "INFO"}, [&](RedisConnection::Reply r) { where.emplace(std::move(r)); });
    ASSERT_TRUE(runUntil([&] { return where.has_value(); }));
    ASSERT_TRUE(where->ok());
    EXPECT_NE(where->value().text.find(" db=2 "), std::string::npos) << where->value().text;
}

TEST_F(RedisDirectoryTest, ConnectingToNothingRetriesWithoutBlocking) {
    const auto port = redis_->port();
    redis_->kill();
    auto connection = connect("redis://127.0.0.1:" + std::to_string(port));
    // The loop keeps running timers while the connection retries.
    boost::asio::steady_timer tick(io_, milliseconds(100));
    bool ticked = false;
    tick.async_wait([&](auto) { ticked = true; });
    ASSERT_TRUE(runUntil([&] { return ticked; }));
    EXPECT_FALSE(connection->up());
    redis_->restart();
    ASSERT_TRUE(runUntil([&] { return connection->up(); }));
}
