// LeanDesk engine benchmark: the engine against raw SQLite on the same schema, in the same run.
//
//   (a) insert: N actions into one project, 1,000 per transaction, into three databases made
//       identically by the engine (same tables, indexes, pragmas, users, group, project):
//         raw     - a plain sqlite3 connection, one prepared 17-column INSERT, BEGIN IMMEDIATE /
//                   COMMIT around every 1,000 rows, exactly the rows the engine will write;
//         raw+sql - the same, plus every other SQL statement the engine runs: per command the
//                   change-log row; once per transaction the facts a batch of plan commands
//                   remembers (account, project, group role, participants, step, next position);
//                   no savepoint per command. The floor of the engine's current design,
//                   separating SQL work from C++ cost;
//         engine  - Engine::batch() around 1,000 Engine::create_action() calls.
//       The three are written side by side, one transaction each in rotating order, so that all
//       see the same machine load; afterwards their action rows are checked to be identical.
//   (b) list: one project of N/10 actions - Engine::project_actions() against a raw prepared
//       SELECT of the same columns, rows and order, read into the same Action structs.
//   (c) get: one action - Engine::get_action() against a raw SELECT of the row by id (and against
//       the engine's own statements run raw).
// Each figure is measured as wall-clock time and as this thread's CPU time; ratios are paired
// per repetition, then the median over repetitions is reported.
//
// Usage: leandesk_bench [--scale S] [--reps R] [--dir DIR] [--json FILE] [--only insert,list,get]
//   --scale (or env LEANDESK_BENCH_SCALE) multiplies the sizes: 1 = 100,000 inserts and a
//   10,000-action list; the ctest smoke runs 0.01. Prints a table and one line "JSON: {...}".
// This is a benchmark, not a test: it asserts nothing about time (it fails only when the engine
// and raw SQLite did not produce the same rows).
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.hpp"
#include "store/sqlite.hpp"

namespace {

using leandesk::Action;
using leandesk::Actor;
using leandesk::Engine;
using leandesk::EngineOptions;
using leandesk::Id;
using leandesk::Json;
using leandesk::Millis;
using leandesk::Step;
using leandesk::StepKind;
using Clock = std::chrono::steady_clock;

/// 2026-03-02T09:00:00Z: the engines' clock stands still, so every run writes the same rows.
constexpr Millis kNow = 1772442000000;
constexpr std::uint64_t kSeed = 42;
constexpr std::size_t kRowsPerTxn = 1000;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

[[noreturn]] void die(const std::string& what) {
    throw std::runtime_error(what);
}

// ---- raw sqlite3 helpers
// --------------------------------------------------------------------------

/// A plain connection for the raw side. It is opened by the engine's own store::Database, so it
/// has exactly the engine's connection settings (foreign keys, WAL, secure_delete, synchronous,
/// busy timeout, and whatever is added there later); everything after opening is plain sqlite3.
struct RawDb {
    leandesk::store::Database conn;
    sqlite3* db;
    explicit RawDb(const std::string& path) : conn(path), db(conn.handle()) {}
    void exec(const char* sql) const {
        char* err = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err != nullptr ? err : "?";
            sqlite3_free(err);
            die(std::string("exec: ") + msg);
        }
    }
};

/// A statement prepared once and reused, as an app using SQLite well would.
struct RawStmt {
    sqlite3* db;
    sqlite3_stmt* s = nullptr;
    RawStmt(const RawDb& raw, const char* sql) : db(raw.db) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
            die(std::string("prepare: ") + sqlite3_errmsg(db) + " in " + sql);
        }
    }
    ~RawStmt() { sqlite3_finalize(s); }
    RawStmt(const RawStmt&) = delete;
    RawStmt& operator=(const RawStmt&) = delete;

    void text(int i, const std::string& v) const {
        sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    void text(int i, const std::optional<std::string>& v) const {
        if (v) {
            text(i, *v);
        } else {
            sqlite3_bind_null(s, i);
        }
    }
    void int64(int i, std::int64_t v) const { sqlite3_bind_int64(s, i, v); }
    void int64(int i, const std::optional<std::int64_t>& v) const {
        if (v) {
            int64(i, *v);
        } else {
            sqlite3_bind_null(s, i);
        }
    }
    bool step() const {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) die(std::string("step: ") + sqlite3_errmsg(db));
        return false;
    }
    void run() const {
        while (step()) {
        }
        sqlite3_reset(s);
    }
    void reset() const { sqlite3_reset(s); }

    [[nodiscard]] bool null(int c) const { return sqlite3_column_type(s, c) == SQLITE_NULL; }
    [[nodiscard]] std::string col_text(int c) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
        return p == nullptr ? std::string()
                            : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
    }
    [[nodiscard]] std::optional<std::string> col_opt_text(int c) const {
        if (null(c)) return std::nullopt;
        return col_text(c);
    }
    [[nodiscard]] std::int64_t col_int(int c) const { return sqlite3_column_int64(s, c); }
    [[nodiscard]] std::optional<std::int64_t> col_opt_int(int c) const {
        if (null(c)) return std::nullopt;
        return col_int(c);
    }
    [[nodiscard]] double col_real(int c) const { return sqlite3_column_double(s, c); }
    [[nodiscard]] std::optional<double> col_opt_real(int c) const {
        if (null(c)) return std::nullopt;
        return col_real(c);
    }
};

