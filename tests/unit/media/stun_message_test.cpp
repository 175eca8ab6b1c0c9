#include "media/stun_message.hpp"

#include <gtest/gtest.h>

#include <string>

#include "media/byte_io.hpp"

using namespace parley::media;

namespace stun_message_test {

std::vector<std::uint8_t> fromHex(std::string_view text) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (char c : text) {
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else continue;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    return out;
}

// RFC 5769 section 2 (Copyright (c) 2010 IETF Trust and the persons identified as the document
// authors). Padding of SOFTWARE and USERNAME is 0x20 there, on purpose.
const std::string kPassword = "VOkJxbRl1RmTxUk/WvJxBt";
const StunTransactionId kTid{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

const std::vector<std::uint8_t> kSampleRequest = fromHex(
    "00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
    "00 24 00 04 6e 00 01 ff"
    "80 29 00 08 93 2f f9 b1 51 26 3b 36"
    "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
    "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
    "80 28 00 04 e5 7a 3b cf");

const std::vector<std::uint8_t> kIpv4Response = fromHex(
    "01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
    "00 20 00 08 00 01 a1 47 e1 12 a6 43"
    "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
    "80 28 00 04 c0 7d 4c 96");

const std::vector<std::uint8_t> kIpv6Response = fromHex(
    "01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
    "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
    "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
    "80 28 00 04 c8 fb 0b 4c");

const TransportAddress kRfcIpv4 = TransportAddress::ipv4({192, 0, 2, 1}, 32853);
const TransportAddress kRfcIpv6 = TransportAddress::ipv6(
    {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}, 32853);

}  // namespace stun_message_test

using namespace stun_message_test;

TEST(StunMessage, Crc32MatchesTheStandardCheckValue) {
    const std::string text = "123456789";
    EXPECT_EQ(crc32({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}), 0xCBF43926u);
    EXPECT_EQ(crc32({}), 0u);
}

TEST(StunMessage, Rfc5769SampleRequestParsesAndVerifies) {
    const auto m = parseStunMessage(kSampleRequest);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->isBindingRequest());
    EXPECT_EQ(m->transactionId, kTid);
    EXPECT_EQ(m->software, "STUN test client");
    EXPECT_EQ(m->username, "evtj:h6vY");
    EXPECT_EQ(m->priority, 0x6e0001ffu);
    EXPECT_EQ(m->iceControlled, 0x932ff9b151263b36u);
    EXPECT_FALSE(m->iceControlling);
    EXPECT_FALSE(m->useCandidate);
    EXPECT_EQ(m->messageIntegrityOffset, 20u + 20 + 8 + 12 + 16);
    EXPECT_EQ(m->fingerprintOffset, kSampleRequest.size() - 8);
    EXPECT_TRUE(m->unknownRequiredAttributes.empty());

    EXPECT_TRUE(verifyMessageIntegrity(kSampleRequest, kPassword));
    EXPECT_FALSE(verifyMessageIntegrity(kSampleRequest, "VOkJxbRl1RmTxUk/WvJxBu"));
    EXPECT_FALSE(verifyMessageIntegrity(kSampleRequest, ""));
    EXPECT_TRUE(verifyFingerprint(kSampleRequest));
}

TEST(StunMessage, Rfc5769SampleRequestRebuildsByteForByte) {
    const auto rebuilt = StunMessageBuilder(StunClass::Request, kStunMethodBinding, kTid)
                             .paddingByte(0x20)
                             .addSoftware("STUN test client")
                             .addPriority(0x6e0001ff)
                             .addIceControlled(0x932ff9b151263b36)
                             .addUsername("evtj:h6vY")
                             .addMessageIntegrity(kPassword)
                             .addFingerprint()
                             .take();
    EXPECT_EQ(rebuilt, kSampleRequest);
}

