#include "net/http_router.hpp"

#include <boost/beast/core/file.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/span_body.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "auth/crypto.hpp"
#include "net/health.hpp"
#include "net/request_path.hpp"
#include "protocol/token_request.hpp"
#include "net/server_state.hpp"
#include "net/test_hooks.hpp"

namespace parley::net {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kServerHeader = "parley/" PARLEY_VERSION;

// Same-origin ES modules, WebSocket signaling and camera/screen media; nothing inline, no
// framing by other sites.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; "
    "media-src 'self' blob:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'";

template <class Body>
void addCommonHeaders(http::response<Body>& response, std::string_view contentType) {
    response.set(http::field::server, kServerHeader);
    response.set(http::field::content_type, contentType);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy", kContentSecurityPolicy);
    response.set("Referrer-Policy", "no-referrer");
}

// An error status for a parsed request. A HEAD reply must not carry the body: the client
// would read it as the start of the next response on this keep-alive connection.
http::message_generator statusResponse(const HttpRequest& request, http::status status) {
    http::response<http::string_body> response{status, request.version()};
    addCommonHeaders(response, "text/plain; charset=utf-8");
    if (status == http::status::method_not_allowed) response.set(http::field::allow, "GET, HEAD");
    if (status == http::status::upgrade_required) {
        response.set(http::field::upgrade, "websocket");
        response.set(http::field::connection, "Upgrade");
    }
    response.body() = std::string(http::obsolete_reason(status)) + "\n";
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    if (request.method() == http::verb::head) response.body().clear();
    return response;
}

// HEAD gets the headers a GET would get, Content-Length included, and no body.
http::message_generator headResponse(const HttpRequest& request, std::string_view contentType,
                                     std::uint64_t length, std::string_view cacheControl) {
    http::response<http::empty_body> response{http::status::ok, request.version()};
    addCommonHeaders(response, contentType);
    response.set(http::field::cache_control, cacheControl);
    response.content_length(length);
    response.keep_alive(request.keep_alive());
    return response;
}

http::message_generator textResponse(const HttpRequest& request, std::string body,
                                     std::string_view contentType, std::string_view cacheControl) {
    if (request.method() == http::verb::head) {
        return headResponse(request, contentType, body.size(), cacheControl);
    }
    http::response<http::string_body> response{http::status::ok, request.version()};
    addCommonHeaders(response, contentType);
    response.set(http::field::cache_control, cacheControl);
    response.body() = std::move(body);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

// Embedded files are part of the binary, disk files may change while developing: either
// way browsers revalidate rather than cache a stale client.
constexpr std::string_view kAssetCacheControl = "no-cache";

http::message_generator embeddedFileResponse(const HttpRequest& request,
                                             std::string_view contentType,
                                             std::string_view bytes) {
    if (request.method() == http::verb::head) {
        return headResponse(request, contentType, bytes.size(), kAssetCacheControl);
    }
    http::response<http::span_body<const char>> response{http::status::ok, request.version()};
    addCommonHeaders(response, contentType);
    response.set(http::field::cache_control, kAssetCacheControl);
    response.body() = {bytes.data(), bytes.size()};
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

http::message_generator diskFileResponse(const HttpRequest& request, std::string_view contentType,
                                         const std::filesystem::path& file) {
    http::file_body::value_type body;
    boost::beast::error_code error;
    body.open(file.c_str(), boost::beast::file_mode::scan, error);
    if (error) {
        spdlog::warn("cannot read web file {}: {}", file.string(), error.message());
        return statusResponse(request, http::status::not_found);
    }
    if (request.method() == http::verb::head) {
        return headResponse(request, contentType, body.size(), kAssetCacheControl);
    }
    http::response<http::file_body> response{http::status::ok, request.version()};
    addCommonHeaders(response, contentType);
    response.set(http::field::cache_control, kAssetCacheControl);
    response.body() = std::move(body);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

http::message_generator assetResponse(const HttpRequest& request, const WebAsset& asset) {
    if (const auto* bytes = std::get_if<std::string_view>(&asset.source)) {
        return embeddedFileResponse(request, asset.contentType, *bytes);
    }
    return diskFileResponse(request, asset.contentType,
                            std::get<std::filesystem::path>(asset.source));
}

bool isClientRoute(std::string_view path) {
    return path == "/" || path.starts_with("/r/");
}

}  // namespace

http::message_generator plainResponse(http::status status, unsigned version, bool keepAlive,
                                      std::string_view code) {
    http::response<http::string_body> response{status, version};
    addCommonHeaders(response, "text/plain; charset=utf-8");
    response.body() = std::string(http::obsolete_reason(status)) +
                      (code.empty() ? "" : ": " + std::string(code)) + "\n";
    response.keep_alive(keepAlive);
    response.prepare_payload();
    return response;
}

http::message_generator jsonResponse(const HttpRequest& request, http::status status,
                                     std::string body) {
    http::response<http::string_body> response{status, request.version()};
    addCommonHeaders(response, "application/json");
    response.set(http::field::cache_control, "no-store");
    if (status == http::status::method_not_allowed) response.set(http::field::allow, "POST");
    response.body() = std::move(body);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

// POST /admin/tokens: mints an invitation token like `parley token`, for operators' own tools.
http::message_generator tokenResponse(const HttpRequest& request, const ServerState& state) {
    if (request.method() != http::verb::post) {
        return jsonResponse(request, http::status::method_not_allowed,
                            protocol::tokenErrorJson("method-not-allowed", "Use POST"));
    }
    if (state.tokenSecret().empty()) {
        return jsonResponse(request, http::status::conflict,
                            protocol::tokenErrorJson("tokens-disabled",
                                                     "This server has no token secret "
                                                     "(--token-secret or PARLEY_TOKEN_SECRET)"));
    }
    auto parsed = protocol::parseTokenRequest(request.body());
    if (auto* error = std::get_if<protocol::TokenRequestError>(&parsed)) {
        return jsonResponse(request, http::status::bad_request,
                            protocol::tokenErrorJson(core::toString(error->code), error->message,
                                                     error->field));
    }
    const auto& wanted = std::get<protocol::TokenRequest>(parsed);
    spdlog::info("admin minted a token room={} role={} ttl={}s", wanted.room,
                 wanted.host ? "host" : "guest", wanted.ttlSeconds);
    return jsonResponse(request, http::status::ok,
                        protocol::mintTokenJson(wanted, state.tokenSecret(),
                                                state.clock().nowMs() / 1000));
}

// Operator endpoints, behind `Authorization: Bearer <admin token>`; absent unless configured.
// Wrong tokens from one address make it wait longer and longer (429 with Retry-After) before
// its next token is even compared.
http::message_generator adminResponse(const HttpRequest& request, std::string_view path,
                                      ServerState& state, const std::string& client) {
    const std::string& token = state.adminToken();
    if (token.empty()) return statusResponse(request, http::status::not_found);
    const std::int64_t now = state.clock().nowMs();
    auto& attempts = state.adminAttempts();
    if (auto wait = attempts.retryAfterMs(client, now)) {
        state.countHttpRefusal(ServerState::HttpRefusal::AdminThrottled);
        http::response<http::string_body> response{http::status::too_many_requests, request.version()};
        addCommonHeaders(response, "text/plain; charset=utf-8");
        response.set(http::field::retry_after, std::to_string((*wait + 999) / 1000));
        response.body() = "Too Many Requests: too-many-attempts\n";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        if (request.method() == http::verb::head) response.body().clear();
        return response;
    }
    const auto header = request[http::field::authorization];
    const std::string expected = "Bearer " + token;
    if (!auth::constantTimeEquals(std::string_view(header.data(), header.size()), expected)) {
        attempts.failed(client, now);
        spdlog::warn("wrong admin token from {}", client);
        state.countHttpRefusal(ServerState::HttpRefusal::AdminToken);
        return statusResponse(request, http::status::unauthorized);
    }
    attempts.succeeded(client);
    if (path == "/admin/tokens") return tokenResponse(request, state);
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
        return statusResponse(request, http::status::method_not_allowed);
    }
    if (path == "/admin/cluster" && state.clusterView) {
        return textResponse(request, state.clusterView(), "application/json", "no-store");
    }
    constexpr std::string_view kPrefix = "/admin/rooms/";
    constexpr std::string_view kSuffix = "/trace";
    if (path.starts_with(kPrefix) && path.ends_with(kSuffix) && path.size() > kPrefix.size() + kSuffix.size()) {
        const std::string room(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()));
        if (auto trace = state.gateway().traceOf(room)) {
            return textResponse(request, std::move(*trace), "application/json", "no-store");
        }
        // Held by another node of the cluster: readable from any node, by sending the operator
        // there (curl --location-trusted keeps the admin token across hosts).
        if (auto url = state.roomNodeUrl ? state.roomNodeUrl(room) : std::nullopt) {
            http::response<http::string_body> response{http::status::temporary_redirect, request.version()};
            addCommonHeaders(response, "text/plain; charset=utf-8");
            response.set(http::field::location, *url + std::string(path));
            response.set(http::field::cache_control, "no-store");
            response.body() = "The room is held by another node: " + *url + "\n";
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            if (request.method() == http::verb::head) response.body().clear();
            return response;
        }
    }
    return statusResponse(request, http::status::not_found);
}

http::message_generator respond(const HttpRequest& request, ServerState& state,
                                const std::string& client) {
    const auto path = safeRequestPath(request.target());
    // Off (404) unless --test-hooks; checked before the method, since the hooks are POSTs.
    if (path && path->starts_with("/test/")) return testHookResponse(request, *path, state);
    // The admin endpoints check their own methods (the token endpoint takes POST).
    if (path && path->starts_with("/admin/")) return adminResponse(request, *path, state, client);
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
        return statusResponse(request, http::status::method_not_allowed);
    }
    if (!path) return statusResponse(request, http::status::bad_request);

    if (*path == "/health") {
        return textResponse(request, healthJson(state), "application/json", "no-store");
    }
    if (*path == "/ready") {
        // Ready while accepting new calls; a draining or stopping server asks balancers to look
        // elsewhere (a draining one still serves whoever comes meanwhile).
        if (!state.ready()) {
            http::response<http::string_body> response{http::status::service_unavailable, request.version()};
            addCommonHeaders(response, "application/json");
            response.set(http::field::cache_control, "no-store");
            response.body() = state.stopping() ? R"({"status":"stopping"})" : R"({"status":"draining"})";
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            if (request.method() == http::verb::head) response.body().clear();
            return response;
        }
        // Degraded still answers 200: the node serves its calls and takes new ones (rooms are
        // then placed on it), and a balancer that took every node out while Redis is away
        // would end the service that Redis's absence only degrades.
        if (state.degradedReason) {
            if (const auto reason = state.degradedReason()) {
                return textResponse(request, fmt::format(R"({{"status":"degraded","reason":"{}"}})", *reason),
                                    "application/json", "no-store");
            }
        }
        return textResponse(request, R"({"status":"ready"})", "application/json", "no-store");
    }
    if (*path == "/metrics") {
        return textResponse(request, metricsText(state), "text/plain; version=0.0.4; charset=utf-8", "no-store");
    }
    if (*path == "/ws") {
        // A plain GET of the signaling endpoint: only a WebSocket upgrade makes sense here.
        return statusResponse(request, http::status::upgrade_required);
    }

    // Both branches are views: a mixed ternary would build a temporary std::string and leave
    // the view dangling.
    const std::string_view assetPath =
        isClientRoute(*path) ? std::string_view("/index.html") : std::string_view(*path);
    const auto asset = state.assets().find(assetPath);
    if (!asset) return statusResponse(request, http::status::not_found);
    return assetResponse(request, *asset);
}

}  // namespace parley::net
