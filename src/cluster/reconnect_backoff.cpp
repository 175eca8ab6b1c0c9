#include "cluster/reconnect_backoff.hpp"

#include <algorithm>

namespace parley::cluster {

std::chrono::milliseconds reconnectDelay(const ReconnectBackoff& policy, unsigned failures, double random01) {
    const auto first = std::max<std::chrono::milliseconds::rep>(policy.first.count(), 1);
    const auto cap = std::max(policy.cap.count(), first);
    // Doubling stops at the cap; the shift is bounded so it cannot overflow.
    auto step = first;
    for (unsigned i = 1; i < failures && step < cap; ++i) step = std::min(step * 2, cap);
    const double unit = std::clamp(random01, 0.0, 1.0);
    const auto half = step / 2;
    return std::chrono::milliseconds(step - half + static_cast<std::chrono::milliseconds::rep>(unit * static_cast<double>(half)));
}

}  // namespace parley::cluster
