#include "net/redirect_session.hpp"

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "auth/https_redirect.hpp"
#include "core/connection_limit.hpp"
#include "net/http_session.hpp"
#include "net/server_state.hpp"
#include "net/stream_types.hpp"

namespace parley::net {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

class RedirectSession final : public std::enable_shared_from_this<RedirectSession> {
public:
    RedirectSession(Socket socket, ServerState& state, RedirectTarget target, core::ConnectionSlot slot)
        : stream_(std::move(socket)), state_(state), target_(std::move(target)), slot_(std::move(slot)) {}

    void start() {
        stream_.expires_after(state_.limits().handshakeTimeout);
        parser_.header_limit(state_.limits().maxRequestHeaderBytes);
        parser_.body_limit(0);
        http::async_read(stream_, buffer_, parser_, beast::bind_front_handler(&RedirectSession::onRead, shared_from_this()));
    }

private:
    void onRead(beast::error_code error, std::size_t) {
        if (error == http::error::end_of_stream) return;
        if (error == http::error::header_limit) return reply(http::status::request_header_fields_too_large, {});
        if (error && error != beast::error::timeout && error != boost::asio::error::connection_reset &&
            error != boost::asio::error::eof) {
            return reply(http::status::bad_request, {});
        }
        if (error) return;  // timed out (the stream closed the socket) or gone
        const auto& request = parser_.get();
        if (auto token = auth::acmeChallengeToken(request.target()); token && target_.acmeChallengeDir) {
            return answerChallenge(*token);
        }
        const auto host = request.find(http::field::host);
        const std::optional<std::string_view> hostHeader =
            host == request.end() ? std::nullopt : std::optional<std::string_view>(host->value());
        auto location = auth::httpsLocation(hostHeader, request.target(), target_.publicUrl, target_.tlsPort,
                                            state_.hostPolicy());
        if (!location) {
            const bool badHost = hostHeader && !auth::isHostAllowed(hostHeader, state_.hostPolicy());
            return reply(badHost ? http::status::misdirected_request : http::status::bad_request, {});
        }
        reply(http::status::permanent_redirect, std::move(*location));
    }

    // The file certbot wrote for this token (a few dozen bytes), or 404.
    void answerChallenge(std::string_view token) {
        constexpr std::size_t kMaxChallenge = 4096;
        std::ifstream in(*target_.acmeChallengeDir / std::string(token), std::ios::binary);
        std::string body;
        if (in) body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) body.clear();
        if (body.empty() || body.size() > kMaxChallenge) return reply(http::status::not_found, {});
        spdlog::info("acme challenge answered token={}", token);
        reply(http::status::ok, {}, std::move(body));
    }

    void reply(http::status status, std::string location, std::string body = {}) {
        response_.result(status);
        response_.version(11);
        response_.set(http::field::server, "parley");
        response_.set(http::field::connection, "close");
        response_.set(http::field::cache_control, "no-store");
        if (!location.empty()) response_.set(http::field::location, location);
        if (!body.empty()) response_.set(http::field::content_type, "text/plain");
        response_.body() = std::move(body);
        response_.prepare_payload();
        http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
            beast::error_code ignored;
            self->stream_.socket().shutdown(Socket::shutdown_send, ignored);
        });
    }

    TcpStream stream_;
    ServerState& state_;
    RedirectTarget target_;
    core::ConnectionSlot slot_;
    beast::flat_buffer buffer_;
    http::request_parser<http::empty_body> parser_;
    http::response<http::string_body> response_;
};

}  // namespace

void startRedirectSession(Socket socket, ServerState& state, const RedirectTarget& target) {
    core::ConnectionSlot slot(state.connections(), peerAddressOf(socket));
    if (!slot.held()) {
        state.countRefusedConnection(ServerState::Refusal::PerAddress);
        return closeAtAccept(std::move(socket));
    }
    std::make_shared<RedirectSession>(std::move(socket), state, target, std::move(slot))->start();
}

}  // namespace parley::net
