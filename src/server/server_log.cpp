#include "server/server_log.hpp"

#include <chrono>
#include <cstdio>

namespace leandesk::server {

LogLevel log_level_from(const std::string& name) {
    if (name == "debug") return LogLevel::debug;
    if (name == "warning") return LogLevel::warning;
    if (name == "error") return LogLevel::error;
    return LogLevel::info;
}

void Log::write(LogLevel level, const std::string& event, Json fields) {
    if (static_cast<int>(level) < static_cast<int>(threshold_)) return;
    static const char* const names[] = {"debug", "info", "warning", "error"};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    fields["ts"] = ms;
    fields["level"] = names[static_cast<int>(level)];
    fields["event"] = event;
    // Invalid UTF-8 from a client never breaks the log: it is replaced, not thrown.
    const std::string line = fields.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
}

LogSink Log::engine_sink() {
    return [this](LogLevel level, const std::string& message) {
        write(level, "engine", Json{{"message", message}});
    };
}

}  // namespace leandesk::server
