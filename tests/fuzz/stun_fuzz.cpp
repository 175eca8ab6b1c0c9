// Any datagram: parseStunMessage() must accept or refuse without crashing, what it accepts must
// be self-consistent, and an IceLiteAgent fed with it must answer only with well-formed STUN
// and select an address only for an authenticated nomination. Since the fuzzer cannot forge
// an HMAC, each parsed request is also re-signed with the agent's password and fed again, so
// the authenticated paths (nomination, 420, 487, consent) are reached too.
#include <cstdlib>
#include <string>

#include "media/ice_lite_agent.hpp"
#include "media/stun_message.hpp"

using namespace parley::media;

namespace {

const IceCredentials kFuzzLocal{"fuzzSrv1", "fuzz-server-password-123"};
const std::string kFuzzRemoteUfrag = "fuzzPeer";
const TransportAddress kFuzzFromV4 = TransportAddress::ipv4({203, 0, 113, 7}, 50000);
const TransportAddress kFuzzFromV6 =
    TransportAddress::ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}, 60000);

void check(bool condition) {
    if (!condition) std::abort();
}

void checkReply(const IceLiteAgent::Outcome& out, const StunMessage& request, const TransportAddress& from) {
    if (out.nominated) check(out.authenticated);
    if (out.reply.empty()) return;
    const auto reply = parseStunMessage(out.reply);
    check(reply.has_value());
    check(reply->transactionId == request.transactionId);
    check(verifyFingerprint(out.reply));
    if (reply->messageClass == StunClass::SuccessResponse) {
        check(out.authenticated);
        check(reply->xorMappedAddress == from);
        check(verifyMessageIntegrity(out.reply, kFuzzLocal.pwd));
    } else {
        check(reply->messageClass == StunClass::ErrorResponse && reply->errorCode.has_value());
        const int code = reply->errorCode->code;
        check(code == 400 || code == 401 || code == 420 || code == 487);
        check(out.authenticated == (code == 420 || code == 487));
        check(!out.nominated);
    }
}

void feed(IceLiteAgent& agent, std::span<const std::uint8_t> datagram, const TransportAddress& from,
          std::int64_t nowMs) {
    const auto message = parseStunMessage(datagram);
    if (!message) return;
    const auto before = agent.selectedAddress();
    const auto out = agent.handle(*message, datagram, from, nowMs);
    checkReply(out, *message, from);
    if (out.nominated) {
        check(agent.selectedAddress() == from);
        check(!agent.consentExpired(nowMs));
    } else {
        check(agent.selectedAddress() == before);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const std::uint8_t> datagram(data, size);
    const auto message = parseStunMessage(datagram);
    const bool integrity = verifyMessageIntegrity(datagram, kFuzzLocal.pwd);
    const bool fingerprint = verifyFingerprint(datagram);
    if (!message) {
        check(!integrity && !fingerprint);
        return 0;
    }
    check(size == kStunHeaderSize + (std::size_t{data[2]} << 8 | data[3]));
    if (message->messageIntegrityOffset) check(*message->messageIntegrityOffset + 24 <= size);
    if (message->fingerprintOffset) check(*message->fingerprintOffset + 8 == size);
    if (integrity) check(message->messageIntegrityOffset.has_value());
    if (fingerprint) check(message->fingerprintOffset.has_value());

    const TransportAddress& from = (size & 1) ? kFuzzFromV6 : kFuzzFromV4;
    IceLiteAgent agent(kFuzzLocal, kFuzzRemoteUfrag, 0);
    feed(agent, datagram, from, 1000);

    // The same request as an authentic browser would sign it.
    if (message->username) {
        BindingRequestParams params;
        params.username = *message->username;
        params.password = kFuzzLocal.pwd;
        params.priority = message->priority.value_or(0);
        params.controlling = !message->iceControlled.has_value();
        params.tieBreaker = message->iceControlled.value_or(message->iceControlling.value_or(0));
        params.useCandidate = message->useCandidate;
        params.software = message->software.value_or("");
        const auto signedRequest = buildBindingRequest(message->transactionId, params);
        const auto again = parseStunMessage(signedRequest);
        check(again.has_value() && again->username == message->username);
        check(again->useCandidate == message->useCandidate);
        check(verifyMessageIntegrity(signedRequest, kFuzzLocal.pwd) && verifyFingerprint(signedRequest));
        feed(agent, signedRequest, from, 2000);
        const bool valid = *message->username == kFuzzLocal.ufrag + ":" + kFuzzRemoteUfrag && !message->iceControlled;
        if (valid && message->useCandidate) check(agent.selectedAddress() == from);
        check(agent.consentExpired(2000 + 30'000) == agent.selectedAddress().has_value());
    }
    return 0;
}
