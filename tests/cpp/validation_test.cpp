// Bad input, field by field (issue 2, "Bad input"): every kind of invalid value gets
// Errc::invalid_argument with a message that names the field, and changes nothing in the database.
// The first half drives the engine's commands; the second tests the functions of
// src/model/validate.hpp and the JSON reader directly.
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "model/json.hpp"
#include "model/validate.hpp"
#include "test_support.hpp"

namespace leandesk::testing {
namespace {

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

Json with(Json base, const std::string& key, Json value) {
    base[key] = std::move(value);
    return base;
}

/// A printable form of a test value for failure messages (bytes >= 0x7f and controls as \xNN).
std::string shown(const std::string& s) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (const char c : s.substr(0, 60)) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x7f) {
            out += "\\x";
            out += hex[b >> 4U];
            out += hex[b & 0xFU];
        } else {
            out += c;
        }
    }
    if (s.size() > 60) out += "...(" + std::to_string(s.size()) + " bytes)";
    return out;
}
std::string shown(const Json& j) {
    return j.is_string() ? shown(j.get<std::string>()) : j.dump();
}

// Byte sequences that are not UTF-8: a stray continuation byte, a lead byte without its
// continuation, truncated sequences, overlong encodings, a surrogate, beyond U+10FFFF, bytes that
// never occur in UTF-8.
const std::vector<std::string> kInvalidUtf8 = {"\x80",
                                               "ab\xC3(",
                                               "caf\xC3",
                                               "\xE2\x82",
                                               "\xF0\x9F\x98",
                                               "\xC0\xAF",
                                               "\xE0\x80\xAF",
                                               "\xF0\x80\x80\xAF",
                                               "\xED\xA0\x80",
                                               "\xED\xBF\xBF",
                                               "\xF4\x90\x80\x80",
                                               "\xFF",
                                               "x\xFEy",
                                               "\xF8\x88\x80\x80\x80"};

const std::vector<std::string> kMalformedIds = {
    "",
    "not-an-id",
    "0F5C2A4E-9B1D-4C3A-8E7F-6A5B4C3D2E1F",    // upper case
    "0f5c2a4e9b1d4c3a8e7f6a5b4c3d2e1f",        // no dashes
    "{0f5c2a4e-9b1d-4c3a-8e7f-6a5b4c3d2e1f}",  // braces
    "0f5c2a4e-9b1d-4c3a-8e7f-6a5b4c3d2e1",     // 35 characters
    "0f5c2a4e-9b1d-4c3a-8e7f-6a5b4c3d2e1f ",   // trailing space
    "0f5c2a4e-9b1d-4c3a-8e7f_6a5b4c3d2e1f",    // wrong separator
    "0f5c2a4g-9b1d-4c3a-8e7f-6a5b4c3d2e1f",    // not hex
    std::string("0f5c2a4e-9b1d-4c3a-8e7f-6a5b4c3d2e1\0", 36),
};

const std::vector<std::string> kBadDates = {
    "2026-02-30",  "26-01-01",    "2026-13-01", "2025-02-29", "2026-04-31",  "2026-00-10",
    "2026-01-00",  "1899-12-31",  "2026-1-01",  "2026-01-1",  "2026/01/01",  "2026-01-01T00:00:00Z",
    " 2026-01-01", "2026-01-01 ", "",           "yesterday",  "+2026-01-01", "２０２６-01-01"};

const std::vector<std::string> kBadWeeks = {
    "2026-W54",  "2021-W53", "2019-W53", "2026-W00", "2026-W1", "2026-w10", "2026W10",
    "2026-W100", "1899-W10", "26-W10",   "",         "2026-10", "2026-W1a", "W10-2026"};

const std::vector<std::string> kBadEmails = {
    "",
    "plain",
    "@example.com",
    "ann@",
    "ann@example",
    "ann@@example.com",
    "ann@b@example.com",
    "ann smith@example.com",
    "ann@exa mple.com",
    "ann\t@example.com",
    "ann@example..com",
    "ann@.example.com",
    "ann@example.com.",
    "<ann@example.com>",
    "ann,bob@example.com",
    "ann;bob@example.com",
    "\"ann\"@example.com",
    repeat("a", 65) + "@example.com",    // local part over 64
    "ann@" + repeat("b", 250) + ".com",  // over 254 in all
    std::string("ann\0@example.com", 17),
    "ann\n@example.com",
    "ann@ex\xFFmple.com",
};

}  // namespace

class ValidationTest : public EngineTest {
  protected:
    void SetUp() override {
        EngineTest::SetUp();
        g = make_group(ann, "Plant 2", {bob, cat});
        p = engine->create_project(ann, {{"group_id", g.id},
                                         {"name", "Scrap"},
                                         {"start_date", "2026-03-02"},
                                         {"target_date", "2026-06-30"}});
        engine->add_participant(ann, p.id, bob.user_id);
        step = engine->add_step(ann, g.id, {{"name", "Check"}});
        resource = engine->add_resource(ann, g.id, {{"name", "SOP"}, {"url", "https://x.example"}});
        indicator = engine->create_indicator(ann, {{"project_id", p.id}, {"name", "Scrap rate"}});
        action = make_action(ann, p, "Weigh the bins");
    }

    /// Expects `fn` to be refused as invalid, with a message quoting `field`, and nothing changed.
    template <typename Fn>
    std::string expect_invalid(const std::string& field, Fn&& fn) {
        const std::string msg = expect_unchanged(Errc::invalid_argument, std::forward<Fn>(fn));
        EXPECT_NE(msg.find("'" + field + "'"), std::string::npos)
            << "the message should name '" << field << "': " << msg;
        return msg;
    }

    /// One text field of one command: `apply` runs the command with `value` at `key`.
    struct TextField {
        std::string command;
        std::string key;
        std::size_t max;
        bool multiline;
        bool allow_empty;
        std::function<void(const Json&)> apply;
    };

