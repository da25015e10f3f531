// Fuzz target: the options JSON of ld_db_open (an in-memory database each time).
#include <leandesk/leandesk.h>

#include <cstdint>
#include <string>

#include "fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string options(reinterpret_cast<const char*>(data), size);
    ld_db* db = nullptr;
    const int rc = ld_db_open(&db, ":memory:", options.c_str());
    if (rc == LD_OK) {
        char* info = nullptr;
        const int info_rc = ld_db_storage_info(&info, db);
        leandesk::fuzz::check_status(info_rc, info);
        ld_db_close(db);
    } else {
        leandesk::fuzz::check_status(rc, nullptr);
        if (db != nullptr) std::abort();  // a failed open hands out no handle
    }
    return 0;
}
