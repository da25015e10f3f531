import Foundation
import LeanDesk
import XCTest

/// Every entity decodes from the engine's JSON without losing a field, and from literal samples
/// with optional fields both set and null; the inputs encode to what the engine expects.
final class CodableTests: XCTestCase {
    // MARK: From the real engine, losslessly

    func testEveryEntityFromTheEngineRoundTrips() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let bob = try f.user("Bob", "Baker")
        let bobID = try bob.me().id
        _ = try ann.setAvatar(tinyPNG)

        let group = try ann.createGroup(name: "Team")
        try ann.addMember(email: "bob@example.com", toGroup: group.id)
        try ann.addMember(email: "newcomer@example.com", toGroup: group.id)  // R16: no account yet
        try ann.addResource(NewResource(name: "Guide", url: "https://example.com/guide"), toGroup: group.id)
        try ann.addResource(NewResource(name: "Note", note: "Bring boots"), toGroup: group.id)
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Pilot",
                                                       description: "Now", futureState: "Later",
                                                       startDate: "2026-01-05", targetDate: "2026-06-30"))
        _ = try ann.createProject(NewProject(groupID: group.id, name: "Bare"))
        let participant = try ann.addParticipant(bobID, toProject: project.id)
        XCTAssertEqual(participant.projectID, project.id)
        XCTAssertEqual(participant.userID, bobID)
        let indicator = try ann.createIndicator(NewIndicator(projectID: project.id, name: "Lead time",
                                                             unit: "days", baseline: 10, target: 4.5))
        let full = try ann.createAction(NewAction(
            projectID: project.id, title: "Measure", description: "Every step", ownerID: bobID,
            context: "@floor", dueDate: "2020-01-06", priority: 3, progress: 50,
            indicatorID: indicator.id, impact: -2.5))
        XCTAssertTrue(full.overdue)
        let bare = try bob.createAction(NewAction(projectID: project.id, title: "Bare"))
        XCTAssertFalse(bare.overdue)
        let done = try ann.steps(ofGroup: group.id).first { $0.kind == .done }!
        try ann.moveAction(bare.id, toStep: done.id)
        try ann.addPhoto(tinyPNG, toAction: full.id, options: PhotoOptions(caption: "Before", takenAt: 1_767_225_600_000))
        try ann.addPhoto(tinyPNG, toAction: full.id)
        try bob.addComment("Started", toAction: full.id)
        try ann.setIndicatorValue(indicator.id, week: "2026-W02", actual: 9.25)

        let g: JSONValue = ["group_id": .string(group.id)]
        let p: JSONValue = ["project_id": .string(project.id)]
        try assertLossless([Group].self, try ann.execute("my_groups"), minimum: 1)
        try assertLossless(Group.self, try ann.execute("get_group", arguments: g))
        try assertLossless([Person].self, try ann.execute("group_members", arguments: g), minimum: 3)
        try assertLossless([Person].self, try bob.execute("group_members", arguments: g), minimum: 3)
        try assertLossless([Step].self, try ann.execute("group_steps", arguments: g), minimum: 4)
        try assertLossless([Resource].self, try ann.execute("group_resources", arguments: g), minimum: 2)
        try assertLossless([Project].self, try ann.execute("group_projects", arguments: g), minimum: 2)
        try assertLossless(Project.self, try ann.execute("get_project", arguments: p))
        try assertLossless([Action].self, try ann.execute("project_actions", arguments: p), minimum: 2)
        try assertLossless([Indicator].self, try ann.execute("project_indicators", arguments: p), minimum: 1)
        try assertLossless(ProjectReview.self, try ann.execute("project_review", arguments: p))
        try assertLossless(ActionDetail.self, try ann.execute("get_action", arguments: ["action_id": .string(full.id)]))
        try assertLossless([IndicatorPoint].self,
                           try ann.execute("indicator_curve", arguments: ["indicator_id": .string(indicator.id)]),
                           minimum: 1)
        try assertLossless([Action].self, try bob.execute("dashboard"))
        try assertLossless(User.self, try ann.execute("get_user", arguments: ["user_id": .string(try ann.me().id)]))
        try assertLossless(IndicatorValue.self,
                           try ann.execute("set_indicator_value", arguments: [
                               "indicator_id": .string(indicator.id), "week": "2026-W03", "actual": 8,
                           ]))
        try assertLossless(Participant.self, try ann.execute("add_participant", arguments: [
            "project_id": .string(try ann.createProject(NewProject(groupID: group.id, name: "Third")).id),
            "user_id": .string(bobID),
        ]))

        // The typed calls decode the same data.
        let detail = try ann.action(full.id)
        XCTAssertEqual(detail.action.ownerID, bobID)
        XCTAssertEqual(detail.action.impact, -2.5)
        XCTAssertEqual(detail.action.priority, 3)
        XCTAssertEqual(detail.photos.count, 2)
        // Both photos were added in the same millisecond, so their order is not specified.
        let before = try XCTUnwrap(detail.photos.first { $0.caption == "Before" })
        let other = try XCTUnwrap(detail.photos.first { $0.caption.isEmpty })
        XCTAssertEqual(before.mime, .png)
        XCTAssertEqual(before.takenAt, 1_767_225_600_000)
        XCTAssertNil(other.takenAt)
        XCTAssertEqual(before.blob, other.blob, "stored once, by content hash")
        XCTAssertEqual(detail.comments.map(\.body), ["Started"])
        let review = try ann.review(ofProject: project.id)
        XCTAssertEqual(review.steps.count, 4)
        XCTAssertEqual(review.steps.flatMap(\.actions).count, 2)
        XCTAssertTrue(review.steps.first { $0.step.kind == .done }!.actions.allSatisfy(\.isDone))
        XCTAssertEqual(review.indicators.first?.target, 4.5)
        let newcomer = try ann.members(ofGroup: group.id).first { $0.email == "newcomer@example.com" }
        XCTAssertEqual(newcomer?.activated, false)
        XCTAssertEqual(newcomer?.displayName, "newcomer@example.com")

        // Changes, session info, storage info, policy and usage rows.
        let changes = try f.database.changes(after: 0, limit: 100_000)
        XCTAssertFalse(changes.isEmpty)
        XCTAssertEqual(changes.map(\.seq), changes.map(\.seq).sorted())
        XCTAssertTrue(changes.contains { $0.entity == .indicatorValue && $0.op == .update })
        XCTAssertTrue(changes.contains { $0.entity == .member && $0.fields.isEmpty })
        XCTAssertTrue(changes.contains { $0.entity == .user && $0.groupID == nil && $0.projectID == nil })
        let limited = try f.database.changes(after: changes[0].seq, limit: 2)
        XCTAssertEqual(limited.map(\.seq), Array(changes.dropFirst().prefix(2)).map(\.seq))
    }

    // MARK: From literal samples, null and set

    func testLiteralSamplesDecode() throws {
        let user = try decode(User.self, """
            {"id":"11111111-1111-4111-8111-111111111111","email":"ann@example.com","first_name":"Ann",
             "last_name":"Archer","display_name":"Ann Archer","avatar":null,"status":"silver",
             "activated_at":1767225600000,"deactivated":false,"newsletter_opt_in":true,
             "show_open_actions_on_dashboard":false,"accepted_policy_version":2,"last_active_at":null,
             "created_at":1767225500000}
            """)
        XCTAssertEqual(user.status, .silver)
        XCTAssertNil(user.avatar)
        XCTAssertEqual(user.activatedAt, 1_767_225_600_000)
        XCTAssertTrue(user.isActivated)
        XCTAssertEqual(user.acceptedPolicyVersion, 2)
        XCTAssertFalse(user.showOpenActionsOnDashboard)

        let person = try decode(Person.self, """
            {"id":"11111111-1111-4111-8111-111111111111","display_name":"Ann Archer","first_name":"Ann",
             "last_name":"Archer","avatar":"\(String(repeating: "ab", count: 32))","status":"gold","activated":true}
            """)
        XCTAssertNil(person.email)
        XCTAssertEqual(person.avatar?.count, 64)

        let action = try decode(Action.self, """
            {"id":"a","project_id":"p","title":"T","description":"","step_id":"s","owner_id":null,
             "context":"","due_date":null,"priority":0,"progress":100,"indicator_id":null,"impact":null,
             "position":1.5,"created_by":null,"created_at":1,"updated_at":2,"done_at":3,"overdue":false}
            """)
        XCTAssertEqual(action.position, 1.5)
        XCTAssertTrue(action.isDone)
        XCTAssertNil(action.ownerID)

        let change = try decode(Change.self, """
            {"seq":7,"entity":"indicator_value","entity_id":"i/2026-W09","op":"update","fields":["actual"],
             "at":5,"actor":null,"group_id":"g","project_id":"p"}
            """)
        XCTAssertEqual(change.entity, .indicatorValue)
        XCTAssertEqual(change.op, .update)
        XCTAssertNil(change.actor)

        let info = try decode(SessionInfo.self, """
            {"user_id":null,"expires_at":9,"policy_notice_required":false,"policy_version":0,"is_operator":true}
            """)
        XCTAssertTrue(info.isOperator)
        XCTAssertNil(info.userID)

        let member = try decode(Member.self, #"{"group_id":"g","user_id":"u","added_by":null,"added_at":4}"#)
        XCTAssertNil(member.addedBy)
        let point = try decode(IndicatorPoint.self, #"{"week":"2026-W53","expected":10,"actual":null}"#)
        XCTAssertEqual(point.expected, 10)
        XCTAssertNil(point.actual)
        let policy = try decode(PolicyVersion.self, #"{"version":3,"summary":"S","published_at":8}"#)
        XCTAssertEqual(policy.version, 3)
        let usage = try decode(UsageCount.self, """
            {"event":"sync","platform":"ios","os_version":"18","app_version":"1.2","device_class":"tablet","count":4}
            """)
        XCTAssertEqual(usage.deviceClass, "tablet")
        let mail = try decode(Mail.self, #"{"to":"a@b.co","to_name":"","subject":"S","text":"T","html":"H"}"#)
        XCTAssertEqual(mail.toName, "")
        let resource = try decode(Resource.self, #"{"id":"r","group_id":"g","name":"N","url":null,"note":"x"}"#)
        XCTAssertNil(resource.url)
        let photo = try decode(Photo.self, """
            {"id":"p","action_id":"a","blob":"h","mime":"image/heic","size":3,"caption":"","taken_at":null,
             "added_by":null,"created_at":1}
            """)
        XCTAssertEqual(photo.mime, .heic)

        // An unknown status value is a decoding error, reported as such.
        XCTAssertThrowsError(try decode(UserStatus.self, #""platinum""#))
    }

    // MARK: Inputs

    func testInputsEncodeOnlyWhatIsSet() throws {
        let action = NewAction(projectID: "p", title: "T", dueDate: "2026-03-02", priority: 2)
        XCTAssertEqual(try encoded(action), ["project_id": "p", "title": "T", "due_date": "2026-03-02", "priority": 2])

        var patch = ActionPatch()
        XCTAssertEqual(try encoded(patch), [:])
        patch.title = "New"
        patch.ownerID = .clear
        patch.dueDate = .set("2026-04-01")
        patch.impact = .set(1.5)
        XCTAssertEqual(try encoded(patch), ["title": "New", "owner_id": nil, "due_date": "2026-04-01", "impact": 1.5])

        XCTAssertEqual(try encoded(ProjectPatch(targetDate: .clear, status: .closed)),
                       ["target_date": nil, "status": "closed"])
        XCTAssertEqual(try encoded(ResourcePatch(url: .clear)), ["url": nil])
        XCTAssertEqual(try encoded(NewStep(name: "Check", kind: .done)), ["name": "Check", "kind": "done"])
        XCTAssertEqual(try encoded(DatabaseOptions.fastPasswordHashingForTests),
                       ["password_opslimit": 1, "password_memlimit": 8192])
        XCTAssertEqual(try encoded(ProfilePatch(showOpenActionsOnDashboard: true)),
                       ["show_open_actions_on_dashboard": true])
    }

    func testJSONValue() throws {
        let v: JSONValue = ["a": [1, 2.5, "x", nil, true]]
        XCTAssertEqual(v["a"]?[0]?.intValue, 1)
        XCTAssertEqual(v["a"]?[1]?.doubleValue, 2.5)
        XCTAssertEqual(v["a"]?[2]?.stringValue, "x")
        XCTAssertEqual(v["a"]?[3]?.isNull, true)
        XCTAssertEqual(v["a"]?[4]?.boolValue, true)
        XCTAssertNil(v["b"])
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: Data(v.jsonText.utf8)), v)
    }

    // MARK: Helpers

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    private func encoded<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// Decodes `raw` as `T`, re-encodes it and checks nothing was lost (null and absent count as
    /// the same; numbers compare by value). Also checks arrays hold at least `minimum` elements.
    @discardableResult
    private func assertLossless<T: Codable>(_ type: T.Type, _ raw: JSONValue, minimum: Int = 0,
                                            file: StaticString = #filePath, line: UInt = #line) throws -> T {
        let typed = try raw.decode(T.self)
        let back = try encoded(typed)
        XCTAssertEqual(normalized(raw), normalized(back), "\(T.self) lost data", file: file, line: line)
        if let array = raw.arrayValue {
            XCTAssertGreaterThanOrEqual(array.count, minimum, "\(T.self)", file: file, line: line)
        }
        return typed
    }

    private func normalized(_ v: JSONValue) -> JSONValue {
        switch v {
        case .int(let i): return .double(Double(i))
        case .array(let a): return .array(a.map(normalized))
        case .object(let o): return .object(o.filter { !$0.value.isNull }.mapValues(normalized))
        default: return v
        }
    }
}
