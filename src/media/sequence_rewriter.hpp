#pragma once
// The RTP sequence number and timestamp one subscriber sees on one outgoing stream.
//
// A subscriber gets one stable SSRC per track, but what the SFU forwards on it changes: another
// publisher's stream, another simulcast layer, nothing while paused. The receiver's jitter buffer
// and NACK logic need one continuous sequence and a timestamp that keeps pace with wall time, so
// each outgoing stream maps (source SSRC, incoming seq, incoming timestamp) onto its own space:
//
// - Within one source, out = in + offset, so real upstream losses stay visible as gaps (the
//   subscriber NACKs them) and reordered or retransmitted packets map to the same outgoing seq.
// - At a resync (the first packet, a different source, the first packet after pause(), or a jump
//   of more than maxJump within a source) the new packet takes the next outgoing seq after the
//   highest one sent, and its timestamp is the last one sent plus the wall time elapsed since,
//   in the stream's clock rate.
// - A packet from before the resync is dropped: from the current source, one older than the
//   resync packet; from the previous source, one not newer than the newest seen from it.
//   A newer packet from the previous source is taken as a switch back to it, so the caller
//   passes only packets of the source it has chosen to forward.
//
// skip() keeps the sequence continuous when the caller leaves out single packets of the current
// source on purpose (a temporal layer the subscriber does not get, padding): later packets close
// up over them, while reordered earlier ones still land where they belong.
//
// incomingFor() answers a subscriber's NACK: which source packet an outgoing seq carried (and
// the timestamp it was sent with), for the last historySize outgoing seqs.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "media/serial_number.hpp"

namespace parley::media {

struct SequenceRewriterConfig {
    std::uint32_t clockRateHz = 90000;  // 90000 for video, 48000 for Opus
    // The outgoing seq and timestamp of the first packet; by default the packet's own.
    std::optional<std::uint16_t> firstSeq;
    std::optional<std::uint32_t> firstTimestamp;
    // How many recent outgoing seqs incomingFor() can answer (rounded up to a power of two,
    // at most 32768).
    std::size_t historySize = 1024;
    // A seq this far from the newest of the same source is a restart of that source, not loss
    // or reordering: it resyncs instead of leaving a gap of thousands.
    std::int64_t maxJump = 1000;
};

struct RewrittenHeader {
    std::uint16_t seq = 0;
    std::uint32_t timestamp = 0;
    bool resynced = false;  // this packet re-established the mapping (first, switch, resume)
};

// What an outgoing seq carried.
struct ForwardedPacket {
    std::uint32_t sourceSsrc = 0;
    std::uint16_t sourceSeq = 0;
    std::uint32_t timestamp = 0;  // the outgoing timestamp it was sent with
};

class SequenceRewriter {
public:
    explicit SequenceRewriter(SequenceRewriterConfig config = {});

    // The outgoing seq and timestamp for a packet the caller forwards, or nullopt when it must
    // be dropped (late from before a resync).
    std::optional<RewrittenHeader> rewrite(std::uint32_t sourceSsrc, std::uint16_t seq,
                                           std::uint32_t timestamp, std::int64_t nowMs);

    // Forwarding stops for a while (the subscriber paused the track, or the source went away):
    // the next packet resyncs even if it comes from the same source, so the incoming packets
    // not forwarded meanwhile leave no gap.
    void pause();

    // The packet `seq` of the current source is newer than any seen and will not be forwarded:
    // later packets take the outgoing seqs it would have freed. False (and nothing changes) for
    // any other source, while paused, or for a seq not newer than the newest seen (packets may
    // already have been sent after it). A skipped seq arriving again is dropped by rewrite().
    bool skip(std::uint32_t sourceSsrc, std::uint16_t seq);

    std::optional<ForwardedPacket> incomingFor(std::uint16_t outgoingSeq) const;

    // An incoming timestamp of the current source in outgoing terms (for an RTCP sender report's
    // RTP timestamp); nullopt for any other source.
    std::optional<std::uint32_t> outgoingTimestamp(std::uint32_t sourceSsrc,
                                                   std::uint32_t incomingTimestamp) const;

private:
    struct HistoryEntry {
        std::int64_t outgoing = -1;  // extended outgoing seq; -1: empty
        ForwardedPacket packet;
    };

    bool isLate(std::uint32_t sourceSsrc, std::uint16_t seq) const;
    void resync(std::uint32_t sourceSsrc, std::uint16_t seq, std::uint32_t timestamp, std::int64_t nowMs);

    SequenceRewriterConfig config_;
    bool started_ = false;
    bool paused_ = false;
    std::uint32_t source_ = 0;
    SerialUnwrapper incoming_{16};
    std::int64_t epochStart_ = 0;  // extended incoming seq of the resync packet
    // extended outgoing = extended incoming + seqOffset_ - (skipped seqs below it)
    std::int64_t seqOffset_ = 0;
    std::deque<std::int64_t> skipped_;  // extended incoming seqs, ascending, at most historySize
    // The oldest skips are folded into seqOffset_ to bound memory; packets from before them can
    // no longer be placed and are dropped.
    std::int64_t foldedBelow_ = 0;
    std::uint32_t timestampOffset_ = 0;

    std::int64_t highestOutgoing_ = 0;  // extended, kept at or above 2^16 so it never goes negative
    std::uint32_t highestTimestamp_ = 0;
    std::int64_t highestArrivalMs_ = 0;

    std::optional<std::uint32_t> previousSource_;
    std::uint16_t previousNewestSeq_ = 0;

    std::vector<HistoryEntry> history_;
};

}  // namespace parley::media
