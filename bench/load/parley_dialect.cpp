// docs/protocol.md v1: join, then `candidate` addressed with `to`; the server relays it with
// `from` and `seq` and echoes the candidate object untouched. A node of a cluster may answer a
// join with `room-elsewhere` and the URL of the node that holds the room.
#include <boost/json.hpp>

#include "dialect.hpp"

namespace parley::bench {
namespace {

class ParleyDialect final : public Dialect {
public:
    std::string_view name() const override { return "parley"; }
    std::string_view path() const override { return "/ws"; }
    bool readyOnHandshake() const override { return true; }
    std::string keepalive() const override { return R"({"type":"ping","t":0})"; }

    std::string join(std::string_view room, std::string_view name) const override {
        boost::json::object join{{"type", "join"}, {"req", 1}, {"v", 1},
                                 {"room", room}, {"name", name}};
        return boost::json::serialize(join);
    }

    void appendRelay(std::string& out, std::string_view to, const RelayStamp& stamp,
                     std::size_t padding) const override {
        out += R"({"type":"candidate","to":")";
        out += to;
        out += R"(","candidate":)";
        appendCandidate(out, stamp, padding);
        out += '}';
    }

    Incoming classify(std::string_view frame) const override {
        Incoming in;
        // Relays dominate; look for the stamp before paying for a JSON parse.
        if (auto stamp = findStamp(frame)) {
            in.kind = Incoming::Kind::Relay;
            in.stamp = *stamp;
            return in;
        }
        boost::system::error_code ec;
        auto value = boost::json::parse(frame, ec);
        const auto* object = ec ? nullptr : value.if_object();
        const auto* type = object ? object->if_contains("type") : nullptr;
        if (!type || !type->is_string()) return in;
        if (type->get_string() == "joined") {
            in.kind = Incoming::Kind::Joined;
            if (const auto* you = object->if_contains("you"); you && you->is_object())
                if (const auto* id = you->get_object().if_contains("id"); id && id->is_string())
                    in.id = id->get_string();
            if (const auto* token = object->if_contains("resumeToken"); token && token->is_string())
                in.resumeToken = token->get_string();
        } else if (type->get_string() == "error") {
            in.kind = Incoming::Kind::Error;
            in.id = frame;
            // A node of a cluster that does not hold the room names the one that does.
            const auto* code = object->if_contains("code");
            const auto* url = object->if_contains("url");
            if (code && code->is_string() && code->get_string() == "room-elsewhere" && url &&
                url->is_string()) {
                in.kind = Incoming::Kind::Redirect;
                in.id = url->get_string();
            }
            // The room's node is gone and no node holds the room yet: ask again shortly.
            if (code && code->is_string() && code->get_string() == "room-moving") {
                in.kind = Incoming::Kind::Retry;
                in.retryAfterMs = 1000;
                if (const auto* after = object->if_contains("retryAfterMs"); after && after->is_int64() &&
                    after->get_int64() >= 0 && after->get_int64() <= 60'000)
                    in.retryAfterMs = std::uint32_t(after->get_int64());
            }
        }
        return in;
    }
};

}  // namespace

std::unique_ptr<Dialect> makeParleyDialect() { return std::make_unique<ParleyDialect>(); }

}  // namespace parley::bench
