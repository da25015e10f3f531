// Groups, members, workflow steps and shared resources (R1–R4, R13).

internal import CLeanDesk
import Foundation

extension Session {
    // MARK: Groups

    /// Creates a group; the caller becomes its manager and it gets the default steps (R1).
    public func createGroup(_ group: NewGroup) throws(LeanDeskError) -> Group {
        let json = try encodeArgument(group)
        return try cJSON { ld_group_create(&$0, handle, json) }
    }

    /// Creates a group named `name` (R1).
    public func createGroup(name: String) throws(LeanDeskError) -> Group {
        try createGroup(NewGroup(name: name))
    }

    /// A group the caller is a member of (R13).
    public func group(_ groupID: String) throws(LeanDeskError) -> Group {
        try cJSON { ld_group_get(&$0, handle, groupID) }
    }

    /// The caller's groups.
    public func groups() throws(LeanDeskError) -> [Group] {
        try cJSON { ld_group_list(&$0, handle) }
    }

    /// Renames a group (manager only, R2).
    @discardableResult
    public func renameGroup(_ groupID: String, to name: String) throws(LeanDeskError) -> Group {
        let json = try encodeArgument(["name": name])
        return try cJSON { ld_group_update(&$0, handle, groupID, json) }
    }

    /// Deletes the group and everything in it, permanently (manager only, R2, R14).
    public func deleteGroup(_ groupID: String) throws(LeanDeskError) {
        try check(ld_group_delete(handle, groupID))
    }

    /// The group's members; each e-mail only where the caller may see it (R13).
    public func members(ofGroup groupID: String) throws(LeanDeskError) -> [Person] {
        try cJSON { ld_group_members(&$0, handle, groupID) }
    }

    /// Adds a member by e-mail (manager only, R2); an unknown address becomes a not-yet-activated
    /// person (R16). Throws ``LeanDeskErrorCode/conflict`` for a member already there.
    @discardableResult
    public func addMember(email: String, toGroup groupID: String) throws(LeanDeskError) -> Person {
        try cJSON { ld_group_add_member(&$0, handle, groupID, email) }
    }

    /// Removes a member (manager only, R2; never the manager, R3); they also leave the group's
    /// projects (R4).
    public func removeMember(_ userID: String, fromGroup groupID: String) throws(LeanDeskError) {
        try check(ld_group_remove_member(handle, groupID, userID))
    }

    /// Leaves the group and its projects (R4); the manager hands over first (R3).
    public func leaveGroup(_ groupID: String) throws(LeanDeskError) {
        try check(ld_group_leave(handle, groupID))
    }

    /// Hands the manager role to another member (R2).
    @discardableResult
    public func transferGroup(_ groupID: String, toManager newManagerID: String) throws(LeanDeskError) -> Group {
        try cJSON { ld_group_transfer(&$0, handle, groupID, newManagerID) }
    }

    /// The group's projects the caller may see: all for the manager (R7), else their own.
    public func projects(inGroup groupID: String) throws(LeanDeskError) -> [Project] {
        try cJSON { ld_group_projects(&$0, handle, groupID) }
    }

    // MARK: Workflow steps

    /// The group's workflow steps in order.
    public func steps(ofGroup groupID: String) throws(LeanDeskError) -> [Step] {
        try cJSON { ld_step_list(&$0, handle, groupID) }
    }

    /// Adds a step at the end of the workflow (manager only, R2).
    @discardableResult
    public func addStep(_ step: NewStep, toGroup groupID: String) throws(LeanDeskError) -> Step {
        let json = try encodeArgument(step)
        return try cJSON { ld_step_add(&$0, handle, groupID, json) }
    }

    /// Renames a step or changes its kind (manager only, R2).
    @discardableResult
    public func updateStep(_ stepID: String, _ patch: StepPatch) throws(LeanDeskError) -> Step {
        let json = try encodeArgument(patch)
        return try cJSON { ld_step_update(&$0, handle, stepID, json) }
    }

    /// Moves a step to `position` (0-based); returns the new order (manager only, R2).
    @discardableResult
    public func moveStep(_ stepID: String, to position: Int) throws(LeanDeskError) -> [Step] {
        try cJSON { ld_step_move(&$0, handle, stepID, Int64(position)) }
    }

    /// Removes an unused step (manager only, R2). Throws ``LeanDeskErrorCode/conflict`` while
    /// actions are in it, or for the last step.
    public func removeStep(_ stepID: String) throws(LeanDeskError) {
        try check(ld_step_remove(handle, stepID))
    }

    // MARK: Shared resources

    /// The group's shared resources.
    public func resources(ofGroup groupID: String) throws(LeanDeskError) -> [Resource] {
        try cJSON { ld_resource_list(&$0, handle, groupID) }
    }

    /// Adds a shared resource (manager only, R2).
    @discardableResult
    public func addResource(_ resource: NewResource, toGroup groupID: String) throws(LeanDeskError) -> Resource {
        let json = try encodeArgument(resource)
        return try cJSON { ld_resource_add(&$0, handle, groupID, json) }
    }

    /// Edits a resource (manager only, R2).
    @discardableResult
    public func updateResource(_ resourceID: String, _ patch: ResourcePatch) throws(LeanDeskError) -> Resource {
        let json = try encodeArgument(patch)
        return try cJSON { ld_resource_update(&$0, handle, resourceID, json) }
    }

    /// Removes a resource (manager only, R2).
    public func removeResource(_ resourceID: String) throws(LeanDeskError) {
        try check(ld_resource_remove(handle, resourceID))
    }
}
