// A consistent view of the database for long reads (export, backup): the engine's lock is held
// and one SQLite read transaction spans every query, so the workbook or backup shows one moment
// even if another process writes meanwhile (WAL readers see a fixed snapshot).
#pragma once

#include <mutex>

#include "engine/engine_impl.hpp"

namespace leandesk::exports {

class ReadSnapshot {
  public:
    explicit ReadSnapshot(Engine::Impl& impl);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  private:
    Engine::Impl& impl_;
    std::unique_lock<std::recursive_mutex> lock_;
    bool own_transaction_ = false;
};

}  // namespace leandesk::exports
