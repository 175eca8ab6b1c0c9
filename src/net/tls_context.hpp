#pragma once
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "net/server_options.hpp"

namespace parley::net {

// A TLS server context from PEM files. Throws std::runtime_error naming the file that could
// not be used, so a misconfigured server fails at start rather than at the first handshake.
std::unique_ptr<boost::asio::ssl::context> makeTlsContext(const TlsFiles& files);

// The DNS names of the context's certificate (subjectAltName), lower case: names the server
// answers to without an --allowed-host.
std::vector<std::string> certificateHostNames(boost::asio::ssl::context& context);

}  // namespace parley::net
