#pragma once
// The RFC 7741 VP8 payload descriptor: what an SFU reads to forward VP8 (keyframes, temporal
// layers) and the two picture counters it rewrites so a subscriber sees one continuous stream
// across source switches.
//
//        0 1 2 3 4 5 6 7
//       +-+-+-+-+-+-+-+-+
//       |X|R|N|S|R| PID |   required
//       +-+-+-+-+-+-+-+-+
//   X:  |I|L|T|K| RSV   |   present when X
//       +-+-+-+-+-+-+-+-+
//   I:  |M| PictureID   |   present when I; M = 1 adds a second byte (15-bit PictureID)
//       |   PictureID   |
//   L:  |   TL0PICIDX   |   present when L
//   T/K:|TID|Y| KEYIDX  |   present when T or K
//       +-+-+-+-+-+-+-+-+
//
// The VP8 payload follows; on the first packet of a partition 0 (S = 1, PID = 0) it starts with
// the VP8 payload header, whose lowest bit P is 0 for a keyframe.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace parley::media {

struct Vp8Descriptor {
    bool nonReference = false;     // N: the frame can be dropped without hurting others
    bool startOfPartition = false; // S
    std::uint8_t partitionIndex = 0;  // PID, 0..7

    std::optional<std::uint16_t> pictureId;  // 7 or 15 bits
    bool pictureIdLong = false;               // M: the PictureID field is 15 bits (two bytes)
    std::optional<std::uint8_t> tl0PicIdx;
    std::optional<std::uint8_t> temporalLayer;  // TID, 0..3
    bool layerSync = false;                     // Y (meaningful only with a TID)
    std::optional<std::uint8_t> keyIndex;       // KEYIDX, 0..31

    bool keyframe = false;  // first packet of a keyframe: S = 1, PID = 0, P = 0
    std::size_t size = 0;   // bytes of the descriptor; the VP8 payload starts here

    // Where the rewritable fields sit in the payload (meaningful when the field is present).
    std::size_t pictureIdOffset = 0;
    std::size_t tl0PicIdxOffset = 0;
};

// nullopt when the descriptor is cut short, or no VP8 payload byte follows it (every VP8 RTP
// packet carries at least one).
std::optional<Vp8Descriptor> parseVp8Descriptor(std::span<const std::uint8_t> payload);

// The picture counters a forwarded packet should carry.
struct Vp8PictureIds {
    std::optional<std::uint16_t> pictureId;
    std::optional<std::uint8_t> tl0PicIdx;
};

// Writes the counters into `payload` in place, where `descriptor` (parsed from this same
// payload) says they are; a PictureID keeps its width (masked to 7 bits in a short field) and
// its M bit. A counter the descriptor lacks is left alone. False if the payload is too short
// for the descriptor (it was parsed from another buffer).
bool writeVp8PictureIds(std::span<std::uint8_t> payload, const Vp8Descriptor& descriptor,
                        const Vp8PictureIds& ids);

// The PictureID and TL0PICIDX one subscriber sees on one outgoing VP8 stream. It follows the
// SequenceRewriter of that stream rather than judging switches itself, so the two can never
// disagree: feed it exactly the packets the SequenceRewriter forwarded, with its `resynced`.
// Within one source out = in + offset (per counter); at a resync the next picture continues at
// the last PictureID sent + 1 and the next TL0PICIDX at the last sent + 1 (a counter that
// first appears later starts the same way). A packet whose counter is older than the resync
// packet's cannot be placed and is dropped (nullopt).
class Vp8PictureIdRewriter {
public:
    std::optional<Vp8PictureIds> rewrite(const Vp8Descriptor& descriptor, bool resynced);

private:
    // One wrapping counter of the current source mapped onto the outgoing one.
    struct Counter {
        unsigned bits = 15;
        bool mapped = false;        // the source has carried the field since the resync
        std::int64_t newestIn = 0;  // extended incoming value, newest seen
        std::int64_t firstIn = 0;   // extended incoming value when mapped
        std::int64_t offset = 0;    // extended outgoing = extended incoming + offset
        bool sent = false;          // an outgoing value exists (survives resyncs)
        std::int64_t highestOut = 0;
    };

    static bool tooOld(const Counter& counter, std::uint64_t value, unsigned bits);
    static std::uint64_t map(Counter& counter, std::uint64_t value, unsigned bits);

    Counter pictureId_;
    Counter tl0PicIdx_;
};

}  // namespace parley::media