TEST(StunMessage, Rfc5769Ipv4ResponseParsesVerifiesAndRebuilds) {
    const auto m = parseStunMessage(kIpv4Response);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->messageClass, StunClass::SuccessResponse);
    EXPECT_EQ(m->method, kStunMethodBinding);
    EXPECT_EQ(m->software, "test vector");
    EXPECT_EQ(m->xorMappedAddress, kRfcIpv4);
    EXPECT_TRUE(verifyMessageIntegrity(kIpv4Response, kPassword));
    EXPECT_TRUE(verifyFingerprint(kIpv4Response));

    const auto rebuilt = StunMessageBuilder(StunClass::SuccessResponse, kStunMethodBinding, kTid)
                             .paddingByte(0x20)
                             .addSoftware("test vector")
                             .addXorMappedAddress(kRfcIpv4)
                             .addMessageIntegrity(kPassword)
                             .addFingerprint()
                             .take();
    EXPECT_EQ(rebuilt, kIpv4Response);
}

TEST(StunMessage, Rfc5769Ipv6ResponseParsesVerifiesAndRebuilds) {
    const auto m = parseStunMessage(kIpv6Response);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->xorMappedAddress, kRfcIpv6);
    EXPECT_EQ(m->xorMappedAddress->toString(), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
    EXPECT_TRUE(verifyMessageIntegrity(kIpv6Response, kPassword));
    EXPECT_TRUE(verifyFingerprint(kIpv6Response));

    const auto rebuilt = StunMessageBuilder(StunClass::SuccessResponse, kStunMethodBinding, kTid)
                             .paddingByte(0x20)
                             .addSoftware("test vector")
                             .addXorMappedAddress(kRfcIpv6)
                             .addMessageIntegrity(kPassword)
                             .addFingerprint()
                             .take();
    EXPECT_EQ(rebuilt, kIpv6Response);
}

TEST(StunMessage, BindingSuccessCarriesTheMappedAddressSignedAndFingerprinted) {
    for (const auto& mapped : {kRfcIpv4, kRfcIpv6}) {
        const auto bytes = buildBindingSuccess(kTid, mapped, kPassword);
        const auto m = parseStunMessage(bytes);
        ASSERT_TRUE(m);
        EXPECT_EQ(m->messageClass, StunClass::SuccessResponse);
        EXPECT_EQ(m->method, kStunMethodBinding);
        EXPECT_EQ(m->transactionId, kTid);
        EXPECT_EQ(m->xorMappedAddress, mapped);
        EXPECT_TRUE(verifyMessageIntegrity(bytes, kPassword));
        EXPECT_FALSE(verifyMessageIntegrity(bytes, "other"));
        EXPECT_TRUE(verifyFingerprint(bytes));
        // Same layout as RFC 5769 2.2/2.3 without SOFTWARE: XOR-MAPPED-ADDRESS, MI, FP.
        EXPECT_EQ(bytes.size(), mapped.isIpv4() ? 20u + 12 + 24 + 8 : 20u + 24 + 24 + 8);
        EXPECT_EQ(bytes[1], 0x01);  // type 0x0101
    }
}

TEST(StunMessage, BindingRequestAsABrowserSendsIt) {
    BindingRequestParams p;
    p.username = "srvU:brwU";
    p.password = "server-password-24-chars";
    p.priority = 2122260223;
    p.tieBreaker = 0x0102030405060708;
    p.useCandidate = true;
    const auto tid = randomTransactionId();
    const auto bytes = buildBindingRequest(tid, p);
    const auto m = parseStunMessage(bytes);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->isBindingRequest());
    EXPECT_EQ(m->transactionId, tid);
    EXPECT_EQ(m->username, "srvU:brwU");
    EXPECT_EQ(m->priority, 2122260223u);
    EXPECT_EQ(m->iceControlling, 0x0102030405060708u);
    EXPECT_FALSE(m->iceControlled);
    EXPECT_TRUE(m->useCandidate);
    EXPECT_FALSE(m->software);
    EXPECT_TRUE(verifyMessageIntegrity(bytes, p.password));
    EXPECT_TRUE(verifyFingerprint(bytes));

    p.controlling = false;
    p.useCandidate = false;
    p.software = "peer";
    const auto controlled = parseStunMessage(buildBindingRequest(tid, p));
    ASSERT_TRUE(controlled);
    EXPECT_EQ(controlled->iceControlled, 0x0102030405060708u);
    EXPECT_FALSE(controlled->iceControlling);
    EXPECT_FALSE(controlled->useCandidate);
    EXPECT_EQ(controlled->software, "peer");
}

