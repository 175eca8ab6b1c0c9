#pragma once
// Drives one benchmark run through its phases on one io_context thread: connect and join every
// connection, measure the server's idle memory, relay for a warm-up and a measured window,
// then drain what is still in flight. Every phase is bounded in time.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "connection.hpp"
#include "dialect.hpp"
#include "load_result.hpp"

namespace parley::bench {

class LoadRun final : private Connection::Listener {
public:
    LoadRun(net::io_context& io, const Dialect& dialect, const LoadOptions& options);
    ~LoadRun() override;

    net::awaitable<void> run();
    // Awaited once every connection has joined (or failed) and idle memory is measured,
    // instead of the plain --hold pause: a shard hands its result over and waits to be let go.
    void holdWith(std::function<net::awaitable<void>()> hold) { hold_ = std::move(hold); }
    const LoadResult& result() const { return result_; }
    bool finished() const { return finished_; }

private:
    void onReady(Connection& connection, std::uint64_t latencyNs) override;
    void onJoined(Connection& connection, const JoinTiming& timing) override;
    void onRelaySent(Connection& connection) override;
    void onRelayReceived(Connection& receiver, const RelayStamp& stamp,
                         std::uint64_t receivedNs) override;
    void onServerError(Connection& connection, std::string_view what) override;
    void onClosed(Connection& connection, std::string_view why) override;

    net::awaitable<void> connectAll();
    void launchConnections();
    void pairRoomMates();
    net::awaitable<void> measureIdleMemory();
    // Redis's counters now, or nullopt (and the reason kept) without --redis or on failure.
    std::optional<RedisStats> sampleRedis();
    net::awaitable<void> measureRedisIdle();
    net::awaitable<void> relay();
    net::awaitable<void> paceAtRate();
    net::awaitable<void> keepAlive();
    net::awaitable<void> pause(double seconds);
    // Polls `done` every few milliseconds for at most `seconds`; returns whether it held.
    template <class Predicate>
    net::awaitable<bool> waitUntil(Predicate done, double seconds, double pollSeconds = 0.005);

    net::io_context& io_;
    const Dialect& dialect_;
    LoadOptions options_;
    LoadResult result_;
    std::vector<std::unique_ptr<Connection>> connections_;
    std::vector<NodeTarget> targets_;
    std::string runTag_;
    std::size_t launched_ = 0;
    std::size_t settled_ = 0;  // joined or failed
    bool sending_ = false;
    bool measuring_ = false;
    bool finished_ = false;
    std::uint64_t windowStartNs_ = 0;
    std::uint64_t windowEndNs_ = UINT64_MAX;
    net::steady_timer keepAliveTimer_;
    std::function<net::awaitable<void>()> hold_;
};

}  // namespace parley::bench
