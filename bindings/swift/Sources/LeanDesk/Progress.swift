// Progress of long work (export, backup, restore, sync) through the C API's `ld_progress_fn`.
//
// The closure is called on the calling thread during the call only, so it is neither escaping
// storage nor `@Sendable`: a relay object lives on the caller's stack frame for the length of the
// C call, its address is the `userdata`, and nothing outlives the call (nothing for C to free).

internal import CLeanDesk
import Foundation

/// Progress of long work: `done` of `total` units (`total` is 0 when not known in advance, as for
/// sync). Return `false` to cancel: the call then throws ``LeanDeskErrorCode/cancelled`` and leaves
/// nothing behind. An error thrown by the closure cancels the work too, and the call rethrows that
/// error once the library has cleaned up.
///
/// It runs on the thread that made the call, while the database is busy with that call: it must
/// not call LeanDesk.
public typealias LeanDeskProgress = (_ done: Int, _ total: Int) throws -> Bool

/// Holds the caller's closure and the error it threw, for the length of one C call.
private final class ProgressRelay {
    let progress: LeanDeskProgress
    var error: (any Error)?

    init(_ progress: @escaping LeanDeskProgress) { self.progress = progress }
}

/// The `ld_progress_fn` handed to C: forwards to the relay, turns `false` or a thrown error into
/// "cancel" (non-zero), and keeps the error for ``runWithProgress(_:_:)`` to rethrow.
private let progressTrampoline: ld_progress_fn = { done, total, userdata in
    guard let userdata else { return 1 }
    let relay = Unmanaged<ProgressRelay>.fromOpaque(userdata).takeUnretainedValue()
    if relay.error != nil { return 1 }  // already cancelled by a throw: stay cancelled
    do {
        return try relay.progress(Int(clamping: done), Int(clamping: total)) ? 0 : 1
    } catch {
        relay.error = error
        return 1
    }
}

/// Runs one C call that takes an `ld_progress_fn` and its userdata (NULL and NULL without a
/// closure). Rethrows the closure's error if it threw one (as the C++ wrapper does), else throws
/// the library's error for a failing status.
func runWithProgress(_ progress: LeanDeskProgress?,
                     _ body: (ld_progress_fn?, UnsafeMutableRawPointer?) -> Int32) throws {
    guard let progress else {
        try check(body(nil, nil))
        return
    }
    let relay = ProgressRelay(progress)
    // The relay is kept alive across the call by the local reference; C only borrows it.
    let status = withExtendedLifetime(relay) {
        body(progressTrampoline, Unmanaged.passUnretained(relay).toOpaque())
    }
    if let error = relay.error {
        throw error
    }
    try check(status)
}
