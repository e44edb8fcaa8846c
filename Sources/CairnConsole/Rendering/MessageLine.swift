/// The message line above the hint bar: its own row, so a notice never hides the log's
/// header and a key pressed during a job always answers there.
///
/// A notice (the answer to the last key) comes first, then the running job with its
/// progress or its wait for the lock.
enum MessageLine {
    static func draw(_ screen: inout Screen, _ state: ConsoleState, _ layout: Layout) {
        let y = layout.messageRow
        let width = layout.width - 4
        var x = 2
        if let notice = state.notice {
            x += screen.putTruncated(notice.text, x: x, y: y, role: notice.isError ? .error : .accent, limit: width)
            if state.job != nil, x < 2 + width - 12 {
                x += screen.put("  ·  ", x: x, y: y, role: .border)
            } else {
                return
            }
        }
        if let job = state.job {
            screen.putTruncated(text(job), x: x, y: y, role: .accent, limit: 2 + width - x)
        }
    }

    /// The job in words: what runs, how far it got, and how to stop it.
    static func text(_ job: ConsoleState.Job) -> String {
        var text = "▶ \(job.title)"
        if let progress = job.progress {
            // A wait for the lock says it all: who holds it and for how long already.
            text = progress.hasPrefix("waiting for the lock") ? "▶ \(progress)" : text + " · \(progress)"
        }
        text += job.canceling ? " · canceling after this batch…" : " · c cancels"
        return text
    }
}