TEST(StunMessage, ErrorResponsesCarryCodeReasonAndIntegrityOnlyWhenAuthenticated) {
    const auto conflict = buildErrorResponse(kTid, kStunMethodBinding, 487, kPassword);
    auto m = parseStunMessage(conflict);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->messageClass, StunClass::ErrorResponse);
    EXPECT_EQ(conflict[0], 0x01);
    EXPECT_EQ(conflict[1], 0x11);
    ASSERT_TRUE(m->errorCode);
    EXPECT_EQ(m->errorCode->code, 487);
    EXPECT_EQ(m->errorCode->reason, "Role Conflict");
    EXPECT_TRUE(verifyMessageIntegrity(conflict, kPassword));
    EXPECT_TRUE(verifyFingerprint(conflict));

    for (int code : {400, 401}) {
        const auto bytes = buildErrorResponse(kTid, kStunMethodBinding, code);
        m = parseStunMessage(bytes);
        ASSERT_TRUE(m);
        EXPECT_EQ(m->errorCode->code, code);
        EXPECT_EQ(m->errorCode->reason, code == 400 ? "Bad Request" : "Unauthorized");
        EXPECT_FALSE(m->messageIntegrityOffset);
        EXPECT_TRUE(verifyFingerprint(bytes));
    }

    const std::vector<std::uint16_t> unknown{0x0031, 0x7777};
    const auto bytes = buildErrorResponse(kTid, kStunMethodBinding, 420, kPassword, unknown);
    m = parseStunMessage(bytes);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->errorCode->code, 420);
    // UNKNOWN-ATTRIBUTES right after ERROR-CODE, whose value (4 + 17 bytes) pads to 24.
    ByteReader r{std::span<const std::uint8_t>(bytes).subspan(20 + 4 + 24)};
    EXPECT_EQ(r.u16(), stun_attribute::kUnknownAttributes);
    EXPECT_EQ(r.u16(), 4);
    EXPECT_EQ(r.u16(), 0x0031);
    EXPECT_EQ(r.u16(), 0x7777);
    EXPECT_TRUE(verifyMessageIntegrity(bytes, kPassword));
}

TEST(StunMessage, ClassAndMethodBitsInterleaveInTheType) {
    const auto bytes = StunMessageBuilder(StunClass::ErrorResponse, 0xFFF, kTid).take();
    EXPECT_EQ(bytes[0], 0x3F);
    EXPECT_EQ(bytes[1], 0xFF);
    const auto m = parseStunMessage(bytes);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->method, 0xFFF);
    EXPECT_EQ(m->messageClass, StunClass::ErrorResponse);

    const auto indication = StunMessageBuilder(StunClass::Indication, kStunMethodBinding, kTid).take();
    EXPECT_EQ(indication[1], 0x11);
    EXPECT_EQ(parseStunMessage(indication)->messageClass, StunClass::Indication);
}

TEST(StunMessage, TamperingBreaksIntegrityAndFingerprint) {
    auto bytes = kSampleRequest;
    bytes[30] ^= 0x01;  // inside SOFTWARE
    ASSERT_TRUE(parseStunMessage(bytes));
    EXPECT_FALSE(verifyMessageIntegrity(bytes, kPassword));
    EXPECT_FALSE(verifyFingerprint(bytes));

    bytes = kSampleRequest;
    bytes.back() ^= 0x80;  // the CRC itself
    EXPECT_TRUE(verifyMessageIntegrity(bytes, kPassword));
    EXPECT_FALSE(verifyFingerprint(bytes));

    // A message without the attributes never verifies.
    const auto bare = StunMessageBuilder(StunClass::Request, kStunMethodBinding, kTid).addUsername("a:b").take();
    EXPECT_FALSE(verifyMessageIntegrity(bare, kPassword));
    EXPECT_FALSE(verifyFingerprint(bare));
}

