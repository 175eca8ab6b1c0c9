#include "app/config.hpp"

#include <boost/asio/ip/address_v4.hpp>

#include "app/ice_flags.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "auth/host_policy.hpp"
#include "auth/origin_policy.hpp"
#include "auth/proxy_policy.hpp"
#include "cluster/node_id.hpp"
#include "cluster/redis_url.hpp"

namespace parley::app {

Environment processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') return std::nullopt;
        return std::string(value);
    };
}

std::optional<ListenAddress> parseListenAddress(const std::string& text) {
    std::string host;
    std::string port;
    if (text.starts_with('[')) {
        const auto close = text.find("]:");
        if (close == std::string::npos) return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string::npos) return std::nullopt;  // IPv6 needs brackets
    }
    unsigned value = 0;
    const auto* end = port.data() + port.size();
    const auto [stop, error] = std::from_chars(port.data(), end, value);
    if (host.empty() || port.empty() || error != std::errc{} || stop != end || value > 65535) {
        return std::nullopt;
    }
    return ListenAddress{host, static_cast<std::uint16_t>(value)};
}

std::string defaultListen(const Environment& environment) {
    const auto host = environment("HOST");
    const auto port = environment("PORT");
    if (!host && !port) return "127.0.0.1:8080";
    std::string hostText = host ? *host : "0.0.0.0";
    if (hostText.find(':') != std::string::npos) hostText = "[" + hostText + "]";
    return hostText + ":" + (port ? *port : "8080");
}

SecretFileResult readSecretFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return SecretFileResult::failure("cannot be read");
    std::string secret;
    std::getline(in, secret);
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ' || secret.back() == '\t')) {
        secret.pop_back();
    }
    if (secret.empty()) return SecretFileResult::failure("its first line is empty");
    return SecretFileResult::success(std::move(secret));
}

std::string maskSecrets(const std::string& configText,
                        const std::vector<std::pair<std::string, bool>>& secrets,
                        const std::vector<std::pair<std::string, PartMask>>& partlySecret) {
    std::istringstream in(configText);
    std::string out;
    std::string line;
    while (std::getline(in, line)) {
        const auto equals = line.find('=');
        std::string key = equals == std::string::npos ? std::string{} : line.substr(0, equals);
        while (!key.empty() && key.back() == ' ') key.pop_back();
        if (key == "config" || key == "dump-config") continue;  // not settings
        const std::string value = equals == std::string::npos ? std::string{} : line.substr(equals + 1);
        const auto secret = std::find_if(secrets.begin(), secrets.end(),
                                         [&](const auto& entry) { return entry.first == key; });
        if (secret != secrets.end()) {
            // A comment either way, so that this text read back as a --config never sets a
            // secret, let alone to "********" (its -file flag, if any, is a line of its own).
            out += "# " + key + "=" + (secret->second ? "******** (set, not shown)" : "") + '\n';
            continue;
        }
        const auto partly = std::find_if(partlySecret.begin(), partlySecret.end(),
                                         [&](const auto& entry) { return entry.first == key; });
        if (partly != partlySecret.end() && value.size() > 2 && value.front() == '"' && value.back() == '"') {
            const std::string plain = value.substr(1, value.size() - 2);
            const std::string masked = partly->second(plain);
            // Masked, it is a comment like a secret: read back, it must not set the mask.
            out += masked == plain ? line + '\n' : "# " + key + "=\"" + masked + "\" (secret part not shown)\n";
            continue;
        }
        if (value == "\"\"" || value == "\"[]\"" || value == "[]") {
            // Unset: shown, but as a comment, since an empty path or list would not read back.
            out += "# " + key + "=\n";
            continue;
        }
        out += line + '\n';
    }
    return out;
}

