#include "net/server.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/direct_ring.hpp"
#include "net/gateway_ticker.hpp"
#include "net/http_session.hpp"
#include "net/listener.hpp"
#include "net/redirect_session.hpp"
#include "net/server_state.hpp"
#include "net/heap_trimmer.hpp"
#include "net/session_sweeper.hpp"
#include "net/tls_context.hpp"

namespace parley::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

tcp::endpoint resolveListenEndpoint(asio::io_context& io, const std::string& host,
                                    std::uint16_t port) {
    boost::system::error_code error;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(host, std::to_string(port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service,
                                          error);
    if (error || results.empty()) {
        throw std::runtime_error(fmt::format("cannot resolve listen address {}: {}", host,
                                             error ? error.message() : "no address"));
    }
    return results.begin()->endpoint();
}

}  // namespace

Server::Server(asio::io_context& io, const ServerOptions& options, protocol::Gateway& gateway,
               SessionRegistry& registry, const core::Clock& clock)
    : state_(std::make_unique<ServerState>(options, gateway, registry, clock)), drainTime_(options.drainTime),
      drainTimer_(io), shutdownDeadline_(io) {
    if (options.tls) {
        tls_ = makeTlsContext(*options.tls);
        state_->allowHosts(certificateHostNames(*tls_));
    }
    if (options.ioUring) {
        auto rings = std::make_unique<DirectRings>(io, state_->deferredFlush());
        std::string error;
        if (rings->start(error)) {
            directRings_ = std::move(rings);
            state_->useDirectRings(directRings_.get());
            spdlog::info("io_uring: plain WebSocket connections are held as registered descriptors");
        } else {
            spdlog::warn("io_uring refused ({}): connections stay in the file table (epoll)", error);
        }
    }
    auto* tls = tls_.get();
    auto& state = *state_;
    listener_ = std::make_shared<Listener>(
        io, resolveListenEndpoint(io, options.host, options.port),
        [tls, &state](Socket socket) {
            if (tls) startHttpsSession(std::move(socket), *tls, state);
            else startHttpSession(std::move(socket), state);
        },
        state);
    if (tls && options.redirectHttpPort) {
        // Plain HTTP beside direct TLS: a link typed as http:// still reaches the meeting.
        const RedirectTarget target{listener_->localEndpoint().port(), options.publicUrl, options.acmeChallengeDir};
        redirectListener_ = std::make_shared<Listener>(
            io, resolveListenEndpoint(io, options.host, *options.redirectHttpPort),
            [target, &state](Socket socket) { startRedirectSession(std::move(socket), state, target); }, state);
        spdlog::info("redirecting plain HTTP on port {} to HTTPS", redirectListener_->localEndpoint().port());
    }
    ticker_ = std::make_unique<GatewayTicker>(io, state_->gateway(), state_->clock());
    sweeper_ = std::make_unique<SessionSweeper>(io, state_->registry());
    trimmer_ = std::make_unique<HeapTrimmer>(io);
    if (options.webRoot) {
        spdlog::info("serving the web client from {}", options.webRoot->string());
    } else if (state_->assets().embeddedCount() == 0) {
        spdlog::warn("no web client was embedded at build time (web/ was empty)");
    }
}

Server::~Server() = default;

void Server::start() {
    listener_->start();
    if (redirectListener_) redirectListener_->start();
    ticker_->start();
    sweeper_->start();
    trimmer_->start();
}

tcp::endpoint Server::localEndpoint() const { return listener_->localEndpoint(); }

void Server::addMetrics(std::function<void(std::string&)> append) {
    if (!state_->extraMetrics) {
        state_->extraMetrics = std::move(append);
        return;
    }
    state_->extraMetrics = [first = std::move(state_->extraMetrics), second = std::move(append)](std::string& out) {
        first(out);
        second(out);
    };
}

void Server::setExtraOriginAllowed(std::function<bool(std::string_view)> allowed) {
    state_->extraOriginAllowed = std::move(allowed);
}

core::ConnectionLimit& Server::connectionLimit() { return *state_->connections(); }

void Server::setRoomNodeUrl(std::function<std::optional<std::string>(const std::string&)> url) {
    state_->roomNodeUrl = std::move(url);
}

void Server::setClusterView(std::function<std::string()> view) { state_->clusterView = std::move(view); }

void Server::setDegradedReason(std::function<std::optional<std::string>()> reason) {
    state_->degradedReason = std::move(reason);
}

bool Server::stopping() const { return state_->stopping(); }

bool Server::draining() const { return state_->draining(); }

void Server::shutdown(std::function<void()> whenDone, bool drain) {
    if (state_->stopping()) return;
    if (!whenStopped_) whenStopped_ = std::move(whenDone);
    if (drain && drainTime_.count() > 0 && !state_->draining()) {
        state_->beginDraining();
        spdlog::info("draining for {} s: /ready answers 503, open calls continue; then every "
                     "WebSocket is closed with 1001 (a second signal ends the drain now)",
                     drainTime_.count());
        drainTimer_.expires_after(drainTime_);
        drainTimer_.async_wait([this](boost::system::error_code error) {
            if (!error) closeEverything();
        });
        return;
    }
    drainTimer_.cancel();
    closeEverything();
}

void Server::closeEverything() {
    if (state_->stopping()) return;
    state_->beginStopping();
    listener_->stop();
    if (redirectListener_) redirectListener_->stop();
    ticker_->stop();
    trimmer_->stop();

    const auto open = state_->registry().size();
    spdlog::info("shutting down: closing {} WebSocket session{}", open, open == 1 ? "" : "s");
    state_->registry().closeAll(kServerShutdown);

    // Each session cuts its connection closeTimeout after sending its close frame; one more
    // second covers the last handlers.
    shutdownDeadline_.expires_after(state_->limits().closeTimeout + std::chrono::seconds(1));
    shutdownDeadline_.async_wait([this](boost::system::error_code error) {
        if (error || !whenStopped_) return;
        spdlog::warn("shutdown: {} sessions did not close in time", state_->registry().size());
        sweeper_->stop();
        std::exchange(whenStopped_, nullptr)();
    });
    state_->registry().whenEmpty([this] {
        shutdownDeadline_.cancel();
        sweeper_->stop();
        if (whenStopped_) std::exchange(whenStopped_, nullptr)();
    });
}

}  // namespace parley::net