// The engine's SQL, verbatim (src/engine/engine_core.cpp, engine_actions.cpp, engine_queries.cpp).
constexpr const char* kActionColumns =
    "a.id, a.project_id, a.title, a.description, a.step_id, a.owner_id, a.context, a.due_date, "
    "a.priority, a.progress, a.indicator_id, a.impact, a.position, a.created_by, a.created_at, "
    "a.updated_at, a.done_at";
constexpr const char* kInsertAction =
    "INSERT INTO actions (id, project_id, title, description, step_id, owner_id, context, "
    "due_date, "
    "priority, progress, indicator_id, impact, position, created_by, created_at, updated_at, "
    "done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string kListSql = std::string("SELECT ") + kActionColumns +
                             " FROM actions a JOIN steps st ON st.id = a.step_id WHERE "
                             "a.project_id = ? ORDER BY st.position, a.position";
const std::string kGetSql =
    std::string("SELECT ") + kActionColumns + " FROM actions a WHERE a.id = ?";
constexpr const char* kAccountSql =
    "SELECT activated_at IS NOT NULL, deactivated FROM users WHERE id = ?";
constexpr const char* kProjectSql =
    "SELECT p.id, p.group_id, p.name, p.description, p.future_state, p.owner_id, p.start_date, "
    "p.target_date, p.status, p.created_at FROM projects p WHERE p.id = ?";
constexpr const char* kGroupRoleSql =
    "SELECT g.manager_id = ?1, EXISTS (SELECT 1 FROM members m WHERE m.group_id = g.id AND "
    "m.user_id = ?1) FROM groups g WHERE g.id = ?2";
constexpr const char* kParticipantSql =
    "SELECT 1 FROM participants WHERE project_id = ? AND user_id = ?";
constexpr const char* kStepSql =
    "SELECT id, group_id, name, position, kind FROM steps WHERE id = ?";
constexpr const char* kNextPositionSql =
    "SELECT MAX(position) FROM actions WHERE project_id = ? AND step_id = ?";
constexpr const char* kInsertChange =
    "INSERT INTO changes (entity, entity_id, op, fields, at, actor, group_id, project_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kInsertFields =
    R"(["title","description","step_id","owner_id","context","due_date","priority","progress",)"
    R"("indicator_id","impact","position","done_at"])";
constexpr const char* kPhotosSql =
    "SELECT id, action_id, blob, mime, size, caption, taken_at, added_by, created_at FROM photos "
    "WHERE action_id = ? ORDER BY created_at, id";
constexpr const char* kCommentsSql =
    "SELECT id, action_id, author_id, body, created_at FROM comments WHERE action_id = ? "
    "ORDER BY created_at, id";

Action read_raw_action(const RawStmt& s) {
    Action a;
    a.id = s.col_text(0);
    a.project_id = s.col_text(1);
    a.title = s.col_text(2);
    a.description = s.col_text(3);
    a.step_id = s.col_text(4);
    a.owner_id = s.col_opt_text(5);
    a.context = s.col_text(6);
    a.due_date = s.col_opt_text(7);
    a.priority = s.col_int(8);
    a.progress = s.col_int(9);
    a.indicator_id = s.col_opt_text(10);
    a.impact = s.col_opt_real(11);
    a.position = s.col_real(12);
    a.created_by = s.col_opt_text(13);
    a.created_at = s.col_int(14);
    a.updated_at = s.col_int(15);
    a.done_at = s.col_opt_int(16);
    return a;
}

bool same_action(const Action& x, const Action& y) {
    return x.id == y.id && x.project_id == y.project_id && x.title == y.title &&
           x.description == y.description && x.step_id == y.step_id && x.owner_id == y.owner_id &&
           x.context == y.context && x.due_date == y.due_date && x.priority == y.priority &&
           x.progress == y.progress && x.indicator_id == y.indicator_id && x.impact == y.impact &&
           x.position == y.position && x.created_by == y.created_by &&
           x.created_at == y.created_at && x.updated_at == y.updated_at && x.done_at == y.done_at;
}

/// A digest of every column of every action row, to show two databases hold the same rows.
std::uint64_t actions_digest(const std::string& path) {
    RawDb raw(path);
    RawStmt s(raw, "SELECT * FROM actions ORDER BY id");
    std::uint64_t h = 1469598103934665603ULL;
    std::uint64_t rows = 0;
    while (s.step()) {
        ++rows;
        for (int c = 0; c < sqlite3_column_count(s.s); ++c) {
            const auto* p = sqlite3_column_text(s.s, c);
            const std::string v = p == nullptr ? "\x01NULL" : reinterpret_cast<const char*>(p);
            for (const char ch : v + "|")
                h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
        }
    }
    return h ^ rows;
}

