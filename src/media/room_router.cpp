#include "media/room_router.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "media/rtcp_builder.hpp"
#include "media/rtcp_packet.hpp"
#include "media/rtp_header_extensions.hpp"
#include "media/rtp_packet.hpp"
#include "media/vp8_descriptor.hpp"

namespace parley::media {

void RoomRouter::attach(const std::string& participant, WebRtcTransport& transport) {
    transports_[participant] = &transport;
}

void RoomRouter::detach(const std::string& participant) {
    transports_.erase(participant);
    congestion_.erase(participant);
    std::vector<std::uint32_t> gone;
    for (const auto& [ssrc, stream] : streams_) {
        if (stream.info.participant == participant) gone.push_back(ssrc);
    }
    for (std::uint32_t ssrc : gone) unpublish(ssrc);
    gone.clear();
    for (const auto& [ssrc, outgoing] : subscriptions_) {
        if (outgoing.info.subscriber == participant) gone.push_back(ssrc);
    }
    for (std::uint32_t ssrc : gone) unsubscribe(ssrc);
}

void RoomRouter::publish(const PublishedStream& stream) {
    RetransmissionBufferConfig buffer;
    // Opus is rarely NACKed (browsers negotiate it without nack) and late audio is useless:
    // a short window keeps the memory to what video needs.
    if (!stream.video) buffer.maxAgeMs = 500;
    Stream fresh{stream, RetransmissionBuffer(buffer), KeyframeRequestThrottle(), {}};
    streams_.insert_or_assign(stream.ssrc, std::move(fresh));
    if (stream.transportCcExtension != 0) {
        auto [tcc, fresh] = congestion_.try_emplace(stream.participant, stream.transportCcExtension,
                                                    TransportCcFeedbackBuilder(kServerSsrc, stream.ssrc));
        if (!fresh) tcc->second.extensionId = stream.transportCcExtension;
    }
}

void RoomRouter::unpublish(std::uint32_t ssrc) {
    auto it = streams_.find(ssrc);
    if (it == streams_.end()) return;
    for (std::uint32_t outgoing : it->second.subscribers) subscriptions_.erase(outgoing);
    streams_.erase(it);
}

void RoomRouter::subscribe(const Subscription& subscription, std::int64_t nowMs) {
    auto stream = streams_.find(subscription.sourceSsrc);
    if (stream == streams_.end()) return;
    SequenceRewriterConfig config;
    config.clockRateHz = stream->second.info.clockRateHz;
    Outgoing fresh{subscription, SequenceRewriter(config)};
    subscriptions_.insert_or_assign(subscription.ssrc, std::move(fresh));
    auto& subscribers = stream->second.subscribers;
    if (std::find(subscribers.begin(), subscribers.end(), subscription.ssrc) == subscribers.end()) {
        subscribers.push_back(subscription.ssrc);
    }
    if (stream->second.info.video) requestKeyframe(stream->second, nowMs);
}

void RoomRouter::unsubscribe(std::uint32_t ssrc) {
    auto it = subscriptions_.find(ssrc);
    if (it == subscriptions_.end()) return;
    if (auto stream = streams_.find(it->second.info.sourceSsrc); stream != streams_.end()) {
        std::erase(stream->second.subscribers, ssrc);
    }
    subscriptions_.erase(it);
}

WebRtcTransport* RoomRouter::transportOf(const std::string& participant) const {
    auto it = transports_.find(participant);
    return it == transports_.end() ? nullptr : it->second;
}

std::vector<std::uint8_t> RoomRouter::forSubscriber(const std::vector<std::uint8_t>& packet, const Subscription& to,
                                                    std::uint16_t seq, std::uint32_t timestamp) {
    // Header extensions are left out: their ids are the publisher's, which need not be the
    // subscriber's (Chromium and Firefox number them differently), and a subscriber reads what
    // it needs (which m-section) from the SSRC its SDP announced.
    std::vector<std::uint8_t> bytes(packet);
    auto view = RtpPacket::parse(bytes);
    if (!view) return {};
    if (view->extensionForm() != RtpExtensionForm::None) {
        const std::size_t fixed = 12 + 4 * view->csrcCount();
        std::vector<std::uint8_t> stripped(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(fixed));
        stripped[0] &= static_cast<std::uint8_t>(~0x10);  // no extension block
        stripped.insert(stripped.end(), bytes.begin() + static_cast<std::ptrdiff_t>(view->headerSize()), bytes.end());
        bytes = std::move(stripped);
        view = RtpPacket::parse(bytes);
        if (!view) return {};
    }
    view->setSequenceNumber(seq);
    view->setTimestamp(timestamp);
    view->setSsrc(to.ssrc);
    view->setPayloadType(to.payloadType);
    return bytes;
}

void RoomRouter::onRtp(const std::string& from, std::vector<std::uint8_t>& packet, std::int64_t nowMs,
                       std::int64_t arrivalUs) {
    auto view = RtpPacket::parse(packet);
    if (!view) return;
    ++counters_.rtpIn;
    // Every packet of the publisher counts for congestion control, those of streams nobody
    // forwards too: the browser's bandwidth probes are padding on its RTX stream, and reported
    // missing they would read as loss and pull its estimate down.
    if (auto tcc = congestion_.find(from); tcc != congestion_.end()) {
        if (auto value = view->extension(tcc->second.extensionId)) {
            if (auto transportSeq = parseTransportSequenceNumber(*value)) {
                tcc->second.feedback.onPacketReceived(*transportSeq, arrivalUs >= 0 ? arrivalUs : nowMs * 1000);
            }
        }
    }
    auto it = streams_.find(view->ssrc());
    if (it == streams_.end() || it->second.info.participant != from) {
        ++counters_.unknownSsrc;
        return;
    }
    Stream& stream = it->second;
    stream.bitrate.start(stream.bytes, nowMs);
    ++stream.packets;
    stream.bytes += packet.size();
    if (stream.keyframeOwed) sendPli(stream);
    const std::uint16_t seq = view->sequenceNumber();
    const std::uint32_t timestamp = view->timestamp();
    if (stream.info.codec == MediaCodec::Vp8) {
        if (auto vp8 = parseVp8Descriptor(view->payload()); vp8 && vp8->keyframe) stream.keyframes.onKeyframe();
    }
    auto shared = std::make_shared<const std::vector<std::uint8_t>>(packet);
    stream.buffer.insert(seq, shared, nowMs);
    for (std::uint32_t ssrc : stream.subscribers) {
        auto outgoing = subscriptions_.find(ssrc);
        if (outgoing == subscriptions_.end()) continue;
        WebRtcTransport* transport = transportOf(outgoing->second.info.subscriber);
        if (!transport) continue;
        const auto header = outgoing->second.rewriter.rewrite(stream.info.ssrc, seq, timestamp, nowMs);
        if (!header) continue;
        auto copy = forSubscriber(*shared, outgoing->second.info, header->seq, header->timestamp);
        const std::size_t size = copy.size();
        if (!copy.empty() && transport->sendRtp(copy)) {
            ++counters_.forwarded;
            Outgoing& out = outgoing->second;
            out.bitrate.start(out.bytes, nowMs);
            ++out.packets;
            out.bytes += size;
        }
    }
}

void RoomRouter::onRtcp(const std::string& from, const std::vector<std::uint8_t>& packet, std::int64_t nowMs) {
    const auto compound = parseRtcpCompound(packet);
    if (!compound) return;
    for (const RtcpItem& item : compound->items) {
        std::visit(
            [&](const auto& rtcp) {
                using T = std::decay_t<decltype(rtcp)>;
                if constexpr (std::is_same_v<T, RtcpNack>) {
                    ++counters_.nacksReceived;
                    answerNack(from, rtcp.mediaSsrc, rtcp.lostSequenceNumbers, nowMs);
                } else if constexpr (std::is_same_v<T, RtcpPli>) {
                    keyframeWanted(from, rtcp.mediaSsrc, false, nowMs);
                } else if constexpr (std::is_same_v<T, RtcpFir>) {
                    for (const RtcpFirEntry& entry : rtcp.entries) keyframeWanted(from, entry.ssrc, true, nowMs);
                }
                // Reports, REMB and transport-cc from subscribers feed adaptation (issue #18);
                // a publisher's sender reports, lip sync for subscribers (next step).
            },
            item);
    }
}

void RoomRouter::answerNack(const std::string& from, std::uint32_t ssrc, const std::vector<std::uint16_t>& lost,
                            std::int64_t nowMs) {
    auto outgoing = subscriptions_.find(ssrc);
    if (outgoing == subscriptions_.end() || outgoing->second.info.subscriber != from) return;
    auto stream = streams_.find(outgoing->second.info.sourceSsrc);
    WebRtcTransport* transport = transportOf(from);
    if (stream == streams_.end() || !transport) return;
    ++outgoing->second.nacksReceived;
    for (std::uint16_t seq : lost) {
        const auto carried = outgoing->second.rewriter.incomingFor(seq);
        SharedPacket packet = carried && carried->sourceSsrc == stream->second.info.ssrc
                                  ? stream->second.buffer.get(carried->sourceSeq, nowMs)
                                  : nullptr;
        if (!packet) {
            ++counters_.retransmitMissed;
            continue;
        }
        // The same bytes under the same outgoing seq as the first time, so SRTP may protect them
        // again (a different payload under a seq already sent would reuse its keystream).
        auto copy = forSubscriber(*packet, outgoing->second.info, seq, carried->timestamp);
        if (!copy.empty() && transport->sendRtp(copy)) {
            ++counters_.retransmitted;
            ++outgoing->second.retransmitted;
        }
    }
}

void RoomRouter::keyframeWanted(const std::string& from, std::uint32_t ssrc, bool fir, std::int64_t nowMs) {
    auto outgoing = subscriptions_.find(ssrc);
    if (outgoing == subscriptions_.end() || outgoing->second.info.subscriber != from) return;
    ++counters_.keyframeRequestsIn;
    ++(fir ? outgoing->second.firsReceived : outgoing->second.plisReceived);
    if (auto stream = streams_.find(outgoing->second.info.sourceSsrc); stream != streams_.end()) {
        requestKeyframe(stream->second, nowMs);
    }
}

void RoomRouter::requestKeyframe(Stream& stream, std::int64_t nowMs) {
    if (stream.keyframes.request(nowMs)) sendPli(stream);
}

void RoomRouter::sendPli(Stream& stream) {
    WebRtcTransport* publisher = transportOf(stream.info.participant);
    auto pli = buildPli(kServerSsrc, stream.info.ssrc);
    stream.keyframeOwed = !publisher || !publisher->sendRtcp(pli);
    if (!stream.keyframeOwed) {
        ++counters_.keyframeRequestsOut;
        ++stream.keyframeRequestsSent;
    }
}

std::optional<std::int64_t> RoomRouter::nextTimeoutMs() const {
    std::optional<std::int64_t> next;
    if (!congestion_.empty()) next = nextFeedbackMs_;
    for (const auto& [ssrc, stream] : streams_) {
        if (auto due = stream.keyframes.nextDueMs(); due && (!next || *due < *next)) next = due;
    }
    return next;
}

void RoomRouter::handleTimeout(std::int64_t nowMs) {
    if (!congestion_.empty() && nowMs >= nextFeedbackMs_) {
        nextFeedbackMs_ = nowMs + kTransportCcIntervalMs;
        for (auto& [participant, tcc] : congestion_) {
            WebRtcTransport* publisher = transportOf(participant);
            for (auto& feedback : tcc.feedback.buildFeedback(nowMs * 1000)) {
                if (publisher && publisher->sendRtcp(feedback)) ++counters_.transportCcFeedback;
            }
        }
    }
    for (auto& [ssrc, stream] : streams_) {
        if (stream.keyframes.poll(nowMs)) sendPli(stream);
    }
}

}  // namespace parley::media

