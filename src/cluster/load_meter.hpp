#pragma once
// A node's load as it announces it: counts as they are, and running totals (media packets,
// CPU seconds) turned into rates over the time since the previous sample.
#include <cstdint>
#include <optional>

#include "cluster/node_record.hpp"

namespace parley::cluster {

struct LoadTotals {
    std::uint64_t participants = 0;
    std::uint64_t rooms = 0;
    std::uint64_t mediaPackets = 0;  // packets in and out of the media ports since start
    double cpuSeconds = 0;           // this process's user + system CPU time since start
    double atSeconds = 0;            // when these were read, on a monotonic clock
};

class LoadMeter {
public:
    // The load now; the rates are 0 at the first sample (nothing to compare with) and when the
    // clock did not move or a total went backwards.
    NodeLoad sample(const LoadTotals& totals);

private:
    std::optional<LoadTotals> last_;
};

}  // namespace parley::cluster
