#pragma once
// Forwards one room's media on its worker: each published stream to every subscriber of it.
// Per subscriber, each stream goes out on an SSRC of its own with sequence numbers and
// timestamps rewritten (SequenceRewriter), so what it receives stays continuous whatever happens
// upstream. Subscribers' NACKs are answered from one buffer per published stream, shared by all
// of them; their keyframe requests (PLI, FIR) go on to the publisher, merged to at most one per
// 500 ms (KeyframeRequestThrottle), and a new video subscription asks for one.
//
// Timing: a publisher's sender report is passed on to each subscriber of the stream as an SR of
// the outgoing SSRC (the same NTP time, the RTP timestamp moved onto the subscriber's rewritten
// timeline, that outgoing stream's own counts), which is what lets the browser line audio up
// with video. Publishers get a receiver report about once a second (RFC 3550 statistics per
// stream, ReceiveStatistics), and subscribers' reports about the server's SRs give the round-trip
// time of each subscription.
//
// Repair: losses between a publisher and the server are NACKed to the publisher (NackGenerator
// per video stream, polled from the worker's tick); its retransmissions, on its RTX stream or
// as plain packets, are stored and forwarded like late packets. Subscribers' NACKs are answered
// as RTX (RFC 4588) where they negotiated it.
//
// A subscription can be paused (the subscriber shows that video nowhere): nothing of it is sent
// until it is resumed, when the publisher is asked for a keyframe and forwarding starts again
// from one, on a sequence that continues where it stopped. The audio levels publishers put in
// their packets (RFC 6464) pick the room's active speaker (ActiveSpeakerDetector).
//
// Who publishes which SSRC and who subscribes to what comes from signaling (the SDP of each
// peer connection); the router only carries packets. It runs on one worker thread, like the
// transports it is given.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "media/active_speaker.hpp"
#include "core/media_report.hpp"
#include "media/bitrate_meter.hpp"
#include "media/keyframe_request_throttle.hpp"
#include "media/nack_generator.hpp"
#include "media/receive_statistics.hpp"
#include "media/retransmission_buffer.hpp"
#include "media/rtcp_packet.hpp"
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
    // The codec's payload type in the publisher's SDP (what a packet restored from RTX gets).
    std::uint8_t payloadType = 0;
    // The publisher's RTX stream (RFC 4588; a=ssrc-group:FID and the rtx payload type whose
    // apt= is the codec's); 0: none. Its retransmissions are unwrapped into the original packets.
    std::uint32_t rtxSsrc = 0;
    std::uint8_t rtxPayloadType = 0;
    // The publisher's RFC 8285 id of ssrc-audio-level (RFC 6464) on an audio stream (0: not
    // negotiated): its levels feed the room's active speaker.
    std::uint8_t audioLevelExtension = 0;
    std::string source;  // "microphone", "camera", "screen" (for diagnostics)
};

// What a subscriber's receiver reports and the server's own clock say about one subscription.
struct SubscriptionStats {
    std::uint64_t packetsSent = 0;  // RTP forwarded on the outgoing SSRC (retransmissions not counted)
    std::uint64_t bytesSent = 0;    // their payload bytes, as the SR's octet count
    std::uint64_t retransmitted = 0;
    std::optional<std::int64_t> rttMs;  // from the subscriber's last report quoting one of our SRs
    // From the subscriber's last receiver report about this SSRC.
    std::uint8_t fractionLost = 0;  // of 256
    std::int32_t cumulativeLost = 0;
    std::uint32_t jitter = 0;  // RTP timestamp units
    bool reported = false;     // a receiver report about this SSRC has come
};

