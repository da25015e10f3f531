#include "capi_support.hpp"

#include <cstdlib>
#include <cstring>

#include "model/json.hpp"

namespace leandesk::capi {
namespace {

struct LastError {
    int code = LD_OK;
    std::string message;
    std::int64_t retry_after_ms = -1;  // the wait a refusal came with (sync), -1: none
};
thread_local LastError t_last;

}  // namespace

int set_error(int code, const std::string& message) noexcept {
    t_last.code = code;
    t_last.retry_after_ms = -1;
    try {
        t_last.message = message;
    } catch (...) {
        t_last.message.clear();  // no memory for the message; the code still tells
    }
    return code;
}

void set_error_retry_after(std::int64_t ms) noexcept {
    t_last.retry_after_ms = ms;
}

int clear_error() noexcept {
    t_last.code = LD_OK;
    t_last.retry_after_ms = -1;
    t_last.message.clear();
    return LD_OK;
}

char* to_c_string(const std::string& s) {
    auto* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out == nullptr) throw std::bad_alloc();
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

void require(const void* p, const char* what) {
    if (p == nullptr) throw Error(Errc::invalid_argument, std::string(what) + " must not be NULL");
}

std::string text(const char* p, const char* what) {
    require(p, what);
    return p;
}

Json json_arg(const char* p, const char* what) {
    require(p, what);
    return parse_json(p, what);
}

Json json_arg_or_empty(const char* p, const char* what) {
    return p == nullptr ? Json::object() : parse_json(p, what);
}

}  // namespace leandesk::capi

using namespace leandesk::capi;

extern "C" {

LD_API int ld_last_error_code(void) {
    return t_last.code;
}
LD_API const char* ld_last_error(void) {
    return t_last.message.c_str();
}
LD_API int64_t ld_last_error_retry_after_ms(void) {
    return t_last.retry_after_ms;
}
LD_API const char* ld_error_name(int code) {
    return code == LD_OK ? "ok" : leandesk::errc_name(static_cast<leandesk::Errc>(code)).data();
}
LD_API void ld_string_free(char* str) {
    std::free(str);
}
LD_API void ld_bytes_free(uint8_t* bytes) {
    std::free(bytes);
}
LD_API const char* ld_version(void) {
    return LD_VERSION;
}
LD_API int ld_version_number(void) {
    return LD_VERSION_NUMBER;
}

LD_API int ld_check_version(int header_version_number) {
    return guard([&] {
        if (header_version_number < 0) {
            throw leandesk::Error(leandesk::Errc::invalid_argument,
                                  "a version number is never negative; pass LD_VERSION_NUMBER");
        }
        const int major = header_version_number / 1000000;
        const int minor = (header_version_number / 1000) % 1000;
        if (major != LD_VERSION_MAJOR || minor > LD_VERSION_MINOR) {
            throw leandesk::Error(leandesk::Errc::conflict,
                                  "compiled against LeanDesk " + std::to_string(major) + "." +
                                      std::to_string(minor) + " but the library is " LD_VERSION);
        }
    });
}
}
