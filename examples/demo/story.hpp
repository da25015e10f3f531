// The walkthrough itself: a small lean team's first days in LeanDesk, told through the real engine.
// Each scene is one member function that does what a person would do in the app, then shows what
// the engine answers. Anything the engine refuses unexpectedly escapes as an exception, so a
// broken engine makes the demo fail loudly instead of telling a false story.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "console.hpp"
#include "engine/engine.hpp"
#include "views.hpp"

namespace demo {

class Story {
  public:
    Story(leandesk::Engine& engine, Console& out, std::string db_path);

    /// Plays every scene in order.
    void run();

  private:
    /// An action as a person would plan it: what, who, by when (days from today), where.
    struct PlannedAction {
        std::string title;
        std::optional<leandesk::Id> owner;
        std::optional<int> due_in_days;
        std::optional<std::string> step;  // none: the group's open step, as the engine decides
        std::int64_t priority = 0;
        std::optional<double> impact;  // on the project's indicator, when it has one
    };

    void introduce();
    void meet_the_people();
    void form_the_group();
    void show_the_workflow();
    void start_the_projects();
    void plan_the_line3_project();
    void plan_the_warehouse_project();
    void move_work_forward();
    void refuse_an_outsider();
    void review_the_boards();
    void show_a_dashboard();
    void follow_the_indicator();
    void summarize();

    leandesk::Id sign_up(const std::string& first, const std::string& last,
                         const std::string& email);
    void plan(const leandesk::Id& who, const leandesk::Id& project, const PlannedAction& planned,
              const std::optional<leandesk::Id>& indicator = std::nullopt);
    void move(const leandesk::Id& who, const std::string& title, const std::string& step);
    void add_participant(const leandesk::Id& who, const leandesk::Id& project,
                         const leandesk::Id& person);
    /// The ISO date `days_from_today` away: every date in the story is relative to today.
    [[nodiscard]] std::string day(int days_from_today) const;
    [[nodiscard]] const leandesk::Id& action_id(const std::string& title) const;
    [[nodiscard]] const leandesk::Id& step_id(const std::string& name) const;
    [[nodiscard]] std::string name(const leandesk::Id& person) const;

    leandesk::Engine& engine_;
    Console& out_;
    std::string db_path_;
    leandesk::Millis today_;  // read once, so that every date in the story agrees

    Directory names_;
    std::map<std::string, leandesk::Id> steps_by_name_;
    std::map<std::string, leandesk::Id> actions_by_title_;
    std::map<leandesk::Id, std::string> emails_;  // what each person signed up with

    leandesk::Id marie_, pierre_, sofia_;
    leandesk::Id group_;
    leandesk::Id line3_, warehouse_;
    leandesk::Id changeover_;  // the Line 3 project's indicator
};

}  // namespace demo
