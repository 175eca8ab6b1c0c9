#include "process_sample.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace parley::bench {
namespace {

std::optional<double> cpuSecondsOf(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    // The command name may hold spaces and parentheses; fields resume after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(close + 2));
    std::string skip;
    // After the name: state(3) ... utime is field 14, stime field 15 (1-based, man proc).
    for (int field = 3; field < 14; ++field) fields >> skip;
    unsigned long long utime = 0, stime = 0;
    if (!(fields >> utime >> stime)) return std::nullopt;
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

std::optional<std::uint64_t> rssBytesOf(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream value(line.substr(6));
            std::uint64_t kib = 0;
            value >> kib;
            return kib * 1024;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<ProcessSample> sampleProcess(int pid) {
    if (pid <= 0) return std::nullopt;
    auto cpu = cpuSecondsOf(pid);
    auto rss = rssBytesOf(pid);
    if (!cpu || !rss) return std::nullopt;
    return ProcessSample{*cpu, *rss};
}

std::optional<double> loadAverage() {
    std::ifstream in("/proc/loadavg");
    double oneMinute = 0;
    if (!(in >> oneMinute)) return std::nullopt;
    return oneMinute;
}

double selfCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::optional<std::size_t> openFiles(int pid) {
    DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (!dir) return std::nullopt;
    std::size_t count = 0;
    while (const dirent* entry = ::readdir(dir))
        if (entry->d_name[0] != '.') ++count;
    ::closedir(dir);
    return count;
}

std::optional<std::uint64_t> rssBytes(int pid) { return rssBytesOf(pid); }

std::optional<ProcessSample> sampleProcess(const std::vector<int>& pids) {
    if (pids.empty()) return std::nullopt;
    ProcessSample total;
    for (int pid : pids) {
        const auto one = sampleProcess(pid);
        if (!one) return std::nullopt;
        total.cpuSeconds += one->cpuSeconds;
        total.rssBytes += one->rssBytes;
    }
    return total;
}

std::optional<std::uint64_t> rssBytes(const std::vector<int>& pids) {
    if (auto sample = sampleProcess(pids)) return sample->rssBytes;
    return std::nullopt;
}

std::optional<std::size_t> openFiles(const std::vector<int>& pids) {
    if (pids.empty()) return std::nullopt;
    std::size_t total = 0;
    for (int pid : pids) {
        const auto one = openFiles(pid);
        if (!one) return std::nullopt;
        total += *one;
    }
    return total;
}

bool RssSettling::add(std::optional<std::uint64_t> sample) {
    if (sample && last_ && std::llabs(std::int64_t(*sample) - std::int64_t(*last_)) <= std::int64_t(*last_ / 200))
        ++steady_;
    else
        steady_ = 0;
    last_ = sample;
    return steady_ >= 4;
}

}  // namespace parley::bench
