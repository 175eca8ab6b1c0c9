#include "media/sdp.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace parley::media {

namespace {

// Browsers' SDPs are a few kilobytes; a bound keeps a hostile peer from making us hold megabytes.
constexpr std::size_t kSdpMaxText = 256 * 1024;

bool isSdpSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view trimSdp(std::string_view s) {
    while (!s.empty() && isSdpSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && (isSdpSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> sdpTokens(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSdpSpace(s[i])) ++i;
        const std::size_t start = i;
        while (i < s.size() && !isSdpSpace(s[i])) ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

// What follows the first `count` tokens, trimmed (the free-form tail of a line).
std::string_view sdpTail(std::string_view s, std::size_t count) {
    std::size_t i = 0;
    for (std::size_t t = 0; t < count; ++t) {
        while (i < s.size() && isSdpSpace(s[i])) ++i;
        while (i < s.size() && !isSdpSpace(s[i])) ++i;
    }
    return trimSdp(s.substr(i));
}

template <typename T>
std::optional<T> sdpNumber(std::string_view s, T max = std::numeric_limits<T>::max()) {
    T value{};
    if (s.empty() || s.size() > 20) return std::nullopt;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value > max) return std::nullopt;
    return value;
}

// RFC 8866 token: a mid must be one, or a=group lines that list it would not parse back.
bool isSdpToken(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        const bool ok = u == 0x21 || (u >= 0x23 && u <= 0x27) || u == 0x2a || u == 0x2b || u == 0x2d || u == 0x2e ||
                        (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5a) || (u >= 0x5e && u <= 0x7e);
        if (!ok) return false;
    }
    return true;
}

std::optional<SdpDirection> directionFromName(std::string_view s) {
    if (s == "sendrecv") return SdpDirection::SendRecv;
    if (s == "sendonly") return SdpDirection::SendOnly;
    if (s == "recvonly") return SdpDirection::RecvOnly;
    if (s == "inactive") return SdpDirection::Inactive;
    return std::nullopt;
}

std::optional<SdpSetup> setupFromName(std::string_view s) {
    if (s == "actpass") return SdpSetup::ActPass;
    if (s == "active") return SdpSetup::Active;
    if (s == "passive") return SdpSetup::Passive;
    if (s == "holdconn") return SdpSetup::HoldConn;
    return std::nullopt;
}

SdpMediaKind kindFromName(std::string_view s) {
    if (s == "audio") return SdpMediaKind::Audio;
    if (s == "video") return SdpMediaKind::Video;
    if (s == "application") return SdpMediaKind::Application;
    return SdpMediaKind::Other;
}

std::vector<std::string> splitList(std::string_view s, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = s.find(separator, start);
        out.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

std::string joinList(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += separator;
        out += items[i];
    }
    return out;
}

class SdpParser {
public:
    SdpParseResult run(std::string_view text) {
        SdpParseResult result;
        if (text.size() > kSdpMaxText) return fail(result, 0, "SDP larger than 256 KiB");
        SessionDescription d;
        d.timing.clear();
        std::size_t lineNumber = 0;
        bool sawVersion = false;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(pos, end - pos);
            pos = end + 1;
            ++lineNumber;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            for (char c : line) {
                const auto u = static_cast<unsigned char>(c);
                if ((u < 0x20 && c != '\t') || u == 0x7f) return fail(result, lineNumber, "control character in line");
            }
            line = trimSdp(line);
            if (line.empty()) continue;  // a trailing blank line, or stray ones: harmless
            if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z')
                return fail(result, lineNumber, "not a <letter>=<value> line");
            const char type = line[0];
            const std::string_view value = line.substr(2);
            if (!sawVersion) {
                if (type != 'v' || value != "0") return fail(result, lineNumber, "SDP must start with v=0");
                sawVersion = true;
                continue;
            }
            std::string error;
            if (type == 'm') {
                error = startMedia(d, value);
            } else if (type == 'a') {
                error = d.media.empty() ? sessionAttribute(d, value) : mediaAttribute(d.media.back(), value);
            } else if (!d.media.empty()) {
                if (type == 'c')
                    d.media.back().connection = std::string(value);
                else
                    d.media.back().otherLines.emplace_back(line);
            } else if (type == 'o') {
                error = parseOrigin(d.origin, value);
            } else if (type == 's') {
                d.sessionName = std::string(value);
            } else if (type == 't') {
                d.timing.emplace_back(value);
            } else if (type == 'c') {
                d.connection = std::string(value);
            } else if (type == 'v') {
                error = "second v= line";
            } else {
                d.otherLines.emplace_back(line);
            }
            if (!error.empty()) return fail(result, lineNumber, error);
        }
        if (!sawVersion) return fail(result, 0, "empty SDP");
        for (auto& m : d.media) orderCodecs(m);
        result.description = std::move(d);
        return result;
    }

private:
    static SdpParseResult& fail(SdpParseResult& r, std::size_t line, std::string reason) {
        r.description.reset();
        r.error = std::move(reason);
        r.line = line;
        return r;
    }

    static std::string parseOrigin(SdpOrigin& o, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.size() != 6) return "o= needs 6 fields";
        const auto version = sdpNumber<std::uint64_t>(t[2]);
        if (!version) return "bad o= session version";
        o = SdpOrigin{std::string(t[0]), std::string(t[1]), *version, std::string(t[3]), std::string(t[4]),
                      std::string(t[5])};
        return {};
    }

