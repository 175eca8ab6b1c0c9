#include "shards.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "load_run.hpp"
#include "process_sample.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

Clock::time_point after(double seconds) {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// A shard's report, one "key value" line each, ended by "end".
std::string joinedReport(const LoadResult& r) {
    std::string firstFailure = r.firstFailure;
    for (char& c : firstFailure)
        if (c == '\n') c = ' ';
    return "ready " + std::to_string(r.ready) + "\njoined " + std::to_string(r.joined) +
           "\nfailed " + std::to_string(r.failed) + "\nphase " + std::to_string(r.joinPhaseSeconds) +
           "\nconnect " + r.connectLatency.serialize() + "\njoin " + r.joinLatency.serialize() +
           "\njoin-direct " + r.joinLatencyDirect.serialize() +
           "\njoin-redirected " + r.joinLatencyRedirected.serialize() +
           "\nredirected " + std::to_string(r.redirectedJoins) + "\nredirects " + std::to_string(r.redirects) +
           "\nretried " + std::to_string(r.retriedJoins) +
           "\nfailure " + firstFailure + "\nend\n";
}

std::string endReport(const LoadResult& r, bool timedOut) {
    return "dropped " + std::to_string(r.dropped) + "\ntimedout " + (timedOut ? "1" : "0") + "\nend\n";
}

void writeAll(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) return;
        done += std::size_t(n);
    }
}

// Reads "key value" lines up to "end" (or EOF, or the deadline).
class ReportReader {
public:
    explicit ReportReader(int fd) : fd_(fd) {}

    // false at EOF or when the deadline passes first.
    bool next(std::string& key, std::string& value, Clock::time_point deadline) {
        for (;;) {
            if (auto at = buffered_.find('\n'); at != std::string::npos) {
                const std::string line = buffered_.substr(0, at);
                buffered_.erase(0, at + 1);
                const auto space = line.find(' ');
                key = line.substr(0, space);
                value = space == std::string::npos ? "" : line.substr(space + 1);
                return true;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return false;
            pollfd waitFor{fd_, POLLIN, 0};
            if (::poll(&waitFor, 1, int(std::min<long long>(left.count(), 1000))) <= 0) continue;
            char chunk[4096];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n <= 0) return false;
            buffered_.append(chunk, std::size_t(n));
        }
    }

private:
    int fd_;
    std::string buffered_;
};

// Merges one report into `merged`; false if it ended early.
bool readReport(ReportReader& reader, LoadResult& merged, Clock::time_point deadline) {
    std::string key, value;
    while (reader.next(key, value, deadline)) {
        if (key == "end") return true;
        if (key == "ready") merged.ready += std::stoull(value);
        else if (key == "joined") merged.joined += std::stoull(value);
        else if (key == "failed") merged.failed += std::stoull(value);
        else if (key == "dropped") merged.dropped += std::stoull(value);
        else if (key == "phase") merged.joinPhaseSeconds = std::max(merged.joinPhaseSeconds, std::stod(value));
        else if (key == "timedout" && value == "1") merged.timedOut = true;
        else if (key == "redirected") merged.redirectedJoins += std::stoull(value);
        else if (key == "redirects") merged.redirects += std::stoull(value);
        else if (key == "retried") merged.retriedJoins += std::stoull(value);
        else if (key == "failure" && !value.empty() && merged.firstFailure.empty()) merged.firstFailure = value;
        else if (key == "connect" || key == "join" || key == "join-direct" || key == "join-redirected") {
            auto histogram = LatencyHistogram::parse(value);
            if (!histogram) return false;
            (key == "connect"       ? merged.connectLatency
             : key == "join"        ? merged.joinLatency
             : key == "join-direct" ? merged.joinLatencyDirect
                                    : merged.joinLatencyRedirected)
                .merge(*histogram);
        }
    }
    return false;
}

// The child's whole life: never returns.
[[noreturn]] void runShard(const Dialect& dialect, LoadOptions options, int reportFd, int releaseFd) {
    asio::io_context io(1);
    LoadRun run(io, dialect, options);
    run.holdWith([&]() -> asio::awaitable<void> {
        writeAll(reportFd, joinedReport(run.result()));
        // The parent closes its end to let every shard go: readable (EOF) then.
        asio::posix::stream_descriptor release(io, releaseFd);
        boost::system::error_code ignored;
        co_await release.async_wait(asio::posix::stream_descriptor::wait_read,
                                     asio::redirect_error(asio::use_awaitable, ignored));
    });
    asio::co_spawn(io, run.run(), asio::detached);
    // Bounded like a single run, plus however long the parent holds.
    const double bound = options.connectSeconds + options.settleSeconds + options.holdSeconds + 60;
    io.run_for(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(bound)));
    writeAll(reportFd, endReport(run.result(), !run.finished()));
    std::fflush(nullptr);
    ::_exit(0);
}

