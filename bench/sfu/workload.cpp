#include "workload.hpp"

#include <algorithm>
#include <limits>

#include "media/rtp_packet.hpp"
#include "stamp.hpp"

namespace parley::bench::sfu {
namespace {
constexpr std::int64_t kAudioIntervalNs = 20'000'000;  // Opus, 20 ms frames
constexpr std::size_t kDescriptorBytes = 4;           // X, I with a 15-bit PictureID (as Chromium sends)
}  // namespace

PublisherWorkload::PublisherWorkload(WorkloadSpec spec, std::uint32_t publisher, std::int64_t startNs)
    : spec_(std::move(spec)), publisher_(publisher), nextAudioNs_(startNs), next_(1 + spec_.layers.size(), 0) {
    for (std::size_t i = 0; i < spec_.layers.size(); ++i) {
        // Start values differ per stream, as a browser's random ones do.
        layers_.push_back({startNs, startNs + std::int64_t(spec_.keyframeIntervalMs) * 1'000'000,
                           static_cast<std::uint16_t>(1000 * (i + 1) + publisher), 90'000u * std::uint32_t(i + 1),
                           static_cast<std::uint16_t>(100 + i), true});
    }
}

int PublisherWorkload::deltaFrameBytes(std::size_t layer) const {
    const VideoLayer& l = spec_.layers[layer];
    // One keyframe interval carries kbps * interval bits: one keyframe of `ratio` delta frames
    // and the rest delta frames.
    const double bytes = l.kbps * 1000.0 / 8.0 * spec_.keyframeIntervalMs / 1000.0;
    const double frames = double(l.fps) * spec_.keyframeIntervalMs / 1000.0;
    return std::max(1, int(bytes / (frames - 1 + spec_.keyframeRatio)));
}

std::int64_t PublisherWorkload::nextDueNs() const {
    std::int64_t due = spec_.audioSsrc != 0 ? nextAudioNs_ : std::numeric_limits<std::int64_t>::max();
    for (const auto& l : layers_) due = std::min(due, l.nextFrameNs);
    return due;
}

void PublisherWorkload::requestKeyframe(std::int64_t nowNs) {
    if (nowNs - lastRequestedKeyframeNs_ < std::int64_t(spec_.keyframeRequestMinGapMs) * 1'000'000) return;
    lastRequestedKeyframeNs_ = nowNs;
    for (auto& l : layers_) l.keyframeRequested = true;
}

void PublisherWorkload::collectDue(std::int64_t nowNs, std::vector<OutgoingPacket>& out) {
    while (spec_.audioSsrc != 0 && nextAudioNs_ <= nowNs) {
        emitAudio(nowNs, out);
        nextAudioNs_ += kAudioIntervalNs;
    }
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        while (layers_[i].nextFrameNs <= nowNs) {
            emitFrame(i, nowNs, out);
            layers_[i].nextFrameNs += 1'000'000'000LL / spec_.layers[i].fps;
        }
    }
}

void PublisherWorkload::emitAudio(std::int64_t nowNs, std::vector<OutgoingPacket>& out) {
    media::RtpHeaderFields h;
    h.payloadType = spec_.audioPayloadType;
    h.sequenceNumber = audioSeq_++;
    h.timestamp = audioTimestamp_;
    audioTimestamp_ += 960;  // 20 ms at 48 kHz
    h.ssrc = spec_.audioSsrc;
    std::vector<std::uint8_t> payload(std::max<std::size_t>(kStampSize + 1, std::size_t(spec_.audioPayloadBytes)), 0);
    payload[0] = 0x78;  // an Opus TOC byte: CELT FB 20 ms, mono, one frame
    const std::uint32_t stream = streamId(publisher_, kAudioTrack);
    const std::uint32_t index = next_[kAudioTrack]++;
    writeStamp(payload, {stream, index, std::uint64_t(nowNs)});
    out.push_back({*media::buildRtpPacket(h, {}, payload), stream, index});
}

void PublisherWorkload::emitFrame(std::size_t layer, std::int64_t nowNs, std::vector<OutgoingPacket>& out) {
    LayerState& s = layers_[layer];
    const VideoLayer& spec = spec_.layers[layer];
    bool key = s.keyframeRequested || nowNs >= s.nextKeyframeNs;
    if (key) {
        s.keyframeRequested = false;
        s.nextKeyframeNs = nowNs + std::int64_t(spec_.keyframeIntervalMs) * 1'000'000;
        ++keyframes_;
    }
    const std::size_t frameBytes = std::size_t(key ? keyframeBytes(layer) : deltaFrameBytes(layer));
    const std::size_t perPacket = std::size_t(spec_.maxPayloadBytes);
    const std::size_t packets = std::max<std::size_t>(1, (frameBytes + perPacket - 1) / perPacket);
    const std::uint32_t track = std::uint32_t(1 + layer);
    const std::uint32_t stream = streamId(publisher_, track);
    for (std::size_t p = 0; p < packets; ++p) {
        // Near-equal parts, as libwebrtc's packetizer makes them.
        const std::size_t size = std::max(frameBytes / packets + (p < frameBytes % packets ? 1 : 0),
                                          kDescriptorBytes + 10 + kStampSize);
        std::vector<std::uint8_t> payload(size, 0x5a);
        const bool first = p == 0;
        payload[0] = static_cast<std::uint8_t>(0x80 | (first ? 0x10 : 0));  // X, S on the frame's first packet
        payload[1] = 0x80;                                                  // I: a PictureID follows
        payload[2] = static_cast<std::uint8_t>(0x80 | ((s.pictureId >> 8) & 0x7f));  // M: 15 bits
        payload[3] = static_cast<std::uint8_t>(s.pictureId);
        if (first) {
            // VP8 payload header (RFC 6386 9.1): P (inverse key frame flag) clear on a keyframe,
            // show_frame set; a keyframe then carries the start code and its size.
            std::uint8_t* vp8 = payload.data() + kDescriptorBytes;
            vp8[0] = key ? 0x10 : 0x11;
            vp8[1] = 0x00;
            vp8[2] = 0x00;
            if (key) {
                vp8[3] = 0x9d, vp8[4] = 0x01, vp8[5] = 0x2a;
                vp8[6] = std::uint8_t(spec.width), vp8[7] = std::uint8_t(spec.width >> 8);
                vp8[8] = std::uint8_t(spec.height), vp8[9] = std::uint8_t(spec.height >> 8);
            }
        }
        media::RtpHeaderFields h;
        h.payloadType = spec_.videoPayloadType;
        h.marker = p + 1 == packets;
        h.sequenceNumber = s.seq++;
        h.timestamp = s.timestamp;
        h.ssrc = spec.ssrc;
        const std::uint32_t index = next_[track]++;
        writeStamp(payload, {stream, index, std::uint64_t(nowNs)});
        out.push_back({*media::buildRtpPacket(h, {}, payload), stream, index});
    }
    s.timestamp += 90'000u / std::uint32_t(spec.fps);
    s.pictureId = static_cast<std::uint16_t>((s.pictureId + 1) & 0x7fff);
}

}  // namespace parley::bench::sfu
