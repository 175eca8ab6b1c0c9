#pragma once
// One DTLS-SRTP endpoint (RFC 5763/5764) without sockets or clocks.
//
// The UDP layer hands it the DTLS datagrams of one ICE pair (receive) and sends whatever it
// produces (Listener::onDtlsSend); time comes in as `nowMs`. When the handshake is done and the
// peer's certificate matched the fingerprint from its SDP, Listener::onDtlsConnected gets the
// negotiated SRTP profile and the exported master keys, ready for SrtpSession.
//
// Roles: the SFU answers with a=setup:passive and is the DTLS server; the client role exists for
// the test peer that plays a browser. DTLS 1.2 only (what Chromium and Firefox speak).
//
// Retransmission runs on the injected clock. OpenSSL 3.0's own DTLS timer reads the real clock
// (gettimeofday) and DTLS_set_timer_cb only chooses its durations, and OpenSSL checks that timer
// inside every read, so it cannot be driven from outside. The transport therefore pushes
// OpenSSL's timer out of reach (an hour) and resends the last flight itself, datagram for
// datagram, when nextTimeoutMs() passes. A peer that lost the flight accepts the copy; a peer
// that had it drops it as a record replay and retransmits its own flight on its own timer.
// The one case this cannot recover is in the client role: the client's Finished flight arrives
// but the server's final flight (ChangeCipherSpec, Finished) is lost. The server, already done,
// drops our copy as a replay and never answers, so the handshake times out (checked by hand).
// The server role, Parley's, does not have that case: a browser client retransmits its
// Finished with fresh record numbers and OpenSSL answers it with the server's final flight
// (ServerResendsItsLostFinalFlightWhenTheClientRetransmits in the tests).
#include "media/dtls_certificate.hpp"
#include "media/srtp_session.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace parley::media {

enum class DtlsRole { Client, Server };

class DtlsTransport {
public:
    // Called from inside start/receive/handleTimeout/close. A callback must not destroy the
    // transport; it may call state() and the other const members.
    class Listener {
    public:
        virtual ~Listener() = default;
        // One UDP payload to send to the peer (at most Options::mtu bytes).
        virtual void onDtlsSend(std::span<const std::uint8_t> datagram) = 0;
        // Once: handshake done, the peer's certificate matched, an SRTP profile was agreed.
        virtual void onDtlsConnected(const SrtpKeyingMaterial& keys) = 0;
        // Once, instead of onDtlsConnected or after it: the handshake failed or timed out, or
        // the peer sent a fatal alert. Nothing is sent or accepted any more.
        virtual void onDtlsFailed(std::string_view reason) = 0;
        // The peer sent close_notify (our own close() does not call this).
        virtual void onDtlsClosed() = 0;
    };

    enum class State { New, Connecting, Connected, Failed, Closed };

    struct Options {
        // Largest datagram produced. 1200 fits any path WebRTC runs on (IPv6 minimum 1280 less
        // headers, TURN overhead) so handshake flights are never IP-fragmented.
        std::size_t mtu = 1200;
        // RFC 6347 section 4.2.4.1: start at 1 s, double per loss, cap at a minute; our cap is
        // lower because a call that cannot finish its handshake in half a minute has failed.
        std::int64_t initialRetransmitMs = 1000;
        std::int64_t maxRetransmitMs = 8000;
        // From start() (or the first datagram for a server) to onDtlsFailed("handshake timed out").
        std::int64_t handshakeTimeoutMs = 30000;
        // Offer SRTP_AEAD_AES_128_GCM before SRTP_AES128_CM_SHA1_80; ignored when
        // srtpSupportsAeadGcm() is false.
        bool offerAeadGcm = true;
    };

    // nullptr only when OpenSSL cannot set the endpoint up. `expectedRemote` is the peer's
    // a=fingerprint: the handshake fails with a bad_certificate alert when the certificate the
    // peer presents does not match it. The certificate and listener must outlive the transport.
    static std::unique_ptr<DtlsTransport> create(DtlsRole role, const DtlsCertificate& certificate,
                                                 CertificateFingerprint expectedRemote, Listener& listener,
                                                 Options options);
    static std::unique_ptr<DtlsTransport> create(DtlsRole role, const DtlsCertificate& certificate,
                                                 CertificateFingerprint expectedRemote, Listener& listener);
    ~DtlsTransport();
    DtlsTransport(const DtlsTransport&) = delete;
    DtlsTransport& operator=(const DtlsTransport&) = delete;

    // Client: sends the ClientHello. Server: starts the handshake timeout and waits; a datagram
    // that arrives before start() starts it too (the browser may speak first). Once only.
    void start(std::int64_t nowMs);
    // One DTLS datagram from the peer (RFC 7983: first byte 20..63). Ignored by a client not
    // yet started and once Failed/Closed.
    void receive(std::span<const std::uint8_t> datagram, std::int64_t nowMs);
    // When handleTimeout should next be called; nullopt when nothing is pending.
    std::optional<std::int64_t> nextTimeoutMs() const;
    // Retransmits the last flight or fails the handshake when their time has come.
    void handleTimeout(std::int64_t nowMs);
    // Sends close_notify when connected; the transport is Closed afterwards either way.
    void close();

    State state() const { return state_; }
    DtlsRole role() const { return role_; }
    // Set once connected.
    const std::optional<SrtpKeyingMaterial>& keys() const { return keys_; }

    // A received datagram bigger than this is dropped unread: no DTLS record is (2^14 plus
    // expansion), so it is garbage, and it bounds what one call can make OpenSSL buffer.
    static constexpr std::size_t kMaxDatagram = 18 * 1024;

private:
    DtlsTransport(DtlsRole role, CertificateFingerprint expectedRemote, Listener& listener, Options options);
    bool setUp(const DtlsCertificate& certificate);

    void advance(std::int64_t nowMs);
    void finishHandshake();
    void readApplicationData();
    void flushOutput(std::int64_t nowMs);
    void fail(std::string reason);
    std::string openSslReason(std::string_view what);

    friend struct DtlsTransportAccess;  // OpenSSL callbacks (dtls_transport.cpp)

    DtlsRole role_;
    CertificateFingerprint expectedRemote_;
    Listener& listener_;
    Options options_;
    State state_ = State::New;

    SSL_CTX* context_ = nullptr;
    SSL* ssl_ = nullptr;
    BIO* input_ = nullptr;  // owned by ssl_

    // Records OpenSSL wrote during the current call, packed into datagrams at its end.
    std::vector<std::vector<std::uint8_t>> pendingRecords_;
    std::size_t pendingBytes_ = 0;
    // The datagrams of our last handshake flight, resent verbatim on timeout.
    std::vector<std::vector<std::uint8_t>> lastFlight_;
    std::optional<std::int64_t> retransmitAtMs_;
    std::int64_t retransmitIntervalMs_ = 0;
    std::optional<std::int64_t> handshakeDeadlineMs_;

    std::string verifyFailure_;  // why the peer certificate was refused
    std::optional<std::string> pendingFailure_;  // reported at the end of the current call
    bool closedByPeer_ = false;
    std::optional<SrtpKeyingMaterial> keys_;
};

}  // namespace parley::media
