import Foundation
import LeanDesk
import XCTest

/// Groups, steps, resources, projects, participants, actions, comments, indicators and photos,
/// through the typed methods, with the rules that guard them.
final class PlanTests: XCTestCase {
    func testGroupsMembersStepsAndResources() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let bob = try f.user("Bob", "Baker")
        let bobID = try bob.me().id

        let group = try ann.createGroup(NewGroup(name: "Team", id: "0f0e0d0c-0b0a-4908-8706-050403020100"))
        XCTAssertEqual(group.id, "0f0e0d0c-0b0a-4908-8706-050403020100", "client-made ids are kept")
        XCTAssertEqual(try ann.groups().map(\.id), [group.id])
        XCTAssertEqual(try ann.renameGroup(group.id, to: "Lean Team").name, "Lean Team")

        let added = try ann.addMember(email: "bob@example.com", toGroup: group.id)
        XCTAssertEqual(added.id, bobID)
        XCTAssertEqual(try bob.group(group.id).name, "Lean Team")

        // Steps: the defaults, then add, update, move, remove.
        let defaults = try ann.steps(ofGroup: group.id)
        XCTAssertEqual(defaults.map(\.name), ["Ideas", "To do", "In progress", "Done"])
        XCTAssertEqual(defaults.map(\.kind), [.open, .active, .active, .done])
        let check = try ann.addStep(NewStep(name: "Check"), toGroup: group.id)
        XCTAssertEqual(check.kind, .active)
        XCTAssertEqual(check.position, 4)
        XCTAssertEqual(try ann.updateStep(check.id, StepPatch(name: "Verify", kind: .done)).kind, .done)
        let reordered = try ann.moveStep(check.id, to: 0)
        XCTAssertEqual(reordered.first?.name, "Verify")
        XCTAssertEqual(reordered.map(\.position), Array(0..<5))
        assertLeanDeskError(.permissionDenied, messagePrefix: "R2") { try bob.addStep(NewStep(name: "X"), toGroup: group.id) }
        try ann.removeStep(check.id)
        XCTAssertEqual(try ann.steps(ofGroup: group.id).count, 4)

        // Resources.
        let link = try ann.addResource(NewResource(name: "Guide", url: "https://example.com"), toGroup: group.id)
        var patch = ResourcePatch()
        patch.url = .clear
        patch.note = .set("Ask Ann")
        let edited = try ann.updateResource(link.id, patch)
        XCTAssertNil(edited.url)
        XCTAssertEqual(edited.note, "Ask Ann")
        XCTAssertEqual(try bob.resources(ofGroup: group.id).map(\.name), ["Guide"])
        try ann.removeResource(link.id)
        XCTAssertTrue(try ann.resources(ofGroup: group.id).isEmpty)

