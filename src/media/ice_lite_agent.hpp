#pragma once
// The server's side of ICE for one transport (one browser peer connection), as an ICE-lite
// agent (RFC 8445 section 2.5, RFC 8839 "a=ice-lite"): the server has host candidates only,
// sends no checks of its own and is always the controlled agent. The browser, a full agent,
// is controlling: it sends Binding requests, and the one carrying USE-CANDIDATE nominates the
// pair. The server answers each request and sends media to the address it came from.
//
// What a request must pass (RFC 8445 section 7.3, which defers to RFC 8489 section 9.1.3):
//   - not a Binding request (indications, responses, other methods): ignored, nothing sent;
//   - FINGERPRINT present but wrong: not really STUN, dropped silently (absent is tolerated,
//     though RFC 8445 7.2.2 has every check carry one);
//   - no USERNAME or no MESSAGE-INTEGRITY: 400 Bad Request;
//   - USERNAME not "<local ufrag>:<remote ufrag>", or the HMAC does not check out with the
//     local pwd: 401 Unauthorized. This agent answers rather than drops, as RFC 8489 says, so
//     a browser with stale credentials fails fast. 400 and 401 carry no MESSAGE-INTEGRITY;
//   - unknown comprehension-required attributes: 420 with UNKNOWN-ATTRIBUTES;
//   - ICE-CONTROLLED (the peer thinks it is controlled too): 487 Role Conflict. RFC 8445
//     7.3.1.1 would compare tie-breakers, but a lite agent can never take the controlling role,
//     so the peer must switch. 420 and 487 are integrity-protected (the request authenticated).
// Otherwise the answer is a Binding success response with XOR-MAPPED-ADDRESS = the source.
//
// Nomination: a valid request with USE-CANDIDATE selects its source address, and the latest
// nomination wins; so a browser that moves (network change, or after an ICE restart) takes
// the media with it by nominating from the new address.
//
// Consent freshness (RFC 7675): the browser sends a check on the selected pair every ~5 s;
// 30 s with no valid request from the selected address means consent is lost and the
// transport should close. Before any nomination, connectTimedOut() bounds how long a peer
// connection may take to connect.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/ice_credentials.hpp"
#include "media/stun_message.hpp"
#include "media/transport_address.hpp"

namespace parley::media {

struct IceLiteTimeouts {
    std::int64_t consentMs = 30'000;  // RFC 7675 section 5.1
    std::int64_t connectMs = 30'000;
};

class IceLiteAgent {
public:
    using Timeouts = IceLiteTimeouts;

    struct Outcome {
        std::vector<std::uint8_t> reply;  // send to the source when not empty
        bool authenticated = false;       // the request passed USERNAME and MESSAGE-INTEGRITY
        // The request carried USE-CANDIDATE and its source is now the selected address. True on
        // every such request, also when the address was selected already (browsers repeat
        // USE-CANDIDATE): compare with the previous selectedAddress() to see a move.
        bool nominated = false;
    };

    // `local` is what the server put in its SDP, `remoteUfrag` the browser's a=ice-ufrag.
    // nowMs starts the connect timeout.
    IceLiteAgent(IceCredentials local, std::string remoteUfrag, std::int64_t nowMs, Timeouts timeouts = {});

    // `message` must be parseStunMessage(datagram); the datagram is needed to check the HMAC
    // and the CRC over the exact bytes received.
    Outcome handle(const StunMessage& message, std::span<const std::uint8_t> datagram, const TransportAddress& from,
                   std::int64_t nowMs);

    // Where media goes: the source of the latest nomination.
    const std::optional<TransportAddress>& selectedAddress() const { return selected_; }

    // True once a selected address has had no valid request for Timeouts::consentMs.
    bool consentExpired(std::int64_t nowMs) const;
    // True when nothing was nominated within Timeouts::connectMs of construction or the last
    // restart().
    bool connectTimedOut(std::int64_t nowMs) const;

    // ICE restart (RFC 8445 section 9): new credentials on both sides from the new offer and
    // answer. Checks with the old ones now get 401. The selected address stays (media keeps
    // flowing) until a check under the new credentials nominates one; consent keeps ticking.
    void restart(IceCredentials local, std::string remoteUfrag, std::int64_t nowMs);

    // The path `address` is gone (its TCP connection closed). If media went there, nothing is
    // selected any more and the connect timeout starts again: the browser may nominate another
    // pair, or the transport ends as one that never connected.
    void pathClosed(const TransportAddress& address, std::int64_t nowMs);

    const IceCredentials& localCredentials() const { return local_; }
    const std::string& remoteUfrag() const { return remoteUfrag_; }

private:
    IceCredentials local_;
    std::string remoteUfrag_;
    Timeouts timeouts_;
    std::int64_t connectStartMs_;
    bool nominatedSinceStart_ = false;
    std::optional<TransportAddress> selected_;
    std::int64_t lastConsentMs_ = 0;
};

}  // namespace parley::media
