#pragma once
#include <string>

#include "app/config.hpp"

namespace parley::app {

// Sets up spdlog's default logger: stdout, flushed on every line (tests and log collectors
// read it through a pipe), text or JSON lines, at `level`.
void setUpLogging(const std::string& level, LogFormat format);

}  // namespace parley::app
