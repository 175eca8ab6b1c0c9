#include "media/dtls_transport.hpp"

#include <gtest/gtest.h>

#include <malloc.h>
#include <openssl/ssl.h>

#include <chrono>
#include <deque>
#include <thread>
#include <functional>
#include <random>

using parley::media::CertificateFingerprint;
using parley::media::DtlsCertificate;
using parley::media::DtlsRole;
using parley::media::DtlsTransport;
using parley::media::SrtpKeyingMaterial;
using parley::media::SrtpProfile;
using parley::media::SrtpSession;
using parley::media::SrtpStatus;

namespace {

constexpr std::int64_t kDtlsTestUnixNow = 1'800'000'000;

// Records what one transport asks of its listener.
struct DtlsTestEndpoint : DtlsTransport::Listener {
    std::deque<std::vector<std::uint8_t>> outbox;
    std::size_t sentCount = 0;
    std::size_t largestDatagram = 0;
    int connectedCalls = 0;
    int failedCalls = 0;
    int closedCalls = 0;
    std::optional<SrtpKeyingMaterial> keys;
    std::string failure;

    void onDtlsSend(std::span<const std::uint8_t> datagram) override {
        outbox.emplace_back(datagram.begin(), datagram.end());
        ++sentCount;
        largestDatagram = std::max(largestDatagram, datagram.size());
    }
    void onDtlsConnected(const SrtpKeyingMaterial& k) override {
        ++connectedCalls;
        keys = k;
    }
    void onDtlsFailed(std::string_view reason) override {
        ++failedCalls;
        failure = std::string(reason);
    }
    void onDtlsClosed() override { ++closedCalls; }
};

// A client and a server wired to each other in memory, with a clock the test moves and a filter
// that can drop datagrams on the way.
struct DtlsTestPair {
    DtlsCertificate clientCertificate = *DtlsCertificate::generate(kDtlsTestUnixNow);
    DtlsCertificate serverCertificate = *DtlsCertificate::generate(kDtlsTestUnixNow);
    DtlsTestEndpoint clientEnd, serverEnd;
    std::unique_ptr<DtlsTransport> client, server;
    std::int64_t now = 5000;
    // Return true to drop; `fromClient` says the direction, `index` counts datagrams per direction.
    std::function<bool(bool fromClient, std::size_t index, const std::vector<std::uint8_t>&)> drop;
    std::size_t clientIndex = 0, serverIndex = 0;

    explicit DtlsTestPair(DtlsTransport::Options clientOptions = {}, DtlsTransport::Options serverOptions = {},
                          std::optional<CertificateFingerprint> serverExpects = std::nullopt,
                          std::optional<CertificateFingerprint> clientExpects = std::nullopt) {
        client = DtlsTransport::create(DtlsRole::Client, clientCertificate,
                                       clientExpects.value_or(serverCertificate.fingerprint()), clientEnd,
                                       clientOptions);
        server = DtlsTransport::create(DtlsRole::Server, serverCertificate,
                                       serverExpects.value_or(clientCertificate.fingerprint()), serverEnd,
                                       serverOptions);
    }

    // Delivers queued datagrams both ways until none are left (without moving the clock).
    void pump() {
        for (int round = 0; round < 100 && (!clientEnd.outbox.empty() || !serverEnd.outbox.empty()); ++round) {
            while (!clientEnd.outbox.empty()) {
                auto datagram = std::move(clientEnd.outbox.front());
                clientEnd.outbox.pop_front();
                if (!(drop && drop(true, clientIndex++, datagram))) server->receive(datagram, now);
            }
            while (!serverEnd.outbox.empty()) {
                auto datagram = std::move(serverEnd.outbox.front());
                serverEnd.outbox.pop_front();
                if (!(drop && drop(false, serverIndex++, datagram))) client->receive(datagram, now);
            }
        }
    }

    // Moves the clock to the earlier of the two transports' timeouts and fires them.
    bool advanceToNextTimeout() {
        std::optional<std::int64_t> next;
        for (auto* t : {client.get(), server.get()})
            if (auto at = t->nextTimeoutMs()) next = next ? std::min(*next, *at) : *at;
        if (!next) return false;
        now = std::max(now, *next);
        client->handleTimeout(now);
        server->handleTimeout(now);
        return true;
    }

    bool settled() const {
        auto done = [](const DtlsTransport& t) { return t.state() != DtlsTransport::State::Connecting; };
        return done(*client) && done(*server);
    }

