#include "media/dtls_certificate.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include <ctime>

using parley::media::CertificateFingerprint;
using parley::media::DtlsCertificate;
using parley::media::FingerprintAlgorithm;

namespace {

constexpr std::int64_t kCertTestNow = 1'800'000'000;  // 2027-01-15

std::int64_t certTimeSeconds(const ASN1_TIME* time) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(time, &tm) != 1) return -1;
    return static_cast<std::int64_t>(timegm(&tm));
}

std::string certCommonName(X509_NAME* name) {
    char buffer[64] = {};
    X509_NAME_get_text_by_NID(name, NID_commonName, buffer, sizeof buffer);
    return buffer;
}

}  // namespace

TEST(DtlsCertificate, IsASelfSignedP256CertificateNamedParley) {
    auto certificate = DtlsCertificate::generate(kCertTestNow);
    ASSERT_TRUE(certificate);
    X509* x509 = certificate->x509();
    EXPECT_EQ(EVP_PKEY_get_base_id(certificate->privateKey()), EVP_PKEY_EC);
    EXPECT_EQ(EVP_PKEY_get_bits(certificate->privateKey()), 256);
    EXPECT_EQ(X509_get_version(x509), 2);  // v3
    EXPECT_EQ(X509_verify(x509, certificate->privateKey()), 1);
    EXPECT_EQ(certCommonName(X509_get_subject_name(x509)), "parley");
    EXPECT_EQ(certCommonName(X509_get_issuer_name(x509)), "parley");
    EXPECT_EQ(certTimeSeconds(X509_get0_notBefore(x509)), kCertTestNow - 30 * 86400);
    EXPECT_EQ(certTimeSeconds(X509_get0_notAfter(x509)), kCertTestNow + 365 * 86400);
}

TEST(DtlsCertificate, SerialAndKeyDifferEachTime) {
    auto a = DtlsCertificate::generate(kCertTestNow);
    auto b = DtlsCertificate::generate(kCertTestNow);
    ASSERT_TRUE(a && b);
    EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a->x509()), X509_get0_serialNumber(b->x509())), 0);
    EXPECT_NE(a->fingerprint(), b->fingerprint());
}

TEST(DtlsCertificate, FingerprintIsSha256OfTheCertificateWrittenAsSdpDoes) {
    auto certificate = DtlsCertificate::generate(kCertTestNow);
    ASSERT_TRUE(certificate);
    const auto& fingerprint = certificate->fingerprint();
    EXPECT_EQ(fingerprint.algorithm, FingerprintAlgorithm::Sha256);
    ASSERT_EQ(fingerprint.digest.size(), 32u);

    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    ASSERT_EQ(X509_digest(certificate->x509(), EVP_sha256(), expected, &length), 1);
    EXPECT_EQ(fingerprint.digest, std::vector<std::uint8_t>(expected, expected + length));

    const std::string hex = fingerprint.hex();
    ASSERT_EQ(hex.size(), 32u * 3 - 1);
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i % 3 == 2)
            EXPECT_EQ(hex[i], ':');
        else
            EXPECT_TRUE((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'A' && hex[i] <= 'F')) << hex;
    }
    EXPECT_EQ(fingerprint.attributeValue(), "sha-256 " + hex);
    EXPECT_EQ(CertificateFingerprint::parseAttribute(fingerprint.attributeValue()), fingerprint);
}

TEST(CertificateFingerprint, ParsesWhatBrowsersWrite) {
    const std::string chrome =
        "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3D:C6:F7:3E:E6:A2:D5:C1:0F:16:85:8F";
    const auto parsed = CertificateFingerprint::parseAttribute(chrome);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->algorithm, FingerprintAlgorithm::Sha256);
    EXPECT_EQ(parsed->digest.front(), 0x4a);
    EXPECT_EQ(parsed->digest.back(), 0x8f);
    EXPECT_EQ(parsed->attributeValue(), chrome);

    // Upper-case hash name and lower-case hex, tabs and a trailing CR are tolerated.
    const auto loose = CertificateFingerprint::parseAttribute(
        "\tSHA-256\t4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab:3d:c6:f7:3e:e6:a2:d5:c1:0f:16:85:8f\r");
    EXPECT_EQ(loose, parsed);
}

TEST(CertificateFingerprint, AcceptsTheOtherShaFamilies) {
    const auto sha1 = CertificateFingerprint::parse("sha-1", "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33");
    ASSERT_TRUE(sha1);
    EXPECT_EQ(sha1->algorithm, FingerprintAlgorithm::Sha1);
    EXPECT_EQ(sha1->algorithmName(), "sha-1");

    std::string hex48;
    for (int i = 0; i < 48; ++i) hex48 += (i ? ":AB" : "AB");
    EXPECT_TRUE(CertificateFingerprint::parse("sha-384", hex48));
    std::string hex64;
    for (int i = 0; i < 64; ++i) hex64 += (i ? ":0f" : "0f");
    EXPECT_TRUE(CertificateFingerprint::parse("sha-512", hex64));

    // The same bytes under another hash are another fingerprint.
    auto a = *CertificateFingerprint::parse("sha-384", hex48);
    auto b = a;
    b.algorithm = FingerprintAlgorithm::Sha512;
    EXPECT_NE(a, b);
}

TEST(CertificateFingerprint, RefusesMalformedValues) {
    const std::string good = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
    ASSERT_TRUE(CertificateFingerprint::parse("sha-256", good));
    EXPECT_FALSE(CertificateFingerprint::parse("md5", good.substr(0, 47)));
    EXPECT_FALSE(CertificateFingerprint::parse("sha-224", good.substr(0, 83)));
    EXPECT_FALSE(CertificateFingerprint::parse("sha256", good));
    EXPECT_FALSE(CertificateFingerprint::parse("sha-256", good.substr(0, good.size() - 3)));  // 31 bytes
    EXPECT_FALSE(CertificateFingerprint::parse("sha-256", good + ":00"));                    // 33 bytes
    std::string badHex = good;
    badHex[4] = 'G';
    EXPECT_FALSE(CertificateFingerprint::parse("sha-256", badHex));
    std::string badSeparator = good;
    badSeparator[2] = '-';
    EXPECT_FALSE(CertificateFingerprint::parse("sha-256", badSeparator));
    EXPECT_FALSE(CertificateFingerprint::parseAttribute("sha-256"));
    EXPECT_FALSE(CertificateFingerprint::parseAttribute(""));
    EXPECT_FALSE(CertificateFingerprint::parseAttribute("sha-256 " + good + " extra"));
}
