#pragma once
// How media flows in a room. In a mesh every browser sends its media to every other browser:
// the lowest latency for two people, but each newcomer costs everyone an upload, so a mesh stops
// at a handful. Forwarded, each browser sends once, to the server, which forwards it to the
// others. The policy is the server's (--topology); the room applies it as people come and go.
#include <cstddef>
#include <string_view>

namespace parley::core {

enum class Topology { Mesh, Forwarded };

enum class TopologyMode {
    Mesh,     // every room peer to peer (a server that does not forward media)
    Forward,  // every room through the server, even two people
    Auto,     // two people peer to peer (as Jitsi does for 1:1), three or more through the server
};

std::string_view toString(Topology topology);
std::string_view toString(TopologyMode mode);

struct TopologyPolicy {
    TopologyMode mode = TopologyMode::Mesh;

    // What a room of `members` admitted people uses. There is no hysteresis: a person whose
    // socket drops keeps their seat for the grace period, so a reload or a network blip does
    // not move the room back and forth; only a real leave or join does.
    Topology forMembers(std::size_t members) const {
        switch (mode) {
            case TopologyMode::Mesh: return Topology::Mesh;
            case TopologyMode::Forward: return Topology::Forwarded;
            case TopologyMode::Auto: return members >= kAutoForwardFrom ? Topology::Forwarded : Topology::Mesh;
        }
        return Topology::Mesh;
    }

    static constexpr std::size_t kAutoForwardFrom = 3;
};

}  // namespace parley::core