// Server RSS, sampled every 250 ms until it stops moving, at most `seconds`.
std::optional<std::uint64_t> settledRss(const std::vector<int>& pids, double seconds) {
    RssSettling settling;
    for (const auto deadline = after(seconds); Clock::now() < deadline;) {
        if (settling.add(rssBytes(pids))) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));  // the sampling period
    }
    return settling.last();
}

}  // namespace

LoadResult runShards(const Dialect& dialect, const LoadOptions& options) {
    LoadResult merged;
    merged.options = options;
    merged.loadAverageStart = loadAverage();
    if (!options.serverPids.empty()) merged.serverRssBefore = rssBytes(options.serverPids);

    // What the server and Redis spent while every shard connected and joined.
    auto redisNow = [&]() -> std::optional<RedisStats> {
        if (!options.redis) return std::nullopt;
        auto stats = fetchRedisStats(*options.redis);
        if (auto* why = std::get_if<std::string>(&stats)) {
            if (merged.redisProblem.empty()) merged.redisProblem = *why;
            return std::nullopt;
        }
        return std::get<RedisStats>(stats);
    };
    const auto redisBefore = redisNow();
    const auto serverBefore = sampleProcess(options.serverPids);

    int release[2];
    if (::pipe(release) != 0) {
        merged.firstFailure = std::string("pipe: ") + std::strerror(errno);
        return merged;
    }
    struct Shard {
        pid_t pid;
        int reportFd;
    };
    std::vector<Shard> shards;
    for (std::size_t i = 0; i < options.shards; ++i) {
        LoadOptions share = options;
        share.connections = options.connections / options.shards + (i < options.connections % options.shards ? 1 : 0);
        share.serverPids.clear();  // the parent measures the server
        share.redis.reset();
        share.shards = 1;
        int report[2];
        if (::pipe(report) != 0) break;
        std::fflush(nullptr);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(report[0]);
            ::close(release[1]);
            for (const auto& other : shards) ::close(other.reportFd);
            runShard(dialect, share, report[1], release[0]);
        }
        ::close(report[1]);
        if (pid < 0) {
            ::close(report[0]);
            merged.firstFailure = std::string("fork: ") + std::strerror(errno);
            break;
        }
        shards.push_back({pid, report[0]});
    }
    ::close(release[0]);

    // Every shard reports once all its connections have joined (or failed).
    const auto joinDeadline = after(options.connectSeconds + 30);
    std::vector<ReportReader> readers;
    for (const auto& shard : shards) readers.emplace_back(shard.reportFd);
    for (auto& reader : readers)
        if (!readReport(reader, merged, joinDeadline)) merged.timedOut = true;
    if (const auto serverAfter = sampleProcess(options.serverPids); serverBefore && serverAfter)
        merged.serverCpuJoinSeconds = serverAfter->cpuSeconds - serverBefore->cpuSeconds;
    if (const auto redisAfter = redisNow(); redisBefore && redisAfter)
        merged.redisJoin = redisDelta(*redisBefore, *redisAfter, 1);

    if (!options.serverPids.empty() && merged.serverRssBefore) {
        merged.serverRssIdle = settledRss(options.serverPids, options.settleSeconds);
        merged.serverOpenFiles = openFiles(options.serverPids);
    }
    if (options.holdSeconds > 0) {
        // The hold is what is measured here, not a wait for something to happen.
        std::this_thread::sleep_for(std::chrono::duration<double>(options.holdSeconds));
        if (!options.serverPids.empty()) merged.serverRssEnd = rssBytes(options.serverPids);
    }

    // Let them go, then collect how many connections dropped meanwhile.
    ::close(release[1]);
    const auto endDeadline = Clock::now() + std::chrono::seconds(60);
    for (auto& reader : readers)
        if (!readReport(reader, merged, endDeadline)) merged.timedOut = true;
    for (const auto& shard : shards) {
        ::close(shard.reportFd);
        int status = 0;
        ::waitpid(shard.pid, &status, 0);
    }
    if (shards.size() != options.shards) merged.timedOut = true;
    merged.loadAverageEnd = loadAverage();
    return merged;
}

}  // namespace parley::bench
