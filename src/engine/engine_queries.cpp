// Queries: every read is filtered by what the actor may see (R7, R8, R13).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

Group readable_group(Engine::Impl& impl, const Actor& actor, const Id& group_id) {
    Group g = impl.load_group(group_id);
    rules::enforce(rules::read_group(impl.group_role(actor, g.id)));
    return g;
}

std::vector<Project> read_projects(store::Stmt& s) {
    std::vector<Project> out;
    while (s.step()) out.push_back(read_project(s));
    return out;
}

// ---- ISO weeks for indicator curves ----
using std::chrono::days;
using std::chrono::sys_days;

sys_days parse_date(const std::string& d) {
    using namespace std::chrono;
    return sys_days(year(std::stoi(d.substr(0, 4))) /
                    month(static_cast<unsigned>(std::stoi(d.substr(5, 2)))) /
                    day(static_cast<unsigned>(std::stoi(d.substr(8, 2)))));
}

sys_days monday_of(sys_days d) {
    const std::chrono::weekday wd(d);
    return d - days(wd.iso_encoding() - 1);
}

std::string iso_week(sys_days d) {
    using namespace std::chrono;
    const sys_days thursday = monday_of(d) + days(3);
    const year y = year_month_day(thursday).year();
    const auto week = (thursday - sys_days(y / January / 1)).count() / 7 + 1;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(y), static_cast<int>(week));
    return buf;
}

sys_days week_monday(const std::string& w) {
    using namespace std::chrono;
    const int y = std::stoi(w.substr(0, 4));
    const int n = std::stoi(w.substr(6, 2));
    const sys_days jan4 = sys_days(year(y) / January / 4);
    return monday_of(jan4) + days(7 * (n - 1));
}

}  // namespace

std::vector<Group> Engine::my_groups(const Actor& actor) {
    return impl_->read([&] {
        std::vector<Group> out;
        auto s = impl_->db.prepare(
            "SELECT g.id, g.name, g.manager_id, g.created_at FROM groups g JOIN members m "
            "ON m.group_id = g.id WHERE m.user_id = ? ORDER BY g.name, g.id");
        s.bind(1, actor.user_id);
        while (s.step()) out.push_back(Group{s.text(0), s.text(1), s.text(2), s.int64(3)});
        return out;
    });
}

Group Engine::get_group(const Actor& actor, const Id& group_id) {
    return impl_->read([&] { return readable_group(*impl_, actor, group_id); });
}

std::vector<PersonView> Engine::group_members(const Actor& actor, const Id& group_id) {
    return impl_->read([&] {
        readable_group(*impl_, actor, group_id);
        std::vector<User> users;
        {
            auto s = impl_->db.prepare(std::string("SELECT ") + kUserColumns +
                                       " FROM users WHERE id IN (SELECT user_id FROM members "
                                       "WHERE group_id = ?) ORDER BY first_name, last_name, email");
            s.bind(1, group_id);
            while (s.step()) users.push_back(read_user(s));
        }
        std::vector<PersonView> out;
        out.reserve(users.size());
        for (const auto& u : users) out.push_back(impl_->person_view(u, actor));
        return out;
    });
}

std::vector<Step> Engine::group_steps(const Actor& actor, const Id& group_id) {
    return impl_->read([&] {
        readable_group(*impl_, actor, group_id);
        return impl_->steps_of(group_id);
    });
}

std::vector<Resource> Engine::group_resources(const Actor& actor, const Id& group_id) {
    return impl_->read([&] {
        readable_group(*impl_, actor, group_id);
        std::vector<Resource> out;
        auto s = impl_->db.prepare(
            "SELECT id, group_id, name, url, note FROM resources WHERE group_id = ? ORDER BY name, "
            "id");
        s.bind(1, group_id);
        while (s.step())
            out.push_back(Resource{s.text(0), s.text(1), s.text(2), s.opt_text(3), s.opt_text(4)});
        return out;
    });
}

std::vector<Project> Engine::group_projects(const Actor& actor, const Id& group_id) {
    return impl_->read([&] {
        const Group g = readable_group(*impl_, actor, group_id);
        auto s = impl_->db.prepare(
            std::string("SELECT ") + kProjectColumns +
            " FROM projects p WHERE p.group_id = ?1 AND (?2 OR EXISTS (SELECT 1 FROM participants "
            "pa "
            "WHERE pa.project_id = p.id AND pa.user_id = ?3)) ORDER BY p.name, p.id");
        s.bind_all(group_id, g.manager_id == actor.user_id, actor.user_id);
        return read_projects(s);
    });
}

