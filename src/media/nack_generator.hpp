#pragma once
// Which packets of a published stream the SFU asks the publisher to send again (RFC 4585
// generic NACK), from the seqs it receives.
//
// A gap in the seqs marks the missing ones; poll() lists those due: at once when first seen,
// then again every retry interval (the round-trip time, 100 ms until one is known) up to
// maxRetries times, after which the packet is given up and a keyframe is the way to recover
// (poll() says so). A packet that arrives late or as a retransmission clears its entry; the
// first packet of a keyframe clears everything older (the decoder no longer needs it). A jump
// of more than maxGap is a restart or an outage, not loss worth thousands of NACKs: it resets
// and asks for a keyframe. At most maxMissing seqs are tracked, so memory is bounded.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace parley::media {

struct NackGeneratorConfig {
    std::int64_t defaultRttMs = 100;
    std::int64_t minRetryIntervalMs = 20;  // a LAN's 1 ms RTT must not mean a NACK every ms
    int maxRetries = 10;
    std::int64_t maxGap = 1000;
    std::size_t maxMissing = 1000;
};

struct NackBatch {
    std::vector<std::uint16_t> seqs;  // oldest first
    bool requestKeyframe = false;     // losses were given up (or the stream reset) since the last poll
};

class NackGenerator {
public:
    explicit NackGenerator(NackGeneratorConfig config = {});

    // Records a received packet (first transmission or retransmission). True when it fills a
    // gap that was being NACKed.
    bool onPacket(std::uint16_t seq, std::int64_t nowMs, bool keyframeStart = false);

    // What to NACK now; the listed seqs count as requested at nowMs.
    NackBatch poll(std::int64_t nowMs);

    // When poll() next has something to say; nullopt when nothing is missing.
    std::optional<std::int64_t> nextPollMs() const;

    void setRttMs(std::int64_t rttMs) { rttMs_ = rttMs; }
    std::size_t missingCount() const { return missing_.size(); }

private:
    struct Missing {
        std::int64_t detectedMs = 0;
        std::optional<std::int64_t> lastRequestMs;
        int requests = 0;
    };

    std::int64_t retryIntervalMs() const;
    void giveUp(std::map<std::int64_t, Missing>::iterator first, std::map<std::int64_t, Missing>::iterator last,
                std::int64_t nowMs);

    NackGeneratorConfig config_;
    std::optional<std::int64_t> rttMs_;
    bool started_ = false;
    std::int64_t newest_ = 0;  // extended seq
    std::map<std::int64_t, Missing> missing_;  // by extended seq
    std::optional<std::int64_t> keyframeWantedSinceMs_;
};

}  // namespace parley::media