namespace parley::media {

core::MediaReport RoomRouter::report(std::int64_t nowMs) {
    core::MediaReport out;
    out.streams.reserve(streams_.size());
    for (auto& [ssrc, stream] : streams_) {
        core::MediaStreamReport s;
        s.publisher = stream.info.participant;
        s.source = stream.info.source;
        s.kind = stream.info.video ? "video" : "audio";
        s.ssrc = ssrc;
        s.packets = stream.packets;
        s.bytes = stream.bytes;
        s.bitsPerSecond = stream.bitrate.sample(stream.bytes, nowMs);
        s.keyframeRequestsSent = stream.keyframeRequestsSent;
        s.subscribers = stream.subscribers.size();
        for (std::uint32_t outgoingSsrc : stream.subscribers) {
            auto it = subscriptions_.find(outgoingSsrc);
            if (it == subscriptions_.end()) continue;
            Outgoing& o = it->second;
            core::MediaSubscriptionReport sub;
            sub.subscriber = o.info.subscriber;
            sub.ssrc = outgoingSsrc;
            sub.packets = o.packets;
            sub.bytes = o.bytes;
            sub.bitsPerSecond = o.bitrate.sample(o.bytes, nowMs);
            sub.nacksReceived = o.nacksReceived;
            sub.retransmitted = o.retransmitted;
            sub.plisReceived = o.plisReceived;
            sub.firsReceived = o.firsReceived;
            s.subscriptions.push_back(std::move(sub));
        }
        out.streams.push_back(std::move(s));
    }
    // A stable order (publisher, then audio before video, then SSRC) so reports read alike.
    std::sort(out.streams.begin(), out.streams.end(), [](const auto& a, const auto& b) {
        if (a.publisher != b.publisher) return a.publisher < b.publisher;
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.ssrc < b.ssrc;
    });
    return out;
}

}  // namespace parley::media
