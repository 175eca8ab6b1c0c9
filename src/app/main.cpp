// parley: self-hosted video meetings. Reads its configuration, starts the server on one
// io_context thread, and shuts down cleanly on SIGINT/SIGTERM.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "app/config.hpp"
#include "app/file_limit.hpp"
#include "app/interface_addresses.hpp"
#include "app/logging.hpp"
#include "app/media_addresses.hpp"
#include "app/port_file.hpp"
#include "app/token_command.hpp"
#include "auth/origin_policy.hpp"
#include "cluster/address_loads.hpp"
#include "cluster/cluster_membership.hpp"
#include "cluster/cluster_view.hpp"
#include "cluster/in_memory_directory.hpp"
#include "cluster/load_meter.hpp"
#include "cluster/node_id.hpp"
#include "cluster/redis_connection.hpp"
#include "cluster/redis_directory.hpp"
#include "cluster/room_placement.hpp"
#include "cluster/room_state_writer.hpp"
#include "core/clock.hpp"
#include "core/connection_limit.hpp"
#include "core/ids.hpp"
#include "core/room_snapshot_json.hpp"
#include "media/forwarding_signaling.hpp"
#include "media/media_metrics.hpp"
#include "media/media_plane.hpp"
#include "net/server.hpp"
#include "net/session_registry.hpp"
#include "protocol/gateway.hpp"

