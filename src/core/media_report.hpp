#pragma once
// What the forwarding server saw of a room's media, for diagnostics: each participant's
// connection to the server, each published stream as it reaches the server, and each
// subscription (the stream as forwarded to one subscriber). Plain types, so signaling encodes
// it for the admin trace and for a participant's `media-report` without knowing about workers.
//
// Counts are totals since the stream, subscription or connection began; bit rates are over the
// last report interval. lossPercent, jitterMs and rttMs are filled only where the server
// measures them (receiver statistics); absent otherwise, never a guessed zero.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/participant.hpp"

namespace parley::core {

struct MediaTransportReport {
    ParticipantId participant;
    std::string state;          // "connecting", "connected", "closed"
    std::string remoteAddress;  // the address ICE selected ("ip:port"); empty until one is
    std::string protocol = "udp";
    std::uint64_t packetsIn = 0, packetsOut = 0, bytesIn = 0, bytesOut = 0;
    std::optional<double> rttMs;
};

struct MediaSubscriptionReport {
    ParticipantId subscriber;
    std::uint32_t ssrc = 0;  // as the subscriber receives it
    std::uint64_t packets = 0, bytes = 0, bitsPerSecond = 0;
    std::uint64_t nacksReceived = 0;  // NACK messages from this subscriber for this stream
    std::uint64_t retransmitted = 0;  // packets resent to it from the buffer
    std::uint64_t plisReceived = 0, firsReceived = 0;
    std::optional<double> lossPercent, rttMs;
};

struct MediaStreamReport {
    ParticipantId publisher;
    std::string source;  // "microphone", "camera", "screen"
    std::string kind;    // "audio", "video"
    std::uint32_t ssrc = 0;
    std::uint64_t packets = 0, bytes = 0, bitsPerSecond = 0;
    std::uint64_t keyframeRequestsSent = 0;  // PLIs the server sent the publisher for it
    std::uint64_t subscribers = 0;           // how many receive it
    std::optional<double> lossPercent, jitterMs;
    std::vector<MediaSubscriptionReport> subscriptions;
};

struct MediaReport {
    std::int64_t intervalMs = 0;  // how often the numbers are refreshed (the bit rates' window)
    std::vector<MediaTransportReport> participants;
    std::vector<MediaStreamReport> streams;
};

// What `who` may see: their own connection and streams (without who receives them), and every
// other stream in the room with only `who`'s own subscription to it. Others' addresses and
// others' subscriptions stay out.
MediaReport reportFor(const MediaReport& all, const ParticipantId& who);

}  // namespace parley::core
