#pragma once
// The server's configuration from its command line and environment.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/redis_url.hpp"
#include "net/server_options.hpp"

namespace parley::app {

enum class LogFormat { Text, Json };

// The forwarding server (--topology forward|auto): its UDP (and TCP) ports and what it announces.
struct MediaOptions {
    std::uint16_t firstPort = 40000;  // worker i listens on firstPort + i
    std::size_t workers = 1;
    std::string bindAddress = "0.0.0.0";
    std::vector<std::string> announcedAddresses;  // --media-ip; empty: main picks them (media_addresses.hpp)
    bool tcp = true;                              // --media-tcp: ICE-TCP on the same port numbers
};

// Several nodes sharing Redis (--redis). Without it, one node as before.
struct ClusterOptions {
    std::optional<cluster::RedisEndpoint> redis;
    std::string redisUrlForLogs;  // the URL with its password masked
    std::string nodeId;           // --node-id, else a random one drawn at start
};

struct Config {
    net::ServerOptions server;
    MediaOptions media;
    ClusterOptions cluster;
    std::optional<std::filesystem::path> portFile;
    std::string logLevel = "info";
    LogFormat logFormat = LogFormat::Text;
};

// Looks up an environment variable; injectable so tests need not touch the real environment.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment processEnvironment();

struct ListenAddress {
    std::string host;
    std::uint16_t port;
};

// "HOST:PORT", "[IPv6]:PORT"; nullopt when malformed.
std::optional<ListenAddress> parseListenAddress(const std::string& text);

// The default for --listen: $HOST/$PORT when set (PORT alone binds 0.0.0.0, as cloud
// platforms expect), otherwise 127.0.0.1:8080.
std::string defaultListen(const Environment& environment);

// The first line of a secret file (--token-secret-file etc.), trailing blanks and CR removed;
// or why it cannot be used.
struct SecretFileResult {
    std::optional<std::string> value;
    std::string problem;
    static SecretFileResult success(std::string secret) { return {std::move(secret), {}}; }
    static SecretFileResult failure(std::string why) { return {std::nullopt, std::move(why)}; }
    explicit operator bool() const { return value.has_value(); }
    std::string& operator*() { return *value; }
    const std::string& error() const { return problem; }
};
SecretFileResult readSecretFile(const std::filesystem::path& file);

// A --config text (CLI11's config_to_str) that reads back as a --config: unset options and
// secrets (those `set`, masked) become comments, so the text never carries a secret nor sets
// one to the mask.
// `partlySecret` names settings with a secret inside (the --redis URL's password): their
// value is shown through the given function, which masks that part; when it did mask
// something, the line is a comment too.
using PartMask = std::function<std::string(const std::string& value)>;
std::string maskSecrets(const std::string& configText,
                        const std::vector<std::pair<std::string, bool>>& secrets,
                        const std::vector<std::pair<std::string, PartMask>>& partlySecret = {});

// Either a configuration to run with, or the exit code to leave with right away
// (0 after --help/--version, non-zero on a bad flag; the message is already printed).
struct ParseResult {
    std::optional<Config> config;
    int exitCode = 0;
};
ParseResult parseCommandLine(int argc, const char* const* argv, const Environment& environment);

}  // namespace parley::app
