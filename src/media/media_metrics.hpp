#pragma once
// The media plane's counters in the Prometheus text format, for /metrics.
#include <string>

#include "media/worker_media.hpp"

namespace parley::media {

inline void appendMediaMetrics(std::string& out, const WorkerCounters& c) {
    const auto line = [&](const char* name, const char* type, const char* help, std::uint64_t value) {
        out += "# HELP ";
        out += name;
        out += ' ';
        out += help;
        out += "\n# TYPE ";
        out += name;
        out += ' ';
        out += type;
        out += '\n';
        out += name;
        out += ' ';
        out += std::to_string(value);
        out += '\n';
    };
    line("parley_media_transports", "gauge", "Peer connections to the server (forwarded rooms)", c.transports);
    line("parley_media_transports_connected", "gauge", "Of those, connected (ICE and DTLS done)",
         c.connectedTransports);
    line("parley_media_transports_closed_total", "counter", "Peer connections to the server that ended",
         c.transportsClosed);
    line("parley_media_dtls_failures_total", "counter", "Peer connections whose DTLS never agreed keys",
         c.dtlsFailures);
    line("parley_media_streams", "gauge", "Published audio and video streams", c.streams);
    line("parley_media_subscriptions", "gauge", "Streams forwarded to a subscriber", c.subscriptions);
    line("parley_media_packets_received_total", "counter", "RTP and RTCP packets received", c.packetsIn);
    line("parley_media_packets_sent_total", "counter", "RTP and RTCP packets sent", c.packetsOut);
    line("parley_media_bytes_received_total", "counter", "Media bytes received (SRTP)", c.bytesIn);
    line("parley_media_bytes_sent_total", "counter", "Media bytes sent (SRTP)", c.bytesOut);
    line("parley_media_forwarded_packets_total", "counter", "RTP packets forwarded to subscribers", c.forwarded);
    line("parley_media_nacks_received_total", "counter", "NACK messages from subscribers", c.nacksReceived);
    line("parley_media_retransmissions_total", "counter", "Packets resent from the retransmission buffer",
         c.retransmitted);
    line("parley_media_nacks_sent_total", "counter", "NACK messages sent to publishers for their own losses",
         c.nacksSent);
    line("parley_media_publisher_retransmissions_total", "counter",
         "Retransmissions received from publishers on their RTX streams", c.rtxReceived);
    line("parley_media_keyframe_requests_total", "counter", "Keyframe requests (PLI) sent to publishers",
         c.keyframeRequests);
    line("parley_media_keyframe_requests_received_total", "counter",
         "Keyframe requests (PLI, FIR) from subscribers, before they are merged", c.keyframeRequestsReceived);
    line("parley_media_datagrams_dropped_total", "counter",
         "Datagrams on the media ports that no peer connection could claim", c.datagramsDropped);
    line("parley_media_tcp_connections", "gauge", "ICE-TCP connections open on the media ports", c.tcpConnections);
    line("parley_media_tcp_connections_refused_total", "counter",
         "ICE-TCP connections refused because a worker had as many as it takes", c.tcpConnectionsRefused);
    line("parley_media_tcp_closed_garbage_total", "counter",
         "ICE-TCP connections closed for sending something other than framed STUN, DTLS, RTP or RTCP",
         c.tcpClosedGarbage);
    line("parley_media_tcp_closed_silent_total", "counter",
         "ICE-TCP connections closed for sending no valid ICE check in time", c.tcpClosedSilent);
    line("parley_media_tcp_frames_dropped_total", "counter",
         "Packets not sent on an ICE-TCP connection because its send queue was full", c.tcpFramesDropped);
    line("parley_media_transport_cc_feedback_total", "counter",
         "Transport-wide congestion control feedback packets sent to publishers", c.transportCcFeedback);
}

}  // namespace parley::media
