#pragma once
// The server's DTLS identity (RFC 5763): one ECDSA P-256 key and self-signed certificate made at
// start, advertised in SDP as `a=fingerprint:sha-256 AB:CD:...`. WebRTC authenticates the peer by
// comparing the certificate it presents in the handshake with the fingerprint from the signalled
// SDP, so no CA is involved and the certificate itself only needs to be well-formed.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL types, so users of this header need not include OpenSSL.
typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;

namespace parley::media {

enum class FingerprintAlgorithm { Sha1, Sha256, Sha384, Sha512 };

// A certificate fingerprint as SDP carries it (RFC 8122 section 5).
struct CertificateFingerprint {
    FingerprintAlgorithm algorithm = FingerprintAlgorithm::Sha256;
    std::vector<std::uint8_t> digest;

    // `algorithm` is the SDP hash name ("sha-256"; case-insensitive), `hex` the colon-separated
    // digest ("AB:CD:..."; either case). nullopt for an unknown hash (md5 and sha-224 are refused
    // on purpose: browsers never send them), a digest of the wrong length, or bad hex.
    static std::optional<CertificateFingerprint> parse(std::string_view algorithm, std::string_view hex);
    // The value of an a=fingerprint attribute: "sha-256 AB:CD:..." (spaces or tabs between).
    static std::optional<CertificateFingerprint> parseAttribute(std::string_view value);

    std::string algorithmName() const;  // "sha-256"
    std::string hex() const;            // "AB:CD:..." upper case, as SDP writes it
    std::string attributeValue() const; // "sha-256 AB:CD:..."

    friend bool operator==(const CertificateFingerprint&, const CertificateFingerprint&) = default;
};

// The fingerprint of a certificate (nullopt when OpenSSL fails).
std::optional<CertificateFingerprint> fingerprintOf(X509* certificate, FingerprintAlgorithm algorithm);

class DtlsCertificate {
public:
    // A fresh key and certificate (CN "parley", random 64-bit serial) valid from 30 days before
    // `nowUnixSeconds` (peers with a clock behind ours still accept it) to a year after it. The
    // time is an argument so the media code reads no clock. nullopt only if OpenSSL fails.
    static std::optional<DtlsCertificate> generate(std::int64_t nowUnixSeconds);

    DtlsCertificate(DtlsCertificate&&) noexcept = default;
    DtlsCertificate& operator=(DtlsCertificate&&) noexcept = default;
    ~DtlsCertificate();

    // The SHA-256 fingerprint, computed once (what the server puts in its SDP answer).
    const CertificateFingerprint& fingerprint() const { return fingerprint_; }

    // For the DTLS transport: the objects stay owned here (callers up-ref what they keep).
    X509* x509() const { return certificate_.get(); }
    EVP_PKEY* privateKey() const { return key_.get(); }

private:
    struct KeyFree { void operator()(EVP_PKEY* key) const; };
    struct X509Free { void operator()(X509* certificate) const; };

    DtlsCertificate(std::unique_ptr<EVP_PKEY, KeyFree> key, std::unique_ptr<X509, X509Free> certificate,
                    CertificateFingerprint fingerprint);

    std::unique_ptr<EVP_PKEY, KeyFree> key_;
    std::unique_ptr<X509, X509Free> certificate_;
    CertificateFingerprint fingerprint_;
};

}  // namespace parley::media
