#include "protocol/gateway.hpp"

#include <spdlog/spdlog.h>

#include "auth/room_token.hpp"
#include "protocol/decoder.hpp"
#include "protocol/encoder.hpp"
#include "protocol/validation.hpp"

namespace parley::protocol {

namespace {

Frame frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

}  // namespace

Gateway::Gateway(core::RoomsConfig rooms, GatewayConfig config, const core::Clock& clock,
                 core::IdSource& ids, Outbound& out)
    : config_(std::move(config)), clock_(clock), out_(out), replay_(config_.replay),
      rooms_(rooms, clock, ids, *this) {}

void Gateway::onOpen(SessionId session, std::string address) {
    connection(session).address = std::move(address);
}

Gateway::Connection& Gateway::connection(SessionId session) {
    auto it = connections_.find(session);
    if (it == connections_.end()) {
        it = connections_.emplace(session, Connection{core::FloodGuard(config_.messageRate, clock_.nowMs()), {}}).first;
    }
    return it->second;
}

const std::string& Gateway::addressOf(SessionId session) { return connection(session).address; }

bool Gateway::onControl(SessionId session) {
    switch (rate(session)) {
        case core::FloodGuard::Verdict::Accept:
            return true;
        case core::FloodGuard::Verdict::Drop:
            ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::RateLimited)];
            return false;  // unanswered: a pong for every ping would be the flood's echo
        case core::FloodGuard::Verdict::Close:
            break;
    }
    return false;
}

void Gateway::onText(SessionId session, std::string_view text) {
    auto decoded = decode(text);
    // Decoded first so a dropped request still gets its one reply, echoing req.
    const std::string& req = std::holds_alternative<DecodeError>(decoded)
                                 ? std::get<DecodeError>(decoded).req
                                 : std::get<Message>(decoded).req;
    if (!admit(session, req)) return;
    if (auto* error = std::get_if<DecodeError>(&decoded)) {
        spdlog::debug("refused session={} code={} field={}", session, core::toString(error->code),
                      error->field);
        ++counters_.errors[static_cast<std::size_t>(error->code)];
        out_.send(session, frame(encodeError(error->req, error->code, error->message, error->field)));
        return;
    }
    handle(session, std::get<Message>(decoded).req, std::get<Message>(decoded));
}