std::vector<Project> Engine::my_projects(const Actor& actor) {
    return impl_->read([&] {
        auto s = impl_->db.prepare(std::string("SELECT ") + kProjectColumns +
                                   " FROM projects p JOIN participants pa ON pa.project_id = p.id "
                                   "WHERE pa.user_id = ? ORDER BY p.name, p.id");
        s.bind(1, actor.user_id);
        return read_projects(s);
    });
}

Project Engine::get_project(const Actor& actor, const Id& project_id) {
    return impl_->read([&] { return impl_->readable_project(actor, project_id); });
}

std::vector<PersonView> Engine::project_participants(const Actor& actor, const Id& project_id) {
    return impl_->read([&] {
        impl_->readable_project(actor, project_id);
        std::vector<User> users;
        {
            auto s =
                impl_->db.prepare(std::string("SELECT ") + kUserColumns +
                                  " FROM users WHERE id IN (SELECT user_id FROM participants "
                                  "WHERE project_id = ?) ORDER BY first_name, last_name, email");
            s.bind(1, project_id);
            while (s.step()) users.push_back(read_user(s));
        }
        std::vector<PersonView> out;
        for (const auto& u : users) out.push_back(impl_->person_view(u, actor));
        return out;
    });
}

std::vector<Action> Engine::project_actions(const Actor& actor, const Id& project_id) {
    return impl_->read([&] {
        impl_->readable_project(actor, project_id);
        return impl_->actions_of(project_id);
    });
}

std::vector<Indicator> Engine::project_indicators(const Actor& actor, const Id& project_id) {
    return impl_->read([&] {
        impl_->readable_project(actor, project_id);
        std::vector<Indicator> out;
        auto s = impl_->db.prepare(
            "SELECT id, project_id, name, unit, baseline, target, created_at FROM indicators "
            "WHERE project_id = ? ORDER BY name, id");
        s.bind(1, project_id);
        while (s.step()) {
            out.push_back(Indicator{s.text(0), s.text(1), s.text(2), s.text(3), s.real(4),
                                    s.real(5), s.int64(6)});
        }
        return out;
    });
}

ProjectReview Engine::project_review(const Actor& actor, const Id& project_id) {
    // Composed of the other queries under one lock so the review is a consistent picture.
    std::lock_guard lock(impl_->mutex);
    ProjectReview review;
    review.project = get_project(actor, project_id);
    for (auto& st : impl_->steps_of(review.project.group_id)) review.steps.push_back({st, {}});
    for (auto& a : impl_->actions_of(project_id)) {
        auto it = std::find_if(review.steps.begin(), review.steps.end(),
                               [&](const StepActions& sa) { return sa.step.id == a.step_id; });
        if (it != review.steps.end()) it->actions.push_back(std::move(a));
    }
    review.participants = project_participants(actor, project_id);
    review.indicators = project_indicators(actor, project_id);
    return review;
}

std::vector<Action> Engine::dashboard(const Actor& actor) {
    return impl_->read([&] {
        const User me = impl_->load_user(actor.user_id);
        std::vector<Action> out;
        const std::string today = impl_->today();
        auto s = impl_->db.prepare(
            std::string("SELECT ") + kActionColumns +
            " FROM actions a JOIN steps st ON st.id = a.step_id JOIN participants pa "
            "ON pa.project_id = a.project_id AND pa.user_id = a.owner_id "
            "WHERE a.owner_id = ?1 AND (?2 OR st.kind <> 'open') "
            "ORDER BY a.done_at IS NOT NULL, a.due_date IS NULL, a.due_date, a.priority DESC, "
            "a.title, a.created_at, a.id");
        s.bind_all(actor.user_id, me.show_open_actions_on_dashboard);
        while (s.step()) {
            out.push_back(read_action(s));
            impl_->fill_overdue(out.back(), today);
        }
        return out;
    });
}

