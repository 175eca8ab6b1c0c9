#pragma once
// What a node says about itself in the directory, and its JSON form in Redis (and in
// /admin/cluster). Decoding is pure and total: a record another version wrote, or garbage,
// gives nullopt, never an exception.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::cluster {

struct NodeLoad {
    std::uint64_t participants = 0;  // seated and waiting, in the rooms this node holds
    std::uint64_t rooms = 0;
    std::uint64_t mediaPacketsPerSecond = 0;  // RTP/RTCP packets in and out of the media ports
    std::uint64_t cpuPercent = 0;             // this process's CPU use: 100 = one core busy

    friend bool operator==(const NodeLoad&, const NodeLoad&) = default;
};

// An address holding a noticeable share of a per-address limit on the announcing node.
struct AddressLoad {
    std::string address;
    std::uint64_t seats = 0;
    std::uint64_t rooms = 0;
    std::uint64_t connections = 0;

    friend bool operator==(const AddressLoad&, const AddressLoad&) = default;
};

struct NodeRecord {
    std::string id;        // --node-id: stable across restarts if the operator says so
    std::string instance;  // random per process start: tells a restarted node from a duplicate id
    std::string publicUrl;  // --public-url, how browsers reach this node; may be empty
    NodeLoad load;
    std::int64_t announcedAtMs = 0;  // the announcing node's wall clock, Unix milliseconds
    // The rooms open on this node (sorted; at most kMaxListedRooms of them): where an operator's
    // request for a room's trace is sent on to, and what /admin/cluster lists per node.
    std::vector<std::string> rooms;
    // The client addresses holding at least a quarter of a per-address limit here (at most
    // kMaxListedAddresses): the other nodes count them against the same limits.
    std::vector<AddressLoad> addresses;

    friend bool operator==(const NodeRecord&, const NodeRecord&) = default;
};

// Enough for a node at the default --max-rooms twice over; past it the list is partial (a
// record is read by every node every 2 s: it must stay small).
inline constexpr std::size_t kMaxListedRooms = 2'000;
inline constexpr std::size_t kMaxListedAddresses = 256;

// {"id":..,"instance":..,"publicUrl":..,"announcedAtMs":..,"load":{"participants":..,"rooms":..,
//  "mediaPacketsPerSecond":..,"cpuPercent":..},"rooms":["brave-otter-417",..]}
// "rooms" may be absent (a record of an earlier version: none listed); when present it must be an
// array of at most kMaxListedRooms non-empty strings of at most 64 characters. "addresses" likewise
// optional: [{"address":"203.0.113.7","seats":12,"rooms":4,"connections":20}], at most
// kMaxListedAddresses, each address non-empty and at most 64 characters.
std::string encodeNodeRecord(const NodeRecord& record);
std::optional<NodeRecord> decodeNodeRecord(std::string_view json);

}  // namespace parley::cluster