void Gateway::handle(SessionId session, const std::string& req, Message& message) {
    // Sends the reply a request is owed: the error, or `ok` when the client asked with `req`.
    auto conclude = [&](const core::Outcome& refusal, std::string_view field = {}) {
        if (refusal) {
            ++counters_.errors[static_cast<std::size_t>(refusal->code)];
            spdlog::debug("refused session={} code={}", session, core::toString(refusal->code));
            out_.send(session, frame(encodeError(req, refusal->code, refusal->message, field,
                                                 refusal->retryAfterMs)));
        } else if (!req.empty()) {
            out_.send(session, frame(encodeOk(req)));
        }
    };
    auto targetField = [](const core::Outcome& r, std::string_view name) -> std::string_view {
        bool aboutTarget = r && (r->code == core::ErrorCode::TargetNotFound ||
                                 r->code == core::ErrorCode::SelfTarget);
        return aboutTarget ? name : std::string_view{};
    };
    using core::Room;

    std::visit(
        [&](auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, Join>) {
                core::Credentials credentials{body.password, false, false};
                if (auto refusal = checkToken(body, credentials)) {
                    conclude(refusal, "token");
                    return;
                }
                if (locating_.count(session)) {
                    conclude(core::Refusal{core::ErrorCode::AlreadyJoined, "A join is already on its way"});
                    return;
                }
                if (!locator_ || rooms_.find(body.room) || rooms_.isJoined(session)) {
                    join(session, req, body, credentials);
                    return;
                }
                // A room this node does not hold: the cluster says where it lives first.
                locating_.insert(session);
                locator_->locate(body.room, [this, session, req, body, credentials](core::RoomLocation where) mutable {
                    locating_.erase(session);
                    if (!connections_.count(session)) return;  // gone meanwhile
                    located(session, req, body, credentials, where);
                });
            } else if constexpr (std::is_same_v<T, Relay>) {
                auto refusal = rooms_.relay(session, body.to, body.kind, std::move(body.payload));
                conclude(refusal, targetField(refusal, "to"));
            } else if constexpr (std::is_same_v<T, Media>) {
                conclude(rooms_.setMedia(session, body.media));
            } else if constexpr (std::is_same_v<T, Leave>) {
                conclude(rooms_.leave(session, core::LeaveReason::Left));
            } else if constexpr (std::is_same_v<T, Ping>) {
                if (body.ack) {
                    if (auto me = rooms_.participantOf(session)) replay_.acknowledge(*me, *body.ack);
                }
                out_.send(session, frame(encodePong(req, body.t, clock_.nowMs())));
            } else if constexpr (std::is_same_v<T, Resume>) {
                resume(session, req, body);
            } else if constexpr (std::is_same_v<T, TraceRequest>) {
                auto me = rooms_.participantOf(session);
                const core::Room* room = me ? rooms_.find(rooms_.roomOf(*me)) : nullptr;
                if (!room) {
                    conclude(core::Refusal{core::ErrorCode::NotJoined, "Join a room first"});
                } else if (!room->isAdmitted(*me)) {
                    // Someone waiting in line sees nothing of the room, its trace included.
                    conclude(core::Refusal{core::ErrorCode::NotAdmitted, "You are waiting to be let in"});
                } else {
                    out_.send(session, frame(encodeTrace(req, room->id(), room->trace(), *me)));
                }
            } else if constexpr (std::is_same_v<T, MediaReportRequest>) {
                mediaReport(session, req, conclude);
            } else if constexpr (std::is_same_v<T, MediaOffer> || std::is_same_v<T, MediaAnswer>) {
                mediaExchange(session, req, body, conclude);
            } else if constexpr (std::is_same_v<T, VisibleVideos>) {
                if (!mediaSignaling_) {
                    conclude(core::Refusal{core::ErrorCode::NotForwarded,
                                           "This server does not forward media: rooms are peer to peer"});
                    return;
                }
                auto outcome = rooms_.act(session, [&](Room& room, const core::ParticipantId& me) -> core::Outcome {
                    if (!room.isAdmitted(me)) {
                        return core::Refusal{core::ErrorCode::NotAdmitted, "You are waiting to be let in"};
                    }
                    // Checked whole before anything changes: a list with one stranger is refused.
                    for (const auto& video : body.videos) {
                        if (!room.isAdmitted(video.participant)) {
                            return core::Refusal{core::ErrorCode::TargetNotFound,
                                                 "Nobody with id '" + video.participant + "' is in the room"};
                        }
                    }
                    return mediaSignaling_->visibleVideos(room.id(), me, body.videos);
                });
                conclude(outcome, targetField(outcome, "videos"));
            } else if constexpr (std::is_same_v<T, Chat>) {
                conclude(rooms_.act(session, [&](Room& r, auto& me) { return r.chat(me, std::move(body.text)); }));
            } else if constexpr (std::is_same_v<T, Hand>) {
                conclude(rooms_.act(session, [&](Room& r, auto& me) { return r.hand(me, body.raised); }));
            } else if constexpr (std::is_same_v<T, HostAction>) {
                auto outcome = rooms_.act(session, [&](Room& r, auto& me) {
                    switch (body.kind) {
                        case HostActionKind::Admit: return r.admit(me, body.id);
                        case HostActionKind::Decline: return r.decline(me, body.id);
                        case HostActionKind::MoveToFront: return r.moveToFront(me, body.id);
                        case HostActionKind::Mute: return r.mute(me, body.id);
                        case HostActionKind::RequestUnmute: return r.requestUnmute(me, body.id);
                        case HostActionKind::TransferHost: return r.transferHost(me, body.id);
                    }
                    return core::Outcome{};
                });
                conclude(outcome, targetField(outcome, "id"));
            } else if constexpr (std::is_same_v<T, Kick>) {
                auto outcome = rooms_.act(session, [&](Room& r, auto& me) {
                    return r.kick(me, body.id, std::move(body.reason));
                });
                conclude(outcome, targetField(outcome, "id"));
            } else if constexpr (std::is_same_v<T, Lock>) {
                conclude(rooms_.act(session, [&](Room& r, auto& me) { return r.lock(me, body.locked); }));
            } else if constexpr (std::is_same_v<T, EndSession>) {
                conclude(rooms_.act(session, [&](Room& r, auto& me) { return r.endSession(me); }));
            } else if constexpr (std::is_same_v<T, SetTimer>) {
                conclude(rooms_.act(session, [&](Room& r, auto& me) { return r.setTimer(me, body.seconds * 1000); }));
            } else {
                static_assert(std::is_same_v<T, ExtendTimer>);
                conclude(rooms_.act(session, [&](Room& r, auto& me) { return r.extendTimer(me, body.seconds * 1000); }));
            }
        },
        message.body);
}

