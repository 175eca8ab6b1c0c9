#pragma once
// One run of the SFU load tool: R rooms, each with one publisher and K subscribers, against
// Parley, Janus's VideoRoom or the UDP floor; bounded phases (publishers connect, subscribers
// connect, warm-up, measurement window, drain), then one report.
#include <cstdint>
#include <string>

namespace parley::bench::sfu {

struct SfuOptions {
    std::string target = "parley";  // parley | janus | floor
    std::uint16_t port = 0;         // signaling (parley, janus) or the relay's UDP port (floor)
    std::string mediaAddress = "127.0.0.1";  // where the tool's media sockets bind
    int serverPid = 0;              // whose CPU and memory to charge (0: none)
    int rooms = 1;
    int subscribers = 10;           // per room
    int videoKbps = 1500;
    int fps = 30;
    int keyframeIntervalMs = 3000;
    bool audio = true;
    double settleSeconds = 1;  // publishers' media flowing before the memory baseline
    double warmupSeconds = 2;
    double durationSeconds = 10;
    double drainSeconds = 1;
    double connectTimeoutSeconds = 60;  // for all subscribers together
    int concurrentSubscribes = 16;      // subscribers being signaled at once
    int decryptEvery = 8;               // the first subscriber of each room and every Nth decrypt
    std::string windowMarkPath;         // a file created when the window opens (for a profiler)
    std::string label;
    std::string jsonPath;  // append the report as one JSON line
};

// Runs and prints the report; returns the process exit code (0 when every subscriber connected
// and the window was measured, 1 otherwise).
int runSfu(const SfuOptions& options);

}  // namespace parley::bench::sfu
