#pragma once
// CPU time and resident memory of a process, read from /proc, so the tool can charge the
// server (not itself) for each relayed message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace parley::bench {

struct ProcessSample {
    double cpuSeconds = 0;       // user + system, all threads
    std::uint64_t rssBytes = 0;  // VmRSS
};

std::optional<ProcessSample> sampleProcess(int pid);
// The process's resident memory alone (VmRSS), or nullopt if it is gone.
std::optional<std::uint64_t> rssBytes(int pid);

// Tells when a process's memory stopped moving: four samples in a row, each within 0.5% of
// the one before.
class RssSettling {
public:
    // Takes the next sample; true once settled.
    bool add(std::optional<std::uint64_t> sample);
    std::optional<std::uint64_t> last() const { return last_; }

private:
    std::optional<std::uint64_t> last_;
    int steady_ = 0;
};
// How many files the process has open (/proc/<pid>/fd): with --io-uring, parley's connections
// are not among them.
std::optional<std::size_t> openFiles(int pid);
// The same summed over several processes (the nodes of a cluster, as one service); nullopt
// when the list is empty or any of them is gone.
std::optional<ProcessSample> sampleProcess(const std::vector<int>& pids);
std::optional<std::uint64_t> rssBytes(const std::vector<int>& pids);
std::optional<std::size_t> openFiles(const std::vector<int>& pids);
// This process's own CPU time, to tell when the tool rather than the server is the limit.
double selfCpuSeconds();
// The machine's 1-minute load average: anything else running skews every timing.
std::optional<double> loadAverage();

}  // namespace parley::bench