template <class Body, class Conclude>
void Gateway::mediaExchange(SessionId session, const std::string& req, Body& body, Conclude& conclude) {
    if (!mediaSignaling_) {
        conclude(core::Refusal{core::ErrorCode::NotForwarded, "This server does not forward media: rooms are peer to peer"});
        return;
    }
    core::MediaAnswer answer;
    auto outcome = rooms_.act(session, [&](core::Room& room, const core::ParticipantId& me) -> core::Outcome {
        if (!room.isAdmitted(me)) return core::Refusal{core::ErrorCode::NotAdmitted, "You are waiting to be let in"};
        if constexpr (std::is_same_v<Body, MediaOffer>) {
            auto result = mediaSignaling_->offer(room.id(), me, body.sdp, body.tracks);
            if (auto* refusal = std::get_if<core::Refusal>(&result)) return *refusal;
            answer = std::move(std::get<core::MediaAnswer>(result));
            return std::nullopt;
        } else {
            return mediaSignaling_->answer(room.id(), me, body.version, body.sdp);
        }
    });
    if (outcome || !std::is_same_v<Body, MediaOffer>) {
        conclude(outcome);
    } else {
        out_.send(session, frame(encodeMediaAnswer(req, answer)));
    }
}

template <class Conclude>
void Gateway::mediaReport(SessionId session, const std::string& req, Conclude& conclude) {
    auto me = rooms_.participantOf(session);
    const core::Room* room = me ? rooms_.find(rooms_.roomOf(*me)) : nullptr;
    if (!room) return conclude(core::Refusal{core::ErrorCode::NotJoined, "Join a room first"});
    if (!room->isAdmitted(*me)) return conclude(core::Refusal{core::ErrorCode::NotAdmitted, "You are waiting to be let in"});
    if (!mediaSignaling_) {
        return conclude(core::Refusal{core::ErrorCode::NotForwarded, "This server does not forward media: rooms are peer to peer"});
    }
    auto report = mediaSignaling_->mediaReport(room->id());
    if (auto* refusal = std::get_if<core::Refusal>(&report)) return conclude(*refusal);
    const auto mine = core::reportFor(std::get<core::MediaReport>(report), *me);
    out_.send(session, frame(encodeMediaReport(req, room->id(), mine,
                                               [room](const core::ParticipantId& id) { return room->nameOf(id); })));
}

