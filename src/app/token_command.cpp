#include "app/token_command.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "auth/room_token.hpp"
#include "protocol/validation.hpp"

namespace parley::app {

int runTokenCommand(int argc, char** argv) {
    CLI::App cli{"parley token - mint an invitation token for a room (HS256, JWT-compatible).\n"
                 "Append it to a room link as #token=<token>, or hand it to your own front end."};
    cli.name("parley token");
    std::string room, name, role = "guest", secret;
    long long ttl = 24 * 3600;
    if (const char* env = std::getenv("PARLEY_TOKEN_SECRET")) secret = env;
    cli.add_option("--room", room, "Room id the token admits to (\"*\" for any room)")->required();
    cli.add_option("--name", name, "Display name the holder gets (default: they type one)");
    cli.add_option("--role", role, "host or guest")->check(CLI::IsMember({"host", "guest"}));
    cli.add_option("--ttl", ttl, "Seconds until the token expires (default 86400)")->check(CLI::Range(1LL, 366LL * 24 * 3600));
    cli.add_option("--secret", secret, "The server's token secret (default: $PARLEY_TOKEN_SECRET)");
    try {
        cli.parse(argc - 1, argv + 1);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    if (secret.empty()) {
        std::cerr << "parley token: no secret: set PARLEY_TOKEN_SECRET or pass --secret\n";
        return 2;
    }
    if (!name.empty()) {
        auto normalized = protocol::normalizeDisplayName(name);
        if (!normalized) {
            std::cerr << "parley token: --name must be 1-64 characters with no control "
                         "characters (a display name, as people type them)\n";
            return 2;
        }
        name = std::move(*normalized);
    }
    if (room != "*" && !protocol::isValidRoomId(room)) {
        std::cerr << "parley token: --room must be a room id (3-64 of a-z, 0-9 and -) or *\n";
        return 2;
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    std::cout << auth::mintRoomToken({room, name, role == "host", now + ttl}, secret) << '\n';
    return 0;
}

}  // namespace parley::app
