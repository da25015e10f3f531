// A child process the demo owns: its output appended to a log file, stopped with SIGTERM (the
// clean stop leandesk-server implements) when asked or when the object goes away, and sent
// SIGTERM by the kernel if the demo itself dies first (Linux's parent-death signal), so it never
// outlives the demo. SIGKILL only if it does not stop within a few seconds.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace demo {

class ServerProcess {
  public:
    /// Starts `binary` with `args`; stdin is /dev/null, stdout and stderr go to `log`.
    /// Throws std::runtime_error when the process cannot be started.
    ServerProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
                  const std::filesystem::path& log);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    /// Whether the process still runs (false once it exited, by itself or by stop()).
    [[nodiscard]] bool running();
    /// SIGTERM, then waits (SIGKILL after `patience_ms`). Returns how it ended: "exit 0",
    /// "exit 1", "killed by signal 9". Stopping a stopped process returns the same text again.
    std::string stop(int patience_ms = 5000);

  private:
    void reap(int status);

    pid_t pid_ = -1;
    std::optional<std::string> ended_;  // set once the process was reaped
};

}  // namespace demo
