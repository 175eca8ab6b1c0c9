#include "core/signaling_trace.hpp"

namespace parley::core {

std::string_view toString(TraceKind kind) {
    switch (kind) {
        case TraceKind::Join: return "join";
        case TraceKind::Wait: return "wait";
        case TraceKind::Admit: return "admit";
        case TraceKind::Leave: return "leave";
        case TraceKind::Offer: return "offer";
        case TraceKind::Answer: return "answer";
        case TraceKind::Candidate: return "candidate";
        case TraceKind::IceRestart: return "ice-restart";
        case TraceKind::Drop: return "drop";
        case TraceKind::Resume: return "resume";
        case TraceKind::NegotiationFailed: return "negotiation-failed";
        case TraceKind::Topology: return "topology";
    }
    return "join";
}

std::string_view iceUfragOf(std::string_view sdp) {
    // The payload is the JSON text of the SDP string, so line breaks appear as "\r\n" escapes;
    // the ufrag runs up to the next backslash or quote either way.
    constexpr std::string_view kKey = "a=ice-ufrag:";
    auto at = sdp.find(kKey);
    if (at == std::string_view::npos) return {};
    auto begin = at + kKey.size();
    auto end = sdp.find_first_of("\\\"\r\n", begin);
    return sdp.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

}  // namespace parley::core
