#pragma once
// What one client address holds on the other nodes of a cluster (seats, rooms it opened, open
// connections), as those nodes last announced it: the per-address limits count it too, so they
// hold across the cluster and not per node (a node announces only the addresses that hold a
// noticeable share of a limit; the figures are at most a couple of seconds old).
#include <cstddef>
#include <functional>
#include <string>

namespace parley::core {

struct AddressUsage {
    std::size_t seats = 0;
    std::size_t rooms = 0;
    std::size_t connections = 0;
};

using UsageElsewhere = std::function<AddressUsage(const std::string& address)>;

}  // namespace parley::core