// ---- the data
// ---------------------------------------------------------------------------------------

/// splitmix64 → lower-case UUID v4, deterministic.
std::string make_uuid(std::uint64_t& state) {
    auto next = [&state] {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    unsigned char b[16];
    const std::uint64_t hi = next();
    const std::uint64_t lo = next();
    for (int i = 0; i < 8; ++i) {
        b[i] = static_cast<unsigned char>(hi >> (8 * i));
        b[8 + i] = static_cast<unsigned char>(lo >> (8 * i));
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0FU) | 0x40U);
    b[8] = static_cast<unsigned char>((b[8] & 0x3FU) | 0x80U);
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
}

/// A manager (Ann) and a member (Bob), a group with its four default steps, one project in which
/// both take part. Made through the engine with a fixed clock and seed, so every database made
/// this way has the same ids.
struct World {
    Id ann, bob, group_id, project_id;
    std::vector<Step> steps;
};

EngineOptions engine_options(const std::string& path) {
    EngineOptions o;
    o.path = path;
    o.clock = leandesk::manual_clock(std::make_shared<Millis>(kNow));
    o.random = leandesk::seeded_random(kSeed);
    return o;
}

World make_world(const std::string& path) {
    Engine e(engine_options(path));
    World w;
    w.ann = e.create_user({{"email", "ann@example.com"},
                           {"first_name", "Ann"},
                           {"last_name", "Archer"},
                           {"activated", true}})
                .id;
    w.bob = e.create_user({{"email", "bob@example.com"},
                           {"first_name", "Bob"},
                           {"last_name", "Baker"},
                           {"activated", true}})
                .id;
    const Actor ann = Actor::user(w.ann);
    w.group_id = e.create_group(ann, {{"name", "Plant 2"}}).id;
    e.add_member(ann, w.group_id, "bob@example.com");
    w.project_id =
        e.create_project(ann, {{"group_id", w.group_id}, {"name", "Line 3 changeover"}}).id;
    e.add_participant(ann, w.project_id, w.bob);
    w.steps = e.group_steps(ann, w.group_id);
    return w;  // the engine closes here; each benchmark opens its own connection afresh
}

/// One action as both sides write it.
struct Row {
    Id id;
    std::string title;
    std::string description;
    Id step_id;
    std::optional<Id> owner_id;
    std::string context;
    std::optional<std::string> due_date;
    std::int64_t priority = 0;
    std::int64_t progress = 0;
    double position = 0;
    std::optional<Millis> done_at;
};

/// A plausible plan: spread over the four steps, two in three owned, most with a due date, half
/// with a description. Positions and done_at are what the engine derives (next in step; done
/// when created in the done step).
std::vector<Row> make_rows(const World& w, std::size_t n, std::uint64_t seed) {
    std::vector<Row> rows;
    rows.reserve(n);
    std::vector<double> next_pos(w.steps.size(), 0.0);
    std::uint64_t state = seed;
    for (std::size_t i = 0; i < n; ++i) {
        Row r;
        r.id = make_uuid(state);
        r.title = "Cut changeover time on line 3, item " + std::to_string(i);
        if (i % 2 == 0) {
            r.description =
                "Film the current changeover, list the steps that can be done while the line "
                "runs, and move them out of the stop.";
        }
        const std::size_t k = i % w.steps.size();
        r.step_id = w.steps[k].id;
        r.position = next_pos[k]++;
        if (w.steps[k].kind == StepKind::done) r.done_at = kNow;
        if (i % 3 == 1) r.owner_id = w.ann;
        if (i % 3 == 2) r.owner_id = w.bob;
        if (i % 4 == 0) r.context = "@shopfloor";
        if (i % 5 != 0) {
            char d[11];
            std::snprintf(d, sizeof d, "2026-%02zu-%02zu", 1 + i % 12, 1 + i % 28);
            r.due_date = d;
        }
        r.priority = static_cast<std::int64_t>(i % 4);
        r.progress = static_cast<std::int64_t>((i * 7) % 101);
        rows.push_back(std::move(r));
    }
    return rows;
}

Json to_input(const World& w, const Row& r) {
    Json j = {{"id", r.id},           {"project_id", w.project_id}, {"title", r.title},
              {"step_id", r.step_id}, {"priority", r.priority},     {"progress", r.progress}};
    if (!r.description.empty()) j["description"] = r.description;
    if (r.owner_id) j["owner_id"] = *r.owner_id;
    if (!r.context.empty()) j["context"] = r.context;
    if (r.due_date) j["due_date"] = *r.due_date;
    return j;
}

// ---- measuring
// ------------------------------------------------------------------------------------

/// Wall-clock time and this thread's CPU time (user + system) of one measured stretch. On a
/// shared, loaded machine the CPU time is the steadier of the two; both are reported.
struct Sample {
    double wall = 0;  // ms
    double cpu = 0;   // ms
    Sample& operator+=(const Sample& o) {
        wall += o.wall;
        cpu += o.cpu;
        return *this;
    }
};

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <typename Fn>
Sample measure(Fn&& fn) {
    const auto w0 = Clock::now();
    const double c0 = cpu_ms();
    fn();
    const double c1 = cpu_ms();
    return {ms_since(w0), c1 - c0};
}

