// parley-redis-hop: what relaying a signaling message through another node would add, measured
// rather than guessed. A relay design (the browser stays on the node it reached, and that node
// passes each of its messages to the room's node and back) puts one hop through Redis pub/sub
// on every message: PUBLISH by one node, delivery to the other node's subscription. This tool
// makes exactly that hop at the relay scenario's size and rate: `--links` node pairs, each a
// publishing connection and a subscribed one, the same candidate frames parley-load relays
// (~250 bytes, stamped), paced over 1 ms ticks, all a link owes per tick in one pipelined
// write. It reports one-way latency (PUBLISH written -> message read by the subscriber), Redis's
// CPU per message (from its /proc entry and from INFO), what Redis counted, and this process's
// own CPU per message (encoding, publishing, reading: an indication of what the two nodes would
// pay on top of their WebSocket work). See bench/README.md, "Cluster".
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <variant>

#include "clock.hpp"
#include "cluster/resp_codec.hpp"
#include "dialect.hpp"
#include "histogram.hpp"
#include "node_target.hpp"
#include "process_sample.hpp"
#include "redis_stats.hpp"
#include "stamp.hpp"

namespace net = boost::asio;
using tcp = net::ip::tcp;
namespace bench = parley::bench;
namespace cluster = parley::cluster;

namespace {

struct Options {
    std::string redis = "127.0.0.1:6379";
    int redisPid = 0;
    std::size_t links = 3;
    double rate = 10'000;  // messages per second over all links
    double warmupSeconds = 2;
    double durationSeconds = 10;
    double drainSeconds = 3;
    std::size_t padding = 0;
    std::string label;
    std::string jsonFile;
};

struct Counts {
    std::uint64_t published = 0;
    std::uint64_t publishReplies = 0;
    std::uint64_t unheard = 0;  // PUBLISH answered 0: nobody subscribed
    std::uint64_t received = 0;
    std::uint64_t receivedInWindow = 0;
    std::string failure;
    bench::LatencyHistogram latency;
};

// One link: a publishing connection and the subscribed one it publishes to.
class Link {
public:
    Link(net::io_context& io, std::size_t index, Counts& counts, const bench::Dialect& dialect, std::size_t padding)
        : index_(index), counts_(counts), dialect_(dialect), padding_(padding), publisher_(io), subscriber_(io),
          channel_("parley-bench:hop:" + std::to_string(index)) {}

    net::awaitable<void> connect(const tcp::endpoint& redis) {
        co_await publisher_.async_connect(redis, net::use_awaitable);
        co_await subscriber_.async_connect(redis, net::use_awaitable);
        publisher_.set_option(tcp::no_delay(true));
        subscriber_.set_option(tcp::no_delay(true));
        const auto subscribe = cluster::encodeCommand({"SUBSCRIBE", channel_});
        co_await net::async_write(subscriber_, net::buffer(subscribe), net::use_awaitable);
        // The confirmation: ["subscribe", channel, 1].
        for (;;) {
            auto next = subscriberDecoder_.next();
            if (auto* value = std::get_if<cluster::RespValue>(&next)) {
                if (value->kind != cluster::RespValue::Kind::Array || value->elements.empty() ||
                    !value->elements[0].is("subscribe"))
                    throw std::runtime_error("SUBSCRIBE answered " + cluster::describe(*value));
                break;
            }
            if (auto* error = std::get_if<cluster::RespProtocolError>(&next)) throw std::runtime_error(error->message);
            const auto n = co_await subscriber_.async_read_some(net::buffer(readBuffer_), net::use_awaitable);
            subscriberDecoder_.feed(std::string_view(readBuffer_, n));
        }
    }

    void start() {
        net::co_spawn(subscriber_.get_executor(), readSubscriber(), net::detached);
        net::co_spawn(publisher_.get_executor(), readReplies(), net::detached);
    }

    void owe(std::uint64_t count) {
        owed_ += count;
        if (!writing_) flush();
    }

