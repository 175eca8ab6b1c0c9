#pragma once
// One simulated participant: a WebSocket client that connects from a chosen loopback source
// address, joins a room, and relays stamped candidates to one room-mate. Single-threaded: every
// handler runs on the tool's one io_context thread, so no state here is shared across threads.
//
// It frames WebSocket itself over a plain TCP socket (client_framing.hpp) so that whatever it
// owes when it gets to write - control messages, then every relay its window allows - leaves
// as many frames in ONE socket write, and one read hands all the frames it got to the parser.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "client_framing.hpp"
#include "dialect.hpp"

namespace parley::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// How long a join took: to `joined` from the last join sent (on the node that took it), and from
// the first join sent, which includes following `room-elsewhere` to another node (a new TCP
// connect, WebSocket upgrade and join there) when `redirects` > 0.
struct JoinTiming {
    std::uint64_t lastJoinNs = 0;
    std::uint64_t fromFirstJoinNs = 0;
    std::uint32_t redirects = 0;
    std::uint32_t retries = 0;  // room-moving answers waited out
};

class Connection final : private ServerFrameSink {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void onReady(Connection& connection, std::uint64_t latencyNs) = 0;
        virtual void onJoined(Connection& connection, const JoinTiming& timing) = 0;
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
        // How many `room-elsewhere` answers to follow before giving up (a loop between nodes
        // that disagree would otherwise never end).
        std::uint32_t maxRedirects = 3;
        // How many `room-moving` answers to wait out (the lease of a dead node's room runs out
        // within 6 s; the server says when to ask again).
        std::uint32_t maxRetries = 15;
    };

    Connection(net::io_context& io, const Dialect& dialect, Listener& listener,
               std::uint32_t index);

    void start(Settings settings);
    // Begin addressing relays to `participantId` (a room-mate).
    void setTarget(std::string participantId) { target_ = std::move(participantId); }
    bool hasTarget() const { return !target_.empty(); }
    // Owe `count` more relays; they go out as fast as the socket takes them, all that are owed
    // when the connection gets to write in one system call.
    void queueRelays(std::uint64_t count);
    // Forget relays not yet written: the measurement is over.
    void dropQueuedRelays() { owedRelays_ = 0; }
    // Send a keepalive when nothing was written for `idleNs`.
    void keepAlive(std::uint64_t nowNs, std::uint64_t idleNs);
    // Close the socket without ceremony; in-flight operations finish with errors.
    void abort();

    std::uint32_t index() const { return index_; }
    const std::string& participantId() const { return participantId_; }
    // From `joined`: what a `resume` on another node would present (failover, not yet measured).
    const std::string& resumeToken() const { return resumeToken_; }
    bool joined() const { return state_ == State::Joined; }
    bool closed() const { return state_ == State::Closed; }

private:
    enum class State { Idle, Connecting, Handshaking, Opening, Joining, Joined, Closed };

    void connect();
    // The room lives on the node at `url`: drop this socket and join there instead.
    void followRedirect(std::string_view url);
    void onConnect(boost::system::error_code ec);
    bool onHandshakeResponse();
    void sendJoin();
    void readNext();
    void onRead(boost::system::error_code ec, std::size_t bytes);
    bool onMessage(std::string_view payload) override;
    bool onPing(std::string_view payload) override;
    bool onClose(std::optional<std::uint16_t> code, std::string_view reason) override;
    void sendControl(std::string_view message);
    // Writes soon, after whatever else is ready to run (more relays may become owed meanwhile).
    void requestFlush();
    void flush();
    void onWrite(boost::system::error_code ec);
    void fail(std::string_view why);

    const Dialect& dialect_;
    Listener& listener_;
    const std::uint32_t index_;
    tcp::socket socket_;
    MaskKeys maskKeys_;
    ServerFrameParser parser_;
    std::unique_ptr<char[]> readBuffer_;
    std::size_t readCapacity_ = 0;
    std::size_t readSize_ = 0;  // bytes in readBuffer_ not parsed yet
    std::string outgoing_;      // framed bytes for the next write: control first, then relays
    std::string inFlight_;      // the bytes of the write under way
    std::string scratch_;       // one relay's payload before it is framed
    std::string handshakeKey_;
    Settings settings_;
    State state_ = State::Idle;
    bool writing_ = false;
    bool flushRequested_ = false;
    std::uint64_t owedRelays_ = 0;
    std::uint64_t nextSeq_ = 0;
    std::uint64_t startedNs_ = 0;
    std::uint64_t joinSentNs_ = 0;
    std::uint64_t firstJoinSentNs_ = 0;
    std::uint32_t redirects_ = 0;
    std::uint32_t retries_ = 0;
    net::steady_timer retryTimer_;
    // Bumped when the socket is replaced (a redirect): completions of the old socket's
    // operations, which arrive later with errors, are recognised by it and ignored.
    std::uint32_t generation_ = 0;
    std::uint64_t lastWriteNs_ = 0;
    std::string participantId_;
    std::string resumeToken_;
    std::string target_;
};

}  // namespace parley::bench
