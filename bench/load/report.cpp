#include "report.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

namespace parley::bench {
namespace {

double toMs(std::uint64_t ns) { return double(ns) / 1e6; }

boost::json::object latencyJson(const LatencyHistogram& h) {
    return {{"count", h.count()},
            {"p50_ms", toMs(h.percentile(50))},
            {"p90_ms", toMs(h.percentile(90))},
            {"p99_ms", toMs(h.percentile(99))},
            {"p999_ms", toMs(h.percentile(99.9))},
            {"max_ms", toMs(h.max())},
            {"mean_ms", h.mean() / 1e6}};
}

std::string latencyRow(std::string_view name, const LatencyHistogram& h) {
    return fmt::format("  {:<22} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f}   (n={})\n", name,
                       toMs(h.percentile(50)), toMs(h.percentile(90)), toMs(h.percentile(99)),
                       toMs(h.percentile(99.9)), toMs(h.max()), h.count());
}

boost::json::object redisJson(const RedisStats& r, double seconds, double perUnit, std::string_view unit) {
    boost::json::object calls;
    for (const auto& [name, n] : r.calls) calls[name] = n;
    boost::json::object j{{"commands", r.totalCommands}, {"cpu_s", r.cpuSeconds}, {"calls", calls},
                          {"seconds", seconds}};
    if (perUnit > 0) {
        j[std::string("commands_per_") + std::string(unit)] = double(r.totalCommands) / perUnit;
        j[std::string("cpu_us_per_") + std::string(unit)] = r.cpuSeconds * 1e6 / perUnit;
    }
    return j;
}

template <class T>
boost::json::value orNull(const std::optional<T>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

struct Derived {
    std::optional<double> idleBytesPerConnection;
    double deliveredPerSecond = 0;
    std::optional<double> serverCpuUsPerMessage;
    std::optional<double> serverCpuShare;  // of one core
    double toolCpuShare = 0;
    std::optional<double> toolCpuUsPerMessage;  // the tool's own cost: is it the limit?
};

Derived derive(const LoadResult& r) {
    Derived d;
    if (r.serverRssBefore && r.serverRssIdle && r.joined > 0)
        d.idleBytesPerConnection =
            (double(*r.serverRssIdle) - double(*r.serverRssBefore)) / double(r.joined);
    if (r.windowSeconds > 0) {
        d.deliveredPerSecond = double(r.deliveredInWindow) / r.windowSeconds;
        d.toolCpuShare = r.toolCpuSeconds / r.windowSeconds;
        if (r.serverCpuSeconds) d.serverCpuShare = *r.serverCpuSeconds / r.windowSeconds;
    }
    if (r.serverCpuSeconds && r.deliveredInWindow > 0)
        d.serverCpuUsPerMessage = *r.serverCpuSeconds * 1e6 / double(r.deliveredInWindow);
    if (r.deliveredInWindow > 0)
        d.toolCpuUsPerMessage = r.toolCpuSeconds * 1e6 / double(r.deliveredInWindow);
    return d;
}

std::string mode(const LoadOptions& o) {
    if (o.durationSeconds <= 0) return "idle";
    return o.window > 0 ? fmt::format("saturate W={}", o.window) : fmt::format("rate {}/s", o.rate);
}

}  // namespace

std::string formatTable(const LoadResult& r) {
    const auto& o = r.options;
    const auto d = derive(r);
    std::string out;
    std::string where = o.host + ":" + std::to_string(o.port);
    if (!o.targets.empty()) {
        where.clear();
        for (const auto& t : o.targets) where += (where.empty() ? "" : ",") + t.host + ":" + std::to_string(t.port);
    }
    out += fmt::format("parley-load: {} at {}{}\n", o.target, where, o.label.empty() ? "" : "  [" + o.label + "]");
    out += fmt::format("  connections {} in rooms of {}, {}\n", o.connections, o.roomSize, mode(o));
    out += fmt::format("  joined {} / failed {} / dropped later {} in {:.2f} s\n", r.joined,
                       r.failed, r.dropped, r.joinPhaseSeconds);
    if (!r.firstFailure.empty()) out += fmt::format("  first failure: {}\n", r.firstFailure);
    if (o.shards > 1 || o.holdSeconds > 0)
        out += fmt::format("  from {} process{}, every connection held {:.0f} s after all joined\n",
                           o.shards, o.shards == 1 ? "" : "es", o.holdSeconds);
    out += fmt::format("  {:<22} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "latency (ms)", "p50", "p90",
                       "p99", "p99.9", "max");
    out += latencyRow("connect", r.connectLatency);
    out += latencyRow("join", r.joinLatency);
    if (r.redirectedJoins > 0 || o.targets.size() > 1) {
        out += latencyRow("join, direct", r.joinLatencyDirect);
        out += latencyRow("join, sent elsewhere", r.joinLatencyRedirected);
        out += fmt::format("  {} joins sent to the room's node ({} redirects) across {} nodes{}\n",
                           r.redirectedJoins, r.redirects, std::max<std::size_t>(1, o.targets.size()),
                           r.retriedJoins ? fmt::format("; {} joined after room-moving", r.retriedJoins) : "");
    }
    if (r.relayed) out += latencyRow("relay one-way", r.relayLatency);
    if (r.joinPhaseSeconds > 0)
        out += fmt::format("  {:.0f} joins/s{}\n", double(r.joined) / r.joinPhaseSeconds,
                           r.serverCpuJoinSeconds && r.joined
                               ? fmt::format(", server CPU {:.1f} us per join", *r.serverCpuJoinSeconds * 1e6 / double(r.joined))
                               : "");
    if (r.redisJoin && r.joined)
        out += fmt::format("  redis while joining: {:.2f} commands per join ({}), {:.1f} us of its CPU per join\n",
                           double(r.redisJoin->totalCommands) / double(r.joined), describeCalls(r.redisJoin->calls),
                           r.redisJoin->cpuSeconds * 1e6 / double(r.joined));
    if (r.redisIdle && r.redisIdleWindowSeconds > 0)
        out += fmt::format("  redis idle, rooms held: {:.0f} commands/s ({})\n",
                           double(r.redisIdle->totalCommands) / r.redisIdleWindowSeconds, describeCalls(r.redisIdle->calls));
    if (r.redisWindow && r.windowSeconds > 0)
        out += fmt::format("  redis while relaying: {:.0f} commands/s ({}), {:.4f} per relayed message\n",
                           double(r.redisWindow->totalCommands) / r.windowSeconds, describeCalls(r.redisWindow->calls),
                           r.deliveredInWindow ? double(r.redisWindow->totalCommands) / double(r.deliveredInWindow) : 0.0);
    if (!r.redisProblem.empty()) out += fmt::format("  redis not sampled: {}\n", r.redisProblem);
    if (d.idleBytesPerConnection)
        out += fmt::format("  server memory per idle joined connection: {:.0f} bytes "
                           "(RSS {:.1f} -> {:.1f} MiB)\n",
                           *d.idleBytesPerConnection, double(*r.serverRssBefore) / 1048576.0,
                           double(*r.serverRssIdle) / 1048576.0);
    if (r.serverOpenFiles)
        out += fmt::format("  server open files with every connection joined: {}\n", *r.serverOpenFiles);
    if (r.relayed) {
        out += fmt::format("  relays sent {} delivered {} lost {}; {} senders\n", r.sent,
                           r.delivered, r.sent - std::min(r.sent, r.delivered), r.senders);
        out += fmt::format("  delivered {:.0f} msgs/s over {:.2f} s\n", d.deliveredPerSecond,
                           r.windowSeconds);
        if (d.serverCpuUsPerMessage)
            out += fmt::format("  server CPU {:.2f} us per relayed message ({:.0f}% of a core)\n",
                               *d.serverCpuUsPerMessage, *d.serverCpuShare * 100);
        if (r.serverRssEnd)
            out += fmt::format("  server RSS at end {:.1f} MiB\n", double(*r.serverRssEnd) / 1048576.0);
        out += fmt::format("  tool CPU {:.0f}% of a core{}{}\n", d.toolCpuShare * 100,
                           d.toolCpuUsPerMessage
                               ? fmt::format(", {:.2f} us per relayed message", *d.toolCpuUsPerMessage)
                               : "",
                           r.lateTicks ? fmt::format(", fell behind schedule {} times", r.lateTicks)
                                       : "");
        if (r.serverErrors)
            out += fmt::format("  server errors {}; first: {}\n", r.serverErrors, r.firstServerError);
    }
    if (r.loadAverageStart && r.loadAverageEnd)
        out += fmt::format("  machine load average {:.2f} -> {:.2f}\n", *r.loadAverageStart,
                           *r.loadAverageEnd);
    if (r.timedOut) out += "  RUN TIMED OUT before finishing\n";
    return out;
}

std::string formatJson(const LoadResult& r) {
    const auto& o = r.options;
    const auto d = derive(r);
    boost::json::object j;
    j["tool"] = "parley-load";
    j["target"] = o.target;
    j["label"] = o.label;
    j["connections"] = o.connections;
    j["room_size"] = o.roomSize;
    j["mode"] = mode(o);
    j["rate"] = o.window > 0 ? 0.0 : o.rate;
    j["window"] = o.window;
    j["joined"] = r.joined;
    j["shards"] = o.shards;
    j["hold_s"] = o.holdSeconds;
    j["failed"] = r.failed;
    j["dropped"] = r.dropped;
    j["first_failure"] = r.firstFailure;
    j["join_phase_s"] = r.joinPhaseSeconds;
    j["connect_latency"] = latencyJson(r.connectLatency);
    j["join_latency"] = latencyJson(r.joinLatency);
    j["nodes"] = std::max<std::size_t>(1, o.targets.size());
    j["server_processes"] = o.serverPids.size();
    j["join_latency_direct"] = latencyJson(r.joinLatencyDirect);
    j["join_latency_redirected"] = latencyJson(r.joinLatencyRedirected);
    j["redirected_joins"] = r.redirectedJoins;
    j["redirects"] = r.redirects;
    j["retried_joins"] = r.retriedJoins;
    j["joins_per_s"] = r.joinPhaseSeconds > 0 ? double(r.joined) / r.joinPhaseSeconds : 0.0;
    j["server_cpu_join_s"] = orNull(r.serverCpuJoinSeconds);
    j["server_cpu_us_per_join"] = r.serverCpuJoinSeconds && r.joined
                                      ? boost::json::value(*r.serverCpuJoinSeconds * 1e6 / double(r.joined))
                                      : boost::json::value(nullptr);
    if (r.redisJoin) j["redis_join"] = redisJson(*r.redisJoin, r.joinPhaseSeconds, double(r.joined), "join");
    if (r.redisIdle) j["redis_idle"] = redisJson(*r.redisIdle, r.redisIdleWindowSeconds, r.redisIdleWindowSeconds, "s");
    if (r.redisWindow)
        j["redis_relay"] = redisJson(*r.redisWindow, r.windowSeconds, double(r.deliveredInWindow), "msg");
    j["redis_problem"] = r.redisProblem;
    j["server_rss_before"] = orNull(r.serverRssBefore);
    j["server_rss_idle"] = orNull(r.serverRssIdle);
    j["idle_bytes_per_connection"] = orNull(d.idleBytesPerConnection);
    j["server_open_files"] = orNull(r.serverOpenFiles);
    j["relayed"] = r.relayed;
    if (r.relayed) {
        j["senders"] = r.senders;
        j["sent"] = r.sent;
        j["delivered"] = r.delivered;
        j["lost"] = r.sent - std::min(r.sent, r.delivered);
        j["window_s"] = r.windowSeconds;
        j["delivered_in_window"] = r.deliveredInWindow;
        j["delivered_per_s"] = d.deliveredPerSecond;
        j["relay_latency"] = latencyJson(r.relayLatency);
        j["server_cpu_s"] = orNull(r.serverCpuSeconds);
        j["server_cpu_share"] = orNull(d.serverCpuShare);
        j["server_cpu_us_per_msg"] = orNull(d.serverCpuUsPerMessage);
        j["server_rss_end"] = orNull(r.serverRssEnd);
        j["tool_cpu_share"] = d.toolCpuShare;
        j["tool_cpu_us_per_msg"] = orNull(d.toolCpuUsPerMessage);
        j["late_ticks"] = r.lateTicks;
        j["server_errors"] = r.serverErrors;
        j["first_server_error"] = r.firstServerError;
    }
    j["load_average_start"] = orNull(r.loadAverageStart);
    j["load_average_end"] = orNull(r.loadAverageEnd);
    j["timed_out"] = r.timedOut;
    return boost::json::serialize(j);
}

}  // namespace parley::bench