    void measureFrom(std::uint64_t startNs, std::uint64_t endNs) { windowStart_ = startNs, windowEnd_ = endNs; }
    void stop() {
        boost::system::error_code ignored;
        publisher_.close(ignored);
        subscriber_.close(ignored);
    }

private:
    void flush() {
        if (owed_ == 0 || failed_) return;
        const auto now = bench::nowNs();  // stamped just before the write, as parley-load does
        outgoing_.clear();
        for (; owed_ > 0; --owed_) {
            payload_.clear();
            dialect_.appendRelay(payload_, "p0000000000" + std::to_string(index_ % 10),
                                 {std::uint32_t(index_), seq_++, now}, padding_);
            outgoing_ += "*3\r\n$7\r\nPUBLISH\r\n$" + std::to_string(channel_.size()) + "\r\n" + channel_ + "\r\n$" +
                         std::to_string(payload_.size()) + "\r\n" + payload_ + "\r\n";
            ++counts_.published;
        }
        writing_ = true;
        net::async_write(publisher_, net::buffer(outgoing_), [this](boost::system::error_code ec, std::size_t) {
            writing_ = false;
            if (ec) return fail("publish: " + ec.message());
            flush();
        });
    }

    net::awaitable<void> readReplies() {
        char buffer[16384];
        for (;;) {
            boost::system::error_code ec;
            const auto n = co_await publisher_.async_read_some(net::buffer(buffer), net::redirect_error(net::use_awaitable, ec));
            if (ec) co_return;
            publisherDecoder_.feed(std::string_view(buffer, n));
            for (;;) {
                auto next = publisherDecoder_.next();
                if (std::holds_alternative<std::monostate>(next)) break;
                if (auto* error = std::get_if<cluster::RespProtocolError>(&next)) co_return fail(error->message);
                const auto& value = std::get<cluster::RespValue>(next);
                if (value.kind != cluster::RespValue::Kind::Integer) co_return fail("PUBLISH answered " + cluster::describe(value));
                ++counts_.publishReplies;
                if (value.integer == 0) ++counts_.unheard;
            }
        }
    }

    net::awaitable<void> readSubscriber() {
        for (;;) {
            for (;;) {
                auto next = subscriberDecoder_.next();
                if (std::holds_alternative<std::monostate>(next)) break;
                if (auto* error = std::get_if<cluster::RespProtocolError>(&next)) co_return fail(error->message);
                const auto& value = std::get<cluster::RespValue>(next);
                // ["message", channel, payload]
                if (value.kind != cluster::RespValue::Kind::Array || value.elements.size() != 3 ||
                    !value.elements[0].is("message"))
                    co_return fail("subscriber got " + cluster::describe(value));
                const auto stamp = bench::findStamp(value.elements[2].text);
                if (!stamp) co_return fail("a message without its stamp");
                const auto now = bench::nowNs();
                ++counts_.received;
                if (stamp->sentNs >= windowStart_ && stamp->sentNs < windowEnd_) {
                    ++counts_.receivedInWindow;
                    counts_.latency.record(now - stamp->sentNs);
                }
            }
            boost::system::error_code ec;
            const auto n = co_await subscriber_.async_read_some(net::buffer(readBuffer_), net::redirect_error(net::use_awaitable, ec));
            if (ec) co_return;
            subscriberDecoder_.feed(std::string_view(readBuffer_, n));
        }
    }

    void fail(std::string why) {
        if (failed_) return;
        failed_ = true;
        if (counts_.failure.empty()) counts_.failure = std::move(why);
    }

