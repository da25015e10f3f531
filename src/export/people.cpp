#include "export/people.hpp"

namespace leandesk::exports {

GroupPeople::GroupPeople(Engine::Impl& impl, const Id& group_id) : impl_(impl) {
    auto s = impl_.db.prepare(
        std::string("SELECT ") + kUserColumns +
        " FROM users WHERE id IN (SELECT user_id FROM members WHERE group_id = ?)");
    s.bind(1, group_id);
    while (s.step()) {
        User u = read_user(s);
        Id id = u.id;
        std::string name = u.display_name();
        std::string email = u.email;
        people_.emplace(std::move(id),
                        PersonRow{std::move(u), true, std::move(name), std::move(email)});
    }
}

const PersonRow* GroupPeople::find(const std::optional<Id>& id) {
    return id ? lookup(*id) : nullptr;
}

const PersonRow* GroupPeople::lookup(std::string_view id) {
    auto it = people_.find(id);
    if (it == people_.end()) {
        // Someone the group's records still name who is no longer a member: name only (R13).
        std::optional<PersonRow> row;
        if (auto u = impl_.find_user(Id(id))) {
            std::string name = u->display_name();
            row = PersonRow{std::move(*u), false, std::move(name), {}};
        }
        it = people_.emplace(Id(id), std::move(row)).first;
    }
    return it->second ? &*it->second : nullptr;
}

std::string GroupPeople::name(const std::optional<Id>& id) {
    const PersonRow* p = find(id);
    return p ? p->display_name : std::string();
}

std::string GroupPeople::email(const std::optional<Id>& id) {
    const PersonRow* p = find(id);
    return p ? p->shown_email : std::string();
}

}  // namespace leandesk::exports