TEST(StunMessage, MalformedFramingIsRejected) {
    auto mutated = [](auto change) {
        auto bytes = kSampleRequest;
        change(bytes);
        return parseStunMessage(bytes).has_value();
    };
    EXPECT_FALSE(parseStunMessage(std::span(kSampleRequest).first(19)));
    EXPECT_FALSE(parseStunMessage(std::span(kSampleRequest).first(kSampleRequest.size() - 4)));
    EXPECT_FALSE(mutated([](auto& b) { b.push_back(0); }));                // bytes past the length
    EXPECT_FALSE(mutated([](auto& b) { b[0] |= 0x40; }));                  // top bits not zero
    EXPECT_FALSE(mutated([](auto& b) { b[4] = 0x22; }));                   // magic cookie
    EXPECT_FALSE(mutated([](auto& b) { b[3] = 0x57; }));                   // length not a multiple of 4
    EXPECT_FALSE(mutated([](auto& b) { b[23] = 0x11; }));                  // SOFTWARE overruns
    EXPECT_FALSE(mutated([](auto& b) { b[43] = 0x05; }));                  // PRIORITY of 5 bytes
    EXPECT_TRUE(mutated([](auto&) {}));

    // Nothing may follow FINGERPRINT.
    auto withTail = kSampleRequest;
    for (std::uint8_t b : {0x80, 0x22, 0x00, 0x00}) withTail.push_back(b);
    withTail[3] += 4;
    EXPECT_FALSE(parseStunMessage(withTail));
}

TEST(StunMessage, MalformedKnownAttributesAreRejected) {
    auto message = [](std::uint16_t type, std::vector<std::uint8_t> value) {
        return StunMessageBuilder(StunClass::SuccessResponse, kStunMethodBinding, kTid).addAttribute(type, value).take();
    };
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kXorMappedAddress, {0, 3, 0, 0, 1, 2, 3, 4})));
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kXorMappedAddress, {0, 2, 0, 0, 1, 2, 3, 4})));
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kErrorCode, {0, 0, 2, 0})));    // class 2
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kErrorCode, {0, 0, 4, 100})));  // number 100
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kErrorCode, {0, 0, 4})));
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kUseCandidate, {0})));
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kIceControlling, {1, 2, 3, 4})));
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kMessageIntegrity, std::vector<std::uint8_t>(19))));
    EXPECT_FALSE(parseStunMessage(message(stun_attribute::kUsername, std::vector<std::uint8_t>(514, 'a'))));
    EXPECT_TRUE(parseStunMessage(message(stun_attribute::kUsername, std::vector<std::uint8_t>(513, 'a'))));
    const auto error = parseStunMessage(message(stun_attribute::kErrorCode, {0, 0, 6, 99, 'x'}));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->errorCode->code, 699);
    EXPECT_EQ(error->errorCode->reason, "x");
}

TEST(StunMessage, FirstOccurrenceWinsAndUnknownRequiredTypesAreListed) {
    const auto bytes = StunMessageBuilder(StunClass::Request, kStunMethodBinding, kTid)
                           .addUsername("first:one")
                           .addUsername("second:one")
                           .addAttribute(0x0031, std::vector<std::uint8_t>{1})
                           .addAttribute(0xC057, std::vector<std::uint8_t>{0, 1, 0, 0})  // goog-network-info
                           .take();
    const auto m = parseStunMessage(bytes);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->username, "first:one");
    EXPECT_EQ(m->unknownRequiredAttributes, std::vector<std::uint16_t>{0x0031});
}

TEST(StunMessage, AttributesAfterMessageIntegrityAreIgnoredExceptFingerprint) {
    auto b = StunMessageBuilder(StunClass::Request, kStunMethodBinding, kTid);
    b.addUsername("a:b").addMessageIntegrity(kPassword).addUseCandidate().addPriority(7).addAttribute(0x0031, {});
    const auto bytes = b.addFingerprint().take();
    const auto m = parseStunMessage(bytes);
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->useCandidate);
    EXPECT_FALSE(m->priority);
    EXPECT_TRUE(m->unknownRequiredAttributes.empty());
    EXPECT_TRUE(m->fingerprintOffset);
    EXPECT_TRUE(verifyFingerprint(bytes));
    // The HMAC covers only what precedes it, so the request still verifies: appended attributes
    // cannot change what was authenticated, which is why they are ignored.
    EXPECT_TRUE(verifyMessageIntegrity(bytes, kPassword));
}

TEST(StunMessage, RandomTransactionIdsDiffer) {
    EXPECT_NE(randomTransactionId(), randomTransactionId());
}
