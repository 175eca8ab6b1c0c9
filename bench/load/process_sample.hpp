#pragma once
// CPU time and resident memory of a process, read from /proc, so the tool can charge the
// server (not itself) for each relayed message.
#include <cstddef>
#include <cstdint>
#include <optional>

namespace parley::bench {

struct ProcessSample {
    double cpuSeconds = 0;       // user + system, all threads
    std::uint64_t rssBytes = 0;  // VmRSS
};

std::optional<ProcessSample> sampleProcess(int pid);
// How many files the process has open (/proc/<pid>/fd): with --io-uring, parley's connections
// are not among them.
std::optional<std::size_t> openFiles(int pid);
// This process's own CPU time, to tell when the tool rather than the server is the limit.
double selfCpuSeconds();
// The machine's 1-minute load average: anything else running skews every timing.
std::optional<double> loadAverage();

}  // namespace parley::bench
