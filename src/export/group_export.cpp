#include "export/group_export.hpp"

#include <vector>

#include "engine/engine_impl.hpp"
#include "export/iso_week.hpp"
#include "export/pending_output.hpp"
#include "export/people.hpp"
#include "export/read_snapshot.hpp"
#include "export/xlsx_book.hpp"

namespace leandesk::exports {
namespace {

// A column's text straight from SQLite (NUL-terminated, valid until the next step): the actions
// loop writes 100,000s of rows, and copying each string first would cost more than the cell.
const char* col_text(const store::Stmt& s, int col) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s.raw(), col));
    return t != nullptr ? t : "";
}

std::optional<std::string_view> col_date(const store::Stmt& s, int col) {
    if (s.is_null(col)) return std::nullopt;
    return std::string_view(col_text(s, col));
}

std::int64_t count(Engine::Impl& impl, const char* sql, const Id& group_id) {
    auto s = impl.db.prepare(sql);
    s.bind(1, group_id);
    s.step();
    return s.int64(0);
}

const char* role_name(bool manager) {
    return manager ? "manager" : "member";
}

class GroupWorkbook {
  public:
    GroupWorkbook(Engine& engine, const Actor& actor, const Group& group, XlsxBook& book,
                  ProgressTicker& ticker)
        : engine_(engine),
          impl_(engine.internals()),
          actor_(actor),
          group_(group),
          book_(book),
          ticker_(ticker),
          people_(impl_, group.id) {}

    void write() {
        load_projects_and_steps();
        group_sheet();
        members_sheet();
        steps_sheet();
        projects_sheet();
        participants_sheet();
        actions_sheet();
        comments_sheet();
        indicators_sheets();
    }

  private:
    void load_projects_and_steps() {
        steps_ = impl_.steps_of(group_.id);
        auto s = impl_.db.prepare(std::string("SELECT ") + kProjectColumns +
                                  " FROM projects p WHERE p.group_id = ? ORDER BY p.name, p.id");
        s.bind(1, group_.id);
        while (s.step()) projects_.push_back(read_project(s));
    }

    void group_sheet() {
        XlsxSheet sh = book_.add_sheet("Group", {{"Group", 30},
                                                 {"Manager", 24},
                                                 {"Manager e-mail", 28},
                                                 {"Members", 10},
                                                 {"Projects", 10},
                                                 {"Actions", 10},
                                                 {"Created (UTC)", 20},
                                                 {"Group ID", 38}});
        sh.row();
        sh.text(group_.name);
        sh.text(people_.name(group_.manager_id));
        sh.text(people_.email(group_.manager_id));
        sh.number(static_cast<double>(
            count(impl_, "SELECT COUNT(*) FROM members WHERE group_id = ?", group_.id)));
        sh.number(static_cast<double>(projects_.size()));
        sh.number(static_cast<double>(count(impl_,
                                            "SELECT COUNT(*) FROM actions WHERE project_id IN "
                                            "(SELECT id FROM projects WHERE group_id = ?)",
                                            group_.id)));
        sh.time(group_.created_at);
        sh.text(group_.id);
        sh.finish();
    }

    void members_sheet() {
        XlsxSheet sh = book_.add_sheet("Members", {{"Name", 28},
                                                   {"First name", 16},
                                                   {"Last name", 16},
                                                   {"E-mail", 30},
                                                   {"Activated", 10},
                                                   {"Activated at (UTC)", 20},
                                                   {"Status", 10},
                                                   {"Role", 10},
                                                   {"Added (UTC)", 20},
                                                   {"User ID", 38}});
        auto s = impl_.db.prepare(
            "SELECT m.user_id, m.added_at FROM members m JOIN users u ON u.id = m.user_id "
            "WHERE m.group_id = ? ORDER BY u.first_name, u.last_name, u.email");
        s.bind(1, group_.id);
        while (s.step()) {
            const PersonRow* p = people_.lookup(s.text(0));
            if (p == nullptr) continue;  // cannot happen: members reference users
            const User& u = p->user;
            sh.row();
            sh.text(u.display_name());
            sh.text(u.first_name);
            sh.text(u.last_name);
            sh.text(u.email);
            sh.boolean(u.activated());
            sh.time(u.activated_at);
            sh.text(std::string(to_string(u.status)));
            sh.text(role_name(u.id == group_.manager_id));
            sh.time(s.int64(1));
            sh.text(u.id);
            ticker_.advance();
        }
        sh.finish();
    }

