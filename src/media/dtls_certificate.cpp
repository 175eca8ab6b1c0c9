#include "media/dtls_certificate.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <cctype>

namespace parley::media {

namespace {

struct CertAlgorithmInfo {
    FingerprintAlgorithm algorithm;
    std::string_view name;
    std::size_t digestLength;
};

constexpr std::array<CertAlgorithmInfo, 4> kCertAlgorithms{{
    {FingerprintAlgorithm::Sha1, "sha-1", 20},
    {FingerprintAlgorithm::Sha256, "sha-256", 32},
    {FingerprintAlgorithm::Sha384, "sha-384", 48},
    {FingerprintAlgorithm::Sha512, "sha-512", 64},
}};

const CertAlgorithmInfo& certAlgorithmInfo(FingerprintAlgorithm algorithm) {
    for (const auto& info : kCertAlgorithms)
        if (info.algorithm == algorithm) return info;
    return kCertAlgorithms[1];
}

const EVP_MD* certDigestMethod(FingerprintAlgorithm algorithm) {
    switch (algorithm) {
    case FingerprintAlgorithm::Sha1: return EVP_sha1();
    case FingerprintAlgorithm::Sha256: return EVP_sha256();
    case FingerprintAlgorithm::Sha384: return EVP_sha384();
    case FingerprintAlgorithm::Sha512: return EVP_sha512();
    }
    return EVP_sha256();
}

bool certEqualsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

int certHexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool certIsSdpSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<CertificateFingerprint> CertificateFingerprint::parse(std::string_view algorithm,
                                                                    std::string_view hex) {
    const CertAlgorithmInfo* info = nullptr;
    for (const auto& candidate : kCertAlgorithms)
        if (certEqualsIgnoringCase(candidate.name, algorithm)) info = &candidate;
    if (info == nullptr) return std::nullopt;
    // Exactly "XX:XX:...:XX": 3 characters a byte less the last colon.
    if (hex.size() != info->digestLength * 3 - 1) return std::nullopt;
    CertificateFingerprint result{info->algorithm, {}};
    result.digest.reserve(info->digestLength);
    for (std::size_t i = 0; i < info->digestLength; ++i) {
        const int high = certHexValue(hex[i * 3]);
        const int low = certHexValue(hex[i * 3 + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        if (i + 1 < info->digestLength && hex[i * 3 + 2] != ':') return std::nullopt;
        result.digest.push_back(static_cast<std::uint8_t>(high * 16 + low));
    }
    return result;
}

std::optional<CertificateFingerprint> CertificateFingerprint::parseAttribute(std::string_view value) {
    std::size_t start = 0;
    while (start < value.size() && certIsSdpSpace(value[start])) ++start;
    std::size_t end = value.size();
    while (end > start && (certIsSdpSpace(value[end - 1]) || value[end - 1] == '\r')) --end;
    value = value.substr(start, end - start);
    const std::size_t space = value.find_first_of(" \t");
    if (space == std::string_view::npos) return std::nullopt;
    std::size_t hexStart = space;
    while (hexStart < value.size() && certIsSdpSpace(value[hexStart])) ++hexStart;
    return parse(value.substr(0, space), value.substr(hexStart));
}

std::string CertificateFingerprint::algorithmName() const {
    return std::string(certAlgorithmInfo(algorithm).name);
}

std::string CertificateFingerprint::hex() const {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(digest.size() * 3);
    for (std::size_t i = 0; i < digest.size(); ++i) {
        if (i != 0) out.push_back(':');
        out.push_back(kDigits[digest[i] >> 4]);
        out.push_back(kDigits[digest[i] & 0x0f]);
    }
    return out;
}

std::string CertificateFingerprint::attributeValue() const { return algorithmName() + " " + hex(); }

std::optional<CertificateFingerprint> fingerprintOf(X509* certificate, FingerprintAlgorithm algorithm) {
    if (certificate == nullptr) return std::nullopt;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(certificate, certDigestMethod(algorithm), digest, &length) != 1) return std::nullopt;
    return CertificateFingerprint{algorithm, std::vector<std::uint8_t>(digest, digest + length)};
}

void DtlsCertificate::KeyFree::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
void DtlsCertificate::X509Free::operator()(X509* certificate) const { X509_free(certificate); }

DtlsCertificate::DtlsCertificate(std::unique_ptr<EVP_PKEY, KeyFree> key,
                                 std::unique_ptr<X509, X509Free> certificate,
                                 CertificateFingerprint fingerprint)
    : key_(std::move(key)), certificate_(std::move(certificate)), fingerprint_(std::move(fingerprint)) {}

DtlsCertificate::~DtlsCertificate() = default;

std::optional<DtlsCertificate> DtlsCertificate::generate(std::int64_t nowUnixSeconds) {
    std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
    if (!key) return std::nullopt;
    std::unique_ptr<X509, X509Free> cert(X509_new());
    if (!cert) return std::nullopt;

    // Version 3 (the field holds version - 1), as browsers' own WebRTC certificates are.
    if (X509_set_version(cert.get(), 2) != 1) return std::nullopt;

    // A random positive serial: some stacks reject a repeated issuer+serial pair between restarts.
    unsigned char serialBytes[8];
    if (RAND_bytes(serialBytes, sizeof serialBytes) != 1) return std::nullopt;
    serialBytes[0] &= 0x7f;
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_bin2bn(serialBytes, sizeof serialBytes, nullptr),
                                                        &BN_free);
    if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr)
        return std::nullopt;

    const auto now = static_cast<time_t>(nowUnixSeconds);
    if (ASN1_TIME_adj(X509_getm_notBefore(cert.get()), now, -30, 0) == nullptr) return std::nullopt;
    if (ASN1_TIME_adj(X509_getm_notAfter(cert.get()), now, 365, 0) == nullptr) return std::nullopt;

    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("parley"),
                                   -1, -1, 0) != 1)
        return std::nullopt;
    if (X509_set_issuer_name(cert.get(), name) != 1) return std::nullopt;
    if (X509_set_pubkey(cert.get(), key.get()) != 1) return std::nullopt;
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) return std::nullopt;

    auto fingerprint = fingerprintOf(cert.get(), FingerprintAlgorithm::Sha256);
    if (!fingerprint) return std::nullopt;
    return DtlsCertificate(std::move(key), std::move(cert), std::move(*fingerprint));
}

}  // namespace parley::media
