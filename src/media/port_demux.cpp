#include "media/port_demux.hpp"

#include "media/ice_credentials.hpp"
#include "media/packet_kind.hpp"
#include "media/stun_message.hpp"

namespace parley::media {

void PortDemux::add(WebRtcTransport& transport) {
    byUfrag_[transport.localCredentials().ufrag] = &transport;
    ++transports_;
}

std::vector<TransportAddress> PortDemux::remove(WebRtcTransport& transport) {
    --transports_;
    std::erase_if(byUfrag_, [&](const auto& entry) { return entry.second == &transport; });
    std::vector<TransportAddress> paths;
    std::erase_if(byAddress_, [&](const auto& entry) {
        if (entry.second != &transport) return false;
        paths.push_back(entry.first);
        return true;
    });
    return paths;
}

void PortDemux::learn(WebRtcTransport& transport, const TransportAddress& from) {
    byAddress_[from] = &transport;
    // An ICE restart gives the transport a new ufrag: checks under it must find it too.
    byUfrag_[transport.localCredentials().ufrag] = &transport;
}

WebRtcTransport* PortDemux::forget(const TransportAddress& from) {
    auto it = byAddress_.find(from);
    if (it == byAddress_.end()) return nullptr;
    WebRtcTransport* transport = it->second;
    byAddress_.erase(it);
    return transport;
}

void PortDemux::rekey(WebRtcTransport& transport) {
    std::erase_if(byUfrag_, [&](const auto& entry) { return entry.second == &transport; });
    byUfrag_[transport.localCredentials().ufrag] = &transport;
}

void PortDemux::route(std::span<const std::uint8_t> datagram, const TransportAddress& from, std::int64_t nowMs) {
    const PacketKind kind = classifyPacket(datagram);
    if (kind == PacketKind::Unknown) {
        ++counters_.unknownKind;
        return;
    }
    if (kind == PacketKind::Stun) {
        const auto message = parseStunMessage(datagram);
        const auto username = message && message->isBindingRequest() && message->username
                                  ? parseStunUsername(*message->username)
                                  : std::nullopt;
        if (!username) {
            ++counters_.badStun;
            return;
        }
        auto it = byUfrag_.find(std::string(username->local));
        if (it == byUfrag_.end()) {
            ++counters_.unknownUfrag;
            return;
        }
        it->second->receiveStun(*message, datagram, from, nowMs);
        return;
    }
    auto it = byAddress_.find(from);
    if (it == byAddress_.end()) {
        ++counters_.unknownAddress;
        return;
    }
    switch (kind) {
        case PacketKind::Dtls: it->second->receiveDtls(datagram, from, nowMs); break;
        case PacketKind::Rtp: it->second->receiveRtp(datagram); break;
        case PacketKind::Rtcp: it->second->receiveRtcp(datagram); break;
        default: break;
    }
}

}  // namespace parley::media
