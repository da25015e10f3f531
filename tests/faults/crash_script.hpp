// The command script both crash tests replay (crash_driver.c, sync_crash_driver.cpp): command n
// creates action n, except every fifth pair edits (n % 5 == 3) then deletes (n % 5 == 4) the
// action made three commands before. The tests compare a database with the state it implies.
#pragma once

#include <cstdio>
#include <map>
#include <string>

namespace leandesk::faults {

/// The fixed id of the action command `n` creates.
inline std::string action_id(long n) {
    char id[64];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012ld", n);
    return id;
}

/// The project's actions (id -> title) after commands 0..m-1.
inline std::map<std::string, std::string> expected_state(long m) {
    std::map<std::string, std::string> actions;
    for (long n = 0; n < m; ++n) {
        switch (n % 5) {
            case 3:
                actions[action_id(n - 3)] = "e" + std::to_string(n);
                break;
            case 4:
                actions.erase(action_id(n - 3));
                break;
            default:
                actions[action_id(n)] = "a" + std::to_string(n);
        }
    }
    return actions;
}

}  // namespace leandesk::faults
