// RAII and move semantics of ld::Database, ld::Session and ld::ObserverToken.
#include <type_traits>

#include "support.hpp"

using ld_test::expect_throw;
using ld_test::fast_options;

namespace {

// A callback whose captured sentinel tells whether the library still holds it: when the database
// closes, it frees the callback, and the sentinel's use count drops back to 1.
void hold(const ld::Database& db, const std::shared_ptr<int>& sentinel) {
    db.set_log([sentinel](ld::LogLevel, const std::string&) {});
}

}  // namespace

static_assert(!std::is_copy_constructible<ld::Database>::value, "Database is move-only");
static_assert(!std::is_copy_assignable<ld::Database>::value, "Database is move-only");
static_assert(std::is_nothrow_move_constructible<ld::Database>::value, "Database moves");
static_assert(std::is_nothrow_move_assignable<ld::Database>::value, "Database moves");
static_assert(!std::is_copy_constructible<ld::Session>::value, "Session is move-only");
static_assert(!std::is_copy_assignable<ld::Session>::value, "Session is move-only");
static_assert(std::is_nothrow_move_constructible<ld::Session>::value, "Session moves");
static_assert(std::is_nothrow_move_assignable<ld::Session>::value, "Session moves");
static_assert(!std::is_copy_constructible<ld::ObserverToken>::value, "tokens are move-only");
static_assert(std::is_nothrow_move_constructible<ld::ObserverToken>::value, "tokens move");

TEST(HppVersion, HeaderAndLibraryAgree) {
    EXPECT_NO_THROW(ld::check_version());
    EXPECT_EQ(ld::version(), LD_VERSION);
}

TEST(HppRaii, DestructorClosesTheDatabaseAndFreesCallbacks) {
    auto sentinel = std::make_shared<int>(0);
    {
        ld::Database db(":memory:", fast_options());
        hold(db, sentinel);
        EXPECT_EQ(sentinel.use_count(), 2);
    }
    EXPECT_EQ(sentinel.use_count(), 1);
}

TEST(HppRaii, ReplacingACallbackFreesTheOldOne) {
    ld::Database db(":memory:", fast_options());
    auto first = std::make_shared<int>(1);
    hold(db, first);
    EXPECT_EQ(first.use_count(), 2);
    db.set_log(nullptr);
    EXPECT_EQ(first.use_count(), 1);
}

TEST(HppRaii, CloseReleasesTheHandle) {
    auto sentinel = std::make_shared<int>(0);
    ld::Database db(":memory:", fast_options());
    hold(db, sentinel);
    EXPECT_TRUE(db.is_open());
    db.close();
    EXPECT_FALSE(db.is_open());
    EXPECT_EQ(db.handle(), nullptr);
    EXPECT_EQ(sentinel.use_count(), 1);
    expect_throw<ld::InvalidArgument>([&] { db.storage_info(); });
    expect_throw<ld::InvalidArgument>([&] { db.set_log([](ld::LogLevel, const std::string&) {}); });
    db.close();  // twice is fine
}

TEST(HppRaii, FileDatabaseIsClosedAndCanBeReopened) {
    const std::string path = ::testing::TempDir() + "hpp_raii_reopen.db";
    std::remove(path.c_str());
    {
        ld::Database db(path, fast_options());
        EXPECT_TRUE(db.storage_info().contains("schema_version"));
    }
    {
        ld::Database again = ld::Database::open(path, fast_options());
        EXPECT_TRUE(again.is_open());
    }
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
}

TEST_F(HppTest, ASessionKeepsItsDatabaseOpen) {
    auto sentinel = std::make_shared<int>(0);
    ld::Session alice = user("Alice");
    hold(db, sentinel);
    alice.group_create({{"name", "Kaizen"}});
    db.close();  // the session still holds the database
    EXPECT_EQ(sentinel.use_count(), 2);
    EXPECT_EQ(alice.group_list().size(), 1U);
    alice = ld::Session(std::move(alice));  // self-move through a temporary keeps it
    EXPECT_EQ(alice.group_list().size(), 1U);
    { ld::Session gone = std::move(alice); }
    EXPECT_EQ(sentinel.use_count(), 1);  // the last holder closed it
}

TEST_F(HppTest, DatabaseMoves) {
    ld::Session alice = user("Alice");
    ld::Database moved = std::move(db);
    EXPECT_FALSE(db.is_open());  // NOLINT(bugprone-use-after-move): moved-from state is defined
    EXPECT_TRUE(moved.is_open());
    expect_throw<ld::InvalidArgument>([&] { db.account_resend_activation("a@example.com"); });
    EXPECT_NO_THROW(moved.account_resend_activation("alice@example.com"));

    auto sentinel = std::make_shared<int>(0);
    ld::Database other(":memory:", fast_options());
    hold(other, sentinel);
    other = std::move(moved);  // the old database of `other` closes
    EXPECT_EQ(sentinel.use_count(), 1);
    EXPECT_EQ(ld::Session::resume(other, alice.token()).info().user_id, alice.info().user_id);
}

TEST_F(HppTest, SessionMoves) {
    ld::Session alice = user("Alice");
    const std::string token = alice.token();
    ld::Session moved(std::move(alice));
    EXPECT_FALSE(alice);  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(alice.handle(), nullptr);
    EXPECT_TRUE(moved);
    EXPECT_EQ(moved.token(), token);
    expect_throw<ld::InvalidArgument>([&] { alice.group_list(); });

    ld::Session bob = user("Bob");
    bob = std::move(moved);  // Bob's handle is freed, his session stays valid on the database
    EXPECT_EQ(bob.token(), token);
    EXPECT_EQ(ld::Session::resume(db, token).me_get().first_name, "Alice");
}

TEST_F(HppTest, FreeingASessionHandleDoesNotSignOut) {
    std::string token;
    { token = user("Alice").token(); }
    ld::Session again = ld::Session::resume(db, token);
    EXPECT_EQ(again.me_get().email, "alice@example.com");
    again.sign_out();
    expect_throw<ld::SessionExpired>([&] { again.group_list(); });
    expect_throw<ld::SessionExpired>([&] { ld::Session::resume(db, token); });
}

TEST_F(HppTest, ObserverTokenOutlivingItsDatabaseIsHarmless) {
    ld::ObserverToken token;
    EXPECT_FALSE(token);
    {
        ld::Database temp(":memory:", fast_options());
        token = temp.add_observer([](const std::vector<ld::Change>&) {});
        EXPECT_TRUE(token);
    }
    token.remove();  // the database is gone: nothing to do
    EXPECT_FALSE(token);
}
