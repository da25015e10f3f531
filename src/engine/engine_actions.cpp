// Actions, comments and indicators: the plan every participant edits (R9).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

// Remembered for the transaction (PlanFacts): a batch assigns the same few owners again and again,
// and only non-plan commands, which clear the facts, change who participates.
bool is_participant(Engine::Impl& impl, const Id& project_id, const Id& user_id) {
    std::string key = project_id;
    key += '/';
    key += user_id;
    auto& known = impl.plan_facts.participants;
    if (known.count(key) != 0) return true;
    auto s = impl.db.prepare("SELECT 1 FROM participants WHERE project_id = ? AND user_id = ?");
    s.bind_all(project_id, user_id);
    if (!s.step()) return false;
    known.insert(std::move(key));
    return true;
}

// Reads the editable fields of an action and checks what they reference. `fields` collects the
// names present, for the change log.
void read_action_fields(Engine::Impl& impl, JsonReader& in, const Project& p, Action& a,
                        std::vector<std::string>& fields) {
    if (auto v = in.opt_string("title", limits::title)) a.title = *v, fields.emplace_back("title");
    if (auto v = in.opt_string("description", limits::long_text, true, true)) {
        a.description = *v, fields.emplace_back("description");
    }
    if (auto v = in.opt_string("context", limits::short_text, true)) {
        a.context = *v, fields.emplace_back("context");
    }
    if (in.has("owner_id")) {
        a.owner_id = in.nullable_id("owner_id");
        // R16: any participant, activated or not, may own an action; nobody outside the project.
        if (a.owner_id && !is_participant(impl, p.id, *a.owner_id)) {
            throw_invalid("'owner_id' must be a participant of the project");
        }
        fields.emplace_back("owner_id");
    }
    if (in.has("due_date"))
        a.due_date = in.nullable_date("due_date"), fields.emplace_back("due_date");
    if (auto v = in.opt_int("priority", 0, 3)) a.priority = *v, fields.emplace_back("priority");
    if (auto v = in.opt_int("progress", 0, 100)) a.progress = *v, fields.emplace_back("progress");
    if (in.has("indicator_id")) {
        a.indicator_id = in.nullable_id("indicator_id");
        if (a.indicator_id && impl.load_indicator(*a.indicator_id).project_id != p.id) {
            throw_invalid("'indicator_id' is not an indicator of this project");
        }
        fields.emplace_back("indicator_id");
    }
    if (in.has("impact")) a.impact = in.nullable_number("impact"), fields.emplace_back("impact");
}

// Entering a done step marks the action done; leaving it reopens the action.
void settle_done(Engine::Impl& impl, Action& a, const Step& step,
                 std::vector<std::string>& fields) {
    if (step.kind == StepKind::done && !a.done_at) {
        a.done_at = impl.now();
        fields.emplace_back("done_at");
    } else if (step.kind != StepKind::done && a.done_at) {
        a.done_at.reset();
        fields.emplace_back("done_at");
    }
}

void write_action(Engine::Impl& impl, const Action& a) {
    impl.db
        .prepare(
            "UPDATE actions SET title = ?, description = ?, step_id = ?, owner_id = ?, "
            "context = ?, due_date = ?, priority = ?, progress = ?, indicator_id = ?, "
            "impact = ?, position = ?, updated_at = ?, done_at = ? WHERE id = ?")
        .bind_all(a.title, a.description, a.step_id, a.owner_id, a.context, a.due_date, a.priority,
                  a.progress, a.indicator_id, a.impact, a.position, a.updated_at, a.done_at, a.id)
        .run();
}

}  // namespace