    void startAndRun(int maxTimeouts = 50) {
        server->start(now);
        client->start(now);
        pump();
        for (int i = 0; i < maxTimeouts && !settled(); ++i) {
            if (!advanceToNextTimeout()) break;
            pump();
        }
    }
};

}  // namespace

TEST(DtlsTransport, HandshakeAgreesOnProfileAndKeys) {
    DtlsTestPair pair;
    ASSERT_TRUE(pair.client && pair.server);
    const std::int64_t started = pair.now;
    pair.startAndRun(0);  // no timeouts needed on a lossless path

    ASSERT_EQ(pair.client->state(), DtlsTransport::State::Connected) << pair.clientEnd.failure;
    ASSERT_EQ(pair.server->state(), DtlsTransport::State::Connected) << pair.serverEnd.failure;
    EXPECT_EQ(pair.now, started);
    EXPECT_EQ(pair.clientEnd.connectedCalls, 1);
    EXPECT_EQ(pair.serverEnd.connectedCalls, 1);
    const auto& c = *pair.clientEnd.keys;
    const auto& s = *pair.serverEnd.keys;
    const auto expected =
        parley::media::srtpSupportsAeadGcm() ? SrtpProfile::AeadAes128Gcm : SrtpProfile::Aes128CmSha1_80;
    EXPECT_EQ(c.profile, expected);
    EXPECT_EQ(s.profile, expected);
    EXPECT_EQ(c.clientKey, s.clientKey);  // the client's write key is the server's read key
    EXPECT_EQ(c.serverKey, s.serverKey);
    EXPECT_EQ(c.clientSalt, s.clientSalt);
    EXPECT_EQ(c.serverSalt, s.serverSalt);
    EXPECT_EQ(c.clientKey.size(), 16u);
    EXPECT_EQ(c.clientSalt.size(), parley::media::srtpMasterSaltLength(expected));
    EXPECT_NE(c.clientKey, c.serverKey);
    EXPECT_EQ(pair.client->keys()->clientKey, c.clientKey);
    // Flights fit the MTU, and nothing is left to time out.
    EXPECT_LE(pair.clientEnd.largestDatagram, 1200u);
    EXPECT_LE(pair.serverEnd.largestDatagram, 1200u);
    EXPECT_FALSE(pair.client->nextTimeoutMs());
    EXPECT_FALSE(pair.server->nextTimeoutMs());
}

TEST(DtlsTransport, FallsBackToAesCmWhenOneSideDoesNotOfferGcm) {
    DtlsTransport::Options noGcm;
    noGcm.offerAeadGcm = false;
    for (int side = 0; side < 2; ++side) {
        DtlsTestPair pair(side == 0 ? noGcm : DtlsTransport::Options{}, side == 1 ? noGcm : DtlsTransport::Options{});
        pair.startAndRun(0);
        ASSERT_EQ(pair.client->state(), DtlsTransport::State::Connected) << pair.clientEnd.failure;
        ASSERT_EQ(pair.server->state(), DtlsTransport::State::Connected) << pair.serverEnd.failure;
        EXPECT_EQ(pair.clientEnd.keys->profile, SrtpProfile::Aes128CmSha1_80);
        EXPECT_EQ(pair.serverEnd.keys->profile, SrtpProfile::Aes128CmSha1_80);
        EXPECT_EQ(pair.clientEnd.keys->clientSalt.size(), 14u);
    }
}

TEST(DtlsTransport, ExportedKeysCarrySrtpBothWays) {
    DtlsTestPair pair;
    pair.startAndRun(0);
    ASSERT_EQ(pair.server->state(), DtlsTransport::State::Connected);
    const auto& clientKeys = *pair.clientEnd.keys;
    const auto& serverKeys = *pair.serverEnd.keys;
    auto browserOut = SrtpSession::create(SrtpSession::Direction::Outbound, clientKeys, true);
    auto sfuIn = SrtpSession::create(SrtpSession::Direction::Inbound, serverKeys, false);
    auto sfuOut = SrtpSession::create(SrtpSession::Direction::Outbound, serverKeys, false);
    auto browserIn = SrtpSession::create(SrtpSession::Direction::Inbound, clientKeys, true);
    ASSERT_TRUE(browserOut && sfuIn && sfuOut && browserIn);

    const std::vector<std::uint8_t> rtp{0x80, 111, 0, 9, 0, 0, 0, 1, 0xca, 0xfe, 0xba, 0xbe, 1, 2, 3, 4, 5};
    auto up = rtp;
    ASSERT_EQ(browserOut->protectRtp(up), SrtpStatus::Ok);
    ASSERT_EQ(sfuIn->unprotectRtp(up), SrtpStatus::Ok);
    EXPECT_EQ(up, rtp);
    const std::vector<std::uint8_t> rtcp{0x80, 201, 0, 1, 0xca, 0xfe, 0xba, 0xbe};
    auto down = rtcp;
    ASSERT_EQ(sfuOut->protectRtcp(down), SrtpStatus::Ok);
    ASSERT_EQ(browserIn->unprotectRtcp(down), SrtpStatus::Ok);
    EXPECT_EQ(down, rtcp);
}