void Gateway::join(SessionId session, const std::string& req, Join& body, const core::Credentials& credentials) {
    auto result = rooms_.join(session, body.room, body.name, body.media, body.settings, credentials,
                              addressOf(session));
    if (auto* refusal = std::get_if<core::Refusal>(&result)) {
        ++counters_.errors[static_cast<std::size_t>(refusal->code)];
        out_.send(session, frame(encodeError(req, refusal->code, refusal->message, {}, refusal->retryAfterMs)));
    } else if (auto* waiting = std::get_if<core::Waiting>(&result)) {
        ++counters_.waits;
        spdlog::info("wait room={} id={} session={} position={}", waiting->room, waiting->you, session,
                     waiting->position);
        out_.send(session, frame(encodeWaiting(req, *waiting)));
    } else {
        auto& accepted = std::get<core::JoinAccepted>(result);
        ++counters_.joins;
        spdlog::info("join room={} id={} session={} size={}", accepted.room, accepted.you.id, session,
                     accepted.others.size() + 1);
        std::string iceServers;
        JoinedInfo info = context(accepted.you.id, iceServers);
        info.req = req;
        out_.send(session, frame(encodeJoined(info, accepted)));
    }
}

void Gateway::located(SessionId session, const std::string& req, Join& body, const core::Credentials& credentials,
                      const core::RoomLocation& where) {
    if (where.kind == core::RoomLocation::Kind::Here || rooms_.find(body.room)) {
        join(session, req, body, credentials);
    } else {
        notHere(session, req, body.room, where);
    }
}

void Gateway::notHere(SessionId session, const std::string& req, const core::RoomId& room,
                      const core::RoomLocation& where) {
    if (where.kind == core::RoomLocation::Kind::Full) {
        ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::ServerFull)];
        out_.send(session, frame(encodeError(req, core::ErrorCode::ServerFull,
                                             "This service has as many meetings open as it may; try again later", {})));
    } else if (where.kind == core::RoomLocation::Kind::Elsewhere) {
        ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::RoomElsewhere)];
        spdlog::info("elsewhere room={} session={} url={}", room, session, where.url);
        out_.send(session, frame(encodeRoomElsewhere(req, room, where.url)));
    } else {
        ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::RoomMoving)];
        out_.send(session, frame(encodeError(req, core::ErrorCode::RoomMoving,
                                             "The room's server has gone away and another is taking it over: "
                                             "try again shortly",
                                             {}, where.retryAfterMs)));
    }
}

core::Outcome Gateway::checkToken(Join& join, core::Credentials& credentials) const {
    if (join.token.empty()) {
        if (config_.requireToken) return core::Refusal{core::ErrorCode::TokenRequired, "This server admits people with an invitation link only"};
        return std::nullopt;
    }
    if (config_.tokenSecret.empty()) {
        return core::Refusal{core::ErrorCode::InvalidToken, "This server does not use invitation tokens"};
    }
    auto check = auth::verifyRoomToken(join.token, config_.tokenSecret, join.room, clock_.nowMs() / 1000);
    if (!check.claims) {
        return core::Refusal{core::ErrorCode::InvalidToken,
                             "The invitation is not valid (" + std::string(auth::toString(check.problem)) + ")"};
    }
    if (!check.claims->name.empty()) {
        // The inviter chose the name; it is still a display name like any typed one.
        auto name = normalizeDisplayName(check.claims->name);
        if (!name) {
            return core::Refusal{core::ErrorCode::InvalidToken,
                                 "The invitation is not valid (its name is not a valid display name)"};
        }
        join.name = std::move(*name);
    }
    credentials.token = true;
    credentials.hostToken = check.claims->host;
    return std::nullopt;
}

JoinedInfo Gateway::context(const core::ParticipantId& to, std::string& iceServers) const {
    const auto now = clock_.nowMs();
    iceServers = iceServersJson(config_.ice, to, now / 1000);
    return JoinedInfo{{}, config_.serverName, iceServers, toString(config_.ice.transportPolicy),
                      rooms_.config().maxRoomSize, now};
}

