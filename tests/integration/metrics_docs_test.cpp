// docs/monitoring's alert rules and Grafana dashboard name only metrics a running server
// exports: a renamed or misspelt metric fails here instead of silently never alerting.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "http_get.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class MetricsDocs : public ServerSuite<MetricsDocs> {
public:
    // With the media plane, so its parley_media_* series are there to be named.
    static std::vector<std::string> serverFlags() { return {"--topology", "auto", "--media-port", "0"}; }
};

std::set<std::string> exported(const std::string& metrics) {
    std::set<std::string> names;
    std::istringstream in(metrics);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        names.insert(line.substr(0, line.find_first_of("{ ")));
    }
    return names;
}

std::set<std::string> named(const std::string& path) {
    std::ifstream in(PARLEY_SOURCE_DIR "/" + path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string body = text.str();
    std::set<std::string> names;
    const std::regex metric(R"(\b(parley|process)_[a-z0-9_]+)");
    for (auto it = std::sregex_iterator(body.begin(), body.end(), metric); it != std::sregex_iterator(); ++it) {
        names.insert(it->str());
    }
    return names;
}

TEST_F(MetricsDocs, EveryMetricTheAlertsAndDashboardNameExists) {
    const auto metrics = exported(httpGet(port(), "/metrics").body);
    for (const char* file : {"docs/monitoring/parley-alerts.yml", "docs/monitoring/parley-dashboard.json"}) {
        const auto names = named(file);
        EXPECT_GE(names.size(), 8u) << file << " could not be read, or names few metrics";
        for (const auto& name : names) EXPECT_TRUE(metrics.count(name)) << file << " names " << name;
    }
    // The refusals the issue asks alerts for are among them.
    const auto alerts = named("docs/monitoring/parley-alerts.yml");
    for (const char* name : {"parley_connections_refused_total", "parley_http_refusals_total",
                             "parley_errors_total", "parley_flood_closes_total",
                             "parley_websocket_limit_closes_total", "process_open_fds",
                             "process_resident_memory_bytes"}) {
        EXPECT_TRUE(alerts.count(name)) << "no alert on " << name;
    }
    // And the media series the forwarding issue lists are on the dashboard.
    const auto dashboard = named("docs/monitoring/parley-dashboard.json");
    for (const char* name : {"parley_media_transports", "parley_media_streams", "parley_media_subscriptions",
                             "parley_media_packets_received_total", "parley_media_packets_sent_total",
                             "parley_media_bytes_received_total", "parley_media_bytes_sent_total",
                             "parley_media_nacks_received_total", "parley_media_retransmissions_total",
                             "parley_media_keyframe_requests_total", "parley_media_keyframe_requests_received_total",
                             "parley_media_dtls_failures_total"}) {
        EXPECT_TRUE(dashboard.count(name)) << "the dashboard does not show " << name;
    }
}

TEST_F(MetricsDocs, RefusalsAreCounted) {
    HttpCall foreign;
    foreign.headers.emplace_back("Host", "rebind.attacker.example");
    EXPECT_EQ(httpCall(port(), foreign).status, 421u);
    HttpCall origin;
    origin.target = "/ws";
    origin.headers = upgradeHeaders("https://evil.example");
    EXPECT_EQ(httpCall(port(), origin).status, 403u);
    const auto metrics = httpGet(port(), "/metrics").body;
    EXPECT_NE(metrics.find("parley_http_refusals_total{reason=\"host-not-allowed\"} 1\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("parley_http_refusals_total{reason=\"origin-not-allowed\"} 1\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("process_open_fds "), std::string::npos);
    EXPECT_EQ(metrics.find("process_resident_memory_bytes 0\n"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace parley::itest
