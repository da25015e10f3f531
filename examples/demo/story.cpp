#include "story.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calendar.hpp"
#include "common/error.hpp"

namespace demo {
namespace {

using leandesk::Actor;
using leandesk::Id;
using leandesk::Json;

const char* const kGroupName = "Plant 2 — Lean team";
const char* const kLine3Name = "Line 3 changeover (SMED)";
const char* const kWarehouseName = "Warehouse 5S";

/// Prints every change the engine commits while it is alive, the way a client's live view would
/// hear of it, then unregisters itself. Scoped so the feed covers only the scenes about it.
class LiveFeed {
  public:
    LiveFeed(leandesk::Engine& engine, const Console& out, const Directory& names)
        : engine_(engine) {
        id_ = engine_.add_observer([&out, &names, this](const std::vector<leandesk::Change>& cs) {
            for (const auto& c : cs) {
                out.raw("        " +
                        out.paint("↳ live  " + describe_change(c, names), Tone::muted));
                ++heard_;
            }
        });
    }
    ~LiveFeed() { engine_.remove_observer(id_); }
    LiveFeed(const LiveFeed&) = delete;
    LiveFeed& operator=(const LiveFeed&) = delete;

    [[nodiscard]] int heard() const { return heard_; }

  private:
    leandesk::Engine& engine_;
    leandesk::ObserverId id_ = 0;
    int heard_ = 0;
};

/// The change log's length and its last sequence number: what sync will read.
struct LogTally {
    std::size_t count = 0;
    std::int64_t last_seq = 0;
};

LogTally tally_change_log(leandesk::Engine& engine) {
    LogTally t;
    for (;;) {
        const auto page = engine.changes_since(t.last_seq, 1000);
        if (page.empty()) return t;
        t.count += page.size();
        t.last_seq = page.back().seq;
    }
}

std::string kib(std::uintmax_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    return buf;
}

/// Runs a write that the rules must refuse, and returns the refusal. Any other outcome (success,
/// or a failure for another reason) means the engine is broken, so the demo stops there.
template <typename Write>
leandesk::Error expect_refusal(Write&& write) {
    try {
        write();
    } catch (const leandesk::Error& e) {
        if (e.code() == leandesk::Errc::permission_denied) return e;
        throw;
    }
    throw std::runtime_error("a write the rules forbid was accepted");
}

std::string quoted(const std::string& text) {
    return "'" + text + "'";
}

}  // namespace

Story::Story(leandesk::Engine& engine, Console& out, std::string db_path)
    : engine_(engine), out_(out), db_path_(std::move(db_path)), today_(engine.now()) {}

void Story::run() {
    introduce();
    meet_the_people();
    form_the_group();
    show_the_workflow();
    start_the_projects();
    plan_the_line3_project();
    plan_the_warehouse_project();
    move_work_forward();
    refuse_an_outsider();
    review_the_boards();
    show_a_dashboard();
    follow_the_indicator();
    summarize();
}

// ---- scenes -------------------------------------------------------------------------------------

void Story::introduce() {
    out_.raw(out_.paint("LeanDesk — a walk through the core engine", Tone::strong));
    out_.raw(out_.paint("Database " + db_path_ + " (fresh)  ·  today is " +
                            leandesk::iso_date(today_) + " (week " + week_in(today_, 0) + ")",
                        Tone::muted));
}

void Story::meet_the_people() {
    out_.chapter("Three colleagues sign up");
    marie_ = sign_up("Marie", "Curie", "marie.curie@example.com");
    pierre_ = sign_up("Pierre", "Martin", "pierre.martin@example.com");
    sofia_ = sign_up("Sofia", "Ramos", "sofia.ramos@example.com");
}

void Story::form_the_group() {
    out_.chapter("Marie starts a group");
    const auto group = engine_.create_group(Actor::user(marie_), Json{{"name", kGroupName}});
    group_ = group.id;
    out_.say(name(marie_) + " creates the group " + quoted(group.name) +
             " and becomes its manager (R1).");
    for (const Id& person : {pierre_, sofia_}) {
        const auto member = engine_.add_member(Actor::user(marie_), group_, emails_.at(person));
        out_.say("She adds " + member.display_name + " by e-mail (R2).");
    }
    out_.blank();
    out_.say(out_.paint("Members, as the manager sees them (R13):", Tone::muted));
    const auto group_row = engine_.get_group(Actor::user(marie_), group_);
    for (const auto& m : engine_.group_members(Actor::user(marie_), group_)) {
        const std::string role = m.id == group_row.manager_id ? "manager" : "member";
        out_.raw("      " + out_.cell(m.display_name, 16) +
                 out_.cell(m.email.value_or("(hidden)"), 28, Tone::muted) + role);
    }
}

void Story::show_the_workflow() {
    out_.chapter("The group's workflow");
    std::string flow;
    for (const auto& step : engine_.group_steps(Actor::user(marie_), group_)) {
        steps_by_name_[step.name] = step.id;
        names_.steps[step.id] = step.name;
        if (!flow.empty()) flow += "  →  ";
        flow += out_.paint(step.name, Tone::accent) + " (" +
                std::string(leandesk::to_string(step.kind)) + ")";
    }
    out_.say("Every new group gets these default steps; the manager may rename or reorder them.");
    out_.say(flow);
}

void Story::start_the_projects() {
    out_.chapter("Two projects");
    const auto line3 = engine_.create_project(
        Actor::user(pierre_), Json{{"group_id", group_},
                                   {"name", kLine3Name},
                                   {"description", "Cut the changeover time of the Line 3 press"},
                                   {"future_state", "Changeover under 20 min, run by one operator"},
                                   {"start_date", day(-21)},
                                   {"target_date", day(42)}});
    line3_ = line3.id;
    names_.projects[line3_] = line3.name;
    out_.say(name(pierre_) + " starts " + quoted(line3.name) + " and owns it (R5).");
    add_participant(pierre_, line3_, marie_);

    const auto warehouse = engine_.create_project(
        Actor::user(sofia_),
        Json{{"group_id", group_},
             {"name", kWarehouseName},
             {"description", "Sort, set in order and shine the finished-goods warehouse"},
             {"future_state", "Every pallet location labelled; 5S audit above 80%"},
             {"start_date", day(-14)},
             {"target_date", day(28)}});
    warehouse_ = warehouse.id;
    names_.projects[warehouse_] = warehouse.name;
    out_.say(name(sofia_) + " starts " + quoted(warehouse.name) + " and owns it (R5).");
    add_participant(sofia_, warehouse_, pierre_);
}

void Story::plan_the_line3_project() {
    out_.chapter("Planning the actions");
    const auto indicator =
        engine_.create_indicator(Actor::user(pierre_), Json{{"project_id", line3_},
                                                            {"name", "Changeover time"},
                                                            {"unit", "min"},
                                                            {"baseline", 45},
                                                            {"target", 20}});
    changeover_ = indicator.id;
    out_.say(name(pierre_) + " sets the project's indicator: " + quoted(indicator.name) +
             ", from 45 down to 20 min.");
    out_.say("He plans five actions; three of them should take minutes off each changeover:");
    plan(pierre_, line3_, {"Film a full changeover", pierre_, -10, "To do", 2, std::nullopt});
    plan(pierre_, line3_, {"Split internal and external tasks", pierre_, 3, "To do", 3, -12.0},
         changeover_);
    plan(pierre_, line3_, {"Pre-stage tools on a shadow board", pierre_, -2, "To do", 3, -8.0},
         changeover_);
    plan(pierre_, line3_, {"Quote quick-release clamps", pierre_, 20, std::nullopt, 1, -5.0},
         changeover_);
    plan(pierre_, line3_, {"Write the new standard work", marie_, 35, "To do", 2, std::nullopt});
}

void Story::plan_the_warehouse_project() {
    out_.blank();
    out_.say(name(sofia_) + " plans " + quoted(kWarehouseName) + ":");
    plan(sofia_, warehouse_, {"Red-tag unused items", sofia_, -5, "To do", 2, std::nullopt});
    plan(sofia_, warehouse_, {"Label every pallet location", pierre_, 7, "To do", 3, std::nullopt});
    plan(sofia_, warehouse_,
         {"Draft the weekly 5S audit sheet", sofia_, 14, "To do", 1, std::nullopt});
    plan(sofia_, warehouse_,
         {"Repaint the floor markings", std::nullopt, std::nullopt, std::nullopt, 0, std::nullopt});
}

void Story::move_work_forward() {
    out_.chapter("Work moves on");
    out_.say("A phone keeps a live view open: the engine tells it of every committed change.");
    LiveFeed feed(engine_, out_, names_);
    move(pierre_, "Film a full changeover", "Done");
    move(pierre_, "Split internal and external tasks", "In progress");
    move(sofia_, "Red-tag unused items", "Done");
    move(sofia_, "Label every pallet location", "In progress");

    const std::string idea = "Repaint the floor markings";
    out_.say(name(sofia_) + " hands the idea " + quoted(idea) + " to " + name(pierre_) +
             " and launches it.");
    engine_.update_action(Actor::user(sofia_), action_id(idea),
                          Json{{"owner_id", pierre_}, {"due_date", day(12)}});
    engine_.move_action(Actor::user(sofia_), action_id(idea), step_id("To do"));
}

void Story::refuse_an_outsider() {
    out_.chapter("A write the rules refuse");
    out_.say(name(sofia_) + " is in the group, but not a participant of " + quoted(kLine3Name) +
             ".");
    out_.say("She tries to add 'Order a second die cart' to it:");
    LiveFeed feed(engine_, out_, names_);
    const LogTally before = tally_change_log(engine_);
    const auto actions_before = engine_.project_actions(Actor::user(pierre_), line3_).size();

    const leandesk::Error refusal = expect_refusal([&] {
        engine_.create_action(Actor::user(sofia_),
                              Json{{"project_id", line3_}, {"title", "Order a second die cart"}});
    });
    out_.say(out_.paint("Refused", Tone::bad) + " (" +
             std::string(leandesk::errc_name(refusal.code())) + ", code " +
             std::to_string(static_cast<int>(refusal.code())) + "): " + refusal.what());

    // The demo checks the promise instead of just stating it: a refused write changes nothing.
    const LogTally after = tally_change_log(engine_);
    const auto actions_after = engine_.project_actions(Actor::user(pierre_), line3_).size();
    if (after.last_seq != before.last_seq || actions_after != actions_before) {
        throw std::runtime_error("the refused write changed the database");
    }
    if (feed.heard() != 0) throw std::runtime_error("the live view heard of a refused write");
    out_.say(out_.paint("Nothing changed: the project still holds " +
                            std::to_string(actions_after) + " actions, the change log still ends",
                        Tone::muted));
    out_.say(
        out_.paint("at #" + std::to_string(after.last_seq) + ", and the live view stayed silent.",
                   Tone::muted));
}

void Story::review_the_boards() {
    out_.chapter("The boards");
    out_.say("Each project's review screen: its actions under each step of the workflow.");
    for (const Id& project : {line3_, warehouse_}) {
        show_board(out_, engine_.project_review(Actor::user(marie_), project), names_, today_);
    }
}

void Story::show_a_dashboard() {
    out_.chapter(name(pierre_) + "'s dashboard");
    out_.say("His own actions across both projects, late and soon-due first:");
    out_.blank();
    show_dashboard(out_, engine_.dashboard(Actor::user(pierre_)), names_, today_);
}

void Story::follow_the_indicator() {
    out_.chapter("Indicator: changeover time (min)");
    // Weekly measurements taken on the line, from the project's start until this week.
    const std::pair<int, double> measured[] = {{-21, 46}, {-14, 45}, {-7, 42}, {0, 40}};
    for (const auto& [days_from_today, minutes] : measured) {
        engine_.set_indicator_value(Actor::user(pierre_), changeover_,
                                    week_in(today_, days_from_today), minutes);
    }
    out_.say(name(pierre_) + " records a measurement each week. The engine derives the expected");
    out_.say("curve from the actions' impacts and due dates: late actions show up as a gap.");
    out_.blank();
    const auto indicator = engine_.project_indicators(Actor::user(pierre_), line3_).at(0);
    show_curve(out_, indicator, engine_.indicator_curve(Actor::user(pierre_), changeover_),
               week_in(today_, 0));
}

void Story::summarize() {
    out_.chapter("Summary");
    const Actor manager = Actor::user(marie_);
    const auto groups = engine_.my_groups(manager);
    const auto members = engine_.group_members(manager, group_);
    const auto projects = engine_.group_projects(manager, group_);

    // Count actions per step in workflow order, through the manager's right to read all (R7).
    std::vector<std::pair<std::string, int>> per_step;
    int total = 0;
    int overdue = 0;
    for (const auto& project : projects) {
        const auto review = engine_.project_review(manager, project.id);
        for (std::size_t i = 0; i < review.steps.size(); ++i) {
            if (per_step.size() <= i) per_step.emplace_back(review.steps[i].step.name, 0);
            for (const auto& a : review.steps[i].actions) {
                ++per_step[i].second;
                ++total;
                if (a.overdue) ++overdue;
            }
        }
    }
    std::string by_step;
    for (const auto& [step, n] : per_step) {
        by_step += (by_step.empty() ? "" : " · ") + step + " " + std::to_string(n);
    }

    const LogTally log = tally_change_log(engine_);
    engine_.checkpoint();  // fold the WAL into the file, so its size is the database's size
    const auto size = std::filesystem::file_size(db_path_);

    const auto row = [&](const std::string& label, const std::string& value) {
        out_.raw("      " + out_.cell(label, 12, Tone::muted) + value);
    };
    row("Groups", std::to_string(groups.size()) + "  (" + quoted(kGroupName) + ", " +
                      std::to_string(members.size()) + " members)");
    row("Projects", std::to_string(projects.size()));
    row("Actions",
        std::to_string(total) + "  (" + by_step + "; " + std::to_string(overdue) + " overdue)");
    row("Changes", std::to_string(log.count) + " recorded in the change log, ready for sync");
    row("Database", db_path_ + ", " + kib(size));
}

// ---- helpers ------------------------------------------------------------------------------------

Id Story::sign_up(const std::string& first, const std::string& last, const std::string& email) {
    // The real account flow: sign-up (Argon2id-hashed password), the activation mail, activation.
    engine_.sign_up(Json{{"email", email},
                         {"first_name", first},
                         {"last_name", last},
                         {"password", "demo password " + first}});
    const auto* mailbox =
        dynamic_cast<const leandesk::RecordingMailSender*>(engine_.options().mail.get());
    if (mailbox == nullptr || mailbox->sent().empty())
        throw std::runtime_error("no activation mail");
    const leandesk::Mail mail = mailbox->sent().back();
    std::string code;
    std::istringstream lines(mail.text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("    ", 0) == 0) code = line.substr(4);
    }
    if (emails_.empty()) {
        // Show the first mail whole, as the person would read it; the others in one line.
        out_.say(out_.paint("Mail to " + mail.to + ": " + mail.subject, Tone::muted));
        std::istringstream body(mail.text);
        for (std::string line; std::getline(body, line);)
            out_.say(out_.paint("  | " + line, Tone::muted));
    }
    const auto user = engine_.activate_account(code);
    names_.people[user.id] = user.display_name();
    emails_[user.id] = user.email;
    out_.say(out_.cell(user.display_name(), 16) + out_.paint(user.email, Tone::muted));
    return user.id;
}

