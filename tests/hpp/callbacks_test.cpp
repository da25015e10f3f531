// std::function callbacks: mail sender, observers (and their tokens), clock, log.
#include <atomic>
#include <thread>

#include "support.hpp"

using ld_test::expect_throw;
using ld_test::fast_options;
using ld_test::kPassword;

TEST(HppMail, LambdaCapturesTheActivationMail) {
    ld::Database db(":memory:", fast_options());
    std::vector<ld::Mail> sent;
    db.set_mail_sender([&sent](const ld::Mail& m) { sent.push_back(m); });

    const ld::User user = db.account_sign_up(ld::json{{"first_name", "Dana"},
                                                      {"last_name", "Lee"},
                                                      {"email", "Dana@Example.com"},
                                                      {"password", kPassword}});
    EXPECT_FALSE(user.activated());
    EXPECT_EQ(user.email, "dana@example.com");
    EXPECT_EQ(user.display_name, "dana@example.com");  // R16 until activated
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].to, "dana@example.com");
    EXPECT_NE(sent[0].subject.find("Activate"), std::string::npos) << sent[0].subject;
    EXPECT_EQ(sent[0].text.find(kPassword), std::string::npos);

    const ld::User active = db.account_activate(ld_test::code_in(sent[0]));
    EXPECT_TRUE(active.activated());
    EXPECT_EQ(active.display_name, "Dana Lee");
    expect_throw<ld::AuthFailed>(
        [&] { db.account_activate(ld_test::code_in(sent[0])); });  // single use

    db.account_request_password_reset("dana@example.com");
    ASSERT_EQ(sent.size(), 2U);
    db.account_reset_password(ld_test::code_in(sent[1]), "another long password");
    EXPECT_NO_THROW(ld::Session::sign_in(db, "dana@example.com", "another long password"));
}

TEST(HppMail, AThrowingSenderFailsTheOperationAndChangesNothing) {
    ld::Database db(":memory:", fast_options());
    db.set_mail_sender([](const ld::Mail&) { throw std::runtime_error("smtp down"); });
    const ld::SignUp erin{"Erin", "Roe", "erin@example.com", kPassword};
    expect_throw<ld::IoError>([&] { db.account_sign_up(erin); });

    db.set_mail_sender(nullptr);  // no sender at all
    expect_throw<ld::IoError>([&] { db.account_sign_up(erin); });

    int count = 0;
    db.set_mail_sender([&count](const ld::Mail&) { ++count; });
    EXPECT_NO_THROW(db.account_sign_up(erin));  // the failed attempts left no account behind
    EXPECT_EQ(count, 1);
}

TEST_F(HppTest, ObserverLambdaSeesCommittedChanges) {
    ld::Session alice = user("Alice");
    std::vector<ld::Change> seen;
    int calls = 0;
    ld::ObserverToken token = db.add_observer([&](const std::vector<ld::Change>& changes) {
        ++calls;
        seen.insert(seen.end(), changes.begin(), changes.end());
    });
    EXPECT_NE(token.id(), 0U);

    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    EXPECT_GE(calls, 1);
    bool found = false;
    for (const ld::Change& c : seen) {
        if (c.entity == "group" && c.entity_id == g.id) {
            found = true;
            EXPECT_EQ(c.op, "insert");
            EXPECT_EQ(c.group_id, std::optional<std::string>(g.id));
            EXPECT_EQ(c.actor, alice.info().user_id);
        }
    }
    EXPECT_TRUE(found);

    // A failed write notifies nobody.
    const int before = calls;
    expect_throw<ld::InvalidArgument>([&] { alice.group_create({{"name", ""}}); });
    EXPECT_EQ(calls, before);

    // Moving the token keeps the registration; removing it stops the calls.
    ld::ObserverToken moved = std::move(token);
    EXPECT_FALSE(token);  // NOLINT(bugprone-use-after-move)
    alice.group_update(g.id, {{"name", "Kaizen 2"}});
    EXPECT_EQ(calls, before + 1);
    moved.remove();
    EXPECT_FALSE(moved);
    alice.group_update(g.id, {{"name", "Kaizen 3"}});
    EXPECT_EQ(calls, before + 1);
    moved.remove();  // twice is fine
}

TEST_F(HppTest, ObserverTokenDestructionUnregistersAndFrees) {
    ld::Session alice = user("Alice");
    auto sentinel = std::make_shared<int>(0);
    int calls = 0;
    {
        ld::ObserverToken token =
            db.add_observer([&calls, sentinel](const std::vector<ld::Change>&) { ++calls; });
        EXPECT_EQ(sentinel.use_count(), 2);
        alice.group_create({{"name", "One"}});
        EXPECT_EQ(calls, 1);
    }
    EXPECT_EQ(sentinel.use_count(), 1);  // the library freed the std::function
    alice.group_create({{"name", "Two"}});
    EXPECT_EQ(calls, 1);
    expect_throw<ld::InvalidArgument>([&] { (void)db.add_observer(nullptr); });
}

