#include "protocol/gateway.hpp"

#include <spdlog/spdlog.h>

#include "protocol/decoder.hpp"
#include "protocol/encoder.hpp"

namespace parley::protocol {

namespace {

Frame frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

}  // namespace

Gateway::Gateway(core::RoomsConfig rooms, GatewayConfig config, const core::Clock& clock,
                 core::IdSource& ids, Outbound& out)
    : config_(std::move(config)), clock_(clock), out_(out), rooms_(rooms, clock, ids, *this) {}

void Gateway::onText(SessionId session, std::string_view text) {
    auto decoded = decode(text);
    if (auto* error = std::get_if<DecodeError>(&decoded)) {
        spdlog::debug("refused session={} code={} field={}", session, core::toString(error->code),
                      error->field);
        out_.send(session, frame(encodeError(error->req, error->code, error->message, error->field)));
        return;
    }
    auto& message = std::get<Message>(decoded);
    const std::string& req = message.req;

    // Sends the reply a request is owed: the error, or `ok` when the client asked with `req`.
    auto conclude = [&](const std::optional<core::Refusal>& refusal, std::string_view field = {}) {
        if (refusal) {
            spdlog::debug("refused session={} code={}", session, core::toString(refusal->code));
            out_.send(session, frame(encodeError(req, refusal->code, refusal->message, field)));
        } else if (!req.empty()) {
            out_.send(session, frame(encodeOk(req)));
        }
    };

    std::visit(
        [&](auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, Join>) {
                auto result = rooms_.join(session, body.room, body.name, body.media);
                if (auto* refusal = std::get_if<core::Refusal>(&result)) {
                    conclude(*refusal);
                    return;
                }
                auto& accepted = std::get<core::JoinAccepted>(result);
                spdlog::info("join room={} id={} session={} size={}", accepted.room, accepted.you.id,
                             session, accepted.others.size() + 1);
                JoinedInfo info{req, config_.serverName, config_.iceServersJson,
                                rooms_.config().maxRoomSize, clock_.nowMs()};
                out_.send(session, frame(encodeJoined(info, accepted)));
            } else if constexpr (std::is_same_v<T, Relay>) {
                auto refusal = rooms_.relay(session, body.to, body.kind, std::move(body.payload));
                std::string_view field;
                if (refusal && (refusal->code == core::ErrorCode::TargetNotFound ||
                                refusal->code == core::ErrorCode::SelfTarget)) {
                    field = "to";
                }
                conclude(refusal, field);
            } else if constexpr (std::is_same_v<T, Media>) {
                conclude(rooms_.setMedia(session, body.media));
            } else if constexpr (std::is_same_v<T, Leave>) {
                conclude(rooms_.leave(session, core::LeaveReason::Left));
            } else {
                static_assert(std::is_same_v<T, Ping>);
                out_.send(session, frame(encodePong(req, body.t, clock_.nowMs())));
            }
        },
        message.body);
}

void Gateway::onBinary(SessionId session) {
    out_.send(session, frame(encodeError({}, core::ErrorCode::UnsupportedFrame,
                                         "Binary frames are not supported; send JSON text", {})));
}

void Gateway::onDisconnect(SessionId session) {
    if (rooms_.isJoined(session)) rooms_.leave(session, core::LeaveReason::Disconnected);
}

void Gateway::onEvent(SessionId to, std::uint64_t seq, const core::Event& event) {
    out_.send(to, frame(encodeEvent(seq, event)));
}

void Gateway::onRelay(const core::RelayTrace& t) {
    spdlog::info("relay room={} from={} to={} kind={} bytes={} outcome={}", t.room, t.from, t.to,
                 core::toString(t.kind), t.bytes, core::toString(t.outcome));
}

}  // namespace parley::protocol
