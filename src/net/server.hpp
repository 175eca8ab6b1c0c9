#pragma once
// The whole network side of parley: a listener, the HTTP and WebSocket sessions it starts,
// and the state they share. The signaling behind it (the gateway, the session registry it
// sends through, their clock) is built by the app and handed in. Everything runs on the one io_context passed in, which the
// caller runs on a single thread.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/server_options.hpp"

namespace parley::protocol {
class Gateway;
}
namespace parley::core {
class Clock;
class ConnectionLimit;
}

namespace parley::net {

class DirectRings;
class GatewayTicker;
class HeapTrimmer;
class Listener;
class ServerState;
class SessionRegistry;
class SessionSweeper;

class Server {
public:
    // Loads TLS files and binds the listening socket (port 0: any free port), so the port is
    // known when this returns. Throws std::runtime_error with a message for the operator.
    // `gateway`, `registry` (which the gateway sends through) and `clock` outlive the server.
    Server(boost::asio::io_context& io, const ServerOptions& options, protocol::Gateway& gateway,
           SessionRegistry& registry, const core::Clock& clock);
    ~Server();

    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();

    // With a drain time (ServerOptions::drainTime), first drain: /ready answers 503 for that
    // long while everything else goes on. Then stop accepting, close every WebSocket with 1001
    // "server-shutdown", and call `whenDone` once they have all closed, or after the close
    // timeout at the latest. Called again during the drain, it ends the drain at once.
    // `drain` false: close at once even with a drain time (a cluster node hands its rooms on
    // to another node instead of waiting for its calls to end).
    void shutdown(std::function<void()> whenDone, bool drain = true);

    boost::asio::ip::tcp::endpoint localEndpoint() const;
    // Appends to /metrics (each call adds one more source).
    void addMetrics(std::function<void(std::string&)> append);
    // GET /admin/cluster answers `view()` (behind the admin token, like every /admin endpoint).
    // Origins allowed besides --allowed-origin and the server's own (ServerState::extraOriginAllowed).
    void setExtraOriginAllowed(std::function<bool(std::string_view origin)> allowed);
    // Open connections per client address (--max-connections-per-ip), for a cluster to announce
    // and to count other nodes' connections in (ConnectionLimit::setElsewhere).
    core::ConnectionLimit& connectionLimit();
    // Where an admin request about a room held by another node is sent (ServerState::roomNodeUrl).
    void setRoomNodeUrl(std::function<std::optional<std::string>(const std::string& room)> url);
    void setClusterView(std::function<std::string()> view);
    // While `reason()` names one, /ready answers 200 {"status":"degraded","reason":...}: the node
    // serves, but a part it shares with other nodes (Redis) is away.
    void setDegradedReason(std::function<std::optional<std::string>()> reason);
    bool usesTls() const { return tls_ != nullptr; }
    bool stopping() const;   // closing (after any drain)
    bool draining() const;

private:
    std::unique_ptr<ServerState> state_;
    std::unique_ptr<DirectRings> directRings_;  // gone before state_: draining calls sessions
    std::unique_ptr<boost::asio::ssl::context> tls_;
    std::shared_ptr<Listener> listener_;
    std::shared_ptr<Listener> redirectListener_;  // --redirect-http-port, with TLS only
    std::unique_ptr<GatewayTicker> ticker_;
    std::unique_ptr<SessionSweeper> sweeper_;
    std::unique_ptr<HeapTrimmer> trimmer_;
    void closeEverything();

    std::chrono::seconds drainTime_;
    boost::asio::steady_timer drainTimer_;
    boost::asio::steady_timer shutdownDeadline_;
    std::function<void()> whenStopped_;
};

}  // namespace parley::net
