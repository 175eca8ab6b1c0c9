// Engine.IO v4 packets over a WebSocket ("0" open, "2"/"3" ping/pong, "4" message) carrying
// Socket.IO v5 packets ("0" connect, "2" event, "3" ack, "4" connect error) for the default
// namespace. Only what the reference server (bench/reference/server.mjs) needs.
#include <boost/json.hpp>

#include "dialect.hpp"

namespace parley::bench {
namespace {

constexpr std::string_view kJoinAckId = "1";

class SocketIoDialect final : public Dialect {
public:
    std::string_view name() const override { return "socketio"; }
    std::string_view path() const override { return "/socket.io/?EIO=4&transport=websocket"; }
    bool readyOnHandshake() const override { return false; }
    std::string connectReply() const override { return "40"; }
    std::string pingReply() const override { return "3"; }

    std::string join(std::string_view room, std::string_view name) const override {
        boost::json::array event{"join", boost::json::object{{"room", room}, {"name", name}}};
        return "42" + std::string(kJoinAckId) + boost::json::serialize(event);
    }

    void appendRelay(std::string& out, std::string_view to, const RelayStamp& stamp,
                     std::size_t padding) const override {
        out += R"(42["candidate",{"to":")";
        out += to;
        out += R"(","candidate":)";
        appendCandidate(out, stamp, padding);
        out += "}]";
    }

    Incoming classify(std::string_view frame) const override {
        Incoming in;
        if (frame.starts_with("42")) {
            if (auto stamp = findStamp(frame)) {
                in.kind = Incoming::Kind::Relay;
                in.stamp = *stamp;
            } else if (frame.starts_with(R"(42["error")")) {
                in.kind = Incoming::Kind::Error;
                in.id = frame;
            }
        } else if (frame == "2") {
            in.kind = Incoming::Kind::Ping;
        } else if (frame.starts_with("0{")) {
            in.kind = Incoming::Kind::Open;
        } else if (frame.starts_with("40")) {
            in.kind = Incoming::Kind::Connected;
            in.id = stringField(frame.substr(2), "sid");
        } else if (frame.starts_with("43") && frame.substr(2).starts_with(kJoinAckId)) {
            in.kind = Incoming::Kind::Joined;
            auto body = frame.substr(2 + kJoinAckId.size());
            boost::system::error_code ec;
            auto value = boost::json::parse(body, ec);
            if (!ec && value.is_array() && !value.get_array().empty()) {
                const auto& reply = value.get_array()[0];
                if (reply.is_object()) {
                    if (const auto* error = reply.get_object().if_contains("error")) {
                        in.kind = Incoming::Kind::Error;
                        in.id = boost::json::serialize(*error);
                    } else if (const auto* id = reply.get_object().if_contains("id");
                               id && id->is_string()) {
                        in.id = id->get_string();
                    }
                }
            }
        } else if (frame.starts_with("44") || frame.starts_with("41") || frame == "1") {
            in.kind = Incoming::Kind::Error;
            in.id = frame;
        }
        return in;
    }

private:
    static std::string stringField(std::string_view json, std::string_view key) {
        boost::system::error_code ec;
        auto value = boost::json::parse(json, ec);
        if (ec || !value.is_object()) return {};
        const auto* field = value.get_object().if_contains(key);
        return field && field->is_string() ? std::string(field->get_string()) : std::string();
    }
};

}  // namespace

std::unique_ptr<Dialect> makeSocketIoDialect() { return std::make_unique<SocketIoDialect>(); }

}  // namespace parley::bench
