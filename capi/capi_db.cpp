// ld_db_*: opening, closing and running commands on a database.
#include <memory>

#include "capi_support.hpp"
#include "engine/engine.hpp"

struct ld_db {
    std::unique_ptr<leandesk::Engine> engine;
};

using namespace leandesk;
using namespace leandesk::capi;

extern "C" {

LD_API int ld_db_open(ld_db** out, const char* path) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(path, "path");
        EngineOptions options;
        options.path = path;
        auto db = std::make_unique<ld_db>();
        db->engine = std::make_unique<Engine>(std::move(options));
        *out = db.release();
    });
}

LD_API void ld_db_close(ld_db* db) {
    // The handle's ownership ends here; unique_ptr makes the delete explicit and exception-free.
    std::unique_ptr<ld_db> owned(db);
}

LD_API int ld_db_execute(char** out, ld_db* db, const char* actor_user_id, const char* command,
                         const char* args_json) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(db, "db");
        require(actor_user_id, "actor_user_id");
        require(command, "command");
        const Json args = args_json != nullptr ? parse_json(args_json, "args_json") : Json::object();
        const Json result = db->engine->execute(Actor::user(actor_user_id), command, args);
        *out = to_c_string(result.dump());
    });
}

LD_API int ld_db_create_user(char** out, ld_db* db, const char* user_json) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(db, "db");
        require(user_json, "user_json");
        const Json user = db->engine->create_user(parse_json(user_json, "user_json"));
        *out = to_c_string(user.dump());
    });
}

}
