#include "media/dtls_transport.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <mutex>

namespace parley::media {

namespace {

// OpenSSL's own retransmission timer (real clock) is set this far out so that it never fires
// within a handshake: the injected clock drives retransmission instead (see the header).
constexpr unsigned int kOpenSslTimerOutOfReachUs = 3600u * 1000u * 1000u;

// A flight of ours is a few KB at most; anything beyond this in one call is OpenSSL misbehaving
// and is dropped rather than buffered.
constexpr std::size_t kMaxPendingOutput = 256 * 1024;

// The peer's certificate plus chain; browsers send ~500 bytes, so 16 KB bounds what a hostile
// peer can make OpenSSL reassemble.
constexpr long kMaxPeerCertificateList = 16 * 1024;

constexpr std::string_view kSrtpExporterLabel = "EXTRACTOR-dtls_srtp";

// ECDHE only (forward secrecy), AEAD first. The RSA suites are for the client role facing an
// RSA-keyed server such as `openssl s_server`; browsers pick the ECDSA ones.
constexpr const char* kDtlsCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";

}  // namespace

// Gives OpenSSL's C callbacks access to the transport's private state.
struct DtlsTransportAccess {
    static int write(BIO* bio, const char* data, int length) {
        auto* transport = static_cast<DtlsTransport*>(BIO_get_data(bio));
        if (transport == nullptr || length < 0) return -1;
        const auto size = static_cast<std::size_t>(length);
        // Claim success when over the bound: a failed write would make OpenSSL fail the
        // handshake, a dropped record is only a loss that retransmission repairs.
        if (transport->pendingBytes_ + size <= kMaxPendingOutput) {
            const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
            transport->pendingRecords_.emplace_back(bytes, bytes + size);
            transport->pendingBytes_ += size;
        }
        return length;
    }

    static long control(BIO*, int command, long, void*) {
        switch (command) {
        case BIO_CTRL_FLUSH: return 1;
        // No MTU discovery here: the MTU is set explicitly (SSL_OP_NO_QUERY_MTU).
        case BIO_CTRL_DGRAM_QUERY_MTU:
        case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        case BIO_CTRL_WPENDING:
        case BIO_CTRL_PENDING:
        default: return 0;
        }
    }

    static int create(BIO* bio) {
        BIO_set_init(bio, 1);
        return 1;
    }

    static int verify(int, X509_STORE_CTX* store) {
        // Only the peer's own certificate is authenticated, by fingerprint; its chain (if it
        // sends one) and the self-signature error OpenSSL reports carry no meaning in WebRTC.
        if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
        auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
        auto* transport = ssl ? static_cast<DtlsTransport*>(SSL_get_app_data(ssl)) : nullptr;
        if (transport == nullptr) return 0;
        const auto actual =
            fingerprintOf(X509_STORE_CTX_get_current_cert(store), transport->expectedRemote_.algorithm);
        if (!actual || *actual != transport->expectedRemote_) {
            transport->verifyFailure_ = "peer certificate does not match the fingerprint from its SDP";
            // Maps to a bad_certificate alert (the pending self-signed error would say unknown_ca).
            X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
            return 0;
        }
        return 1;
    }

    static unsigned int timer(SSL*, unsigned int) { return kOpenSslTimerOutOfReachUs; }
};

namespace {

// Built once and never changed: OpenSSL wants a BIO_METHOD that outlives every BIO using it.
const BIO_METHOD* datagramOutputMethod() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "parley dtls output");
        if (m == nullptr) return m;
        BIO_meth_set_write(m, &DtlsTransportAccess::write);
        BIO_meth_set_ctrl(m, &DtlsTransportAccess::control);
        BIO_meth_set_create(m, &DtlsTransportAccess::create);
        return m;
    }();
    return method;
}

std::optional<SrtpProfile> srtpProfileFromId(unsigned long id) {
    if (id == SRTP_AES128_CM_SHA1_80) return SrtpProfile::Aes128CmSha1_80;
    if (id == SRTP_AEAD_AES_128_GCM) return SrtpProfile::AeadAes128Gcm;
    return std::nullopt;
}

}  // namespace

