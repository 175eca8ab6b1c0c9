// The load tool's readers of what it is told (bench/load): node addresses from --targets and a
// room-elsewhere URL, Redis's INFO text, and parley's answers to a join. Any bytes give a value
// or a reason, never a crash; what is accepted is what the tool can connect to.
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dialect.hpp"
#include "node_target.hpp"
#include "redis_stats.hpp"

namespace {

void checkTarget(const parley::bench::NodeTarget& target) {
    in_addr address{};
    if (target.port == 0 || ::inet_pton(AF_INET, target.host.c_str(), &address) != 1) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    namespace bench = parley::bench;
    if (auto url = bench::parseNodeUrl(text); auto* target = std::get_if<bench::NodeTarget>(&url)) checkTarget(*target);
    if (auto one = bench::parseHostPort(text); auto* target = std::get_if<bench::NodeTarget>(&one)) checkTarget(*target);
    if (auto list = bench::parseTargetList(text); auto* targets = std::get_if<std::vector<bench::NodeTarget>>(&list)) {
        if (targets->empty()) std::abort();
        for (const auto& target : *targets) checkTarget(target);
    }
    if (auto stats = bench::parseRedisInfo(text)) {
        const auto none = bench::redisDelta(*stats, *stats, 0);
        if (none.totalCommands != 0 || !none.calls.empty()) std::abort();
        (void)bench::describeCalls(stats->calls);
    }
    static const auto dialect = bench::makeParleyDialect();
    const auto in = dialect->classify(text);
    if (in.kind == bench::Incoming::Kind::Retry && in.retryAfterMs > 60'000) std::abort();
    return 0;
}
