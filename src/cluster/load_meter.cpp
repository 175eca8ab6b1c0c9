#include "cluster/load_meter.hpp"

#include <cmath>

namespace parley::cluster {

NodeLoad LoadMeter::sample(const LoadTotals& totals) {
    NodeLoad load;
    load.participants = totals.participants;
    load.rooms = totals.rooms;
    if (last_ && totals.atSeconds > last_->atSeconds) {
        const double elapsed = totals.atSeconds - last_->atSeconds;
        if (totals.mediaPackets >= last_->mediaPackets) {
            load.mediaPacketsPerSecond = static_cast<std::uint64_t>(
                std::llround(static_cast<double>(totals.mediaPackets - last_->mediaPackets) / elapsed));
        }
        if (totals.cpuSeconds >= last_->cpuSeconds) {
            load.cpuPercent = static_cast<std::uint64_t>(std::llround(100.0 * (totals.cpuSeconds - last_->cpuSeconds) / elapsed));
        }
    }
    last_ = totals;
    return load;
}

}  // namespace parley::cluster