TEST(DtlsTransport, ServerRefusesAClientWhoseCertificateIsNotTheSignalledOne) {
    auto stranger = DtlsCertificate::generate(kDtlsTestUnixNow);
    ASSERT_TRUE(stranger);
    DtlsTestPair pair({}, {}, stranger->fingerprint());
    pair.startAndRun();
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Failed);
    EXPECT_EQ(pair.serverEnd.failedCalls, 1);
    EXPECT_NE(pair.serverEnd.failure.find("fingerprint"), std::string::npos) << pair.serverEnd.failure;
    EXPECT_EQ(pair.serverEnd.connectedCalls, 0);
    EXPECT_FALSE(pair.server->keys());
    // The server's bad_certificate alert makes the client fail too, instead of timing out.
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Failed);
    EXPECT_NE(pair.clientEnd.failure.find("bad certificate"), std::string::npos) << pair.clientEnd.failure;
    EXPECT_EQ(pair.clientEnd.connectedCalls, 0);
}

TEST(DtlsTransport, ClientRefusesAServerWhoseCertificateIsNotTheSignalledOne) {
    auto stranger = DtlsCertificate::generate(kDtlsTestUnixNow);
    ASSERT_TRUE(stranger);
    DtlsTestPair pair({}, {}, std::nullopt, stranger->fingerprint());
    pair.startAndRun();
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Failed);
    EXPECT_NE(pair.clientEnd.failure.find("fingerprint"), std::string::npos) << pair.clientEnd.failure;
    EXPECT_EQ(pair.clientEnd.connectedCalls, 0);
    EXPECT_EQ(pair.serverEnd.connectedCalls, 0);
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Failed);
}

TEST(DtlsTransport, SameCertificateUnderAnotherHashIsAccepted) {
    DtlsTestPair probe;
    auto sha512 = parley::media::fingerprintOf(probe.clientCertificate.x509(), parley::media::FingerprintAlgorithm::Sha512);
    ASSERT_TRUE(sha512);
    // The server expects the client's certificate by its SHA-512 fingerprint instead.
    probe.client = DtlsTransport::create(DtlsRole::Client, probe.clientCertificate,
                                         probe.serverCertificate.fingerprint(), probe.clientEnd);
    probe.server = DtlsTransport::create(DtlsRole::Server, probe.serverCertificate, *sha512, probe.serverEnd);
    probe.startAndRun(0);
    EXPECT_EQ(probe.server->state(), DtlsTransport::State::Connected) << probe.serverEnd.failure;
    EXPECT_EQ(probe.client->state(), DtlsTransport::State::Connected) << probe.clientEnd.failure;
}

TEST(DtlsTransport, LostServerFlightIsResentWhenTheInjectedClockPassesTheTimeout) {
    DtlsTestPair pair;
    // Drop the server's whole first flight (ServerHello .. ServerHelloDone).
    std::size_t firstFlightDatagrams = 0;
    pair.server->start(pair.now);
    pair.client->start(pair.now);
    ASSERT_EQ(pair.clientEnd.outbox.size(), 1u);  // the ClientHello
    pair.server->receive(pair.clientEnd.outbox.front(), pair.now);
    pair.clientEnd.outbox.clear();
    firstFlightDatagrams = pair.serverEnd.outbox.size();
    ASSERT_GE(firstFlightDatagrams, 1u);
    pair.serverEnd.outbox.clear();

    // Nothing happens until the clock moves, however often the timers are polled.
    const auto serverTimeout = pair.server->nextTimeoutMs();
    ASSERT_TRUE(serverTimeout);
    EXPECT_EQ(*serverTimeout, pair.now + 1000);
    pair.server->handleTimeout(*serverTimeout - 1);
    pair.client->handleTimeout(*serverTimeout - 1);
    EXPECT_TRUE(pair.serverEnd.outbox.empty());
    EXPECT_TRUE(pair.clientEnd.outbox.empty());
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Connecting);

    pair.now = *serverTimeout;
    pair.server->handleTimeout(pair.now);
    EXPECT_EQ(pair.serverEnd.outbox.size(), firstFlightDatagrams);  // the same flight again
    pair.client->handleTimeout(pair.now);
    pair.pump();
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Connected) << pair.clientEnd.failure;
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Connected) << pair.serverEnd.failure;
    EXPECT_EQ(pair.clientEnd.keys->clientKey, pair.serverEnd.keys->clientKey);
}

