// The cross-language consistency scenario (issue 7). Every binding (Python, Kotlin, Swift) runs the
// same steps against the real engine and must observe the same results. The steps, in order:
//
//  1. Open a fresh database file with options {"password_opslimit":1,"password_memlimit":8192} and
//     a mail sender that captures the mails.
//  2. Sign up Ann Archer <ann@example.com>, Bob Baker <bob@example.com>, Cat Carter
//     <cat@example.com>, each with the password "correct horse battery"; activate each with the
//     code of their activation mail (the line of the mail's text that starts with four spaces,
//     trimmed); sign each in.
//  3. Ann creates the group "Lean Team" (R1): she is its manager. She adds bob@example.com and
//     cat@example.com (R2): the group has 3 members.
//  4. Ann creates the project "Pilot" in the group (R5: she owns it and is its first participant)
//     and adds Bob as participant (R6): 2 participants.
//  5. Bob creates the action "Measure" in Pilot (R9, as participant): it lands in the open step
//     "Ideas" and Bob is its creator.
//  6. Cat (member, not participant) tries to create the action "Sneak" in Pilot: refused with
//     code permission denied (-3) and a message starting "R9:"; Pilot still has 1 action.
//     Cat reading Pilot (get_project) is refused too: permission denied (-3), message starting
//     "R8:" (only participants, R8, and the group manager, R7, read a project).
//  7. E-mail visibility in group_members (R13), as the sets of members whose "email" key is
//     present:  Ann (manager) sees {Ann, Bob, Cat};  Bob sees {Ann, Bob} (Ann is a co-participant,
//     R8);  Cat sees {Cat} only.
//  8. Ann hands Pilot's ownership to Bob (R6) and leaves Pilot: she is now manager but not
//     participant. Pilot's participants: {Bob}.
//  9. Ann reads Pilot's actions (R7, the manager reads all data of the group): 1 action, titled
//     "Measure". Ann's group_projects lists Pilot; Ann's my_projects does not.
// 10. E-mail visibility again: Bob now sees {Bob} only (Ann is no longer a co-participant, and the
//     manager role does not reveal the manager's own address); Ann still sees all three.
//
// The results are gathered into one JSON object (`observed` below) and compared with `expected`,
// so another binding can copy the same object literally.

import Foundation
import LeanDesk
import XCTest

final class ConsistencyScenarioTests: XCTestCase {
    static let expected: JSONValue = [
        "members_count": 3,
        "participants_after_add": ["Ann Archer", "Bob Baker"],
        "measure_step": "Ideas",
        "cat_create_action": ["code": -3, "name": "permission denied", "rule": "R9"],
        "actions_after_refusal": 1,
        "cat_get_project": ["code": -3, "name": "permission denied", "rule": "R8"],
        "emails_seen_by": [
            "ann": ["Ann Archer", "Bob Baker", "Cat Carter"],
            "bob": ["Ann Archer", "Bob Baker"],
            "cat": ["Cat Carter"],
        ],
        "participants_after_ann_left": ["Bob Baker"],
        "pilot_owner": "Bob Baker",
        "ann_reads_actions": ["Measure"],
        "ann_group_projects": ["Pilot"],
        "ann_my_projects": [],
        "emails_seen_after_ann_left": [
            "ann": ["Ann Archer", "Bob Baker", "Cat Carter"],
            "bob": ["Bob Baker"],
            "cat": ["Cat Carter"],
        ],
    ]

    func testScenario() throws {
        // 1–2
        let f = try Fixture(options: DatabaseOptions(passwordOpslimit: 1, passwordMemlimit: 8192))
        let ann = try f.user("Ann", "Archer")
        let bob = try f.user("Bob", "Baker")
        let cat = try f.user("Cat", "Carter")
        let names = Dictionary(uniqueKeysWithValues: try [ann, bob, cat].map {
            let me = try $0.me()
            return (me.id, me.displayName)
        })
        let bobID = try bob.me().id
        var observed: [String: JSONValue] = [:]

        // 3
        let group = try ann.createGroup(name: "Lean Team")
        XCTAssertEqual(group.managerID, try ann.me().id)
        try ann.addMember(email: "bob@example.com", toGroup: group.id)
        try ann.addMember(email: "cat@example.com", toGroup: group.id)
        observed["members_count"] = .int(Int64(try ann.members(ofGroup: group.id).count))

        // 4
        let pilot = try ann.createProject(NewProject(groupID: group.id, name: "Pilot"))
        try ann.addParticipant(bobID, toProject: pilot.id)
        observed["participants_after_add"] = sortedNames(try ann.participants(ofProject: pilot.id))

        // 5
        let measure = try bob.createAction(NewAction(projectID: pilot.id, title: "Measure"))
        XCTAssertEqual(measure.createdBy, bobID)
        observed["measure_step"] = .string(
            try bob.steps(ofGroup: group.id).first { $0.id == measure.stepID }?.name ?? "?")

        // 6
        observed["cat_create_action"] = errorSummary(withRule: true) {
            try cat.createAction(NewAction(projectID: pilot.id, title: "Sneak"))
        }
        observed["actions_after_refusal"] = .int(Int64(try bob.actions(ofProject: pilot.id).count))
        observed["cat_get_project"] = errorSummary(withRule: true) { try cat.project(pilot.id) }

        // 7
        observed["emails_seen_by"] = try emailsSeen(group.id, ann: ann, bob: bob, cat: cat)

        // 8
        try ann.transferProject(pilot.id, toOwner: bobID)
        try ann.leaveProject(pilot.id)
        observed["participants_after_ann_left"] = sortedNames(try bob.participants(ofProject: pilot.id))
        observed["pilot_owner"] = .string(names[try ann.project(pilot.id).ownerID] ?? "?")

        // 9
        observed["ann_reads_actions"] = .array(try ann.actions(ofProject: pilot.id).map { .string($0.title) })
        observed["ann_group_projects"] = .array(try ann.projects(inGroup: group.id).map { .string($0.name) })
        observed["ann_my_projects"] = .array(try ann.projects().map { .string($0.name) })

        // 10
        observed["emails_seen_after_ann_left"] = try emailsSeen(group.id, ann: ann, bob: bob, cat: cat)

        let result = JSONValue.object(observed)
        XCTAssertEqual(result, Self.expected,
                       "observed \(result.jsonText)\nexpected \(Self.expected.jsonText)")
    }

    private func sortedNames(_ people: [Person]) -> JSONValue {
        .array(people.map(\.displayName).sorted().map { .string($0) })
    }

    private func emailsSeen(_ groupID: String, ann: Session, bob: Session,
                            cat: Session) throws -> JSONValue {
        func seen(_ s: Session) throws -> JSONValue {
            sortedNames(try s.members(ofGroup: groupID).filter { $0.email != nil })
        }
        return ["ann": try seen(ann), "bob": try seen(bob), "cat": try seen(cat)]
    }

    private func errorSummary(withRule: Bool = false, _ body: () throws -> Any) -> JSONValue {
        do {
            _ = try body()
            return "succeeded"
        } catch let error as LeanDeskError {
            var summary: [String: JSONValue] = [
                "code": .int(Int64(error.code.rawValue)), "name": .string(error.code.name),
            ]
            if withRule { summary["rule"] = error.rule.map { .string($0) } ?? .null }
            return .object(summary)
        } catch {
            return .string("\(error)")
        }
    }
}
