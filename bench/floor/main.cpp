// parley-floor: the do-nothing relay that parley-load's floor is measured against.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <fstream>

#include "fd_limit.hpp"
#include "relay_server.hpp"

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:0";
    std::string portFile;
    CLI::App app{"parley-floor: a minimal WebSocket relay that marks the tool's floor"};
    app.add_option("--listen", listen, "address:port");
    app.add_option("--port-file", portFile, "write the bound port here once listening");
    CLI11_PARSE(app, argc, argv);

    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        std::fprintf(stderr, "parley-floor: --listen wants address:port\n");
        return 2;
    }
    std::string note;
    parley::bench::raiseFileLimit(200'000, note);

    boost::asio::io_context io(1);
    parley::bench::FloorServer server(
        io, {boost::asio::ip::make_address(listen.substr(0, colon)),
             static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)))});
    if (!portFile.empty()) {
        // Written to a temporary name and renamed, so a reader never sees half a number.
        const auto partial = portFile + ".tmp";
        std::ofstream(partial) << server.port() << '\n';
        std::rename(partial.c_str(), portFile.c_str());
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) { io.stop(); });
    io.run();
}