TEST(DtlsTransport, LostClientFlightsAreResentToo) {
    for (std::size_t lost : {std::size_t{0}, std::size_t{1}}) {  // the ClientHello; the client's second flight
        SCOPED_TRACE(lost);
        DtlsTestPair pair;
        pair.drop = [lost](bool fromClient, std::size_t index, const std::vector<std::uint8_t>&) {
            return fromClient && index == lost;
        };
        pair.startAndRun();
        EXPECT_EQ(pair.client->state(), DtlsTransport::State::Connected) << pair.clientEnd.failure;
        EXPECT_EQ(pair.server->state(), DtlsTransport::State::Connected) << pair.serverEnd.failure;
        EXPECT_GT(pair.now, 5000);  // it took a timeout
        EXPECT_LE(pair.now, 5000 + 1000);
    }
}

TEST(DtlsTransport, RetransmissionBacksOffThenTheHandshakeTimesOut) {
    DtlsTransport::Options options;
    options.initialRetransmitMs = 1000;
    options.maxRetransmitMs = 4000;
    options.handshakeTimeoutMs = 20000;
    DtlsTestPair pair(options, options);
    // The server never hears anything.
    pair.drop = [](bool fromClient, std::size_t, const std::vector<std::uint8_t>&) { return fromClient; };
    pair.client->start(pair.now);
    const std::int64_t started = pair.now;
    std::vector<std::int64_t> sendTimes;
    pair.clientEnd.outbox.clear();
    while (pair.client->state() == DtlsTransport::State::Connecting) {
        auto next = pair.client->nextTimeoutMs();
        ASSERT_TRUE(next);
        pair.now = *next;
        pair.client->handleTimeout(pair.now);
        if (!pair.clientEnd.outbox.empty()) sendTimes.push_back(pair.now - started);
        pair.clientEnd.outbox.clear();
        ASSERT_LT(sendTimes.size(), 50u);
    }
    EXPECT_EQ(sendTimes, (std::vector<std::int64_t>{1000, 3000, 7000, 11000, 15000, 19000}));
    EXPECT_EQ(pair.now - started, 20000);
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Failed);
    EXPECT_EQ(pair.clientEnd.failure, "handshake timed out");
    EXPECT_FALSE(pair.client->nextTimeoutMs());
}

TEST(DtlsTransport, ServerWaitsUntilStartedOrSpokenTo) {
    DtlsTestPair pair;
    // A client that has not started ignores datagrams (it would otherwise speak first).
    pair.client->receive(std::vector<std::uint8_t>{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, pair.now);
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::New);
    EXPECT_TRUE(pair.clientEnd.outbox.empty());
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::New);
    EXPECT_FALSE(pair.server->nextTimeoutMs());
    pair.client->start(pair.now);
    pair.pump();  // the ClientHello starts the server by itself
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Connected);
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Connected);
}

TEST(DtlsTransport, GarbageBeforeAndDuringTheHandshakeDoesNotStopIt) {
    DtlsTestPair pair;
    std::mt19937 random(7);
    auto garbage = [&random](std::size_t maxLength) {
        std::vector<std::uint8_t> datagram(1 + random() % maxLength);
        for (auto& b : datagram) b = static_cast<std::uint8_t>(random());
        return datagram;
    };
    pair.server->start(pair.now);
    for (int i = 0; i < 200; ++i) pair.server->receive(garbage(1500), pair.now);
    pair.client->start(pair.now);
    // Interleave garbage with every real datagram, in both directions.
    pair.drop = [&](bool fromClient, std::size_t, const std::vector<std::uint8_t>&) {
        for (int i = 0; i < 20; ++i) (fromClient ? pair.server : pair.client)->receive(garbage(1500), pair.now);
        return false;
    };
    pair.pump();
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Connected) << pair.clientEnd.failure;
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Connected) << pair.serverEnd.failure;
    // And after it: still connected, no answer to garbage.
    pair.serverEnd.outbox.clear();
    for (int i = 0; i < 200; ++i) pair.server->receive(garbage(1500), pair.now);
    std::vector<std::uint8_t> tooBig(DtlsTransport::kMaxDatagram + 1, 0x17);
    pair.server->receive(tooBig, pair.now);
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Connected);
}

