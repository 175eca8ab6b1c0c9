#include "app/ice_flags.hpp"

#include <CLI/CLI.hpp>

namespace parley::app {

namespace {

CLI::Validator urlCheck(std::string (*check)(std::string_view)) {
    return CLI::Validator([check](const std::string& url) { return check(url); }, "URL");
}

}  // namespace

IceFlags::IceFlags(CLI::App& cli, const Environment& environment) {
    cli.add_option("--stun-url", stunUrls_,
                   "STUN server handed to browsers, e.g. stun:stun.example.org:3478 "
                   "(repeatable; default none: host candidates suffice on one machine or LAN)")
        ->check(urlCheck(protocol::checkStunUrl))
        ->option_text("URL ...");
    cli.add_option("--turn-url", turnUrls_,
                   "TURN server handed to browsers with credentials minted per participant, e.g. "
                   "turn:turn.example.org:3478?transport=udp or turns:turn.example.org:5349 "
                   "(repeatable; needs --turn-secret)")
        ->check(urlCheck(protocol::checkTurnUrl))
        ->option_text("URL ...");
    turnSecret_ = environment("PARLEY_TURN_SECRET").value_or("");
    cli.add_option("--turn-secret", turnSecret_,
                   "coturn's static-auth-secret (use-auth-secret): signs the TURN credentials. "
                   "Prefer the environment variable PARLEY_TURN_SECRET: flags show up in process "
                   "listings")
        ->option_text("SECRET");
    cli.add_option("--turn-ttl", turnTtlSeconds_,
                   "TURN credentials stay valid this many SECONDS after a join (longer than a "
                   "meeting: an expired credential cannot refresh its relay)")
        ->check(CLI::Range(60L, 7L * 24 * 60 * 60))
        ->option_text("SECONDS (default 21600 = 6 h)");
    cli.add_option("--ice-transport-policy", transportPolicy_,
                   "relay: browsers connect only through TURN, so participants never learn each "
                   "other's IP addresses (needs --turn-url); all: any path that works")
        ->check(CLI::IsMember({"all", "relay"}))
        ->option_text("all|relay (default all)");
}

std::optional<std::string> IceFlags::apply(protocol::IceConfig& ice) const {
    if (!turnUrls_.empty() && turnSecret_.empty()) {
        return "--turn-url needs --turn-secret or $PARLEY_TURN_SECRET (coturn's static-auth-secret)";
    }
    if (transportPolicy_ == "relay" && turnUrls_.empty()) {
        return "--ice-transport-policy relay needs a TURN server (--turn-url)";
    }
    ice.stunUrls = stunUrls_;
    ice.turnUrls = turnUrls_;
    // A secret without a TURN URL would sign nothing: keep it out of memory it has no use in.
    ice.turnSecret = turnUrls_.empty() ? std::string{} : turnSecret_;
    ice.turnTtlSeconds = turnTtlSeconds_;
    ice.transportPolicy =
        transportPolicy_ == "relay" ? protocol::IceTransportPolicy::Relay : protocol::IceTransportPolicy::All;
    return std::nullopt;
}

}  // namespace parley::app