    void steps_sheet() {
        XlsxSheet sh = book_.add_sheet(
            "Steps",
            {{"Position", 10}, {"Step", 24}, {"Kind", 10}, {"Actions", 10}, {"Step ID", 38}});
        for (const Step& st : steps_) {
            auto s = impl_.db.prepare("SELECT COUNT(*) FROM actions WHERE step_id = ?");
            s.bind(1, st.id);
            s.step();
            sh.row();
            sh.number(static_cast<double>(st.position + 1));
            sh.text(st.name);
            sh.text(std::string(to_string(st.kind)));
            sh.number(static_cast<double>(s.int64(0)));
            sh.text(st.id);
            ticker_.advance();
        }
        sh.finish();
    }

    void projects_sheet() {
        XlsxSheet sh = book_.add_sheet("Projects", {{"Project", 30},
                                                    {"Description", 40},
                                                    {"Future state", 40},
                                                    {"Owner", 24},
                                                    {"Owner e-mail", 28},
                                                    {"Start date", 12},
                                                    {"Target date", 12},
                                                    {"Status", 10},
                                                    {"Participants", 12},
                                                    {"Actions", 10},
                                                    {"Overdue actions", 14},
                                                    {"Created (UTC)", 20},
                                                    {"Project ID", 38}});
        const std::string today = impl_.today();
        for (const Project& p : projects_) {
            auto s = impl_.db.prepare(
                "SELECT (SELECT COUNT(*) FROM participants WHERE project_id = ?1), "
                "(SELECT COUNT(*) FROM actions WHERE project_id = ?1), "
                "(SELECT COUNT(*) FROM actions WHERE project_id = ?1 AND due_date < ?2 AND done_at "
                "IS NULL)");
            s.bind_all(p.id, today);
            s.step();
            sh.row();
            sh.text(p.name);
            sh.text(p.description);
            sh.text(p.future_state);
            sh.text(people_.name(p.owner_id));
            sh.text(people_.email(p.owner_id));
            sh.date(p.start_date);
            sh.date(p.target_date);
            sh.text(std::string(to_string(p.status)));
            sh.number(static_cast<double>(s.int64(0)));
            sh.number(static_cast<double>(s.int64(1)));
            sh.number(static_cast<double>(s.int64(2)));
            sh.time(p.created_at);
            sh.text(p.id);
            ticker_.advance();
        }
        sh.finish();
    }

    void participants_sheet() {
        XlsxSheet sh = book_.add_sheet("Participants", {{"Project", 30},
                                                        {"Name", 28},
                                                        {"E-mail", 30},
                                                        {"Activated", 10},
                                                        {"Status", 10},
                                                        {"Project owner", 12},
                                                        {"Added (UTC)", 20},
                                                        {"Project ID", 38},
                                                        {"User ID", 38}});
        for (const Project& p : projects_) {
            auto s = impl_.db.prepare(
                "SELECT pa.user_id, pa.added_at FROM participants pa JOIN users u ON u.id = "
                "pa.user_id "
                "WHERE pa.project_id = ? ORDER BY u.first_name, u.last_name, u.email");
            s.bind(1, p.id);
            while (s.step()) {
                const Id uid = s.text(0);
                const PersonRow* person = people_.lookup(uid);
                if (person == nullptr) continue;
                sh.row();
                sh.text(p.name);
                sh.text(person->user.display_name());
                sh.text(people_.email(uid));
                sh.boolean(person->user.activated());
                sh.text(std::string(to_string(person->user.status)));
                sh.boolean(uid == p.owner_id);
                sh.time(s.int64(1));
                sh.text(p.id);
                sh.text(uid);
                ticker_.advance();
            }
        }
        sh.finish();
    }

