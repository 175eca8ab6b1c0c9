#include "sfu_run.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_peer.hpp"
#include "clock.hpp"
#include "media/rtcp_packet.hpp"
#include "process_sample.hpp"
#include "receive_tally.hpp"
#include "sdp_offers.hpp"
#include "workload.hpp"
#include "ws_json.hpp"

namespace parley::bench::sfu {
namespace {

namespace json = boost::json;

std::int64_t now() { return std::int64_t(nowNs()); }
std::int64_t toMs(std::int64_t ns) { return ns / 1'000'000; }

// PARLEY_SFU_DEBUG=1 prints the signaling, for finding out why a server refuses something.
bool debug() {
    static const bool on = std::getenv("PARLEY_SFU_DEBUG") != nullptr;
    return on;
}

// Whatever owns a file descriptor in the loop.
struct Handler {
    virtual ~Handler() = default;
    virtual void ready(std::int64_t nowNs) = 0;
};

// One signaling connection: requests matched to replies (Parley's `req`, Janus's
// `transaction`), everything else an event.
struct Signal final : Handler {
    std::unique_ptr<WsJson> ws;
    bool janus = false;
    std::int64_t nextId = 1;
    std::map<std::string, std::function<void(const json::object&)>> pending;
    std::function<void(const json::object&)> onEvent;

    void request(json::object message, std::function<void(const json::object&)> reply) {
        const std::int64_t id = nextId++;
        if (janus) {
            message["transaction"] = std::to_string(id);
        } else {
            message["req"] = id;
        }
        pending[std::to_string(id)] = std::move(reply);
        if (debug()) std::cerr << "-> " << json::serialize(message).substr(0, 6000) << "\n";
        ws->send(message);
    }
    void dispatch(const json::object& m) {
        if (debug()) std::cerr << "<- " << json::serialize(m).substr(0, 6000) << "\n";
        std::string key;
        if (janus) {
            if (const auto* kind = m.if_contains("janus"); kind && kind->is_string() && kind->as_string() == "ack") return;
            if (const auto* t = m.if_contains("transaction"); t && t->is_string()) key = std::string(t->as_string());
        } else if (const auto* r = m.if_contains("req"); r && r->is_int64()) {
            key = std::to_string(r->as_int64());
        }
        if (auto it = pending.find(key); !key.empty() && it != pending.end()) {
            auto reply = std::move(it->second);
            pending.erase(it);
            reply(m);
        } else if (onEvent) {
            onEvent(m);
        }
    }
    void ready(std::int64_t) override { ws->onReadable(); }
};

struct PeerHandler final : Handler {
    std::unique_ptr<BenchPeer> peer;
    void ready(std::int64_t nowNs) override { peer->readAll(toMs(nowNs)); }
};

// A publisher or a subscriber: its media endpoint and its signaling.
struct Endpoint {
    int room = 0;
    PeerHandler media;
    Signal signal;
    std::optional<RemoteEnd> remote;  // once the server's SDP is in
    bool connectCalled = false;
    std::string failure;
    std::uint64_t janusSession = 0, janusHandle = 0;
    BenchPeer& peer() { return *media.peer; }
    bool settled() { return !failure.empty() || (connectCalled && (peer().connected() || peer().failed())); }
    bool ok() { return failure.empty() && connectCalled && peer().connected(); }
};

struct Publisher : Endpoint {
    std::optional<PublisherWorkload> workload;
    std::uint64_t janusFeed = 0;
    std::uint64_t sentInWindow = 0;  // packets of every track sent inside the window
};

struct Subscriber : Endpoint {
    ReceiveTally tally;     // by stamp, when it decrypts
    SequenceTally headers;  // by RTP header, when it does not
    bool decrypts = true;
    bool started = false;
};

const json::object* objectAt(const json::object& m, std::string_view key) {
    const auto* v = m.if_contains(key);
    return v && v->is_object() ? &v->as_object() : nullptr;
}
std::string stringAt(const json::object& m, std::string_view key) {
    const auto* v = m.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
std::uint64_t idAt(const json::object& m, std::string_view key) {
    const auto* v = m.if_contains(key);
    if (!v) return 0;
    if (v->is_uint64()) return v->as_uint64();
    if (v->is_int64()) return std::uint64_t(v->as_int64());
    return 0;
}

class Run {
public:
    explicit Run(const SfuOptions& o) : o_(o), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
        if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
        spec_.audioSsrc = o.audio ? 1111 : 0;
        spec_.layers = {VideoLayer{2222, o.videoKbps, o.fps, 1280, 720}};
        spec_.keyframeIntervalMs = o.keyframeIntervalMs;
        janus_ = o.target == "janus";
        const auto address = parseIpv4(o.mediaAddress);
        if (!address) throw std::runtime_error("--media-address: not an IPv4 address: " + o.mediaAddress);
        mediaAddress_ = *address;
        floor_ = o.target == "floor";
    }
    ~Run() { ::close(epoll_); }

    int run();

private:
    void watch(int fd, Handler& h) {
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.ptr = &h;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &e) != 0) throw std::runtime_error("epoll_ctl failed");
    }
    // Runs the loop until `done` or `untilNs`; true if `done` held.
    bool loop(std::int64_t untilNs, const std::function<bool()>& done);
    void sendDue(std::int64_t nowNs);
    void scanTimers(std::int64_t nowNs);

