// What the C API costs over calling the engine directly (issue 4's figure, docs/performance.md).
//
// Two reads, each measured three ways on one database file, in the same process and run:
//   engine       Engine::get_action() / Engine::project_actions() with the actor known: structs
//   out; engine+json  the same, then the result turned into its JSON text, which is what every C
//   API
//                caller receives (the C API cannot hand out C++ structs);
//   C API        ld_action_get() / ld_project_actions() on a signed-in ld_session: session
//                look-up (token hash, expiry), argument checks, exception guard, JSON text copied
//                into a malloc'd string, freed by the caller with ld_string_free().
// The ratio "C API / engine+json" is the C API's own cost (the issue's "JSON included"); "C API /
// engine" is shown too. The three are run in rotating order within every repetition; ratios are
// paired per repetition and the median is reported (CPU time of this thread, and wall time).
//
// Usage: leandesk_capi_bench [--actions N] [--reps R] [--gets G] [--dir DIR]
//   defaults: a 10,000-action project, 15 repetitions, 2,000 gets per repetition. The ctest smoke
//   run uses tiny sizes. A benchmark, not a test: it asserts nothing about time.
#include <leandesk/leandesk.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/mail.hpp"
#include "engine/engine.hpp"

namespace {

using leandesk::Actor;
using leandesk::Engine;
using leandesk::EngineOptions;
using leandesk::Id;
using leandesk::Json;

constexpr const char* kPassword = "correct horse battery staple";

struct Options {
    int actions = 10000;
    int reps = 15;
    int gets = 2000;
    std::string dir;
};

struct Sample {
    double wall = 0;  // ms
    double cpu = 0;   // ms
};

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <typename Fn>
Sample measure(Fn&& fn) {
    const auto w0 = std::chrono::steady_clock::now();
    const double c0 = cpu_ms();
    fn();
    const double c1 = cpu_ms();
    const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - w0;
    return {wall.count(), c1 - c0};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void check(int rc, const char* what) {
    if (rc != LD_OK) {
        throw std::runtime_error(std::string(what) + ": " + ld_last_error());
    }
}

EngineOptions options_for(const std::string& path) {
    EngineOptions o(path);
    o.password_params = leandesk::auth::PasswordParams::fastest_for_tests();
    return o;
}

struct World {
    Id user_id, project_id, action_id;
};

/// Ann signs up and activates (through the real account flow, so the C API can sign her in), then
/// makes a group, a project and `n` actions in batches of 1,000.
World make_world(const std::string& path, int n) {
    auto mail = std::make_shared<leandesk::RecordingMailSender>();
    EngineOptions o = options_for(path);
    o.mail = mail;
    Engine e(std::move(o));
    World w;
    w.user_id = e.sign_up({{"first_name", "Ann"},
                           {"last_name", "Archer"},
                           {"email", "ann@example.com"},
                           {"password", kPassword}})
                    .id;
    // The activation code is the mail's line indented by four spaces.
    std::string code;
    std::istringstream text(mail->sent().back().text);
    for (std::string line; std::getline(text, line);) {
        if (line.rfind("    ", 0) == 0) code = line.substr(4);
    }
    e.activate_account(code);
    const Actor ann = Actor::user(w.user_id);
    const Id group = e.create_group(ann, {{"name", "Plant 2"}}).id;
    w.project_id = e.create_project(ann, {{"group_id", group}, {"name", "Line 3"}}).id;
    for (int done = 0; done < n;) {
        const int upto = std::min(n, done + 1000);
        e.batch([&] {
            for (int i = done; i < upto; ++i) {
                const auto a = e.create_action(
                    ann, {{"project_id", w.project_id},
                          {"title", "Action " + std::to_string(i)},
                          {"description", "Check the changeover sheet and time each step"},
                          {"due_date", "2026-12-01"},
                          {"priority", 2},
                          {"progress", i % 101}});
                if (i == n / 2) w.action_id = a.id;
            }
        });
        done = upto;
    }
    return w;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--actions") {
            o.actions = std::stoi(value());
        } else if (a == "--reps") {
            o.reps = std::stoi(value());
        } else if (a == "--gets") {
            o.gets = std::stoi(value());
        } else if (a == "--dir") {
            o.dir = value();
        } else {
            throw std::invalid_argument(
                "usage: leandesk_capi_bench [--actions N] [--reps R] "
                "[--gets G] [--dir DIR]");
        }
    }
    if (o.actions < 1 || o.reps < 1 || o.gets < 1) {
        throw std::invalid_argument("--actions, --reps and --gets must be positive");
    }
    return o;
}

struct Series {
    std::vector<Sample> engine, engine_json, capi;
};

