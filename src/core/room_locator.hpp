#pragma once
// The seam between signaling and a cluster of nodes: before a join opens a room this node does
// not hold, the locator says where the room lives (here, or on another node the browser is sent
// to), deciding it for a new room. Asynchronous, since the answer comes from a shared store;
// without a locator every room is here, as on a single node.
#include <cstdint>
#include <functional>
#include <string>

#include "core/participant.hpp"

namespace parley::core {

struct RoomLocation {
    enum class Kind {
        Here,       // join here
        Elsewhere,  // the room lives on another node: `url` is how browsers reach it
        Unsettled,  // its node went away and nobody holds it yet: try again after `retryAfterMs`
        Full,       // a new room, and the cluster holds as many rooms as it may (--max-rooms)
    };
    Kind kind = Kind::Here;
    std::string url;
    std::int64_t retryAfterMs = 0;
};

class RoomLocator {
public:
    virtual ~RoomLocator() = default;
    // Calls `done` exactly once, at once or later on the same thread.
    virtual void locate(const RoomId& room, std::function<void(RoomLocation)> done) = 0;
};

}  // namespace parley::core