    void openMedia(Endpoint& e) {
        e.media.peer = std::make_unique<BenchPeer>(mediaAddress_);
        watch(e.peer().fd(), e.media);
    }
    void openSignal(Endpoint& e) {
        e.signal.janus = janus_;
        e.signal.ws = std::make_unique<WsJson>(o_.port, janus_ ? "/" : "/ws", janus_ ? "janus-protocol" : "");
        e.signal.ws->onJson = [&e](const json::object& m) { e.signal.dispatch(m); };
        watch(e.signal.ws->fd(), e.signal);
    }
    void connectWhenReady(Endpoint& e) {
        if (e.connectCalled || !e.remote || e.remote->port == 0) return;
        e.connectCalled = true;
        e.peer().connect(*e.remote, toMs(now()));
    }
    static void fail(Endpoint& e, std::string why) {
        if (e.failure.empty()) e.failure = std::move(why);
    }

    void startPublisher(Publisher& p);
    void startSubscriber(Subscriber& s);
    void parleyPublisher(Publisher& p);
    void parleySubscriber(Subscriber& s);
    void janusPublisher(Publisher& p);
    void janusSubscriber(Subscriber& s);
    void janusAttach(Endpoint& e, std::function<void()> then);
    void janusTrickle(Endpoint& e, const json::object& m);
    void parleyAnswerOffers(Endpoint& e);

    std::string roomName(int r) const { return "sfu-bench-" + std::to_string(::getpid()) + "-" + std::to_string(r); }
    std::uint64_t janusRoom(int r) const { return std::uint64_t(::getpid() % 100000) * 1000 + std::uint64_t(r) + 1; }

    void report(std::int64_t windowNs, std::optional<ProcessSample> cpu0, std::optional<ProcessSample> cpu1,
                double self0, double self1, std::optional<std::uint64_t> rssBefore, std::optional<std::uint64_t> rssAfter,
                std::int64_t publishersMs, std::int64_t subscribersMs);

    const SfuOptions& o_;
    int epoll_;
    bool janus_ = false, floor_ = false;
    WorkloadSpec spec_;
    std::array<std::uint8_t, 4> mediaAddress_{};
    std::vector<std::unique_ptr<Publisher>> publishers_;
    std::vector<std::unique_ptr<Subscriber>> subscribers_;
    Window window_{INT64_MAX, INT64_MAX};
    LatencySinks latency_;
    std::vector<OutgoingPacket> outgoing_;
    std::int64_t nextScanNs_ = 0;
};

