// Any datagram: RtpPacket::parse must refuse it or give a view whose parts tile the datagram;
// every extension must read within it; rewriting a copy must keep it parseable and leave the
// original alone; RTX built from it must restore to it.
#include <cstdlib>
#include <vector>

#include "media/rtp_header_extensions.hpp"
#include "media/rtp_packet.hpp"
#include "media/rtx.hpp"

using namespace parley::media;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void readEveryExtension(const RtpPacket& p) {
    for (unsigned id = 0; id < 256; ++id) {
        const auto value = p.extension(static_cast<std::uint8_t>(id));
        if (!value) continue;
        check(id != 0);
        check(value->data() >= p.bytes().data() && value->data() + value->size() <= p.bytes().data() + p.headerSize());
        (void)parseSdesTextExtension(*value);
        (void)parseAbsSendTime(*value);
        (void)parseTransportSequenceNumber(*value);
        (void)parseAudioLevel(*value);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::uint8_t> original(data, data + size);
    const auto p = RtpPacket::parse(original);
    if (!p) return 0;
    check(p->headerSize() + p->payloadSize() + p->paddingSize() == size);
    check(p->headerSize() >= 12 + 4 * p->csrcCount());
    for (std::size_t i = 0; i < p->csrcCount(); ++i) (void)p->csrc(i);
    readEveryExtension(*p);
    const auto elements = p->extensions();

    // Rewrite a copy as the forwarder does.
    std::vector<std::uint8_t> copy = original;
    auto q = RtpPacket::parse(copy);
    check(q.has_value());
    q->setSequenceNumber(static_cast<std::uint16_t>(p->sequenceNumber() + 1));
    q->setTimestamp(p->timestamp() ^ 0x5a5a5a5a);
    q->setSsrc(~p->ssrc());
    q->setPayloadType(static_cast<std::uint8_t>(p->payloadType() ^ 1));
    q->setMarker(!p->marker());
    for (const auto& e : elements) {
        std::vector<std::uint8_t> flipped(e.value.begin(), e.value.end());
        for (auto& b : flipped) b = static_cast<std::uint8_t>(~b);
        check(q->setExtensionValue(e.id, flipped) || p->extension(e.id)->data() != e.value.data());
    }
    (void)writeTransportSequenceNumber(*q, 3, 0xbeef);
    (void)writeAbsSendTime(*q, 2, 0x123456);
    const auto r = RtpPacket::parse(copy);
    check(r.has_value() && copy.size() == size);
    check(r->sequenceNumber() == static_cast<std::uint16_t>(p->sequenceNumber() + 1));
    check(r->ssrc() == ~p->ssrc());
    check(r->marker() != p->marker());
    check(r->headerSize() == p->headerSize() && r->paddingSize() == p->paddingSize());
    check(std::equal(original.begin(), original.end(), data));

    // RTX there and back.
    auto rtx = buildRtxPacket(*p, 97, 0x1234, 7);
    const auto rtxView = RtpPacket::parse(rtx);
    check(rtxView.has_value());
    const auto osn = parseRtxPayload(*rtxView);
    check(osn && osn->originalSequenceNumber == p->sequenceNumber());
    auto restored = restoreFromRtx(*rtxView, p->payloadType(), p->ssrc());
    check(restored.has_value());
    const auto back = RtpPacket::parse(*restored);
    check(back && back->sequenceNumber() == p->sequenceNumber() && back->payloadSize() == p->payloadSize());
    check(std::equal(back->payload().begin(), back->payload().end(), p->payload().begin()));

    // Built again from what was read, the elements read back the same.
    if (p->extensionForm() == RtpExtensionForm::OneByte || p->extensionForm() == RtpExtensionForm::TwoByte) {
        std::vector<RtpExtensionValue> values;
        for (const auto& e : elements) values.push_back({e.id, {e.value.begin(), e.value.end()}});
        RtpHeaderFields h;
        h.sequenceNumber = p->sequenceNumber();
        auto built = buildRtpPacket(h, values, p->payload());
        check(built.has_value());
        const auto b = RtpPacket::parse(*built);
        check(b.has_value());
        for (const auto& e : elements) {
            const auto v = b->extension(e.id);
            const auto first = p->extension(e.id);
            check(v && std::equal(v->begin(), v->end(), first->begin(), first->end()));
        }
    }
    return 0;
}
