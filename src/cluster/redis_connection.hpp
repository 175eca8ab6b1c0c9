#pragma once
// One connection to Redis on the caller's io_context: commands are pipelined (written as soon
// as they are given, answered in order), each bounded by a timeout; a lost connection is
// re-established with capped, jittered backoff. Nothing here blocks: name lookup, connect,
// reads and writes are asynchronous, and timeouts are steady_timers.
//
// While the connection is not up, a command fails at once (Unavailable) rather than waiting:
// the callers (the node registry, later room state) retry on their own schedule, and a
// queue that grows while Redis is away would only replay stale writes.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "cluster/cluster_directory.hpp"
#include "cluster/reconnect_backoff.hpp"
#include "cluster/redis_url.hpp"
#include "cluster/resp_value.hpp"

namespace parley::cluster {

struct RedisConnectionOptions {
    RedisEndpoint endpoint;
    std::chrono::milliseconds connectTimeout{2'000};  // name lookup, TCP connect and AUTH/SELECT/PING
    std::chrono::milliseconds commandTimeout{2'000};  // from a command's write to its reply
    ReconnectBackoff backoff;
};

class RedisConnection {
public:
    using Reply = DirectoryResult<RespValue>;  // an error reply (-ERR ...) is a RespValue too
    using ReplyCallback = std::function<void(Reply)>;

    // `random01` returns numbers in [0, 1) for the backoff's jitter (default: a seeded PRNG).
    RedisConnection(boost::asio::io_context& io, RedisConnectionOptions options,
                    std::function<double()> random01 = {});
    // Stops; callbacks of commands still waiting are dropped uncalled.
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // Begins connecting (and reconnecting whenever the connection is lost, until stop()).
    void start();
    // Closes the connection and stops reconnecting; waiting callbacks are dropped uncalled.
    void stop();

    // Sends `argv` (e.g. {"SET", key, value}); `done` gets the reply, a Timeout, or Unavailable
    // when the connection is not up or is lost before the reply. Always called later on the
    // io_context, never from inside this call.
    void command(std::vector<std::string> argv, ReplyCallback done);

    bool up() const;
    // `listener` is called on each change, until removed: true once connected (and
    // authenticated), false when lost. Returns its id for removeStateListener.
    std::uint64_t addStateListener(std::function<void(bool up)> listener);
    void removeStateListener(std::uint64_t id);

    const RedisEndpoint& endpoint() const;

private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace parley::cluster