// ---- (a) insert
// -----------------------------------------------------------------------------------

void bind_action(const RawStmt& ins, const World& w, const Row& r) {
    ins.text(1, r.id);
    ins.text(2, w.project_id);
    ins.text(3, r.title);
    ins.text(4, r.description);
    ins.text(5, r.step_id);
    ins.text(6, r.owner_id);
    ins.text(7, r.context);
    ins.text(8, r.due_date);
    ins.int64(9, r.priority);
    ins.int64(10, r.progress);
    sqlite3_bind_null(ins.s, 11);
    sqlite3_bind_null(ins.s, 12);
    sqlite3_bind_double(ins.s, 13, r.position);
    ins.text(14, w.ann);
    ins.int64(15, kNow);
    ins.int64(16, kNow);
    ins.int64(17, r.done_at);
}

/// One way of writing the rows, one transaction of rows at a time.
class Inserter {
  public:
    virtual ~Inserter() = default;
    /// Untimed work before a transaction (the engine's callers build their input Json here).
    virtual void prepare(const Row* /*begin*/, const Row* /*end*/) {}
    virtual void transaction(const Row* begin, const Row* end) = 0;
};

/// The baseline: one prepared INSERT, 1,000 rows per BEGIN IMMEDIATE ... COMMIT.
class RawInserter final : public Inserter {
  public:
    RawInserter(const std::string& path, const World& w)
        : w_(w),
          raw_(path),
          begin_(raw_, "BEGIN IMMEDIATE"),
          commit_(raw_, "COMMIT"),
          ins_(raw_, kInsertAction) {}
    void transaction(const Row* begin, const Row* end) override {
        begin_.run();
        for (const Row* r = begin; r != end; ++r) {
            bind_action(ins_, w_, *r);
            ins_.run();
        }
        commit_.run();
    }

  private:
    const World& w_;
    RawDb raw_;
    RawStmt begin_, commit_, ins_;
};

/// The engine's statements, each run through its own never-inlined function so that a profiler
/// (valgrind --tool=callgrind) shows what each one costs.
enum class Sql {
    account,
    load_project,
    group_role,
    actor_participant,
    owner_participant,
    load_step,
    next_position,
    insert_action,
    insert_change
};
template <Sql>
[[gnu::noinline]] void run_stmt(const RawStmt& s) {
    s.run();
}

/// Raw SQLite running every statement the engine runs for a batch of create_action (as of this
/// writing): the facts once per transaction (the engine remembers them for the batch), then the
/// two INSERTs per command. The floor of the current design with no C++ around it.
class RawEngineSqlInserter final : public Inserter {
  public:
    RawEngineSqlInserter(const std::string& path, const World& w)
        : w_(w),
          raw_(path),
          begin_(raw_, "BEGIN IMMEDIATE"),
          commit_(raw_, "COMMIT"),
          account_(raw_, kAccountSql),
          project_(raw_, kProjectSql),
          group_role_(raw_, kGroupRoleSql),
          participant_(raw_, kParticipantSql),
          step_(raw_, kStepSql),
          next_position_(raw_, kNextPositionSql),
          ins_(raw_, kInsertAction),
          change_(raw_, kInsertChange) {}
    void transaction(const Row* begin, const Row* end) override {
        begin_.run();
        std::set<std::string> owners_known, steps_known;
        facts();
        for (const Row* r = begin; r != end; ++r) {
            if (steps_known.insert(r->step_id).second) step_facts(*r);
            if (r->owner_id && owners_known.insert(*r->owner_id).second) {
                participant_.text(1, w_.project_id);
                participant_.text(2, *r->owner_id);
                run_stmt<Sql::owner_participant>(participant_);
            }
            bind_action(ins_, w_, *r);
            run_stmt<Sql::insert_action>(ins_);
            sqlite3_bind_text(change_.s, 1, "action", -1, SQLITE_STATIC);
            change_.text(2, r->id);
            sqlite3_bind_text(change_.s, 3, "insert", -1, SQLITE_STATIC);
            sqlite3_bind_text(change_.s, 4, kInsertFields, -1, SQLITE_STATIC);
            change_.int64(5, kNow);
            change_.text(6, w_.ann);
            change_.text(7, w_.group_id);
            change_.text(8, w_.project_id);
            run_stmt<Sql::insert_change>(change_);
        }
        commit_.run();
    }