    void actions_sheet() {
        XlsxSheet sh = book_.add_sheet(
            "Actions",
            {{"Project", 24},       {"Step", 14},         {"Title", 36},     {"Description", 40},
             {"Owner", 24},         {"Owner e-mail", 28}, {"Context", 14},   {"Due date", 12},
             {"Priority", 9},       {"Progress (%)", 11}, {"Overdue", 9},    {"Indicator", 18},
             {"Impact", 9},         {"Photos", 8},        {"Comments", 10},  {"Created (UTC)", 20},
             {"Updated (UTC)", 20}, {"Done (UTC)", 20},   {"Action ID", 38}, {"Project ID", 38}});
        const std::string today = impl_.today();
        // Project by project, step by step: each query walks the (project_id, step_id, position)
        // index in order, so SQLite sorts only actions of equal position (a sort of every action
        // would hold them all); created_at and id make the order total (docs/api.md, "Order").
        for (const Project& p : projects_) {
            for (const Step& st : steps_) {
                auto s = impl_.db.prepare(
                    "SELECT a.title, a.description, a.owner_id, a.context, a.due_date, a.priority, "
                    "a.progress, i.name, a.impact, "
                    "(SELECT COUNT(*) FROM photos ph WHERE ph.action_id = a.id), "
                    "(SELECT COUNT(*) FROM comments c WHERE c.action_id = a.id), "
                    "a.created_at, a.updated_at, a.done_at, a.id "
                    "FROM actions a LEFT JOIN indicators i ON i.id = a.indicator_id "
                    "WHERE a.project_id = ? AND a.step_id = ? ORDER BY a.position, a.created_at, "
                    "a.id");
                s.bind_all(p.id, st.id);
                while (s.step()) {
                    sh.row();
                    sh.text(p.name);
                    sh.text(st.name);
                    sh.text(col_text(s, 0));
                    sh.text(col_text(s, 1));
                    if (s.is_null(2)) {
                        sh.blank();
                        sh.blank();
                    } else {
                        const PersonRow* o = people_.lookup(col_text(s, 2));
                        sh.text(o ? o->display_name.c_str() : "");
                        sh.text(o ? o->shown_email.c_str() : "");
                    }
                    sh.text(col_text(s, 3));
                    const auto due = col_date(s, 4);
                    sh.date(due);
                    sh.number(static_cast<double>(s.int64(5)));
                    sh.number(static_cast<double>(s.int64(6)));
                    // Overdue: derived, as Engine::Impl::fill_overdue does (ISO dates compare as
                    // text).
                    sh.boolean(due && s.is_null(13) && *due < today);
                    sh.text(col_text(s, 7));
                    sh.optional_number(s.opt_real(8));
                    sh.number(static_cast<double>(s.int64(9)));
                    sh.number(static_cast<double>(s.int64(10)));
                    sh.time(s.int64(11));
                    sh.time(s.int64(12));
                    sh.time(s.opt_int64(13));
                    sh.text(col_text(s, 14));
                    sh.text(p.id);
                    ticker_.advance();
                }
            }
        }
        sh.finish();
    }

    void comments_sheet() {
        XlsxSheet sh = book_.add_sheet("Comments", {{"Project", 24},
                                                    {"Action", 36},
                                                    {"Author", 24},
                                                    {"Author e-mail", 28},
                                                    {"Comment", 60},
                                                    {"Created (UTC)", 20},
                                                    {"Comment ID", 38},
                                                    {"Action ID", 38}});
        for (const Project& p : projects_) {
            for (const Step& st : steps_) {
                auto s = impl_.db.prepare(
                    "SELECT a.title, c.author_id, c.body, c.created_at, c.id, a.id "
                    "FROM actions a JOIN comments c ON c.action_id = a.id "
                    "WHERE a.project_id = ? AND a.step_id = ? ORDER BY a.position, a.created_at, "
                    "a.id, c.created_at, c.id");
                s.bind_all(p.id, st.id);
                while (s.step()) {
                    const auto author = s.opt_text(1);
                    sh.row();
                    sh.text(p.name);
                    sh.text(col_text(s, 0));
                    sh.text(people_.name(author));
                    sh.text(people_.email(author));
                    sh.text(col_text(s, 2));
                    sh.time(s.int64(3));
                    sh.text(col_text(s, 4));
                    sh.text(col_text(s, 5));
                    ticker_.advance();
                }
            }
        }
        sh.finish();
    }

