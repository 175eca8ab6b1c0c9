#pragma once
#include <cstdint>
#include <string>

namespace parley::core {

// The connection a participant speaks through; assigned by the transport layer.
using SessionId = std::uint64_t;
using ParticipantId = std::string;
using RoomId = std::string;

struct MediaState {
    bool mic = false;
    bool cam = false;
    bool screen = false;
    std::string screenStream;  // id of the MediaStream carrying the screen, may be empty

    bool operator==(const MediaState&) const = default;
};

enum class Role { Host, Guest };

struct ParticipantInfo {
    ParticipantId id;
    std::string name;
    MediaState media;
    Role role = Role::Guest;
    bool connected = true;  // false while their socket is gone and they may resume
};

}  // namespace parley::core
