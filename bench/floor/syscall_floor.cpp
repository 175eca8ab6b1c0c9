// parley-syscall-floor: what the kernel alone charges a relay on this machine. A forked relay
// process does nothing but wait for the kernel, recv from one TCP connection and send the bytes
// to its partner: no WebSocket, no JSON, no allocation. It asks with epoll_wait, recv and send,
// or with io_uring, which submits them in batches (kernel_relay.hpp).
// The driver offers the relay scenario's load shape (N connections in pairs, R messages/s
// each, spread over 1 ms ticks) and charges the relay's CPU time (/proc) to each message
// delivered. Any real server does at least this much, so its figure bounds what any server
// can reach here. With --window W it offers the saturate scenario's shape instead, as
// parley-load --window does: every connection keeps W messages in flight to its partner, each
// delivery frees one, and whatever a connection owes when it gets to write leaves in one send
// (the same in-flight window and the same batching opportunities). Bounded in time; loopback
// only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "fd_limit.hpp"
#include "histogram.hpp"
#include "kernel_relay.hpp"
#include "process_sample.hpp"

namespace {

using parley::bench::nowNs;

struct Options {
    std::size_t connections = 1000;
    double rate = 10;
    double seconds = 10;
    double warmupSeconds = 2;
    std::size_t size = 250;  // about a relayed candidate frame of parley-load's
    int relayCpu = -1;
    int driverCpu = -1;
    bool realtime = false;
    bool driverRealtime = false;
    std::size_t window = 0;  // > 0: saturate, this many messages in flight per sender
    std::string relay = "epoll";
    parley::bench::UringBatch batch;
};

using parley::bench::failWithErrno;
using parley::bench::setNonBlocking;

void placeThisProcess(int cpu, bool realtime) {
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) failWithErrno("sched_setaffinity");
    }
    if (realtime) {
        sched_param param{};
        // --realtime: relay and driver; --driver-realtime: the driver only, as bench/run
        // --realtime treats the load tool (never a server).
        param.sched_priority = 10;
        if (sched_setscheduler(0, SCHED_FIFO, &param) != 0) failWithErrno("sched_setscheduler (root only)");
    }
}

