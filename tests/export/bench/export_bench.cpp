// Benchmark of the group export (not a test; docs/export.md gives the figures and how to run it).
//
// Compares, in the same run and on the same data:
//   leandesk  exports::export_group_xlsx on a group of N actions (every sheet: the SQLite reads,
//             the people lookups, the derived columns, the writing)
//   raw       libxlsxwriter alone (constant memory, same formats) writing the Actions sheet's
//             cells from memory, read beforehand and not timed: the floor for the same cells
// The other sheets of the export hold a few dozen rows here, well under 0.1% of the cells.
//
//   export_bench [--actions N] [--runs R] [--dir D] [--mode all|seed|leandesk|raw]
//                [--layout interleaved|clustered]
// D (default: the system's temporary folder) is created when missing. --mode seed only builds
// D/bench-N-LAYOUT.db; leandesk / raw run one export of that database and print the process's
// peak resident memory (getrusage), for measuring memory without the seeding.
#include <sys/resource.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/engine_impl.hpp"
#include "export/group_export.hpp"
#include "export/xlsx_book.hpp"

using namespace leandesk;
namespace fs = std::filesystem;

namespace {

constexpr Millis kNow = 1772442000000;  // 2026-03-02

struct Args {
    long actions = 100000;
    int runs = 3;
    fs::path dir = fs::temp_directory_path();
    std::string mode = "all";
    std::string layout = "interleaved";
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// CPU seconds (user + system) of this process: less disturbed than wall time when other work
/// shares the machine.
double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;  // KiB on Linux
}

std::unique_ptr<Engine> open(const fs::path& db) {
    EngineOptions o(db.string());
    o.clock = [] { return kNow; };
    o.random = seeded_random(1);
    return std::make_unique<Engine>(std::move(o));
}

Json ids_of(Engine& e) {
    auto& impl = e.internals();
    std::lock_guard lock(impl.mutex);
    auto s = impl.db.prepare("SELECT id, manager_id FROM groups LIMIT 1");
    if (!s.step()) throw Error(Errc::not_found, "the bench database has no group");
    return Json{{"group", s.text(0)}, {"manager", s.text(1)}};
}

/// 10 members, 10 projects with every member participating, N actions spread over them and the
/// four default steps, with every field set on most actions. Seeding time is not measured.
/// `interleaved`: action k goes to project k % 10 (the ten projects' actions are mixed on disk, the
/// worst case for reading them project by project); `clustered`: each project's actions are made
/// together, as when a team fills in one project's plan at a time.
void seed(const fs::path& db, long actions, bool clustered) {
    fs::remove(db);
    auto e = open(db);
    std::vector<Actor> people;
    for (int i = 0; i < 10; ++i) {
        people.push_back(
            Actor::user(e->create_user(Json{{"email", "user" + std::to_string(i) + "@example.com"},
                                            {"first_name", "First" + std::to_string(i)},
                                            {"last_name", "Last" + std::to_string(i)},
                                            {"activated", true}})
                            .id));
    }
    const Actor& manager = people[0];
    const Group g = e->create_group(manager, Json{{"name", "Benchmark group"}});
    for (std::size_t i = 1; i < people.size(); ++i) {
        e->add_member(manager, g.id, "user" + std::to_string(i) + "@example.com");
    }
    const auto steps = e->group_steps(manager, g.id);
    std::vector<Project> projects;
    for (int p = 0; p < 10; ++p) {
        projects.push_back(e->create_project(manager, Json{{"group_id", g.id},
                                                           {"name", "Project " + std::to_string(p)},
                                                           {"start_date", "2026-01-05"},
                                                           {"target_date", "2026-06-29"}}));
        for (std::size_t i = 1; i < people.size(); ++i)
            e->add_participant(manager, projects.back().id, people[i].user_id);
    }
    std::vector<Indicator> indicators;
    for (const auto& p : projects) {
        indicators.push_back(e->create_indicator(manager, Json{{"project_id", p.id},
                                                               {"name", "Lead time"},
                                                               {"unit", "days"},
                                                               {"baseline", 30},
                                                               {"target", 10}}));
    }
    for (long done = 0; done < actions;) {
        e->batch([&] {
            for (int k = 0; k < 1000 && done < actions; ++k, ++done) {
                const auto p =
                    static_cast<std::size_t>(clustered ? done * 10 / actions : done % 10);
                char due[16];
                std::snprintf(due, sizeof due, "2026-%02ld-%02ld", 1 + (done / 28) % 12,
                              1 + done % 28);
                Json a{
                    {"project_id", projects[p].id},
                    {"title", "Action number " + std::to_string(done) + " of the benchmark"},
                    {"description", "Check the settings of machine " + std::to_string(done % 97) +
                                        " and write down what changed"},
                    {"step_id", steps[static_cast<std::size_t>(done % 4)].id},
                    {"owner_id", people[1 + static_cast<std::size_t>(done % 9)].user_id},
                    {"context", "@line" + std::to_string(done % 7)},
                    {"due_date", due},
                    {"priority", done % 4},
                    {"progress", (done * 7) % 101}};
                if (done % 3 == 0) a["indicator_id"] = indicators[p].id, a["impact"] = -0.01;
                e->create_action(manager, a);
            }
        });
    }
    e->checkpoint();
}

/// The Actions sheet's cells, read into memory (as the exporter would write them).
struct Row {
    std::string project, step, title, description, owner, email, context, due, indicator, id,
        project_id;
    double priority, progress;
    bool overdue;
    std::optional<double> impact;
    double photos, comments;
    Millis created, updated;
    std::optional<Millis> done;
};

std::vector<Row> read_rows(Engine& e, const std::string& group) {
    auto& impl = e.internals();
    std::lock_guard lock(impl.mutex);
    std::vector<Row> rows;
    auto s = impl.db.prepare(
        "SELECT p.name, st.name, a.title, a.description, u.first_name || ' ' || u.last_name, "
        "u.email, a.context, "
        "a.due_date, a.priority, a.progress, i.name, a.impact, "
        "(SELECT COUNT(*) FROM photos ph WHERE ph.action_id = a.id), "
        "(SELECT COUNT(*) FROM comments c WHERE c.action_id = a.id), a.created_at, a.updated_at, "
        "a.done_at, a.id, p.id "
        "FROM actions a JOIN projects p ON p.id = a.project_id JOIN steps st ON st.id = a.step_id "
        "LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN indicators i ON i.id = a.indicator_id "
        "WHERE p.group_id = ? ORDER BY p.name, st.position, a.position");
    s.bind(1, group);
    while (s.step()) {
        Row r;
        r.project = s.text(0), r.step = s.text(1), r.title = s.text(2), r.description = s.text(3);
        r.owner = s.opt_text(4).value_or(""), r.email = s.opt_text(5).value_or(""),
        r.context = s.text(6);
        r.due = s.opt_text(7).value_or("");
        r.priority = static_cast<double>(s.int64(8)), r.progress = static_cast<double>(s.int64(9));
        r.indicator = s.opt_text(10).value_or(""), r.impact = s.opt_real(11);
        r.photos = static_cast<double>(s.int64(12)), r.comments = static_cast<double>(s.int64(13));
        r.created = s.int64(14), r.updated = s.int64(15), r.done = s.opt_int64(16);
        r.id = s.text(17), r.project_id = s.text(18);
        r.overdue = !r.due.empty() && !r.done && r.due < "2026-03-02";
        rows.push_back(std::move(r));
    }
    return rows;
}

void raw_write(const std::vector<Row>& rows, const fs::path& out) {
    lxw_workbook_options o{};
    o.constant_memory = LXW_TRUE;
    o.use_zip64 = LXW_TRUE;
    lxw_workbook* wb = workbook_new_opt(out.c_str(), &o);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format* time = workbook_add_format(wb);
    format_set_num_format(time, "yyyy-mm-dd hh:mm:ss");
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Actions");
    const char* headers[] = {"Project",       "Step",         "Title",     "Description",
                             "Owner",         "Owner e-mail", "Context",   "Due date",
                             "Priority",      "Progress (%)", "Overdue",   "Indicator",
                             "Impact",        "Photos",       "Comments",  "Created (UTC)",
                             "Updated (UTC)", "Done (UTC)",   "Action ID", "Project ID"};
    for (lxw_col_t c = 0; c < 20; ++c) {
        worksheet_set_column(ws, c, c, 20, nullptr);
        worksheet_write_string(ws, 0, c, headers[c], bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 0;
    const auto str = [&](lxw_col_t c, const std::string& v) {
        if (!v.empty()) worksheet_write_string(ws, r, c, v.c_str(), nullptr);
    };
    for (const Row& row : rows) {
        ++r;
        str(0, row.project), str(1, row.step), str(2, row.title), str(3, row.description),
            str(4, row.owner);
        str(5, row.email), str(6, row.context);
        if (!row.due.empty()) {
            lxw_datetime dt{std::stoi(row.due.substr(0, 4)),
                            std::stoi(row.due.substr(5, 2)),
                            std::stoi(row.due.substr(8, 2)),
                            0,
                            0,
                            0.0};
            worksheet_write_datetime(ws, r, 7, &dt, date);
        }
        worksheet_write_number(ws, r, 8, row.priority, nullptr);
        worksheet_write_number(ws, r, 9, row.progress, nullptr);
        worksheet_write_boolean(ws, r, 10, row.overdue, nullptr);
        str(11, row.indicator);
        if (row.impact) worksheet_write_number(ws, r, 12, *row.impact, nullptr);
        worksheet_write_number(ws, r, 13, row.photos, nullptr);
        worksheet_write_number(ws, r, 14, row.comments, nullptr);
        worksheet_write_number(ws, r, 15, exports::excel_serial(row.created), time);
        worksheet_write_number(ws, r, 16, exports::excel_serial(row.updated), time);
        if (row.done) worksheet_write_number(ws, r, 17, exports::excel_serial(*row.done), time);
        str(18, row.id), str(19, row.project_id);
    }
    worksheet_autofilter(ws, 0, 0, r, 19);
    if (workbook_close(wb) != LXW_NO_ERROR) throw Error(Errc::io, "raw libxlsxwriter failed");
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--actions")
            a.actions = std::stol(argv[i + 1]);
        else if (k == "--runs")
            a.runs = std::max(1, std::stoi(argv[i + 1]));
        else if (k == "--dir")
            a.dir = argv[i + 1];
        else if (k == "--mode")
            a.mode = argv[i + 1];
        else if (k == "--layout")
            a.layout = argv[i + 1];
    }
    try {
        // The folder may not exist yet (e.g. --dir /tmp/ldbench on a fresh machine): SQLite would
        // fail with "unable to open database file".
        fs::create_directories(a.dir);
        const fs::path db = a.dir / ("bench-" + std::to_string(a.actions) + "-" + a.layout + ".db");
        const fs::path out_ld = a.dir / "bench-leandesk.xlsx", out_raw = a.dir / "bench-raw.xlsx";
        if (a.mode == "seed" || (a.mode == "all" && !fs::exists(db))) {
            const auto t0 = std::chrono::steady_clock::now();
            seed(db, a.actions, a.layout == "clustered");
            std::printf("seeded %ld actions in %.1f s (not measured)\n", a.actions,
                        seconds_since(t0));
            if (a.mode == "seed") return 0;
        }
        auto e = open(db);
        const Json ids = ids_of(*e);
        const std::string group = ids["group"];
        const Actor manager = Actor::user(ids["manager"]);
        if (a.mode == "leandesk") {
            const auto t0 = std::chrono::steady_clock::now();
            exports::export_group_xlsx(*e, manager, group, out_ld.string());
            std::printf(
                "leandesk export of %ld actions: %.3f s, peak RSS %ld KiB, file %ju bytes\n",
                a.actions, seconds_since(t0), peak_rss_kib(),
                static_cast<std::uintmax_t>(fs::file_size(out_ld)));
            return 0;
        }
        const std::vector<Row> rows = read_rows(*e, group);
        if (a.mode == "raw") {
            const auto t0 = std::chrono::steady_clock::now();
            raw_write(rows, out_raw);
            std::printf(
                "raw libxlsxwriter, %zu rows from memory: %.3f s, peak RSS %ld KiB (rows held in "
                "memory)\n",
                rows.size(), seconds_since(t0), peak_rss_kib());
            return 0;
        }
        std::vector<double> raw, ld, raw_cpu, ld_cpu;
        for (int run = 0; run < a.runs; ++run) {  // alternated, so both see the same machine load
            auto t0 = std::chrono::steady_clock::now();
            double c0 = cpu_seconds();
            raw_write(rows, out_raw);
            raw.push_back(seconds_since(t0));
            raw_cpu.push_back(cpu_seconds() - c0);
            t0 = std::chrono::steady_clock::now();
            c0 = cpu_seconds();
            exports::export_group_xlsx(*e, manager, group, out_ld.string());
            ld.push_back(seconds_since(t0));
            ld_cpu.push_back(cpu_seconds() - c0);
        }
        const auto list = [](const std::vector<double>& v) {
            std::string s;
            for (double x : v) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%s%.3f", s.empty() ? "" : " ", x);
                s += buf;
            }
            return s;
        };
        std::printf("actions: %zu, runs: %d\n", rows.size(), a.runs);
        std::printf(
            "raw libxlsxwriter (Actions sheet from memory): wall median %.3f s [%s], cpu median "
            "%.3f s [%s]\n",
            median(raw), list(raw).c_str(), median(raw_cpu), list(raw_cpu).c_str());
        std::printf(
            "leandesk export (all sheets, from SQLite):    wall median %.3f s [%s], cpu median "
            "%.3f s [%s]\n",
            median(ld), list(ld).c_str(), median(ld_cpu), list(ld_cpu).c_str());
        std::printf("ratio leandesk / raw: wall %.2f, cpu %.2f\n", median(ld) / median(raw),
                    median(ld_cpu) / median(raw_cpu));
        std::printf("file sizes: leandesk %ju bytes, raw %ju bytes\n",
                    static_cast<std::uintmax_t>(fs::file_size(out_ld)),
                    static_cast<std::uintmax_t>(fs::file_size(out_raw)));
        return 0;
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "export_bench: %s\n", ex.what());
        return 1;
    }
}