ActionDetail Engine::get_action(const Actor& actor, const Id& action_id) {
    return impl_->read([&] {
        ActionDetail d;
        d.action = impl_->load_action(action_id);
        impl_->readable_project(actor, d.action.project_id);
        {
            auto s = impl_->db.prepare(
                "SELECT id, action_id, blob, mime, size, caption, taken_at, added_by, created_at "
                "FROM photos WHERE action_id = ? ORDER BY created_at, id");
            s.bind(1, action_id);
            while (s.step()) {
                d.photos.push_back(Photo{s.text(0), s.text(1), s.text(2), s.text(3), s.int64(4),
                                         s.text(5), s.opt_int64(6), s.opt_text(7), s.int64(8)});
            }
        }
        auto s = impl_->db.prepare(
            "SELECT id, action_id, author_id, body, created_at FROM comments WHERE action_id = ? "
            "ORDER BY created_at, id");
        s.bind(1, action_id);
        while (s.step())
            d.comments.push_back(
                Comment{s.text(0), s.text(1), s.opt_text(2), s.text(3), s.int64(4)});
        return d;
    });
}

std::vector<IndicatorPoint> Engine::indicator_curve(const Actor& actor, const Id& indicator_id) {
    return impl_->read([&] {
        const Indicator ind = impl_->load_indicator(indicator_id);
        const Project p = impl_->readable_project(actor, ind.project_id);
        std::map<std::string, double> actual;
        {
            auto s = impl_->db.prepare(
                "SELECT week, actual FROM indicator_values WHERE indicator_id = ? ORDER BY week");
            s.bind(1, ind.id);
            while (s.step()) actual[s.text(0)] = s.real(1);
        }
        std::vector<std::pair<sys_days, double>> impacts;  // (due date, impact)
        {
            auto s = impl_->db.prepare(
                "SELECT due_date, impact FROM actions WHERE indicator_id = ? AND impact IS NOT "
                "NULL AND due_date IS NOT NULL ORDER BY due_date, created_at, id");
            s.bind(1, ind.id);
            while (s.step()) impacts.emplace_back(parse_date(s.text(0)), s.real(1));
        }
        std::vector<sys_days> bounds;
        if (p.start_date) bounds.push_back(parse_date(*p.start_date));
        if (p.target_date) bounds.push_back(parse_date(*p.target_date));
        for (const auto& [w, _] : actual) bounds.push_back(week_monday(w));
        for (const auto& [d, _] : impacts) bounds.push_back(d);
        std::vector<IndicatorPoint> out;
        if (bounds.empty()) return out;
        const auto [lo, hi] = std::minmax_element(bounds.begin(), bounds.end());
        constexpr int kMaxWeeks = 520;  // ten years of weekly points is plenty for a chart
        int n = 0;
        for (sys_days monday = monday_of(*lo); monday <= *hi && n < kMaxWeeks;
             monday += days(7), ++n) {
            const sys_days sunday = monday + days(6);
            IndicatorPoint pt;
            pt.week = iso_week(monday);
            pt.expected = ind.baseline;
            for (const auto& [due, impact] : impacts) {
                if (due <= sunday) pt.expected += impact;
            }
            if (auto it = actual.find(pt.week); it != actual.end()) pt.actual = it->second;
            out.push_back(std::move(pt));
        }
        return out;
    });
}

std::vector<PersonView> Engine::report_recipients(const Actor& actor, const Id& project_id,
                                                  const std::vector<Id>& recipient_ids) {
    return impl_->read([&] {
        impl_->require_user(actor);
        const Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        bool all_participants = !recipient_ids.empty();
        std::vector<User> people;
        for (const Id& id : recipient_ids) {
            validate::id("recipient", id);
            const auto r = impl_->project_role(Actor::user(id), p);
            if (!r.participant) {
                all_participants = false;
                break;
            }
            people.push_back(impl_->load_user(id));
        }
        if (recipient_ids.empty()) throw_invalid("at least one recipient is required");
        rules::enforce(rules::send_report(role, all_participants));
        std::vector<PersonView> out;
        for (const auto& u : people) {
            PersonView v = impl_->person_view(u, actor);
            v.email = u.email;  // the mail goes to them; co-participants see addresses anyway (R8)
            out.push_back(std::move(v));
        }
        return out;
    });
}

}  // namespace leandesk
