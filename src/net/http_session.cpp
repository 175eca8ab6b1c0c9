#include "net/http_session.hpp"

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "auth/host_policy.hpp"
#include "auth/origin_policy.hpp"
#include "auth/proxy_policy.hpp"
#include "core/connection_limit.hpp"
#include "net/http_router.hpp"
#include "net/request_path.hpp"
#include "net/server_state.hpp"
#include "net/stream_types.hpp"
#include "net/plain_websocket_session.hpp"
#include "net/websocket_handshake.hpp"
#include "net/websocket_session.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, TcpStream>;

std::string describe(const tcp::endpoint& endpoint) {
    if (endpoint.address().is_v6()) {
        return fmt::format("[{}]:{}", endpoint.address().to_string(), endpoint.port());
    }
    return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

// Probes and scrapes: answered whatever the client address holds, so a monitor sharing an
// address with busy users (or with everyone, behind a proxy) still sees the server.
bool isOperational(const HttpRequest& request) {
    const auto path = safeRequestPath(request.target());
    return path && (*path == "/health" || *path == "/ready" || *path == "/metrics");
}

bool isParseError(const beast::error_code& error) {
    return error.category() == beast::http::make_error_code(http::error::end_of_stream).category();
}

// Stream is TcpStream or TlsStream (stream_types.hpp); the TLS steps are
// compiled in only for the latter.
template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    // `peer` is the connection's IP address. A connection from a trusted proxy comes without a
    // slot (`perRequest`): each request then takes one for the client it is for.
    // `probation`: the slot is a probation place (startSession), good for one probe.
    HttpSession(Stream stream, ServerState& state, std::string remote, std::string peer,
                core::ConnectionSlot slot, bool perRequest, bool probation)
        : stream_(std::move(stream)), state_(state), remote_(std::move(remote)),
          peer_(std::move(peer)), slot_(std::move(slot)), perRequest_(perRequest),
          probation_(probation) {}

    void start() {
        // One deadline from accept to a complete first request, TLS handshake included: a
        // connection that never says what it wants is closed (tcp_stream closes the socket).
        beast::get_lowest_layer(stream_).expires_after(state_.limits().handshakeTimeout);
        if constexpr (kIsTls<Stream>) {
            stream_.async_handshake(asio::ssl::stream_base::server,
                                    beast::bind_front_handler(&HttpSession::onHandshake,
                                                              this->shared_from_this()));
        } else {
            doRead();
        }
    }

private:
    void onHandshake(beast::error_code error) {
        if (error) {
            spdlog::debug("tls handshake from {} failed: {}", remote_, error.message());
            return;
        }
        doRead();
    }

    void doRead() {
        const auto& limits = state_.limits();
        parser_.emplace();
        parser_->header_limit(limits.maxRequestHeaderBytes);
        parser_->body_limit(limits.maxRequestBodyBytes);
        // The first request runs on the handshake deadline set in start(); later ones get the
        // request timeout, which also bounds an idle keep-alive connection.
        if (answered_ > 0) beast::get_lowest_layer(stream_).expires_after(limits.httpRequestTimeout);
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&HttpSession::onRead, this->shared_from_this()));
    }

    void onRead(beast::error_code error, std::size_t) {
        if (error == http::error::end_of_stream) return doClose();
        if (error == http::error::header_limit) {
            return replyAndClose(http::status::request_header_fields_too_large);
        }
        if (error == http::error::body_limit) return replyAndClose(http::status::payload_too_large);
        if (error && isParseError(error) && error != http::error::partial_message) {
            return replyAndClose(http::status::bad_request);
        }
        if (error) {
            // Timeout (tcp_stream already closed the socket), reset, or a half-sent request.
            spdlog::debug("http connection from {} ended: {}", remote_, error.message());
            return;
        }

        HttpRequest request = parser_->release();
        ++answered_;
        spdlog::debug("http {} {} from {}", request.method_string(), request.target(), remote_);
        std::optional<std::string_view> host;
        if (const auto field = request.find(http::field::host); field != request.end()) {
            host = std::string_view(field->value().data(), field->value().size());
        }
        if (!auth::isHostAllowed(host, state_.hostPolicy())) {
            // Not a name this server answers to: a DNS-rebinding page, or a missing
            // --allowed-host.
            spdlog::warn("refused request from {}: host {} is not allowed (--allowed-host)", remote_,
                         host.value_or("-"));
            state_.countHttpRefusal(ServerState::HttpRefusal::HostNotAllowed);
            return send(plainResponse(http::status::misdirected_request, request.version(), false,
                                      "host-not-allowed"));
        }
        const bool upgrading = beast::websocket::is_upgrade(request);
        if (probation_) {
            // Its address was over its limit at accept: a probe is answered and the connection
            // closes (its place goes back at once); anything else is refused as over the limit.
            if (upgrading || !isOperational(request)) {
                state_.countRefusedConnection(ServerState::Refusal::PerAddress);
                return send(plainResponse(http::status::too_many_requests, request.version(), false,
                                          "too-many-connections"));
            }
            request.keep_alive(false);
            return send(respond(request, state_, peer_));
        }
        std::string client = peer_;
        if (perRequest_) {
            client = clientOf(request);
            // A proxy's connection carries one client's request after another (upstream
            // keep-alive): each takes a slot for its own client while it is answered, and an
            // upgrade keeps it for the WebSocket's life. Probes take none.
            if (upgrading || !isOperational(request)) {
                slot_ = core::ConnectionSlot(state_.connections(), client);
                if (!slot_.held()) {
                    state_.countRefusedConnection(ServerState::Refusal::PerAddress);
                    spdlog::debug("refused request for {} via {}: over --max-connections-per-ip",
                                  client, remote_);
                    return send(plainResponse(http::status::too_many_requests, request.version(),
                                              request.keep_alive(), "too-many-connections"));
                }
            }
        }
        if (upgrading) return upgrade(std::move(request));
        send(respond(request, state_, client));
    }

    // The client a trusted proxy forwards this request for (auth/proxy_policy.hpp).
    std::string clientOf(const HttpRequest& request) const {
        const auto& policy = state_.proxyPolicy();
        const bool forwarded = policy.header == auth::ForwardedHeader::Forwarded;
        std::vector<std::string_view> values;
        for (const auto& field : request) {
            const bool match = forwarded ? field.name() == http::field::forwarded
                                         : beast::iequals(field.name_string(), "X-Forwarded-For");
            if (match) values.emplace_back(field.value().data(), field.value().size());
        }
        return auth::clientAddress(peer_, values, policy);
    }

    void upgrade(HttpRequest request) {
        const auto path = safeRequestPath(request.target());
        if (!path || *path != "/ws") {
            return send(plainResponse(http::status::not_found, request.version(), false));
        }
        if (state_.stopping()) {
            return send(plainResponse(http::status::service_unavailable, request.version(), false));
        }
        std::optional<std::string_view> origin;
        if (const auto field = request.find(http::field::origin); field != request.end()) {
            origin = std::string_view(field->value().data(), field->value().size());
        }
        const auto host = request[http::field::host];
        if (!state_.originAllowed(origin, std::string_view(host.data(), host.size()))) {
            spdlog::warn("refused WebSocket from {}: origin {} is not allowed (host {})", remote_,
                         origin ? *origin : "-", std::string_view(host.data(), host.size()));
            state_.countHttpRefusal(ServerState::HttpRefusal::OriginNotAllowed);
            return send(plainResponse(http::status::forbidden, request.version(), false,
                                      "origin-not-allowed"));
        }
        // The WebSocket session takes the connection (and sets its own timeouts) and its slot;
        // this HTTP session ends here.
        beast::get_lowest_layer(stream_).expires_never();
        if constexpr (kIsTls<Stream>) {
            startWebSocketSession(std::move(stream_), std::move(request), state_, remote_,
                                  std::move(slot_));
        } else {
            const auto version = request[http::field::sec_websocket_version];
            const auto key = request[http::field::sec_websocket_key];
            auto check = checkHandshake(std::string_view(version.data(), version.size()),
                                        std::string_view(key.data(), key.size()));
            if (!check.acceptKey) return refuseHandshake(check.problem, request.version());
            const auto early = buffer_.data();
            startPlainWebSocketSession(
                stream_.release_socket(),
                switchingProtocolsResponse(*check.acceptKey, "parley/" PARLEY_VERSION),
                std::string_view(static_cast<const char*>(early.data()), early.size()), state_,
                remote_, std::move(slot_));
        }
    }

    void refuseHandshake(HandshakeProblem problem, unsigned version) {
        spdlog::debug("refused WebSocket handshake from {}: {}", remote_,
                      problem == HandshakeProblem::UnsupportedVersion ? "version" : "key");
        if (problem == HandshakeProblem::BadKey) {
            return send(plainResponse(http::status::bad_request, version, false,
                                      "bad-websocket-key"));
        }
        http::response<http::string_body> response{http::status::upgrade_required, version};
        response.set(http::field::sec_websocket_version, "13");
        response.set(http::field::content_type, "text/plain; charset=utf-8");
        response.body() = "unsupported-websocket-version";
        response.keep_alive(false);
        response.prepare_payload();
        send(http::message_generator(std::move(response)));
    }

    void send(http::message_generator response) {
        keepAlive_ = response.keep_alive();
        beast::async_write(stream_, std::move(response),
                           beast::bind_front_handler(&HttpSession::onWrite,
                                                     this->shared_from_this()));
    }

    void replyAndClose(http::status status) {
        spdlog::debug("http request from {} refused: {}", remote_, static_cast<unsigned>(status));
        send(plainResponse(status, 11, false));
    }

    void onWrite(beast::error_code error, std::size_t) {
        if (error) {
            spdlog::debug("http write to {} failed: {}", remote_, error.message());
            return;
        }
        if (!keepAlive_) return doClose();
        if (perRequest_) slot_ = {};  // the next request may be another client's
        doRead();
    }

    void doClose() {
        if constexpr (kIsTls<Stream>) {
            beast::get_lowest_layer(stream_).expires_after(state_.limits().handshakeTimeout);
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
                // Whatever the peer did, the connection is over; the socket closes with us.
            });
        } else {
            beast::error_code ignored;
            stream_.socket().shutdown(Socket::shutdown_send, ignored);
        }
    }

    Stream stream_;
    ServerState& state_;
    const std::string remote_;
    const std::string peer_;     // the connection's IP address
    core::ConnectionSlot slot_;  // counts this connection (or its request) against its client
    const bool perRequest_;      // from a trusted proxy: slots are per request
    const bool probation_;       // over its address's limit: one probe, then closed
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::size_t answered_ = 0;  // requests read so far
    bool keepAlive_ = false;
};

