#include "cluster/cluster_view.hpp"

#include <boost/json.hpp>

namespace parley::cluster {

std::string clusterViewJson(const MembershipView& view, std::string_view store, std::int64_t nowMs) {
    namespace json = boost::json;
    json::array nodes;
    for (const auto& node : view.nodes) {
        json::object entry;
        entry["id"] = node.id;
        entry["self"] = node.id == view.self.id && node.instance == view.self.instance;
        entry["publicUrl"] = node.publicUrl;
        entry["lastSeenMs"] = node.announcedAtMs;
        entry["ageMs"] = nowMs - node.announcedAtMs;
        entry["load"] = json::object{{"participants", node.load.participants},
                                     {"rooms", node.load.rooms},
                                     {"mediaPacketsPerSecond", node.load.mediaPacketsPerSecond},
                                     {"cpuPercent", node.load.cpuPercent}};
        json::array rooms;
        for (const auto& room : node.rooms) rooms.emplace_back(room);
        entry["rooms"] = std::move(rooms);
        json::array addresses;
        for (const auto& a : node.addresses) {
            addresses.emplace_back(json::object{
                {"address", a.address}, {"seats", a.seats}, {"rooms", a.rooms}, {"connections", a.connections}});
        }
        entry["addresses"] = std::move(addresses);
        nodes.push_back(std::move(entry));
    }
    json::object body;
    body["self"] = view.self.id;
    body["store"] = store;
    body["reachable"] = view.reachable;
    body["idTaken"] = view.idTaken;
    body["listedAtMs"] = view.listedAtMs;
    body["nodes"] = std::move(nodes);
    return json::serialize(body);
}

}  // namespace parley::cluster
