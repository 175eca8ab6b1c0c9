#include "net/tls_context.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <openssl/x509v3.h>

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

std::vector<std::string> certificateHostNames(ssl::context& context) {
    std::vector<std::string> names;
    X509* certificate = SSL_CTX_get0_certificate(context.native_handle());
    if (!certificate) return names;
    auto* alternatives = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    if (!alternatives) return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(alternatives); ++i) {
        const GENERAL_NAME* entry = sk_GENERAL_NAME_value(alternatives, i);
        if (entry->type != GEN_DNS) continue;
        const auto* data = ASN1_STRING_get0_data(entry->d.dNSName);
        std::string name(reinterpret_cast<const char*>(data),
                         static_cast<std::size_t>(ASN1_STRING_length(entry->d.dNSName)));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        names.push_back(std::move(name));
    }
    GENERAL_NAMES_free(alternatives);
    return names;
}

}  // namespace parley::net