    std::vector<TextField> text_fields() {
        const Json project_in = {{"group_id", g.id}, {"name", "P"}};
        const Json action_in = {{"project_id", p.id}, {"title", "T"}};
        const Json indicator_in = {{"project_id", p.id}, {"name", "I"}};
        auto user_in = [this] {
            return Json{{"email", "user" + std::to_string(++users_made) + "@example.com"}};
        };
        std::vector<TextField> f;
        auto add = [&](std::string command, std::string key, std::size_t max, bool multiline,
                       bool allow_empty, std::function<void(const Json&)> apply) {
            f.push_back({std::move(command), std::move(key), max, multiline, allow_empty,
                         std::move(apply)});
        };
        const auto name = limits::name;
        const auto longt = limits::long_text;
        const auto shortt = limits::short_text;
        add("create_group", "name", name, false, false, [=, this](const Json& v) {
            engine->create_group(ann, {{"name", v}});
        });
        add("update_group", "name", name, false, false, [=, this](const Json& v) {
            engine->update_group(ann, g.id, {{"name", v}});
        });
        add("add_step", "name", name, false, false, [=, this](const Json& v) {
            engine->add_step(ann, g.id, {{"name", v}});
        });
        add("update_step", "name", name, false, false, [=, this](const Json& v) {
            engine->update_step(ann, step.id, {{"name", v}});
        });
        add("add_resource", "name", name, false, false, [=, this](const Json& v) {
            engine->add_resource(ann, g.id, {{"name", v}});
        });
        add("add_resource", "note", longt, true, true, [=, this](const Json& v) {
            engine->add_resource(ann, g.id, {{"name", "R"}, {"note", v}});
        });
        add("update_resource", "note", longt, true, true, [=, this](const Json& v) {
            engine->update_resource(ann, resource.id, {{"note", v}});
        });
        for (const char* key : {"name", "description", "future_state"}) {
            const bool is_name = std::string(key) == "name";
            add("create_project", key, is_name ? name : longt, !is_name, !is_name,
                [=, this](const Json& v) {
                    engine->create_project(ann, with(project_in, key, v));
                });
            add("update_project", key, is_name ? name : longt, !is_name, !is_name,
                [=, this](const Json& v) {
                    engine->update_project(ann, p.id, {{key, v}});
                });
        }
        for (const char* key : {"title", "description", "context"}) {
            const std::string k = key;
            const std::size_t max = k == "title" ? limits::title : k == "context" ? shortt : longt;
            const bool ml = k == "description";
            const bool empty_ok = k != "title";
            add("create_action", key, max, ml, empty_ok,
                [=, this](const Json& v) { engine->create_action(bob, with(action_in, key, v)); });
            add("update_action", key, max, ml, empty_ok, [=, this](const Json& v) {
                engine->update_action(bob, action.id, {{key, v}});
            });
        }
        add("add_comment", "body", longt, true, false, [=, this](const Json& v) {
            engine->add_comment(bob, action.id, {{"body", v}});
        });
        for (const char* key : {"name", "unit"}) {
            const bool is_name = std::string(key) == "name";
            add("create_indicator", key, is_name ? name : shortt, false, !is_name,
                [=, this](const Json& v) {
                    engine->create_indicator(bob, with(indicator_in, key, v));
                });
            add("update_indicator", key, is_name ? name : shortt, false, !is_name,
                [=, this](const Json& v) {
                    engine->update_indicator(bob, indicator.id, {{key, v}});
                });
        }
        for (const char* key : {"first_name", "last_name"}) {
            add("create_user", key, name, false, true,
                [=, this](const Json& v) { engine->create_user(with(user_in(), key, v)); });
            add("update_profile", key, name, false, true, [=, this](const Json& v) {
                engine->update_profile(bob, bob.user_id, {{key, v}});
            });
        }
        add("add_photo", "caption", shortt, false, true, [=, this](const Json& v) {
            engine->add_photo(bob, action.id, tiny_png(), {{"caption", v}});
        });
        return f;
    }

