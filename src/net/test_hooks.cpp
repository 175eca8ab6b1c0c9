#include "net/test_hooks.hpp"

#include <optional>
#include <string>

#include <spdlog/spdlog.h>

#include "net/server_state.hpp"

namespace parley::net {

namespace http = boost::beast::http;

namespace {

// One value of a query string. Room and participant ids are plain [a-z0-9-], so values are
// taken as they are: anything needing %-decoding is not a valid id anyway.
std::optional<std::string> queryValue(std::string_view target, std::string_view key) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return std::nullopt;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == key) return std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

http::message_generator reply(const HttpRequest& request, http::status status, std::string body) {
    http::response<http::string_body> response{status, request.version()};
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(body) + "\n";
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

}  // namespace

http::message_generator testHookResponse(const HttpRequest& request, std::string_view path,
                                         ServerState& state) {
    if (!state.testHooks()) return reply(request, http::status::not_found, "Not Found");
    if (path != "/test/drop" && path != "/test/stall") return reply(request, http::status::not_found, "Not Found");
    if (request.method() != http::verb::post) {
        http::response<http::string_body> response{http::status::method_not_allowed, request.version()};
        response.set(http::field::allow, "POST");
        response.body() = "Method Not Allowed\n";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        return response;
    }
    const std::string_view target(request.target().data(), request.target().size());
    const auto room = queryValue(target, "room");
    const auto participant = queryValue(target, "participant");
    if (!room || !participant) return reply(request, http::status::bad_request, "room and participant are required");
    const auto& rooms = state.gateway().rooms();
    const auto session = rooms.sessionOf(*participant);
    if (!session || rooms.roomOf(*participant) != *room) {
        return reply(request, http::status::not_found, "no connected participant " + *participant + " in " + *room);
    }
    if (path == "/test/stall") {
        spdlog::warn("test hook: stalling session={} of participant={} room={}", *session, *participant, *room);
        state.registry().stall(*session);
        return reply(request, http::status::ok, "stalled");
    }
    spdlog::warn("test hook: dropping session={} of participant={} room={}", *session, *participant, *room);
    state.registry().drop(*session);
    return reply(request, http::status::ok, "dropped");
}

}  // namespace parley::net
