// leandesk.hpp compiles as C++17 (CMake builds this file with CXX_STANDARD 17) and every template
// of it instantiates without a warning.
#include <leandesk/leandesk.hpp>

static_assert(__cplusplus >= 201703L, "C++17 at least");

namespace {

[[maybe_unused]] void instantiate_everything() {
    const ld::json j = ld::json::object();
    (void)j.get<ld::User>();
    (void)j.get<std::vector<ld::Group>>();
    (void)j.get<ld::ProjectReview>();
    (void)j.get<ld::ActionDetail>();
    (void)j.get<std::vector<ld::IndicatorPoint>>();
    (void)j.get<ld::IndicatorValue>();
    (void)j.get<std::vector<ld::Change>>();
    (void)j.get<ld::SessionInfo>();
    (void)j.get<ld::PolicyVersion>();
    (void)j.get<std::vector<ld::UsageCount>>();
    (void)j.get<ld::Resource>();
    (void)j.get<ld::Participant>();
    (void)j.get<ld::Mail>();
    (void)j.get<ld::UsageEvent>();
}

}  // namespace