TEST(DtlsTransport, ForgedFragmentsMidHandshakeKeepMemoryBounded) {
    DtlsTestPair pair;
    pair.server->start(pair.now);
    pair.client->start(pair.now);
    pair.server->receive(pair.clientEnd.outbox.front(), pair.now);  // the server is now mid-handshake
    pair.clientEnd.outbox.clear();
    std::mt19937 random(11);
    // DTLS 1.2 handshake records, epoch 0, fresh random record numbers, each carrying a fragment
    // of a future handshake message (message_seq 5..11, past the client's real flight but inside
    // OpenSSL's reassembly window): what a flood could make OpenSSL buffer.
    auto forged = [&random] {
        std::vector<std::uint8_t> d{22, 0xfe, 0xfd, 0, 0};
        for (int i = 0; i < 6; ++i) d.push_back(static_cast<std::uint8_t>(random()));
        const std::uint32_t messageSeq = 5 + random() % 7;
        const std::uint32_t length = 9000 + messageSeq;  // consistent per message, as reassembly wants
        const std::uint32_t fragment = 1 + random() % 1000;
        const std::uint32_t offset = random() % (length - fragment);
        const std::size_t body = 12 + fragment;
        d.push_back(static_cast<std::uint8_t>(body >> 8));
        d.push_back(static_cast<std::uint8_t>(body));
        d.push_back(11);  // certificate
        for (int shift : {16, 8, 0}) d.push_back(static_cast<std::uint8_t>(length >> shift));
        d.push_back(static_cast<std::uint8_t>(messageSeq >> 8));
        d.push_back(static_cast<std::uint8_t>(messageSeq));
        for (int shift : {16, 8, 0}) d.push_back(static_cast<std::uint8_t>(offset >> shift));
        for (int shift : {16, 8, 0}) d.push_back(static_cast<std::uint8_t>(fragment >> shift));
        for (std::size_t i = 0; i < fragment; ++i) d.push_back(static_cast<std::uint8_t>(random()));
        return d;
    };
    for (int i = 0; i < 500; ++i) pair.server->receive(forged(), pair.now);
    const auto before = mallinfo2().uordblks;
    for (int i = 0; i < 20000; ++i) pair.server->receive(forged(), pair.now);
    const auto after = mallinfo2().uordblks;
    // Bounded by OpenSSL's reassembly window, not by the number of datagrams (20000 x ~500 B).
    EXPECT_LT(after > before ? after - before : 0, 256u * 1024u) << before << " -> " << after;
    // Still handshaking: the fragments were taken in (not refused early), so the bound above is
    // OpenSSL's. (The real client cannot finish now: the forged records moved the epoch-0 replay
    // window past its record numbers. Spoofing is up to whoever can send from the ICE pair.)
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Connecting) << pair.serverEnd.failure;
    EXPECT_EQ(pair.serverEnd.failedCalls, 0);
}

TEST(DtlsTransport, CloseNotifyReachesThePeer) {
    DtlsTestPair pair;
    pair.startAndRun(0);
    ASSERT_EQ(pair.server->state(), DtlsTransport::State::Connected);
    pair.client->close();
    EXPECT_EQ(pair.client->state(), DtlsTransport::State::Closed);
    ASSERT_FALSE(pair.clientEnd.outbox.empty());  // the close_notify alert
    pair.pump();
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Closed);
    EXPECT_EQ(pair.serverEnd.closedCalls, 1);
    EXPECT_EQ(pair.serverEnd.failedCalls, 0);
    EXPECT_EQ(pair.clientEnd.closedCalls, 0);  // our own close is not reported back
    // Closed transports ignore what still comes in.
    pair.server->receive(std::vector<std::uint8_t>{23, 0xfe, 0xfd, 0, 1}, pair.now);
    EXPECT_EQ(pair.server->state(), DtlsTransport::State::Closed);
}

