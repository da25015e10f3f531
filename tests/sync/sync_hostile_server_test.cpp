// A server (or something in its place) that answers pull pages the replica must not trust: every
// such page fails with a network error that says what was wrong, and none of it is applied.
#include <utility>

#include "engine/engine_impl.hpp"
#include "plan_world.hpp"
#include "sync/http_transport.hpp"
#include "sync/tables.hpp"

namespace leandesk::synctest {
namespace {

/// Passes every request to the real authority, and lets the test rewrite each pull page.
class TamperingTransport : public sync::Transport {
  public:
    explicit TamperingTransport(std::shared_ptr<sync::Transport> real) : real_(std::move(real)) {}

    Json sign_in(const std::string& email, const std::string& password) override {
        return real_->sign_in(email, password);
    }
    Json push(const std::string& token, const Json& request) override {
        Json answer = real_->push(token, request);
        if (tamper_push) tamper_push(answer);
        return answer;
    }
    Json pull(const std::string& token, const Json& request) override {
        Json page = real_->pull(token, request);
        if (tamper) tamper(page);
        return page;
    }
    void put_blob(const std::string& token, const std::string& hash,
                  const std::vector<unsigned char>& bytes) override {
        real_->put_blob(token, hash, bytes);
    }
    std::vector<unsigned char> get_blob(const std::string& token,
                                        const std::string& hash) override {
        return real_->get_blob(token, hash);
    }

    std::function<void(Json&)> tamper;
    std::function<void(Json&)> tamper_push;

  private:
    std::shared_ptr<sync::Transport> real_;
};

class HostileServer : public PlanWorld {
  protected:
    void SetUp() override {
        PlanWorld::SetUp();
        tampering = std::make_shared<TamperingTransport>(transport);
        bob->replica = std::make_unique<sync::Replica>(bob->e(), tampering);
        Device* raw = bob.get();
        bob->replica->on_rejected = [raw](const sync::Rejection& r) {
            raw->rejections.push_back(r);
        };
        // Two new actions wait on the server for Bob: they arrive in one page.
        tick();
        first = ann->e().create_action(ann->me, {{"project_id", project}, {"title", "First"}}).id;
        second = ann->e().create_action(ann->me, {{"project_id", project}, {"title", "Second"}}).id;
        ann->sync();
    }

    /// The value of `column` in the page's row of the action `id`.
    static Json& action_value(Json& page, const Id& id, const char* column) {
        const auto* spec = sync::table_for("action");
        for (auto& row : page["rows"]) {
            if (row["e"] == "action" && row["v"][0] == id)
                return row["v"][static_cast<std::size_t>(spec->column_index(column))];
        }
        throw std::runtime_error("no row of action " + id + " in the page");
    }

    /// Bob's sync fails with a network error naming `what`, and leaves his replica as it was.
    void expect_refused_whole(const std::string& what) {
        const auto checkpoints =
            count(bob->e(), "SELECT COALESCE(SUM(seq), 0) FROM sync_checkpoints");
        const std::string message = expect_error(Errc::network, [&] { bob->sync(); });
        EXPECT_NE(message.find(what), std::string::npos) << message;
        EXPECT_EQ(count(bob->e(), "SELECT COUNT(*) FROM actions"), 1);
        EXPECT_EQ(count(bob->e(), "SELECT COALESCE(SUM(seq), 0) FROM sync_checkpoints"),
                  checkpoints);
        // The real answer, once nothing tampers with it, still brings both.
        tampering->tamper = nullptr;
        bob->sync();
        EXPECT_EQ(bob->e().get_action(bob->me, first).action.title, "First");
        EXPECT_EQ(bob->e().get_action(bob->me, second).action.title, "Second");
    }

