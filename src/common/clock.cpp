#include "common/clock.hpp"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace leandesk {

Clock system_clock() {
    return [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    };
}

RandomSource system_random() {
    return [](unsigned char* out, std::size_t size) { randombytes_buf(out, size); };
}

Clock manual_clock(const std::shared_ptr<Millis>& now) {
    return [now] { return *now; };
}

RandomSource seeded_random(std::uint64_t seed) {
    auto state = std::make_shared<std::uint64_t>(seed);
    return [state](unsigned char* out, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) {
            // splitmix64: one output word per byte keeps the code obvious; speed is irrelevant
            // here.
            std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
            out[i] = static_cast<unsigned char>((z ^ (z >> 31U)) & 0xffU);
        }
    };
}

std::string iso_date(Millis at) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(at)));
    const year_month_day ymd(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

}  // namespace leandesk