    static std::string startMedia(SessionDescription& d, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.size() < 3) return "m= needs media, port and protocol";
        SdpMediaSection m;
        m.media = std::string(t[0]);
        m.kind = kindFromName(t[0]);
        std::string_view port = t[1];
        if (const auto slash = port.find('/'); slash != std::string_view::npos) {
            m.portCount = sdpNumber<std::uint32_t>(port.substr(slash + 1));
            if (!m.portCount) return "bad m= port count";
            port = port.substr(0, slash);
        }
        const auto p = sdpNumber<std::uint16_t>(port);
        if (!p) return "bad m= port";
        m.port = *p;
        m.protocol = std::string(t[2]);
        for (std::size_t i = 3; i < t.size(); ++i) m.formats.emplace_back(t[i]);
        d.media.push_back(std::move(m));
        return {};
    }

    static std::string parseFingerprint(std::optional<SdpFingerprint>& out, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.size() != 2) return "a=fingerprint needs algorithm and value";
        out = SdpFingerprint{std::string(t[0]), std::string(t[1])};
        return {};
    }

    static std::string parseSetup(std::optional<SdpSetup>& out, std::string_view value) {
        out = setupFromName(value);
        return out ? std::string{} : "unknown a=setup value";
    }

    static std::string parseExtmap(std::vector<SdpExtmap>& out, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.size() < 2) return "a=extmap needs id and URI";
        SdpExtmap e;
        std::string_view id = t[0];
        if (const auto slash = id.find('/'); slash != std::string_view::npos) {
            e.direction = directionFromName(id.substr(slash + 1));
            if (!e.direction) return "bad a=extmap direction";
            id = id.substr(0, slash);
        }
        const auto n = sdpNumber<int>(id, 255);
        if (!n || *n < 1) return "a=extmap id outside 1..255";
        e.id = *n;
        e.uri = std::string(t[1]);
        e.attributes = std::string(sdpTail(value, 2));
        out.push_back(std::move(e));
        return {};
    }

    static std::string sessionAttribute(SessionDescription& d, std::string_view attribute) {
        const auto colon = attribute.find(':');
        const std::string_view name = attribute.substr(0, colon);
        const std::string_view value = colon == std::string_view::npos ? std::string_view{} : trimSdp(attribute.substr(colon + 1));
        if (name == "group") {
            const auto t = sdpTokens(value);
            if (t.empty()) return "a=group needs semantics";
            SdpGroup g{std::string(t[0]), {}};
            for (std::size_t i = 1; i < t.size(); ++i) g.ids.emplace_back(t[i]);
            d.groups.push_back(std::move(g));
        } else if (name == "ice-lite") {
            d.iceLite = true;
        } else if (name == "ice-ufrag") {
            d.iceUfrag = std::string(value);
        } else if (name == "ice-pwd") {
            d.icePwd = std::string(value);
        } else if (name == "ice-options") {
            d.iceOptions = std::string(value);
        } else if (name == "fingerprint") {
            return parseFingerprint(d.fingerprint, value);
        } else if (name == "setup") {
            return parseSetup(d.setup, value);
        } else if (name == "msid-semantic") {
            const auto t = sdpTokens(value);
            if (t.empty()) return "a=msid-semantic needs semantics";
            SdpMsidSemantic s{std::string(t[0]), {}};
            for (std::size_t i = 1; i < t.size(); ++i) s.ids.emplace_back(t[i]);
            d.msidSemantic = std::move(s);
        } else if (name == "extmap-allow-mixed") {
            d.extmapAllowMixed = true;
        } else if (name == "extmap") {
            return parseExtmap(d.extmaps, value);
        } else {
            d.otherAttributes.emplace_back(attribute);
        }
        return {};
    }

    static bool listsFormat(const SdpMediaSection& m, std::string_view pt) {
        return std::find(m.formats.begin(), m.formats.end(), pt) != m.formats.end();
    }

    // The codec for a payload type the m= line lists; nullptr for one it does not (such lines
    // are kept raw rather than inventing a codec the section does not offer).
    static SdpCodec* codecFor(SdpMediaSection& m, std::string_view ptText) {
        const auto pt = sdpNumber<int>(ptText, 127);
        // Only the canonical spelling: "0111" would serialize as "111", which the m= line lacks.
        if (!pt || *pt < 0 || std::to_string(*pt) != ptText || !listsFormat(m, ptText)) return nullptr;
        for (auto& c : m.codecs)
            if (c.payloadType == *pt) return &c;
        m.codecs.push_back(SdpCodec{});
        m.codecs.back().payloadType = *pt;
        return &m.codecs.back();
    }

    static std::string mediaAttribute(SdpMediaSection& m, std::string_view attribute) {
        const auto colon = attribute.find(':');
        const std::string_view name = attribute.substr(0, colon);
        const std::string_view value = colon == std::string_view::npos ? std::string_view{} : trimSdp(attribute.substr(colon + 1));
        if (const auto dir = directionFromName(name)) {
            m.direction = *dir;
        } else if (name == "mid") {
            if (!isSdpToken(value)) return "a=mid must be a token";
            m.mid = std::string(value);
        } else if (name == "ice-ufrag") {
            m.iceUfrag = std::string(value);
        } else if (name == "ice-pwd") {
            m.icePwd = std::string(value);
        } else if (name == "ice-options") {
            m.iceOptions = std::string(value);
        } else if (name == "fingerprint") {
            return parseFingerprint(m.fingerprint, value);
        } else if (name == "setup") {
            return parseSetup(m.setup, value);
        } else if (name == "rtcp") {
            m.rtcp = std::string(value);
        } else if (name == "rtcp-mux") {
            m.rtcpMux = true;
        } else if (name == "rtcp-rsize") {
            m.rtcpRsize = true;
        } else if (name == "bundle-only") {
            m.bundleOnly = true;
        } else if (name == "extmap-allow-mixed") {
            m.extmapAllowMixed = true;
        } else if (name == "extmap") {
            return parseExtmap(m.extmaps, value);
        } else if (name == "rtpmap" || name == "fmtp" || name == "rtcp-fb") {
            return codecAttribute(m, name, value, attribute);
        } else if (name == "msid") {
            const auto t = sdpTokens(value);
            if (t.empty() || t.size() > 2) return "a=msid needs a stream id and at most a track id";
            m.msids.push_back(SdpMsid{std::string(t[0]), t.size() == 2 ? std::string(t[1]) : std::string{}});
        } else if (name == "ssrc") {
            return ssrcAttribute(m, value);
        } else if (name == "ssrc-group") {
            const auto t = sdpTokens(value);
            if (t.size() < 2) return "a=ssrc-group needs semantics and SSRCs";
            SdpSsrcGroup g{std::string(t[0]), {}};
            for (std::size_t i = 1; i < t.size(); ++i) {
                const auto s = sdpNumber<std::uint32_t>(t[i]);
                if (!s) return "bad SSRC in a=ssrc-group";
                g.ssrcs.push_back(*s);
            }
            m.ssrcGroups.push_back(std::move(g));
        } else if (name == "rid") {
            const auto t = sdpTokens(value);
            if (t.size() < 2 || (t[1] != "send" && t[1] != "recv")) return "a=rid needs an id and send or recv";
            m.rids.push_back(SdpRid{std::string(t[0]), t[1] == "send", std::string(sdpTail(value, 2))});
        } else if (name == "simulcast") {
            return parseSimulcast(m, value);
        } else if (name == "candidate") {
            return parseCandidate(m, value);
        } else if (name == "end-of-candidates") {
            m.endOfCandidates = true;
        } else {
            m.otherAttributes.emplace_back(attribute);
        }
        return {};
    }

    static std::string codecAttribute(SdpMediaSection& m, std::string_view name, std::string_view value,
                                      std::string_view attribute) {
        const auto t = sdpTokens(value);
        if (t.empty()) return "a=" + std::string(name) + " needs a payload type";
        SdpCodec* codec = codecFor(m, t[0]);
        if (!codec) {
            // "a=rtcp-fb:* nack" or a payload type the m= line does not list: keep, do not act on.
            m.otherAttributes.emplace_back(attribute);
            return {};
        }
        if (name == "rtpmap") {
            if (t.size() != 2) return "a=rtpmap needs <pt> <name>/<rate>[/<channels>]";
            const auto parts = splitList(t[1], '/');
            if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) return "bad a=rtpmap encoding";
            const auto rate = sdpNumber<std::uint32_t>(parts[1]);
            if (!rate) return "bad a=rtpmap clock rate";
            std::optional<int> channels = 0;
            if (parts.size() == 3) {
                channels = sdpNumber<int>(parts[2], 255);
                if (!channels || *channels < 1) return "bad a=rtpmap channel count";
            }
            codec->hasRtpmap = true;
            codec->name = parts[0];
            codec->clockRate = *rate;
            codec->channels = *channels;
        } else if (name == "fmtp") {
            codec->fmtp = std::string(sdpTail(value, 1));
        } else {
            if (t.size() < 2) return "a=rtcp-fb needs a feedback type";
            codec->feedback.push_back(SdpRtcpFeedback{std::string(t[1]), std::string(sdpTail(value, 2))});
        }
        return {};
    }

    static std::string ssrcAttribute(SdpMediaSection& m, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.empty()) return "a=ssrc needs an SSRC";
        const auto ssrc = sdpNumber<std::uint32_t>(t[0]);
        if (!ssrc) return "bad SSRC in a=ssrc";
        auto it = std::find_if(m.ssrcs.begin(), m.ssrcs.end(), [&](const SdpSsrc& s) { return s.ssrc == *ssrc; });
        if (it == m.ssrcs.end()) {
            m.ssrcs.push_back(SdpSsrc{*ssrc, {}});
            it = std::prev(m.ssrcs.end());
        }
        const std::string_view rest = sdpTail(value, 1);
        if (rest.empty()) return {};
        const auto colon = rest.find(':');
        if (colon == 0) return "a=ssrc attribute without a name";
        it->attributes.push_back(SdpSsrcAttribute{
            std::string(trimSdp(rest.substr(0, colon))),
            colon == std::string_view::npos ? std::string{} : std::string(trimSdp(rest.substr(colon + 1)))});
        return {};
    }

    static std::string parseSimulcast(SdpMediaSection& m, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.empty() || t.size() % 2 != 0) return "a=simulcast needs <send|recv> <streams> pairs";
        SdpSimulcast s;
        for (std::size_t i = 0; i < t.size(); i += 2) {
            if (t[i] != "send" && t[i] != "recv") return "a=simulcast direction must be send or recv";
            auto streams = splitList(t[i + 1], ';');
            for (const auto& stream : streams)
                if (stream.empty() || stream == "~") return "empty stream in a=simulcast";
            (t[i] == "send" ? s.send : s.recv) = std::move(streams);
        }
        m.simulcast = std::move(s);
        return {};
    }

    static std::string parseCandidate(SdpMediaSection& m, std::string_view value) {
        const auto t = sdpTokens(value);
        if (t.size() < 8 || t[6] != "typ") return "a=candidate needs 8 fields with typ";
        const auto component = sdpNumber<std::uint32_t>(t[1], 256);
        const auto priority = sdpNumber<std::uint32_t>(t[3]);
        const auto port = sdpNumber<std::uint16_t>(t[5]);
        if (!component || *component == 0 || !priority || !port) return "bad number in a=candidate";
        m.candidates.push_back(SdpCandidate{std::string(t[0]), *component, std::string(t[2]), *priority,
                                            std::string(t[4]), *port, std::string(t[7]),
                                            std::string(sdpTail(value, 8))});
        return {};
    }

    // Codecs are gathered in the order their lines came (Firefox writes fmtp before rtpmap);
    // they are kept in the m= line's order so the model does not depend on line order.
    static void orderCodecs(SdpMediaSection& m) {
        auto rank = [&](const SdpCodec& c) {
            const std::string pt = std::to_string(c.payloadType);
            return std::find(m.formats.begin(), m.formats.end(), pt) - m.formats.begin();
        };
        std::stable_sort(m.codecs.begin(), m.codecs.end(),
                         [&](const SdpCodec& a, const SdpCodec& b) { return rank(a) < rank(b); });
    }
};

