#pragma once
// A JSON-over-WebSocket client connection on a non-blocking socket, for the signaling of the
// SFU benchmark (Parley's protocol, Janus's API): it shares the tool's one event loop with the
// media sockets, so the publisher keeps its pace while subscribers are being signaled. Framing
// and the upgrade check are the signaling load tool's (bench/load/client_*), pings are answered.
#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "client_framing.hpp"

namespace parley::bench::sfu {

class WsJson final : private ServerFrameSink {
public:
    // Connects to 127.0.0.1:port and sends the upgrade for `path`, offering `subprotocol`
    // (none when empty). Throws std::runtime_error if the connection is refused.
    WsJson(std::uint16_t port, std::string_view path, std::string_view subprotocol);
    ~WsJson() override;
    WsJson(const WsJson&) = delete;
    WsJson& operator=(const WsJson&) = delete;

    int fd() const { return fd_; }
    bool open() const { return open_; }
    bool failed() const { return !failure_.empty(); }
    const std::string& failure() const { return failure_; }

    // Reads what has arrived: finishes the upgrade (then onOpen), hands each JSON object to
    // onJson; a close, a broken connection or a frame that is not a JSON object ends it
    // (failure() says why).
    void onReadable();
    void send(const boost::json::object& message);

    std::function<void()> onOpen;
    std::function<void(const boost::json::object&)> onJson;

private:
    bool onMessage(std::string_view payload) override;
    bool onPing(std::string_view payload) override;
    bool onClose(std::optional<std::uint16_t> code, std::string_view reason) override;
    void writeAll(std::string_view bytes);
    void fail(std::string why);

    int fd_ = -1;
    MaskKeys keys_;
    std::string key_;
    bool open_ = false;
    std::string in_;
    ServerFrameParser parser_{16 << 20};
    std::string failure_;
};

}  // namespace parley::bench::sfu
