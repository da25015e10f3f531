// Progress reporting and cancellation for long work (export, backup, restore).
#pragma once

#include <cstdint>
#include <functional>

namespace leandesk::exports {

/// Told `done` of `total` units (total 0 when unknown); returns false to cancel the work.
using Progress = std::function<bool(std::int64_t done, std::int64_t total)>;

/// Counts units of work and tells the Progress every `every` units and at the end. A callback
/// that asks to stop makes advance() throw Error(cancelled), so the work unwinds through its RAII
/// guards (temporary files removed, transactions rolled back).
class ProgressTicker {
  public:
    ProgressTicker(Progress progress, std::int64_t total, std::int64_t every = 1000);

    /// Counts `n` more units done; may call the Progress and throw Error(cancelled).
    void advance(std::int64_t n = 1);
    /// Reports done == total (the work is complete but not yet published); may throw cancelled.
    void finish();

    [[nodiscard]] std::int64_t done() const { return done_; }

  private:
    void tell();

    Progress progress_;
    std::int64_t total_;
    std::int64_t every_;
    std::int64_t done_ = 0;
    std::int64_t next_ = 0;
};

}  // namespace leandesk::exports
