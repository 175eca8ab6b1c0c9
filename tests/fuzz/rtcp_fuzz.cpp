// Any datagram: parseRtcpCompound must refuse it or give items that the builders write back
// to the same values; transport-cc feedback, inside a compound or alone, must parse to exactly
// its status count.
#include <algorithm>
#include <cstdlib>
#include <set>
#include <type_traits>
#include <vector>

#include "media/rtcp_builder.hpp"
#include "media/rtcp_packet.hpp"
#include "media/transport_cc_feedback.hpp"

using namespace parley::media;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

const RtcpItem& onlyItem(const std::optional<RtcpCompound>& c) {
    check(c && c->items.size() == 1 && c->malformed == 0);
    return c->items[0];
}

void checkTransportCc(std::span<const std::uint8_t> bytes) {
    const auto fb = parseTransportCcFeedback(bytes);
    if (!fb) return;
    check(!fb->packets.empty() && fb->packets.size() <= 0xFFFF);
    check(fb->packets[0].sequenceNumber == fb->baseSequenceNumber);
}

void roundtrip(const RtcpItem& item) {
    std::visit(
        [](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, RtcpSenderReport>) {
                check(std::get<RtcpSenderReport>(onlyItem(parseRtcpCompound(buildSenderReport(x)))) == x);
            } else if constexpr (std::is_same_v<T, RtcpReceiverReport>) {
                check(std::get<RtcpReceiverReport>(onlyItem(parseRtcpCompound(buildReceiverReport(x)))) == x);
            } else if constexpr (std::is_same_v<T, RtcpNack>) {
                const auto back = std::get<RtcpNack>(
                    onlyItem(parseRtcpCompound(buildNack(x.senderSsrc, x.mediaSsrc, x.lostSequenceNumbers))));
                check(std::set<std::uint16_t>(back.lostSequenceNumbers.begin(), back.lostSequenceNumbers.end()) ==
                      std::set<std::uint16_t>(x.lostSequenceNumbers.begin(), x.lostSequenceNumbers.end()));
            } else if constexpr (std::is_same_v<T, RtcpTransportCc>) {
                checkTransportCc(x.packet);
            } else if constexpr (std::is_same_v<T, RtcpPli>) {
                const auto back = std::get<RtcpPli>(onlyItem(parseRtcpCompound(buildPli(x.senderSsrc, x.mediaSsrc))));
                check(back.senderSsrc == x.senderSsrc && back.mediaSsrc == x.mediaSsrc);
            } else if constexpr (std::is_same_v<T, RtcpFir>) {
                check(std::get<RtcpFir>(onlyItem(parseRtcpCompound(buildFir(x.senderSsrc, x.entries)))).entries ==
                      x.entries);
            } else if constexpr (std::is_same_v<T, RtcpRemb>) {
                const auto back =
                    std::get<RtcpRemb>(onlyItem(parseRtcpCompound(buildRemb(x.senderSsrc, x.bitrateBps, x.ssrcs))));
                check(back.ssrcs == x.ssrcs && back.bitrateBps <= x.bitrateBps);
            } else if constexpr (std::is_same_v<T, RtcpSdes>) {
                for (const auto& chunk : x.chunks) {
                    const auto back = std::get<RtcpSdes>(onlyItem(parseRtcpCompound(buildSdesCname(chunk.ssrc, chunk.cname))));
                    check(back.chunks.size() == 1 && back.chunks[0] == chunk);
                }
            } else if constexpr (std::is_same_v<T, RtcpBye>) {
                const auto back = std::get<RtcpBye>(onlyItem(parseRtcpCompound(buildBye(x.ssrcs))));
                check(back.ssrcs == x.ssrcs);
            }
        },
        item);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    (void)looksLikeRtcp(bytes);
    checkTransportCc(bytes);
    const auto compound = parseRtcpCompound(bytes);
    if (!compound) return 0;
    check(compound->items.size() + compound->unknown + compound->malformed >= 1);
    for (const auto& item : compound->items) roundtrip(item);
    return 0;
}
