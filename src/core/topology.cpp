#include "core/topology.hpp"

namespace parley::core {

std::string_view toString(Topology topology) {
    switch (topology) {
        case Topology::Mesh: return "mesh";
        case Topology::Forwarded: return "forwarded";
    }
    return "mesh";
}

std::string_view toString(TopologyMode mode) {
    switch (mode) {
        case TopologyMode::Mesh: return "mesh";
        case TopologyMode::Forward: return "forward";
        case TopologyMode::Auto: return "auto";
    }
    return "mesh";
}

}  // namespace parley::core
