// Arbitrary datagrams to a DTLS endpoint at three points of a handshake: a fresh server (the
// first datagram is the "ClientHello"), a server that has answered a real ClientHello, and a
// client that has sent one. The transport must never crash, stay within its states, report
// failure at most once, and never emit a datagram above its MTU.
//
// Input: one byte choosing the point, then datagrams as [u16 length][bytes]; a zero length
// moves the injected clock on by a second and fires the timers.
#include <cstdlib>
#include <vector>

#include "media/byte_io.hpp"
#include "media/dtls_transport.hpp"

using namespace parley::media;

namespace {

struct FuzzListener : DtlsTransport::Listener {
    std::vector<std::vector<std::uint8_t>> sent;
    int connected = 0, failed = 0, closed = 0;
    void onDtlsSend(std::span<const std::uint8_t> datagram) override {
        if (datagram.size() > 1200) std::abort();
        if (sent.size() < 64) sent.emplace_back(datagram.begin(), datagram.end());
    }
    void onDtlsConnected(const SrtpKeyingMaterial&) override { ++connected; }
    void onDtlsFailed(std::string_view) override { ++failed; }
    void onDtlsClosed() override { ++closed; }
};

const DtlsCertificate& fuzzCertificate(int which) {
    static const DtlsCertificate a = *DtlsCertificate::generate(1'800'000'000);
    static const DtlsCertificate b = *DtlsCertificate::generate(1'800'000'000);
    return which == 0 ? a : b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ByteReader in(std::span<const std::uint8_t>(data, size));
    const std::uint8_t point = in.u8() % 3;
    if (!in.ok()) return 0;

    std::int64_t now = 1000;
    FuzzListener peerEnd, targetEnd;
    const auto& mine = fuzzCertificate(0);
    const auto& theirs = fuzzCertificate(1);
    std::unique_ptr<DtlsTransport> target;
    if (point == 2) {
        target = DtlsTransport::create(DtlsRole::Client, mine, theirs.fingerprint(), targetEnd);
        target->start(now);
    } else {
        target = DtlsTransport::create(DtlsRole::Server, mine, theirs.fingerprint(), targetEnd);
        target->start(now);
        if (point == 1) {
            auto peer = DtlsTransport::create(DtlsRole::Client, theirs, mine.fingerprint(), peerEnd);
            peer->start(now);
            for (const auto& hello : peerEnd.sent) target->receive(hello, now);
        }
    }

    int steps = 0;
    while (in.remaining() >= 2 && steps++ < 256) {
        const std::uint16_t length = in.u16();
        if (length == 0) {
            now += 1000;
            target->handleTimeout(now);
            // Everything due by now was done: the next deadline lies ahead.
            if (auto next = target->nextTimeoutMs(); next && *next <= now) std::abort();
            continue;
        }
        const auto datagram = in.bytes(std::min<std::size_t>(length, in.remaining()));
        target->receive(datagram, now);
    }

    const auto state = target->state();
    if (targetEnd.failed > 1 || targetEnd.connected > 1 || targetEnd.closed > 1) std::abort();
    if (state == DtlsTransport::State::Failed && targetEnd.failed != 1) std::abort();
    if (state == DtlsTransport::State::Connected && (targetEnd.connected != 1 || !target->keys())) std::abort();
    if (state != DtlsTransport::State::Connecting && target->nextTimeoutMs()) std::abort();
    return 0;
}
