// Fuzz target: the account paths that take credentials from anyone — sign-in (e-mail, password),
// session resume (token), activation and password-reset codes, password change, and the operator's
// sign-in. Input: "<selector byte><first>\n<second>". Each call runs in a rolled-back transaction,
// so failed attempts never pile up into the rate limit and every input meets the same state.
#include "fuzz_world.hpp"

using namespace leandesk::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    World& w = world();
    const unsigned selector = data[0];
    const std::string rest = as_text(data + 1, size - 1);
    const auto nl = rest.find('\n');
    const std::string first = rest.substr(0, nl);
    const std::string second = nl == std::string::npos ? "" : rest.substr(nl + 1);
    rolled_back(w, [&] {
        ld_session* s = nullptr;
        char* out = nullptr;
        int rc = LD_OK;
        switch (selector % 7) {
            case 0:
                rc = ld_session_sign_in(&s, w.db, first.c_str(), second.c_str());
                break;
            case 1:
                rc = ld_session_resume(&s, w.db, first.c_str());
                break;
            case 2:
                rc = ld_account_activate(&out, w.db, first.c_str());
                break;
            case 3:
                rc = ld_account_reset_password(w.db, first.c_str(), second.c_str());
                break;
            case 4:
                rc = ld_me_change_password(w.bob, first.c_str(), second.c_str());
                break;
            case 5:
                rc = ld_operator_sign_in(&s, w.db, first.c_str());
                break;
            default:
                rc = ld_account_request_password_reset(w.db, first.c_str());
                break;
        }
        if (s != nullptr && rc != LD_OK) std::abort();  // no session handed out on failure
        ld_session_free(s);
        check_status(rc, out);
    });
    return 0;
}
