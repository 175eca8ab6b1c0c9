#pragma once
// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01,
// RTPFB FMT 15): what a browser's send-side bandwidth estimator needs back from the server to
// raise its sending rate when it publishes.
//
// The receiver records each packet's transport-wide sequence number and arrival time; every
// 50-100 ms it reports, per sequence number since the last report, "lost" or "arrived Δ after the
// previous arrival" (250 µs units), relative to a 24-bit reference time in 64 ms units.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace parley::media {

struct TransportCcPacketResult {
    std::uint16_t sequenceNumber = 0;
    bool received = false;
    // referenceTime × 64 ms plus the deltas up to this packet; meaningful only when received,
    // and only relative to other arrivals (the time base is the feedback sender's).
    std::int64_t arrivalUs = 0;
};

struct TransportCcFeedback {
    std::uint32_t senderSsrc = 0;
    std::uint32_t mediaSsrc = 0;
    std::uint16_t baseSequenceNumber = 0;
    std::uint32_t referenceTime = 0;  // 24 bits, 64 ms units
    std::uint8_t feedbackPacketCount = 0;
    std::vector<TransportCcPacketResult> packets;  // one per status, in sequence order
};

// One whole RTCP packet (RtcpTransportCc::packet). nullopt when it is not RTPFB FMT 15, its
// length field does not match, it reports no packets, a chunk uses the reserved status, the
// deltas run past the end, or more than 3 bytes of padding follow them.
std::optional<TransportCcFeedback> parseTransportCcFeedback(std::span<const std::uint8_t> rtcpPacket);

class TransportCcFeedbackBuilder {
public:
    // maxPacketSize bounds each feedback packet (the RTCP packet, before SRTCP's overhead);
    // values under 64 are raised to 64.
    TransportCcFeedbackBuilder(std::uint32_t senderSsrc, std::uint32_t mediaSsrc, std::size_t maxPacketSize = 1200);

    // A packet with this transport-wide sequence number arrived. Sequence numbers are unwrapped
    // (a step of less than half the space is forward or back); the first arrival of a duplicate
    // counts. A packet older than what was already reported makes the next feedback start again
    // from it (the sender takes a later report over an earlier one), as long as the history still
    // holds its neighbours; older still, it is dropped.
    void onPacketReceived(std::uint16_t transportSequenceNumber, std::int64_t arrivalUs);

    // Feedback for everything recorded since the last call: usually one RTCP packet, several
    // when a delta does not fit 16 bits or the size bound is reached, none when nothing arrived.
    // nowUs only ages the history kept for late packets.
    std::vector<std::vector<std::uint8_t>> buildFeedback(std::int64_t nowUs);

private:
    std::vector<std::uint8_t> encodePacket(std::int64_t baseSeq, std::int64_t referenceTime,
                                           const std::vector<std::uint8_t>& symbols,
                                           const std::vector<std::int32_t>& deltas);
    void prune(std::int64_t nowUs);

    std::uint32_t senderSsrc_;
    std::uint32_t mediaSsrc_;
    std::size_t maxPacketSize_;
    std::map<std::int64_t, std::int64_t> arrivals_;  // unwrapped sequence number → arrival µs
    std::optional<std::int64_t> highestSeq_;
    std::optional<std::int64_t> nextToReport_;
    std::int64_t historyStart_ = INT64_MIN;  // every arrival at or after this seq is still held
    std::uint8_t feedbackPacketCount_ = 0;
};

}  // namespace parley::media
