#include "media/ice_lite_agent.hpp"

#include <utility>

namespace parley::media {

IceLiteAgent::IceLiteAgent(IceCredentials local, std::string remoteUfrag, std::int64_t nowMs, Timeouts timeouts)
    : local_(std::move(local)), remoteUfrag_(std::move(remoteUfrag)), timeouts_(timeouts), connectStartMs_(nowMs) {}

IceLiteAgent::Outcome IceLiteAgent::handle(const StunMessage& message, std::span<const std::uint8_t> datagram,
                                           const TransportAddress& from, std::int64_t nowMs) {
    Outcome outcome;
    if (!message.isBindingRequest()) return outcome;
    if (message.fingerprintOffset && !verifyFingerprint(datagram)) return outcome;

    const auto& tid = message.transactionId;
    if (!message.username || !message.messageIntegrityOffset) {
        outcome.reply = buildErrorResponse(tid, kStunMethodBinding, 400);
        return outcome;
    }
    const auto names = parseStunUsername(*message.username);
    if (!names || names->local != local_.ufrag || names->remote != remoteUfrag_ ||
        !verifyMessageIntegrity(datagram, local_.pwd)) {
        outcome.reply = buildErrorResponse(tid, kStunMethodBinding, 401);
        return outcome;
    }
    outcome.authenticated = true;
    if (!message.unknownRequiredAttributes.empty()) {
        outcome.reply = buildErrorResponse(tid, kStunMethodBinding, 420, local_.pwd, message.unknownRequiredAttributes);
        return outcome;
    }
    if (message.iceControlled) {
        outcome.reply = buildErrorResponse(tid, kStunMethodBinding, 487, local_.pwd);
        return outcome;
    }

    if (message.useCandidate) {
        selected_ = from;
        nominatedSinceStart_ = true;
        outcome.nominated = true;
    }
    // Only checks on the selected pair prove the media path still works.
    if (selected_ && *selected_ == from) lastConsentMs_ = nowMs;
    outcome.reply = buildBindingSuccess(tid, from, local_.pwd);
    return outcome;
}

bool IceLiteAgent::consentExpired(std::int64_t nowMs) const {
    return selected_ && nowMs - lastConsentMs_ >= timeouts_.consentMs;
}

bool IceLiteAgent::connectTimedOut(std::int64_t nowMs) const {
    return !nominatedSinceStart_ && nowMs - connectStartMs_ >= timeouts_.connectMs;
}

void IceLiteAgent::pathClosed(const TransportAddress& address, std::int64_t nowMs) {
    if (!selected_ || *selected_ != address) return;
    selected_.reset();
    connectStartMs_ = nowMs;
    nominatedSinceStart_ = false;
}

void IceLiteAgent::restart(IceCredentials local, std::string remoteUfrag, std::int64_t nowMs) {
    local_ = std::move(local);
    remoteUfrag_ = std::move(remoteUfrag);
    connectStartMs_ = nowMs;
    nominatedSinceStart_ = false;
}

}  // namespace parley::media
