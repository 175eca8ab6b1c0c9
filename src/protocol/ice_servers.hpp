#pragma once
// The ICE servers each participant's browser gets in `joined`: STUN URLs as configured, and the
// TURN URLs with credentials minted for that participant at that moment (coturn's
// `use-auth-secret` scheme), so a leaked credential expires and names whom it was given to.
// Pure: the caller passes the time.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::protocol {

// What browsers may use to reach each other: every candidate, or only TURN relays (hides
// participants' addresses from each other; needs a TURN server).
enum class IceTransportPolicy { All, Relay };
std::string_view toString(IceTransportPolicy policy);

struct IceConfig {
    std::vector<std::string> stunUrls;
    std::vector<std::string> turnUrls;
    std::string turnSecret;  // coturn's static-auth-secret; never logged
    std::int64_t turnTtlSeconds = 6 * 60 * 60;
    IceTransportPolicy transportPolicy = IceTransportPolicy::All;
};

// The iceServers JSON array for one participant at `nowSeconds` (Unix time):
// [] | [{"urls":[stun...]}] | [..., {"urls":[turn...],"username":"<expiry>:<id>","credential":"..."}]
std::string iceServersJson(const IceConfig& config, std::string_view participantId, std::int64_t nowSeconds);

// Checks a URL for --stun-url / --turn-url (RFC 7064/7065: scheme:host[:port], TURN may add
// ?transport=udp|tcp). Empty when fine, else what is wrong, for the operator.
std::string checkStunUrl(std::string_view url);
std::string checkTurnUrl(std::string_view url);

}  // namespace parley::protocol