    static std::vector<unsigned char> tiny_png() {
        return {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
                0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
                0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
                0xda, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8,
                0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    }

    Group g;
    Project p;
    Step step;
    Resource resource;
    Indicator indicator;
    Action action;
    int users_made = 0;
};

#define TRACE_FIELD(f, v) SCOPED_TRACE((f).command + "." + (f).key + " = " + shown(Json(v)))

// ---- text fields: encoding, NUL, controls, length, blank, JSON type ----------------------------

TEST_F(ValidationTest, TextFieldsRefuseInvalidUtf8) {
    for (const auto& f : text_fields()) {
        for (const auto& bad : kInvalidUtf8) {
            TRACE_FIELD(f, bad);
            const auto msg = expect_invalid(f.key, [&] { f.apply(Json(bad)); });
            EXPECT_NE(msg.find("UTF-8"), std::string::npos) << msg;
        }
    }
}

TEST_F(ValidationTest, TextFieldsRefuseNulBytes) {
    for (const auto& f : text_fields()) {
        for (const auto& bad :
             {std::string("a\0b", 3), std::string("\0", 1), std::string("ab\0", 3)}) {
            TRACE_FIELD(f, bad);
            const auto msg = expect_invalid(f.key, [&] { f.apply(Json(bad)); });
            EXPECT_NE(msg.find("NUL"), std::string::npos) << msg;
        }
    }
}

TEST_F(ValidationTest, TextFieldsRefuseControlCharacters) {
    for (const auto& f : text_fields()) {
        for (const char* bad : {"a\x01z", "bell\x07", "esc\x1b[31m", "del\x7f", "\x08", "a\x0bz",
                                "a\x0cz", "a\x1fz"}) {
            TRACE_FIELD(f, bad);
            expect_invalid(f.key, [&] { f.apply(Json(bad)); });
        }
        // Line breaks and tabs: only where the text is multi-line.
        for (const char* ws : {"two\nlines", "tab\there", "cr\rlf\n"}) {
            TRACE_FIELD(f, ws);
            if (f.multiline) {
                EXPECT_NO_THROW(f.apply(Json(ws)));
            } else {
                expect_invalid(f.key, [&] { f.apply(Json(ws)); });
            }
        }
    }
}

TEST_F(ValidationTest, TextFieldsCountLengthInCodePoints) {
    for (const auto& f : text_fields()) {
        SCOPED_TRACE(f.command + "." + f.key + " max " + std::to_string(f.max));
        EXPECT_NO_THROW(f.apply(Json(repeat("x", f.max))));
        EXPECT_NO_THROW(f.apply(Json(repeat("\xC3\xA9", f.max))));          // é: 2 bytes each
        EXPECT_NO_THROW(f.apply(Json(repeat("\xF0\x9F\x98\x80", f.max))));  // 😀: 4 bytes each
        for (const auto& bad : {repeat("x", f.max + 1), repeat("\xC3\xA9", f.max + 1),
                                repeat("\xF0\x9F\x98\x80", f.max + 1), repeat("x", 1'000'000)}) {
            const auto msg = expect_invalid(f.key, [&] { f.apply(Json(bad)); });
            EXPECT_NE(msg.find("too long"), std::string::npos) << msg;
            EXPECT_NE(msg.find(std::to_string(f.max)), std::string::npos) << msg;
        }
    }
}

TEST_F(ValidationTest, RequiredTextRefusesEmptyAndBlank) {
    for (const auto& f : text_fields()) {
        for (const char* blank : {"", " ", "   "}) {
            TRACE_FIELD(f, blank);
            if (f.allow_empty) {
                EXPECT_NO_THROW(f.apply(Json(blank)));
            } else {
                const auto msg = expect_invalid(f.key, [&] { f.apply(Json(blank)); });
                EXPECT_NE(msg.find("empty"), std::string::npos) << msg;
            }
        }
        if (f.multiline && !f.allow_empty) {
            TRACE_FIELD(f, " \n\t\r\n ");
            expect_invalid(f.key, [&] { f.apply(Json(" \n\t\r\n ")); });
        }
    }
}

TEST_F(ValidationTest, TextFieldsRefuseOtherJsonTypes) {
    for (const auto& f : text_fields()) {
        for (const Json& bad :
             {Json(42), Json(1.5), Json(true), Json::array({"x"}), Json::object({{"text", "x"}})}) {
            TRACE_FIELD(f, bad);
            const auto msg = expect_invalid(f.key, [&] { f.apply(bad); });
            EXPECT_NE(msg.find("string"), std::string::npos) << msg;
        }
    }
}

TEST_F(ValidationTest, RequiredNamesMustBePresent) {
    expect_invalid("name", [&] { engine->create_group(ann, Json::object()); });
    expect_invalid("name", [&] { engine->create_group(ann, {{"name", nullptr}}); });
    expect_invalid("name", [&] { engine->add_step(ann, g.id, {{"kind", "done"}}); });
    expect_invalid("name", [&] {
        engine->add_resource(ann, g.id, {{"url", "https://x.example"}});
    });
    expect_invalid("name", [&] { engine->create_project(ann, {{"group_id", g.id}}); });
    expect_invalid("title", [&] { engine->create_action(bob, {{"project_id", p.id}}); });
    expect_invalid("title", [&] {
        engine->create_action(bob, {{"project_id", p.id}, {"title", nullptr}});
    });
    expect_invalid("name", [&] { engine->create_indicator(bob, {{"project_id", p.id}}); });
    expect_invalid("body", [&] { engine->add_comment(bob, action.id, Json::object()); });
    expect_invalid("email", [&] {
        engine->create_user({{"first_name", "No"}, {"last_name", "Mail"}});
    });
    expect_invalid("project_id", [&] { engine->create_action(bob, {{"title", "T"}}); });
    expect_invalid("group_id", [&] { engine->create_project(ann, {{"name", "P"}}); });
    expect_invalid("project_id", [&] { engine->create_indicator(bob, {{"name", "I"}}); });
}

// A patch that sets a field that cannot be empty to null must be refused: silently keeping the old
// value would tell the caller their change was applied.
TEST_F(ValidationTest, PatchCannotClearRequiredFields) {
    expect_invalid("name", [&] { engine->update_group(ann, g.id, {{"name", nullptr}}); });
    expect_invalid("name", [&] { engine->update_step(ann, step.id, {{"name", nullptr}}); });
    expect_invalid("kind", [&] { engine->update_step(ann, step.id, {{"kind", nullptr}}); });
    expect_invalid("name", [&] { engine->update_resource(ann, resource.id, {{"name", nullptr}}); });
    expect_invalid("name", [&] { engine->update_project(ann, p.id, {{"name", nullptr}}); });
    expect_invalid("status", [&] { engine->update_project(ann, p.id, {{"status", nullptr}}); });
    expect_invalid("title", [&] { engine->update_action(bob, action.id, {{"title", nullptr}}); });
    expect_invalid("priority", [&] {
        engine->update_action(bob, action.id, {{"priority", nullptr}});
    });
    expect_invalid("progress", [&] {
        engine->update_action(bob, action.id, {{"progress", nullptr}});
    });
    expect_invalid("step_id", [&] {
        engine->update_action(bob, action.id, {{"step_id", nullptr}});
    });
    expect_invalid("name", [&] {
        engine->update_indicator(bob, indicator.id, {{"name", nullptr}});
    });
    expect_invalid("baseline", [&] {
        engine->update_indicator(bob, indicator.id, {{"baseline", nullptr}});
    });
}

// On input, null is only for a field that may be null (it leaves it unset); a field that always has
// a value refuses it rather than silently keeping its default.
TEST_F(ValidationTest, NullIsOnlyForFieldsThatMayBeNull) {
    const Json action_in = {{"project_id", p.id}, {"title", "T"}};
    for (const char* key : {"id", "description", "step_id", "context", "priority", "progress"}) {
        SCOPED_TRACE(key);
        expect_invalid(key, [&] { engine->create_action(bob, with(action_in, key, nullptr)); });
    }
    for (const char* key : {"owner_id", "due_date", "indicator_id", "impact"}) {
        EXPECT_NO_THROW(engine->create_action(bob, with(action_in, key, nullptr))) << key;
    }
    const Json project_in = {{"group_id", g.id}, {"name", "P"}};
    for (const char* key : {"id", "description", "future_state"}) {
        SCOPED_TRACE(key);
        expect_invalid(key, [&] { engine->create_project(ann, with(project_in, key, nullptr)); });
    }
    EXPECT_NO_THROW(engine->create_project(
        ann,
        {{"group_id", g.id}, {"name", "P"}, {"start_date", nullptr}, {"target_date", nullptr}}));
    for (const char* key : {"id", "first_name", "last_name", "activated"}) {
        SCOPED_TRACE(key);
        expect_invalid(key, [&] {
            engine->create_user({{"email", "null@example.com"}, {key, nullptr}});
        });
    }
    expect_invalid("kind", [&] {
        engine->add_step(ann, g.id, {{"name", "S"}, {"kind", nullptr}});
    });
    expect_invalid("unit", [&] {
        engine->create_indicator(bob, {{"project_id", p.id}, {"name", "I"}, {"unit", nullptr}});
    });
    expect_invalid("caption", [&] {
        engine->add_photo(bob, action.id, tiny_png(), {{"caption", nullptr}});
    });
    EXPECT_NO_THROW(engine->add_photo(bob, action.id, tiny_png(), {{"taken_at", nullptr}}));
    EXPECT_NO_THROW(
        engine->add_resource(ann, g.id, {{"name", "R"}, {"url", nullptr}, {"note", nullptr}}));
}

// ---- e-mail addresses ---------------------------------------------------------------------------

TEST_F(ValidationTest, BadEmailShapesAreRefusedEverywhere) {
    for (const auto& bad : kBadEmails) {
        SCOPED_TRACE("email = " + shown(bad));
        expect_invalid("email", [&] { engine->create_user({{"email", bad}}); });
        expect_invalid("email", [&] { engine->add_member(ann, g.id, bad); });
        expect_invalid("email", [&] { engine->request_email_change(bob, bad); });
        expect_invalid("email", [&] { engine->change_login_email(op, bob.user_id, bad); });
        expect_invalid("email", [&] {
            engine->execute(ann, "add_member", {{"group_id", g.id}, {"email", bad}});
        });
    }
    for (const Json& bad : {Json(5), Json(true), Json::array({"a@b.co"})}) {
        SCOPED_TRACE("email = " + bad.dump());
        expect_invalid("email", [&] { engine->create_user({{"email", bad}}); });
    }
    // The address is not part of the profile patch: it changes through request_email_change,
    // which verifies the new address first (R11).
    expect_unchanged(Errc::invalid_argument, [&] {
        engine->update_profile(bob, bob.user_id, {{"email", "bob.new@example.com"}});
    });
}

TEST_F(ValidationTest, GoodEmailsAreStoredLowerCase) {
    EXPECT_EQ(engine->create_user({{"email", "Mixed.Case+tag@Example.COM"}}).email,
              "mixed.case+tag@example.com");
    EXPECT_EQ(engine->add_member(ann, g.id, "New.Person@Example.org").email,
              std::optional<std::string>("new.person@example.org"));
    EXPECT_NO_THROW(engine->create_user({{"email", repeat("a", 64) + "@example.com"}}));
    EXPECT_NO_THROW(
        engine->create_user({{"email", "x@" + repeat("b", 249) + ".co"}}));  // 254 in all
    // Taken, whatever the case: a conflict, and nothing changes.
    expect_unchanged(Errc::conflict, [&] { engine->create_user({{"email", "ANN@example.com"}}); });
}

// ---- enumerations -------------------------------------------------------------------------------

TEST_F(ValidationTest, StepKindMustBeOpenActiveOrDone) {
    for (const Json& bad : {Json("closed"), Json("OPEN"), Json("Active"), Json(" done"), Json(""),
                            Json(repeat("x", 17)), Json(1), Json(true)}) {
        SCOPED_TRACE("kind = " + shown(bad));
        expect_invalid("kind", [&] {
            engine->add_step(ann, g.id, {{"name", "S"}, {"kind", bad}});
        });
        expect_invalid("kind", [&] { engine->update_step(ann, step.id, {{"kind", bad}}); });
    }
    for (const char* good : {"open", "active", "done"}) {
        EXPECT_NO_THROW(engine->add_step(ann, g.id, {{"name", good}, {"kind", good}}));
    }
}

TEST_F(ValidationTest, ProjectStatusMustBeActiveOrClosed) {
    for (const Json& bad : {Json("archived"), Json("Active"), Json("CLOSED"), Json(""),
                            Json("open"), Json(0), Json(false)}) {
        SCOPED_TRACE("status = " + shown(bad));
        expect_invalid("status", [&] { engine->update_project(ann, p.id, {{"status", bad}}); });
    }
    // The status is not an input of create_project: a new project is active.
    expect_invalid("status", [&] {
        engine->create_project(ann, {{"group_id", g.id}, {"name", "P"}, {"status", "closed"}});
    });
    EXPECT_EQ(engine->update_project(ann, p.id, {{"status", "closed"}}).status,
              ProjectStatus::closed);
}

TEST_F(ValidationTest, UserStatusMustBeKnown) {
    for (const Json& bad : {Json("platinum"), Json("Gold"), Json(""), Json(3)}) {
        SCOPED_TRACE("status = " + shown(bad));
        expect_invalid("status", [&] {
            engine->execute(op, "set_user_status", {{"user_id", bob.user_id}, {"status", bad}});
        });
    }
    EXPECT_THROW(user_status_from("platinum"), Error);
    EXPECT_EQ(engine->execute(op, "set_user_status", {{"user_id", bob.user_id}, {"status", "gold"}})
                  .at("status"),
              "gold");
}

// ---- dates and weeks ----------------------------------------------------------------------------

TEST_F(ValidationTest, BadDatesAreRefused) {
    for (const auto& bad : kBadDates) {
        SCOPED_TRACE("date = " + shown(bad));
        for (const char* key : {"start_date", "target_date"}) {
            expect_invalid(key, [&] {
                engine->create_project(ann, {{"group_id", g.id}, {"name", "P"}, {key, bad}});
            });
            expect_invalid(key, [&] { engine->update_project(ann, p.id, {{key, bad}}); });
        }
        expect_invalid("due_date", [&] {
            engine->create_action(bob, {{"project_id", p.id}, {"title", "T"}, {"due_date", bad}});
        });
        expect_invalid("due_date", [&] {
            engine->update_action(bob, action.id, {{"due_date", bad}});
        });
    }
    for (const Json& bad : {Json(20260101), Json(true), Json::array({2026, 1, 1})}) {
        SCOPED_TRACE("date = " + bad.dump());
        expect_invalid("due_date", [&] {
            engine->update_action(bob, action.id, {{"due_date", bad}});
        });
        expect_invalid("start_date", [&] {
            engine->update_project(ann, p.id, {{"start_date", bad}});
        });
    }
    for (const char* good : {"2024-02-29", "1900-01-01", "9999-12-31", "2026-12-31"}) {
        EXPECT_EQ(engine->update_action(bob, action.id, {{"due_date", good}}).due_date,
                  std::optional<std::string>(good));
    }
}

TEST_F(ValidationTest, TargetDateMustNotPrecedeStartDate) {
    expect_invalid("target_date", [&] {
        engine->create_project(ann, {{"group_id", g.id},
                                     {"name", "P"},
                                     {"start_date", "2026-05-01"},
                                     {"target_date", "2026-04-30"}});
    });
    // The project runs 2026-03-02 .. 2026-06-30: moving either end past the other is refused.
    expect_invalid("target_date", [&] {
        engine->update_project(ann, p.id, {{"target_date", "2026-03-01"}});
    });
    expect_invalid("target_date", [&] {
        engine->update_project(ann, p.id, {{"start_date", "2026-07-01"}});
    });
    EXPECT_NO_THROW(engine->update_project(
        ann, p.id, {{"start_date", "2026-04-01"}, {"target_date", "2026-04-01"}}));
}

TEST_F(ValidationTest, BadWeeksAreRefused) {
    EXPECT_NO_THROW(engine->set_indicator_value(bob, indicator.id, "2026-W10", 1));
    for (const auto& bad : kBadWeeks) {
        SCOPED_TRACE("week = " + shown(bad));
        expect_invalid("week", [&] { engine->set_indicator_value(bob, indicator.id, bad, 1); });
        expect_invalid("week", [&] { engine->clear_indicator_value(bob, indicator.id, bad); });
        expect_invalid("week", [&] {
            engine->execute(bob, "set_indicator_value",
                            {{"indicator_id", indicator.id}, {"week", bad}, {"actual", 1}});
        });
    }
    expect_invalid("week", [&] {
        engine->execute(bob, "set_indicator_value",
                        {{"indicator_id", indicator.id}, {"week", 202610}, {"actual", 1}});
    });
    // 2020 and 2026 have a week 53 (they start on a Wednesday in a leap year, and on a Thursday);
    // 2021 does not.
    for (const char* good : {"2020-W53", "2026-W53", "2015-W53", "2026-W01", "2021-W52"}) {
        EXPECT_NO_THROW(engine->set_indicator_value(bob, indicator.id, good, 2)) << good;
    }
}

// ---- numbers ------------------------------------------------------------------------------------

TEST_F(ValidationTest, PriorityAndProgressStayInRange) {
    const Json base = {{"project_id", p.id}, {"title", "T"}};
    const std::vector<std::pair<const char*, std::vector<Json>>> bad = {
        {"priority",
         {4, -1, 100, std::numeric_limits<std::int64_t>::min(),
          std::numeric_limits<std::uint64_t>::max(), 2.5, 2.0, "2", true}},
        {"progress",
         {-1, 101, 1000, std::numeric_limits<std::int64_t>::max(),
          std::numeric_limits<std::uint64_t>::max(), 50.5, 50.0, "50", false}},
    };
    for (const auto& [key, values] : bad) {
        for (const auto& v : values) {
            SCOPED_TRACE(std::string(key) + " = " + v.dump());
            expect_invalid(key, [&] { engine->create_action(bob, with(base, key, v)); });
            expect_invalid(key, [&] { engine->update_action(bob, action.id, {{key, v}}); });
        }
    }
    EXPECT_EQ(engine->update_action(bob, action.id, {{"priority", 3}, {"progress", 100}}).progress,
              100);
    EXPECT_EQ(engine->update_action(bob, action.id, {{"priority", 0}, {"progress", 0}}).priority,
              0);
}

TEST_F(ValidationTest, NumbersMustBeFiniteAndBounded) {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<Json> bad = {
        std::nan(""), inf,      -inf,
        1e16,         -1e16,    1.0000001e15,
        DBL_MAX,      -DBL_MAX, std::numeric_limits<std::uint64_t>::max(),
        "1",          true,     Json::array({1})};
    for (const auto& v : bad) {
        SCOPED_TRACE("number = " + v.dump());
        expect_invalid("impact", [&] {
            engine->create_action(bob, {{"project_id", p.id}, {"title", "T"}, {"impact", v}});
        });
        expect_invalid("impact", [&] { engine->update_action(bob, action.id, {{"impact", v}}); });
        for (const char* key : {"baseline", "target"}) {
            expect_invalid(key, [&] {
                engine->create_indicator(bob, {{"project_id", p.id}, {"name", "I"}, {key, v}});
            });
            expect_invalid(key, [&] { engine->update_indicator(bob, indicator.id, {{key, v}}); });
        }
        if (v.is_number()) {
            expect_invalid("actual", [&] {
                engine->set_indicator_value(bob, indicator.id, "2026-W10", v.get<double>());
            });
        }
        expect_invalid("actual", [&] {
            engine->execute(bob, "set_indicator_value",
                            {{"indicator_id", indicator.id}, {"week", "2026-W10"}, {"actual", v}});
        });
    }
    for (const double good : {1e15, -1e15, 0.0, -3.5, 5e-324}) {
        EXPECT_NO_THROW(engine->update_indicator(bob, indicator.id, {{"target", good}})) << good;
        EXPECT_NO_THROW(engine->set_indicator_value(bob, indicator.id, "2026-W11", good)) << good;
    }
}

TEST_F(ValidationTest, PhotoTakenAtIsATimeInRange) {
    for (const Json& bad :
         {Json(-1), Json(253402300800000), Json(std::numeric_limits<std::int64_t>::min()),
          Json(1.5), Json("0"), Json(true)}) {
        SCOPED_TRACE("taken_at = " + bad.dump());
        expect_invalid("taken_at", [&] {
            engine->add_photo(bob, action.id, tiny_png(), {{"taken_at", bad}});
        });
    }
    EXPECT_NO_THROW(engine->add_photo(bob, action.id, tiny_png(), {{"taken_at", 253402300799999}}));
}

TEST_F(ValidationTest, StepPositionStaysInTheWorkflow) {
    const auto n = static_cast<std::int64_t>(engine->group_steps(ann, g.id).size());
    for (const std::int64_t bad :
         {std::int64_t{-1}, n, n + 10, std::numeric_limits<std::int64_t>::max()}) {
        SCOPED_TRACE("position = " + std::to_string(bad));
        expect_invalid("position", [&] { engine->move_step(ann, step.id, bad); });
    }
    expect_invalid("position", [&] {
        engine->execute(ann, "move_step", {{"step_id", step.id}, {"position", "1"}});
    });
    EXPECT_NO_THROW(engine->move_step(ann, step.id, 0));
}

// ---- ids and JSON types -------------------------------------------------------------------------

TEST_F(ValidationTest, MalformedIdsAreRefused) {
    for (const auto& bad : kMalformedIds) {
        SCOPED_TRACE("id = " + shown(bad));
        expect_invalid("id", [&] { engine->create_group(ann, {{"id", bad}, {"name", "G"}}); });
        expect_invalid("id", [&] {
            engine->create_user({{"id", bad}, {"email", "x@example.com"}});
        });
        expect_invalid("id", [&] {
            engine->create_action(bob, {{"id", bad}, {"project_id", p.id}, {"title", "T"}});
        });
        expect_invalid("group_id", [&] {
            engine->create_project(ann, {{"group_id", bad}, {"name", "P"}});
        });
        expect_invalid("project_id", [&] {
            engine->create_action(bob, {{"project_id", bad}, {"title", "T"}});
        });
        for (const char* key : {"step_id", "owner_id", "indicator_id"}) {
            expect_invalid(key, [&] { engine->update_action(bob, action.id, {{key, bad}}); });
        }
        expect_invalid("project_id", [&] {
            engine->create_indicator(bob, {{"project_id", bad}, {"name", "I"}});
        });
        expect_invalid("id", [&] {
            engine->add_comment(bob, action.id, {{"id", bad}, {"body", "b"}});
        });
        expect_invalid("step_id", [&] { engine->move_action(bob, action.id, bad); });
        expect_invalid("user_id", [&] { engine->add_participant(ann, p.id, bad); });
        expect_invalid("group_id", [&] { engine->execute(ann, "get_group", {{"group_id", bad}}); });
        expect_invalid("recipient_ids", [&] {
            engine->execute(bob, "report_recipients",
                            {{"project_id", p.id}, {"recipient_ids", Json::array({bad})}});
        });
    }
    for (const Json& bad :
         {Json(123), Json(true), Json::object({{"id", g.id}}), Json::array({g.id})}) {
        SCOPED_TRACE("id = " + bad.dump());
        expect_invalid("id", [&] { engine->create_group(ann, {{"id", bad}, {"name", "G"}}); });
        expect_invalid("project_id", [&] {
            engine->create_action(bob, {{"project_id", bad}, {"title", "T"}});
        });
        expect_invalid("owner_id", [&] {
            engine->update_action(bob, action.id, {{"owner_id", bad}});
        });
    }
}

TEST_F(ValidationTest, IdsMustReferToTheRightThings) {
    const Group other = make_group(dan, "Elsewhere");
    const Step foreign = engine->group_steps(dan, other.id).front();
    expect_invalid("step_id", [&] {
        engine->create_action(bob, {{"project_id", p.id}, {"title", "T"}, {"step_id", foreign.id}});
    });
    expect_invalid("owner_id", [&] {
        engine->update_action(bob, action.id, {{"owner_id", cat.user_id}});
    });
    const Project p2 = make_project(ann, g, "Other");
    const Indicator foreign_ind =
        engine->create_indicator(ann, {{"project_id", p2.id}, {"name", "Elsewhere"}});
    expect_invalid("indicator_id", [&] {
        engine->update_action(bob, action.id, {{"indicator_id", foreign_ind.id}});
    });
    // A client-made id that is already taken is a conflict, and nothing changes.
    expect_unchanged(Errc::conflict, [&] {
        engine->create_group(ann, {{"id", g.id}, {"name", "G"}});
    });
    expect_unchanged(Errc::conflict, [&] {
        engine->create_action(bob, {{"id", action.id}, {"project_id", p.id}, {"title", "T"}});
    });
}

TEST_F(ValidationTest, WrongJsonTypesAreRefused) {
    expect_invalid("activated", [&] {
        engine->create_user({{"email", "x@example.com"}, {"activated", "true"}});
    });
    expect_invalid("activated", [&] {
        engine->create_user({{"email", "x@example.com"}, {"activated", 1}});
    });
    expect_invalid("newsletter_opt_in", [&] {
        engine->update_profile(bob, bob.user_id, {{"newsletter_opt_in", "no"}});
    });
    expect_invalid("show_open_actions_on_dashboard", [&] {
        engine->update_profile(bob, bob.user_id, {{"show_open_actions_on_dashboard", 0}});
    });
    expect_invalid("url", [&] { engine->add_resource(ann, g.id, {{"name", "R"}, {"url", 5}}); });
    expect_invalid("deactivated", [&] {
        engine->execute(op, "set_user_deactivated",
                        {{"user_id", bob.user_id}, {"deactivated", "yes"}});
    });
    // Inputs and patches must be objects.
    for (const Json& bad : {Json::array(), Json("name"), Json(1), Json(nullptr)}) {
        SCOPED_TRACE("input = " + bad.dump());
        auto object_refused = [&](auto&& fn) {
            const auto msg = expect_unchanged(Errc::invalid_argument, fn);
            EXPECT_NE(msg.find("object"), std::string::npos) << msg;
        };
        object_refused([&] { engine->create_user(bad); });
        object_refused([&] { engine->create_group(ann, bad); });
        object_refused([&] { engine->update_group(ann, g.id, bad); });
        object_refused([&] { engine->add_step(ann, g.id, bad); });
        object_refused([&] { engine->add_resource(ann, g.id, bad); });
        object_refused([&] { engine->create_project(ann, bad); });
        object_refused([&] { engine->update_project(ann, p.id, bad); });
        object_refused([&] { engine->create_action(bob, bad); });
        object_refused([&] { engine->update_action(bob, action.id, bad); });
        object_refused([&] { engine->add_comment(bob, action.id, bad); });
        object_refused([&] { engine->create_indicator(bob, bad); });
        object_refused([&] { engine->update_profile(bob, bob.user_id, bad); });
        object_refused([&] { engine->execute(ann, "create_group", {{"input", bad}}); });
        if (!bad.is_null()) {  // add_photo takes null for "no options"
            object_refused([&] { engine->add_photo(bob, action.id, tiny_png(), bad); });
            object_refused([&] { engine->execute(ann, "my_groups", bad); });
        }
    }
}

// ---- unknown keys -------------------------------------------------------------------------------

TEST_F(ValidationTest, UnknownKeysAreRefused) {
    const std::vector<std::pair<std::string, std::function<void(const Json&)>>> inputs = {
        {"user",
         [&](const Json& extra) {
             engine->create_user(with({{"email", "x@example.com"}}, "colour", extra));
         }},
        {"group",
         [&](const Json& extra) {
             engine->create_group(ann, with({{"name", "G"}}, "colour", extra));
         }},
        {"group patch",
         [&](const Json& extra) {
             engine->update_group(ann, g.id, {{"colour", extra}});
         }},
        {"step",
         [&](const Json& extra) {
             engine->add_step(ann, g.id, with({{"name", "S"}}, "colour", extra));
         }},
        {"resource",
         [&](const Json& extra) {
             engine->add_resource(ann, g.id, with({{"name", "R"}}, "colour", extra));
         }},
        {"project",
         [&](const Json& extra) {
             engine->create_project(ann,
                                    with({{"group_id", g.id}, {"name", "P"}}, "colour", extra));
         }},
        {"project patch",
         [&](const Json& extra) {
             engine->update_project(ann, p.id, {{"colour", extra}});
         }},
        {"action",
         [&](const Json& extra) {
             engine->create_action(bob,
                                   with({{"project_id", p.id}, {"title", "T"}}, "colour", extra));
         }},
        {"action patch",
         [&](const Json& extra) {
             engine->update_action(bob, action.id, {{"colour", extra}});
         }},
        {"comment",
         [&](const Json& extra) {
             engine->add_comment(bob, action.id, with({{"body", "B"}}, "colour", extra));
         }},
        {"indicator",
         [&](const Json& extra) {
             engine->create_indicator(bob,
                                      with({{"project_id", p.id}, {"name", "I"}}, "colour", extra));
         }},
        {"photo",
         [&](const Json& extra) {
             engine->add_photo(bob, action.id, tiny_png(), {{"colour", extra}});
         }},
        {"profile",
         [&](const Json& extra) {
             engine->update_profile(bob, bob.user_id, {{"colour", extra}});
         }},
        {"arguments",
         [&](const Json& extra) {
             engine->execute(ann, "get_group", {{"group_id", g.id}, {"colour", extra}});
         }},
    };
    for (const auto& [what, run] : inputs) {
        for (const Json& extra : {Json("red"), Json(nullptr), Json::object()}) {
            SCOPED_TRACE(what + " with colour = " + extra.dump());
            const auto msg = expect_invalid("colour", [&] { run(extra); });
            EXPECT_NE(msg.find("unknown"), std::string::npos) << msg;
        }
    }
    // Fields the patch of an action does not take (it cannot move to another project).
    expect_invalid("project_id", [&] {
        engine->update_action(bob, action.id, {{"project_id", p.id}});
    });
    expect_invalid("id", [&] { engine->update_action(bob, action.id, {{"id", action.id}}); });
    expect_invalid("created_at", [&] {
        engine->update_action(bob, action.id, {{"created_at", 1}});
    });
    expect_invalid("Title", [&] {
        engine->update_action(bob, action.id, {{"Title", "case matters"}});
    });
}

TEST_F(ValidationTest, PaymentAndPostalFieldsAreNeverAccepted) {  // R17
    for (const char* key :
         {"address", "postal_address", "street", "postcode", "zip", "city", "card_number", "iban",
          "credit_card", "bank_account", "payment", "billing_address"}) {
        SCOPED_TRACE(key);
        auto msg = expect_invalid(key, [&] {
            engine->create_user({{"email", "x@example.com"}, {key, "x"}});
        });
        EXPECT_EQ(msg.rfind("R17:", 0), 0U) << msg;
        msg = expect_invalid(key, [&] { engine->update_profile(bob, bob.user_id, {{key, "x"}}); });
        EXPECT_EQ(msg.rfind("R17:", 0), 0U) << msg;
    }
}

// ---- URLs and images ----------------------------------------------------------------------------

TEST_F(ValidationTest, ResourceUrlsMustBeHttp) {
    for (const std::string& bad :
         {std::string("ftp://x.example"), std::string("javascript:alert(1)"),
          std::string("x.example"), std::string("https://a b.example"),
          std::string("HTTPS://x.example"), std::string(""), std::string(" https://x.example"),
          std::string("https://x.example/\n"), "https://" + repeat("a", 2041)}) {
        SCOPED_TRACE("url = " + shown(bad));
        expect_invalid("url", [&] {
            engine->add_resource(ann, g.id, {{"name", "R"}, {"url", bad}});
        });
        expect_invalid("url", [&] { engine->update_resource(ann, resource.id, {{"url", bad}}); });
    }
    EXPECT_NO_THROW(
        engine->add_resource(ann, g.id, {{"name", "R"}, {"url", "https://" + repeat("a", 2040)}}));
    EXPECT_FALSE(engine->update_resource(ann, resource.id, {{"url", nullptr}}).url.has_value());
}

TEST_F(ValidationTest, ImagesAreCheckedByTheirBytes) {
    const std::vector<std::vector<unsigned char>> bad = {
        {},
        {'h', 'e', 'l', 'l', 'o'},
        {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0},
        {0x89, 'P', 'N', 'G'},  // a truncated signature
        {'%', 'P', 'D', 'F', '-', '1', '.', '7'},
    };
    for (const auto& bytes : bad) {
        SCOPED_TRACE("image of " + std::to_string(bytes.size()) + " bytes");
        auto msg = expect_unchanged(Errc::invalid_argument,
                                    [&] { engine->add_photo(bob, action.id, bytes, nullptr); });
        EXPECT_NE(msg.find("image"), std::string::npos) << msg;
        if (!bytes.empty()) {  // empty bytes clear the avatar
            msg = expect_unchanged(Errc::invalid_argument, [&] { engine->set_avatar(bob, bytes); });
            EXPECT_NE(msg.find("image"), std::string::npos) << msg;
        }
    }
}

TEST_F(ValidationTest, ImagesOverTheSizeCapAreRefused) {
    engine.reset();
    EngineOptions o;
    o.path = db_path;
    o.clock = manual_clock(now);
    o.max_blob_bytes = 100;
    engine = std::make_unique<Engine>(std::move(o));
    std::vector<unsigned char> big = tiny_png();
    big.resize(101, 0);
    const auto msg = expect_unchanged(Errc::invalid_argument,
                                      [&] { engine->add_photo(bob, action.id, big, nullptr); });
    EXPECT_NE(msg.find("too large"), std::string::npos) << msg;
    expect_unchanged(Errc::invalid_argument, [&] { engine->set_avatar(bob, big); });
    big.resize(100);
    EXPECT_NO_THROW(engine->set_avatar(bob, big));
}

// ---- JSON text from outside (the C API and the bindings pass text)
// --------------------------------

TEST_F(ValidationTest, JsonTextIsCheckedBeforeItIsUsed) {
    for (const std::string& bad :
         {std::string("{\"name\": \"a\xFF\"}"), std::string("{\"name\": }"),
          std::string("{} trailing"), std::string(""), std::string("NaN"),
          std::string("{\"name\": \"x\"")}) {
        SCOPED_TRACE("json = " + shown(bad));
        EXPECT_THROW(
            {
                try {
                    parse_json(bad, "input");
                } catch (const Error& e) {
                    EXPECT_EQ(e.code(), Errc::invalid_argument);
                    EXPECT_NE(std::string(e.what()).find("input"), std::string::npos) << e.what();
                    throw;
                }
            },
            Error);
    }
    // Escaped NUL and control characters parse, then the field check refuses them.
    expect_invalid(
        "name", [&] { engine->create_group(ann, parse_json(R"({"name": "a\u0000b"})", "input")); });
    expect_invalid(
        "name", [&] { engine->create_group(ann, parse_json(R"({"name": "a\u001bb"})", "input")); });
    // A lone surrogate escape is not text.
    EXPECT_THROW(parse_json(R"({"name": "\ud800"})", "input"), Error);
    // Nesting is bounded (stack safety against hostile input): 32 levels pass, 33 do not.
    EXPECT_NO_THROW(parse_json(repeat("[", 32) + repeat("]", 32), "input"));
    try {
        parse_json(repeat("[", 33) + repeat("]", 33), "input");
        ADD_FAILURE() << "33 levels of nesting were accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("deep"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_json(repeat("[", 100000), "input"), Error);
    // And size: 16 MiB at most.
    const std::string huge = "\"" + repeat("x", 16U * 1024U * 1024U) + "\"";
    EXPECT_THROW(parse_json(huge, "input"), Error);
}

TEST_F(ValidationTest, ExecuteChecksCommandAndArguments) {
    auto msg =
        expect_unchanged(Errc::invalid_argument, [&] { engine->execute(ann, "drop_tables", {}); });
    EXPECT_NE(msg.find("drop_tables"), std::string::npos) << msg;
    expect_invalid("group_id", [&] { engine->execute(ann, "get_group", Json::object()); });
    expect_invalid("input", [&] { engine->execute(ann, "create_group", {{"input", "G"}}); });
    expect_invalid("recipient_ids", [&] {
        engine->execute(bob, "report_recipients",
                        {{"project_id", p.id}, {"recipient_ids", bob.user_id}});
    });
    expect_invalid("position", [&] {
        engine->execute(ann, "move_step", {{"step_id", step.id}, {"position", 10001}});
    });
}

// ---- the unit functions of model/validate.hpp ---------------------------------------------------

namespace {

template <typename Fn>
std::string invalid_message(Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "expected invalid_argument";
    return {};
}

}  // namespace

TEST(ValidateUnit, Utf8) {
    for (const std::string& good :
         {std::string(""), std::string("plain"), std::string("caf\xC3\xA9"),
          std::string("\xE2\x82\xAC"), std::string("\xF0\x9F\x98\x80"),
          std::string("\xF4\x8F\xBF\xBF"), std::string("\xEF\xBF\xBF"), std::string("\0", 1)}) {
        EXPECT_TRUE(validate::is_valid_utf8(good)) << shown(good);
    }
    for (const auto& bad : kInvalidUtf8) EXPECT_FALSE(validate::is_valid_utf8(bad)) << shown(bad);
}

TEST(ValidateUnit, Text) {
    EXPECT_NO_THROW(validate::text("name", "Ann", 200));
    EXPECT_NO_THROW(validate::text("name", repeat("\xC3\xA9", 200), 200));
    EXPECT_NO_THROW(validate::text("note", "", 10, /*allow_empty=*/true));
    EXPECT_NO_THROW(validate::text("note", "a\nb\tc\r", 10, false, /*multiline=*/true));
    auto msg = invalid_message([] { validate::text("title", repeat("x", 301), 300); });
    EXPECT_EQ(msg, "'title' is too long (at most 300 characters)");
    msg = invalid_message([] { validate::text("title", repeat("\xC3\xA9", 301), 300); });
    EXPECT_EQ(msg, "'title' is too long (at most 300 characters)");
    msg = invalid_message([] { validate::text("name", "   ", 200); });
    EXPECT_EQ(msg, "'name' must not be empty");
    msg = invalid_message([] { validate::text("name", "", 200); });
    EXPECT_EQ(msg, "'name' must not be empty");
    msg = invalid_message([] { validate::text("body", " \n\t", 200, false, true); });
    EXPECT_EQ(msg, "'body' must not be empty");
    msg = invalid_message([] { validate::text("name", std::string("a\0b", 3), 200); });
    EXPECT_EQ(msg, "'name' contains a NUL character");
    msg = invalid_message([] { validate::text("name", "a\nb", 200); });
    EXPECT_EQ(msg, "'name' contains a control character");
    msg = invalid_message([] { validate::text("note", "a\x1b", 200, true, true); });
    EXPECT_EQ(msg, "'note' contains a control character");
    msg = invalid_message([] { validate::text("note", "a\x7f", 200, true, true); });
    EXPECT_EQ(msg, "'note' contains a control character");
    msg = invalid_message([] { validate::text("name", "a\xC3", 200); });
    EXPECT_EQ(msg, "'name' is not valid UTF-8");
}

TEST(ValidateUnit, Email) {
    EXPECT_EQ(validate::email("Ann.Archer@Example.COM"), "ann.archer@example.com");
    EXPECT_EQ(validate::email("a@b.co"), "a@b.co");
    EXPECT_EQ(validate::email("\xC3\x89ve@exa.example"),
              "\xC3\x89ve@exa.example");  // only ASCII folded
    for (const auto& bad : kBadEmails) {
        const auto msg = invalid_message([&] { validate::email(bad); });
        EXPECT_NE(msg.find("'email'"), std::string::npos) << shown(bad) << ": " << msg;
    }
}

TEST(ValidateUnit, Id) {
    EXPECT_NO_THROW(validate::id("id", "0f5c2a4e-9b1d-4c3a-8e7f-6a5b4c3d2e1f"));
    EXPECT_NO_THROW(validate::id("id", "00000000-0000-0000-0000-000000000000"));
    for (const auto& bad : kMalformedIds) {
        const auto msg = invalid_message([&] { validate::id("owner_id", bad); });
        EXPECT_EQ(msg, "'owner_id' is not a valid id (expected a lower-case UUID)") << shown(bad);
    }
}

TEST(ValidateUnit, Date) {
    for (const char* good :
         {"2026-03-02", "2024-02-29", "2000-02-29", "1900-01-01", "9999-12-31"}) {
        EXPECT_NO_THROW(validate::date("due_date", good)) << good;
    }
    for (const auto& bad : kBadDates) {
        const auto msg = invalid_message([&] { validate::date("due_date", bad); });
        EXPECT_EQ(msg.rfind("'due_date' is not a date YYYY-MM-DD", 0), 0U)
            << shown(bad) << ": " << msg;
    }
    EXPECT_ANY_THROW(validate::date("d", "1900-02-29"));  // 1900 was not a leap year
}

TEST(ValidateUnit, Week) {
    for (const auto& bad : kBadWeeks) {
        const auto msg = invalid_message([&] { validate::week("week", bad); });
        EXPECT_EQ(msg.rfind("'week' is not an ISO week YYYY-Www", 0), 0U)
            << shown(bad) << ": " << msg;
    }
    // Week 53 exists exactly in the years whose 1 January or 31 December is a Thursday.
    using namespace std::chrono;
    for (int y = 1900; y <= 2400; ++y) {
        const bool long_year = weekday(sys_days(year(y) / January / 1)) == Thursday ||
                               weekday(sys_days(year(y) / December / 31)) == Thursday;
        char w53[16];
        std::snprintf(w53, sizeof w53, "%04d-W53", y);
        char w52[16];
        std::snprintf(w52, sizeof w52, "%04d-W52", y);
        EXPECT_NO_THROW(validate::week("week", w52)) << w52;
        if (long_year) {
            EXPECT_NO_THROW(validate::week("week", w53)) << w53;
        } else {
            EXPECT_ANY_THROW(validate::week("week", w53)) << w53;
        }
    }
}

TEST(ValidateUnit, RangeAndFinite) {
    EXPECT_NO_THROW(validate::range("progress", 0, 0, 100));
    EXPECT_NO_THROW(validate::range("progress", 100, 0, 100));
    EXPECT_EQ(invalid_message([] { validate::range("progress", 101, 0, 100); }),
              "'progress' must be between 0 and 100");
    EXPECT_EQ(invalid_message([] { validate::range("priority", -1, 0, 3); }),
              "'priority' must be between 0 and 3");
    for (const double good : {0.0, -0.0, 1e15, -1e15, 5e-324, 123.456}) {
        EXPECT_NO_THROW(validate::finite("impact", good)) << good;
    }
    for (const double bad :
         {std::nan(""), std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity(), 1e15 * (1 + 1e-15), DBL_MAX}) {
        EXPECT_EQ(invalid_message([&] { validate::finite("impact", bad); }),
                  "'impact' must be a finite number of at most 1e15 in size")
            << bad;
    }
}

TEST(ValidateUnit, Url) {
    EXPECT_NO_THROW(validate::url("url", "https://x.example/a?b=c#d"));
    EXPECT_NO_THROW(validate::url("url", "http://10.0.0.1:8080/"));
    for (const std::string& bad :
         {std::string("ftp://x"), std::string("https://a b"), std::string("mailto:a@b.co"),
          std::string(""), std::string("https://x\n"), "https://" + repeat("a", 2041)}) {
        const auto msg = invalid_message([&] { validate::url("link", bad); });
        EXPECT_NE(msg.find("'link'"), std::string::npos) << shown(bad) << ": " << msg;
    }
}

TEST(ValidateUnit, EnumerationsFromText) {
    EXPECT_EQ(step_kind_from("open"), StepKind::open);
    EXPECT_EQ(project_status_from("closed"), ProjectStatus::closed);
    EXPECT_EQ(user_status_from("bronze"), UserStatus::bronze);
    EXPECT_NE(invalid_message([] { step_kind_from("Open"); }).find("'kind'"), std::string::npos);
    EXPECT_NE(invalid_message([] { project_status_from("archived"); }).find("'status'"),
              std::string::npos);
    EXPECT_NE(invalid_message([] { user_status_from(""); }).find("'status'"), std::string::npos);
}

TEST(ValidateUnit, JsonReader) {
    const Json in = {{"name", "Ann"}, {"note", nullptr}, {"n", 5}, {"x", 1.5}, {"flag", true}};
    JsonReader r(in, "thing");
    EXPECT_TRUE(r.has("note"));
    EXPECT_TRUE(r.is_null("note"));
    EXPECT_FALSE(r.has("missing"));
    EXPECT_EQ(r.string("name", 10), "Ann");
    // A field that always has a value cannot be set to null; an optional one is cleared by null.
    EXPECT_EQ(invalid_message([&] { r.opt_string("note", 10); }), "'note' cannot be null");
    EXPECT_FALSE(r.nullable_string("note", 10).has_value());
    EXPECT_FALSE(r.opt_string("missing", 10).has_value());
    EXPECT_EQ(r.opt_int("n", 0, 9), 5);
    EXPECT_EQ(r.opt_number("x"), 1.5);
    EXPECT_THROW(r.finish(), Error);  // 'flag' was never read
    EXPECT_EQ(invalid_message([&] { r.finish(); }), "unknown field 'flag' in thing");
    EXPECT_EQ(r.opt_bool("flag"), true);
    EXPECT_NO_THROW(r.finish());

    JsonReader r2(in, "thing");
    EXPECT_EQ(invalid_message([&] { r2.string("missing", 10); }), "'missing' is required in thing");
    EXPECT_EQ(invalid_message([&] { r2.string("n", 10); }), "'n' must be a string");
    EXPECT_EQ(invalid_message([&] { r2.id("name"); }),
              "'name' is not a valid id (expected a lower-case UUID)");
    EXPECT_EQ(invalid_message([&] { r2.opt_int("x", 0, 9); }), "'x' must be an integer");
    EXPECT_EQ(invalid_message([&] { r2.opt_int("n", 0, 4); }), "'n' must be between 0 and 4");
    EXPECT_EQ(invalid_message([&] { r2.opt_bool("n"); }), "'n' must be true or false");
    EXPECT_EQ(invalid_message([&] { r2.opt_number("name"); }), "'name' must be a number");
    EXPECT_EQ(invalid_message([&] { r2.opt_date("n"); }), "'n' must be a date string YYYY-MM-DD");
    const Json not_an_object = Json::array();
    EXPECT_EQ(invalid_message([&] { JsonReader bad(not_an_object, "thing"); }),
              "thing must be a JSON object");
}

}  // namespace leandesk::testing
