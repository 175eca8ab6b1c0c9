#include "load_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <cstdio>
#include <variant>

#include "clock.hpp"
#include "process_sample.hpp"

namespace parley::bench {
namespace {

using std::chrono::duration_cast;
using std::chrono::nanoseconds;

constexpr std::uint64_t kKeepAliveIdleNs = 10'000'000'000;  // protocol v1: ping every 15 s

SteadyClock::duration toDuration(double seconds) {
    return duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

LoadRun::LoadRun(net::io_context& io, const Dialect& dialect, const LoadOptions& options)
    : io_(io), dialect_(dialect), options_(options),
      targets_(options.targets.empty() ? std::vector<NodeTarget>{{options.host, options.port}}
                                       : options.targets),
      runTag_("b" + std::to_string(::getpid()) + "-" + std::to_string(nowNs() % 100000)),
      keepAliveTimer_(io) {
    result_.options = options;
}

LoadRun::~LoadRun() = default;

template <class Predicate>
net::awaitable<bool> LoadRun::waitUntil(Predicate done, double seconds, double pollSeconds) {
    const auto deadline = SteadyClock::now() + toDuration(seconds);
    net::steady_timer timer(io_);
    while (!done()) {
        if (SteadyClock::now() >= deadline) co_return false;
        timer.expires_after(toDuration(pollSeconds));
        co_await timer.async_wait(net::use_awaitable);
    }
    co_return true;
}

net::awaitable<void> LoadRun::pause(double seconds) {
    net::steady_timer timer(io_, toDuration(seconds));
    co_await timer.async_wait(net::use_awaitable);
}

net::awaitable<void> LoadRun::run() {
    result_.serverRssBefore = rssBytes(options_.serverPids);
    result_.loadAverageStart = loadAverage();
    net::co_spawn(io_, keepAlive(), net::detached);

    const auto redisBefore = sampleRedis();
    const auto serverBefore = sampleProcess(options_.serverPids);
    co_await connectAll();
    if (const auto serverAfter = sampleProcess(options_.serverPids); serverBefore && serverAfter)
        result_.serverCpuJoinSeconds = serverAfter->cpuSeconds - serverBefore->cpuSeconds;
    if (const auto redisAfter = sampleRedis(); redisBefore && redisAfter)
        result_.redisJoin = redisDelta(*redisBefore, *redisAfter, 1);
    pairRoomMates();
    co_await measureIdleMemory();
    if (options_.durationSeconds > 0 && result_.joined > 0) co_await measureRedisIdle();
    if (hold_) {
        co_await hold_();
    } else if (options_.holdSeconds > 0) {
        co_await pause(options_.holdSeconds);
    }
    if (options_.durationSeconds > 0 && result_.joined > 0) co_await relay();

    result_.loadAverageEnd = loadAverage();
    finished_ = true;
    keepAliveTimer_.cancel();
    for (auto& connection : connections_) connection->abort();
}

net::awaitable<void> LoadRun::connectAll() {
    connections_.reserve(options_.connections);
    Connection::Listener& listener = *this;
    for (std::size_t i = 0; i < options_.connections; ++i)
        connections_.push_back(
            std::make_unique<Connection>(io_, dialect_, listener, std::uint32_t(i)));

    const auto started = SteadyClock::now();
    launchConnections();
    const std::size_t total = connections_.size();
    std::size_t reported = 0;
    const bool all = co_await waitUntil(
        [&] {
            // Large runs take a while: show progress every 10%.
            if (total >= 5000 && settled_ >= reported + total / 10) {
                reported = settled_;
                std::fprintf(stderr, "parley-load: %zu/%zu joined\n", result_.joined, total);
            }
            return settled_ == total;
        },
        options_.connectSeconds);
    result_.joinPhaseSeconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    if (!all && result_.firstFailure.empty())
        result_.firstFailure = "connect phase timed out after " +
                               std::to_string(options_.connectSeconds) + " s";
    result_.failed = total - result_.joined;
}

void LoadRun::launchConnections() {
    const auto sources = std::max<std::size_t>(1, options_.sourceAddresses);
    const auto loopback = net::ip::make_address_v4("127.0.0.1").to_uint();
    while (launched_ < connections_.size() &&
           launched_ - settled_ < std::max<std::size_t>(1, options_.connectConcurrency)) {
        const std::size_t i = launched_++;
        const std::size_t room = i / std::max<std::size_t>(1, options_.roomSize);
        // Round robin over the nodes by member, so the members of one room enter through
        // different nodes (all but those that reach the room's node are sent on).
        const NodeTarget& target = targets_[i % targets_.size()];
        Connection::Settings settings;
        settings.server = tcp::endpoint(net::ip::make_address_v4(target.host), target.port);
        settings.source = net::ip::address_v4(std::uint32_t(loopback + i % sources));
        settings.host = target.host + ":" + std::to_string(target.port);
        settings.room = runTag_ + "-r" + std::to_string(room);
        settings.name = "load " + std::to_string(i);
        settings.padding = options_.padding;
        connections_[i]->start(std::move(settings));
    }
}

// Each joined member addresses the next joined member of its room, in a ring, so every
// connection both sends and receives at the same rate.
void LoadRun::pairRoomMates() {
    const auto size = std::max<std::size_t>(1, options_.roomSize);
    for (std::size_t first = 0; first < connections_.size(); first += size) {
        std::vector<Connection*> members;
        for (std::size_t i = first; i < std::min(first + size, connections_.size()); ++i)
            if (connections_[i]->joined()) members.push_back(connections_[i].get());
        if (members.size() < 2) continue;
        for (std::size_t m = 0; m < members.size(); ++m)
            members[m]->setTarget(members[(m + 1) % members.size()]->participantId());
        result_.senders += members.size();
    }
}

// The server's memory is sampled until it stops moving (4 samples within 0.5%), bounded.
net::awaitable<void> LoadRun::measureIdleMemory() {
    if (options_.serverPids.empty()) co_return;
    RssSettling settling;
    co_await waitUntil([&] { return settling.add(rssBytes(options_.serverPids)); },
                       options_.settleSeconds, 0.25);
    result_.serverRssIdle = settling.last();
    result_.serverOpenFiles = openFiles(options_.serverPids);
}

std::optional<RedisStats> LoadRun::sampleRedis() {
    if (!options_.redis) return std::nullopt;
    auto stats = fetchRedisStats(*options_.redis);
    if (auto* why = std::get_if<std::string>(&stats)) {
        if (result_.redisProblem.empty()) result_.redisProblem = *why;
        return std::nullopt;
    }
    return std::get<RedisStats>(stats);
}

// What Redis does for a cluster that only holds its rooms (lease renewals, announcements):
// the baseline the relay window is compared with.
net::awaitable<void> LoadRun::measureRedisIdle() {
    if (!options_.redis || options_.redisIdleSeconds <= 0) co_return;
    const auto before = sampleRedis();
    const auto started = SteadyClock::now();
    co_await pause(options_.redisIdleSeconds);
    const auto after = sampleRedis();
    result_.redisIdleWindowSeconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    if (before && after) result_.redisIdle = redisDelta(*before, *after, 1);
}

net::awaitable<void> LoadRun::relay() {
    result_.relayed = true;
    sending_ = true;
    if (options_.window > 0) {
        for (auto& connection : connections_)
            if (connection->hasTarget()) connection->queueRelays(options_.window);
    } else if (options_.rate > 0) {
        net::co_spawn(io_, paceAtRate(), net::detached);
    }

    co_await pause(options_.warmupSeconds);

    const auto redisBefore = sampleRedis();
    const auto serverBefore = sampleProcess(options_.serverPids);
    const double toolBefore = selfCpuSeconds();
    const auto started = SteadyClock::now();
    windowStartNs_ = nowNs();
    measuring_ = true;

    co_await pause(options_.durationSeconds);

    measuring_ = false;
    windowEndNs_ = nowNs();
    result_.windowSeconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    result_.toolCpuSeconds = selfCpuSeconds() - toolBefore;
    if (const auto serverAfter = sampleProcess(options_.serverPids); serverBefore && serverAfter) {
        result_.serverCpuSeconds = serverAfter->cpuSeconds - serverBefore->cpuSeconds;
        result_.serverRssEnd = serverAfter->rssBytes;
    }
    if (const auto redisAfter = sampleRedis(); redisBefore && redisAfter)
        result_.redisWindow = redisDelta(*redisBefore, *redisAfter, 1);

    sending_ = false;
    for (auto& connection : connections_) connection->dropQueuedRelays();
    co_await waitUntil([&] { return result_.delivered >= result_.sent; }, options_.drainSeconds);
}

// Connections are spread over the slots of one period so the offered load is smooth: with
// R = 10/s and 1 ms ticks, each tick wakes 1/100 of the connections.
net::awaitable<void> LoadRun::paceAtRate() {
    const auto period = toDuration(1.0 / options_.rate);
    const auto slotCount = std::clamp<std::size_t>(
        std::size_t(period / std::chrono::milliseconds(1)), 1, 1000);
    const auto tick = period / slotCount;

    std::vector<std::vector<Connection*>> slots(slotCount);
    for (auto& connection : connections_)
        if (connection->hasTarget())
            slots[connection->index() % slotCount].push_back(connection.get());

    net::steady_timer timer(io_);
    auto next = SteadyClock::now();
    for (std::size_t slot = 0; sending_; slot = (slot + 1) % slotCount) {
        for (auto* connection : slots[slot]) connection->queueRelays(1);
        next += tick;
        if (const auto now = SteadyClock::now(); now - next > period) {
            // More than a period behind: the tool itself is saturated. Skip ahead, and say so.
            ++result_.lateTicks;
            next = now;
        }
        timer.expires_at(next);
        co_await timer.async_wait(net::use_awaitable);
    }
}

net::awaitable<void> LoadRun::keepAlive() {
    boost::system::error_code ec;
    while (!finished_) {
        const auto now = nowNs();
        for (auto& connection : connections_) connection->keepAlive(now, kKeepAliveIdleNs);
        keepAliveTimer_.expires_after(std::chrono::seconds(1));
        co_await keepAliveTimer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
}

void LoadRun::onReady(Connection&, std::uint64_t latencyNs) {
    ++result_.ready;
    result_.connectLatency.record(latencyNs);
}

void LoadRun::onJoined(Connection&, const JoinTiming& timing) {
    ++result_.joined;
    ++settled_;
    result_.joinLatency.record(timing.lastJoinNs);
    if (timing.retries > 0) ++result_.retriedJoins;
    if (timing.redirects > 0) {
        ++result_.redirectedJoins;
        result_.redirects += timing.redirects;
        result_.joinLatencyRedirected.record(timing.fromFirstJoinNs);
    } else {
        result_.joinLatencyDirect.record(timing.fromFirstJoinNs);
    }
    launchConnections();
}

void LoadRun::onRelaySent(Connection&) { ++result_.sent; }

void LoadRun::onRelayReceived(Connection&, const RelayStamp& stamp, std::uint64_t receivedNs) {
    ++result_.delivered;
    if (measuring_) ++result_.deliveredInWindow;
    if (stamp.sentNs >= windowStartNs_ && stamp.sentNs < windowEndNs_ && windowStartNs_ != 0)
        result_.relayLatency.record(receivedNs - stamp.sentNs);
    // Saturation mode: each delivery frees one slot of the sender's window.
    if (sending_ && options_.window > 0 && stamp.sender < connections_.size())
        connections_[stamp.sender]->queueRelays(1);
}

void LoadRun::onServerError(Connection&, std::string_view what) {
    if (result_.serverErrors++ == 0) result_.firstServerError = what;
}

void LoadRun::onClosed(Connection& connection, std::string_view why) {
    if (finished_) return;
    if (result_.firstFailure.empty()) result_.firstFailure = why;
    if (connection.participantId().empty()) {
        ++settled_;
        launchConnections();
    } else {
        ++result_.dropped;
    }
}

}  // namespace parley::bench