std::string remoteOf(const Socket& socket) {
    beast::error_code error;
    const auto endpoint = socket.remote_endpoint(error);
    return error ? std::string("unknown") : describe(endpoint);
}

// Over the per-address limit and the probation allowance: closed at once, before it costs a
// read, a timer or a buffer, so one address cannot hold the file table through connections that
// say nothing. Logged once a minute at most, with how many were closed since.
void refuseOverLimit(Socket socket, ServerState& state) {
    state.countRefusedConnection(ServerState::Refusal::PerAddress);
    closeAtAccept(std::move(socket));
}

// Signaling is small messages that should leave at once, not wait for the peer's delayed ACK.
void disableNagle(Socket& socket) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
}

// Counts the connection against its address's share (IPv4 and IPv6 alike, per address) at
// accept, unless it comes from a trusted proxy: the proxy's address stands for everyone behind
// it, so its connections are counted per request, by client (HttpSession::onRead).
// An address over its share still gets a probation place if one is free (a few per address, a
// few in all): its path is not known yet, and a monitor's /health, /ready or /metrics must be
// answered however many connections its address holds (HttpSession::onRead serves only those).
template <class Stream, class... TlsContext>
void startSession(Socket socket, ServerState& state, TlsContext&... tls) {
    auto peer = peerAddressOf(socket);
    const bool perRequest = state.proxyPolicy().trusts(peer);
    core::ConnectionSlot slot;
    bool probation = false;
    if (!perRequest) {
        slot = core::ConnectionSlot(state.connections(), peer);
        if (!slot.held()) {
            slot = core::ConnectionSlot(state.probation(), peer);
            if (!slot.held()) return refuseOverLimit(std::move(socket), state);
            probation = true;
        }
    }
    disableNagle(socket);
    auto remote = remoteOf(socket);
    std::make_shared<HttpSession<Stream>>(Stream(std::move(socket), tls...), state, std::move(remote),
                                          std::move(peer), std::move(slot), perRequest, probation)
        ->start();
}

}  // namespace

void startHttpSession(Socket socket, ServerState& state) {
    startSession<TcpStream>(std::move(socket), state);
}

void startHttpsSession(Socket socket, asio::ssl::context& tls, ServerState& state) {
    startSession<TlsStream>(std::move(socket), state, tls);
}

std::string peerAddressOf(const Socket& socket) {
    beast::error_code error;
    const auto endpoint = socket.remote_endpoint(error);
    return error ? std::string("unknown") : endpoint.address().to_string();
}

void closeAtAccept(Socket socket) {
    beast::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

}  // namespace parley::net