  private:
    /// What the first command of a transaction looks up and the batch then remembers.
    void facts() {
        account_.text(1, w_.ann);
        run_stmt<Sql::account>(account_);
        project_.text(1, w_.project_id);
        run_stmt<Sql::load_project>(project_);
        group_role_.text(1, w_.ann);
        group_role_.text(2, w_.group_id);
        run_stmt<Sql::group_role>(group_role_);
        participant_.text(1, w_.project_id);
        participant_.text(2, w_.ann);
        run_stmt<Sql::actor_participant>(participant_);
    }
    /// The first time a transaction uses a step: the step row and the next position in it.
    void step_facts(const Row& r) {
        step_.text(1, r.step_id);
        run_stmt<Sql::load_step>(step_);
        next_position_.text(1, w_.project_id);
        next_position_.text(2, r.step_id);
        run_stmt<Sql::next_position>(next_position_);
    }

    const World& w_;
    RawDb raw_;
    RawStmt begin_, commit_, account_, project_, group_role_, participant_, step_, next_position_,
        ins_, change_;
};

/// The engine: batch() around 1,000 create_action() calls.
class EngineInserter final : public Inserter {
  public:
    EngineInserter(const std::string& path, const World& w)
        : w_(w), engine_(engine_options(path)), ann_(Actor::user(w.ann)) {}
    void prepare(const Row* begin, const Row* end) override {
        inputs_.clear();
        for (const Row* r = begin; r != end; ++r) inputs_.push_back(to_input(w_, *r));
    }
    void transaction(const Row* /*begin*/, const Row* /*end*/) override {
        engine_.batch([&] {
            for (const Json& in : inputs_) engine_.create_action(ann_, in);
        });
    }

  private:
    const World& w_;
    Engine engine_;
    Actor ann_;
    std::vector<Json> inputs_;
};

// ---- (b) list and (c) get
// --------------------------------------------------------------------------

std::vector<Action> list_raw(const RawStmt& s, const Id& project_id) {
    std::vector<Action> out;
    s.text(1, project_id);
    while (s.step()) out.push_back(read_raw_action(s));
    s.reset();
    return out;
}

Action get_raw(const RawStmt& s, const Id& action_id) {
    s.text(1, action_id);
    if (!s.step()) die("get_raw: no such action");
    Action a = read_raw_action(s);
    s.reset();
    return a;
}

/// The statements Engine::get_action runs, raw: the action, the project, the actor's group role
/// and participation (R7/R8), photos and comments.
struct RawGetEngineSql {
    RawStmt action, project, group_role, participant, photos, comments;
    explicit RawGetEngineSql(const RawDb& raw)
        : action(raw, kGetSql.c_str()),
          project(raw, kProjectSql),
          group_role(raw, kGroupRoleSql),
          participant(raw, kParticipantSql),
          photos(raw, kPhotosSql),
          comments(raw, kCommentsSql) {}
    Action run(const World& w, const Id& action_id) const {
        Action a = get_raw(action, action_id);
        project.text(1, a.project_id);
        project.run();
        group_role.text(1, w.ann);
        group_role.text(2, w.group_id);
        group_role.run();
        participant.text(1, a.project_id);
        participant.text(2, w.ann);
        participant.run();
        photos.text(1, action_id);
        photos.run();
        comments.text(1, action_id);
        comments.run();
        return a;
    }
};

// ---- reporting
// -------------------------------------------------------------------------------------

struct Series {
    std::string bench;         // insert | list | get
    std::string variant;       // raw | raw_engine_sql | engine
    std::size_t rows = 0;      // rows per figure: all inserts, the rows of one list, 1 per get
    std::vector<Sample> reps;  // one per repetition: total (insert) or per call (list, get)
    [[nodiscard]] double wall() const {
        std::vector<double> v;
        for (const Sample& s : reps) v.push_back(s.wall);
        return median(v);
    }
    [[nodiscard]] double cpu() const {
        std::vector<double> v;
        for (const Sample& s : reps) v.push_back(s.cpu);
        return median(v);
    }
};

/// Ratios are paired per repetition (the same run, the same moments), then the median is taken.
double ratio(const Series& num, const Series& den, bool cpu) {
    std::vector<double> r;
    for (std::size_t i = 0; i < std::min(num.reps.size(), den.reps.size()); ++i) {
        r.push_back(cpu ? num.reps[i].cpu / den.reps[i].cpu : num.reps[i].wall / den.reps[i].wall);
    }
    return median(r);
}

struct Options {
    double scale = 1.0;
    int reps = 3;
    std::string dir;
    std::string json_path;
    std::string only = "insert,list,get";
};

Options parse(int argc, char** argv) {
    Options o;
    if (const char* env = std::getenv("LEANDESK_BENCH_SCALE")) o.scale = std::atof(env);
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) die("missing value after " + a);
            return argv[++i];
        };
        if (a == "--scale") {
            o.scale = std::atof(value().c_str());
        } else if (a == "--reps") {
            o.reps = std::atoi(value().c_str());
        } else if (a == "--dir") {
            o.dir = value();
        } else if (a == "--json") {
            o.json_path = value();
        } else if (a == "--only") {
            o.only = value();
        } else if (a == "--help" || a == "-h") {
            std::printf(
                "usage: leandesk_bench [--scale S] [--reps R] [--dir DIR] [--json FILE] "
                "[--only insert,list,get]\n"
                "  scale 1 = 100,000 inserts (1,000 per transaction) and a 10,000-action list;\n"
                "  env LEANDESK_BENCH_SCALE sets the scale too. Files go to DIR (default: a\n"
                "  fresh folder under the temp directory, removed at the end).\n");
            std::exit(0);
        } else {
            die("unknown argument " + a);
        }
    }
    if (!(o.scale > 0) || o.reps < 1) die("--scale must be > 0 and --reps >= 1");
    return o;
}

