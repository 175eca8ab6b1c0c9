#pragma once
// Forwards one room's media on its worker: each published stream to every subscriber of it.
// Per subscriber, each stream goes out on an SSRC of its own with sequence numbers and
// timestamps rewritten (SequenceRewriter), so what it receives stays continuous whatever happens
// upstream. Subscribers' NACKs are answered from one buffer per published stream, shared by all
// of them; their keyframe requests (PLI, FIR) go on to the publisher, merged to at most one per
// 500 ms (KeyframeRequestThrottle), and a new video subscription asks for one.
//
// Who publishes which SSRC and who subscribes to what comes from signaling (the SDP of each
// peer connection); the router only carries packets. It runs on one worker thread, like the
// transports it is given.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/media_report.hpp"
#include "media/bitrate_meter.hpp"
#include "media/keyframe_request_throttle.hpp"
#include "media/retransmission_buffer.hpp"
#include "media/sequence_rewriter.hpp"
#include "media/transport_cc_feedback.hpp"
#include "media/webrtc_transport.hpp"

namespace parley::media {

enum class MediaCodec { Opus, Vp8, Other };

struct PublishedStream {
    std::string participant;
    std::uint32_t ssrc = 0;
    MediaCodec codec = MediaCodec::Other;
    std::uint32_t clockRateHz = 90000;
    bool video = true;
    // The publisher's RFC 8285 id of the transport-wide sequence number (0: not negotiated).
    // With it the server sends transport-cc feedback, which the browser's bandwidth estimate
    // needs to climb past its start rate.
    std::uint8_t transportCcExtension = 0;
    std::string source;  // "microphone", "camera", "screen" (for diagnostics)
};

struct Subscription {
    std::string subscriber;
    std::uint32_t sourceSsrc = 0;  // the published stream
    std::uint32_t ssrc = 0;        // what the subscriber receives it as (unique in the room)
    std::uint8_t payloadType = 0;  // the codec's payload type in the subscriber's SDP
};

class RoomRouter {
public:
    struct Counters {
        std::uint64_t rtpIn = 0;
        std::uint64_t forwarded = 0;
        std::uint64_t unknownSsrc = 0;  // a stream nobody announced (or an RTX/probe stream)
        std::uint64_t nacksReceived = 0;
        std::uint64_t retransmitted = 0;
        std::uint64_t retransmitMissed = 0;  // asked for a packet no longer (or never) buffered
        std::uint64_t keyframeRequestsIn = 0;
        std::uint64_t keyframeRequestsOut = 0;
        std::uint64_t transportCcFeedback = 0;  // feedback packets sent to publishers
    };

    // How often publishers get transport-cc feedback (libwebrtc's receivers send it every
    // 50-100 ms; more often costs packets, less makes the estimate react late).
    static constexpr std::int64_t kTransportCcIntervalMs = 100;

    // The SSRC the server's own RTCP (PLI to publishers) is sent from.
    static constexpr std::uint32_t kServerSsrc = 1;

    // The participant's peer connection to the server. Must be detached before it is destroyed.
    void attach(const std::string& participant, WebRtcTransport& transport);
    // Drops their transport, their streams and their subscriptions, and everyone's
    // subscriptions to their streams.
    void detach(const std::string& participant);

    void publish(const PublishedStream& stream);
    void unpublish(std::uint32_t ssrc);
    // A video subscription asks the publisher for a keyframe so the picture starts at once.
    void subscribe(const Subscription& subscription, std::int64_t nowMs);
    void unsubscribe(std::uint32_t ssrc);

    // Plain packets from a participant's transport. `arrivalUs` is the arrival on a microsecond
    // clock (transport-cc reports arrival deltas in 250 µs units); by default nowMs in µs.
    void onRtp(const std::string& from, std::vector<std::uint8_t>& packet, std::int64_t nowMs,
               std::int64_t arrivalUs = -1);
    void onRtcp(const std::string& from, const std::vector<std::uint8_t>& packet, std::int64_t nowMs);

    // Keyframe requests held back by the throttle, and transport-cc feedback every 100 ms.
    std::optional<std::int64_t> nextTimeoutMs() const;
    void handleTimeout(std::int64_t nowMs);

    const Counters& counters() const { return counters_; }
    // Every stream and subscription with its counts, and bit rates since the previous call
    // (the worker calls it every report interval). Transports are the worker's to add.
    core::MediaReport report(std::int64_t nowMs);
    std::size_t streams() const { return streams_.size(); }
    std::size_t subscriptions() const { return subscriptions_.size(); }

private:
    struct Stream {
        PublishedStream info;
        RetransmissionBuffer buffer;
        KeyframeRequestThrottle keyframes;
        std::vector<std::uint32_t> subscribers;  // outgoing SSRCs
        // A request that could not go yet (the publisher's transport was still connecting):
        // sent with its first packet.
        bool keyframeOwed = false;
        // For the media report: what reached the server, and the PLIs sent for it.
        std::uint64_t packets = 0;
        std::uint64_t bytes = 0;
        std::uint64_t keyframeRequestsSent = 0;
        BitrateMeter bitrate;
    };
    struct Outgoing {
        Subscription info;
        SequenceRewriter rewriter;
        // For the media report: what this subscriber was sent and asked for.
        std::uint64_t packets = 0;
        std::uint64_t bytes = 0;
        std::uint64_t nacksReceived = 0;
        std::uint64_t retransmitted = 0;
        std::uint64_t plisReceived = 0;
        std::uint64_t firsReceived = 0;
        BitrateMeter bitrate;
    };

    WebRtcTransport* transportOf(const std::string& participant) const;
    void requestKeyframe(Stream& stream, std::int64_t nowMs);
    void sendPli(Stream& stream);
    void answerNack(const std::string& from, std::uint32_t ssrc, const std::vector<std::uint16_t>& lost,
                    std::int64_t nowMs);
    void keyframeWanted(const std::string& from, std::uint32_t ssrc, bool fir, std::int64_t nowMs);
    // A copy of a buffered or received packet as the subscriber is to get it.
    static std::vector<std::uint8_t> forSubscriber(const std::vector<std::uint8_t>& packet, const Subscription& to,
                                                   std::uint16_t seq, std::uint32_t timestamp);

    std::unordered_map<std::string, WebRtcTransport*> transports_;
    std::unordered_map<std::uint32_t, Stream> streams_;          // by the publisher's SSRC
    std::unordered_map<std::uint32_t, Outgoing> subscriptions_;  // by the outgoing SSRC
    // Per publisher (the transport-wide sequence spans all their streams, and their probes).
    struct Congestion {
        Congestion(std::uint8_t id, TransportCcFeedbackBuilder builder) : extensionId(id), feedback(std::move(builder)) {}
        std::uint8_t extensionId;
        TransportCcFeedbackBuilder feedback;
    };
    std::unordered_map<std::string, Congestion> congestion_;
    std::int64_t nextFeedbackMs_ = 0;
    Counters counters_;
};

}  // namespace parley::media