    std::shared_ptr<TamperingTransport> tampering;
    Id first, second;
};

TEST_F(HostileServer, TheUntamperedPageApplies) {
    bob->sync();
    EXPECT_EQ(count(bob->e(), "SELECT COUNT(*) FROM actions"), 3);
}

TEST_F(HostileServer, ARowTheSchemaRefusesUndoesItsWholePage) {
    // "Second" comes after "First" in the page: "First" was written when "Second" is refused.
    tampering->tamper = [&](Json& page) {
        const auto at = [&](const Id& id) {
            const auto& rows = page["rows"];
            for (std::size_t i = 0; i < rows.size(); ++i)
                if (rows[i]["v"][0] == id) return i;
            throw std::runtime_error("no row of " + id);
        };
        ASSERT_LT(at(first), at(second));
        action_value(page, second, "priority") = 9;
    };
    expect_refused_whole("the database refuses");
}

TEST_F(HostileServer, ARowNamingAProjectThatIsNotThereIsRefused) {
    tampering->tamper = [&](Json& page) {
        action_value(page, second, "project_id") = "00000000-0000-4000-8000-000000000000";
    };
    expect_refused_whole("the database refuses");
}

TEST_F(HostileServer, ARowValueThatIsAnObjectIsRefused) {
    tampering->tamper = [&](Json& page) {
        action_value(page, second, "title") = Json{{"$gt", ""}};
    };
    expect_refused_whole("neither text, number nor null");
}

// Found by fuzz_pull_answer: the blob prefetch read a row's "v" before the page was checked (a
// const Json's operator[] on a missing key is undefined behaviour), and Json::value threw a
// type_error, not an Error, for an entity that is not text.
TEST_F(HostileServer, APhotoRowWithoutValuesIsRefused) {
    tampering->tamper = [&](Json& page) { page["rows"].push_back({{"e", "photo"}}); };
    expect_refused_whole("(a row)");
}

TEST_F(HostileServer, ARowWhoseEntityIsNotTextIsRefused) {
    tampering->tamper = [&](Json& page) {
        page["rows"].push_back({{"e", 7}, {"v", Json::array({"x"})}});
    };
    expect_refused_whole("(a row)");
}

TEST_F(HostileServer, ARejectionWithFieldsOfTheWrongTypeIsStillReportedAndUndone) {
    // Found by review of the same kind of code: a push result read with Json::value.
    bob->sync();
    tick();
    bob->e().update_action(bob->me, first, {{"title", "Bob's title"}});
    tampering->tamper_push = [&](Json& answer) {
        for (auto& r : answer["results"]) {
            r["outcome"] = "rejected";
            r["code"] = "permission denied";
            r["rule"] = 13;
            r["message"] = Json::array();
        }
    };
    bob->sync();
    ASSERT_EQ(bob->rejections.size(), 1U);
    EXPECT_EQ(bob->rejections[0].code, Errc::error);
    EXPECT_TRUE(bob->rejections[0].rule.empty());
    EXPECT_TRUE(bob->rejections[0].message.empty());
    // Undone by fetching the record again: Bob's replica holds what the server holds (which here,
    // since the server did apply it and only its answer was changed, is Bob's title).
    EXPECT_EQ(bob->e().get_action(bob->me, first).action.title,
              server->get_action(ann->me, first).action.title);
    EXPECT_EQ(count(bob->e(), "SELECT COUNT(*) FROM sync_refetch"), 0);
    EXPECT_EQ(bob->status()["pending"], 0);
}

TEST_F(HostileServer, ARowOfTheWrongShapeIsRefused) {
    tampering->tamper = [&](Json& page) {
        for (auto& row : page["rows"])
            if (row["v"][0] == second) row["v"].erase(row["v"].size() - 1);
    };
    expect_refused_whole("(a row of action)");
}

TEST_F(HostileServer, ARowOfAnUnknownEntityIsRefused) {
    tampering->tamper = [&](Json& page) {
        page["rows"].push_back({{"e", "sqlite_master"}, {"v", Json::array({"x"})}});
    };
    expect_refused_whole("unknown entity");
}

TEST_F(HostileServer, ACheckpointThatIsNotANumberIsRefused) {
    tampering->tamper = [&](Json& page) {
        for (auto& [bucket, seq] : page["buckets"].items()) seq = "DROP TABLE actions";
    };
    expect_refused_whole("'buckets'");
}

TEST_F(HostileServer, AnEditOfARecordAlreadyHeldUpdatesItInPlace) {
    // The path a download never takes: the row exists, its INSERT is refused, it is updated.
    bob->sync();
    tick();
    ann->e().update_action(ann->me, first, {{"title", "First, renamed"}, {"priority", 2}});
    ann->sync();
    bob->sync();
    const Action got = bob->e().get_action(bob->me, first).action;
    EXPECT_EQ(got.title, "First, renamed");
    EXPECT_EQ(got.priority, 2);
    EXPECT_EQ(count(bob->e(), "SELECT COUNT(*) FROM actions"), 3);
}

// The HTTPS transport checks an answer's nesting in one pass over its text before parsing it
// (parse_server_answer): more than 32 levels is a network error, never a stack overflow, whether
// 33 levels or 100,000, arrays or objects (issue 20). Brackets inside strings do not count.
TEST(ServerAnswerText, NestingDeeperThan32LevelsIsANetworkError) {
    const auto arrays = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
    const auto objects = [](std::size_t n) {
        std::string text;
        for (std::size_t i = 1; i < n; ++i) text += "{\"a\":";
        return text + "{}" + std::string(n - 1, '}');
    };
    const auto refused = [](const std::string& text) {
        try {
            sync::parse_server_answer(text);
        } catch (const Error& e) {
            return e.code() == Errc::network;
        }
        return false;
    };
    EXPECT_EQ(sync::parse_server_answer(arrays(32)).size(), 1u);
    EXPECT_EQ(sync::parse_server_answer(objects(32)).size(), 1u);
    for (const std::size_t n : {std::size_t{33}, std::size_t{100000}}) {
        EXPECT_TRUE(refused(arrays(n))) << n;
        EXPECT_TRUE(refused(objects(n))) << n;
        EXPECT_TRUE(refused("{\"rows\":" + arrays(n) + "}")) << n;
    }
    const std::string in_string = "{\"a\":\"\\\"" + std::string(100000, '[') + "\"}";
    EXPECT_EQ(sync::parse_server_answer(in_string)["a"].get<std::string>().size(), 100001u);
}

}  // namespace
}  // namespace leandesk::synctest
