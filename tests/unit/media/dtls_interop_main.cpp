// Manual interop check of DtlsTransport against another DTLS stack over real UDP on loopback
// (not a unit test: it needs a peer process). Build: --target parley_dtls_interop. E.g.
//
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=peer
//       -keyout peer.key -out peer.crt -days 2            (one command)
//   FP=$(openssl x509 -in peer.crt -noout -fingerprint -sha256 | cut -d= -f2)
//   parley_dtls_interop server 127.0.0.1 4444 "$FP" &          # prints its own fingerprint
//   openssl s_client -dtls1_2 -connect 127.0.0.1:4444 -cert peer.crt -key peer.key
//       -use_srtp SRTP_AES128_CM_SHA1_80 -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 60
//
// and the other way round with `openssl s_server -dtls1_2 -accept 4445 -verify 1 ...` and
// `parley_dtls_interop client 127.0.0.1 4445 "$FP"`. Both sides print the exported keying
// material, which must be equal.
#include "media/dtls_transport.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

using namespace parley::media;

namespace {

std::int64_t interopNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string interopHex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    char two[3];
    for (auto b : bytes) {
        std::snprintf(two, sizeof two, "%02X", b);
        out += two;
    }
    return out;
}

struct InteropListener : DtlsTransport::Listener {
    int fd = -1;
    sockaddr_in peer{};
    bool havePeer = false;
    bool done = false;
    int exitCode = 1;

    void onDtlsSend(std::span<const std::uint8_t> datagram) override {
        if (!havePeer) return;
        ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    }
    void onDtlsConnected(const SrtpKeyingMaterial& keys) override {
        std::printf("CONNECTED profile=%s\n", std::string(srtpProfileName(keys.profile)).c_str());
        // The order RFC 5764 exports them in, comparable with openssl's -keymatexport output.
        std::printf("Keying material: %s%s%s%s\n", interopHex(keys.clientKey).c_str(),
                    interopHex(keys.serverKey).c_str(), interopHex(keys.clientSalt).c_str(),
                    interopHex(keys.serverSalt).c_str());
        std::fflush(stdout);
        exitCode = 0;
    }
    void onDtlsFailed(std::string_view reason) override {
        std::printf("FAILED %.*s\n", static_cast<int>(reason.size()), reason.data());
        done = true;
    }
    void onDtlsClosed() override {
        std::printf("CLOSED by peer\n");
        done = true;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s server|client ADDRESS PORT PEER_SHA256_FINGERPRINT\n", argv[0]);
        return 2;
    }
    const bool server = std::strcmp(argv[1], "server") == 0;
    auto expected = CertificateFingerprint::parse("sha-256", argv[4]);
    if (!expected) {
        std::fprintf(stderr, "bad fingerprint\n");
        return 2;
    }
    auto certificate = DtlsCertificate::generate(static_cast<std::int64_t>(std::time(nullptr)));
    std::printf("our fingerprint: %s\n", certificate->fingerprint().attributeValue().c_str());

    InteropListener listener;
    listener.fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[3])));
    ::inet_pton(AF_INET, argv[2], &address.sin_addr);
    if (server) {
        if (::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            std::perror("bind");
            return 2;
        }
    } else {
        listener.peer = address;
        listener.havePeer = true;
    }
    std::fflush(stdout);

    auto transport = DtlsTransport::create(server ? DtlsRole::Server : DtlsRole::Client, *certificate, *expected,
                                           listener);
    transport->start(interopNowMs());
    const std::int64_t giveUpAt = interopNowMs() + 60000;
    std::optional<std::int64_t> connectedAt;
    while (!listener.done && interopNowMs() < giveUpAt) {
        int waitMs = 200;
        if (auto next = transport->nextTimeoutMs()) waitMs = static_cast<int>(std::max<std::int64_t>(0, *next - interopNowMs()));
        pollfd p{listener.fd, POLLIN, 0};
        if (::poll(&p, 1, waitMs) > 0) {
            std::uint8_t buffer[65536];
            sockaddr_in from{};
            socklen_t fromLength = sizeof from;
            const auto n = ::recvfrom(listener.fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &fromLength);
            if (n <= 0) continue;
            if (!listener.havePeer) {
                listener.peer = from;
                listener.havePeer = true;
            }
            transport->receive(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)), interopNowMs());
        }
        transport->handleTimeout(interopNowMs());
        // Connected: give the peer 3 s to close first, then close ourselves.
        if (transport->state() == DtlsTransport::State::Connected && !connectedAt) connectedAt = interopNowMs();
        if (transport->state() == DtlsTransport::State::Connected && interopNowMs() > *connectedAt + 3000) {
            transport->close();
            std::printf("closed by us\n");
            break;
        }
    }
    ::close(listener.fd);
    return listener.exitCode;
}