void writeLine(std::string& out, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
    out += a;
    out += b;
    out += c;
    out += "\r\n";
}

void writeExtmaps(std::string& out, const std::vector<SdpExtmap>& extmaps) {
    for (const auto& e : extmaps) {
        std::string line = "a=extmap:" + std::to_string(e.id);
        if (e.direction) line += "/" + std::string(toString(*e.direction));
        line += " " + e.uri;
        if (!e.attributes.empty()) line += " " + e.attributes;
        writeLine(out, line);
    }
}

void writeFingerprint(std::string& out, const std::optional<SdpFingerprint>& f) {
    if (f) writeLine(out, "a=fingerprint:", f->algorithm + " ", f->value);
}

void writeMedia(std::string& out, const SdpMediaSection& m) {
    std::string mline = "m=" + m.media + " " + std::to_string(m.port);
    if (m.portCount) mline += "/" + std::to_string(*m.portCount);
    mline += " " + m.protocol;
    for (const auto& f : m.formats) mline += " " + f;
    writeLine(out, mline);
    if (m.connection) writeLine(out, "c=", *m.connection);
    for (const auto& l : m.otherLines) writeLine(out, l);
    if (m.rtcp) writeLine(out, "a=rtcp:", *m.rtcp);
    if (m.iceUfrag) writeLine(out, "a=ice-ufrag:", *m.iceUfrag);
    if (m.icePwd) writeLine(out, "a=ice-pwd:", *m.icePwd);
    if (m.iceOptions) writeLine(out, "a=ice-options:", *m.iceOptions);
    writeFingerprint(out, m.fingerprint);
    if (m.setup) writeLine(out, "a=setup:", toString(*m.setup));
    if (!m.mid.empty()) writeLine(out, "a=mid:", m.mid);
    writeExtmaps(out, m.extmaps);
    writeLine(out, "a=", toString(m.direction));
    for (const auto& msid : m.msids)
        writeLine(out, "a=msid:", msid.streamId, msid.trackId.empty() ? "" : " " + msid.trackId);
    if (m.rtcpMux) writeLine(out, "a=rtcp-mux");
    if (m.rtcpRsize) writeLine(out, "a=rtcp-rsize");
    if (m.bundleOnly) writeLine(out, "a=bundle-only");
    if (m.extmapAllowMixed) writeLine(out, "a=extmap-allow-mixed");
    for (const auto& c : m.codecs) {
        const std::string pt = std::to_string(c.payloadType);
        if (c.hasRtpmap) {
            std::string enc = c.name + "/" + std::to_string(c.clockRate);
            if (c.channels) enc += "/" + std::to_string(c.channels);
            writeLine(out, "a=rtpmap:", pt + " ", enc);
        }
        for (const auto& fb : c.feedback)
            writeLine(out, "a=rtcp-fb:", pt + " " + fb.type, fb.parameter.empty() ? "" : " " + fb.parameter);
        if (c.fmtp) writeLine(out, "a=fmtp:", pt + " ", *c.fmtp);
    }
    for (const auto& g : m.ssrcGroups) {
        std::string line = "a=ssrc-group:" + g.semantics;
        for (auto s : g.ssrcs) line += " " + std::to_string(s);
        writeLine(out, line);
    }
    for (const auto& s : m.ssrcs) {
        const std::string prefix = "a=ssrc:" + std::to_string(s.ssrc);
        if (s.attributes.empty()) writeLine(out, prefix);
        for (const auto& a : s.attributes) writeLine(out, prefix + " " + a.name, a.value.empty() ? "" : ":" + a.value);
    }
    for (const auto& r : m.rids)
        writeLine(out, "a=rid:", r.id + (r.send ? " send" : " recv"), r.parameters.empty() ? "" : " " + r.parameters);
    if (m.simulcast) {
        std::string line = "a=simulcast:";
        if (!m.simulcast->send.empty()) line += "send " + joinList(m.simulcast->send, ";");
        if (!m.simulcast->send.empty() && !m.simulcast->recv.empty()) line += " ";
        if (!m.simulcast->recv.empty()) line += "recv " + joinList(m.simulcast->recv, ";");
        writeLine(out, line);
    }
    for (const auto& c : m.candidates) {
        std::string line = "a=candidate:" + c.foundation + " " + std::to_string(c.component) + " " + c.transport + " " +
                           std::to_string(c.priority) + " " + c.address + " " + std::to_string(c.port) + " typ " + c.type;
        if (!c.extensions.empty()) line += " " + c.extensions;
        writeLine(out, line);
    }
    if (m.endOfCandidates) writeLine(out, "a=end-of-candidates");
    for (const auto& a : m.otherAttributes) writeLine(out, "a=", a);
}

}  // namespace

