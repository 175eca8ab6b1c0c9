#include "app/port_file.hpp"

#include <fstream>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

#include <fmt/format.h>

namespace parley::app {

void writePortFile(const std::filesystem::path& file, std::uint16_t port) {
    auto temporary = file;
    temporary += fmt::format(".{}.tmp", ::getpid());
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << port << '\n';
        out.close();
        if (!out) {
            throw std::runtime_error(fmt::format("cannot write port file {}", temporary.string()));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw std::runtime_error(fmt::format("cannot write port file {}", file.string()));
    }
}

}  // namespace parley::app