struct Subscription {
    std::string subscriber;
    std::uint32_t sourceSsrc = 0;  // the published stream
    std::uint32_t ssrc = 0;        // what the subscriber receives it as (unique in the room)
    std::uint8_t payloadType = 0;  // the codec's payload type in the subscriber's SDP
    // Where the subscriber negotiated RTX: the RTX stream's SSRC (the FID group of the server's
    // offer) and payload type. 0: none, and a NACK is answered with the plain packet again.
    std::uint32_t rtxSsrc = 0;
    std::uint8_t rtxPayloadType = 0;
    bool paused = false;           // starts paused (see RoomRouter::setPaused)
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
        std::uint64_t senderReportsIn = 0;       // publishers' SRs about a known stream
        std::uint64_t senderReportsOut = 0;      // SRs sent on to subscribers
        std::uint64_t receiverReportsOut = 0;    // RRs sent to publishers
        std::uint64_t nacksSent = 0;             // NACK packets sent to publishers for their losses
        std::uint64_t rtxReceived = 0;           // publishers' retransmissions unwrapped
        std::uint64_t probesDropped = 0;         // padding-only packets on a publisher's RTX stream
        std::uint64_t held = 0;                  // packets of held streams, forwarded to nobody
        std::uint64_t pausedDropped = 0;        // packets not sent to a paused subscription
    };

    // How often publishers get transport-cc feedback (libwebrtc's receivers send it every
    // 50-100 ms; more often costs packets, less makes the estimate react late).
    static constexpr std::int64_t kTransportCcIntervalMs = 100;
    // How often publishers get a receiver report (RFC 3550 leaves it to the bandwidth; browsers
    // report about once a second, and their remote-inbound-rtp stats update with each).
    static constexpr std::int64_t kReceiverReportIntervalMs = 1000;

    // The SSRC the server's own RTCP (PLI to publishers) is sent from.
    static constexpr std::uint32_t kServerSsrc = 1;

    // The participant's peer connection to the server. Must be detached before it is destroyed.
    void attach(const std::string& participant, WebRtcTransport& transport);
    // Drops their transport, their streams and their subscriptions, and everyone's
    // subscriptions to their streams.
    void detach(const std::string& participant);

    void publish(const PublishedStream& stream);
    void unpublish(std::uint32_t ssrc);
    // A video subscription asks the publisher for a keyframe so the picture starts at once
    // (once its subscriber is connected: see subscriberConnected).
    void subscribe(const Subscription& subscription, std::int64_t nowMs);
    // The participant's transport has just connected (DTLS done): each video subscription of
    // theirs that has sent nothing yet asks its publisher for a keyframe.
    void subscriberConnected(const std::string& participant, std::int64_t nowMs);
    void unsubscribe(std::uint32_t ssrc);
    // Holds a published stream back from every subscriber (its publisher's microphone is off, by
    // them or by a host's mute: a client that ignores the mute is still not heard), or lets it
    // through again. Held packets are neither forwarded nor buffered; when the stream is let go,
    // each subscriber's numbering resyncs, so the pause leaves no gap to NACK. Publishing the
    // same SSRC again starts it let go.
    void setHeld(std::uint32_t sourceSsrc, bool held);
    bool held(std::uint32_t sourceSsrc) const;

    // Stops or restarts sending one subscription (by its outgoing SSRC), nothing else: the
    // publisher keeps sending, other subscribers keep receiving. Resuming a video subscription
    // asks the publisher for a keyframe (throttled like any request) and, for VP8, forwards
    // nothing until one comes, so the picture restarts clean; the outgoing sequence numbers and
    // timestamps continue without a gap. No-op for an unknown SSRC or an unchanged state.
    void setPaused(std::uint32_t ssrc, bool paused, std::int64_t nowMs);
    bool paused(std::uint32_t ssrc) const;

    // Called (on the router's thread, from onRtp) with the participant who became the room's
    // active speaker.
    void onActiveSpeaker(std::function<void(const std::string&)> sink) { activeSpeakerSink_ = std::move(sink); }
    const std::optional<std::string>& activeSpeaker() const { return speaker_.dominant(); }

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
    // Read-only statistics for diagnostics: a published stream by the publisher's SSRC, a
    // subscription by its outgoing SSRC; nullopt for one the router does not know.
    std::optional<ReceiveStats> publishedStats(std::uint32_t ssrc) const;
    std::optional<SubscriptionStats> subscriptionStats(std::uint32_t outgoingSsrc) const;

