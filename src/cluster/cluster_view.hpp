#pragma once
// The body of GET /admin/cluster: the live nodes as this node last listed them.
#include <cstdint>
#include <string>
#include <string_view>

#include "cluster/cluster_membership.hpp"

namespace parley::cluster {

// {"self":"<id>","store":"redis"|"memory","reachable":true,"idTaken":false,"listedAtMs":N,
//  "nodes":[{"id":..,"self":true,"publicUrl":..,"lastSeenMs":N,"ageMs":N,
//            "load":{"participants":N,"rooms":N,"mediaPacketsPerSecond":N,"cpuPercent":N}}]}
// `store` names the directory; ageMs is nowMs - lastSeenMs (by this node's clock).
std::string clusterViewJson(const MembershipView& view, std::string_view store, std::int64_t nowMs);

}  // namespace parley::cluster
