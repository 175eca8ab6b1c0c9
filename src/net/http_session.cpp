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

#include "net/http_router.hpp"
#include "net/request_path.hpp"
#include "net/server_state.hpp"
#include "net/websocket_session.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, beast::tcp_stream>;

std::string describe(const tcp::endpoint& endpoint) {
    if (endpoint.address().is_v6()) {
        return fmt::format("[{}]:{}", endpoint.address().to_string(), endpoint.port());
    }
    return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

bool isParseError(const beast::error_code& error) {
    return error.category() == beast::http::make_error_code(http::error::end_of_stream).category();
}

// Stream is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>; the TLS steps are
// compiled in only for the latter.
template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Stream stream, ServerState& state, std::string remote)
        : stream_(std::move(stream)), state_(state), remote_(std::move(remote)) {}

    void start() {
        if constexpr (kIsTls<Stream>) {
            beast::get_lowest_layer(stream_).expires_after(state_.limits().handshakeTimeout);
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
        // Bounds both a slow request and an idle keep-alive connection.
        beast::get_lowest_layer(stream_).expires_after(limits.httpRequestTimeout);
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
        spdlog::debug("http {} {} from {}", request.method_string(), request.target(), remote_);
        if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
        send(respond(request, state_));
    }

    void upgrade(HttpRequest request) {
        const auto path = safeRequestPath(request.target());
        if (!path || *path != "/ws") {
            return send(plainResponse(http::status::not_found, request.version(), false));
        }
        if (state_.stopping()) {
            return send(plainResponse(http::status::service_unavailable, request.version(), false));
        }
        // The WebSocket session takes the connection (and sets its own timeouts); this
        // HTTP session ends here.
        beast::get_lowest_layer(stream_).expires_never();
        startWebSocketSession(std::move(stream_), std::move(request), state_, remote_);
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
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
    }

    Stream stream_;
    ServerState& state_;
    const std::string remote_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    bool keepAlive_ = false;
};

std::string remoteOf(const tcp::socket& socket) {
    beast::error_code error;
    const auto endpoint = socket.remote_endpoint(error);
    return error ? std::string("unknown") : describe(endpoint);
}

}  // namespace

void startHttpSession(tcp::socket socket, ServerState& state) {
    auto remote = remoteOf(socket);
    std::make_shared<HttpSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), state,
                                                     std::move(remote))
        ->start();
}

void startHttpsSession(tcp::socket socket, asio::ssl::context& tls, ServerState& state) {
    auto remote = remoteOf(socket);
    using Stream = beast::ssl_stream<beast::tcp_stream>;
    std::make_shared<HttpSession<Stream>>(Stream(std::move(socket), tls), state, std::move(remote))
        ->start();
}

}  // namespace parley::net
