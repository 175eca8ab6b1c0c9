#pragma once
// The probe every relayed message carries inside its ICE candidate string, so both servers pass
// it through untouched: who sent it, its sequence number, and when (steady clock, ns). Sender
// and receiver live in this one process, so one clock measures one-way latency exactly.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

struct RelayStamp {
    std::uint32_t sender = 0;  // connection index in this tool
    std::uint64_t seq = 0;
    std::uint64_t sentNs = 0;
};

// Appends an RTCIceCandidateInit JSON object about the size a browser sends (~190 bytes),
// `padding` extra bytes long.
void appendCandidate(std::string& out, const RelayStamp& stamp, std::size_t padding);

// Finds the stamp in any frame that carries a candidate made by appendCandidate.
std::optional<RelayStamp> findStamp(std::string_view frame);

}  // namespace parley::bench
