// Structured logs: one JSON object per line on stderr, {"ts", "level", "event", ...fields}.
// Callers pass ids and events only: never a password, token, code or request body.
#pragma once

#include <mutex>
#include <string>

#include "engine/engine.hpp"

namespace leandesk::server {

class Log {
  public:
    explicit Log(LogLevel threshold) : threshold_(threshold) {}
    void write(LogLevel level, const std::string& event, Json fields = Json::object());
    /// The engine's log sink, forwarding its lines as {"event": "engine", "message": ...}.
    LogSink engine_sink();

  private:
    LogLevel threshold_;
    std::mutex mutex_;
};

LogLevel log_level_from(const std::string& name);

}  // namespace leandesk::server
