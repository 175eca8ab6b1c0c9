// Any RTP payload claimed to be VP8: the descriptor parser must never read out of bounds, and
// whatever it accepts must survive the forwarding path unchanged in shape: the PictureID and
// TL0PICIDX rewritten in place (on a copy) must parse back to the same layout with exactly the
// values written, and every other byte must stay as it was. The input is cut into several
// payloads (at 0xFF bytes) so the rewriter also sees sequences with resyncs.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/vp8_descriptor.hpp"

using namespace parley::media;

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

void forward(std::span<const std::uint8_t> payload, Vp8PictureIdRewriter& rewriter) {
    auto d = parseVp8Descriptor(payload);
    if (!d) return;
    check(d->size >= 1 && d->size < payload.size());
    check(d->partitionIndex <= 7);
    if (d->pictureId) check(*d->pictureId <= (d->pictureIdLong ? 0x7FFF : 0x7F));
    if (d->keyframe) check(d->startOfPartition && d->partitionIndex == 0);

    // The low bit of the first byte says whether this packet starts a new source.
    const bool resynced = (payload[0] & 0x01) != 0 || (payload.size() > 1 && (payload[1] & 0x01) != 0);
    auto ids = rewriter.rewrite(*d, resynced);
    if (resynced) check(ids.has_value());
    if (!ids) return;
    check(ids->pictureId.has_value() == d->pictureId.has_value());
    check(ids->tl0PicIdx.has_value() == d->tl0PicIdx.has_value());

    std::vector<std::uint8_t> copy(payload.begin(), payload.end());
    check(writeVp8PictureIds(copy, *d, *ids));
    auto again = parseVp8Descriptor(copy);
    check(again.has_value());
    check(again->size == d->size && again->keyframe == d->keyframe && again->pictureIdLong == d->pictureIdLong &&
          again->temporalLayer == d->temporalLayer && again->keyIndex == d->keyIndex &&
          again->startOfPartition == d->startOfPartition && again->nonReference == d->nonReference);
    if (d->pictureId) check(*again->pictureId == (*ids->pictureId & (d->pictureIdLong ? 0x7FFF : 0x7F)));
    if (d->tl0PicIdx) check(again->tl0PicIdx == ids->tl0PicIdx);
    for (std::size_t i = 0; i < copy.size(); ++i) {
        const bool inPictureId = d->pictureId && i >= d->pictureIdOffset &&
                                 i < d->pictureIdOffset + (d->pictureIdLong ? 2u : 1u);
        const bool inTl0 = d->tl0PicIdx && i == d->tl0PicIdxOffset;
        if (!inPictureId && !inTl0) check(copy[i] == payload[i]);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    // The whole input as one payload first: the parser alone, on exactly what was given.
    Vp8PictureIdRewriter single;
    forward(input, single);

    Vp8PictureIdRewriter rewriter;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= size; ++i) {
        if (i == size || data[i] == 0xFF) {
            forward(input.subspan(start, i - start), rewriter);
            start = i + 1;
        }
    }
    return 0;
}
