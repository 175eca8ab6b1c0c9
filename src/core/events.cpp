#include "core/events.hpp"

namespace parley::core {

std::string_view toString(RelayKind kind) {
    switch (kind) {
        case RelayKind::Offer: return "offer";
        case RelayKind::Answer: return "answer";
        case RelayKind::Candidate: return "candidate";
    }
    return "offer";
}

std::string_view toString(LeaveReason reason) {
    switch (reason) {
        case LeaveReason::Left: return "left";
        case LeaveReason::Disconnected: return "disconnected";
    }
    return "left";
}

std::string_view toString(RelayOutcome outcome) {
    switch (outcome) {
        case RelayOutcome::Delivered: return "delivered";
        case RelayOutcome::TargetMissing: return "target-missing";
    }
    return "delivered";
}

}  // namespace parley::core