Action Engine::create_action(const Actor& actor, const Json& input) {
    return impl_->write_plan([&] {
        JsonReader in(input, "action");
        Action a;
        a.id = in.opt_id("id").value_or("");
        a.project_id = in.id("project_id");
        const auto step_id = in.opt_id("step_id");
        const Project p = impl_->editable_project(actor, a.project_id);
        std::vector<std::string> fields;
        read_action_fields(*impl_, in, p, a, fields);
        in.finish();
        if (a.title.empty()) throw_invalid("'title' is required in action");
        const Step step =
            step_id ? impl_->step_in_group(*step_id, p.group_id) : impl_->default_step(p.group_id);
        if (a.id.empty()) a.id = impl_->new_id();
        a.step_id = step.id;
        a.position = impl_->next_position(p.id, step.id);
        a.created_by = actor.user_id;
        a.created_at = a.updated_at = impl_->now();
        fields.clear();
        settle_done(*impl_, a, step, fields);
        impl_->db
            .prepare(
                "INSERT INTO actions (id, project_id, title, description, step_id, owner_id, "
                "context, due_date, priority, progress, indicator_id, impact, position, "
                "created_by, created_at, updated_at, done_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind_all(a.id, a.project_id, a.title, a.description, a.step_id, a.owner_id, a.context,
                      a.due_date, a.priority, a.progress, a.indicator_id, a.impact, a.position,
                      a.created_by, a.created_at, a.updated_at, a.done_at)
            .run();
        impl_->log("action", a.id, "insert",
                   {"title", "description", "step_id", "owner_id", "context", "due_date",
                    "priority", "progress", "indicator_id", "impact", "position", "done_at"},
                   actor, p.group_id, p.id);
        impl_->record("create_action", actor, [&] {
            return Json{{"input", with_id(input, a.id)}};
        });
        impl_->fill_overdue(a, impl_->today());
        return a;
    });
}

