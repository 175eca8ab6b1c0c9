#include "net/tls_context.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace parley::net {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> makeTlsContext(const TlsFiles& files) {
    // tls_server with TLS 1.0/1.1 switched off: browsers that do WebRTC all speak TLS 1.2+.
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);

    boost::system::error_code error;
    context->use_certificate_chain_file(files.certificateChain.string(), error);
    if (error) {
        throw std::runtime_error(fmt::format("cannot use TLS certificate {}: {}",
                                             files.certificateChain.string(), error.message()));
    }
    context->use_private_key_file(files.privateKey.string(), ssl::context::pem, error);
    if (error) {
        throw std::runtime_error(fmt::format("cannot use TLS private key {}: {}",
                                             files.privateKey.string(), error.message()));
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        throw std::runtime_error(fmt::format("TLS private key {} does not match certificate {}",
                                             files.privateKey.string(),
                                             files.certificateChain.string()));
    }
    return context;
}

}  // namespace parley::net