std::string_view toString(SdpDirection direction) {
    switch (direction) {
        case SdpDirection::SendRecv: return "sendrecv";
        case SdpDirection::SendOnly: return "sendonly";
        case SdpDirection::RecvOnly: return "recvonly";
        case SdpDirection::Inactive: return "inactive";
    }
    return "inactive";
}

std::string_view toString(SdpSetup setup) {
    switch (setup) {
        case SdpSetup::ActPass: return "actpass";
        case SdpSetup::Active: return "active";
        case SdpSetup::Passive: return "passive";
        case SdpSetup::HoldConn: return "holdconn";
    }
    return "holdconn";
}

SdpDirection reversed(SdpDirection direction) {
    if (direction == SdpDirection::SendOnly) return SdpDirection::RecvOnly;
    if (direction == SdpDirection::RecvOnly) return SdpDirection::SendOnly;
    return direction;
}

std::optional<std::string> SdpCodec::fmtpParameter(std::string_view key) const {
    if (!fmtp) return std::nullopt;
    for (const auto& item : splitList(*fmtp, ';')) {
        const std::string_view kv = trimSdp(item);
        const auto eq = kv.find('=');
        if (trimSdp(kv.substr(0, eq)) == key)
            return eq == std::string_view::npos ? std::string{} : std::string(trimSdp(kv.substr(eq + 1)));
    }
    return std::nullopt;
}

