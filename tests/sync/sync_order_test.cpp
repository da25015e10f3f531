// The order of lists through sync (docs/api.md, "Order"): photos and comments made on two devices
// in the same millisecond list in the same order on the server and on every replica, and each
// device's own records in the order it made them.
#include <algorithm>

#include "plan_world.hpp"

namespace leandesk::synctest {
namespace {

class SyncOrder : public PlanWorld {};

std::vector<unsigned char> png(int salt) {
    return {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, static_cast<unsigned char>(salt), 2, 3, 4};
}

template <typename T>
std::vector<Id> ids_of(const std::vector<T>& items) {
    std::vector<Id> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
}

/// `part`, in its order, is a subsequence of `whole`.
bool in_order_within(const std::vector<Id>& part, const std::vector<Id>& whole) {
    auto it = whole.begin();
    for (const Id& id : part) {
        it = std::find(it, whole.end(), id);
        if (it == whole.end()) return false;
        ++it;
    }
    return true;
}

TEST_F(SyncOrder, RecordsOfTwoDevicesInOneMillisecondListAlikeEverywhere) {
    tick();  // and then the clock stands still: every record below shares one millisecond
    std::vector<Id> ann_photos, bob_photos, ann_comments, bob_comments;
    for (int i = 0; i < 6; ++i) {
        ann_photos.push_back(ann->e().add_photo(ann->me, action, png(i), {}).id);
        bob_photos.push_back(bob->e().add_photo(bob->me, action, png(50 + i), {}).id);
        ann_comments.push_back(
            ann->e().add_comment(ann->me, action, {{"body", "ann " + std::to_string(i)}}).id);
        bob_comments.push_back(
            bob->e().add_comment(bob->me, action, {{"body", "bob " + std::to_string(i)}}).id);
    }
    // Offline, each device lists its own records in the order it made them.
    EXPECT_EQ(ids_of(ann->e().get_action(ann->me, action).photos), ann_photos);
    EXPECT_EQ(ids_of(bob->e().get_action(bob->me, action).comments), bob_comments);
    sync_all();
    sync_all();
    ASSERT_TRUE(ann->rejections.empty());
    ASSERT_TRUE(bob->rejections.empty());
    const auto on_server = server->get_action(ann->me, action);
    ASSERT_EQ(on_server.photos.size(), 12U);
    ASSERT_EQ(on_server.comments.size(), 12U);
    for (Device* d : {ann.get(), bob.get()}) {
        const auto here = d->e().get_action(d->me, action);
        EXPECT_EQ(ids_of(here.photos), ids_of(on_server.photos));
        EXPECT_EQ(ids_of(here.comments), ids_of(on_server.comments));
    }
    // Each device's records keep the order it made them in, interleaved by id with the other's.
    EXPECT_TRUE(in_order_within(ann_photos, ids_of(on_server.photos)));
    EXPECT_TRUE(in_order_within(bob_photos, ids_of(on_server.photos)));
    EXPECT_TRUE(in_order_within(ann_comments, ids_of(on_server.comments)));
    EXPECT_TRUE(in_order_within(bob_comments, ids_of(on_server.comments)));
}

TEST_F(SyncOrder, ActionsCreatedOnTwoDevicesListAlikeEverywhere) {
    tick();
    for (int i = 0; i < 5; ++i) {
        ann->e().create_action(ann->me, {{"project_id", project}, {"title", "ann"}});
        bob->e().create_action(bob->me, {{"project_id", project}, {"title", "bob"}});
    }
    sync_all();
    sync_all();
    const auto on_server = ids_of(server->project_actions(ann->me, project));
    ASSERT_EQ(on_server.size(), 11U);
    EXPECT_EQ(ids_of(ann->e().project_actions(ann->me, project)), on_server);
    EXPECT_EQ(ids_of(bob->e().project_actions(bob->me, project)), on_server);
}

}  // namespace
}  // namespace leandesk::synctest
