#pragma once
// The flags that say which STUN/TURN servers browsers use: --stun-url, --turn-url,
// --turn-secret ($PARLEY_TURN_SECRET), --turn-ttl, --ice-transport-policy. Apart from the rest of
// the configuration because they are checked together (TURN needs its secret, relay needs TURN).
#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "protocol/ice_servers.hpp"

namespace CLI {
class App;
}

namespace parley::app {

class IceFlags {
public:
    // Registers the flags on `cli`; the TURN secret defaults to $PARLEY_TURN_SECRET.
    IceFlags(CLI::App& cli, const Environment& environment);

    // After parsing: fills `ice`, or says what is wrong (for "parley: <message>").
    std::optional<std::string> apply(protocol::IceConfig& ice) const;
    // The TURN secret from --turn-secret-file, which wins over $PARLEY_TURN_SECRET.
    void useTurnSecret(std::string secret) { turnSecret_ = std::move(secret); }
    bool turnSecretSet() const { return !turnSecret_.empty(); }

private:
    std::vector<std::string> stunUrls_;
    std::vector<std::string> turnUrls_;
    std::string turnSecret_;
    long turnTtlSeconds_ = 6 * 60 * 60;
    std::string transportPolicy_ = "all";
};

}  // namespace parley::app
