#pragma once
// What one publisher sends, as a browser would: Opus at 50 packets/s and VP8 video at a real
// bitrate and frame rate, with a keyframe every few seconds (and on request: PLI/FIR) several
// times the size of the frames between, each frame cut into packets of at most a payload size
// the way libwebrtc cuts it (near-equal parts, the marker on the last). Every payload ends with
// a stamp (stamp.hpp). Pure: time in, RTP packets (unprotected) out.
//
// Video is a list of layers, one per SSRC, so simulcast (three layers) is a longer list; the
// server does not take simulcast yet, so the benchmark sends one.
#include <cstdint>
#include <optional>
#include <vector>

namespace parley::bench::sfu {

struct VideoLayer {
    std::uint32_t ssrc = 0;
    int kbps = 1500;
    int fps = 30;
    int width = 1280, height = 720;
};

struct WorkloadSpec {
    std::uint32_t audioSsrc = 0;  // 0: no audio
    std::vector<VideoLayer> layers;
    std::uint8_t audioPayloadType = 111, videoPayloadType = 96;
    int audioPayloadBytes = 100;    // Opus at ~32 kbit/s, stamp included
    int keyframeIntervalMs = 3000;  // periodic keyframes
    int keyframeRatio = 5;          // a keyframe is this many times a delta frame
    int maxPayloadBytes = 1160;     // per packet, what libwebrtc leaves of a 1200-byte MTU budget
    // Requests closer together than this are merged. 0, as libwebrtc's encoder: every request
    // makes the next frame a keyframe (requests within one frame interval are one); throttling
    // is the server's job, and part of what is measured.
    int keyframeRequestMinGapMs = 0;
};

// Which publisher (0, 1, ...) and which of its tracks a stamp names.
inline std::uint32_t streamId(std::uint32_t publisher, std::uint32_t track) { return publisher * 4 + track; }
inline std::uint32_t publisherOf(std::uint32_t stream) { return stream / 4; }
inline std::uint32_t trackOf(std::uint32_t stream) { return stream % 4; }  // 0 audio, 1.. video layers
inline constexpr std::uint32_t kAudioTrack = 0;

struct OutgoingPacket {
    std::vector<std::uint8_t> rtp;
    std::uint32_t stream = 0;
    std::uint32_t index = 0;
};

class PublisherWorkload {
public:
    PublisherWorkload(WorkloadSpec spec, std::uint32_t publisher, std::int64_t startNs);

    // When the next packet is due.
    std::int64_t nextDueNs() const;
    // Every packet due at or before `nowNs`, stamped with `nowNs` (the moment they leave).
    void collectDue(std::int64_t nowNs, std::vector<OutgoingPacket>& out);
    // A PLI or FIR: the next frame of every layer is a keyframe (merged with one sent lately).
    void requestKeyframe(std::int64_t nowNs);

    // Packets made so far per track (index of the next one).
    std::uint32_t sent(std::uint32_t track) const { return track < next_.size() ? next_[track] : 0; }
    std::uint64_t keyframesSent() const { return keyframes_; }
    // A delta frame's and a keyframe's size in bytes (for the report).
    int deltaFrameBytes(std::size_t layer) const;
    int keyframeBytes(std::size_t layer) const { return deltaFrameBytes(layer) * spec_.keyframeRatio; }

private:
    struct LayerState {
        std::int64_t nextFrameNs;
        std::int64_t nextKeyframeNs;
        std::uint16_t seq;
        std::uint32_t timestamp;
        std::uint16_t pictureId;
        bool keyframeRequested = true;  // the first frame is a keyframe
    };
    void emitAudio(std::int64_t nowNs, std::vector<OutgoingPacket>& out);
    void emitFrame(std::size_t layer, std::int64_t nowNs, std::vector<OutgoingPacket>& out);

    WorkloadSpec spec_;
    std::uint32_t publisher_;
    std::int64_t nextAudioNs_;
    std::uint16_t audioSeq_ = 1;
    std::uint32_t audioTimestamp_ = 0;
    std::vector<LayerState> layers_;
    std::vector<std::uint32_t> next_;  // per track
    std::int64_t lastRequestedKeyframeNs_ = INT64_MIN / 2;
    std::uint64_t keyframes_ = 0;
};

}  // namespace parley::bench::sfu
