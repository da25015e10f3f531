// Fuzz target: every C API function that takes JSON from the app. The first byte picks the
// function; the rest is the JSON text. Each call runs in a rolled-back transaction on the shared
// world (fuzz_world.hpp) and must return a consistent status (never LD_EINTERNAL, never a crash,
// a leak or undefined behaviour).
#include "fuzz_world.hpp"

using namespace leandesk::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    World& w = world();
    const unsigned selector = data[0];
    const std::string json = as_text(data + 1, size - 1);
    const char* j = json.c_str();
    rolled_back(w, [&] {
        char* out = nullptr;
        int rc = LD_OK;
        switch (selector % 20) {
            case 0:
                rc = ld_group_create(&out, w.ann, j);
                break;
            case 1:
                rc = ld_group_update(&out, w.ann, w.group.c_str(), j);
                break;
            case 2:
                rc = ld_project_create(&out, w.bob, j);
                break;
            case 3:
                rc = ld_project_update(&out, w.ann, w.project.c_str(), j);
                break;
            case 4:
                rc = ld_action_create(&out, w.bob, j);
                break;
            case 5:
                rc = ld_action_update(&out, w.bob, w.action.c_str(), j);
                break;
            case 6:
                rc = ld_comment_add(&out, w.bob, w.action.c_str(), j);
                break;
            case 7:
                rc = ld_indicator_create(&out, w.bob, j);
                break;
            case 8:
                rc = ld_indicator_update(&out, w.bob, w.indicator.c_str(), j);
                break;
            case 9:
                rc = ld_step_add(&out, w.ann, w.group.c_str(), j);
                break;
            case 10:
                rc = ld_step_update(&out, w.ann, w.step.c_str(), j);
                break;
            case 11:
                rc = ld_resource_add(&out, w.ann, w.group.c_str(), j);
                break;
            case 12:
                rc = ld_resource_update(&out, w.ann, w.resource.c_str(), j);
                break;
            case 13:
                rc = ld_me_update(&out, w.bob, j);
                break;
            case 14:
                rc = ld_account_sign_up(&out, w.db, j);
                break;
            case 15:
                rc = ld_usage_record(w.db, j);
                break;
            case 16:
                rc = ld_project_report_recipients(&out, w.bob, w.project.c_str(), j);
                break;
            case 17:
                rc = ld_photo_add(&out, w.bob, w.action.c_str(), data + 1, size - 1, nullptr);
                break;
            default: {
                // ld_session_execute: "<command>\n<args JSON>"; the command list is the engine's.
                const auto nl = json.find('\n');
                const std::string command = json.substr(0, nl);
                const std::string args = nl == std::string::npos ? "{}" : json.substr(nl + 1);
                rc = ld_session_execute(&out, selector % 2 == 0 ? w.ann : w.bob, command.c_str(),
                                        args.c_str());
            }
        }
        check_status(rc, out);
    });
    return 0;
}
