#pragma once
// A room's recent signaling steps, for operators and the diagnostics panel: who joined, each
// offer/answer/candidate relayed from → to with its outcome, ICE restarts, drops and resumes.
// Bounded: the oldest steps give way.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bounded_log.hpp"
#include "core/participant.hpp"

namespace parley::core {

enum class TraceKind {
    Join, Wait, Admit, Leave, Offer, Answer, Candidate, IceRestart, Drop, Resume,
    NegotiationFailed,  // a participant could not apply the other's offer or answer
    Topology,           // the room moved between peer to peer and forwarded (outcome: which)
};
std::string_view toString(TraceKind kind);

struct TraceStep {
    std::int64_t atMs;
    TraceKind kind;
    ParticipantId from;
    ParticipantId to;       // empty for steps about one person
    std::string_view outcome;  // static text: "delivered", "target-missing", or a reason ("left", ...)
    std::size_t bytes = 0;
};

class SignalingTrace {
public:
    static constexpr std::size_t kCapacity = 500;

    void add(TraceStep step) { steps_.push(std::move(step)); }
    const BoundedLog<TraceStep>& steps() const { return steps_; }

private:
    BoundedLog<TraceStep> steps_{kCapacity};
};

// The ICE username fragment of an SDP (first a=ice-ufrag line), empty if none. An offer whose
// fragment differs from the one its sender last used towards that peer is an ICE restart.
std::string_view iceUfragOf(std::string_view sdp);

}  // namespace parley::core