// A plain OpenSSL DTLS client on memory BIOs with OpenSSL's own (real-clock) timer, as a stand-in
// for a browser: it retransmits with fresh record numbers, which the server role relies on.
namespace {

struct PlainOpenSslClient {
    SSL_CTX* context = SSL_CTX_new(DTLS_method());
    SSL* ssl = nullptr;
    BIO* input = BIO_new(BIO_s_mem());
    BIO* output = BIO_new(BIO_s_mem());

    explicit PlainOpenSslClient(const DtlsCertificate& certificate) {
        SSL_CTX_use_certificate(context, certificate.x509());
        SSL_CTX_use_PrivateKey(context, certificate.privateKey());
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
        SSL_CTX_set_tlsext_use_srtp(context, "SRTP_AES128_CM_SHA1_80");
        ssl = SSL_new(context);
        BIO_set_mem_eof_return(input, -1);
        SSL_set_bio(ssl, input, output);
        // 50 ms instead of a second, so the test waits briefly on the real clock.
        DTLS_set_timer_cb(ssl, [](SSL*, unsigned int) -> unsigned int { return 50'000; });
        SSL_set_connect_state(ssl);
    }
    ~PlainOpenSslClient() {
        SSL_free(ssl);
        SSL_CTX_free(context);
    }

    bool step() { return SSL_do_handshake(ssl) == 1; }
    std::vector<std::uint8_t> takeOutput() {
        char* bytes = nullptr;
        const long length = BIO_get_mem_data(output, &bytes);
        std::vector<std::uint8_t> out(bytes, bytes + length);
        (void)BIO_reset(output);
        return out;
    }
    void give(const std::vector<std::uint8_t>& datagram) {
        BIO_write(input, datagram.data(), static_cast<int>(datagram.size()));
        step();
    }
};

}  // namespace

TEST(DtlsTransport, ServerResendsItsLostFinalFlightWhenTheClientRetransmits) {
    auto clientCertificate = DtlsCertificate::generate(kDtlsTestUnixNow);
    auto serverCertificate = DtlsCertificate::generate(kDtlsTestUnixNow);
    ASSERT_TRUE(clientCertificate && serverCertificate);
    DtlsTestEndpoint serverEnd;
    auto server = DtlsTransport::create(DtlsRole::Server, *serverCertificate, clientCertificate->fingerprint(), serverEnd);
    PlainOpenSslClient client(*clientCertificate);

    const std::int64_t now = 0;
    server->start(now);
    client.step();
    for (int round = 0; round < 10 && server->state() == DtlsTransport::State::Connecting; ++round) {
        server->receive(client.takeOutput(), now);
        if (server->state() == DtlsTransport::State::Connected) break;
        for (const auto& d : serverEnd.outbox) client.give(d);
        serverEnd.outbox.clear();
    }
    ASSERT_EQ(server->state(), DtlsTransport::State::Connected) << serverEnd.failure;
    // The server's final flight (ChangeCipherSpec, Finished) is lost.
    ASSERT_FALSE(serverEnd.outbox.empty());
    serverEnd.outbox.clear();
    ASSERT_FALSE(client.step());

    // The client's timer fires and it resends its last flight under new record numbers.
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
    ASSERT_GT(DTLSv1_handle_timeout(client.ssl), 0);
    const auto retransmission = client.takeOutput();
    ASSERT_FALSE(retransmission.empty());
    server->receive(retransmission, now);
    ASSERT_FALSE(serverEnd.outbox.empty());  // the server answered with its final flight again
    for (const auto& d : serverEnd.outbox) client.give(d);
    EXPECT_TRUE(client.step());
    EXPECT_EQ(server->state(), DtlsTransport::State::Connected);
    EXPECT_EQ(serverEnd.connectedCalls, 1);

    // And both ends exported the same keys.
    std::vector<std::uint8_t> material(60);
    ASSERT_EQ(SSL_export_keying_material(client.ssl, material.data(), material.size(), "EXTRACTOR-dtls_srtp", 19,
                                         nullptr, 0, 0),
              1);
    EXPECT_TRUE(std::equal(serverEnd.keys->clientKey.begin(), serverEnd.keys->clientKey.end(), material.begin()));
    EXPECT_TRUE(std::equal(serverEnd.keys->serverSalt.begin(), serverEnd.keys->serverSalt.end(), material.begin() + 46));
}