    std::size_t index_;
    Counts& counts_;
    const bench::Dialect& dialect_;
    std::size_t padding_;
    tcp::socket publisher_;
    tcp::socket subscriber_;
    std::string channel_;
    cluster::RespDecoder publisherDecoder_;
    cluster::RespDecoder subscriberDecoder_;
    char readBuffer_[65536];
    std::string outgoing_;
    std::string payload_;
    std::uint64_t owed_ = 0;
    std::uint64_t seq_ = 0;
    bool writing_ = false;
    bool failed_ = false;
    std::uint64_t windowStart_ = 0;
    std::uint64_t windowEnd_ = 0;
};

double toMs(std::uint64_t ns) { return double(ns) / 1e6; }

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"parley-redis-hop: one hop through Redis pub/sub at the relay scenario's load"};
    app.add_option("--redis", o.redis, "host:port of redis-server");
    app.add_option("--redis-pid", o.redisPid, "redis-server's pid, for its CPU in /proc");
    app.add_option("--links", o.links, "publisher/subscriber pairs (node pairs)")->check(CLI::Range(1, 1000));
    app.add_option("-r,--rate", o.rate, "messages per second over all links");
    app.add_option("--warmup", o.warmupSeconds, "seconds before measuring");
    app.add_option("-d,--duration", o.durationSeconds, "measured seconds");
    app.add_option("--drain", o.drainSeconds, "max seconds to wait for messages in flight");
    app.add_option("--padding", o.padding, "extra bytes in each message");
    app.add_option("--label", o.label, "free text copied into the report");
    app.add_option("--json", o.jsonFile, "also append the JSON line to this file");
    CLI11_PARSE(app, argc, argv);
    auto parsed = bench::parseHostPort(o.redis);
    if (auto* why = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "parley-redis-hop: --redis: %s\n", why->c_str());
        return 2;
    }
    const auto redisAt = std::get<bench::NodeTarget>(parsed);

    net::io_context io(1);
    Counts counts;
    const auto dialect = bench::makeParleyDialect();
    std::vector<std::unique_ptr<Link>> links;
    for (std::size_t i = 0; i < o.links; ++i) links.push_back(std::make_unique<Link>(io, i, counts, *dialect, o.padding));

    std::optional<bench::RedisStats> redisWindow;
    std::optional<double> redisProcCpu;
    double toolCpu = 0, windowSeconds = 0;
    std::string problem;
    bool finished = false;
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
            const tcp::endpoint endpoint(net::ip::make_address_v4(redisAt.host), redisAt.port);
            for (auto& link : links) co_await link->connect(endpoint);
            for (auto& link : links) link->start();
            // Paced as parley-load paces: the period's messages spread over 1 ms ticks.
            bool sending = true;
            net::co_spawn(
                io,
                [&]() -> net::awaitable<void> {
                    net::steady_timer timer(io);
                    const double perTickPerLink = o.rate / 1000.0 / double(o.links);
                    double owed = 0;
                    auto next = bench::SteadyClock::now();
                    while (sending) {
                        owed += perTickPerLink;
                        const auto whole = std::uint64_t(owed);
                        owed -= double(whole);
                        if (whole > 0)
                            for (auto& link : links) link->owe(whole);
                        next += std::chrono::milliseconds(1);
                        if (bench::SteadyClock::now() - next > std::chrono::milliseconds(100)) next = bench::SteadyClock::now();
                        timer.expires_at(next);
                        co_await timer.async_wait(net::use_awaitable);
                    }
                },
                net::detached);
            net::steady_timer timer(io);
            timer.expires_after(std::chrono::duration_cast<bench::SteadyClock::duration>(std::chrono::duration<double>(o.warmupSeconds)));
            co_await timer.async_wait(net::use_awaitable);

            auto before = bench::fetchRedisStats(redisAt);
            const auto procBefore = bench::sampleProcess(o.redisPid);
            const double toolBefore = bench::selfCpuSeconds();
            const auto startNs = bench::nowNs();
            for (auto& link : links) link->measureFrom(startNs, UINT64_MAX);
            timer.expires_after(std::chrono::duration_cast<bench::SteadyClock::duration>(std::chrono::duration<double>(o.durationSeconds)));
            co_await timer.async_wait(net::use_awaitable);
            const auto endNs = bench::nowNs();
            for (auto& link : links) link->measureFrom(startNs, endNs);
            windowSeconds = double(endNs - startNs) / 1e9;
            toolCpu = bench::selfCpuSeconds() - toolBefore;
            const auto procAfter = bench::sampleProcess(o.redisPid);
            auto after = bench::fetchRedisStats(redisAt);
            if (procBefore && procAfter) redisProcCpu = procAfter->cpuSeconds - procBefore->cpuSeconds;
            if (std::holds_alternative<bench::RedisStats>(before) && std::holds_alternative<bench::RedisStats>(after))
                redisWindow = bench::redisDelta(std::get<bench::RedisStats>(before), std::get<bench::RedisStats>(after), 1);
            else
                problem = std::holds_alternative<std::string>(before) ? std::get<std::string>(before) : std::get<std::string>(after);
            sending = false;
            const auto drainEnd = bench::SteadyClock::now() + std::chrono::duration_cast<bench::SteadyClock::duration>(std::chrono::duration<double>(o.drainSeconds));
            while (counts.received < counts.published && bench::SteadyClock::now() < drainEnd) {
                timer.expires_after(std::chrono::milliseconds(5));
                co_await timer.async_wait(net::use_awaitable);
            }
            finished = true;
            for (auto& link : links) link->stop();
        },
        [&](std::exception_ptr error) {
            if (!error) return;
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                if (counts.failure.empty()) counts.failure = e.what();
            }
            for (auto& link : links) link->stop();
        });
    io.run_for(std::chrono::duration_cast<bench::SteadyClock::duration>(
        std::chrono::duration<double>(o.warmupSeconds + o.durationSeconds + o.drainSeconds + 30)));

    const double perSecond = windowSeconds > 0 ? double(counts.receivedInWindow) / windowSeconds : 0;
    const double inWindow = double(std::max<std::uint64_t>(1, counts.receivedInWindow));
    boost::json::object j{
        {"tool", "parley-redis-hop"},
        {"label", o.label},
        {"links", o.links},
        {"rate", o.rate},
        {"published", counts.published},
        {"received", counts.received},
        {"lost", counts.published - std::min(counts.published, counts.received)},
        {"unheard", counts.unheard},
        {"window_s", windowSeconds},
        {"received_in_window", counts.receivedInWindow},
        {"received_per_s", perSecond},
        {"latency",
         {{"count", counts.latency.count()},
          {"p50_ms", toMs(counts.latency.percentile(50))},
          {"p90_ms", toMs(counts.latency.percentile(90))},
          {"p99_ms", toMs(counts.latency.percentile(99))},
          {"p999_ms", toMs(counts.latency.percentile(99.9))},
          {"max_ms", toMs(counts.latency.max())},
          {"mean_ms", counts.latency.mean() / 1e6}}},
        {"redis_cpu_us_per_msg", redisProcCpu ? boost::json::value(*redisProcCpu * 1e6 / inWindow) : boost::json::value(nullptr)},
        {"redis_cpu_share", redisProcCpu && windowSeconds > 0 ? boost::json::value(*redisProcCpu / windowSeconds) : boost::json::value(nullptr)},
        {"tool_cpu_us_per_msg", toolCpu * 1e6 / inWindow},
        {"tool_cpu_share", windowSeconds > 0 ? toolCpu / windowSeconds : 0.0},
        {"failure", counts.failure},
        {"redis_problem", problem},
        {"timed_out", !finished},
    };
    if (redisWindow) {
        boost::json::object calls;
        for (const auto& [name, n] : redisWindow->calls) calls[name] = n;
        j["redis_commands_per_msg"] = double(redisWindow->totalCommands) / inWindow;
        j["redis_info_cpu_us_per_msg"] = redisWindow->cpuSeconds * 1e6 / inWindow;
        j["redis_calls"] = calls;
    }
    const auto json = boost::json::serialize(j);
    std::printf("parley-redis-hop: %zu links, %.0f msgs/s offered%s\n", o.links, o.rate,
                o.label.empty() ? "" : ("  [" + o.label + "]").c_str());
    std::printf("  published %llu received %llu (%.0f/s in the window)%s\n", (unsigned long long)counts.published,
                (unsigned long long)counts.received, perSecond, counts.unheard ? "  SOME UNHEARD" : "");
    std::printf("  one-way ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f (n=%llu)\n", toMs(counts.latency.percentile(50)),
                toMs(counts.latency.percentile(90)), toMs(counts.latency.percentile(99)),
                toMs(counts.latency.percentile(99.9)), toMs(counts.latency.max()), (unsigned long long)counts.latency.count());
    if (redisProcCpu) std::printf("  redis CPU %.2f us per message (%.0f%% of a core)\n", *redisProcCpu * 1e6 / inWindow, *redisProcCpu / windowSeconds * 100);
    if (redisWindow)
        std::printf("  redis commands per message %.3f (%s)\n", double(redisWindow->totalCommands) / inWindow,
                    bench::describeCalls(redisWindow->calls).c_str());
    std::printf("  this tool (both ends of the hop) %.2f us CPU per message (%.0f%% of a core)\n", toolCpu * 1e6 / inWindow,
                windowSeconds > 0 ? toolCpu / windowSeconds * 100 : 0.0);
    if (!counts.failure.empty()) std::printf("  failure: %s\n", counts.failure.c_str());
    std::cout << json << std::endl;
    if (!o.jsonFile.empty()) std::ofstream(o.jsonFile, std::ios::app) << json << '\n';
    return finished && counts.failure.empty() && counts.received > 0 ? 0 : 1;
}
