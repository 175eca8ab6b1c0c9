#include "core/events.hpp"

namespace parley::core {

std::string_view toString(RelayKind kind) {
    switch (kind) {
        case RelayKind::Offer: return "offer";
        case RelayKind::Answer: return "answer";
        case RelayKind::Candidate: return "candidate";
        case RelayKind::NegotiationFailed: return "negotiation-failed";
    }
    return "offer";
}

std::string_view toString(LeaveReason reason) {
    switch (reason) {
        case LeaveReason::Left: return "left";
        case LeaveReason::Disconnected: return "disconnected";
        case LeaveReason::Kicked: return "kicked";
        case LeaveReason::SlotEnded: return "slot-ended";
    }
    return "left";
}

std::string_view toString(EndReason reason) {
    switch (reason) {
        case EndReason::TimeUp: return "time-up";
        case EndReason::HostEnded: return "host-ended";
        case EndReason::SlotEnded: return "slot-ended";
    }
    return "time-up";
}

std::string_view toString(TimerKind kind) { return kind == TimerKind::Session ? "session" : "slot"; }

std::string_view toString(Role role) { return role == Role::Host ? "host" : "guest"; }

std::string_view toString(RelayOutcome outcome) {
    switch (outcome) {
        case RelayOutcome::Delivered: return "delivered";
        case RelayOutcome::TargetMissing: return "target-missing";
    }
    return "delivered";
}

}  // namespace parley::core