private:
    struct Stream {
        PublishedStream info;
        RetransmissionBuffer buffer;
        KeyframeRequestThrottle keyframes;
        ReceiveStatistics received;
        std::optional<NackGenerator> nacks;  // video only: late audio is not worth a round trip
        std::vector<std::uint32_t> subscribers;  // outgoing SSRCs
        // A request that could not go yet (the publisher's transport was still connecting):
        // sent with its first packet.
        bool keyframeOwed = false;
        bool held = false;  // setHeld()
        // For the media report: what reached the server, and the PLIs sent for it.
        std::uint64_t packets = 0;
        std::uint64_t bytes = 0;
        std::uint64_t keyframeRequestsSent = 0;
        BitrateMeter bitrate;
    };
    struct Outgoing {
        Subscription info;
        SequenceRewriter rewriter;
        SubscriptionStats stats;
        // The SRs sent lately (their compact NTP time and when), to find the one a receiver
        // report quotes: RTT = now - sent - DLSR, all on the server's clock, whatever the NTP
        // clock of the publisher whose time the SR carried.
        std::deque<std::pair<std::uint32_t, std::int64_t>> reportsSent;
        std::uint16_t rtxSeq = 0;  // the next sequence number of the subscriber's RTX stream
        // Resumed, forwarding waits for the first packet of a keyframe (VP8 only: it is the
        // codec whose keyframes the router can see).
        bool awaitingKeyframe = false;
        // For the media report, beside `stats`: whole packets sent (bit rate) and what this
        // subscriber asked for.
        std::uint64_t bytes = 0;
        std::uint64_t nacksReceived = 0;
        std::uint64_t plisReceived = 0;
        std::uint64_t firsReceived = 0;
        BitrateMeter bitrate;
    };

    WebRtcTransport* transportOf(const std::string& participant) const;
    // A packet of the stream, first sent or retransmitted: statistics, loss detection, the
    // buffer, and on to the subscribers.
    void receive(Stream& stream, std::vector<std::uint8_t>& packet, std::int64_t nowMs, std::int64_t arrivalUs,
                 bool retransmission);
    void sendNacks(Stream& stream, std::int64_t nowMs);
    void requestKeyframe(Stream& stream, std::int64_t nowMs);
    void sendPli(Stream& stream);
    void answerNack(const std::string& from, std::uint32_t ssrc, const std::vector<std::uint16_t>& lost,
                    std::int64_t nowMs);
    void keyframeWanted(const std::string& from, std::uint32_t ssrc, bool fir, std::int64_t nowMs);
    void senderReport(const std::string& from, const RtcpSenderReport& sr, std::int64_t nowMs);
    void reportBlocks(const std::string& from, const std::vector<RtcpReportBlock>& blocks, std::int64_t nowMs);
    void sendReceiverReports(std::int64_t nowMs);
    // A copy of a buffered or received packet as the subscriber is to get it.
    static std::vector<std::uint8_t> forSubscriber(const std::vector<std::uint8_t>& packet, const Subscription& to,
                                                   std::uint16_t seq, std::uint32_t timestamp);

    std::unordered_map<std::string, WebRtcTransport*> transports_;
    std::unordered_map<std::uint32_t, Stream> streams_;          // by the publisher's SSRC
    std::unordered_map<std::uint32_t, Outgoing> subscriptions_;  // by the outgoing SSRC
    std::unordered_map<std::uint32_t, std::uint32_t> rtxStreams_;  // a publisher's RTX SSRC -> its stream
    // Per publisher (the transport-wide sequence spans all their streams, and their probes).
    struct Congestion {
        Congestion(std::uint8_t id, TransportCcFeedbackBuilder builder) : extensionId(id), feedback(std::move(builder)) {}
        std::uint8_t extensionId;
        TransportCcFeedbackBuilder feedback;
    };
    std::unordered_map<std::string, Congestion> congestion_;
    std::int64_t nextFeedbackMs_ = 0;
    std::optional<std::int64_t> nextReportMs_;
    ActiveSpeakerDetector speaker_;
    std::function<void(const std::string&)> activeSpeakerSink_;
    Counters counters_;
};

}  // namespace parley::media
