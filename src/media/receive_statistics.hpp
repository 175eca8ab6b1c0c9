#pragma once
// RFC 3550 receive statistics of one published stream, as the server reports them back to the
// publisher in RTCP receiver reports (section 6.4.1, appendix A.3 and A.8): the extended highest
// sequence number, packets expected and lost, the fraction lost since the previous report, the
// interarrival jitter, and LSR/DLSR quoting the publisher's last sender report so the publisher
// can compute its round-trip time. Pure: arrival times and the clock are passed in.
//
// Retransmissions count as received (they do arrive, so loss reported after recovery is lower,
// as libwebrtc does) but not for jitter: their timestamp is the original's and their arrival is
// a round trip late. A forward jump of more than kMaxDropout is a restarted stream, not 3000
// losses: the sequence bookkeeping starts again from it.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "media/rtcp_packet.hpp"
#include "media/serial_number.hpp"

namespace parley::media {

// A read-only summary, for diagnostics.
struct ReceiveStats {
    std::uint64_t packets = 0;  // received, retransmissions and duplicates included
    std::uint64_t bytes = 0;    // whole RTP packets as received (after SRTP)
    std::uint64_t retransmissions = 0;
    std::int64_t lost = 0;               // expected - received; negative when duplicates outnumber losses
    std::uint8_t fractionLost = 0;       // of 256, over the interval of the last report
    std::uint32_t extendedHighestSeq = 0;
    std::uint32_t jitter = 0;            // RTP timestamp units
    double jitterMs = 0;
};

class ReceiveStatistics {
public:
    static constexpr std::int64_t kMaxDropout = 3000;

    explicit ReceiveStatistics(std::uint32_t clockRateHz);

    // A packet of the stream, `arrivalUs` on a microsecond clock; `size` its bytes.
    void onPacket(std::uint16_t seq, std::uint32_t rtpTimestamp, std::int64_t arrivalUs, std::size_t size,
                  bool retransmission = false);
    // The publisher's sender report for this stream arrived (its NTP time, our clock in ms).
    void onSenderReport(std::uint64_t ntpTimestamp, std::int64_t nowMs);

    bool started() const { return started_; }
    // The report block about this stream; it closes the interval fraction lost is counted over.
    RtcpReportBlock report(std::uint32_t ssrc, std::int64_t nowMs);
    ReceiveStats stats() const;

private:
    std::int64_t expected() const { return highest_ - base_ + 1; }

    std::uint32_t clockRateHz_;
    bool started_ = false;
    SerialUnwrapper seqs_{16};
    std::int64_t base_ = 0;     // extended seq of the first packet (since the last restart)
    std::int64_t highest_ = 0;  // extended
    std::int64_t received_ = 0;  // since the last restart
    std::int64_t expectedPrior_ = 0;
    std::int64_t receivedPrior_ = 0;
    std::uint8_t fractionLost_ = 0;
    std::uint64_t packets_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t retransmissions_ = 0;
    // Jitter (A.8): the previous packet's transit time, and the estimate scaled by 16.
    std::optional<std::int64_t> lastTransit_;
    std::int64_t jitterQ4_ = 0;
    std::uint32_t lastSr_ = 0;  // middle 32 bits of the last SR's NTP time
    std::int64_t lastSrAtMs_ = 0;
};

}  // namespace parley::media