core::FloodGuard::Verdict Gateway::rate(SessionId session) {
    const auto verdict = connection(session).guard.onMessage(config_.messageRate, clock_.nowMs());
    if (verdict == core::FloodGuard::Verdict::Close) {
        ++counters_.floodCloses;
        spdlog::warn("session={} kept sending after rate-limited replies: closing (flooding)", session);
        out_.close(session, kCloseFlooding, "flooding");
    }
    return verdict;
}

bool Gateway::admit(SessionId session, const std::string& req) {
    switch (rate(session)) {
        case core::FloodGuard::Verdict::Accept:
            return true;
        case core::FloodGuard::Verdict::Drop:
            ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::RateLimited)];
            out_.send(session, frame(encodeError(req, core::ErrorCode::RateLimited,
                                                 "Too many messages; this one was dropped, slow down", {})));
            return false;
        case core::FloodGuard::Verdict::Close:
            return false;
    }
    return true;
}

void Gateway::onBinary(SessionId session) {
    if (!admit(session, {})) return;
    ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::UnsupportedFrame)];
    out_.send(session, frame(encodeError({}, core::ErrorCode::UnsupportedFrame,
                                         "Binary frames are not supported; send JSON text", {})));
}

void Gateway::onDisconnect(SessionId session) {
    connections_.erase(session);
    if (rooms_.isJoined(session)) ++counters_.disconnects;
    rooms_.detach(session);
}

void Gateway::appendMetrics(std::string& out) const {
    protocol::appendMetrics(out, counters_,
                            Gauges{rooms_.roomCount(), rooms_.participantCount(), rooms_.waitingCount(),
                                   rooms_.awayCount(), replay_.bytes(), replay_.overflows()});
}

std::optional<std::string> Gateway::traceOf(const core::RoomId& room) const {
    const core::Room* r = rooms_.find(room);
    if (!r) return std::nullopt;
    std::string media;
    if (mediaSignaling_) {
        // A forwarded room's media chain; a peer-to-peer room has none (the browsers hold it).
        auto report = mediaSignaling_->mediaReport(r->id());
        if (auto* chain = std::get_if<core::MediaReport>(&report)) {
            media = encodeMediaChain(*chain, [r](const core::ParticipantId& id) { return r->nameOf(id); });
        }
    }
    return encodeTrace({}, r->id(), r->trace(), {}, media);
}

