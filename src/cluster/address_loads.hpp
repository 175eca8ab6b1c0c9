#pragma once
// Per-address limits across a cluster (issue 19): each node announces the client addresses that
// hold a noticeable share of a limit on it, and counts what the other nodes announce for an
// address against the same limits. Pure.
#include <cstddef>
#include <string>
#include <vector>

#include "cluster/node_record.hpp"
#include "core/address_usage.hpp"

namespace parley::cluster {

struct PerAddressLimits {
    std::size_t seats = 0;        // --max-seats-per-ip (0: unlimited)
    std::size_t rooms = 0;        // --max-rooms-per-ip
    std::size_t connections = 0;  // --max-connections-per-ip
};

// Of `all` (what each address holds on this node), the ones worth announcing: holding at least a
// quarter of some limit (and at least one), heaviest share first, at most kMaxListedAddresses.
// An address below a quarter everywhere can exceed a limit by at most what the other nodes each
// hold under that quarter, and announcing every address would make records grow with clients.
std::vector<AddressLoad> addressesToAnnounce(std::vector<AddressLoad> all, const PerAddressLimits& limits);

// What `address` holds on the nodes other than `self`, as `nodes` last announced it.
core::AddressUsage usageOnOtherNodes(const std::vector<NodeRecord>& nodes, const std::string& self,
                                     const std::string& address);

}  // namespace parley::cluster
