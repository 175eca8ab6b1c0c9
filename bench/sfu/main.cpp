// parley-sfu-load: one publisher per room sending Opus and VP8 at a real bitrate, and K
// subscribers per room, each its own ICE + DTLS + SRTP transport, against Parley, Janus's
// VideoRoom or the UDP floor (bench/sfu/README in bench/README.md, "The SFU benchmark").
#include <CLI/CLI.hpp>

#include <iostream>

#include "fd_limit.hpp"
#include "sfu_run.hpp"

int main(int argc, char** argv) {
    parley::bench::sfu::SfuOptions o;
    CLI::App app{"parley-sfu-load: an SFU's forwarding under a publisher and N subscribers"};
    app.add_option("--target", o.target, "parley, janus or floor")
        ->check(CLI::IsMember({"parley", "janus", "floor"}));
    app.add_option("--port", o.port, "Signaling port on 127.0.0.1 (the floor: its UDP port)")->required();
    app.add_option("--media-address", o.mediaAddress,
                   "IPv4 address the tool's media sockets bind (Janus: the address it gathers on)");
    app.add_option("--server-pid", o.serverPid, "The server's process, charged for CPU and memory");
    app.add_option("--rooms", o.rooms, "Rooms, one publisher each")->check(CLI::Range(1, 1000));
    app.add_option("-k,--subscribers", o.subscribers, "Subscribers per room")->check(CLI::Range(1, 5000));
    app.add_option("--video-kbps", o.videoKbps, "Video bitrate (kbit/s)")->check(CLI::Range(50, 20000));
    app.add_option("--fps", o.fps, "Video frames per second")->check(CLI::Range(1, 60));
    app.add_option("--keyframe-interval-ms", o.keyframeIntervalMs, "Periodic keyframes")->check(CLI::Range(200, 60000));
    bool noAudio = false;
    app.add_flag("--no-audio", noAudio, "Video only");
    app.add_option("--settle", o.settleSeconds, "Seconds of the publishers' media before the memory baseline");
    app.add_option("--warmup", o.warmupSeconds, "Seconds after every subscriber connected, before the window");
    app.add_option("--duration", o.durationSeconds, "Seconds of the measurement window");
    app.add_option("--drain", o.drainSeconds, "Seconds waited for packets sent in the window");
    app.add_option("--connect-timeout", o.connectTimeoutSeconds, "Seconds for publishers, then subscribers, to connect");
    app.add_option("--concurrent-subscribes", o.concurrentSubscribes, "Subscribers being signaled at once")
        ->check(CLI::Range(1, 1000));
    app.add_option("--decrypt-every", o.decryptEvery,
                   "Every Nth subscriber of a room decrypts (1: all); the others count by RTP header")
        ->check(CLI::Range(1, 100000));
    app.add_option("--mark-window", o.windowMarkPath, "Create this file when the measurement window opens");
    app.add_option("--label", o.label, "Name of the run in the report");
    app.add_option("--json", o.jsonPath, "Append the report to this file as one JSON line");
    CLI11_PARSE(app, argc, argv);
    o.audio = !noAudio;
    if (o.label.empty()) o.label = o.target;
    // Two sockets per subscriber (signaling and media).
    std::string note;
    parley::bench::raiseFileLimit(std::uint64_t(o.rooms) * std::uint64_t(o.subscribers + 1) * 2 + 64, note);
    if (!note.empty()) std::cerr << "parley-sfu-load: " << note << "\n";
    try {
        return parley::bench::sfu::runSfu(o);
    } catch (const std::exception& e) {
        std::cerr << "parley-sfu-load: " << e.what() << "\n";
        return 1;
    }
}