void Story::plan(const Id& who, const Id& project, const PlannedAction& planned,
                 const std::optional<Id>& indicator) {
    Json input{{"project_id", project}, {"title", planned.title}, {"priority", planned.priority}};
    if (planned.owner) input["owner_id"] = *planned.owner;
    if (planned.due_in_days) input["due_date"] = day(*planned.due_in_days);
    if (planned.step) input["step_id"] = step_id(*planned.step);
    if (indicator && planned.impact) {
        input["indicator_id"] = *indicator;
        input["impact"] = *planned.impact;
    }
    const auto action = engine_.create_action(Actor::user(who), input);
    actions_by_title_[action.title] = action.id;
    names_.actions[action.id] = action.title;

    std::string detail = names_.person(action.owner_id);
    if (action.impact) detail += ", " + std::to_string(static_cast<int>(*action.impact)) + " min";
    out_.raw("      + " + out_.cell(action.title, 36) +
             out_.cell(names_.steps.at(action.step_id), 13, Tone::accent) +
             out_.paint(detail, Tone::muted));
}

void Story::move(const Id& who, const std::string& title, const std::string& step) {
    const auto before = engine_.get_action(Actor::user(who), action_id(title)).action;
    out_.say(name(who) + " moves " + quoted(title) + " from " + names_.steps.at(before.step_id) +
             " to " + step + ".");
    engine_.move_action(Actor::user(who), before.id, step_id(step));
}

void Story::add_participant(const Id& who, const Id& project, const Id& person) {
    engine_.add_participant(Actor::user(who), project, person);
    out_.say(name(who) + " adds " + name(person) + " as a participant (R6).");
}

std::string Story::day(int days_from_today) const {
    return date_in(today_, days_from_today);
}

const Id& Story::action_id(const std::string& title) const {
    return actions_by_title_.at(title);
}

const Id& Story::step_id(const std::string& name) const {
    return steps_by_name_.at(name);
}

std::string Story::name(const Id& person) const {
    return names_.person(person);
}

}  // namespace demo