void report(const char* name, const Series& s, double per) {
    std::vector<double> r_json_cpu, r_json_wall, r_raw_cpu;
    r_json_cpu.reserve(s.capi.size());
    r_json_wall.reserve(s.capi.size());
    r_raw_cpu.reserve(s.capi.size());
    for (std::size_t i = 0; i < s.capi.size(); ++i) {
        r_json_cpu.push_back(s.capi[i].cpu / s.engine_json[i].cpu);
        r_json_wall.push_back(s.capi[i].wall / s.engine_json[i].wall);
        r_raw_cpu.push_back(s.capi[i].cpu / s.engine[i].cpu);
    }
    const auto med_cpu = [&](const std::vector<Sample>& v) {
        std::vector<double> c;
        c.reserve(v.size());
        for (const auto& x : v) c.push_back(x.cpu / per);
        return median(c);
    };
    std::printf("%-22s engine %9.1f us   engine+json %9.1f us   C API %9.1f us\n", name,
                med_cpu(s.engine) * 1e3, med_cpu(s.engine_json) * 1e3, med_cpu(s.capi) * 1e3);
    std::printf("%-22s C API / engine+json: %.2fx cpu, %.2fx wall    C API / engine: %.2fx cpu\n",
                "", median(r_json_cpu), median(r_json_wall), median(r_raw_cpu));
}

int run(const Options& o) {
    namespace fs = std::filesystem;
    const fs::path dir = o.dir.empty() ? fs::temp_directory_path() /
                                             ("leandesk-capi-bench-" + std::to_string(getpid()))
                                       : fs::path(o.dir);
    fs::create_directories(dir);
    const std::string path = (dir / "capi-bench.db").string();
    fs::remove(path);
    const World w = make_world(path, o.actions);

    Engine engine(options_for(path));
    const Actor ann = Actor::user(w.user_id);
    ld_db* raw_db = nullptr;
    check(ld_db_open(&raw_db, path.c_str(), nullptr), "ld_db_open");
    const std::unique_ptr<ld_db, decltype(&ld_db_close)> db(raw_db, &ld_db_close);
    ld_session* raw_session = nullptr;
    check(ld_session_sign_in(&raw_session, db.get(), "ann@example.com", kPassword), "sign in");
    const std::unique_ptr<ld_session, decltype(&ld_session_free)> session(raw_session,
                                                                          &ld_session_free);

    std::size_t sink = 0;  // keeps the optimizer from dropping results
    const auto get_engine = [&] {
        for (int i = 0; i < o.gets; ++i)
            sink += engine.get_action(ann, w.action_id).comments.size();
    };
    const auto get_engine_json = [&] {
        for (int i = 0; i < o.gets; ++i)
            sink += Json(engine.get_action(ann, w.action_id)).dump().size();
    };
    const auto get_capi = [&] {
        for (int i = 0; i < o.gets; ++i) {
            char* out = nullptr;
            check(ld_action_get(&out, session.get(), w.action_id.c_str()), "ld_action_get");
            sink += std::char_traits<char>::length(out);
            ld_string_free(out);
        }
    };
    const auto list_engine = [&] { sink += engine.project_actions(ann, w.project_id).size(); };
    const auto list_engine_json = [&] {
        sink += Json(engine.project_actions(ann, w.project_id)).dump().size();
    };
    const auto list_capi = [&] {
        char* out = nullptr;
        check(ld_project_actions(&out, session.get(), w.project_id.c_str()), "ld_project_actions");
        sink += std::char_traits<char>::length(out);
        ld_string_free(out);
    };

    // Warm the caches (statement cache, page cache) of both connections.
    get_engine_json();
    get_capi();
    list_engine_json();
    list_capi();

    Series get, list;
    for (int rep = 0; rep < o.reps; ++rep) {
        // Rotate the order so that no side always runs first (or last) on a warm CPU.
        for (int k = 0; k < 3; ++k) {
            switch ((rep + k) % 3) {
                case 0:
                    get.engine.push_back(measure(get_engine));
                    list.engine.push_back(measure(list_engine));
                    break;
                case 1:
                    get.engine_json.push_back(measure(get_engine_json));
                    list.engine_json.push_back(measure(list_engine_json));
                    break;
                default:
                    get.capi.push_back(measure(get_capi));
                    list.capi.push_back(measure(list_capi));
                    break;
            }
        }
    }
    std::printf(
        "LeanDesk C API overhead: %d reps; get = one action (x%d per rep); list = a "
        "%d-action project\n",
        o.reps, o.gets, o.actions);
    report("get one action", get, o.gets);
    report("list project actions", list, 1);
    std::printf("(checksum %zu)\n", sink);
    fs::remove_all(dir);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "leandesk_capi_bench: %s\n", e.what());
        return 1;
    }
}