std::string json_num(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}

int run(const Options& o) {
    const auto n_insert =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(100000.0 * o.scale)));
    const auto n_list =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(10000.0 * o.scale)));
    const std::size_t n_get = std::min<std::size_t>(n_list, 2000);
    const bool do_insert = o.only.find("insert") != std::string::npos;
    const bool do_list = o.only.find("list") != std::string::npos;
    const bool do_get = o.only.find("get") != std::string::npos;

    namespace fs = std::filesystem;
    const fs::path dir =
        o.dir.empty() ? fs::temp_directory_path() / ("leandesk-bench-" + std::to_string(::getpid()))
                      : fs::path(o.dir);
    if (o.dir.empty()) fs::remove_all(dir);
    fs::create_directories(dir);
    const auto fresh = [&](const std::string& name) {
        const std::string path = (dir / name).string();
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
        return path;
    };

    std::printf("LeanDesk engine benchmark: SQLite %s, scale %g, %d repetition(s), files in %s\n",
                sqlite3_libversion(), o.scale, o.reps, dir.string().c_str());
    std::fflush(stdout);

    Series ins_raw{"insert", "raw", n_insert, {}};
    Series ins_sql{"insert", "raw_engine_sql", n_insert, {}};
    Series ins_eng{"insert", "engine", n_insert, {}};
    std::vector<double> json_ms;
    Series list_raw_s{"list", "raw", n_list, {}};
    Series list_eng{"list", "engine", n_list, {}};
    Series get_raw_s{"get", "raw", 1, {}};
    Series get_sql{"get", "raw_engine_sql", 1, {}};
    Series get_eng{"get", "engine", 1, {}};
    bool verified = true;

    for (int rep = 0; rep < o.reps; ++rep) {
        const auto r = static_cast<std::size_t>(rep);
        if (do_insert) {
            // Three identical fresh databases written side by side, one transaction at a time in
            // rotating order, so that all three see the same machine load and none is always
            // first or last.
            const std::string p_raw = fresh("insert-raw.db");
            const std::string p_sql = fresh("insert-raw-engine-sql.db");
            const std::string p_eng = fresh("insert-engine.db");
            const World w = make_world(p_raw);
            if (make_world(p_sql).project_id != w.project_id ||
                make_world(p_eng).project_id != w.project_id) {
                die("the three databases were not made identically");
            }
            const std::vector<Row> rows = make_rows(w, n_insert, 1000 + r);
            Sample totals[3];
            double json = 0;
            {
                std::unique_ptr<Inserter> ins[3] = {
                    std::make_unique<RawInserter>(p_raw, w),
                    std::make_unique<RawEngineSqlInserter>(p_sql, w),
                    std::make_unique<EngineInserter>(p_eng, w)};
                std::size_t chunk = 0;
                for (std::size_t at = 0; at < rows.size(); at += kRowsPerTxn, ++chunk) {
                    const Row* b = rows.data() + at;
                    const Row* e = rows.data() + std::min(rows.size(), at + kRowsPerTxn);
                    json += measure([&] { ins[2]->prepare(b, e); }).wall;
                    for (std::size_t k = 0; k < 3; ++k) {
                        const std::size_t v = (chunk + r + k) % 3;
                        totals[v] += measure([&] { ins[v]->transaction(b, e); });
                    }
                }
            }
            ins_raw.reps.push_back(totals[0]);
            ins_sql.reps.push_back(totals[1]);
            ins_eng.reps.push_back(totals[2]);
            json_ms.push_back(json);
            const std::uint64_t d1 = actions_digest(p_raw);
            if (d1 != actions_digest(p_sql) || d1 != actions_digest(p_eng)) {
                std::printf("!! insert: the databases do not hold the same action rows\n");
                verified = false;
            }
            std::printf(
                "rep %d insert %zu (wall/cpu ms): raw %.0f/%.0f, raw+engine SQL %.0f/%.0f, "
                "engine %.0f/%.0f -> %.2fx/%.2fx\n",
                rep + 1, n_insert, totals[0].wall, totals[0].cpu, totals[1].wall, totals[1].cpu,
                totals[2].wall, totals[2].cpu, totals[2].wall / totals[0].wall,
                totals[2].cpu / totals[0].cpu);
            std::fflush(stdout);
        }

        if (do_list || do_get) {
            const std::string p = fresh("list.db");
            const World w = make_world(p);
            const std::vector<Row> rows = make_rows(w, n_list, 7 + r);
            {
                EngineInserter fill(p, w);
                for (std::size_t at = 0; at < rows.size(); at += kRowsPerTxn) {
                    const Row* b = rows.data() + at;
                    const Row* e = rows.data() + std::min(rows.size(), at + kRowsPerTxn);
                    fill.prepare(b, e);
                    fill.transaction(b, e);
                }
            }
            Engine e(engine_options(p));
            e.checkpoint();
            const Actor ann = Actor::user(w.ann);
            RawDb raw(p);
            RawStmt list_stmt(raw, kListSql.c_str());
            RawStmt get_stmt(raw, kGetSql.c_str());
            const RawGetEngineSql get_engine_sql(raw);

            // Same rows, same order, same values.
            const auto a = e.project_actions(ann, w.project_id);
            const auto b = list_raw(list_stmt, w.project_id);
            if (a.size() != n_list || b.size() != n_list ||
                !std::equal(a.begin(), a.end(), b.begin(), same_action)) {
                std::printf("!! list: engine and raw results differ\n");
                verified = false;
            }

            if (do_list) {
                // Calls alternate between the sides; a repetition's figure is the median call.
                const int iters = std::clamp(
                    static_cast<int>(std::lround(2e5 / static_cast<double>(n_list))), 10, 40);
                std::vector<double> ew, ec, rw, rc;
                std::size_t sink = 0;
                for (int i = 0; i < iters; ++i) {
                    const auto one_engine = [&] {
                        const Sample s =
                            measure([&] { sink += e.project_actions(ann, w.project_id).size(); });
                        ew.push_back(s.wall);
                        ec.push_back(s.cpu);
                    };
                    const auto one_raw = [&] {
                        const Sample s =
                            measure([&] { sink += list_raw(list_stmt, w.project_id).size(); });
                        rw.push_back(s.wall);
                        rc.push_back(s.cpu);
                    };
                    if (i % 2 == 0) {
                        one_engine();
                        one_raw();
                    } else {
                        one_raw();
                        one_engine();
                    }
                }
                if (sink != 2 * static_cast<std::size_t>(iters) * n_list) verified = false;
                list_eng.reps.push_back({median(ew), median(ec)});
                list_raw_s.reps.push_back({median(rw), median(rc)});
                std::printf(
                    "rep %d list %zu (wall/cpu ms per call): raw %.3f/%.3f, engine %.3f/%.3f -> "
                    "%.2fx/%.2fx\n",
                    rep + 1, n_list, median(rw), median(rc), median(ew), median(ec),
                    median(ew) / median(rw), median(ec) / median(rc));
            }

            if (do_get) {
                std::vector<Id> ids;
                for (std::size_t i = 0; i < n_get; ++i) ids.push_back(rows[(i * 7919) % n_list].id);
                for (const Id& id : ids) {
                    if (!same_action(e.get_action(ann, id).action, get_raw(get_stmt, id))) {
                        std::printf("!! get: engine and raw results differ\n");
                        verified = false;
                        break;
                    }
                }
                // Blocks of 100 calls, rotating between the three variants.
                Sample t[3];
                constexpr std::size_t kBlock = 100;
                for (std::size_t at = 0, blk = 0; at < ids.size(); at += kBlock, ++blk) {
                    const std::size_t end = std::min(ids.size(), at + kBlock);
                    for (std::size_t k = 0; k < 3; ++k) {
                        const std::size_t v = (blk + k) % 3;
                        t[v] += measure([&] {
                            for (std::size_t i = at; i < end; ++i) {
                                if (v == 0) (void)get_raw(get_stmt, ids[i]);
                                if (v == 1) (void)get_engine_sql.run(w, ids[i]);
                                if (v == 2) (void)e.get_action(ann, ids[i]);
                            }
                        });
                    }
                }
                const auto n = static_cast<double>(n_get);
                get_raw_s.reps.push_back({t[0].wall / n, t[0].cpu / n});
                get_sql.reps.push_back({t[1].wall / n, t[1].cpu / n});
                get_eng.reps.push_back({t[2].wall / n, t[2].cpu / n});
                std::printf(
                    "rep %d get x%zu (wall/cpu us per call): raw %.1f/%.1f, raw+engine SQL "
                    "%.1f/%.1f, engine %.1f/%.1f -> %.2fx/%.2fx\n",
                    rep + 1, n_get, t[0].wall / n * 1e3, t[0].cpu / n * 1e3, t[1].wall / n * 1e3,
                    t[1].cpu / n * 1e3, t[2].wall / n * 1e3, t[2].cpu / n * 1e3,
                    t[2].wall / t[0].wall, t[2].cpu / t[0].cpu);
            }
            std::fflush(stdout);
        }
    }

    struct Line {
        const Series* s;
        const Series* base;
        const char* label;
        const char* target;
    };
    const std::vector<Line> lines = {
        {&ins_raw, nullptr, "raw SQLite prepared INSERT", ""},
        {&ins_sql, &ins_raw, "raw SQLite, engine's statements", "floor of current design"},
        {&ins_eng, &ins_raw, "engine create_action, batch()", "<= 2.5x (aim 1.5x)"},
        {&list_raw_s, nullptr, "raw prepared SELECT", ""},
        {&list_eng, &list_raw_s, "engine project_actions", "<= 2.0x"},
        {&get_raw_s, nullptr, "raw SELECT by id", ""},
        {&get_sql, &get_raw_s, "raw SQLite, engine's statements", "floor of current design"},
        {&get_eng, &get_raw_s, "engine get_action", "none"},
    };

    std::printf("\n%-6s %-32s %10s %10s %9s %9s %8s %8s  %s\n", "bench", "variant", "wall ms",
                "cpu ms", "wall us/r", "cpu us/r", "ratio", "ratio", "target");
    std::printf("%-6s %-32s %10s %10s %9s %9s %8s %8s\n", "", "", "(median)", "(median)", "", "",
                "wall", "cpu");
    for (const Line& l : lines) {
        if (l.s->reps.empty()) continue;
        const auto rows = static_cast<double>(l.s->rows);
        std::string rw = "1.00x", rc = "1.00x";
        if (l.base != nullptr) {
            char b[32];
            std::snprintf(b, sizeof b, "%.2fx", ratio(*l.s, *l.base, false));
            rw = b;
            std::snprintf(b, sizeof b, "%.2fx", ratio(*l.s, *l.base, true));
            rc = b;
        }
        std::printf("%-6s %-32s %10.3f %10.3f %9.3f %9.3f %8s %8s  %s\n", l.s->bench.c_str(),
                    l.label, l.s->wall(), l.s->cpu(), l.s->wall() * 1e3 / rows,
                    l.s->cpu() * 1e3 / rows, rw.c_str(), rc.c_str(), l.target);
    }
    if (!json_ms.empty()) {
        std::printf(
            "(callers of the engine also built the input Json: %.3f us per action, "
            "not counted above)\n",
            median(json_ms) * 1e3 / static_cast<double>(n_insert));
    }
    std::printf(
        "insert: %zu actions, %zu per transaction, totals; list: %zu actions, per call; "
        "get: %zu calls, per call. Ratios: median over repetitions of paired ratios.\n",
        n_insert, kRowsPerTxn, n_list, n_get);
    std::printf("rows verified identical: %s\n", verified ? "yes" : "NO");

    std::ostringstream js;
    js << "{\"bench\":\"leandesk_engine\",\"sqlite\":\"" << sqlite3_libversion()
       << "\",\"scale\":" << json_num(o.scale) << ",\"reps\":" << o.reps
       << ",\"insert_rows\":" << n_insert << ",\"rows_per_txn\":" << kRowsPerTxn
       << ",\"list_rows\":" << n_list << ",\"get_calls\":" << n_get
       << ",\"verified\":" << (verified ? "true" : "false") << ",\"series\":[";
    bool first = true;
    for (const Line& l : lines) {
        if (l.s->reps.empty()) continue;
        const auto rows = static_cast<double>(l.s->rows);
        js << (first ? "" : ",") << "{\"bench\":\"" << l.s->bench << "\",\"variant\":\""
           << l.s->variant << "\",\"wall_ms\":" << json_num(l.s->wall())
           << ",\"cpu_ms\":" << json_num(l.s->cpu())
           << ",\"wall_us_per_row\":" << json_num(l.s->wall() * 1e3 / rows)
           << ",\"cpu_us_per_row\":" << json_num(l.s->cpu() * 1e3 / rows);
        if (l.base != nullptr) {
            js << ",\"ratio_wall\":" << json_num(ratio(*l.s, *l.base, false))
               << ",\"ratio_cpu\":" << json_num(ratio(*l.s, *l.base, true));
        }
        js << ",\"reps_wall_ms\":[";
        for (std::size_t i = 0; i < l.s->reps.size(); ++i) {
            js << (i ? "," : "") << json_num(l.s->reps[i].wall);
        }
        js << "],\"reps_cpu_ms\":[";
        for (std::size_t i = 0; i < l.s->reps.size(); ++i) {
            js << (i ? "," : "") << json_num(l.s->reps[i].cpu);
        }
        js << "]}";
        first = false;
    }
    js << "]";
    const auto headline = [&](const char* name, const Series& num, const Series& den) {
        if (num.reps.empty() || den.reps.empty()) return;
        js << ",\"" << name << "_ratio_wall\":" << json_num(ratio(num, den, false)) << ",\"" << name
           << "_ratio_cpu\":" << json_num(ratio(num, den, true));
    };
    headline("insert", ins_eng, ins_raw);
    headline("list", list_eng, list_raw_s);
    headline("get", get_eng, get_raw_s);
    js << "}";
    std::printf("JSON: %s\n", js.str().c_str());
    if (!o.json_path.empty()) std::ofstream(o.json_path) << js.str() << "\n";

    std::error_code ec;
    if (o.dir.empty()) fs::remove_all(dir, ec);
    return verified ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "leandesk_bench: %s\n", e.what());
        return 2;
    }
}