DtlsTransport::DtlsTransport(DtlsRole role, CertificateFingerprint expectedRemote, Listener& listener,
                             Options options)
    : role_(role), expectedRemote_(std::move(expectedRemote)), listener_(listener), options_(options) {}

DtlsTransport::~DtlsTransport() {
    SSL_free(ssl_);  // frees both BIOs
    SSL_CTX_free(context_);
}

std::unique_ptr<DtlsTransport> DtlsTransport::create(DtlsRole role, const DtlsCertificate& certificate,
                                                     CertificateFingerprint expectedRemote, Listener& listener) {
    return create(role, certificate, std::move(expectedRemote), listener, Options{});
}

std::unique_ptr<DtlsTransport> DtlsTransport::create(DtlsRole role, const DtlsCertificate& certificate,
                                                     CertificateFingerprint expectedRemote, Listener& listener,
                                                     Options options) {
    options.mtu = std::clamp<std::size_t>(options.mtu, 576, 16384);
    std::unique_ptr<DtlsTransport> transport(new DtlsTransport(role, std::move(expectedRemote), listener, options));
    if (!transport->setUp(certificate)) return nullptr;
    return transport;
}

bool DtlsTransport::setUp(const DtlsCertificate& certificate) {
    ERR_clear_error();
    // A context per transport: it holds nothing shared, and keeps transports independent.
    context_ = SSL_CTX_new(DTLS_method());
    if (context_ == nullptr) return false;
    if (SSL_CTX_set_min_proto_version(context_, DTLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(context_, DTLS1_2_VERSION) != 1)
        return false;
    if (SSL_CTX_use_certificate(context_, certificate.x509()) != 1 ||
        SSL_CTX_use_PrivateKey(context_, certificate.privateKey()) != 1 ||
        SSL_CTX_check_private_key(context_) != 1)
        return false;
    if (SSL_CTX_set_cipher_list(context_, kDtlsCipherList) != 1) return false;
    SSL_CTX_set_options(context_, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                                      SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_session_cache_mode(context_, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_max_cert_list(context_, kMaxPeerCertificateList);
    // The server asks for the client's certificate too: both sides are authenticated by
    // fingerprint (RFC 5763 section 5).
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &DtlsTransportAccess::verify);
    const bool gcm = options_.offerAeadGcm && srtpSupportsAeadGcm();
    // Returns 0 on success (unlike most of OpenSSL).
    if (SSL_CTX_set_tlsext_use_srtp(context_, gcm ? "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"
                                                   : "SRTP_AES128_CM_SHA1_80") != 0)
        return false;

    ssl_ = SSL_new(context_);
    if (ssl_ == nullptr) return false;
    SSL_set_app_data(ssl_, this);

    input_ = BIO_new(BIO_s_mem());
    const BIO_METHOD* method = datagramOutputMethod();
    BIO* output = method ? BIO_new(method) : nullptr;
    if (input_ == nullptr || output == nullptr) {
        BIO_free(input_);
        BIO_free(output);
        input_ = nullptr;
        return false;
    }
    // An empty input means "no datagram yet" (retry), not end of stream.
    BIO_set_mem_eof_return(input_, -1);
    BIO_set_data(output, this);
    SSL_set_bio(ssl_, input_, output);

    // Returns the MTU it set, or 0 when below the DTLS minimum.
    if (SSL_set_mtu(ssl_, static_cast<long>(options_.mtu)) <= 0) return false;
    DTLS_set_timer_cb(ssl_, &DtlsTransportAccess::timer);
    if (role_ == DtlsRole::Client)
        SSL_set_connect_state(ssl_);
    else
        SSL_set_accept_state(ssl_);
    return true;
}

void DtlsTransport::start(std::int64_t nowMs) {
    if (state_ != State::New) return;
    state_ = State::Connecting;
    handshakeDeadlineMs_ = nowMs + options_.handshakeTimeoutMs;
    retransmitIntervalMs_ = options_.initialRetransmitMs;
    if (role_ == DtlsRole::Client) advance(nowMs);
}

void DtlsTransport::receive(std::span<const std::uint8_t> datagram, std::int64_t nowMs) {
    // The browser may send its ClientHello before the server's owner calls start(); a client
    // has nothing to answer before it has spoken.
    if (state_ == State::New && role_ == DtlsRole::Server) start(nowMs);
    if (state_ != State::Connecting && state_ != State::Connected) return;
    if (datagram.empty() || datagram.size() > kMaxDatagram) return;
    // One datagram at a time in the input BIO, so OpenSSL sees datagram boundaries.
    (void)BIO_reset(input_);
    if (BIO_write(input_, datagram.data(), static_cast<int>(datagram.size())) != static_cast<int>(datagram.size()))
        return;
    advance(nowMs);
    // Whatever OpenSSL did not take (a record cut short) must not merge with the next datagram.
    (void)BIO_reset(input_);
}

void DtlsTransport::advance(std::int64_t nowMs) {
    if (state_ == State::Connecting) {
        ERR_clear_error();
        const int result = SSL_do_handshake(ssl_);
        if (result == 1) {
            flushOutput(nowMs);  // our final flight before the keys are announced
            finishHandshake();
            // Records that came in the same datagram as the peer's Finished.
            if (state_ == State::Connected) readApplicationData();
            flushOutput(nowMs);
            return;
        }
        const int error = SSL_get_error(ssl_, result);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
            fail(verifyFailure_.empty() ? openSslReason("handshake failed") : verifyFailure_);
        flushOutput(nowMs);
        return;
    }
    if (state_ == State::Connected) {
        readApplicationData();
        flushOutput(nowMs);
    }
}

void DtlsTransport::finishHandshake() {
    retransmitAtMs_.reset();
    handshakeDeadlineMs_.reset();
    lastFlight_.clear();

    // The verify callback already refused a mismatch; checking again here keeps that guarantee
    // even if OpenSSL skipped the callback for some path (e.g. a peer sending no certificate).
    X509* peer = SSL_get0_peer_certificate(ssl_);
    const auto actual = fingerprintOf(peer, expectedRemote_.algorithm);
    if (!actual || *actual != expectedRemote_) {
        fail(peer ? "peer certificate does not match the fingerprint from its SDP" : "peer sent no certificate");
        return;
    }

    const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);
    const auto profile = selected ? srtpProfileFromId(selected->id) : std::nullopt;
    if (!profile) {
        fail("no SRTP protection profile agreed (use_srtp)");
        return;
    }

    const std::size_t keyLength = srtpMasterKeyLength(*profile);
    const std::size_t saltLength = srtpMasterSaltLength(*profile);
    std::array<std::uint8_t, 2 * (16 + 14)> material{};
    const std::size_t total = 2 * (keyLength + saltLength);
    if (SSL_export_keying_material(ssl_, material.data(), total, kSrtpExporterLabel.data(),
                                   kSrtpExporterLabel.size(), nullptr, 0, 0) != 1) {
        fail(openSslReason("keying material export failed"));
        return;
    }
    // RFC 5764 section 4.2: client_write_SRTP_master_key | server_write_SRTP_master_key |
    // client_write_SRTP_master_salt | server_write_SRTP_master_salt.
    SrtpKeyingMaterial keys;
    keys.profile = *profile;
    const auto* at = material.data();
    keys.clientKey.assign(at, at + keyLength);
    at += keyLength;
    keys.serverKey.assign(at, at + keyLength);
    at += keyLength;
    keys.clientSalt.assign(at, at + saltLength);
    at += saltLength;
    keys.serverSalt.assign(at, at + saltLength);
    std::fill(material.begin(), material.end(), 0);

    keys_ = std::move(keys);
    state_ = State::Connected;
    listener_.onDtlsConnected(*keys_);
}

void DtlsTransport::readApplicationData() {
    // Parley carries no data over DTLS (no data channels): application data is read and dropped,
    // which is also how alerts such as close_notify get processed.
    std::array<std::uint8_t, 2048> buffer;
    for (;;) {
        ERR_clear_error();
        const int result = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
        if (result > 0) continue;
        const int error = SSL_get_error(ssl_, result);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
        if (error == SSL_ERROR_ZERO_RETURN) {
            // Answer the close_notify as TLS asks; then nothing more is processed.
            (void)SSL_shutdown(ssl_);
            state_ = State::Closed;
            closedByPeer_ = true;  // reported by flushOutput, after our close_notify went out
            return;
        }
        fail(openSslReason("connection failed"));
        return;
    }
}

void DtlsTransport::flushOutput(std::int64_t nowMs) {
    if (!pendingRecords_.empty()) {
        // Pack whole records into datagrams of at most mtu bytes (RFC 6347 4.1.1 allows several
        // records per datagram); OpenSSL already cut each record to fit the mtu.
        std::vector<std::vector<std::uint8_t>> datagrams;
        for (auto& record : pendingRecords_) {
            if (!datagrams.empty() && datagrams.back().size() + record.size() <= options_.mtu)
                datagrams.back().insert(datagrams.back().end(), record.begin(), record.end());
            else
                datagrams.push_back(std::move(record));
        }
        pendingRecords_.clear();
        pendingBytes_ = 0;

        // While handshaking, new output with OpenSSL's timer armed is a flight awaiting the
        // peer's answer: keep it for retransmission, with a fresh interval.
        timeval unused{};
        if (state_ == State::Connecting && DTLSv1_get_timeout(ssl_, &unused) == 1) {
            lastFlight_ = datagrams;
            retransmitIntervalMs_ = options_.initialRetransmitMs;
            retransmitAtMs_ = nowMs + retransmitIntervalMs_;
        }
        for (const auto& datagram : datagrams) listener_.onDtlsSend(datagram);
    }
    if (state_ == State::Connecting) {
        // OpenSSL stops its timer when the peer's next flight is complete: nothing to resend.
        timeval unused{};
        if (DTLSv1_get_timeout(ssl_, &unused) != 1) {
            lastFlight_.clear();
            retransmitAtMs_.reset();
        }
    }
    // Failure and close are reported last, once the alert that goes with them is sent.
    if (pendingFailure_) {
        const std::string reason = std::move(*pendingFailure_);
        pendingFailure_.reset();
        listener_.onDtlsFailed(reason);
    }
    if (closedByPeer_) {
        closedByPeer_ = false;
        listener_.onDtlsClosed();
    }
}

std::optional<std::int64_t> DtlsTransport::nextTimeoutMs() const {
    if (state_ != State::Connecting) return std::nullopt;
    if (retransmitAtMs_ && handshakeDeadlineMs_) return std::min(*retransmitAtMs_, *handshakeDeadlineMs_);
    return retransmitAtMs_ ? retransmitAtMs_ : handshakeDeadlineMs_;
}

void DtlsTransport::handleTimeout(std::int64_t nowMs) {
    if (state_ != State::Connecting) return;
    if (handshakeDeadlineMs_ && nowMs >= *handshakeDeadlineMs_) {
        fail("handshake timed out");
        flushOutput(nowMs);
        return;
    }
    if (retransmitAtMs_ && nowMs >= *retransmitAtMs_) {
        retransmitIntervalMs_ = std::min(retransmitIntervalMs_ * 2, options_.maxRetransmitMs);
        retransmitAtMs_ = nowMs + retransmitIntervalMs_;
        for (const auto& datagram : lastFlight_) listener_.onDtlsSend(datagram);
    }
}

void DtlsTransport::close() {
    if (state_ == State::Connected) {
        ERR_clear_error();
        (void)SSL_shutdown(ssl_);
        state_ = State::Closed;
        flushOutput(0);
    }
    state_ = State::Closed;
    retransmitAtMs_.reset();
    handshakeDeadlineMs_.reset();
    lastFlight_.clear();
}

void DtlsTransport::fail(std::string reason) {
    if (state_ == State::Failed || state_ == State::Closed) return;
    state_ = State::Failed;
    retransmitAtMs_.reset();
    handshakeDeadlineMs_.reset();
    lastFlight_.clear();
    pendingFailure_ = std::move(reason);
}

std::string DtlsTransport::openSslReason(std::string_view what) {
    std::string reason(what);
    if (const unsigned long code = ERR_peek_last_error(); code != 0) {
        std::array<char, 256> text{};
        ERR_error_string_n(code, text.data(), text.size());
        reason += ": ";
        reason += text.data();
    }
    ERR_clear_error();
    return reason;
}

}  // namespace parley::media