Action Engine::update_action(const Actor& actor, const Id& action_id, const Json& patch) {
    return impl_->write_plan([&] {
        Action a = impl_->load_action(action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        JsonReader in(patch, "action");
        std::vector<std::string> fields;
        read_action_fields(*impl_, in, p, a, fields);
        if (auto step_id = in.opt_id("step_id"); step_id && *step_id != a.step_id) {
            const Step step = impl_->step_in_group(*step_id, p.group_id);
            a.step_id = step.id;
            a.position = impl_->next_position(p.id, step.id);
            fields.emplace_back("step_id");
            fields.emplace_back("position");
            settle_done(*impl_, a, step, fields);
        }
        in.finish();
        if (fields.empty()) return a;
        a.updated_at = impl_->now();
        write_action(*impl_, a);
        impl_->log("action", a.id, "update", fields, actor, p.group_id, p.id);
        impl_->record("update_action", actor, [&] {
            return Json{{"action_id", a.id}, {"patch", patch}};
        });
        impl_->fill_overdue(a, impl_->today());
        return a;
    });
}

Action Engine::move_action(const Actor& actor, const Id& action_id, const Id& step_id,
                           const std::optional<Id>& before_action_id) {
    return impl_->write_plan([&] {
        validate::id("step_id", step_id);
        Action a = impl_->load_action(action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        const Step step = impl_->step_in_group(step_id, p.group_id);
        std::vector<std::string> fields{"position"};
        if (a.step_id != step.id) fields.emplace_back("step_id");
        if (before_action_id) {
            if (*before_action_id == a.id)
                throw_invalid("an action cannot be placed before itself");
            const Action before = impl_->load_action(*before_action_id);
            if (before.project_id != p.id || before.step_id != step.id) {
                throw_invalid("'before' must be an action of the target step");
            }
            auto s = impl_->db.prepare(
                "SELECT MAX(position) FROM actions WHERE project_id = ? AND step_id = ? "
                "AND position < ? AND id <> ?");
            s.bind_all(p.id, step.id, before.position, a.id);
            s.step();
            const double prev = s.is_null(0) ? before.position - 1.0 : s.real(0);
            a.position = (prev + before.position) / 2.0;
        } else {
            a.position = impl_->next_position(p.id, step.id);  // to the end of its own step
        }
        a.step_id = step.id;
        settle_done(*impl_, a, step, fields);
        a.updated_at = impl_->now();
        write_action(*impl_, a);
        impl_->log("action", a.id, "update", fields, actor, p.group_id, p.id);
        impl_->record("move_action", actor, [&] {
            Json args{{"action_id", a.id}, {"step_id", step.id}};
            if (before_action_id) args["before_id"] = *before_action_id;
            return args;
        });
        impl_->fill_overdue(a, impl_->today());
        return a;
    });
}

void Engine::delete_action(const Actor& actor, const Id& action_id) {
    impl_->write_plan([&] {
        const Action a = impl_->load_action(action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        std::vector<std::string> hashes;
        {
            auto s = impl_->db.prepare("SELECT DISTINCT blob FROM photos WHERE action_id = ?");
            s.bind(1, a.id);
            while (s.step()) hashes.push_back(s.text(0));
        }
        impl_->db.prepare("DELETE FROM actions WHERE id = ?").bind(1, a.id).run();
        impl_->drop_unreferenced_blobs(hashes);
        impl_->log("action", a.id, "delete", {}, actor, p.group_id, p.id);
        impl_->record("delete_action", actor, [&] { return Json{{"action_id", a.id}}; });
    });
}

// ---- comments ---------------------------------------------------------------------------------

Comment Engine::add_comment(const Actor& actor, const Id& action_id, const Json& input) {
    return impl_->write_plan([&] {
        const Action a = impl_->load_action(action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        JsonReader in(input, "comment");
        Comment c;
        c.id = in.opt_id("id").value_or("");
        c.body = in.string("body", limits::long_text, false, true);
        in.finish();
        if (c.id.empty()) c.id = impl_->new_id();
        c.action_id = a.id;
        c.author_id = actor.user_id;
        c.created_at = impl_->now();
        impl_->db
            .prepare(
                "INSERT INTO comments (id, action_id, author_id, body, created_at) "
                "VALUES (?, ?, ?, ?, ?)")
            .bind_all(c.id, c.action_id, c.author_id, c.body, c.created_at)
            .run();
        impl_->log("comment", c.id, "insert", {"body"}, actor, p.group_id, p.id);
        impl_->record("add_comment", actor, [&] {
            return Json{{"action_id", a.id}, {"input", with_id(input, c.id)}};
        });
        return c;
    });
}

void Engine::delete_comment(const Actor& actor, const Id& comment_id) {
    impl_->write_plan([&] {
        const Comment c = impl_->load_comment(comment_id);
        const Action a = impl_->load_action(c.action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        if (c.author_id != actor.user_id) {
            throw_denied("R9", "a comment can only be deleted by its author");
        }
        impl_->db.prepare("DELETE FROM comments WHERE id = ?").bind(1, c.id).run();
        impl_->log("comment", c.id, "delete", {}, actor, p.group_id, p.id);
        impl_->record("delete_comment", actor, [&] { return Json{{"comment_id", c.id}}; });
    });
}

// ---- indicators -------------------------------------------------------------------------------

namespace {

void read_indicator_fields(JsonReader& in, Indicator& ind, std::vector<std::string>& fields) {
    if (auto v = in.opt_string("name", limits::name)) ind.name = *v, fields.emplace_back("name");
    if (auto v = in.opt_string("unit", limits::short_text, true))
        ind.unit = *v, fields.emplace_back("unit");
    if (auto v = in.opt_number("baseline")) ind.baseline = *v, fields.emplace_back("baseline");
    if (auto v = in.opt_number("target")) ind.target = *v, fields.emplace_back("target");
}

}  // namespace

Indicator Engine::create_indicator(const Actor& actor, const Json& input) {
    return impl_->write_plan([&] {
        JsonReader in(input, "indicator");
        Indicator ind;
        ind.id = in.opt_id("id").value_or("");
        ind.project_id = in.id("project_id");
        const Project p = impl_->editable_project(actor, ind.project_id);
        std::vector<std::string> fields;
        read_indicator_fields(in, ind, fields);
        in.finish();
        if (ind.name.empty()) throw_invalid("'name' is required in indicator");
        if (ind.id.empty()) ind.id = impl_->new_id();
        ind.created_at = impl_->now();
        impl_->db
            .prepare(
                "INSERT INTO indicators (id, project_id, name, unit, baseline, target, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(ind.id, ind.project_id, ind.name, ind.unit, ind.baseline, ind.target,
                      ind.created_at)
            .run();
        impl_->log("indicator", ind.id, "insert", {"name", "unit", "baseline", "target"}, actor,
                   p.group_id, p.id);
        impl_->record("create_indicator", actor, [&] {
            return Json{{"input", with_id(input, ind.id)}};
        });
        return ind;
    });
}

Indicator Engine::update_indicator(const Actor& actor, const Id& indicator_id, const Json& patch) {
    return impl_->write_plan([&] {
        Indicator ind = impl_->load_indicator(indicator_id);
        const Project p = impl_->editable_project(actor, ind.project_id);
        JsonReader in(patch, "indicator");
        std::vector<std::string> fields;
        read_indicator_fields(in, ind, fields);
        in.finish();
        if (fields.empty()) return ind;
        impl_->db
            .prepare(
                "UPDATE indicators SET name = ?, unit = ?, baseline = ?, target = ? WHERE id = ?")
            .bind_all(ind.name, ind.unit, ind.baseline, ind.target, ind.id)
            .run();
        impl_->log("indicator", ind.id, "update", fields, actor, p.group_id, p.id);
        impl_->record("update_indicator", actor, [&] {
            return Json{{"indicator_id", ind.id}, {"patch", patch}};
        });
        return ind;
    });
}

void Engine::delete_indicator(const Actor& actor, const Id& indicator_id) {
    impl_->write_plan([&] {
        const Indicator ind = impl_->load_indicator(indicator_id);
        const Project p = impl_->editable_project(actor, ind.project_id);
        // Actions pointing at it keep their impact but lose the link (ON DELETE SET NULL); log
        // them.
        std::vector<Id> linked;
        {
            // By id: the change log (changes_since) lists these updates in a fixed order.
            auto s = impl_->db.prepare("SELECT id FROM actions WHERE indicator_id = ? ORDER BY id");
            s.bind(1, ind.id);
            while (s.step()) linked.push_back(s.text(0));
        }
        impl_->db.prepare("DELETE FROM indicators WHERE id = ?").bind(1, ind.id).run();
        for (const Id& aid : linked) {
            impl_->log("action", aid, "update", {"indicator_id"}, actor, p.group_id, p.id);
        }
        impl_->log("indicator", ind.id, "delete", {}, actor, p.group_id, p.id);
        impl_->record("delete_indicator", actor, [&] { return Json{{"indicator_id", ind.id}}; });
    });
}

IndicatorValue Engine::set_indicator_value(const Actor& actor, const Id& indicator_id,
                                           const std::string& week, double actual) {
    return impl_->write_plan([&] {
        validate::week("week", week);
        validate::finite("actual", actual);
        const Indicator ind = impl_->load_indicator(indicator_id);
        const Project p = impl_->editable_project(actor, ind.project_id);
        impl_->db
            .prepare(
                "INSERT INTO indicator_values (indicator_id, week, actual) VALUES (?, ?, ?) "
                "ON CONFLICT (indicator_id, week) DO UPDATE SET actual = excluded.actual")
            .bind_all(ind.id, week, actual)
            .run();
        impl_->log("indicator_value", ind.id + "/" + week, "update", {"actual"}, actor, p.group_id,
                   p.id);
        impl_->record("set_indicator_value", actor, [&] {
            return Json{{"indicator_id", ind.id}, {"week", week}, {"actual", actual}};
        });
        return IndicatorValue{ind.id, week, actual};
    });
}

void Engine::clear_indicator_value(const Actor& actor, const Id& indicator_id,
                                   const std::string& week) {
    impl_->write_plan([&] {
        validate::week("week", week);
        const Indicator ind = impl_->load_indicator(indicator_id);
        const Project p = impl_->editable_project(actor, ind.project_id);
        impl_->db.prepare("DELETE FROM indicator_values WHERE indicator_id = ? AND week = ?")
            .bind_all(ind.id, week)
            .run();
        if (impl_->db.changes() == 0) throw_not_found("indicator value", week);
        impl_->log("indicator_value", ind.id + "/" + week, "delete", {}, actor, p.group_id, p.id);
        impl_->record("clear_indicator_value", actor, [&] {
            return Json{{"indicator_id", ind.id}, {"week", week}};
        });
    });
}

}  // namespace leandesk
