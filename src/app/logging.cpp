#include "app/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "app/json_log_formatter.hpp"

namespace parley::app {

void setUpLogging(const std::string& level, LogFormat format) {
    std::shared_ptr<spdlog::logger> logger;
    if (format == LogFormat::Json) {
        // No colour codes: they would end up inside the JSON.
        logger = std::make_shared<spdlog::logger>(
            "parley", std::make_shared<spdlog::sinks::stdout_sink_mt>());
        logger->set_formatter(std::make_unique<JsonLogFormatter>());
    } else {
        logger = std::make_shared<spdlog::logger>(
            "parley", std::make_shared<spdlog::sinks::stdout_color_sink_mt>());
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
    }
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace parley::app
