#include "media/vp8_descriptor.hpp"

#include "media/byte_io.hpp"
#include "media/serial_number.hpp"

namespace parley::media {

std::optional<Vp8Descriptor> parseVp8Descriptor(std::span<const std::uint8_t> payload) {
    ByteReader reader(payload);
    Vp8Descriptor d;
    const std::uint8_t first = reader.u8();
    d.nonReference = (first & 0x20) != 0;
    d.startOfPartition = (first & 0x10) != 0;
    d.partitionIndex = first & 0x07;
    if ((first & 0x80) != 0) {
        const std::uint8_t extension = reader.u8();
        const bool hasPictureId = (extension & 0x80) != 0;
        const bool hasTl0PicIdx = (extension & 0x40) != 0;
        const bool hasTid = (extension & 0x20) != 0;
        const bool hasKeyIndex = (extension & 0x10) != 0;
        if (hasPictureId) {
            d.pictureIdOffset = reader.position();
            const std::uint8_t high = reader.u8();
            d.pictureIdLong = (high & 0x80) != 0;
            d.pictureId = d.pictureIdLong ? static_cast<std::uint16_t>(((high & 0x7f) << 8) | reader.u8())
                                          : static_cast<std::uint16_t>(high & 0x7f);
        }
        if (hasTl0PicIdx) {
            d.tl0PicIdxOffset = reader.position();
            d.tl0PicIdx = reader.u8();
        }
        if (hasTid || hasKeyIndex) {
            const std::uint8_t tk = reader.u8();
            if (hasTid) {
                d.temporalLayer = static_cast<std::uint8_t>(tk >> 6);
                d.layerSync = (tk & 0x20) != 0;
            }
            if (hasKeyIndex) d.keyIndex = tk & 0x1f;
        }
    }
    if (!reader.ok() || reader.remaining() == 0) return std::nullopt;
    d.size = reader.position();
    // The VP8 payload header's P bit (inverse keyframe flag) is only there at a frame's start.
    d.keyframe = d.startOfPartition && d.partitionIndex == 0 && (payload[d.size] & 0x01) == 0;
    return d;
}

bool writeVp8PictureIds(std::span<std::uint8_t> payload, const Vp8Descriptor& descriptor,
                        const Vp8PictureIds& ids) {
    if (payload.size() < descriptor.size) return false;
    if (descriptor.pictureId && ids.pictureId) {
        const std::size_t at = descriptor.pictureIdOffset;
        if (descriptor.pictureIdLong) {
            if (at + 2 > descriptor.size) return false;
            payload[at] = static_cast<std::uint8_t>(0x80 | ((*ids.pictureId >> 8) & 0x7f));
            payload[at + 1] = static_cast<std::uint8_t>(*ids.pictureId);
        } else {
            if (at + 1 > descriptor.size) return false;
            payload[at] = static_cast<std::uint8_t>(*ids.pictureId & 0x7f);
        }
    }
    if (descriptor.tl0PicIdx && ids.tl0PicIdx) {
        if (descriptor.tl0PicIdxOffset + 1 > descriptor.size) return false;
        payload[descriptor.tl0PicIdxOffset] = *ids.tl0PicIdx;
    }
    return true;
}

bool Vp8PictureIdRewriter::tooOld(const Counter& counter, std::uint64_t value, unsigned bits) {
    if (!counter.mapped || counter.bits != bits) return false;
    const std::int64_t extended = counter.newestIn + serialDelta(serialMask(counter.newestIn, bits), value, bits);
    return extended < counter.firstIn;
}

std::uint64_t Vp8PictureIdRewriter::map(Counter& counter, std::uint64_t value, unsigned bits) {
    // A field that changes width (7 <-> 15 bits) cannot be unwrapped against the old values:
    // it is mapped afresh, like a resync.
    if (!counter.mapped || counter.bits != bits) {
        counter.bits = bits;
        counter.mapped = true;
        counter.newestIn = counter.firstIn = static_cast<std::int64_t>(value);
        const std::int64_t out = counter.sent ? counter.highestOut + 1 : counter.newestIn;
        counter.offset = out - counter.newestIn;
    }
    const std::int64_t extended = counter.newestIn + serialDelta(serialMask(counter.newestIn, bits), value, bits);
    if (extended > counter.newestIn) counter.newestIn = extended;
    const std::int64_t out = extended + counter.offset;
    if (!counter.sent || out > counter.highestOut) counter.highestOut = out;
    counter.sent = true;
    return serialMask(out, bits);
}

std::optional<Vp8PictureIds> Vp8PictureIdRewriter::rewrite(const Vp8Descriptor& descriptor, bool resynced) {
    if (resynced) {
        pictureId_.mapped = false;
        tl0PicIdx_.mapped = false;
    }
    const unsigned pictureIdBits = descriptor.pictureIdLong ? 15 : 7;
    if (descriptor.pictureId && tooOld(pictureId_, *descriptor.pictureId, pictureIdBits)) return std::nullopt;
    if (descriptor.tl0PicIdx && tooOld(tl0PicIdx_, *descriptor.tl0PicIdx, 8)) return std::nullopt;

    Vp8PictureIds ids;
    if (descriptor.pictureId) {
        ids.pictureId = static_cast<std::uint16_t>(map(pictureId_, *descriptor.pictureId, pictureIdBits));
    }
    if (descriptor.tl0PicIdx) {
        ids.tl0PicIdx = static_cast<std::uint8_t>(map(tl0PicIdx_, *descriptor.tl0PicIdx, 8));
    }
    return ids;
}

}  // namespace parley::media