namespace {

std::string urlOf(const boost::asio::ip::tcp::endpoint& endpoint, bool tls) {
    const auto address = endpoint.address();
    const auto host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return fmt::format("{}://{}:{}", tls ? "https" : "http", host, endpoint.port());
}

// This process's user and system CPU time, all threads (the media workers') included.
double processCpuSeconds() {
    rusage usage{};
    if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int run(const parley::app::Config& config) {
    // One thread runs everything: the Gateway and the rooms behind it are not thread-safe,
    // and signaling is light enough that one core serves many rooms.
    boost::asio::io_context io{1};
    // The signaling, built here and handed to the network side: the gateway sends through the
    // session registry, whose sessions the server opens and closes. Declared first, so the
    // server (and every session in it) is gone before them.
    parley::core::SystemClock clock;
    parley::core::RandomIdSource ids;
    parley::net::SessionRegistry registry;
    parley::protocol::Gateway gateway(config.server.rooms, config.server.gateway, clock, ids, registry);
    parley::net::Server server(io, config.server, gateway, registry, clock);

    // The forwarding server, when rooms may be forwarded: its workers and ports first (a port
    // taken fails the start, as a taken --listen port does), then its signaling, beside the
    // gateway's, on this thread.
    std::unique_ptr<parley::media::MediaPlane> media;
    std::unique_ptr<parley::media::ForwardingSignaling> forwarding;
    if (config.server.rooms.topology.mode != parley::core::TopologyMode::Mesh) {
        parley::media::MediaPlaneConfig mediaConfig;
        mediaConfig.bindAddress = config.media.bindAddress;
        mediaConfig.firstPort = config.media.firstPort;
        mediaConfig.workers = config.media.workers;
        mediaConfig.announcedAddresses = config.media.announcedAddresses.empty()
                                             ? parley::app::defaultMediaAddresses(config.media.bindAddress,
                                                                                  parley::app::interfaceAddresses())
                                             : config.media.announcedAddresses;
        mediaConfig.tcp = config.media.tcp;
        media = std::make_unique<parley::media::MediaPlane>(mediaConfig);
        forwarding = std::make_unique<parley::media::ForwardingSignaling>(
            *media, config.server.rooms.topology,
            [&gateway](const auto& to, const auto& event) { return gateway.sendEvent(to, event); },
            [&io](std::function<void()> task) { boost::asio::post(io, std::move(task)); });
        gateway.addObserver(*forwarding);
        gateway.setMediaSignaling(forwarding.get());
        // What the workers report (a new active speaker) is handled here, on this thread.
        media->setListener(forwarding.get(),
                           [&io](std::function<void()> task) { boost::asio::post(io, std::move(task)); });
        server.addMetrics([plane = media.get()](std::string& out) {
            parley::media::appendMediaMetrics(out, plane->counters());
        });
        media->start();
        std::string ports;
        for (std::size_t i = 0; i < media->workers(); ++i) ports += (i ? "," : "") + std::to_string(media->portOf(i));
        std::string announced;
        for (const auto& ip : media->announcedAddresses()) announced += (announced.empty() ? "" : ",") + ip;
        spdlog::info("media: {} topology, {} port {} on {}, announced as {}",
                     parley::core::toString(config.server.rooms.topology.mode),
                     config.media.tcp ? "UDP and TCP" : "UDP", ports, config.media.bindAddress, announced);
    }

    // This node in the cluster directory: Redis with --redis (announced every 2 s with its
    // load, listed in /admin/cluster), otherwise an in-memory directory of this node alone, so
    // /admin/cluster reads the same either way. Declared after the server and the media
    // plane, so gone before them; the server calls the view only while the loop runs.
    namespace cluster = parley::cluster;
    cluster::NodeRecord self;
    self.id = config.cluster.nodeId.empty() ? cluster::randomNodeId() : config.cluster.nodeId;
    self.instance = cluster::randomInstanceId();
    self.publicUrl = config.server.publicUrl;
    std::unique_ptr<cluster::RedisConnection> redis;
    std::unique_ptr<cluster::ClusterDirectory> directory;
    if (config.cluster.redis) {
        cluster::RedisConnectionOptions redisOptions;
        redisOptions.endpoint = *config.cluster.redis;
        redis = std::make_unique<cluster::RedisConnection>(io, redisOptions);
        directory = std::make_unique<cluster::RedisDirectory>(*redis);
        redis->start();
        spdlog::info("cluster: node {} with Redis at {}", self.id, config.cluster.redisUrlForLogs);
    } else {
        directory = std::make_unique<cluster::InMemoryDirectory>(clock);
    }
    cluster::LoadMeter loadMeter;
    const auto started = std::chrono::steady_clock::now();
    cluster::ClusterMembership membership(
        io, *directory, self,
        [&] {
            cluster::LoadTotals totals;
            totals.participants = gateway.rooms().participantCount();
            totals.rooms = gateway.rooms().roomCount();
            if (media) {
                const auto counters = media->counters();
                totals.mediaPackets = counters.packetsIn + counters.packetsOut;
            }
            totals.cpuSeconds = processCpuSeconds();
            totals.atSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return loadMeter.sample(totals);
        },
        clock);
    membership.setRoomsSource([&gateway] { return gateway.rooms().roomIds(); });
    const std::string store = redis ? "redis" : "memory";
    server.setClusterView([&membership, &clock, store] {
        return cluster::clusterViewJson(membership.view(), store, clock.nowMs());
    });
    if (redis) {
        server.setDegradedReason([&redis]() -> std::optional<std::string> {
            if (redis->up()) return std::nullopt;
            return std::string("redis-unreachable");
        });
    }
    server.addMetrics([&membership](std::string& out) {
        fmt::format_to(std::back_inserter(out),
                       "# HELP parley_cluster_reachable Whether the cluster directory (Redis with --redis) is "
                       "reachable.\n# TYPE parley_cluster_reachable gauge\nparley_cluster_reachable {}\n"
                       "# HELP parley_cluster_nodes Live nodes as last listed from the directory.\n"
                       "# TYPE parley_cluster_nodes gauge\nparley_cluster_nodes {}\n",
                       membership.reachable() ? 1 : 0, membership.view().nodes.size());
    });
    // Where rooms live, with --redis: a join for a room another node holds is sent there, and a
    // new room goes to the least-loaded node under a lease in Redis (cluster/room_placement).
    std::unique_ptr<cluster::RoomPlacement> placement;
    std::unique_ptr<cluster::RoomStateWriter> stateWriter;
    if (redis) {
        placement = std::make_unique<cluster::RoomPlacement>(io, *directory, self.id,
                                                             [&membership] { return membership.view().nodes; });
        // A room this node takes over from a node that died is rebuilt from the state that node
        // kept in Redis (cluster/room_state_writer), before the join or resume that asked.
        placement->setRestore([&gateway](const parley::core::RoomId& room, const std::string& state) {
            auto decoded = parley::core::decodeRoomSnapshot(state);
            if (const auto* error = std::get_if<parley::core::SnapshotError>(&decoded)) {
                spdlog::error("cluster: room={} stored state refused ({}): {}", room, error->field, error->message);
                return;
            }
            const auto& snapshot = std::get<parley::core::RoomSnapshot>(decoded);
            if (snapshot.id != room) {
                spdlog::error("cluster: room={} stored state is room {}'s: not restored", room, snapshot.id);
                return;
            }
            if (auto error = gateway.restoreRoom(snapshot)) {
                spdlog::error("cluster: room={} not restored ({}): {}", room, error->field, error->message);
                return;
            }
            spdlog::info("cluster: room={} restored with {} in it and {} waiting", room, snapshot.members.size(),
                         snapshot.waiting.size());
        });
        placement->setMaxRooms(config.server.rooms.maxRooms);
        gateway.addObserver(*placement);
        gateway.setRoomLocator(placement.get());
        stateWriter = std::make_unique<cluster::RoomStateWriter>(
            io, *directory, self.id, [&gateway](const parley::core::RoomId& room) -> std::optional<std::string> {
                auto snapshot = gateway.rooms().snapshot(room);
                if (!snapshot) return std::nullopt;
                return parley::core::encodeRoomSnapshot(*snapshot);
            });
        gateway.addObserver(*stateWriter);
        server.setRoomNodeUrl([&membership](const std::string& room) -> std::optional<std::string> {
            const auto& view = membership.view();
            for (const auto& node : view.nodes) {
                if (node.id == view.self.id || node.publicUrl.empty()) continue;
                if (std::find(node.rooms.begin(), node.rooms.end(), room) != node.rooms.end()) return node.publicUrl;
            }
            return std::nullopt;
        });
        // The per-address limits across the cluster: this node announces the addresses holding
        // a quarter of a limit or more, and counts what the others announce for an address.
        const cluster::PerAddressLimits perAddress{config.server.rooms.perAddress.maxSeats,
                                                   config.server.rooms.perAddress.maxRooms,
                                                   config.server.limits.maxConnectionsPerAddress};
        membership.setAddressesSource([&gateway, &server, perAddress] {
            std::map<std::string, cluster::AddressLoad> held;
            gateway.rooms().quota().forEachAddress([&](const std::string& address, std::size_t seats, std::size_t rooms) {
                auto& load = held[address];
                load.address = address;
                load.seats = seats;
                load.rooms = rooms;
            });
            server.connectionLimit().forEachAddress([&](const std::string& address, std::size_t count) {
                auto& load = held[address];
                load.address = address;
                load.connections = count;
            });
            std::vector<cluster::AddressLoad> all;
            all.reserve(held.size());
            for (auto& entry : held) all.push_back(std::move(entry.second));
            return cluster::addressesToAnnounce(std::move(all), perAddress);
        });
        gateway.setUsageElsewhere([&membership](const std::string& address) {
            return cluster::usageOnOtherNodes(membership.view().nodes, membership.view().self.id, address);
        });
        server.connectionLimit().setElsewhere([&membership](const std::string& address) {
            return cluster::usageOnOtherNodes(membership.view().nodes, membership.view().self.id, address).connections;
        });
        // A page served by one node opens its WebSocket on the room's node: every live node's
        // public URL is an origin the others accept.
        server.setExtraOriginAllowed([&membership](std::string_view origin) {
            for (const auto& node : membership.view().nodes) {
                if (node.publicUrl.empty()) continue;
                if (auto own = parley::auth::normalizeOrigin(node.publicUrl); own && *own == origin) return true;
            }
            return false;
        });
        server.addMetrics([p = placement.get()](std::string& out) {
            const auto& c = p->counters();
            fmt::format_to(std::back_inserter(out),
                           "# HELP parley_cluster_rooms_held Rooms open on this node under its lease.\n"
                           "# TYPE parley_cluster_rooms_held gauge\nparley_cluster_rooms_held {}\n"
                           "# HELP parley_cluster_placements_total New rooms placed, by where.\n"
                           "# TYPE parley_cluster_placements_total counter\n"
                           "parley_cluster_placements_total{{where=\"here\"}} {}\n"
                           "parley_cluster_placements_total{{where=\"elsewhere\"}} {}\n"
                           "# HELP parley_cluster_redirects_total Joins sent to the node holding their room.\n"
                           "# TYPE parley_cluster_redirects_total counter\nparley_cluster_redirects_total {}\n"
                           "# HELP parley_cluster_leases_lost_total Rooms found held by another node on renewal.\n"
                           "# TYPE parley_cluster_leases_lost_total counter\nparley_cluster_leases_lost_total {}\n",
                           p->held(), c.placedHere, c.placedElsewhere, c.redirected, c.leasesLost);
        });
        server.addMetrics([w = stateWriter.get(), p = placement.get()](std::string& out) {
            const auto& c = w->counters();
            fmt::format_to(std::back_inserter(out),
                           "# HELP parley_cluster_state_writes_total Rooms' durable state written to Redis, by "
                           "outcome (fenced: this node no longer held the room's lease).\n"
                           "# TYPE parley_cluster_state_writes_total counter\n"
                           "parley_cluster_state_writes_total{{outcome=\"written\"}} {}\n"
                           "parley_cluster_state_writes_total{{outcome=\"fenced\"}} {}\n"
                           "parley_cluster_state_writes_total{{outcome=\"failed\"}} {}\n"
                           "# HELP parley_cluster_rooms_restored_total Rooms taken over and rebuilt here from "
                           "their stored state.\n"
                           "# TYPE parley_cluster_rooms_restored_total counter\nparley_cluster_rooms_restored_total {}\n",
                           c.written, c.fenced, c.failed, p->counters().restored);
        });
        placement->start();
        stateWriter->start();
    }
    membership.start();
    server.start();

    // Signals are caught before anyone can learn the port: a SIGTERM right after start-up must
    // still shut down cleanly, not kill the process.
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    const auto onSignal = [&](auto&& self, boost::system::error_code error, int signal) -> void {
        if (error) return;
        if (server.stopping()) {
            spdlog::warn("another signal {}: stopping now", signal);
            io.stop();
            return;
        }
        if (server.draining()) {
            spdlog::info("signal {} while draining: closing now", signal);
        } else {
            spdlog::info("signal {}: shutting down", signal);
        }
        // Out of the cluster's list at once, rather than after its record's time to live.
        membership.stop();
        if (!placement) {
            server.shutdown([&io] { io.stop(); });
        } else {
            // A cluster node hands its rooms on rather than draining them: every connection is
            // closed now (1001: the clients resume through another node; a closing connection
            // carries no more commands), then each room's state is written one last time and
            // its lease given back, so the next node to be asked restores it at once instead of
            // after the lease runs out. Stops once both are over.
            auto pending = std::make_shared<int>(2);
            auto oneDone = [&io, pending] {
                if (--*pending == 0) io.stop();
            };
            server.shutdown(oneDone, /*drain=*/false);
            stateWriter->writeAll([&placement, oneDone] { placement->stop(oneDone); });
        }
        signals.async_wait([&self](boost::system::error_code e, int s) { self(self, e, s); });
    };
    signals.async_wait([&](boost::system::error_code e, int s) { onSignal(onSignal, e, s); });

    const auto endpoint = server.localEndpoint();
    if (config.portFile) parley::app::writePortFile(*config.portFile, endpoint.port());
    spdlog::info("parley {} listening on {}{}", PARLEY_VERSION, urlOf(endpoint, server.usesTls()),
                 config.server.publicUrl.empty() ? "" : ", public URL " + config.server.publicUrl);

    io.run();
    if (placement) {
        placement->stop();
        gateway.setRoomLocator(nullptr);
        gateway.removeObserver(*placement);
    }
    if (forwarding) {
        gateway.setMediaSignaling(nullptr);
        gateway.removeObserver(*forwarding);
        media->stop();
    }
    spdlog::info("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string_view(argv[1]) == "token") return parley::app::runTokenCommand(argc, argv);
    auto parsed = parley::app::parseCommandLine(argc, argv, parley::app::processEnvironment());
    if (!parsed.config) return parsed.exitCode;
    const auto& config = *parsed.config;
    parley::app::setUpLogging(config.logLevel, config.logFormat);
    if (const auto files = parley::app::raiseOpenFileLimit(); !files.error.empty())
        spdlog::warn("open file limit stays at {}: {}", files.before, files.error);
    else if (files.now != files.before)
        spdlog::info("open file limit raised from {} to {}", files.before, files.now);
    try {
        return run(config);
    } catch (const std::exception& error) {
        spdlog::error("{}", error.what());
        std::cerr << "parley: " << error.what() << '\n';
        return 1;
    }
}