TEST_F(HppTest, DetachedObserverLivesUntilClose) {
    ld::Session alice = user("Alice");
    int calls = 0;
    db.add_observer([&calls](const std::vector<ld::Change>&) { ++calls; }).detach();
    alice.group_create({{"name", "One"}});
    EXPECT_EQ(calls, 1);
}

TEST_F(HppTest, ObserverMayCallLeanDeskAndSwallowsExceptions) {
    ld::Session alice = user("Alice");
    std::size_t groups_seen = 0;
    ld::ObserverToken reader = db.add_observer([&](const std::vector<ld::Change>&) {
        groups_seen = alice.group_list().size();  // observers run after the commit
    });
    ld::ObserverToken thrower = db.add_observer(
        [](const std::vector<ld::Change>&) { throw std::runtime_error("observer bug"); });
    EXPECT_NO_THROW(alice.group_create({{"name", "One"}}));
    EXPECT_EQ(groups_seen, 1U);
}

TEST_F(HppTest, ObserversRunOnTheCommittingThread) {
    ld::Session alice = user("Alice");
    std::atomic<int> calls{0};
    std::thread::id where;
    ld::ObserverToken token = db.add_observer([&](const std::vector<ld::Change>&) {
        where = std::this_thread::get_id();
        ++calls;
    });
    std::thread::id writer;
    std::thread t([&] {
        writer = std::this_thread::get_id();
        alice.group_create({{"name", "From a thread"}});
    });
    t.join();
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(where, writer);
}

TEST(HppClock, SessionExpiresWithTheInjectedClock) {
    ld::Database db(":memory:", fast_options({{"session_lifetime_ms", 3600000},
                                              {"session_idle_timeout_ms", 3600000}}));
    auto now = std::make_shared<std::atomic<std::int64_t>>(1767225600000);  // 2026-01-01
    db.set_clock([now] { return now->load(); });
    std::vector<ld::Mail> sent;
    db.set_mail_sender([&sent](const ld::Mail& m) { sent.push_back(m); });
    db.account_sign_up(ld::SignUp{"Fay", "Doe", "fay@example.com", kPassword});
    db.account_activate(ld_test::code_in(sent.back()));

    ld::Session fay = ld::Session::sign_in(db, "fay@example.com", kPassword);
    EXPECT_EQ(fay.info().expires_at, now->load() + 3600000);
    *now += 3599000;
    EXPECT_NO_THROW(fay.group_list());
    *now += 3600001;
    expect_throw<ld::SessionExpired>([&] { fay.group_list(); });
    expect_throw<ld::SessionExpired>([&] { ld::Session::resume(db, fay.token()); });

    db.set_clock(nullptr);  // back to the system clock
    EXPECT_NO_THROW(ld::Session::sign_in(db, "fay@example.com", kPassword).group_list());
}

TEST(HppClock, ActivationCodesExpireWithTheInjectedClock) {
    ld::Database db(":memory:", fast_options({{"activation_token_lifetime_ms", 60000}}));
    std::int64_t now = 1767225600000;
    db.set_clock([&now] { return now; });
    std::vector<ld::Mail> sent;
    db.set_mail_sender([&sent](const ld::Mail& m) { sent.push_back(m); });
    db.account_sign_up(ld::SignUp{"Gus", "Doe", "gus@example.com", kPassword});
    now += 60001;
    expect_throw<ld::AuthFailed>([&] { db.account_activate(ld_test::code_in(sent.back())); });
}

TEST(HppLog, LambdaReceivesLines) {
    ld::Database db(":memory:", fast_options());
    std::vector<std::pair<ld::LogLevel, std::string>> lines;
    db.set_log(
        [&lines](ld::LogLevel level, const std::string& line) { lines.emplace_back(level, line); });
    db.set_mail_sender([](const ld::Mail&) {});
    db.account_sign_up(ld::SignUp{"Hal", "Doe", "hal@example.com", kPassword});
    expect_throw<ld::AuthFailed>(
        [&] { ld::Session::sign_in(db, "hal@example.com", "not the password"); });
    ASSERT_FALSE(lines.empty());
    for (const auto& line : lines) {
        EXPECT_EQ(line.second.find(kPassword), std::string::npos);
        EXPECT_GE(static_cast<int>(line.first), LD_LOG_DEBUG);
        EXPECT_LE(static_cast<int>(line.first), LD_LOG_ERROR);
    }
}
