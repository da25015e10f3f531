// Actions, comments, indicators and photos (R9).

internal import CLeanDesk
import Foundation

extension Session {
    // MARK: Actions

    /// Creates an action (participants only, R9); without a step it goes to the open step.
    public func createAction(_ action: NewAction) throws(LeanDeskError) -> Action {
        let json = try encodeArgument(action)
        return try cJSON { ld_action_create(&$0, handle, json) }
    }

    /// An action with its photos and comments.
    public func action(_ actionID: String) throws(LeanDeskError) -> ActionDetail {
        try cJSON { ld_action_get(&$0, handle, actionID) }
    }

    /// Edits an action (R9).
    @discardableResult
    public func updateAction(_ actionID: String, _ patch: ActionPatch) throws(LeanDeskError) -> Action {
        let json = try encodeArgument(patch)
        return try cJSON { ld_action_update(&$0, handle, actionID, json) }
    }

    /// Moves the action to a step, before another action of it (nil: last). Entering a done step
    /// marks it done; leaving one reopens it.
    @discardableResult
    public func moveAction(_ actionID: String, toStep stepID: String,
                           before beforeActionID: String? = nil) throws(LeanDeskError) -> Action {
        try cJSON { ld_action_move(&$0, handle, actionID, stepID, beforeActionID) }
    }

    /// Deletes the action, its photos and comments, permanently (R14).
    public func deleteAction(_ actionID: String) throws(LeanDeskError) {
        try check(ld_action_delete(handle, actionID))
    }

    // MARK: Comments

    /// Adds a comment to an action.
    @discardableResult
    public func addComment(_ body: String, toAction actionID: String,
                           id: String? = nil) throws(LeanDeskError) -> Comment {
        var input: [String: String] = ["body": body]
        if let id { input["id"] = id }
        let json = try encodeArgument(input)
        return try cJSON { ld_comment_add(&$0, handle, actionID, json) }
    }

    /// Deletes one of the caller's own comments.
    public func deleteComment(_ commentID: String) throws(LeanDeskError) {
        try check(ld_comment_delete(handle, commentID))
    }

    // MARK: Indicators

    /// Creates an indicator of a project (R9).
    public func createIndicator(_ indicator: NewIndicator) throws(LeanDeskError) -> Indicator {
        let json = try encodeArgument(indicator)
        return try cJSON { ld_indicator_create(&$0, handle, json) }
    }

    /// Edits an indicator (R9).
    @discardableResult
    public func updateIndicator(_ indicatorID: String, _ patch: IndicatorPatch) throws(LeanDeskError) -> Indicator {
        let json = try encodeArgument(patch)
        return try cJSON { ld_indicator_update(&$0, handle, indicatorID, json) }
    }

    /// Deletes the indicator and its values; linked actions keep their impact, unlinked.
    public func deleteIndicator(_ indicatorID: String) throws(LeanDeskError) {
        try check(ld_indicator_delete(handle, indicatorID))
    }

    /// Records the measured value of ISO week `week` ("2026-W09").
    @discardableResult
    public func setIndicatorValue(_ indicatorID: String, week: String,
                                  actual: Double) throws(LeanDeskError) -> IndicatorValue {
        try cJSON { ld_indicator_set_value(&$0, handle, indicatorID, week, actual) }
    }

    /// Removes the value of `week`.
    public func clearIndicatorValue(_ indicatorID: String, week: String) throws(LeanDeskError) {
        try check(ld_indicator_clear_value(handle, indicatorID, week))
    }

    /// The weekly curve: expected (baseline plus the impacts of the actions due by that week)
    /// against actual.
    public func indicatorCurve(_ indicatorID: String) throws(LeanDeskError) -> [IndicatorPoint] {
        try cJSON { ld_indicator_curve(&$0, handle, indicatorID) }
    }

    // MARK: Photos

    /// Adds a photo to an action from image bytes (JPEG, PNG, WebP or HEIC, recognised by
    /// content; size-capped).
    @discardableResult
    public func addPhoto(_ image: Data, toAction actionID: String,
                         options: PhotoOptions? = nil) throws(LeanDeskError) -> Photo {
        let json = try options.map { (o) throws(LeanDeskError) in try encodeArgument(o) }
        let text = try withBytes(image) { (bytes, count) throws(LeanDeskError) in
            try cString { ld_photo_add(&$0, handle, actionID, bytes, count, json) }
        }
        return try decodeResult(Photo.self, from: text)
    }

    /// Removes a photo; its bytes go when nothing else uses them.
    public func removePhoto(_ photoID: String) throws(LeanDeskError) {
        try check(ld_photo_remove(handle, photoID))
    }
}
