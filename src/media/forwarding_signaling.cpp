#include "media/forwarding_signaling.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "media/dtls_certificate.hpp"

namespace parley::media {

namespace {

std::string jsonString(std::string_view text) { return boost::json::serialize(boost::json::string(text)); }

bool sending(SdpDirection d) { return d == SdpDirection::SendRecv || d == SdpDirection::SendOnly; }

}  // namespace

ForwardingSignaling::ForwardingSignaling(MediaPlane& plane, core::TopologyPolicy policy, Send send, Defer defer)
    : plane_(plane), policy_(policy), send_(std::move(send)), defer_(std::move(defer)) {}

ServerTransportParams ForwardingSignaling::paramsFor(Peer& peer) {
    ServerTransportParams params;
    params.iceUfrag = peer.serverIce.ufrag;
    params.icePwd = peer.serverIce.pwd;
    params.fingerprintSha256 = plane_.certificate().fingerprint().hex();
    params.addresses = plane_.announcedAddresses();
    params.port = peer.port;
    params.tcp = plane_.tcp();
    params.sessionVersion = ++peer.sessionVersion;
    return params;
}

std::variant<core::MediaAnswer, core::Refusal> ForwardingSignaling::offer(const core::RoomId& room,
                                                                    const core::ParticipantId& who,
                                                                    std::string_view sdp,
                                                                    const std::vector<core::MediaTrackSource>& tracks) {
    auto topology = rooms_.find(room);
    if (topology == rooms_.end() || topology->second != core::Topology::Forwarded) {
        return core::Refusal{core::ErrorCode::NotForwarded, "This room is peer to peer now: connect to the others directly"};
    }
    auto parsed = parseSdp(sdp);
    if (!parsed.ok()) {
        return core::Refusal{core::ErrorCode::BadSdp,
                             "The offer could not be read (line " + std::to_string(parsed.line) + "): " + parsed.error};
    }
    const SessionDescription& offer = *parsed.description;
    const bool fresh = peers_.find(who) == peers_.end();
    Peer& peer = peers_[who];
    if (fresh) {
        peer.room = room;
        peer.port = plane_.pin(room);
        peer.serverIce = generateIceCredentials();
        // Who speaks is news to them: they were not there (or not connected) when it was said.
        // Sent after the reply, like the server's offers.
        defer_([this, who, room] {
            auto speaker = speakers_.find(room);
            auto peer = peers_.find(who);
            if (speaker != speakers_.end() && peer != peers_.end() && peer->second.room == room) {
                sendActiveSpeaker(who, speaker->second);
            }
        });
    }
    const auto live = std::count_if(offer.media.begin(), offer.media.end(), [](const auto& m) { return !m.rejected(); });
    // A browser's connection to the server has a few sections of its own (microphone, camera,
    // screen) and one per track it receives: 50 people with three each stay far below this.
    constexpr std::ptrdiff_t kMaxSections = 256;
    if (live > kMaxSections) {
        if (fresh) peers_.erase(who);
        return core::Refusal{core::ErrorCode::BadSdp, "The offer has more m-sections than a meeting needs"};
    }
    const bool hasMedia = live > 0;
    if (!hasMedia) {
        // Nothing to send yet: the answer has no m-section either, and ICE and DTLS start when
        // the browser answers the server's offer of the others' tracks.
        SessionDescription answer;
        answer.origin.sessionId = "1";
        answer.origin.sessionVersion = ++peer.sessionVersion;
        answer.iceLite = true;
        for (const auto& p : peer.published) plane_.unpublish(room, p.stream.ssrc);
        const bool hadPublished = !peer.published.empty();
        peer.published.clear();
        if (peer.pendingOffer) {
            peer.pendingOffer.reset();
            peer.pendingSending.clear();
            peer.offerAgain = true;
        }
        peer.server = answer;
        peer.browser = offer;
        if (hadPublished) offerToOthers(room, who);
        if (fresh || peer.offerAgain) {
            peer.offerAgain = false;
            scheduleOffer(who);
        }
        return core::MediaAnswer{serializeSdp(answer), {}};
    }
    const SdpMediaSection* first = nullptr;
    for (const auto& m : offer.media) {
        if (!m.rejected()) {
            first = &m;
            break;
        }
    }
    const auto ufrag = offer.iceUfragOf(*first);
    const auto fingerprintLine = offer.fingerprintOf(*first);
    const auto fingerprint = fingerprintLine
                                 ? CertificateFingerprint::parse(fingerprintLine->algorithm, fingerprintLine->value)
                                 : std::nullopt;
    if (!ufrag || !fingerprint) {
        if (fresh) peers_.erase(who);
        return core::Refusal{core::ErrorCode::BadSdp, "The offer has no ICE credentials or no usable DTLS fingerprint"};
    }
    if (peer.transportLost && peer.remoteFingerprint == *fingerprint) {
        return core::Refusal{core::ErrorCode::MediaConnectionLost,
                             "The server closed this connection (nothing came over it for too long): make a new one"};
    }
    const bool newTransport = peer.remoteUfrag != *ufrag || peer.transportLost;
    if (newTransport && !peer.remoteUfrag.empty()) peer.serverIce = generateIceCredentials();  // an ICE restart
    const bool newConnection = newTransport && std::any_of(peer.sending.begin(), peer.sending.end(), [&](const Sent& s) {
        return offer.section(s.track.mid) == nullptr;
    });
    if (newConnection) {
        // Not a restart of the connection the server knows but a new one (a reloaded page, or a
        // client starting over after a failure): none of the server's sections are in it, so
        // everything is offered to it afresh.
        for (const Sent& s : peer.sending) plane_.unsubscribe(room, s.track.ssrc);
        peer.sending.clear();
        peer.offerAgain = true;
    }
    if (peer.pendingOffer) {
        // Glare: the server yields. The participant ignores the server's offer (it has its own
        // out); it is made again, with whatever it carried, once this exchange is done.
        peer.pendingOffer.reset();
        peer.pendingSending.clear();
        peer.offerAgain = true;
    }
    std::vector<Sent> intoSlots = intoReceiveSlots(who, peer, offer);
    std::vector<OutgoingTrack> keep;
    for (const Sent& s : peer.sending) keep.push_back(s.track);
    for (const Sent& s : intoSlots) keep.push_back(s.track);
    auto answer = answerPublisherOffer(offer, paramsFor(peer), keep);
    if (!answer.ok()) {
        if (fresh) peers_.erase(who);
        return core::Refusal{core::ErrorCode::BadSdp, "The offer cannot be answered: " + answer.error};
    }
    std::erase_if(intoSlots, [&](Sent& s) {
        const SdpMediaSection* section = answer.description->section(s.track.mid);
        const SdpCodec* codec = section && !section->rejected() ? forwardedCodec(*section) : nullptr;
        if (!codec) return true;
        s.payloadType = static_cast<std::uint8_t>(codec->payloadType);
        const SdpCodec* rtx = s.track.rtxSsrc != 0 ? rtxCodecFor(*section, codec->payloadType) : nullptr;
        s.rtxPayloadType = rtx ? static_cast<std::uint8_t>(rtx->payloadType) : 0;
        return false;
    });

    auto published = publishedIn(offer, tracks, who);
    std::erase_if(published, [&](const Published& p) {
        const SdpMediaSection* accepted = answer.description->section(p.mid);
        return !accepted || accepted->rejected();
    });
    for (Published& p : published) {
        // Feedback only where the answer agreed to the extension and to transport-cc feedback.
        const SdpMediaSection* accepted = answer.description->section(p.mid);
        const SdpExtmap* extmap = accepted->extmap(extmap_uri::kTransportWideCc);
        const bool feedback = std::any_of(accepted->codecs.begin(), accepted->codecs.end(),
                                          [](const SdpCodec& c) { return c.hasFeedback("transport-cc"); });
        if (extmap && feedback && extmap->id > 0 && extmap->id < 256) {
            p.stream.transportCcExtension = static_cast<std::uint8_t>(extmap->id);
        }
        const SdpExtmap* level = accepted->extmap(extmap_uri::kAudioLevel);
        if (!p.stream.video && level && level->id > 0 && level->id < 256) {
            p.stream.audioLevelExtension = static_cast<std::uint8_t>(level->id);
        }
        const SdpCodec* codec = forwardedCodec(*accepted);
        if (!codec) continue;
        p.stream.payloadType = static_cast<std::uint8_t>(codec->payloadType);
        // The publisher's RTX stream, where the answer accepted rtx: its SSRC is the second of
        // the offer's FID group, so its retransmissions can be turned back into packets.
        const SdpCodec* rtx = rtxCodecFor(*accepted, codec->payloadType);
        const SdpMediaSection* offered = offer.section(p.mid);
        if (!rtx || !offered) continue;
        for (const auto& group : offered->ssrcGroups) {
            if (group.semantics == "FID" && group.ssrcs.size() >= 2 && group.ssrcs[0] == p.stream.ssrc) {
                p.stream.rtxSsrc = group.ssrcs[1];
                p.stream.rtxPayloadType = static_cast<std::uint8_t>(rtx->payloadType);
            }
        }
    }
    std::set<std::uint32_t> before, after;
    for (const auto& p : peer.published) before.insert(p.stream.ssrc);
    for (const auto& p : published) after.insert(p.stream.ssrc);
    // An ICE restart of the connection the server has: the browser keeps its DTLS session and
    // keys through it, so the transport stays (with new ICE credentials), and so does what it
    // publishes and receives. Another certificate is another connection, set up anew.
    const bool iceRestart = newTransport && !peer.remoteUfrag.empty() && peer.remoteFingerprint == *fingerprint;
    const bool restarted = newTransport && !peer.remoteUfrag.empty() && !iceRestart;
    if (iceRestart) {
        plane_.restartIce(room, who, peer.serverIce, *ufrag);
        peer.remoteUfrag = *ufrag;
    } else if (newTransport) {
        plane_.openTransport(room, who, peer.serverIce, *ufrag, *fingerprint);
        peer.remoteUfrag = *ufrag;
        peer.remoteFingerprint = *fingerprint;
        peer.transportLost = false;
    }
    if (!restarted) {
        for (const auto& p : peer.published) {
            if (!after.count(p.stream.ssrc)) plane_.unpublish(room, p.stream.ssrc);
        }
        for (const auto& p : published) {
            if (!before.count(p.stream.ssrc)) publish(room, who, p);
        }
    }
    peer.published = std::move(published);
    peer.server = *answer.description;
    peer.browser = offer;
    if (restarted) restore(who);
    if (!intoSlots.empty()) {
        std::vector<Sent> now = peer.sending;
        now.insert(now.end(), intoSlots.begin(), intoSlots.end());
        applySending(peer, who, std::move(now));
    }
    if (before != after) offerToOthers(room, who);
    if (fresh || peer.offerAgain) {
        peer.offerAgain = false;
        scheduleOffer(who);
    }
    core::MediaAnswer reply{serializeSdp(*answer.description), {}};
    for (const Sent& s : peer.sending) reply.tracks.push_back({s.track.mid, s.from, s.source});
    return reply;
}

std::vector<ForwardingSignaling::Sent> ForwardingSignaling::intoReceiveSlots(const core::ParticipantId& who, Peer& peer,
                                                                              const SessionDescription& offer) {
    std::vector<const SdpMediaSection*> free;
    std::set<std::string> taken;
    for (const Sent& s : peer.sending) taken.insert(s.track.mid);
    for (const auto& m : offer.media) {
        if (m.rejected() || m.direction != SdpDirection::RecvOnly) continue;
        // Remembered so the server's own offers can put someone's track there later.
        peer.receiveSlots.insert(m.mid);
        if (!taken.count(m.mid)) free.push_back(&m);
    }
    std::vector<Sent> placed;
    if (free.empty()) return placed;
    for (Sent& s : wantedBy(who, peer)) {
        if (!s.track.mid.empty()) continue;  // sent already, in its own section
        auto slot = std::find_if(free.begin(), free.end(), [&](const SdpMediaSection* m) { return m->kind == s.track.kind; });
        if (slot == free.end()) continue;  // offered by the server instead, once the reply has gone
        s.track.mid = (*slot)->mid;
        free.erase(slot);
        placed.push_back(std::move(s));
    }
    return placed;
}

std::vector<ForwardingSignaling::Published> ForwardingSignaling::publishedIn(
    const SessionDescription& offer, const std::vector<core::MediaTrackSource>& tracks,
    const core::ParticipantId& who) const {
    std::vector<Published> out;
    // A microphone, a camera, a screen and its sound: a client offering to send more gets the
    // first four forwarded, so one participant cannot multiply everyone's downlink.
    constexpr std::size_t kMaxPublished = 4;
    for (const SdpMediaSection& m : offer.media) {
        if (out.size() == kMaxPublished) break;
        if (m.rejected() || !sending(m.direction)) continue;
        if (m.kind != SdpMediaKind::Audio && m.kind != SdpMediaKind::Video) continue;
        std::optional<std::uint32_t> ssrc;
        for (const auto& group : m.ssrcGroups) {
            if (group.semantics == "FID" && !group.ssrcs.empty()) ssrc = group.ssrcs.front();
        }
        if (!ssrc && !m.ssrcs.empty()) ssrc = m.ssrcs.front().ssrc;
        if (!ssrc) continue;  // rid-only simulcast: not forwarded yet (issue #18)
        std::string source = m.kind == SdpMediaKind::Audio ? "microphone" : "camera";
        for (const auto& t : tracks) {
            if (t.mid == m.mid) source = t.source;
        }
        Published p;
        p.mid = m.mid;
        p.source = source;
        p.kind = m.kind;
        p.stream.participant = who;
        p.stream.source = source;
        p.stream.ssrc = *ssrc;
        p.stream.video = m.kind == SdpMediaKind::Video;
        p.stream.codec = p.stream.video ? MediaCodec::Vp8 : MediaCodec::Opus;
        p.stream.clockRateHz = p.stream.video ? 90000 : 48000;
        out.push_back(std::move(p));
    }
    return out;
}

std::variant<core::MediaReport, core::Refusal> ForwardingSignaling::mediaReport(const core::RoomId& room) const {
    auto topology = rooms_.find(room);
    if (topology == rooms_.end() || topology->second != core::Topology::Forwarded) {
        return core::Refusal{core::ErrorCode::NotForwarded, "This room is peer to peer: the server carries no media of it"};
    }
    // Nothing reported yet (no one has connected to the server): an empty chain, not an error.
    if (auto report = plane_.report(room)) return std::move(*report);
    core::MediaReport empty;
    empty.intervalMs = WorkerMedia::kReportIntervalMs;
    return empty;
}

std::uint32_t ForwardingSignaling::outgoingSsrc(const core::ParticipantId& subscriber, std::uint32_t sourceSsrc,
                                                bool rtx) {
    auto& ssrcs = rtx ? rtxSsrcs_ : ssrcs_;
    auto [it, inserted] = ssrcs.try_emplace({subscriber, sourceSsrc}, nextSsrc_);
    if (inserted) ++nextSsrc_;
    return it->second;
}

std::vector<ForwardingSignaling::Sent> ForwardingSignaling::wantedBy(const core::ParticipantId& who,
                                                                     const Peer& peer) {
    std::vector<Sent> wanted;
    for (const auto& [id, other] : peers_) {
        if (id == who || other.room != peer.room) continue;
        for (const Published& p : other.published) {
            Sent s;
            s.from = id;
            s.source = p.source;
            s.sourceSsrc = p.stream.ssrc;
            s.track.kind = p.kind;
            s.track.ssrc = outgoingSsrc(who, p.stream.ssrc);
            if (p.kind == SdpMediaKind::Video) s.track.rtxSsrc = outgoingSsrc(who, p.stream.ssrc, true);
            s.track.streamId = p.source == "screen" ? id + "-screen" : id;
            s.track.trackId = id + "-" + p.source;
            s.track.cname = id;
            for (const Sent& already : peer.sending) {
                if (already.sourceSsrc == s.sourceSsrc) s.track.mid = already.track.mid;
            }
            wanted.push_back(std::move(s));
        }
    }
    return wanted;
}

void ForwardingSignaling::scheduleOffer(const core::ParticipantId& who) {
    auto it = peers_.find(who);
    if (it == peers_.end() || it->second.offerScheduled) return;
    it->second.offerScheduled = true;
    defer_([this, who] { offerTo(who); });
}

void ForwardingSignaling::offerToOthers(const core::RoomId& room, const core::ParticipantId& except) {
    for (const auto& [id, peer] : peers_) {
        if (id != except && peer.room == room) scheduleOffer(id);
    }
}

void ForwardingSignaling::offerTo(const core::ParticipantId& who) {
    auto it = peers_.find(who);
    if (it == peers_.end()) return;
    Peer& peer = it->second;
    peer.offerScheduled = false;
    if (peer.pendingOffer) {
        peer.offerAgain = true;
        return;
    }
    auto wanted = wantedBy(who, peer);
    std::set<std::uint32_t> now, then;
    for (const Sent& s : wanted) now.insert(s.track.ssrc);
    for (const Sent& s : peer.sending) then.insert(s.track.ssrc);
    if (now == then && !peer.sending.empty()) return;
    if (now.empty() && peer.sending.empty()) return;

    std::vector<OutgoingTrack> tracks;
    for (const Sent& s : wanted) tracks.push_back(s.track);
    auto offer = makeSubscriberOffer(peer.server, peer.browser, tracks, paramsFor(peer), peer.receiveSlots);
    if (!offer.ok()) return;
    for (Sent& s : wanted) {
        for (const OutgoingTrack& placed : offer.tracks) {
            if (placed.trackId == s.track.trackId) s.track = placed;
        }
        if (const SdpMediaSection* section = offer.description->section(s.track.mid)) {
            const SdpCodec* codec = forwardedCodec(*section);
            s.payloadType = codec ? static_cast<std::uint8_t>(codec->payloadType) : 0;
            const SdpCodec* rtx = codec && s.track.rtxSsrc != 0 ? rtxCodecFor(*section, codec->payloadType) : nullptr;
            s.rtxPayloadType = rtx ? static_cast<std::uint8_t>(rtx->payloadType) : 0;
        }
    }
    peer.pendingOffer = *offer.description;
    peer.pendingSending = wanted;
    ++peer.offerVersion;

    std::string fields = "\"version\":" + std::to_string(peer.offerVersion) +
                         ",\"sdp\":" + jsonString(serializeSdp(*offer.description)) + ",\"tracks\":[";
    bool firstTrack = true;
    for (const Sent& s : wanted) {
        if (!firstTrack) fields += ',';
        firstTrack = false;
        fields += "{\"mid\":" + jsonString(s.track.mid) + ",\"from\":" + jsonString(s.from) +
                  ",\"source\":" + jsonString(s.source) + "}";
    }
    fields += ']';
    send_(who, core::ServiceEvent{"media-offer", std::move(fields)});
}

core::Outcome ForwardingSignaling::answer(const core::RoomId& room, const core::ParticipantId& who,
                                          std::uint64_t version, std::string_view sdp) {
    auto topology = rooms_.find(room);
    auto it = peers_.find(who);
    if (topology == rooms_.end() || topology->second != core::Topology::Forwarded || it == peers_.end()) {
        return core::Refusal{core::ErrorCode::NotForwarded, "There is no connection to the server to answer for"};
    }
    Peer& peer = it->second;
    if (peer.transportLost) {
        return core::Refusal{core::ErrorCode::MediaConnectionLost,
                             "The server closed this connection (nothing came over it for too long): make a new one"};
    }
    if (!peer.pendingOffer || version != peer.offerVersion) {
        return core::Refusal{core::ErrorCode::StaleOffer, "A newer offer replaced this one: answer that"};
    }
    auto parsed = parseSdp(sdp);
    if (!parsed.ok()) {
        return core::Refusal{core::ErrorCode::BadSdp,
                             "The answer could not be read (line " + std::to_string(parsed.line) + "): " + parsed.error};
    }
    if (!ensureTransport(who, peer, *parsed.description)) {
        return core::Refusal{core::ErrorCode::BadSdp, "The answer has no ICE credentials or no usable DTLS fingerprint"};
    }
    for (Sent& s : peer.pendingSending) {
        // RTX only where the browser's answer kept it (a NACK is otherwise answered with the
        // plain packet again).
        const SdpMediaSection* answered = parsed.description->section(s.track.mid);
        if (s.rtxPayloadType != 0 && (!answered || !rtxCodecFor(*answered, s.payloadType))) s.rtxPayloadType = 0;
    }
    peer.server = *peer.pendingOffer;
    peer.browser = *parsed.description;
    peer.pendingOffer.reset();
    applySending(peer, who, std::move(peer.pendingSending));
    peer.pendingSending.clear();
    if (peer.offerAgain) {
        peer.offerAgain = false;
        scheduleOffer(who);
    }
    return std::nullopt;
}

void ForwardingSignaling::applySending(Peer& peer, const core::ParticipantId& who, std::vector<Sent> now) {
    std::set<std::uint32_t> kept;
    for (const Sent& s : now) kept.insert(s.track.ssrc);
    for (const Sent& s : peer.sending) {
        if (!kept.count(s.track.ssrc)) plane_.unsubscribe(peer.room, s.track.ssrc);
    }
    std::map<std::uint32_t, bool> had;  // outgoing SSRC → paused
    for (const Sent& s : peer.sending) had[s.track.ssrc] = s.paused;
    for (Sent& s : now) {
        if (auto kept = had.find(s.track.ssrc); kept != had.end()) {
            s.paused = kept->second;
        } else {
            plane_.subscribe(peer.room, subscriptionOf(who, s));
        }
    }
    peer.sending = std::move(now);
    applyVisibility(who, peer);
}

bool ForwardingSignaling::shown(const core::ParticipantId& who, const Sent& s) const {
    if (s.track.kind != SdpMediaKind::Video) return true;  // audio is never paused by this
    auto it = visible_.find(who);
    if (it == visible_.end()) return true;  // a client that never said (an older one): everything
    return it->second.videos.count(core::VisibleVideo{s.from, s.source}) != 0;
}

Subscription ForwardingSignaling::subscriptionOf(const core::ParticipantId& who, Sent& s) const {
    s.paused = !shown(who, s);
    Subscription subscription{who, s.sourceSsrc, s.track.ssrc, s.payloadType};
    if (s.rtxPayloadType != 0 && s.track.rtxSsrc != 0) {
        subscription.rtxSsrc = s.track.rtxSsrc;
        subscription.rtxPayloadType = s.rtxPayloadType;
    }
    subscription.paused = s.paused;
    return subscription;
}

void ForwardingSignaling::applyVisibility(const core::ParticipantId& who, Peer& peer) {
    for (Sent& s : peer.sending) {
        const bool pause = !shown(who, s);
        if (s.paused == pause) continue;
        s.paused = pause;
        plane_.setPaused(peer.room, s.track.ssrc, pause);
    }
}

core::Outcome ForwardingSignaling::visibleVideos(const core::RoomId& room, const core::ParticipantId& who,
                                                 const std::vector<core::VisibleVideo>& videos) {
    Shows& shows = visible_[who];
    shows.room = room;
    shows.videos = std::set<core::VisibleVideo>(videos.begin(), videos.end());
    if (auto it = peers_.find(who); it != peers_.end()) applyVisibility(who, it->second);
    return std::nullopt;
}

void ForwardingSignaling::activeSpeakerChanged(const std::string& room, const std::string& participant) {
    auto topology = rooms_.find(room);
    if (topology == rooms_.end() || topology->second != core::Topology::Forwarded) return;
    // Reported by a worker a moment ago: they may have left since.
    auto speaker = peers_.find(participant);
    if (speaker == peers_.end() || speaker->second.room != room) return;
    speakers_[room] = participant;
    for (const auto& [id, peer] : peers_) {
        if (peer.room == room) sendActiveSpeaker(id, participant);
    }
}

void ForwardingSignaling::transportClosed(const std::string& room, const std::string& participant,
                                          const CertificateFingerprint& remoteFingerprint) {
    auto it = peers_.find(participant);
    // A newer connection has replaced the one that closed: nothing is lost.
    if (it == peers_.end() || it->second.room != room || it->second.remoteFingerprint != remoteFingerprint) return;
    it->second.transportLost = true;
    // Told at once (and replayed after a dropped socket), so the client makes a new connection
    // without waiting for its own ICE restart to be refused.
    send_(participant, core::ServiceEvent{"media-connection-lost", ""});
}

void ForwardingSignaling::sendActiveSpeaker(const core::ParticipantId& to, const std::string& speaker) {
    send_(to, core::ServiceEvent{"active-speaker", "\"participant\":" + jsonString(speaker)});
}

bool ForwardingSignaling::ensureTransport(const core::ParticipantId& who, Peer& peer,
                                          const SessionDescription& description) {
    if (!peer.remoteUfrag.empty()) return true;
    for (const auto& m : description.media) {
        if (m.rejected()) continue;
        const auto ufrag = description.iceUfragOf(m);
        const auto line = description.fingerprintOf(m);
        const auto fingerprint = line ? CertificateFingerprint::parse(line->algorithm, line->value) : std::nullopt;
        if (!ufrag || !fingerprint) return false;
        plane_.openTransport(peer.room, who, peer.serverIce, *ufrag, *fingerprint);
        peer.remoteUfrag = *ufrag;
        peer.remoteFingerprint = *fingerprint;
        return true;
    }
    return false;
}

void ForwardingSignaling::restore(const core::ParticipantId& who) {
    Peer& peer = peers_.at(who);
    for (const Published& p : peer.published) publish(peer.room, who, p);
    for (Sent& s : peer.sending) plane_.subscribe(peer.room, subscriptionOf(who, s));
    for (auto& [id, other] : peers_) {
        if (id == who || other.room != peer.room) continue;
        for (Sent& s : other.sending) {
            if (s.from == who) plane_.subscribe(other.room, subscriptionOf(id, s));
        }
    }
}

void ForwardingSignaling::forget(const core::ParticipantId& who) {
    visible_.erase(who);
    auto it = peers_.find(who);
    if (it == peers_.end()) return;
    const core::RoomId room = it->second.room;
    if (auto speaker = speakers_.find(room); speaker != speakers_.end() && speaker->second == who) {
        speakers_.erase(speaker);
    }
    plane_.closeTransport(room, who);
    peers_.erase(it);
    std::erase_if(ssrcs_, [&](const auto& entry) { return entry.first.first == who; });
    std::erase_if(rtxSsrcs_, [&](const auto& entry) { return entry.first.first == who; });
    offerToOthers(room, who);
}

bool ForwardingSignaling::heldBack(const core::ParticipantId& who, const Published& p) const {
    // A screen's sound is not the microphone: muting someone leaves what they share audible.
    return p.kind == SdpMediaKind::Audio && p.source == "microphone" && micOff_.count(who) > 0;
}

void ForwardingSignaling::publish(const core::RoomId& room, const core::ParticipantId& who, const Published& p) {
    plane_.publish(room, p.stream);
    if (heldBack(who, p)) plane_.setHeld(room, p.stream.ssrc, true);
}

void ForwardingSignaling::admitted(const core::RoomId& room, const core::ParticipantInfo& who) {
    mediaChanged(room, who.id, who.media);
}

void ForwardingSignaling::mediaChanged(const core::RoomId& room, const core::ParticipantId& id,
                                       const core::MediaState& media) {
    const bool wasOff = micOff_.count(id) > 0;
    if (media.mic) {
        micOff_.erase(id);
    } else {
        micOff_[id] = room;
    }
    auto it = peers_.find(id);
    if (it == peers_.end() || wasOff == !media.mic) return;
    for (const Published& p : it->second.published) {
        if (p.kind == SdpMediaKind::Audio && p.source == "microphone") {
            plane_.setHeld(it->second.room, p.stream.ssrc, !media.mic);
        }
    }
}

void ForwardingSignaling::roomOpened(const core::RoomId& room) { rooms_[room] = policy_.forMembers(1); }

void ForwardingSignaling::topologyChanged(const core::RoomId& room, core::Topology topology) {
    rooms_[room] = topology;
    speakers_.erase(room);  // the clients find the speaker themselves in a mesh
    // What they showed is said again once they have moved back to the server: until then all is
    // sent, since a client's move waits for each person's media to flow.
    if (topology != core::Topology::Forwarded) {
        std::erase_if(visible_, [&](const auto& entry) { return entry.second.room == room; });
    }
    // Back to peer to peer: the participants close their connections to the server once their
    // direct ones are up; the transports then lose consent and go. Nothing is offered meanwhile.
}

void ForwardingSignaling::left(const core::RoomId&, const core::ParticipantId& id, core::LeaveReason) {
    forget(id);
    micOff_.erase(id);
}

void ForwardingSignaling::ended(const core::RoomId& room, core::EndReason) {
    std::vector<core::ParticipantId> inRoom;
    for (const auto& [id, peer] : peers_) {
        if (peer.room == room) inRoom.push_back(id);
    }
    for (const auto& id : inRoom) forget(id);
    std::erase_if(micOff_, [&](const auto& entry) { return entry.second == room; });
    std::erase_if(visible_, [&](const auto& entry) { return entry.second.room == room; });
    speakers_.erase(room);
}

void ForwardingSignaling::roomClosed(const core::RoomId& room) {
    ended(room, core::EndReason::HostEnded);
    rooms_.erase(room);
    plane_.unpin(room);
}

std::size_t ForwardingSignaling::pausedFor(const core::ParticipantId& who) const {
    auto it = peers_.find(who);
    if (it == peers_.end()) return 0;
    return static_cast<std::size_t>(
        std::count_if(it->second.sending.begin(), it->second.sending.end(), [](const Sent& s) { return s.paused; }));
}

std::size_t ForwardingSignaling::sendingTo(const core::ParticipantId& who) const {
    auto it = peers_.find(who);
    return it == peers_.end() ? 0 : it->second.sending.size();
}

}  // namespace parley::media
