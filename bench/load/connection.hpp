#pragma once
// One simulated participant: a WebSocket client that connects from a chosen loopback source
// address, joins a room, and relays stamped candidates to one room-mate. Single-threaded: every
// handler runs on the tool's one io_context thread, so no state here is shared across threads.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstdint>
#include <deque>
#include <string>

#include "dialect.hpp"

namespace parley::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class Connection {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void onReady(Connection& connection, std::uint64_t latencyNs) = 0;
        virtual void onJoined(Connection& connection, std::uint64_t latencyNs) = 0;
        virtual void onRelaySent(Connection& connection) = 0;
        virtual void onRelayReceived(Connection& receiver, const RelayStamp& stamp,
                                     std::uint64_t receivedNs) = 0;
        virtual void onServerError(Connection& connection, std::string_view what) = 0;
        // The connection failed or was closed; it never calls the listener again.
        virtual void onClosed(Connection& connection, std::string_view why) = 0;
    };

    struct Settings {
        tcp::endpoint server;
        net::ip::address_v4 source;
        std::string host;  // Host header
        std::string room;
        std::string name;
        std::size_t padding = 0;
    };

    Connection(net::io_context& io, const Dialect& dialect, Listener& listener,
               std::uint32_t index);

    void start(Settings settings);
    // Begin addressing relays to `participantId` (a room-mate).
    void setTarget(std::string participantId) { target_ = std::move(participantId); }
    bool hasTarget() const { return !target_.empty(); }
    // Owe `count` more relays; they go out as fast as the socket takes them.
    void queueRelays(std::uint64_t count);
    // Forget relays not yet written: the measurement is over.
    void dropQueuedRelays() { owedRelays_ = 0; }
    // Send a keepalive when nothing was written for `idleNs`.
    void keepAlive(std::uint64_t nowNs, std::uint64_t idleNs);
    // Close the socket without ceremony; in-flight operations finish with errors.
    void abort();

    std::uint32_t index() const { return index_; }
    const std::string& participantId() const { return participantId_; }
    bool joined() const { return state_ == State::Joined; }
    bool closed() const { return state_ == State::Closed; }

private:
    enum class State { Idle, Connecting, Handshaking, Opening, Joining, Joined, Closed };

    void onConnect(boost::system::error_code ec);
    void onHandshake(boost::system::error_code ec);
    void sendJoin();
    void readNext();
    void onRead(boost::system::error_code ec);
    void handleFrame(std::string_view frame);
    void sendControl(std::string frame);
    void writeNext();
    void onWrite(boost::system::error_code ec);
    void fail(std::string_view why);

    const Dialect& dialect_;
    Listener& listener_;
    const std::uint32_t index_;
    boost::beast::websocket::stream<tcp::socket> ws_;
    boost::beast::flat_buffer readBuffer_;
    std::string writeBuffer_;
    std::deque<std::string> control_;
    Settings settings_;
    State state_ = State::Idle;
    bool writing_ = false;
    std::uint64_t owedRelays_ = 0;
    std::uint64_t nextSeq_ = 0;
    std::uint64_t startedNs_ = 0;
    std::uint64_t joinSentNs_ = 0;
    std::uint64_t lastWriteNs_ = 0;
    std::string participantId_;
    std::string target_;
};

}  // namespace parley::bench
