#include "export/read_snapshot.hpp"

namespace leandesk::exports {

ReadSnapshot::ReadSnapshot(Engine::Impl& impl) : impl_(impl), lock_(impl.mutex) {
    // Inside an engine unit of work the transaction already gives a fixed view. Otherwise a
    // deferred transaction: it takes no write lock, so other processes keep writing meanwhile.
    if (impl_.db.transaction_depth() == 0 && sqlite3_get_autocommit(impl_.db.handle()) != 0) {
        impl_.db.exec("BEGIN DEFERRED");
        own_transaction_ = true;
    }
}

ReadSnapshot::~ReadSnapshot() {
    if (!own_transaction_) return;
    // A read-only transaction: ending it cannot lose anything. ROLLBACK rather than COMMIT so a
    // write slipped in by mistake would not be kept.
    sqlite3_exec(impl_.db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace leandesk::exports