        // Manager hand-over, leaving and removing (R2–R4).
        XCTAssertEqual(try ann.transferGroup(group.id, toManager: bobID).managerID, bobID)
        try ann.leaveGroup(group.id)
        assertLeanDeskError(.permissionDenied) { try ann.group(group.id) }
        try bob.addMember(email: "ann@example.com", toGroup: group.id)
        try bob.removeMember(try ann.me().id, fromGroup: group.id)
        XCTAssertEqual(try bob.members(ofGroup: group.id).map(\.id), [bobID])
        try bob.deleteGroup(group.id)
        XCTAssertTrue(try bob.groups().isEmpty)
    }

    func testProjectsActionsIndicatorsAndPhotos() throws {
        let f = try Fixture()
        let ann = try f.user("Ann", "Archer")
        let bob = try f.user("Bob", "Baker")
        let annID = try ann.me().id
        let bobID = try bob.me().id
        let group = try ann.createGroup(name: "Team")
        try ann.addMember(email: "bob@example.com", toGroup: group.id)

        // Projects and participants.
        let project = try ann.createProject(NewProject(groupID: group.id, name: "Pilot", startDate: "2026-01-05",
                                                       targetDate: "2026-03-30"))
        XCTAssertEqual(project.ownerID, annID)
        XCTAssertEqual(project.status, .active)
        XCTAssertEqual(try ann.projects().map(\.id), [project.id])
        try ann.addParticipant(bobID, toProject: project.id)
        XCTAssertEqual(Set(try bob.participants(ofProject: project.id).compactMap(\.email)),
                       ["ann@example.com", "bob@example.com"])
        let updated = try ann.updateProject(project.id, ProjectPatch(name: "Pilot line", targetDate: .clear))
        XCTAssertEqual(updated.name, "Pilot line")
        XCTAssertNil(updated.targetDate)
        XCTAssertEqual(try ann.reportRecipients(ofProject: project.id, userIDs: [bobID]).map(\.email),
                       ["bob@example.com"])

        // Indicators.
        let indicator = try bob.createIndicator(NewIndicator(projectID: project.id, name: "Scrap", unit: "%",
                                                             baseline: 12, target: 5))
        XCTAssertEqual(try ann.updateIndicator(indicator.id, IndicatorPatch(target: 4)).target, 4)
        let value = try bob.setIndicatorValue(indicator.id, week: "2026-W02", actual: 11)
        XCTAssertEqual(value.actual, 11)
        XCTAssertEqual(value.week, "2026-W02")

        // Actions.
        let steps = try ann.steps(ofGroup: group.id)
        let action = try bob.createAction(NewAction(projectID: project.id, title: "Sort the bins", ownerID: bobID,
                                                    dueDate: "2026-01-20", indicatorID: indicator.id, impact: -3))
        XCTAssertEqual(action.stepID, steps[0].id, "no step: the open step")
        var patch = ActionPatch()
        patch.progress = 40
        patch.ownerID = .clear
        let edited = try ann.updateAction(action.id, patch)
        XCTAssertEqual(edited.progress, 40)
        XCTAssertNil(edited.ownerID)
        let second = try ann.createAction(NewAction(projectID: project.id, title: "Label", stepID: steps[1].id))
        let moved = try ann.moveAction(action.id, toStep: steps[1].id, before: second.id)
        XCTAssertLessThan(moved.position, second.position)
        let done = try ann.moveAction(action.id, toStep: steps[3].id)
        XCTAssertTrue(done.isDone)
        XCTAssertEqual(try ann.actions(ofProject: project.id).count, 2)
        XCTAssertEqual(try bob.indicators(ofProject: project.id).map(\.id), [indicator.id])

        let curve = try ann.indicatorCurve(indicator.id)
        XCTAssertEqual(curve.first?.expected, 12)
        XCTAssertEqual(curve.first { $0.week == "2026-W02" }?.actual, 11)
        XCTAssertEqual(curve.last?.expected, 9, "baseline plus the impact of the action due by then")
        try bob.clearIndicatorValue(indicator.id, week: "2026-W02")
        XCTAssertNil(try ann.indicatorCurve(indicator.id).first { $0.week == "2026-W02" }?.actual)

        // Comments and photos.
        let comment = try bob.addComment("Done on Friday", toAction: action.id)
        assertLeanDeskError(.permissionDenied) { try ann.deleteComment(comment.id) }
        try bob.deleteComment(comment.id)
        let photo = try ann.addPhoto(tinyPNG, toAction: action.id, options: PhotoOptions(caption: "After"))
        XCTAssertEqual(photo.size, tinyPNG.count)
        XCTAssertEqual(try bob.blob(photo.blob), tinyPNG)
        assertLeanDeskError(.invalidArgument) { try ann.addPhoto(Data("not an image".utf8), toAction: action.id) }
        try bob.removePhoto(photo.id)
        XCTAssertTrue(try ann.action(action.id).photos.isEmpty)

        // The dashboard shows the user's own actions.
        try ann.updateAction(second.id, ActionPatch(ownerID: .set(bobID)))
        XCTAssertEqual(try bob.dashboard().map(\.id), [second.id])

        // Deleting: action, indicator, then leaving, transfer and the project (R6, R14).
        try ann.deleteAction(second.id)
        try ann.deleteIndicator(indicator.id)
        XCTAssertNil(try ann.action(action.id).action.indicatorID)
        try ann.transferProject(project.id, toOwner: bobID)
        try bob.removeParticipant(annID, fromProject: project.id)
        XCTAssertEqual(try ann.actions(ofProject: project.id).count, 1, "R7: the manager still reads it")
        assertLeanDeskError(.permissionDenied, messagePrefix: "R6") { try bob.leaveProject(project.id) }
        try bob.addParticipant(annID, toProject: project.id)
        try ann.leaveProject(project.id)
        XCTAssertEqual(try bob.participants(ofProject: project.id).map(\.id), [bobID])
        try ann.deleteProject(project.id)
        assertLeanDeskError(.notFound) { try ann.project(project.id) }
    }
}