    void indicators_sheets() {
        struct Row {
            const Project* project;
            Indicator indicator;
            std::int64_t values;
        };
        std::vector<Row> rows;
        for (const Project& p : projects_) {
            auto s = impl_.db.prepare(
                "SELECT id, project_id, name, unit, baseline, target, created_at, "
                "(SELECT COUNT(*) FROM indicator_values v WHERE v.indicator_id = indicators.id) "
                "FROM indicators WHERE project_id = ? ORDER BY name, id");
            s.bind(1, p.id);
            while (s.step()) {
                rows.push_back({&p,
                                Indicator{s.text(0), s.text(1), s.text(2), s.text(3), s.real(4),
                                          s.real(5), s.int64(6)},
                                s.int64(7)});
            }
        }
        XlsxSheet ind = book_.add_sheet("Indicators", {{"Project", 24},
                                                       {"Indicator", 24},
                                                       {"Unit", 10},
                                                       {"Baseline", 10},
                                                       {"Target", 10},
                                                       {"Weeks recorded", 14},
                                                       {"Created (UTC)", 20},
                                                       {"Indicator ID", 38}});
        for (const Row& r : rows) {
            ind.row();
            ind.text(r.project->name);
            ind.text(r.indicator.name);
            ind.text(r.indicator.unit);
            ind.number(r.indicator.baseline);
            ind.number(r.indicator.target);
            ind.number(static_cast<double>(r.values));
            ind.time(r.indicator.created_at);
            ind.text(r.indicator.id);
            ticker_.advance();
        }
        ind.finish();
        XlsxSheet weeks = book_.add_sheet("Indicator weeks", {{"Project", 24},
                                                              {"Indicator", 24},
                                                              {"Week", 10},
                                                              {"Week start", 12},
                                                              {"Expected", 10},
                                                              {"Actual", 10},
                                                              {"Indicator ID", 38}});
        for (const Row& r : rows) {
            // The engine's own curve: expected from the actions' impacts, actual where recorded.
            for (const IndicatorPoint& pt : engine_.indicator_curve(actor_, r.indicator.id)) {
                weeks.row();
                weeks.text(r.project->name);
                weeks.text(r.indicator.name);
                weeks.text(pt.week);
                weeks.date(std::string_view(iso_week_monday(pt.week)));
                weeks.number(pt.expected);
                weeks.optional_number(pt.actual);
                weeks.text(r.indicator.id);
            }
            ticker_.advance();
        }
        weeks.finish();
    }

    Engine& engine_;
    Engine::Impl& impl_;
    const Actor& actor_;
    const Group& group_;
    XlsxBook& book_;
    ProgressTicker& ticker_;
    GroupPeople people_;
    std::vector<Step> steps_;
    std::vector<Project> projects_;
};

}  // namespace

void export_group_xlsx(Engine& engine, const Actor& actor, const Id& group_id,
                       const std::string& path, const Progress& progress) {
    auto& impl = engine.internals();
    PendingOutput out(path, PendingOutput::Kind::file);
    {
        ReadSnapshot snapshot(impl);
        impl.require_user(actor);
        const Group group = impl.load_group(group_id);
        const auto role = impl.group_role(actor, group.id);
        rules::enforce(rules::read_group(role));
        rules::enforce(rules::export_group(role));
        const std::int64_t total =
            count(impl, "SELECT COUNT(*) FROM members WHERE group_id = ?", group.id) +
            count(impl, "SELECT COUNT(*) FROM steps WHERE group_id = ?", group.id) +
            count(
                impl,
                "SELECT COUNT(*) + (SELECT COUNT(*) FROM participants WHERE project_id IN "
                "(SELECT id FROM projects WHERE group_id = ?1)) FROM projects WHERE group_id = ?1",
                group.id) +
            count(
                impl,
                "SELECT COUNT(*) + (SELECT COUNT(*) FROM comments c JOIN actions a2 ON a2.id = "
                "c.action_id "
                "JOIN projects p2 ON p2.id = a2.project_id WHERE p2.group_id = ?1) FROM actions a "
                "JOIN projects p ON p.id = a.project_id WHERE p.group_id = ?1",
                group.id) +
            2 * count(
                    impl,
                    "SELECT COUNT(*) FROM indicators WHERE project_id IN (SELECT id FROM projects "
                    "WHERE group_id = ?)",
                    group.id);
        ProgressTicker ticker(progress, total);
        XlsxBook book(out.temp_path().string());
        book.set_properties(group.name, impl.now());
        GroupWorkbook(engine, actor, group, book, ticker).write();
        ticker.finish();
        book.close();
    }
    out.commit();
    impl.say(LogLevel::info, "exported group " + group_id + " to a spreadsheet");
}

}  // namespace leandesk::exports
