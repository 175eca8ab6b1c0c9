#pragma once
#include <memory>

#include <boost/asio/ssl/context.hpp>

#include "net/server_options.hpp"

namespace parley::net {

// A TLS server context from PEM files. Throws std::runtime_error naming the file that could
// not be used, so a misconfigured server fails at start rather than at the first handshake.
std::unique_ptr<boost::asio::ssl::context> makeTlsContext(const TlsFiles& files);

}  // namespace parley::net
