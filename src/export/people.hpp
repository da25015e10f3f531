// The people a group's export names: its members with their e-mail addresses (the manager sees
// them, R13), and anyone else the group's records still reference (a former member who wrote a
// comment), by display name only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/engine_impl.hpp"

namespace leandesk::exports {

struct PersonRow {
    User user;
    bool member = false;       // a current member of the group: the e-mail may be shown
    std::string display_name;  // R16, computed once: the actions sheet names an owner per row
    std::string shown_email;   // the e-mail where it may be shown, else ""
};

class GroupPeople {
  public:
    /// Loads every member of `group_id` (call with the engine's lock held).
    GroupPeople(Engine::Impl& impl, const Id& group_id);

    /// The person behind `id`, loading a non-member on first use; nullptr for an unknown id.
    const PersonRow* find(const std::optional<Id>& id);
    /// The same without making a string of the id (the hot path of the actions sheet).
    const PersonRow* lookup(std::string_view id);

    /// Display name (R16) or "" for nobody.
    std::string name(const std::optional<Id>& id);
    /// E-mail of a member, or "" (nobody, or a non-member whose address R13 hides).
    std::string email(const std::optional<Id>& id);

  private:
    // Transparent hashing: look up by string_view without allocating.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    Engine::Impl& impl_;
    std::unordered_map<Id, std::optional<PersonRow>, Hash, std::equal_to<>> people_;
};

}  // namespace leandesk::exports
