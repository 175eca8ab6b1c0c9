#include "media/sdp_negotiator.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace parley::media {

namespace {

bool sameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

const SdpCodec* findOpus(const SdpMediaSection& m) {
    for (const auto& c : m.codecs)
        if (c.hasRtpmap && sameName(c.name, "opus") && c.clockRate == 48000 && c.channels == 2) return &c;
    return nullptr;
}

const SdpCodec* findVp8(const SdpMediaSection& m) {
    for (const auto& c : m.codecs)
        if (c.hasRtpmap && sameName(c.name, "VP8") && c.clockRate == 90000) return &c;
    return nullptr;
}

}  // namespace

const SdpCodec* forwardedCodec(const SdpMediaSection& section) {
    if (section.kind == SdpMediaKind::Audio) return findOpus(section);
    if (section.kind == SdpMediaKind::Video) return findVp8(section);
    return nullptr;
}

const SdpCodec* rtxCodecFor(const SdpMediaSection& m, int payloadType) {
    for (const auto& c : m.codecs)
        if (c.hasRtpmap && sameName(c.name, "rtx") && c.clockRate == 90000 &&
            c.fmtpParameter("apt") == std::to_string(payloadType))
            return &c;
    return nullptr;
}

namespace {

// The server's codec lines, with the browser's payload types and only the feedback it offered.
SdpCodec serverOpus(const SdpCodec& browserOpus) {
    SdpCodec c;
    c.payloadType = browserOpus.payloadType;
    c.hasRtpmap = true;
    c.name = "opus";
    c.clockRate = 48000;
    c.channels = 2;
    c.fmtp = "minptime=10;useinbandfec=1";
    if (browserOpus.hasFeedback("transport-cc")) c.feedback.push_back({"transport-cc", ""});
    return c;
}

SdpCodec serverVp8(const SdpCodec& browserVp8) {
    SdpCodec c;
    c.payloadType = browserVp8.payloadType;
    c.hasRtpmap = true;
    c.name = "VP8";
    c.clockRate = 90000;
    const SdpRtcpFeedback wanted[] = {{"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}};
    for (const auto& fb : wanted)
        if (browserVp8.hasFeedback(fb.type, fb.parameter)) c.feedback.push_back(fb);
    return c;
}

SdpCodec serverRtx(int payloadType, int vp8PayloadType) {
    SdpCodec c;
    c.payloadType = payloadType;
    c.hasRtpmap = true;
    c.name = "rtx";
    c.clockRate = 90000;
    c.fmtp = "apt=" + std::to_string(vp8PayloadType);
    return c;
}

std::vector<std::string_view> supportedExtmaps(SdpMediaKind kind, bool serverReceives) {
    namespace u = extmap_uri;
    if (kind == SdpMediaKind::Audio) return {u::kAudioLevel, u::kAbsSendTime, u::kTransportWideCc, u::kMid};
    // rid/repaired-rid only matter when the browser sends simulcast to us.
    if (serverReceives) return {u::kAbsSendTime, u::kTransportWideCc, u::kMid, u::kRid, u::kRepairedRid};
    return {u::kAbsSendTime, u::kTransportWideCc, u::kMid};
}

// Keeps the offered ids (the whole BUNDLE must agree on them) and the offer's order.
std::vector<SdpExtmap> answerExtmaps(const SdpMediaSection& offered, bool serverReceives) {
    const auto supported = supportedExtmaps(offered.kind, serverReceives);
    std::vector<SdpExtmap> out;
    for (const auto& e : offered.extmaps) {
        if (std::find(supported.begin(), supported.end(), e.uri) == supported.end()) continue;
        SdpExtmap a{e.id, std::nullopt, e.uri, {}};
        if (e.direction) a.direction = reversed(*e.direction);
        out.push_back(std::move(a));
    }
    return out;
}

SdpDirection directionFor(bool serverSends, bool serverReceives) {
    if (serverSends && serverReceives) return SdpDirection::SendRecv;
    if (serverSends) return SdpDirection::SendOnly;
    if (serverReceives) return SdpDirection::RecvOnly;
    return SdpDirection::Inactive;
}

bool browserSendsIn(SdpDirection browserDirection) {
    return browserDirection == SdpDirection::SendOnly || browserDirection == SdpDirection::SendRecv;
}
bool browserReceivesIn(SdpDirection browserDirection) {
    return browserDirection == SdpDirection::RecvOnly || browserDirection == SdpDirection::SendRecv;
}

// ICE, DTLS and candidate lines every accepted section of the server's descriptions carries.
void addTransport(SdpMediaSection& m, const ServerTransportParams& p, SdpSetup setup) {
    m.port = p.port;
    m.connection = "IN IP4 " + (p.addresses.empty() ? std::string("0.0.0.0") : p.addresses.front());
    m.rtcp.reset();
    m.iceUfrag = p.iceUfrag;
    m.icePwd = p.icePwd;
    m.iceOptions.reset();
    m.fingerprint = SdpFingerprint{"sha-256", p.fingerprintSha256};
    m.setup = setup;
    m.rtcpMux = true;
    m.candidates.clear();
    // Host candidates only: the server is ICE-lite on a public (or LAN) address. Priorities
    // follow RFC 8445 5.1.2.1 for type host (126), local preference falling per address.
    std::uint32_t localPreference = 65535;
    int foundation = 1;
    for (const auto& address : p.addresses) {
        const std::uint32_t priority = (126u << 24) | (localPreference << 8) | (256u - 1u);
        m.candidates.push_back(
            SdpCandidate{std::to_string(foundation++), 1, "udp", priority, address, p.port, "host", {}});
        if (localPreference > 0) --localPreference;
    }
    if (p.tcp) {
        // RFC 6544 section 4.2: local preference = 2^13 * direction-pref + other-pref, with
        // direction-pref 4 for a passive host candidate. At most 40959, below every UDP
        // candidate's (65535 down), so a browser that can use UDP does.
        std::uint32_t otherPreference = 8191;
        for (const auto& address : p.addresses) {
            const std::uint32_t tcpPreference = (4u << 13) | otherPreference;
            const std::uint32_t priority = (126u << 24) | (tcpPreference << 8) | (256u - 1u);
            m.candidates.push_back(SdpCandidate{std::to_string(foundation++), 1, "tcp", priority, address, p.port,
                                                "host", "tcptype passive"});
            if (otherPreference > 0) --otherPreference;
        }
    }
    m.endOfCandidates = true;
}

void addSendingTrack(SdpMediaSection& m, const OutgoingTrack& t) {
    m.msids = {SdpMsid{t.streamId, t.trackId}};
    m.ssrcs.clear();
    m.ssrcGroups.clear();
    const std::string msid = t.streamId + " " + t.trackId;
    const bool rtx = t.rtxSsrc != 0 && m.kind == SdpMediaKind::Video;
    if (rtx) m.ssrcGroups.push_back(SdpSsrcGroup{"FID", {t.ssrc, t.rtxSsrc}});
    m.ssrcs.push_back(SdpSsrc{t.ssrc, {{"cname", t.cname}, {"msid", msid}}});
    if (rtx) m.ssrcs.push_back(SdpSsrc{t.rtxSsrc, {{"cname", t.cname}, {"msid", msid}}});
}

void clearSendingTrack(SdpMediaSection& m) {
    m.msids.clear();
    m.ssrcs.clear();
    m.ssrcGroups.clear();
}

SdpMediaSection rejectedCopy(const SdpMediaSection& offered) {
    SdpMediaSection m;
    m.kind = offered.kind;
    m.media = offered.media;
    m.port = 0;
    m.protocol = offered.protocol;
    m.formats = offered.formats;
    m.connection = "IN IP4 0.0.0.0";
    m.mid = offered.mid;
    m.direction = SdpDirection::Inactive;
    return m;
}

SessionDescription serverSession(const ServerTransportParams& p) {
    SessionDescription d;
    d.origin = SdpOrigin{"-", p.sessionId, p.sessionVersion, "IN", "IP4", "127.0.0.1"};
    d.iceLite = true;
    d.msidSemantic = SdpMsidSemantic{"WMS", {"*"}};
    return d;
}

void bundleAccepted(SessionDescription& d) {
    SdpGroup bundle{"BUNDLE", {}};
    for (const auto& m : d.media)
        if (!m.rejected()) bundle.ids.push_back(m.mid);
    if (!bundle.ids.empty()) d.groups = {std::move(bundle)};
}

const OutgoingTrack* trackForMid(const std::vector<OutgoingTrack>& tracks, std::string_view mid) {
    for (const auto& t : tracks)
        if (t.mid == mid) return &t;
    return nullptr;
}

bool answerableMedia(const SdpMediaSection& m) {
    return (m.kind == SdpMediaKind::Audio || m.kind == SdpMediaKind::Video) && m.protocol.find("SAVPF") != std::string::npos;
}

}  // namespace

NegotiationResult answerPublisherOffer(const SessionDescription& offer, const ServerTransportParams& params,
                                       const std::vector<OutgoingTrack>& sending) {
    NegotiationResult result;
    SessionDescription answer = serverSession(params);
    answer.extmapAllowMixed = offer.extmapAllowMixed;
    std::set<std::string> mids;
    for (const auto& offered : offer.media) {
        if (offered.mid.empty()) {
            result.error = "offered m-section without a=mid (not Unified Plan)";
            return result;
        }
        if (!mids.insert(offered.mid).second) {
            result.error = "mid " + offered.mid + " offered twice";
            return result;
        }
    }
    for (const auto& t : sending) {
        const SdpMediaSection* m = offer.section(t.mid);
        if (!m || m->kind != t.kind || m->rejected() || !browserReceivesIn(m->direction)) {
            result.error = "cannot send track " + t.trackId + " on mid " + t.mid + ": no such receiving " +
                           (t.kind == SdpMediaKind::Audio ? "audio" : "video") + " section in the offer";
            return result;
        }
    }

    for (const auto& offered : offer.media) {
        const SdpCodec* primary = nullptr;
        if (!offered.rejected() && answerableMedia(offered) && offered.rtcpMux)
            primary = offered.kind == SdpMediaKind::Audio ? findOpus(offered) : findVp8(offered);
        if (!primary) {
            answer.media.push_back(rejectedCopy(offered));
            continue;
        }
        if (!offer.iceUfragOf(offered) || !offer.icePwdOf(offered) || !offer.fingerprintOf(offered)) {
            result.error = "offer lacks ICE credentials or a DTLS fingerprint for mid " + offered.mid;
            return result;
        }
        if (offer.setupOf(offered) == SdpSetup::Passive) {
            result.error = "offer demands a=setup:passive; the server is always the DTLS server";
            return result;
        }
        const OutgoingTrack* track = trackForMid(sending, offered.mid);
        const bool serverReceives = browserSendsIn(offered.direction);

        SdpMediaSection m;
        m.kind = offered.kind;
        m.media = offered.media;
        m.protocol = offered.protocol;
        m.mid = offered.mid;
        addTransport(m, params, SdpSetup::Passive);
        m.rtcpRsize = offered.rtcpRsize;
        m.direction = directionFor(track != nullptr, serverReceives);
        m.extmaps = answerExtmaps(offered, serverReceives);
        if (offered.kind == SdpMediaKind::Audio) {
            m.codecs.push_back(serverOpus(*primary));
        } else {
            m.codecs.push_back(serverVp8(*primary));
            if (const SdpCodec* rtx = rtxCodecFor(offered, primary->payloadType))
                m.codecs.push_back(serverRtx(rtx->payloadType, primary->payloadType));
            // Simulcast the browser sends: receive every layer it offers, under the same rids.
            if (serverReceives && offered.simulcast && !offered.simulcast->send.empty()) {
                for (const auto& rid : offered.rids)
                    if (rid.send) m.rids.push_back(SdpRid{rid.id, false, {}});
                m.simulcast = SdpSimulcast{{}, offered.simulcast->send};
            }
        }
        for (const auto& c : m.codecs) m.formats.push_back(std::to_string(c.payloadType));
        if (track) addSendingTrack(m, *track);
        answer.media.push_back(std::move(m));
    }
    if (offer.bundleGroup()) bundleAccepted(answer);
    result.description = std::move(answer);
    result.tracks = sending;
    return result;
}

namespace {

// The codecs and header extension ids a browser uses, per kind, so that sections the server adds
// agree with the rest of the BUNDLE. Missing kinds get payload types and ids the browser's
// description does not use.
struct BrowserMediaProfile {
    SdpCodec opus;
    SdpCodec vp8;
    std::optional<SdpCodec> rtx;
    std::vector<SdpExtmap> audioExtmaps;
    std::vector<SdpExtmap> videoExtmaps;
};

BrowserMediaProfile profileOf(const SessionDescription& browser) {
    std::set<int> usedPayloadTypes;
    std::set<int> usedExtmapIds;
    const SdpMediaSection* audio = nullptr;
    const SdpMediaSection* video = nullptr;
    for (const auto& m : browser.media) {
        for (const auto& c : m.codecs) usedPayloadTypes.insert(c.payloadType);
        for (const auto& e : m.extmaps) usedExtmapIds.insert(e.id);
        if (!audio && m.kind == SdpMediaKind::Audio && findOpus(m)) audio = &m;
        if (!video && m.kind == SdpMediaKind::Video && findVp8(m)) video = &m;
    }
    auto freePayloadType = [&](int from) {
        int pt = from;
        while (pt < 127 && usedPayloadTypes.count(pt)) ++pt;
        usedPayloadTypes.insert(pt);
        return pt;
    };
    BrowserMediaProfile p;
    if (audio) {
        p.opus = serverOpus(*findOpus(*audio));
        p.audioExtmaps = answerExtmaps(*audio, false);
    } else {
        SdpCodec fallback;
        fallback.payloadType = freePayloadType(111);
        fallback.feedback.push_back({"transport-cc", ""});
        p.opus = serverOpus(fallback);
    }
    if (video) {
        const SdpCodec& vp8 = *findVp8(*video);
        p.vp8 = serverVp8(vp8);
        if (const SdpCodec* rtx = rtxCodecFor(*video, vp8.payloadType)) p.rtx = serverRtx(rtx->payloadType, vp8.payloadType);
        p.videoExtmaps = answerExtmaps(*video, false);
    } else {
        SdpCodec fallback;
        fallback.payloadType = freePayloadType(96);
        for (const auto& fb : std::vector<SdpRtcpFeedback>{{"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}})
            fallback.feedback.push_back(fb);
        p.vp8 = serverVp8(fallback);
        p.rtx = serverRtx(freePayloadType(97), p.vp8.payloadType);
    }
    // Extension URIs a kind lacks (the browser never offered that kind): ids unused elsewhere.
    auto fill = [&](std::vector<SdpExtmap>& list, SdpMediaKind kind) {
        for (auto uri : supportedExtmaps(kind, false)) {
            if (std::any_of(list.begin(), list.end(), [&](const SdpExtmap& e) { return e.uri == uri; })) continue;
            // Same URI in the other kind's sections: the BUNDLE must use one id for it.
            std::optional<int> id;
            for (const auto& m : browser.media)
                if (const SdpExtmap* e = m.extmap(uri)) id = e->id;
            if (!id) {
                int candidate = 1;
                while (candidate <= 14 && usedExtmapIds.count(candidate)) ++candidate;
                if (candidate > 14) continue;  // no one-byte id left: go without it
                usedExtmapIds.insert(candidate);
                id = candidate;
            }
            list.push_back(SdpExtmap{*id, std::nullopt, std::string(uri), {}});
        }
    };
    if (!audio) fill(p.audioExtmaps, SdpMediaKind::Audio);
    if (!video) fill(p.videoExtmaps, SdpMediaKind::Video);
    return p;
}

bool serverMadeMid(std::string_view mid) { return mid.size() > 1 && mid[0] == 's'; }

}  // namespace

NegotiationResult makeSubscriberOffer(const SessionDescription& current, const SessionDescription& browser,
                                      const std::vector<OutgoingTrack>& tracks, const ServerTransportParams& params,
                                      const std::set<std::string>& receiveSlots) {
    NegotiationResult result;
    std::vector<OutgoingTrack> placed = tracks;
    std::set<std::string> takenMids;
    for (const auto& t : placed)
        if (!t.mid.empty() && !takenMids.insert(t.mid).second) {
            result.error = "two tracks on mid " + t.mid;
            return result;
        }
    auto usable = [&](const SdpMediaSection& m) {
        const SdpMediaSection* browserSide = browser.section(m.mid);
        return !m.rejected() && !(browserSide && browserSide->rejected()) && !takenMids.count(m.mid);
    };
    // A track keeps the section it already has (matched by its msid track id).
    for (auto& t : placed) {
        if (!t.mid.empty()) continue;
        for (const auto& m : current.media)
            if (usable(m) && m.kind == t.kind &&
                std::any_of(m.msids.begin(), m.msids.end(), [&](const SdpMsid& s) { return s.trackId == t.trackId; })) {
                t.mid = m.mid;
                takenMids.insert(m.mid);
                break;
            }
    }
    // Then free slots of the same kind are recycled, in section order: the server's own, and
    // the browser's receive-only ones.
    for (auto& t : placed) {
        if (!t.mid.empty()) continue;
        for (const auto& m : current.media)
            if (usable(m) && (serverMadeMid(m.mid) || receiveSlots.count(m.mid)) && m.kind == t.kind) {
                t.mid = m.mid;
                takenMids.insert(m.mid);
                break;
            }
    }
    // Then new mids, "s<N>" past every mid either side has used.
    std::set<std::string> knownMids = takenMids;
    for (const auto* d : {&current, &browser})
        for (const auto& m : d->media) knownMids.insert(m.mid);
    int next = 1;
    for (auto& t : placed) {
        if (!t.mid.empty()) continue;
        while (knownMids.count("s" + std::to_string(next))) ++next;
        t.mid = "s" + std::to_string(next);
        knownMids.insert(t.mid);
    }

    const BrowserMediaProfile profile = profileOf(browser);
    SessionDescription offer = serverSession(params);
    offer.extmapAllowMixed = current.extmapAllowMixed || browser.extmapAllowMixed;

    auto freshSection = [&](const OutgoingTrack& t) {
        SdpMediaSection m;
        m.kind = t.kind;
        m.media = t.kind == SdpMediaKind::Audio ? "audio" : "video";
        m.protocol = "UDP/TLS/RTP/SAVPF";
        m.mid = t.mid;
        m.rtcpRsize = true;
        if (t.kind == SdpMediaKind::Audio) {
            m.codecs = {profile.opus};
            m.extmaps = profile.audioExtmaps;
        } else {
            m.codecs = {profile.vp8};
            if (profile.rtx) m.codecs.push_back(*profile.rtx);
            m.extmaps = profile.videoExtmaps;
        }
        for (const auto& c : m.codecs) m.formats.push_back(std::to_string(c.payloadType));
        return m;
    };

    std::set<std::string> usedTrackMids;
    for (const auto& existing : current.media) {
        // The browser's answer may have rejected a section the server offered: it stays dead.
        const SdpMediaSection* browserSide = browser.section(existing.mid);
        if (existing.rejected() || (browserSide && browserSide->rejected())) {
            if (trackForMid(placed, existing.mid)) {
                result.error = "mid " + existing.mid + " was rejected; a track cannot go there";
                return result;
            }
            SdpMediaSection m = rejectedCopy(existing);
            offer.media.push_back(std::move(m));
            continue;
        }
        const OutgoingTrack* track = trackForMid(placed, existing.mid);
        if (track && track->kind != existing.kind) {
            result.error = "track " + track->trackId + " does not match the kind of mid " + existing.mid;
            return result;
        }
        // The server receives here iff it did in the last exchange (the browser's publishing).
        const bool serverReceives =
            existing.direction == SdpDirection::RecvOnly || existing.direction == SdpDirection::SendRecv;
        SdpMediaSection m = existing;
        addTransport(m, params, SdpSetup::ActPass);
        clearSendingTrack(m);
        if (track) {
            addSendingTrack(m, *track);
            usedTrackMids.insert(track->mid);
        }
        m.direction = directionFor(track != nullptr, serverReceives);
        offer.media.push_back(std::move(m));
    }
    for (const auto& t : placed) {
        if (usedTrackMids.count(t.mid)) continue;
        if (t.kind != SdpMediaKind::Audio && t.kind != SdpMediaKind::Video) {
            result.error = "track " + t.trackId + " is neither audio nor video";
            return result;
        }
        SdpMediaSection m = freshSection(t);
        addTransport(m, params, SdpSetup::ActPass);
        addSendingTrack(m, t);
        m.direction = SdpDirection::SendOnly;
        offer.media.push_back(std::move(m));
    }
    bundleAccepted(offer);
    result.description = std::move(offer);
    result.tracks = std::move(placed);
    return result;
}

}  // namespace parley::media
