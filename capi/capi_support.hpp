// The shim machinery every C entry point uses: catch everything, record a thread-local error, map
// it to a status code. No business logic lives in capi/.
#pragma once

#include <new>
#include <string>

#include "common/error.hpp"
#include "leandesk/leandesk.h"

namespace leandesk::capi {

/// Records the calling thread's last error and returns its code.
int set_error(int code, const std::string& message) noexcept;
/// Marks the calling thread's last call as a success and returns LD_OK.
int clear_error() noexcept;

/// Runs `fn` (which returns nothing, or an int status), converting every exception into a code.
template <typename Fn>
int guard(Fn&& fn) noexcept {
    try {
        fn();
        return clear_error();
    } catch (const Error& e) {
        return set_error(static_cast<int>(e.code()), e.what());
    } catch (const std::bad_alloc&) {
        return set_error(LD_ENOMEM, "out of memory");
    } catch (const std::exception& e) {
        return set_error(LD_EINTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return set_error(LD_EINTERNAL, "internal error");
    }
}

/// Copies `s` into a malloc'd C string the caller frees with ld_string_free.
char* to_c_string(const std::string& s);

/// Fails with LD_EINVAL naming `what` when `p` is NULL.
void require(const void* p, const char* what);

}  // namespace leandesk::capi