struct DriverConnection {
    int fd = -1;
    std::size_t pending = 0;  // bytes of a message read so far
    char head[8] = {};        // the send timestamp at the start of each message
    std::uint64_t owed = 0;   // saturation: messages this connection may send now
    bool listed = false;      // saturation: already in the list of connections owing
};

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"parley-syscall-floor: the kernel's own cost per relayed message (epoll, recv, send)"};
    app.add_option("--connections", options.connections, "connections, in pairs (1000)");
    app.add_option("--rate", options.rate, "messages per second each connection sends (10)");
    app.add_option("--seconds", options.seconds, "measured seconds (10)");
    app.add_option("--warmup", options.warmupSeconds, "seconds of load before measuring (2)");
    app.add_option("--size", options.size, "bytes per message (250)")->check(CLI::Range(8, 60000));
    app.add_option("--relay-cpu", options.relayCpu, "pin the relay to this CPU");
    app.add_option("--driver-cpu", options.driverCpu, "pin the driver to this CPU");
    app.add_flag("--realtime", options.realtime,
                 "SCHED_FIFO for relay and driver (root; not how a server runs in production)");
    app.add_flag("--driver-realtime", options.driverRealtime,
                 "SCHED_FIFO for the driver only (root), as bench/run --realtime treats the load tool");
    app.add_option("--window", options.window,
                   "saturate: keep this many messages in flight per sender instead of --rate (0)")
        ->check(CLI::Range(0, 4096));
    app.add_option("--relay", options.relay, "how the relay asks the kernel: epoll or io_uring (epoll)")
        ->check(CLI::IsMember({"epoll", "io_uring"}));
    app.add_option("--batch", options.batch.completions,
                   "io_uring: wait for this many completions per wake-up (1)")->check(CLI::Range(1, 4096));
    app.add_option("--batch-wait-us", options.batch.waitUs,
                   "io_uring: ...or until this many microseconds have passed (0)")->check(CLI::Range(0, 1'000'000));
    std::string label = "syscall-floor", jsonFile;
    app.add_option("--label", label, "label of the JSON result line");
    app.add_option("--json", jsonFile, "append the JSON result line to this file");
    CLI11_PARSE(app, argc, argv);
    if (options.connections < 2 || options.connections % 2) {
        std::fprintf(stderr, "parley-syscall-floor: --connections wants an even number >= 2\n");
        return 2;
    }
    if (options.rate <= 0 || options.seconds <= 0 || options.seconds > 600) {
        std::fprintf(stderr, "parley-syscall-floor: --rate > 0 and 0 < --seconds <= 600\n");
        return 2;
    }
    if (options.relay == "io_uring" && !parley::bench::uringRelayBuilt()) {
        std::fprintf(stderr, "parley-syscall-floor: --relay io_uring: built without liburing\n");
        return 2;
    }
    if (options.batch.completions > 1 && options.batch.waitUs == 0) {
        std::fprintf(stderr, "parley-syscall-floor: --batch > 1 wants --batch-wait-us, or a quiet spell would never end\n");
        return 2;
    }
    std::string note;
    parley::bench::raiseFileLimit(2 * options.connections + 64, note);
    const auto loadBefore = parley::bench::loadAverage();

    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) failWithErrno("bind");
    if (listen(listener, 4096) != 0) failWithErrno("listen");
    getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);

    const pid_t driver = getpid();
    const pid_t relay = fork();
    if (relay < 0) failWithErrno("fork");
    if (relay == 0) {
        // Should the driver die (before it has connected everything, say), the relay goes too
        // instead of waiting in accept() for ever.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != driver) std::_Exit(1);
        placeThisProcess(options.relayCpu, options.realtime);
        if (options.relay == "io_uring") parley::bench::runUringRelay(listener, options.connections, options.batch);
        parley::bench::runEpollRelay(listener, options.connections);
    }
    close(listener);
    placeThisProcess(options.driverCpu, options.realtime || options.driverRealtime);

    std::vector<DriverConnection> connections(options.connections);
    const int epoll = epoll_create1(0);
    for (std::size_t i = 0; i < connections.size(); ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) failWithErrno("connect");
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setNonBlocking(fd);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = i;
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) failWithErrno("epoll_ctl");
        connections[i].fd = fd;
    }

    // As parley-load paces a fixed rate: one period split into 1 ms slots, each connection
    // sending in its own slot, so every tick sends connections/slots messages.
    const std::size_t slots = std::clamp<std::size_t>(std::size_t(1000.0 / options.rate), 1, 1000);
    const std::uint64_t tickNs = std::uint64_t(1e9 / options.rate) / slots;
    // Saturation needs no pacing: the timer still wakes the loop every tick, so the phases end on
    // time, and sends nothing.
    const bool saturate = options.window > 0;
    const int timer = timerfd_create(CLOCK_MONOTONIC, 0);
    itimerspec interval{};
    interval.it_interval.tv_nsec = long(tickNs % 1'000'000'000u);
    interval.it_interval.tv_sec = time_t(tickNs / 1'000'000'000u);
    interval.it_value = interval.it_interval;
    timerfd_settime(timer, 0, &interval, nullptr);
    epoll_event timerEvent{};
    timerEvent.events = EPOLLIN;
    timerEvent.data.u64 = connections.size();
    epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &timerEvent);

    std::vector<char> message(options.size, 'x');
    std::vector<char> buffer(65536);
    std::vector<epoll_event> events(512);
    parley::bench::LatencyHistogram latencies;
    // missedTicks: 1 ms ticks the driver woke up too late for (their messages left with the next).
    std::uint64_t sent = 0, delivered = 0, deliveredInWindow = 0, missedTicks = 0, writes = 0;
    std::size_t slot = 0;
    const std::uint64_t started = nowNs();
    const std::uint64_t windowStart = started + std::uint64_t(options.warmupSeconds * 1e9);
    const std::uint64_t windowEnd = windowStart + std::uint64_t(options.seconds * 1e9);
    const std::uint64_t drainEnd = windowEnd + 5'000'000'000u;
    std::optional<parley::bench::ProcessSample> relayBefore, relayAfter;
    double driverCpuBefore = 0, driverCpuAfter = 0;
    bool sending = true;

    // Saturation: what each connection owes goes out in one send (up to 64 KiB), stamped once
    // just before it, as parley-load's flush does.
    std::vector<char> batch;
    std::vector<std::size_t> owing;
    const auto owe = [&](std::size_t c, std::uint64_t count) {
        connections[c].owed += count;
        if (!connections[c].listed) {
            connections[c].listed = true;
            owing.push_back(c);
        }
    };
    const std::size_t perWrite = std::max<std::size_t>(1, 65536 / options.size);
    const auto flushOwed = [&] {
        for (const std::size_t c : owing) {
            DriverConnection& connection = connections[c];
            connection.listed = false;
            if (!sending) {
                connection.owed = 0;
                continue;
            }
            while (connection.owed > 0) {
                const std::size_t count = std::min<std::uint64_t>(connection.owed, perWrite);
                batch.resize(count * options.size);
                const std::uint64_t stamp = nowNs();
                for (std::size_t m = 0; m < count; ++m) {
                    std::memcpy(batch.data() + m * options.size, message.data(), options.size);
                    std::memcpy(batch.data() + m * options.size, &stamp, sizeof stamp);
                }
                // In-flight data is bounded by the window, far below a socket's buffer: a short
                // send would be a broken run.
                if (send(connection.fd, batch.data(), batch.size(), MSG_NOSIGNAL) != ssize_t(batch.size()))
                    failWithErrno("driver send");
                connection.owed -= count;
                sent += count;
                ++writes;
            }
        }
        owing.clear();
    };
    if (saturate)
        for (std::size_t c = 0; c < connections.size(); ++c) owe(c, options.window);
    flushOwed();

    for (;;) {
        const std::uint64_t now = nowNs();
        if (!relayBefore && now >= windowStart) {
            relayBefore = parley::bench::sampleProcess(relay);
            driverCpuBefore = parley::bench::selfCpuSeconds();
        }
        if (sending && now >= windowEnd) {
            relayAfter = parley::bench::sampleProcess(relay);
            driverCpuAfter = parley::bench::selfCpuSeconds();
            sending = false;
        }
        if (!sending && (delivered >= sent || now >= drainEnd)) break;
        const int ready = epoll_wait(epoll, events.data(), int(events.size()), 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) failWithErrno("epoll_wait");
        for (int e = 0; e < ready; ++e) {
            const std::size_t i = events[e].data.u64;
            if (i == connections.size()) {
                std::uint64_t expirations = 0;
                if (read(timer, &expirations, sizeof expirations) != sizeof expirations) continue;
                if (expirations > 1) missedTicks += expirations - 1;
                if (!sending || saturate) continue;
                const std::uint64_t stamp = nowNs();
                std::memcpy(message.data(), &stamp, sizeof stamp);
                // A late wake-up sends the slots it missed (at most one period's worth), so the
                // offered rate holds.
                for (std::uint64_t tick = 0; tick < std::min<std::uint64_t>(expirations, slots); ++tick) {
                    for (std::size_t c = slot; c < connections.size(); c += slots) {
                        if (send(connections[c].fd, message.data(), message.size(), MSG_NOSIGNAL) !=
                            ssize_t(message.size()))
                            failWithErrno("driver send");
                        ++sent;
                    }
                    slot = (slot + 1) % slots;
                }
                continue;
            }
            DriverConnection& connection = connections[i];
            const ssize_t got = recv(connection.fd, buffer.data(), buffer.size(), 0);
            if (got <= 0) continue;
            const std::uint64_t at = nowNs();
            // Messages may arrive split or merged: walk the stream message by message.
            for (ssize_t offset = 0; offset < got;) {
                if (connection.pending < sizeof connection.head) {
                    const std::size_t take = std::min<std::size_t>(sizeof connection.head - connection.pending,
                                                                   std::size_t(got - offset));
                    std::memcpy(connection.head + connection.pending, buffer.data() + offset, take);
                    connection.pending += take;
                    offset += ssize_t(take);
                    continue;
                }
                const std::size_t take = std::min<std::size_t>(options.size - connection.pending,
                                                               std::size_t(got - offset));
                connection.pending += take;
                offset += ssize_t(take);
                if (connection.pending == options.size) {
                    std::uint64_t stamp = 0;
                    std::memcpy(&stamp, connection.head, sizeof stamp);
                    ++delivered;
                    if (stamp >= windowStart && stamp < windowEnd) {
                        latencies.record(at - stamp);
                        // At a fixed rate, what was sent in the window; saturated, what arrived
                        // in it (as parley-load counts), below.
                        if (!saturate) ++deliveredInWindow;
                    }
                    if (saturate && at >= windowStart && at < windowEnd) ++deliveredInWindow;
                    // Saturation: the delivery frees a slot of its sender's window.
                    if (saturate) owe(i ^ 1, 1);
                    connection.pending = 0;
                }
            }
        }
        flushOwed();
    }
    for (auto& connection : connections) close(connection.fd);
    int status = 0;
    waitpid(relay, &status, 0);

    const auto percentileMs = [&](double p) { return double(latencies.percentile(p)) / 1e6; };
    const double relayCpu = relayBefore && relayAfter ? relayAfter->cpuSeconds - relayBefore->cpuSeconds : 0;
    const double perMessageUs = deliveredInWindow ? relayCpu * 1e6 / double(deliveredInWindow) : 0;
    const double driverCpu = driverCpuAfter - driverCpuBefore;
    const auto load = parley::bench::loadAverage();
    // The field names of parley-load's report, so bench/summarize.mjs shows this as one more
    // row of the relay and saturate tables (the relay stands where a server would, the driver
    // where the tool would).
    char line[1536];
    std::snprintf(
        line, sizeof line,
        "{\"tool\":\"parley-syscall-floor\",\"label\":\"%s\",\"relay\":\"%s\",\"batch\":%u,"
        "\"batch_wait_us\":%u,\"connections\":%zu,\"rate\":%g,\"window\":%zu,"
        "\"size\":%zu,\"sent\":%llu,\"delivered\":%llu,\"lost\":%llu,\"delivered_per_s\":%.1f,"
        "\"missed_ticks\":%llu,\"server_cpu_s\":%.3f,\"server_cpu_us_per_msg\":%.3f,"
        "\"server_cpu_share\":%.3f,\"tool_cpu_share\":%.3f,\"tool_cpu_us_per_msg\":%.3f,"
        "\"driver_writes\":%llu,\"realtime\":\"%s\",\"relay_latency\":{\"count\":%llu,\"p50_ms\":%.4f,"
        "\"p90_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,\"max_ms\":%.4f},"
        "\"load_average_start\":%.2f,\"load_average_end\":%.2f}",
        label.c_str(), options.relay.c_str(), options.batch.completions, options.batch.waitUs,
        options.connections, saturate ? 0.0 : options.rate, options.window, options.size,
        (unsigned long long)sent, (unsigned long long)delivered,
        (unsigned long long)(sent - std::min(sent, delivered)), double(deliveredInWindow) / options.seconds,
        (unsigned long long)missedTicks, relayCpu, perMessageUs, relayCpu / options.seconds,
        driverCpu / options.seconds, deliveredInWindow ? driverCpu * 1e6 / double(deliveredInWindow) : 0.0,
        (unsigned long long)writes,
        options.realtime ? "relay and driver" : options.driverRealtime ? "driver" : "none",
        (unsigned long long)latencies.count(), percentileMs(50), percentileMs(90), percentileMs(99),
        percentileMs(99.9), double(latencies.max()) / 1e6, loadBefore.value_or(0), load.value_or(0));
    std::printf("relay: %.0f msgs/s delivered, %llu lost, %.2f us of relay CPU per message (relay at %.0f%% "
                "of a core, driver at %.0f%%), latency p50 %.3f ms p99 %.3f ms\n%s\n",
                double(deliveredInWindow) / options.seconds,
                (unsigned long long)(sent - std::min(sent, delivered)), perMessageUs,
                100 * relayCpu / options.seconds, 100 * driverCpu / options.seconds, percentileMs(50),
                percentileMs(99), line);
    if (!jsonFile.empty()) {
        if (FILE* out = std::fopen(jsonFile.c_str(), "a")) {
            std::fprintf(out, "%s\n", line);
            std::fclose(out);
        }
    }
    const bool ok = sent > 0 && delivered == sent && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return ok ? 0 : 1;
}