void Gateway::resume(SessionId session, const std::string& req, const Resume& resume) {
    auto refuse = [&](std::string_view message) {
        ++counters_.resumeFailures;
        ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::ResumeFailed)];
        out_.send(session, frame(encodeError(req, core::ErrorCode::ResumeFailed, message, "token")));
    };
    auto holder = rooms_.holderOf(resume.token);
    if (!holder && locator_ && !resume.room.empty() && !rooms_.find(resume.room) && !rooms_.isJoined(session)) {
        // A seat this node does not know, in a room it does not hold: in a cluster the room may
        // live on another node, or be waiting to be taken over (and restored here) after its
        // node died. Asked once; whatever the answer, the token decides after it.
        if (locating_.count(session)) {
            ++counters_.errors[static_cast<std::size_t>(core::ErrorCode::AlreadyJoined)];
            out_.send(session, frame(encodeError(req, core::ErrorCode::AlreadyJoined, "A resume is already on its way", {})));
            return;
        }
        locating_.insert(session);
        locator_->locate(resume.room, [this, session, req, resume](core::RoomLocation where) {
            locating_.erase(session);
            if (!connections_.count(session)) return;  // gone meanwhile
            if (where.kind != core::RoomLocation::Kind::Here && !rooms_.find(resume.room)) {
                return notHere(session, req, resume.room, where);
            }
            Resume located = resume;
            located.room.clear();  // located now: not asked again
            this->resume(session, req, located);
        });
        return;
    }
    if (!holder) return refuse("That session is over (it expired or the server restarted); join again");
    const ReplayLog* log = replay_.find(*holder);
    // More was missed than was kept (ReplayBudget): the whole picture stands in for the replay,
    // as for a reloaded page, and the seat is kept.
    const bool fallback = !resume.snapshot && log && !log->covers(resume.lastSeq);
    const bool snapshot = resume.snapshot || fallback;
    auto result = rooms_.resume(session, resume.token, snapshot, addressOf(session),
                                resume.snapshot ? 0 : resume.lastSeq);
    if (auto* refusal = std::get_if<core::Refusal>(&result)) {
        ++counters_.errors[static_cast<std::size_t>(refusal->code)];
        out_.send(session, frame(encodeError(req, refusal->code, refusal->message, {})));
        return;
    }
    ++counters_.resumes;
    if (fallback) ++counters_.resumeSnapshotFallbacks;
    const auto& resumed = std::get<core::Resumed>(result);
    if (resumed.replaced) out_.close(*resumed.replaced, kCloseReplaced, "replaced");
    // Rooms answers with a snapshot on its own for a seat restored from another node's
    // snapshot: there is nothing here to replay from.
    if (snapshot || resumed.snapshot) return sendSnapshot(session, req, resumed, fallback);
    std::size_t missed = 0;
    if (log) {
        replay_.acknowledge(resumed.id, resume.lastSeq);
        missed = log->forEachAfter(resume.lastSeq, [](const Frame&) {});
    }
    spdlog::info("resume room={} id={} session={} replayed={}", resumed.room, resumed.id, session, missed);
    out_.send(session, frame(encodeResumed(req, resumed.id, resumed.room, missed, resumed.lastSeq,
                                           config_.serverName, clock_.nowMs())));
    if (log) log->forEachAfter(resume.lastSeq, [&](const Frame& f) { out_.send(session, f); });
}

void Gateway::sendSnapshot(SessionId session, const std::string& req, const core::Resumed& resumed,
                           bool fallback) {
    // The snapshot stands for every event so far: none is replayed or kept for replay.
    replay_.acknowledge(resumed.id, resumed.lastSeq);
    std::string snapshot;
    std::string iceServers;  // fresh TURN credentials: the client builds new peers
    if (resumed.snapshot) {
        std::visit(
            [&](const auto& s) {
                using S = std::decay_t<decltype(s)>;
                if constexpr (std::is_same_v<S, core::JoinAccepted>) {
                    snapshot = encodeJoined(context(resumed.id, iceServers), s);
                } else {
                    snapshot = encodeWaiting({}, s);
                }
            },
            *resumed.snapshot);
    }
    spdlog::info("resume room={} id={} session={} snapshot=true{}", resumed.room, resumed.id, session,
                 fallback ? " (too much was missed to replay)" : "");
    out_.send(session, frame(encodeResumed(req, resumed.id, resumed.room, 0, resumed.lastSeq,
                                           config_.serverName, clock_.nowMs(), snapshot)));
}

void Gateway::onEvent(std::optional<SessionId> session, const core::ParticipantId& to, std::uint64_t seq,
                      const core::Event& event) {
    // Only an admission becomes a `joined`: mint TURN credentials for that one alone.
    std::string iceServers;
    JoinedInfo joined{};
    if (std::holds_alternative<core::Admitted>(event)) joined = context(to, iceServers);
    Frame f = frame(encodeEvent(seq, event, joined));
    replay_.add(to, rooms_.roomOf(to), seq, f);
    if (session) out_.send(*session, std::move(f));
}

void Gateway::onRelay(const core::RelayTrace& t) {
    ++counters_.relays[static_cast<std::size_t>(t.kind)][static_cast<std::size_t>(t.outcome)];
    spdlog::info("relay room={} from={} to={} kind={} bytes={} outcome={}", t.room, t.from, t.to,
                 core::toString(t.kind), t.bytes, core::toString(t.outcome));
}

}  // namespace parley::protocol