std::optional<std::string> SdpSsrc::attribute(std::string_view name) const {
    for (const auto& a : attributes)
        if (a.name == name) return a.value;
    return std::nullopt;
}

bool SdpCodec::hasFeedback(std::string_view type, std::string_view parameter) const {
    return std::any_of(feedback.begin(), feedback.end(),
                       [&](const SdpRtcpFeedback& f) { return f.type == type && f.parameter == parameter; });
}

const SdpCodec* SdpMediaSection::codec(int payloadType) const {
    for (const auto& c : codecs)
        if (c.payloadType == payloadType) return &c;
    return nullptr;
}

const SdpExtmap* SdpMediaSection::extmap(std::string_view uri) const {
    for (const auto& e : extmaps)
        if (e.uri == uri) return &e;
    return nullptr;
}

const SdpGroup* SessionDescription::bundleGroup() const {
    for (const auto& g : groups)
        if (g.semantics == "BUNDLE") return &g;
    return nullptr;
}

const SdpMediaSection* SessionDescription::section(std::string_view mid) const {
    for (const auto& m : media)
        if (!m.mid.empty() && m.mid == mid) return &m;
    return nullptr;
}

std::optional<std::string> SessionDescription::iceUfragOf(const SdpMediaSection& m) const {
    return m.iceUfrag ? m.iceUfrag : iceUfrag;
}
std::optional<std::string> SessionDescription::icePwdOf(const SdpMediaSection& m) const {
    return m.icePwd ? m.icePwd : icePwd;
}
std::optional<SdpFingerprint> SessionDescription::fingerprintOf(const SdpMediaSection& m) const {
    return m.fingerprint ? m.fingerprint : fingerprint;
}
std::optional<SdpSetup> SessionDescription::setupOf(const SdpMediaSection& m) const {
    return m.setup ? m.setup : setup;
}

