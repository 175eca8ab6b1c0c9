#include "cluster/address_loads.hpp"

#include <algorithm>

namespace parley::cluster {

namespace {

// The largest share of a limit the address holds, in quarters of that limit (0: none worth it).
double share(const AddressLoad& a, const PerAddressLimits& limits) {
    double most = 0;
    const auto of = [&](std::uint64_t held, std::size_t limit) {
        if (limit == 0 || held == 0) return;
        most = std::max(most, static_cast<double>(held) / static_cast<double>(limit));
    };
    of(a.seats, limits.seats);
    of(a.rooms, limits.rooms);
    of(a.connections, limits.connections);
    return most;
}

}  // namespace

std::vector<AddressLoad> addressesToAnnounce(std::vector<AddressLoad> all, const PerAddressLimits& limits) {
    std::erase_if(all, [&](const AddressLoad& a) { return share(a, limits) < 0.25; });
    std::sort(all.begin(), all.end(), [&](const AddressLoad& x, const AddressLoad& y) {
        const double sx = share(x, limits), sy = share(y, limits);
        return sx != sy ? sx > sy : x.address < y.address;
    });
    if (all.size() > kMaxListedAddresses) all.resize(kMaxListedAddresses);
    return all;
}

core::AddressUsage usageOnOtherNodes(const std::vector<NodeRecord>& nodes, const std::string& self,
                                     const std::string& address) {
    core::AddressUsage usage;
    for (const NodeRecord& node : nodes) {
        if (node.id == self) continue;
        for (const AddressLoad& a : node.addresses) {
            if (a.address != address) continue;
            usage.seats += a.seats;
            usage.rooms += a.rooms;
            usage.connections += a.connections;
        }
    }
    return usage;
}

}  // namespace parley::cluster
