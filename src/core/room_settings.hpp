#pragma once
// How a room admits people and how long it lasts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/topology.hpp"

namespace parley::core {

enum class Admission {
    Open,         // join while seats are free; when full, wait in line and enter in order
    Knock,        // everyone but the host waits until the host admits or declines
    OneAtATime,   // office hours: the host plus one guest at a time
};

std::string_view toString(Admission a);
std::optional<Admission> admissionFromString(std::string_view s);

struct RoomSettings {
    Admission admission = Admission::Open;
    std::size_t seats = 0;            // people in the room at once, host included; 0 = server max
    std::int64_t sessionLengthMs = 0; // 0 = no limit
    std::int64_t slotLengthMs = 0;    // one-at-a-time: each guest's slot; 0 = no limit
    std::string password;             // empty: none
};

// What a joiner brings besides a name: a password, or a verified token's grants.
struct Credentials {
    std::string password;
    bool token = false;      // holds a valid token for this room (skips the password)
    bool hostToken = false;  // the token makes them host, whoever came first
};

// What everyone in the room sees of its state.
struct RoomState {
    Admission admission;
    std::size_t seats;
    bool locked;
    std::optional<std::int64_t> sessionEndsAtMs;
    std::optional<std::int64_t> slotEndsAtMs;
    std::int64_t slotLengthMs;
    Topology topology = Topology::Mesh;
};

}  // namespace parley::core
