// parley-load: many WebSocket clients against parley (protocol v1) or the Socket.io reference,
// relaying stamped candidates between room-mates. See bench/README.md.
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <variant>

#include "dialect.hpp"
#include "fd_limit.hpp"
#include "load_run.hpp"
#include "report.hpp"
#include "shards.hpp"

namespace bench = parley::bench;

namespace {

// The whole run in this process, bounded in time even if a phase misbehaves.
bench::LoadResult runHere(const bench::Dialect& dialect, const bench::LoadOptions& o) {
    boost::asio::io_context io(1);
    bench::LoadRun run(io, dialect, o);
    boost::asio::co_spawn(io, run.run(), [](std::exception_ptr error) {
        if (error) std::rethrow_exception(error);
    });
    const double bound = o.connectSeconds + o.settleSeconds + o.holdSeconds + o.warmupSeconds +
                         o.durationSeconds + o.drainSeconds + 30;
    io.run_for(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(bound)));
    auto result = run.result();
    result.timedOut = !run.finished();
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    bench::LoadOptions o;
    CLI::App app{"parley-load: signaling load against parley or the Socket.io reference"};
    app.add_option("--target", o.target, "parley or socketio")
        ->check(CLI::IsMember({"parley", "socketio"}));
    app.add_option("--host", o.host, "server IPv4 address (loopback)");
    app.add_option("--port", o.port, "server port");
    app.add_option("-n,--connections", o.connections, "WebSocket clients")->check(CLI::Range(1, 1'000'000));
    app.add_option("-k,--room-size", o.roomSize, "participants per room")->check(CLI::Range(1, 1000));
    app.add_option("-r,--rate", o.rate, "relays per second per connection");
    app.add_option("-w,--window", o.window, "saturate instead, W relays in flight per sender");
    app.add_option("--warmup", o.warmupSeconds, "seconds relaying before measuring");
    app.add_option("-d,--duration", o.durationSeconds, "measured seconds; 0 = idle memory only");
    app.add_option("--drain", o.drainSeconds, "max seconds to wait for in-flight relays");
    app.add_option("--connect-timeout", o.connectSeconds, "max seconds to connect and join all");
    app.add_option("--settle", o.settleSeconds, "max seconds waiting for server RSS to settle");
    app.add_option("--connect-concurrency", o.connectConcurrency, "handshakes in flight");
    app.add_option("--source-addresses", o.sourceAddresses, "spread over 127.0.0.1..N")
        ->check(CLI::Range(1, 250));
    app.add_option("--padding", o.padding, "extra bytes in each candidate");
    app.add_option("--shards", o.shards,
                   "idle runs (-d 0): spread the connections over this many processes")
        ->check(CLI::Range(1, 64));
    app.add_option("--hold", o.holdSeconds, "idle runs: keep every connection open this long "
                                            "after all joined");
    app.add_option("--server-pid", o.serverPids,
                   "server process to sample in /proc (a cluster: every node's, comma-separated)")
        ->delimiter(',');
    std::string targets, redis;
    app.add_option("--targets", targets,
                   "a cluster: host:port of each node, comma-separated (instead of --host/--port); "
                   "connections enter through them in turn and follow room-elsewhere");
    app.add_option("--redis", redis, "host:port of the Redis the nodes share: its counters are "
                                     "read between phases");
    app.add_option("--redis-idle", o.redisIdleSeconds,
                   "with --redis: seconds of idle spell measured before relaying");
    app.add_option("--label", o.label, "free text copied into the report");
    app.add_option("--json", o.jsonFile, "also append the JSON line to this file");
    CLI11_PARSE(app, argc, argv);
    if (!targets.empty()) {
        auto parsed = bench::parseTargetList(targets);
        if (auto* why = std::get_if<std::string>(&parsed)) {
            std::fprintf(stderr, "parley-load: --targets: %s\n", why->c_str());
            return 2;
        }
        o.targets = std::get<std::vector<bench::NodeTarget>>(parsed);
    }
    if (!redis.empty()) {
        auto parsed = bench::parseHostPort(redis);
        if (auto* why = std::get_if<std::string>(&parsed)) {
            std::fprintf(stderr, "parley-load: --redis: %s\n", why->c_str());
            return 2;
        }
        o.redis = std::get<bench::NodeTarget>(parsed);
    }
    if (o.shards > 1 && o.durationSeconds > 0) {
        std::fprintf(stderr, "parley-load: --shards needs an idle run (-d 0)\n");
        return 2;
    }

    std::string note;
    const std::size_t perProcess = (o.connections + o.shards - 1) / o.shards;
    const auto limit = bench::raiseFileLimit(perProcess + 256, note);
    if (!note.empty()) std::fprintf(stderr, "parley-load: %s\n", note.c_str());
    if (limit < perProcess + 16)
        std::fprintf(stderr, "parley-load: only %llu file descriptors for %zu connections a process\n",
                     static_cast<unsigned long long>(limit), perProcess);

    auto dialect = o.target == "socketio" ? bench::makeSocketIoDialect() : bench::makeParleyDialect();
    auto result = o.shards > 1 ? bench::runShards(*dialect, o) : runHere(*dialect, o);
    const auto json = bench::formatJson(result);
    std::cout << bench::formatTable(result) << json << std::endl;
    if (!o.jsonFile.empty()) std::ofstream(o.jsonFile, std::ios::app) << json << '\n';

    const bool ok = result.joined > 0 && !result.timedOut &&
                    (!result.relayed || result.delivered > 0);
    return ok ? 0 : 1;
}