SdpParseResult parseSdp(std::string_view text) { return SdpParser{}.run(text); }

std::string serializeSdp(const SessionDescription& d) {
    std::string out;
    writeLine(out, "v=0");
    const auto& o = d.origin;
    writeLine(out, "o=" + o.username + " " + o.sessionId + " " + std::to_string(o.sessionVersion) + " " + o.netType +
                       " " + o.addressType + " " + o.address);
    writeLine(out, "s=", d.sessionName);
    for (const auto& l : d.otherLines) writeLine(out, l);
    if (d.connection) writeLine(out, "c=", *d.connection);
    for (const auto& t : d.timing) writeLine(out, "t=", t);
    if (d.iceLite) writeLine(out, "a=ice-lite");
    for (const auto& g : d.groups) {
        std::string line = "a=group:" + g.semantics;
        for (const auto& id : g.ids) line += " " + id;
        writeLine(out, line);
    }
    if (d.iceUfrag) writeLine(out, "a=ice-ufrag:", *d.iceUfrag);
    if (d.icePwd) writeLine(out, "a=ice-pwd:", *d.icePwd);
    if (d.iceOptions) writeLine(out, "a=ice-options:", *d.iceOptions);
    writeFingerprint(out, d.fingerprint);
    if (d.setup) writeLine(out, "a=setup:", toString(*d.setup));
    if (d.extmapAllowMixed) writeLine(out, "a=extmap-allow-mixed");
    if (d.msidSemantic) {
        std::string line = "a=msid-semantic:" + d.msidSemantic->semantics;
        for (const auto& id : d.msidSemantic->ids) line += " " + id;
        writeLine(out, line);
    }
    writeExtmaps(out, d.extmaps);
    for (const auto& a : d.otherAttributes) writeLine(out, "a=", a);
    for (const auto& m : d.media) writeMedia(out, m);
    return out;
}

}  // namespace parley::media