ParseResult parseCommandLine(int argc, const char* const* argv, const Environment& environment) {
    CLI::App cli{"parley " PARLEY_VERSION
                 " - self-hosted video meetings: serves the web client and carries the "
                 "WebRTC signaling of its rooms.",
                 "parley"};
    cli.set_version_flag("--version", "parley " PARLEY_VERSION);
    cli.get_formatter()->column_width(40);
    // Every option remembers its value before parsing (its default, or what the environment
    // gave), so --dump-config can print the effective configuration.
    cli.option_defaults()->always_capture_default();
    cli.allow_config_extras(CLI::config_extras_mode::error);  // a misspelt setting stops the start
    cli.set_config("--config", "",
                   "Read flags from this TOML file, one `flag-name = value` a line without the "
                   "dashes (lists as [\"a\", \"b\"]); flags on the command line win")
        ->option_text("FILE");
    bool dumpConfig = false;
    cli.add_flag("--dump-config", dumpConfig,
                 "Print the effective configuration (flags, --config file, environment) as a "
                 "--config file, secrets masked, and exit");

    Config config;
    auto& server = config.server;
    std::string listen = defaultListen(environment);
    cli.add_option("--listen", listen,
                   "HOST:PORT to serve on ([::1]:PORT for IPv6; PORT 0 picks a free port). "
                   "Default: $HOST/$PORT when set (PORT alone binds 0.0.0.0), else 127.0.0.1:8080")
        ->option_text("HOST:PORT (now " + listen + ")");
    cli.add_option("--port-file", config.portFile,
                   "Once listening, write the bound port number to FILE (for tests and scripts)")
        ->option_text("FILE");

    std::string tlsCert;
    std::string tlsKey;
    auto* certOption = cli.add_option("--tls-cert", tlsCert,
                                      "PEM certificate chain: serve HTTPS and WSS instead of HTTP")
                           ->check(CLI::ExistingFile)
                           ->option_text("FILE (needs --tls-key)");
    auto* keyOption = cli.add_option("--tls-key", tlsKey, "PEM private key for --tls-cert")
                          ->check(CLI::ExistingFile)
                          ->option_text("FILE (needs --tls-cert)");
    certOption->needs(keyOption);
    keyOption->needs(certOption);
    std::optional<std::uint16_t> redirectHttpPort;
    cli.add_option("--redirect-http-port", redirectHttpPort,
                   "With --tls-cert: also listen for plain HTTP on this port (e.g. 80) and redirect every "
                   "request (308) to the same path on HTTPS (--public-url, else the request's host)")
        ->needs(certOption)
        ->check(CLI::Range(1, 65535))
        ->option_text("PORT");
    std::string acmeChallengeDir;
    cli.add_option("--acme-challenge-dir", acmeChallengeDir,
                   "With --redirect-http-port: answer ACME HTTP-01 challenges (/.well-known/acme-challenge/) "
                   "from the files certbot --webroot writes here, so renewals work while parley holds port 80")
        ->check(CLI::ExistingDirectory)
        ->option_text("DIR");

    cli.add_option("--log-level", config.logLevel, "Least severe messages to log")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
        ->option_text("trace|debug|info|warn|error|off (default info)");
    std::string logFormat = "text";
    cli.add_option("--log-format", logFormat,
                   "text for people, json for one JSON object per line (time, level, msg)")
        ->check(CLI::IsMember({"text", "json"}))
        ->option_text("text|json (default text)");

    cli.add_option("--max-room-size", server.rooms.maxRoomSize,
                   "Most participants one room admits")
        ->check(CLI::Range(2, 50))
        ->option_text("N (2-50, default 50; 6 with --topology mesh)");
    std::string topology = "auto";
    cli.add_option("--topology", topology,
                   "How media flows: auto (peer to peer for two, through this server from three), "
                   "forward (always through this server), mesh (every browser to every other; rooms "
                   "of at most 6, and no media port)")
        ->check(CLI::IsMember({"mesh", "forward", "auto"}))
        ->option_text("auto|forward|mesh (default auto)");
    auto& media = config.media;
    cli.add_option("--media-port", media.firstPort,
                   "With --topology forward or auto: the UDP port media arrives on (one per media worker, "
                   "from this one up; 0: any free ports)")
        ->check(CLI::Range(0, 65535))
        ->option_text("PORT (default 40000)");
    cli.add_option("--media-workers", media.workers, "Media threads, each with its own UDP port")
        ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
        ->option_text("N (default 1)");
    cli.add_option("--media-ip", media.announcedAddresses,
                   "The IPv4 address browsers reach the media ports on, written into the server's SDP "
                   "(the public address of a VM behind 1:1 NAT). Repeatable. Default: the --media-bind "
                   "address, or when that is every address, the machine's interface addresses and 127.0.0.1")
        ->option_text("IPV4 ...");
    cli.add_option("--media-bind", media.bindAddress, "The address the media UDP sockets (and TCP listeners) bind")
        ->option_text("ADDRESS (default 0.0.0.0)");
    std::string mediaTcp = "on";
    cli.add_option("--media-tcp", mediaTcp,
                   "Also take media over TCP on each media port number (ICE-TCP, a passive candidate ranked "
                   "below UDP): for browsers on networks that block UDP")
        ->check(CLI::IsMember({"on", "off"}))
        ->option_text("on|off (default on)");
    cli.add_option("--max-rooms", server.rooms.maxRooms,
                   "Most rooms open at once; a join that would open one more is refused "
                   "(server-full)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
        ->option_text("N (default " + std::to_string(server.rooms.maxRooms) + ")");
    cli.add_option("--max-connections-per-ip", server.limits.maxConnectionsPerAddress,
                   "Most open connections (HTTP or WebSocket) from one client address; beyond, "
                   "a new one is closed as soon as it is accepted. A browser holds up to ~7, so "
                   "leave room for offices behind one NAT")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
        ->option_text("N (default " + std::to_string(server.limits.maxConnectionsPerAddress) + ")");
    auto& perAddress = server.rooms.perAddress;
    perAddress = core::AddressLimits{64, 16, 30, 30};
    cli.add_option("--max-seats-per-ip", perAddress.maxSeats,
                   "Most places in rooms and waiting lines held from one client address, those "
                   "kept for a dropped connection (--resume-grace) included; beyond, join gets "
                   "too-many-seats")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
        ->option_text("N (default " + std::to_string(perAddress.maxSeats) + ")");
    cli.add_option("--max-rooms-per-ip", perAddress.maxRooms,
                   "Most open rooms opened from one client address; beyond, a join that would "
                   "open another gets too-many-rooms")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
        ->option_text("N (default " + std::to_string(perAddress.maxRooms) + ")");
    cli.add_option("--new-rooms-per-minute", perAddress.newRoomsPerMinute,
                   "Rooms one client address may open a minute (as many back to back); joins "
                   "that would open more get too-many-rooms with retryAfterMs. Probing for rooms "
                   "by name opens one each time, so this bounds the guessing")
        ->check(CLI::Range(1.0, 1'000'000.0))
        ->option_text("N (default 30)");
    auto& rate = server.gateway.messageRate;
    cli.add_option("--message-rate", rate.perSecond,
                   "Messages per second one WebSocket may send on average; one over gets the "
                   "error rate-limited and is dropped (0: no limit)")
        ->check(CLI::Range(0.0, 100'000.0))
        ->option_text("N (default 50)");
    cli.add_option("--message-burst", rate.burst,
                   "Messages one WebSocket may send back to back before --message-rate applies")
        ->check(CLI::Range(1.0, 100'000.0))
        ->option_text("N (default 100)");
    cli.add_option("--flood-limit", rate.floodAfter,
                   "Rate-limited messages in a row after which the WebSocket is closed (4003)")
        ->check(CLI::Range(1u, 1'000'000u))
        ->option_text("N (default 100)");
    std::vector<std::string> allowedHosts;
    cli.add_option("--allowed-host", allowedHosts,
                   "Host name the server answers to, e.g. meet.example.org (repeatable; * for "
                   "any). IP addresses, localhost and the DNS names of the --tls-cert "
                   "certificate are always allowed; a request naming another host gets 421 "
                   "host-not-allowed (a guard against DNS rebinding)")
        ->check(
            [](const std::string& host) -> std::string {
                return auth::isValidAllowedHost(host) ? std::string{} : "a host name, or *";
            },
            "HOST")
        ->option_text("HOST ...");
    std::vector<std::string> trustedProxies;
    cli.add_option("--trusted-proxy", trustedProxies,
                   "Address or network (CIDR) of a reverse proxy in front of Parley, e.g. "
                   "127.0.0.1 for nginx on the same host (repeatable). From these peers the "
                   "client address, which every per-address limit counts by, is read from "
                   "--forwarded-header (the rightmost address that is not a trusted proxy), and "
                   "their connections are counted per request instead of at accept; from anyone "
                   "else the header is ignored")
        ->check(
            [](const std::string& range) -> std::string {
                return auth::parseAddressRange(range) ? std::string{}
                                                      : "an IP address or ADDRESS/PREFIX";
            },
            "ADDRESS|CIDR")
        ->option_text("ADDRESS|CIDR ...");
    std::string forwardedHeader = "x-forwarded-for";
    cli.add_option("--forwarded-header", forwardedHeader,
                   "The header the --trusted-proxy proxies set: x-forwarded-for (nginx's "
                   "$proxy_add_x_forwarded_for) or forwarded (RFC 7239). Only this one is read: "
                   "a proxy passes the other on as the client wrote it")
        ->check(CLI::IsMember({"x-forwarded-for", "forwarded"}, CLI::ignore_case))
        ->option_text("x-forwarded-for|forwarded (default x-forwarded-for)");
    std::string publicUrl;
    cli.add_option("--public-url", publicUrl,
                   "The address people open, e.g. https://meet.example.org or "
                   "https://meet.example.org:8443 behind a proxy: its origin may open the "
                   "WebSocket and its host name is answered to, whatever Host the proxy passes")
        ->check(
            [](const std::string& url) -> std::string {
                return auth::normalizeOrigin(url) ? std::string{}
                                                  : "http(s)://HOST[:PORT], with no path";
            },
            "URL")
        ->option_text("URL");
    std::string redisUrl = environment("PARLEY_REDIS_URL").value_or("");
    cli.add_option("--redis", redisUrl,
                   "Run as one node of several sharing this Redis (6.2 or later): redis://[[USER]:PASSWORD@]"
                   "HOST[:PORT][/DB]. The node announces itself and its load every 2 s (GET /admin/cluster "
                   "lists the nodes). Prefer the environment variable PARLEY_REDIS_URL when the URL holds a "
                   "password. Default: none, one node on its own")
        ->option_text("URL");
    std::string nodeId;
    cli.add_option("--node-id", nodeId,
                   "This node's name in the cluster (1-64 of A-Z a-z 0-9 . _ -), e.g. the host name; give "
                   "each node its own. Default: a random node-<16 hex digits> at each start")
        ->check(
            [](const std::string& id) -> std::string {
                return cluster::isValidNodeId(id) ? std::string{} : "1-64 characters of A-Z a-z 0-9 . _ -";
            },
            "ID")
        ->option_text("ID");
    std::vector<std::string> allowedOrigins;
    cli.add_option("--allowed-origin", allowedOrigins,
                   "Web page origin, besides the server's own, allowed to open the signaling "
                   "WebSocket, e.g. https://meet.example.org (repeatable; * allows any). "
                   "Requests without Origin (not browsers) are always allowed")
        ->check(
            [](const std::string& origin) -> std::string {
                if (origin == "*" || auth::normalizeOrigin(origin)) return {};
                return "an origin is http(s)://HOST[:PORT] with no path, or *";
            },
            "ORIGIN")
        ->option_text("ORIGIN ...");
    long handshakeSeconds = server.limits.handshakeTimeout.count();
    cli.add_option("--handshake-timeout", handshakeSeconds,
                   "Close a connection that has not completed its TLS handshake and first HTTP "
                   "request (e.g. the WebSocket upgrade) within this many SECONDS")
        ->check(CLI::Range(1L, 300L))
        ->option_text("SECONDS (default " + std::to_string(handshakeSeconds) + ")");
    long idleSeconds = server.limits.idleTimeout.count();
    cli.add_option("--idle-timeout", idleSeconds,
                   "Close a WebSocket (code 4000) that sent nothing for this many SECONDS")
        ->check(CLI::Range(1L, 86'400L))
        ->option_text("SECONDS (default 45)");
    long resumeGraceSeconds = static_cast<long>(server.rooms.resumeGraceMs / 1000);
    cli.add_option("--resume-grace", resumeGraceSeconds,
                   "Keep a dropped participant's place this many SECONDS so they can resume "
                   "(0: a dropped connection leaves at once)")
        ->check(CLI::Range(0L, 3'600L))
        ->option_text("SECONDS (default " + std::to_string(resumeGraceSeconds) + ")");
    long drainSeconds = 0;
    cli.add_option("--drain-seconds", drainSeconds,
                   "On SIGTERM, first answer /ready with 503 for this many SECONDS while open "
                   "calls (and whoever still arrives) carry on, so a load balancer that polls "
                   "/ready sends no one new; then close the listener and every WebSocket (1001). "
                   "Longer than the balancer's check interval times its failure threshold; the "
                   "service manager's stop timeout must cover it plus ~11 s. A second signal "
                   "ends the drain at once")
        ->check(CLI::Range(0L, 3'600L))
        ->option_text("SECONDS (default 0: close at once)");
    IceFlags ice(cli, environment);
    server.gateway.tokenSecret = environment("PARLEY_TOKEN_SECRET").value_or("");
    cli.add_option("--token-secret", server.gateway.tokenSecret,
                   "Secret that signs room invitation tokens (HS256). Prefer the environment "
                   "variable PARLEY_TOKEN_SECRET: flags show up in process listings")
        ->option_text("SECRET");
    std::string tokenSecretFile;
    cli.add_option("--token-secret-file", tokenSecretFile,
                   "Read the token secret from FILE (its first line), e.g. a root-owned 0600 "
                   "file or a systemd credential; instead of --token-secret")
        ->check(CLI::ExistingFile)
        ->option_text("FILE");
    cli.add_flag("--require-token", server.gateway.requireToken,
                 "Every join needs a valid invitation token (needs a token secret)");
    server.adminToken = environment("PARLEY_ADMIN_TOKEN").value_or("");
    cli.add_option("--admin-token", server.adminToken,
                   "Bearer token for the operator endpoints (/admin/rooms/<room>/trace, POST "
                   "/admin/tokens). Prefer "
                   "the environment variable PARLEY_ADMIN_TOKEN. Default: none, and the endpoints "
                   "answer 404")
        ->option_text("TOKEN");
    std::string adminTokenFile;
    cli.add_option("--admin-token-file", adminTokenFile,
                   "Read the admin token from FILE (its first line); instead of --admin-token")
        ->check(CLI::ExistingFile)
        ->option_text("FILE");
    std::string turnSecretFile;
    cli.add_option("--turn-secret-file", turnSecretFile,
                   "Read the TURN secret from FILE (its first line); instead of --turn-secret")
        ->check(CLI::ExistingFile)
        ->option_text("FILE");
    cli.add_flag("--io-uring", server.ioUring,
                 "Hold plain-TCP WebSocket connections in io_uring rings (registered descriptors, "
                 "Linux 6.0+) instead of the process's file table, so the server keeps more "
                 "connections than its open-file limit. Where the kernel refuses io_uring, "
                 "connections use epoll as without this flag");
    cli.add_flag("--test-hooks", server.testHooks,
                 "Enable the test-only endpoints (POST /test/drop?room=R&participant=P cuts a "
                 "participant's socket). For automated tests only; never in production");
    cli.add_option("--web-root", server.webRoot,
                   "Serve the web client from this directory instead of the embedded copy "
                   "(development: edits show on reload)")
        ->check(CLI::ExistingDirectory)
        ->option_text("DIR");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return {std::nullopt, cli.exit(error)};
    }
    const auto readSecret = [&](const std::string& file, const char* flag, const char* direct,
                                std::string& into) -> bool {
        if (file.empty()) return true;
        if (cli.count(direct) > 0) {
            std::cerr << "parley: give " << direct << " or " << flag << ", not both\n";
            return false;
        }
        auto secret = readSecretFile(file);
        if (!secret) {
            std::cerr << "parley: " << flag << " " << file << ": " << secret.error() << '\n';
            return false;
        }
        into = std::move(*secret);
        return true;
    };
    std::string turnSecret;
    if (!readSecret(tokenSecretFile, "--token-secret-file", "--token-secret",
                    server.gateway.tokenSecret) ||
        !readSecret(adminTokenFile, "--admin-token-file", "--admin-token", server.adminToken) ||
        !readSecret(turnSecretFile, "--turn-secret-file", "--turn-secret", turnSecret)) {
        return {std::nullopt, 2};
    }
    if (!turnSecretFile.empty()) ice.useTurnSecret(std::move(turnSecret));

    const auto address = parseListenAddress(listen);
    if (!address) {
        std::cerr << "parley: invalid listen address \"" << listen
                  << "\" (expected HOST:PORT; check --listen, $HOST and $PORT)\n";
        return {std::nullopt, 2};
    }
    if (server.gateway.requireToken && server.gateway.tokenSecret.empty()) {
        std::cerr << "parley: --require-token needs --token-secret or $PARLEY_TOKEN_SECRET\n";
        return {std::nullopt, 2};
    }
    if (auto problem = ice.apply(server.gateway.ice)) {
        std::cerr << "parley: " << *problem << '\n';
        return {std::nullopt, 2};
    }
    server.host = address->host;
    server.port = address->port;
    server.rooms.topology.mode = topology == "forward" ? core::TopologyMode::Forward
                                 : topology == "auto"  ? core::TopologyMode::Auto
                                                       : core::TopologyMode::Mesh;
    if (server.rooms.topology.mode != core::TopologyMode::Mesh && cli.count("--max-room-size") == 0) {
        server.rooms.maxRoomSize = 50;  // forwarded rooms carry a class
        // So that --dump-config prints what will run.
        cli.get_option("--max-room-size")->default_str("50");
    }
    for (const auto& ip : media.announcedAddresses) {
        boost::system::error_code bad;
        if (boost::asio::ip::make_address_v4(ip, bad); bad) {
            std::cerr << "parley: --media-ip \"" << ip << "\" is not an IPv4 address\n";
            return {std::nullopt, 2};
        }
    }
    if (!tlsCert.empty()) server.tls = net::TlsFiles{tlsCert, tlsKey};
    server.redirectHttpPort = redirectHttpPort;
    if (!acmeChallengeDir.empty()) {
        if (!redirectHttpPort) {
            std::cerr << "parley: --acme-challenge-dir needs --redirect-http-port\n";
            return {std::nullopt, 2};
        }
        server.acmeChallengeDir = std::filesystem::path(acmeChallengeDir) / ".well-known" / "acme-challenge";
    }
    config.logFormat = logFormat == "json" ? LogFormat::Json : LogFormat::Text;
    media.tcp = mediaTcp == "on";
    server.limits.idleTimeout = std::chrono::seconds(idleSeconds);
    server.limits.handshakeTimeout = std::chrono::seconds(handshakeSeconds);
    server.drainTime = std::chrono::seconds(drainSeconds);
    perAddress.newRoomsBurst = perAddress.newRoomsPerMinute;
    for (std::string host : allowedHosts) {
        std::transform(host.begin(), host.end(), host.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        server.hosts.allowed.push_back(std::move(host));
    }
    for (const auto& origin : allowedOrigins) {
        server.origins.allowed.push_back(origin == "*" ? origin : *auth::normalizeOrigin(origin));
    }
    for (const auto& range : trustedProxies) {
        server.proxies.trusted.push_back(*auth::parseAddressRange(range));
    }
    server.proxies.header = forwardedHeader == "forwarded" ? auth::ForwardedHeader::Forwarded
                                                           : auth::ForwardedHeader::XForwardedFor;
    if (!publicUrl.empty()) {
        const auto origin = *auth::normalizeOrigin(publicUrl);
        server.origins.allowed.push_back(origin);
        server.hosts.allowed.push_back(*auth::hostNameOf(origin.substr(origin.find("://") + 3)));
        server.publicUrl = origin;
    }
    server.rooms.resumeGraceMs = static_cast<std::int64_t>(resumeGraceSeconds) * 1000;
    if (!redisUrl.empty()) {
        auto parsed = cluster::parseRedisUrl(redisUrl);
        if (!parsed) {
            std::cerr << "parley: " << (cli.count("--redis") > 0 ? "--redis" : "PARLEY_REDIS_URL") << " "
                      << cluster::maskRedisUrl(redisUrl) << ": " << parsed.error.message << " ("
                      << parsed.error.code << ")\n";
            return {std::nullopt, 2};
        }
        config.cluster.redis = std::move(parsed.endpoint);
        config.cluster.redisUrlForLogs = cluster::maskRedisUrl(redisUrl);
    }
    config.cluster.nodeId = nodeId;
    if (dumpConfig) {
        // After every check: what is printed is what would run, and reads back as a --config.
        std::cout << maskSecrets(cli.config_to_str(true, false),
                                 {{"token-secret", !server.gateway.tokenSecret.empty()},
                                  {"admin-token", !server.adminToken.empty()},
                                  {"turn-secret", ice.turnSecretSet()}},
                                 {{"redis", [](const std::string& value) { return cluster::maskRedisUrl(value); }}});
        return {std::nullopt, 0};
    }
    return {std::move(config), 0};
}

}  // namespace parley::app
