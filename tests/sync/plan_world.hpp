// A shared starting point: Ann manages a group with Bob as member; Ann's project has Bob as
// participant and one action; Cat has an account but no group with them. Every device synced.
#pragma once

#include "sync_harness.hpp"

namespace leandesk::synctest {

class PlanWorld : public SyncWorld {
  protected:
    void SetUp() override {
        SyncWorld::SetUp();
        account("ann@example.com", "Ann", "Archer");
        account("bob@example.com", "Bob", "Baker");
        account("cat@example.com", "Cat", "Cooper");
        ann = device("ann@example.com", 11);
        bob = device("bob@example.com", 12);
        cat = device("cat@example.com", 13);
        group = ann->e().create_group(ann->me, {{"name", "Plant 1"}}).id;
        ann->e().add_member(ann->me, group, "bob@example.com");
        project =
            ann->e().create_project(ann->me, {{"group_id", group}, {"name", "Less scrap"}}).id;
        ann->sync();  // Bob's server id is now on Ann's replica
        ann->e().add_participant(ann->me, project, bob->me.user_id);
        action =
            ann->e().create_action(ann->me, {{"project_id", project}, {"title", "Measure"}}).id;
        sync_all();
    }
    void sync_all() {
        ann->sync();
        bob->sync();
        cat->sync();
    }
    void tick(Millis ms = 1000) { *now += ms; }

    std::unique_ptr<Device> ann, bob, cat;
    Id group, project, action;
};

}  // namespace leandesk::synctest
