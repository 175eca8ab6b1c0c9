#include "media/room_router.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "media/rtcp_builder.hpp"
#include "media/rtcp_packet.hpp"
#include "media/rtp_header_extensions.hpp"
#include "media/rtp_packet.hpp"
#include "media/rtx.hpp"
#include "media/vp8_descriptor.hpp"

namespace parley::media {

void RoomRouter::attach(const std::string& participant, WebRtcTransport& transport) {
    transports_[participant] = &transport;
}

void RoomRouter::detach(const std::string& participant) {
    transports_.erase(participant);
    speaker_.remove(participant);
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
    Stream& added = streams_.insert_or_assign(stream.ssrc, Stream{stream, RetransmissionBuffer(buffer), KeyframeRequestThrottle(),
                                                                  ReceiveStatistics(stream.clockRateHz), {}, {}})
                        .first->second;
    if (stream.video) added.nacks.emplace();
    if (stream.rtxSsrc != 0) rtxStreams_[stream.rtxSsrc] = stream.ssrc;
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
    std::erase_if(rtxStreams_, [&](const auto& entry) { return entry.second == ssrc; });
    streams_.erase(it);
}

void RoomRouter::subscribe(const Subscription& subscription, std::int64_t nowMs) {
    auto stream = streams_.find(subscription.sourceSsrc);
    if (stream == streams_.end()) return;
    SequenceRewriterConfig config;
    config.clockRateHz = stream->second.info.clockRateHz;
    const bool video = stream->second.info.video;
    Outgoing fresh{subscription, SequenceRewriter(config)};
    const WebRtcTransport* transport = transportOf(subscription.subscriber);
    const bool connected = transport && transport->connected();
    // A subscriber still connecting (its tracks came with the answer to its first offer) is
    // sent nothing until it is connected, and then, for VP8, from a keyframe on: a keyframe
    // asked for now would be over before it could be sent (subscriberConnected asks then).
    if (video && !connected) fresh.awaitingKeyframe = stream->second.info.codec == MediaCodec::Vp8;
    subscriptions_.insert_or_assign(subscription.ssrc, std::move(fresh));
    auto& subscribers = stream->second.subscribers;
    if (std::find(subscribers.begin(), subscribers.end(), subscription.ssrc) == subscribers.end()) {
        subscribers.push_back(subscription.ssrc);
    }
    // A paused one asks when it is resumed: a keyframe now would go to nobody.
    if (video && !subscription.paused && connected) requestKeyframe(stream->second, nowMs);
}

void RoomRouter::subscriberConnected(const std::string& participant, std::int64_t nowMs) {
    for (auto& [ssrc, outgoing] : subscriptions_) {
        if (outgoing.info.subscriber != participant || outgoing.info.paused) continue;
        auto stream = streams_.find(outgoing.info.sourceSsrc);
        if (stream == streams_.end() || !stream->second.info.video) continue;
        if (outgoing.stats.packetsSent == 0) requestKeyframe(stream->second, nowMs);
    }
}

void RoomRouter::setPaused(std::uint32_t ssrc, bool paused, std::int64_t nowMs) {
    auto it = subscriptions_.find(ssrc);
    if (it == subscriptions_.end() || it->second.info.paused == paused) return;
    Outgoing& outgoing = it->second;
    outgoing.info.paused = paused;
    auto stream = streams_.find(outgoing.info.sourceSsrc);
    if (paused) {
        // The packets not sent meanwhile must leave no gap the subscriber would NACK.
        outgoing.rewriter.pause();
        outgoing.awaitingKeyframe = false;
        return;
    }
    if (stream == streams_.end() || !stream->second.info.video) return;
    outgoing.awaitingKeyframe = stream->second.info.codec == MediaCodec::Vp8;
    requestKeyframe(stream->second, nowMs);
}

bool RoomRouter::paused(std::uint32_t ssrc) const {
    auto it = subscriptions_.find(ssrc);
    return it != subscriptions_.end() && it->second.info.paused;
}

void RoomRouter::unsubscribe(std::uint32_t ssrc) {
    auto it = subscriptions_.find(ssrc);
    if (it == subscriptions_.end()) return;
    if (auto stream = streams_.find(it->second.info.sourceSsrc); stream != streams_.end()) {
        std::erase(stream->second.subscribers, ssrc);
    }
    subscriptions_.erase(it);
}

void RoomRouter::setHeld(std::uint32_t sourceSsrc, bool held) {
    auto it = streams_.find(sourceSsrc);
    if (it == streams_.end() || it->second.held == held) return;
    it->second.held = held;
    if (!held) return;
    // What arrives while held is never sent: the first packet after it takes the next outgoing
    // seq and a timestamp that has kept pace with the wall clock.
    for (std::uint32_t ssrc : it->second.subscribers) {
        if (auto outgoing = subscriptions_.find(ssrc); outgoing != subscriptions_.end()) outgoing->second.rewriter.pause();
    }
}

bool RoomRouter::held(std::uint32_t sourceSsrc) const {
    auto it = streams_.find(sourceSsrc);
    return it != streams_.end() && it->second.held;
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
    const std::int64_t arrival = arrivalUs >= 0 ? arrivalUs : nowMs * 1000;
    if (auto rtx = rtxStreams_.find(view->ssrc()); rtx != rtxStreams_.end()) {
        auto it = streams_.find(rtx->second);
        if (it != streams_.end() && it->second.info.participant == from) {
            auto original = restoreFromRtx(*view, it->second.info.payloadType, it->second.info.ssrc);
            if (!original) {
                // Padding only: the browser probing how much more it may send. It counted for
                // transport-cc above; there is nothing to forward.
                ++counters_.probesDropped;
                return;
            }
            ++counters_.rtxReceived;
            receive(it->second, *original, nowMs, arrival, true);
            return;
        }
    }
    auto it = streams_.find(view->ssrc());
    if (it == streams_.end() || it->second.info.participant != from) {
        ++counters_.unknownSsrc;
        return;
    }
    receive(it->second, packet, nowMs, arrival, false);
}

void RoomRouter::receive(Stream& stream, std::vector<std::uint8_t>& packet, std::int64_t nowMs,
                         std::int64_t arrivalUs, bool retransmission) {
    stream.bitrate.start(stream.bytes, nowMs);
    ++stream.packets;
    stream.bytes += packet.size();
    if (stream.held) {
        ++counters_.held;
        return;
    }
    auto view = RtpPacket::parse(packet);
    if (!view) return;
    // Reports start a second after the first packet; no report is due while nothing is received.
    if (!nextReportMs_) nextReportMs_ = nowMs + kReceiverReportIntervalMs;
    if (stream.keyframeOwed) sendPli(stream);
    const std::uint16_t seq = view->sequenceNumber();
    const std::uint32_t timestamp = view->timestamp();
    bool keyframe = false;
    if (stream.info.codec == MediaCodec::Vp8) {
        if (auto vp8 = parseVp8Descriptor(view->payload()); vp8 && vp8->keyframe) {
            keyframe = true;
            if (!retransmission) stream.keyframes.onKeyframe();
        }
    }
    if (stream.info.audioLevelExtension != 0 && !retransmission) {
        if (auto value = view->extension(stream.info.audioLevelExtension)) {
            if (auto level = parseAudioLevel(*value)) {
                auto changed = speaker_.onAudioLevel(stream.info.participant, level->level, nowMs);
                if (changed && activeSpeakerSink_) activeSpeakerSink_(*changed);
            }
        }
    }
    auto shared = std::make_shared<const std::vector<std::uint8_t>>(packet);
    // A packet already here (a duplicate, or a retransmission that crossed the late original)
    // was forwarded already.
    const bool fresh = stream.buffer.insert(seq, shared, nowMs);
    // Chromium also pads its bandwidth probes with old packets resent on the RTX stream: those
    // repair nothing and must not read as received again in the loss statistics.
    if (retransmission && !fresh) return;
    stream.received.onPacket(seq, timestamp, arrivalUs, packet.size(), retransmission);
    if (stream.nacks) stream.nacks->onPacket(seq, nowMs, keyframe && !retransmission);
    if (!fresh) return;
    for (std::uint32_t ssrc : stream.subscribers) {
        auto outgoing = subscriptions_.find(ssrc);
        if (outgoing == subscriptions_.end()) continue;
        if (outgoing->second.info.paused) {
            ++counters_.pausedDropped;
            continue;
        }
        WebRtcTransport* transport = transportOf(outgoing->second.info.subscriber);
        if (!transport || !transport->connected()) continue;
        if (outgoing->second.awaitingKeyframe) {
            if (!keyframe) continue;
            outgoing->second.awaitingKeyframe = false;
        }
        // A retransmission is a late packet to the rewriter: it lands in the gap it left.
        const auto header = outgoing->second.rewriter.rewrite(stream.info.ssrc, seq, timestamp, nowMs);
        if (!header) continue;
        auto copy = forSubscriber(*shared, outgoing->second.info, header->seq, header->timestamp);
        const std::size_t payload = copy.empty() ? 0 : RtpPacket::parse(copy)->payloadSize();
        const std::size_t size = copy.size();
        if (!copy.empty() && transport->sendRtp(copy)) {
            ++counters_.forwarded;
            Outgoing& out = outgoing->second;
            ++out.stats.packetsSent;
            out.stats.bytesSent += payload;
            out.bitrate.start(out.bytes, nowMs);
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
                } else if constexpr (std::is_same_v<T, RtcpSenderReport>) {
                    senderReport(from, rtcp, nowMs);
                    reportBlocks(from, rtcp.reports, nowMs);
                } else if constexpr (std::is_same_v<T, RtcpReceiverReport>) {
                    reportBlocks(from, rtcp.reports, nowMs);
                }
                // REMB and transport-cc from subscribers feed adaptation (issue #18).
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
        const Subscription& to = outgoing->second.info;
        if (!copy.empty() && to.rtxSsrc != 0 && to.rtxPayloadType != 0) {
            // RTX where negotiated: the receiver tells a repair from a fresh packet (for its
            // bandwidth estimate and loss statistics) by the stream it comes on.
            copy = buildRtxPacket(*RtpPacket::parse(copy), to.rtxPayloadType, to.rtxSsrc, outgoing->second.rtxSeq++);
        }
        if (!copy.empty() && transport->sendRtp(copy)) {
            ++counters_.retransmitted;
            ++outgoing->second.stats.retransmitted;
        }
    }
}

void RoomRouter::senderReport(const std::string& from, const RtcpSenderReport& sr, std::int64_t nowMs) {
    auto it = streams_.find(sr.senderSsrc);
    if (it == streams_.end() || it->second.info.participant != from) return;
    Stream& stream = it->second;
    ++counters_.senderReportsIn;
    stream.received.onSenderReport(sr.ntpTimestamp, nowMs);
    // Lip sync: the browser pairs each stream's RTP timestamps with the NTP time of its SRs, and
    // a publisher's audio and video share one NTP clock. Passing the NTP time on unchanged and
    // moving the RTP timestamp by the same offset the subscriber's packets were moved by keeps
    // that pairing true on the subscriber's timeline.
    for (std::uint32_t ssrc : stream.subscribers) {
        auto outgoing = subscriptions_.find(ssrc);
        if (outgoing == subscriptions_.end()) continue;
        Outgoing& out = outgoing->second;
        // Nothing forwarded yet (or forwarding another source): no timeline to map onto.
        const auto timestamp = out.rewriter.outgoingTimestamp(stream.info.ssrc, sr.rtpTimestamp);
        WebRtcTransport* transport = transportOf(out.info.subscriber);
        if (!timestamp || !transport) continue;
        RtcpSenderReport translated;
        translated.senderSsrc = out.info.ssrc;
        translated.ntpTimestamp = sr.ntpTimestamp;
        translated.rtpTimestamp = *timestamp;
        translated.packetCount = static_cast<std::uint32_t>(out.stats.packetsSent);
        translated.octetCount = static_cast<std::uint32_t>(out.stats.bytesSent);
        auto bytes = buildSenderReport(translated);
        if (!transport->sendRtcp(bytes)) continue;
        ++counters_.senderReportsOut;
        constexpr std::size_t kReportsRemembered = 8;  // RRs quote the latest; a few cover reordering
        out.reportsSent.emplace_back(compactNtp(sr.ntpTimestamp), nowMs);
        if (out.reportsSent.size() > kReportsRemembered) out.reportsSent.pop_front();
    }
}

void RoomRouter::reportBlocks(const std::string& from, const std::vector<RtcpReportBlock>& blocks,
                              std::int64_t nowMs) {
    for (const RtcpReportBlock& block : blocks) {
        auto outgoing = subscriptions_.find(block.ssrc);
        if (outgoing == subscriptions_.end() || outgoing->second.info.subscriber != from) continue;
        Outgoing& out = outgoing->second;
        out.stats.fractionLost = block.fractionLost;
        out.stats.cumulativeLost = block.cumulativeLost;
        out.stats.jitter = block.jitter;
        out.stats.reported = true;
        if (block.lastSr == 0) continue;  // no SR received yet
        for (auto sent = out.reportsSent.rbegin(); sent != out.reportsSent.rend(); ++sent) {
            if (sent->first != block.lastSr) continue;
            const std::int64_t delayMs = static_cast<std::int64_t>(block.delaySinceLastSr) * 1000 / 65536;
            out.stats.rttMs = std::max<std::int64_t>(nowMs - sent->second - delayMs, 0);
            // The same connection carries what this person publishes: their NACKs are retried
            // once a round trip, not at the 100 ms guess.
            for (auto& [ssrc, stream] : streams_) {
                if (stream.nacks && stream.info.participant == from) stream.nacks->setRttMs(*out.stats.rttMs);
            }
            break;
        }
    }
}

void RoomRouter::sendReceiverReports(std::int64_t nowMs) {
    // One RR a publisher, a block for each of their streams that has received something.
    std::unordered_map<std::string, RtcpReceiverReport> reports;
    for (auto& [ssrc, stream] : streams_) {
        if (!stream.received.started()) continue;
        auto& rr = reports[stream.info.participant];
        rr.senderSsrc = kServerSsrc;
        rr.reports.push_back(stream.received.report(ssrc, nowMs));
    }
    for (auto& [participant, rr] : reports) {
        WebRtcTransport* publisher = transportOf(participant);
        auto bytes = buildReceiverReport(rr);
        if (publisher && publisher->sendRtcp(bytes)) ++counters_.receiverReportsOut;
    }
}

std::optional<ReceiveStats> RoomRouter::publishedStats(std::uint32_t ssrc) const {
    auto it = streams_.find(ssrc);
    if (it == streams_.end()) return std::nullopt;
    return it->second.received.stats();
}

std::optional<SubscriptionStats> RoomRouter::subscriptionStats(std::uint32_t outgoingSsrc) const {
    auto it = subscriptions_.find(outgoingSsrc);
    if (it == subscriptions_.end()) return std::nullopt;
    return it->second.stats;
}

void RoomRouter::keyframeWanted(const std::string& from, std::uint32_t ssrc, bool fir, std::int64_t nowMs) {
    auto outgoing = subscriptions_.find(ssrc);
    if (outgoing == subscriptions_.end() || outgoing->second.info.subscriber != from) return;
    ++counters_.keyframeRequestsIn;
    ++(fir ? outgoing->second.firsReceived : outgoing->second.plisReceived);
    // Nothing of it is sent now: resuming asks for the keyframe it needs then.
    if (outgoing->second.info.paused) return;
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
    if (nextReportMs_ && (!next || *nextReportMs_ < *next)) next = nextReportMs_;
    for (const auto& [ssrc, stream] : streams_) {
        if (auto due = stream.keyframes.nextDueMs(); due && (!next || *due < *next)) next = due;
        if (!stream.nacks) continue;
        if (auto due = stream.nacks->nextPollMs(); due && (!next || *due < *next)) next = due;
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
    if (nextReportMs_ && nowMs >= *nextReportMs_) {
        nextReportMs_.reset();
        if (!streams_.empty()) {
            nextReportMs_ = nowMs + kReceiverReportIntervalMs;
            sendReceiverReports(nowMs);
        }
    }
    for (auto& [ssrc, stream] : streams_) {
        sendNacks(stream, nowMs);
        if (stream.keyframes.poll(nowMs)) sendPli(stream);
    }
}

void RoomRouter::sendNacks(Stream& stream, std::int64_t nowMs) {
    if (!stream.nacks) return;
    if (auto due = stream.nacks->nextPollMs(); !due || *due > nowMs) return;
    const NackBatch batch = stream.nacks->poll(nowMs);
    if (!batch.seqs.empty()) {
        WebRtcTransport* publisher = transportOf(stream.info.participant);
        auto nack = buildNack(kServerSsrc, stream.info.ssrc, batch.seqs);
        if (publisher && publisher->sendRtcp(nack)) ++counters_.nacksSent;
    }
    // Losses given up on: only a keyframe repairs the picture now.
    if (batch.requestKeyframe) requestKeyframe(stream, nowMs);
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
        // Loss and jitter on the way in, as the receiver report to the publisher says them.
        if (stream.received.started()) {
            const ReceiveStats in = stream.received.stats();
            s.lossPercent = in.fractionLost * 100.0 / 256;
            s.jitterMs = in.jitterMs;
        }
        for (std::uint32_t outgoingSsrc : stream.subscribers) {
            auto it = subscriptions_.find(outgoingSsrc);
            if (it == subscriptions_.end()) continue;
            Outgoing& o = it->second;
            core::MediaSubscriptionReport sub;
            sub.subscriber = o.info.subscriber;
            sub.ssrc = outgoingSsrc;
            sub.packets = o.stats.packetsSent;
            sub.bytes = o.bytes;
            sub.bitsPerSecond = o.bitrate.sample(o.bytes, nowMs);
            sub.nacksReceived = o.nacksReceived;
            sub.retransmitted = o.stats.retransmitted;
            sub.plisReceived = o.plisReceived;
            sub.firsReceived = o.firsReceived;
            // On the way out, as the subscriber's own receiver reports say.
            if (o.stats.reported) sub.lossPercent = o.stats.fractionLost * 100.0 / 256;
            if (o.stats.rttMs) sub.rttMs = static_cast<double>(*o.stats.rttMs);
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