bool Run::loop(std::int64_t untilNs, const std::function<bool()>& done) {
    epoll_event events[256];
    for (;;) {
        std::int64_t t = now();
        sendDue(t);
        if (t >= nextScanNs_) scanTimers(t);
        if (done && done()) return true;
        if (t >= untilNs) return false;
        std::int64_t wake = std::min(untilNs, nextScanNs_);
        for (auto& p : publishers_) {
            if (p->workload) wake = std::min(wake, p->workload->nextDueNs());
        }
        // Millisecond resolution: a packet leaves up to 1 ms late, but its stamp is the moment
        // it actually leaves, so latency is measured from then.
        const int timeoutMs = int(std::clamp<std::int64_t>((wake - t + 999'999) / 1'000'000, 0, 100));
        const int n = ::epoll_wait(epoll_, events, 256, timeoutMs);
        t = now();
        for (int i = 0; i < n; ++i) static_cast<Handler*>(events[i].data.ptr)->ready(t);
    }
}

void Run::sendDue(std::int64_t t) {
    for (auto& p : publishers_) {
        if (!p->workload || p->workload->nextDueNs() > t) continue;
        outgoing_.clear();
        p->workload->collectDue(t, outgoing_);
        for (auto& packet : outgoing_) {
            if (window_.contains(std::uint64_t(t))) ++p->sentInWindow;
            p->peer().sendRtp(packet.rtp);
        }
    }
}

void Run::scanTimers(std::int64_t t) {
    nextScanNs_ = t + 5'000'000;
    const std::int64_t ms = toMs(t);
    const auto scan = [&](Endpoint& e) {
        if (!e.media.peer) return;
        if (auto due = e.peer().nextTimeoutMs(); due && *due <= ms) e.peer().handleTimeout(ms);
        if (e.signal.ws && e.signal.ws->failed() && !e.peer().connected()) fail(e, "signaling: " + e.signal.ws->failure());
        if (e.peer().failed()) fail(e, "media: " + e.peer().failure());
    };
    for (auto& p : publishers_) scan(*p);
    for (auto& s : subscribers_) scan(*s);
}

// --- Parley: join, then a media-offer; the answer carries the server end --------------------

void Run::parleyAnswerOffers(Endpoint& e) {
    e.signal.onEvent = [this, &e](const json::object& m) {
        if (stringAt(m, "type") != "media-offer") return;
        std::string error;
        auto answer = answerTo(e.peer(), stringAt(m, "sdp"), false, error);
        if (!answer) return fail(e, error);
        e.signal.request({{"type", "media-answer"}, {"version", m.at("version")}, {"sdp", *answer}},
                         [](const json::object&) {});
    };
}

void Run::parleyPublisher(Publisher& p) {
    parleyAnswerOffers(p);
    p.signal.ws->onOpen = [this, &p] {
        p.signal.request(
            {{"type", "join"}, {"v", 1}, {"room", roomName(p.room)}, {"name", "publisher"},
             {"media", {{"mic", true}, {"cam", true}, {"screen", false}}}},
            [this, &p](const json::object& joined) {
                if (stringAt(joined, "type") != "joined") return fail(p, "join: " + json::serialize(joined));
                json::array tracks{{{"mid", "0"}, {"source", "microphone"}}, {{"mid", "1"}, {"source", "camera"}}};
                p.signal.request({{"type", "media-offer"}, {"sdp", publishingOffer(p.peer(), spec_, false)},
                                  {"tracks", tracks}},
                                 [this, &p](const json::object& answer) {
                                     if (stringAt(answer, "type") != "media-answer")
                                         return fail(p, "media-offer: " + json::serialize(answer));
                                     std::string error;
                                     p.remote = serverEndOf(stringAt(answer, "sdp"), true, error);
                                     if (!p.remote) return fail(p, error);
                                     connectWhenReady(p);
                                 });
            });
    };
}

void Run::parleySubscriber(Subscriber& s) {
    parleyAnswerOffers(s);
    s.signal.ws->onOpen = [this, &s] {
        s.signal.request(
            {{"type", "join"}, {"v", 1}, {"room", roomName(s.room)}, {"name", "subscriber"},
             {"media", {{"mic", false}, {"cam", false}, {"screen", false}}}},
            [this, &s](const json::object& joined) {
                if (stringAt(joined, "type") != "joined") return fail(s, "join: " + json::serialize(joined));
                // Receive-only sections: the server puts the publisher's tracks in its answer.
                s.tally.subscribed(now());
                s.signal.request({{"type", "media-offer"}, {"sdp", receivingOffer(s.peer(), false)},
                                  {"tracks", json::array{}}},
                                 [this, &s](const json::object& answer) {
                                     if (stringAt(answer, "type") != "media-answer")
                                         return fail(s, "media-offer: " + json::serialize(answer));
                                     std::string error;
                                     s.remote = serverEndOf(stringAt(answer, "sdp"), true, error);
                                     if (!s.remote) return fail(s, error);
                                     connectWhenReady(s);
                                 });
            });
    };
}

// --- Janus: session, videoroom handle, then the plugin's requests ---------------------------

void Run::janusAttach(Endpoint& e, std::function<void()> then) {
    e.signal.ws->onOpen = [this, &e, then] {
        e.signal.request({{"janus", "create"}}, [this, &e, then](const json::object& created) {
            const auto* data = objectAt(created, "data");
            if (stringAt(created, "janus") != "success" || !data) return fail(e, "create: " + json::serialize(created));
            e.janusSession = idAt(*data, "id");
            e.signal.request({{"janus", "attach"}, {"session_id", e.janusSession}, {"plugin", "janus.plugin.videoroom"}},
                             [this, &e, then](const json::object& attached) {
                                 const auto* data = objectAt(attached, "data");
                                 if (stringAt(attached, "janus") != "success" || !data)
                                     return fail(e, "attach: " + json::serialize(attached));
                                 e.janusHandle = idAt(*data, "id");
                                 then();
                             });
        });
    };
    // Janus trickles its candidates when its SDP left before gathering ended.
    e.signal.onEvent = [this, &e](const json::object& m) {
        const std::string kind = stringAt(m, "janus");
        if (kind == "trickle") janusTrickle(e, m);
        if (kind == "hangup" || kind == "detached") fail(e, "janus: " + json::serialize(m));
    };
}

void Run::janusTrickle(Endpoint& e, const json::object& m) {
    const auto* c = objectAt(m, "candidate");
    if (!c || !e.remote || e.remote->port != 0) return;
    // "candidate:1 1 udp 2015363327 127.0.0.1 41231 typ host"
    std::istringstream words(stringAt(*c, "candidate"));
    std::string foundation, component, transport, priority, address, port;
    words >> foundation >> component >> transport >> priority >> address >> port;
    const auto ipv4 = parseIpv4(address);
    const int number = std::atoi(port.c_str());  // 0 for anything but digits
    if ((transport == "udp" || transport == "UDP") && ipv4 && number > 0 && number < 65536) {
        e.remote->address = *ipv4;
        e.remote->port = static_cast<std::uint16_t>(number);
        connectWhenReady(e);
    }
}

json::object janusMessage(const Endpoint& e, json::object body) {
    return {{"janus", "message"}, {"session_id", e.janusSession}, {"handle_id", e.janusHandle}, {"body", std::move(body)}};
}

void Run::janusPublisher(Publisher& p) {
    janusAttach(p, [this, &p] {
        p.signal.request(
            janusMessage(p, {{"request", "create"}, {"room", janusRoom(p.room)}, {"publishers", 1},
                             {"bitrate", 0}, {"fir_freq", 0}, {"audiocodec", "opus"}, {"videocodec", "vp8"},
                             {"notify_joining", false}, {"permanent", false}}),
            [this, &p](const json::object& created) {
                const auto* data = objectAt(created, "plugindata") ? objectAt(*objectAt(created, "plugindata"), "data") : nullptr;
                if (!data || stringAt(*data, "videoroom") != "created")
                    return fail(p, "videoroom create: " + json::serialize(created));
                p.signal.request(
                    janusMessage(p, {{"request", "join"}, {"ptype", "publisher"}, {"room", janusRoom(p.room)},
                                     {"display", "publisher"}}),
                    [this, &p](const json::object& joined) {
                        const auto* d = objectAt(joined, "plugindata") ? objectAt(*objectAt(joined, "plugindata"), "data") : nullptr;
                        if (!d || stringAt(*d, "videoroom") != "joined")
                            return fail(p, "videoroom join: " + json::serialize(joined));
                        p.janusFeed = idAt(*d, "id");
                        auto configure = janusMessage(p, {{"request", "configure"}, {"audio", true}, {"video", true}});
                        configure["jsep"] = {{"type", "offer"}, {"sdp", publishingOffer(p.peer(), spec_, true)}};
                        p.signal.request(std::move(configure), [this, &p](const json::object& configured) {
                            const auto* jsep = objectAt(configured, "jsep");
                            if (!jsep) return fail(p, "videoroom configure: " + json::serialize(configured));
                            std::string error;
                            p.remote = serverEndOf(stringAt(*jsep, "sdp"), true, error);
                            if (!p.remote) return fail(p, error);
                            p.signal.ws->send({{"janus", "trickle"}, {"session_id", p.janusSession},
                                               {"handle_id", p.janusHandle}, {"transaction", "end"},
                                               {"candidate", {{"completed", true}}}});
                            connectWhenReady(p);
                        });
                    });
            });
    });
}

void Run::janusSubscriber(Subscriber& s) {
    janusAttach(s, [this, &s] {
        const Publisher& p = *publishers_[std::size_t(s.room)];
        s.tally.subscribed(now());
        s.signal.request(
            janusMessage(s, {{"request", "join"}, {"ptype", "subscriber"}, {"room", janusRoom(s.room)},
                             {"streams", json::array{{{"feed", p.janusFeed}}}}}),
            [this, &s](const json::object& attached) {
                const auto* jsep = objectAt(attached, "jsep");
                if (!jsep) return fail(s, "videoroom subscribe: " + json::serialize(attached));
                const std::string offer = stringAt(*jsep, "sdp");
                std::string error;
                auto answer = answerTo(s.peer(), offer, true, error);
                if (!answer) return fail(s, error);
                s.remote = serverEndOf(offer, false, error);
                if (!s.remote) return fail(s, error);
                auto start = janusMessage(s, {{"request", "start"}});
                start["jsep"] = {{"type", "answer"}, {"sdp", *answer}};
                s.signal.request(std::move(start), [](const json::object&) {});
                s.signal.ws->send({{"janus", "trickle"}, {"session_id", s.janusSession}, {"handle_id", s.janusHandle},
                                   {"transaction", "end"}, {"candidate", {{"completed", true}}}});
                connectWhenReady(s);
            });
    });
}

// --- the floor: a registration datagram instead of signaling ---------------------------------

std::vector<std::uint8_t> floorRegistration(bool publisher, int room) {
    std::vector<std::uint8_t> r{'S', 'F', 'U', std::uint8_t(publisher ? 'P' : 'S'), 0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) r[std::size_t(4 + i)] = std::uint8_t(std::uint32_t(room) >> (24 - 8 * i));
    return r;
}

void Run::startPublisher(Publisher& p) {
    openMedia(p);
    p.peer().onRtcp = [&p](std::span<const std::uint8_t> rtcp) {
        const auto compound = media::parseRtcpCompound(rtcp);
        if (!compound || !p.workload) return;
        for (const auto& item : compound->items) {
            if (std::holds_alternative<media::RtcpPli>(item) || std::holds_alternative<media::RtcpFir>(item)) {
                p.workload->requestKeyframe(now());
            }
        }
    };
    if (floor_) {
        p.peer().connectPlain(o_.port);
        p.peer().sendRaw(floorRegistration(true, p.room));
        p.connectCalled = true;
        return;
    }
    openSignal(p);
    if (janus_) {
        janusPublisher(p);
    } else {
        parleyPublisher(p);
    }
}

void Run::startSubscriber(Subscriber& s) {
    s.started = true;
    openMedia(s);
    if (!s.decrypts) {
        s.peer().onEncryptedRtp = [this, &s](std::span<const std::uint8_t> srtp) {
            if (srtp.size() < 12) return;
            const std::int64_t t = now();
            s.tally.arrived((srtp[1] & 0x7f) != spec_.audioPayloadType, t);
            const std::uint32_t ssrc = (std::uint32_t(srtp[8]) << 24) | (std::uint32_t(srtp[9]) << 16) |
                                       (std::uint32_t(srtp[10]) << 8) | srtp[11];
            s.headers.onHeader(ssrc, std::uint16_t((srtp[2] << 8) | srtp[3]), t);
        };
    }
    s.peer().onRtp = [this, &s](std::span<const std::uint8_t> rtp, std::int64_t) {
        // The header's length (CSRCs, extensions) from the packet itself: what a server adds
        // (an extension it rewrites) must not be mistaken for payload.
        if (rtp.size() < 12) return;
        std::size_t header = 12 + 4 * std::size_t(rtp[0] & 0x0f);
        if ((rtp[0] & 0x10) && rtp.size() >= header + 4) {
            header += 4 + 4 * ((std::size_t(rtp[header + 2]) << 8) | rtp[header + 3]);
        }
        std::size_t end = rtp.size();
        if ((rtp[0] & 0x20) && end > header) end -= std::min<std::size_t>(rtp[end - 1], end - header);
        if (header > end) return;
        s.tally.onPayload(rtp.subspan(header, end - header), now(), latency_);
    };
    if (floor_) {
        s.peer().connectPlain(o_.port);
        s.tally.subscribed(now());
        s.peer().sendRaw(floorRegistration(false, s.room));
        s.connectCalled = true;
        return;
    }
    openSignal(s);
    if (janus_) {
        janusSubscriber(s);
    } else {
        parleySubscriber(s);
    }
}

int Run::run() {
    const std::int64_t connectLimit = std::int64_t(o_.connectTimeoutSeconds * 1e9);
    // 1. Publishers connect; each starts sending as soon as its transport is up.
    std::int64_t t0 = now();
    for (int r = 0; r < o_.rooms; ++r) {
        publishers_.push_back(std::make_unique<Publisher>());
        publishers_.back()->room = r;
        startPublisher(*publishers_.back());
    }
    const auto publishersSettled = [&] {
        bool all = true;
        for (auto& p : publishers_) {
            if (!p->workload && p->ok()) p->workload.emplace(spec_, std::uint32_t(p->room), now());
            all = all && p->settled();
        }
        return all;
    };
    loop(t0 + connectLimit, publishersSettled);
    const std::int64_t publishersMs = toMs(now() - t0);
    for (auto& p : publishers_) {
        if (!p->ok()) {
            const auto& c = p->peer().counters();
            std::cerr << "parley-sfu-load: publisher " << p->room << " did not connect: "
                      << (p->failure.empty() ? "timed out" : p->failure) << " (ICE checks sent " << c.checksSent
                      << ", answered " << c.checksAnswered << ", received " << c.checksReceived << "; datagrams in "
                      << c.datagramsIn << ", connect " << (p->connectCalled ? "started" : "not started") << ")\n";
            return 1;
        }
    }
    // The server's memory with the publishers' media flowing and nobody subscribed yet.
    loop(now() + std::int64_t(o_.settleSeconds * 1e9), nullptr);
    const auto rssBefore = o_.serverPid ? rssBytes(o_.serverPid) : std::nullopt;

    // 2. Subscribers, a few at a time, as people arriving.
    t0 = now();
    for (int r = 0; r < o_.rooms; ++r) {
        for (int k = 0; k < o_.subscribers; ++k) {
            subscribers_.push_back(std::make_unique<Subscriber>());
            subscribers_.back()->room = r;
            // The floor's packets are plain: every subscriber reads their stamps.
            subscribers_.back()->decrypts = floor_ || k % std::max(1, o_.decryptEvery) == 0;
        }
    }
    std::size_t next = 0;
    const auto subscribersSettled = [&] {
        std::size_t active = 0;
        bool all = true;
        for (std::size_t i = 0; i < next; ++i) {
            if (!subscribers_[i]->settled()) ++active, all = false;
        }
        while (next < subscribers_.size() && active < std::size_t(o_.concurrentSubscribes)) {
            try {
                startSubscriber(*subscribers_[next]);
            } catch (const std::exception& e) {
                fail(*subscribers_[next], e.what());
            }
            ++next, ++active, all = false;
        }
        return all && next == subscribers_.size();
    };
    loop(t0 + connectLimit, subscribersSettled);
    const std::int64_t subscribersMs = toMs(now() - t0);

    // 3. Warm-up, then the window, then the drain.
    const std::int64_t start = now() + std::int64_t(o_.warmupSeconds * 1e9);
    window_ = {start, start + std::int64_t(o_.durationSeconds * 1e9)};
    for (auto& s : subscribers_) {
        s->tally.setWindow(window_);
        s->headers.setWindow(window_);
    }
    loop(window_.startNs, nullptr);
    if (!o_.windowMarkPath.empty()) std::ofstream(o_.windowMarkPath) << "open\n";
    const auto cpu0 = o_.serverPid ? sampleProcess(o_.serverPid) : std::nullopt;
    const double self0 = selfCpuSeconds();
    loop(window_.endNs, nullptr);
    const auto cpu1 = o_.serverPid ? sampleProcess(o_.serverPid) : std::nullopt;
    const double self1 = selfCpuSeconds();
    const auto rssAfter = o_.serverPid ? rssBytes(o_.serverPid) : std::nullopt;
    loop(window_.endNs + std::int64_t(o_.drainSeconds * 1e9), nullptr);

    report(window_.endNs - window_.startNs, cpu0, cpu1, self0, self1, rssBefore, rssAfter, publishersMs, subscribersMs);
    std::size_t connected = 0;
    for (auto& s : subscribers_) connected += s->ok() ? 1 : 0;
    return connected == subscribers_.size() ? 0 : 1;
}

double percentileOf(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t i = std::min(values.size() - 1, std::size_t(p / 100.0 * double(values.size() - 1) + 0.5));
    return values[i];
}

void Run::report(std::int64_t windowNs, std::optional<ProcessSample> cpu0, std::optional<ProcessSample> cpu1,
                 double self0, double self1, std::optional<std::uint64_t> rssBefore,
                 std::optional<std::uint64_t> rssAfter, std::int64_t publishersMs, std::int64_t subscribersMs) {
    const double seconds = double(windowNs) / 1e9;
    std::uint64_t expected = 0, delivered = 0, duplicates = 0, unstamped = 0, srtpFailures = 0, over1 = 0;
    std::size_t connected = 0, decrypting = 0;
    std::vector<double> losses, firstPacket, firstVideo;
    std::string firstFailure;
    for (auto& s : subscribers_) {
        if (!s->ok()) {
            if (firstFailure.empty()) firstFailure = s->failure.empty() ? "did not connect in time" : s->failure;
            continue;
        }
        ++connected;
        const std::uint64_t published = publishers_[std::size_t(s->room)]->sentInWindow;
        std::uint64_t sent = published, got = 0;
        if (s->decrypts) {
            ++decrypting;
            got = std::min(sent, s->tally.receivedInWindow());
        } else {
            // The span of sequence numbers that arrived; a stall or a missing track makes it
            // fall short of what was published, and then what was published is the measure.
            got = s->headers.received();
            sent = s->headers.expected();
            if (s->headers.streams() < (spec_.audioSsrc ? 2u : 1u) || double(sent) < 0.9 * double(published)) {
                sent = std::max(published, got);
            }
        }
        expected += sent;
        delivered += got;
        duplicates += s->tally.duplicates();
        unstamped += s->tally.unstamped();
        srtpFailures += s->peer().counters().srtpFailures;
        const double loss = sent ? 100.0 * double(sent - got) / double(sent) : 0.0;
        losses.push_back(loss);
        if (loss >= 1.0) ++over1;
        if (auto f = s->tally.firstPacketNs()) firstPacket.push_back(double(*f) / 1e6);
        if (auto f = s->tally.firstVideoNs()) firstVideo.push_back(double(*f) / 1e6);
    }
    std::uint64_t published = 0, keyframes = 0;
    for (auto& p : publishers_) {
        published += p->sentInWindow;
        keyframes += p->workload ? p->workload->keyframesSent() : 0;
    }
    const double lossPct = expected ? 100.0 * double(expected - delivered) / double(expected) : 0.0;
    const double serverCpu = cpu0 && cpu1 ? cpu1->cpuSeconds - cpu0->cpuSeconds : -1;
    const std::uint64_t tracks = std::uint64_t(connected) * (spec_.audioSsrc ? 2 : 1);

    json::object r;
    r["label"] = o_.label;
    r["target"] = o_.target;
    r["rooms"] = o_.rooms;
    r["subscribers_per_room"] = o_.subscribers;
    r["subscribers"] = subscribers_.size();
    r["connected"] = connected;
    r["subscribed_tracks"] = tracks;
    r["decrypting_subscribers"] = decrypting;
    r["first_failure"] = firstFailure;
    r["video_kbps"] = o_.videoKbps;
    r["fps"] = o_.fps;
    r["delta_frame_bytes"] = publishers_.empty() || !publishers_[0]->workload ? 0 : publishers_[0]->workload->deltaFrameBytes(0);
    r["keyframes"] = keyframes;
    r["seconds"] = seconds;
    r["published_packets"] = published;
    r["published_pps"] = double(published) / seconds;
    r["expected"] = expected;
    r["delivered"] = delivered;
    r["forwarded_pps"] = double(delivered) / seconds;
    r["loss_pct"] = lossPct;
    r["loss_pct_median_subscriber"] = percentileOf(losses, 50);
    r["loss_pct_worst_subscriber"] = percentileOf(losses, 100);
    r["subscribers_over_1pct_loss"] = over1;
    r["duplicates"] = duplicates;
    r["unstamped"] = unstamped;
    r["srtp_failures"] = srtpFailures;
    const auto ms = [](std::uint64_t ns) { return double(ns) / 1e6; };
    for (auto [name, h] : {std::pair<const char*, const LatencyHistogram*>{"latency", &latency_.all},
                           {"latency_audio", &latency_.audio}, {"latency_video", &latency_.video}}) {
        r[std::string(name) + "_p50_ms"] = ms(h->percentile(50));
        r[std::string(name) + "_p90_ms"] = ms(h->percentile(90));
        r[std::string(name) + "_p99_ms"] = ms(h->percentile(99));
        r[std::string(name) + "_p999_ms"] = ms(h->percentile(99.9));
        r[std::string(name) + "_max_ms"] = ms(h->max());
    }
    r["first_packet_p50_ms"] = percentileOf(firstPacket, 50);
    r["first_packet_max_ms"] = percentileOf(firstPacket, 100);
    r["first_video_p50_ms"] = percentileOf(firstVideo, 50);
    r["first_video_max_ms"] = percentileOf(firstVideo, 100);
    r["publishers_connect_ms"] = publishersMs;
    r["subscribers_connect_ms"] = subscribersMs;
    if (serverCpu >= 0) {
        r["server_cpu_pct"] = 100.0 * serverCpu / seconds;
        r["server_us_per_packet"] = delivered ? 1e6 * serverCpu / double(delivered) : 0.0;
    }
    if (rssBefore) r["server_rss_before_bytes"] = *rssBefore;
    if (rssAfter) r["server_rss_bytes"] = *rssAfter;
    if (rssBefore && rssAfter && tracks) {
        r["server_bytes_per_track"] = (double(*rssAfter) - double(*rssBefore)) / double(tracks);
    }
    r["tool_cpu_pct"] = 100.0 * (self1 - self0) / seconds;
    if (auto load = loadAverage()) r["loadavg"] = *load;

    std::printf("%s: %s, %d room(s) x %d subscribers, %zu/%zu connected (%lld ms), %.1f s window\n",
                o_.label.c_str(), o_.target.c_str(), o_.rooms, o_.subscribers, connected, subscribers_.size(),
                static_cast<long long>(subscribersMs), seconds);
    std::printf("  published %.0f pkt/s, forwarded %.0f pkt/s, loss %.3f%% (worst subscriber %.3f%%, %llu over 1%%)\n",
                double(published) / seconds, double(delivered) / seconds, lossPct, percentileOf(losses, 100),
                static_cast<unsigned long long>(over1));
    std::printf("  latency p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms (audio p50 %.3f p99 %.3f; video p50 %.3f p99 %.3f)\n",
                ms(latency_.all.percentile(50)), ms(latency_.all.percentile(99)), ms(latency_.all.percentile(99.9)),
                ms(latency_.all.max()), ms(latency_.audio.percentile(50)), ms(latency_.audio.percentile(99)),
                ms(latency_.video.percentile(50)), ms(latency_.video.percentile(99)));
    std::printf("  subscribe -> first packet p50 %.1f max %.1f ms; -> first video p50 %.1f max %.1f ms\n",
                percentileOf(firstPacket, 50), percentileOf(firstPacket, 100), percentileOf(firstVideo, 50),
                percentileOf(firstVideo, 100));
    if (serverCpu >= 0) {
        std::printf("  server CPU %.1f%% of a core, %.3f us per forwarded packet\n", 100.0 * serverCpu / seconds,
                    delivered ? 1e6 * serverCpu / double(delivered) : 0.0);
    }
    if (rssBefore && rssAfter && tracks) {
        std::printf("  server RSS %.1f MiB (%.1f before subscribers), %.1f KiB per subscribed track\n",
                    double(*rssAfter) / 1048576.0, double(*rssBefore) / 1048576.0,
                    (double(*rssAfter) - double(*rssBefore)) / double(tracks) / 1024.0);
    }
    std::printf("  tool CPU %.1f%% of its core\n", 100.0 * (self1 - self0) / seconds);
    if (!firstFailure.empty()) std::printf("  first failure: %s\n", firstFailure.c_str());
    const std::string line = json::serialize(r);
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    if (!o_.jsonPath.empty()) {
        std::ofstream out(o_.jsonPath, std::ios::app);
        out << line << "\n";
    }
}

}  // namespace

int runSfu(const SfuOptions& options) {
    Run run(options);
    return run.run();
}

}  // namespace parley::bench::sfu
