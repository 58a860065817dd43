import CursesDriver
import Dispatch
import Foundation
import TriageEngine
import TriagePostgres
import TriageUI

/// The TUI's run loop, deliberately boring: wait for a key or an engine event, update, render, draw
/// the difference. It sleeps in `poll` between events, so an idle UI costs no CPU.
final class TuiRunner {
    private let stores: TuiStore
    private var store: any IssueStore & MetricsStore { stores.reader }
    private let limits: PayloadLimits
    private let settings: TuiSettings
    private let readOnly: Bool
    private let notifiers: [NotifierConfig]
    private let trackers: [ConfiguredTracker]
    private let activity: UserActivity
    private let spoolPath: String?
    private let wakeup: Wakeup
    private let events = EngineEvents()
    /// Delivers what the follower's passes and the UI's own changes record, beside the UI.
    private var courier: NotificationCourier?
    /// Adds what this UI counted to the store's totals off the UI thread, one save at a time.
    private let metricsQueue = DispatchQueue(label: "triage tui metrics")

    /// Said on the status line when the UI opens.
    private let notice: Message?

    init(store: TuiStore, limits: PayloadLimits, settings: TuiSettings, readOnly: Bool = false, notifiers: [NotifierConfig] = [], trackers: [ConfiguredTracker] = [],
         activity: UserActivity, spoolPath: String?, notice: Message? = nil) throws {
        self.notice = notice
        self.notifiers = notifiers
        self.trackers = trackers
        self.activity = activity
        wakeup = try Wakeup()
        stores = store
        self.limits = limits
        self.settings = settings
        self.readOnly = readOnly
        self.spoolPath = spoolPath
    }

    func run() throws {
        // Only a SQLite store is followed and delivered from; the team store's ingesters do both for it.
        let local = stores.local
        let follower = try local == nil ? nil : spoolPath.map { try SpoolFollower(spoolPath: try SpoolDirectory(path: $0).path) }
        let backlog = follower == nil ? nil : spoolPath.map { SpoolBacklogWatch(spoolPath: $0) }
        courier = try local.flatMap { notifiers.isEmpty ? nil : try NotificationCourier(store: $0, notifiers: notifiers, metrics: activity.metrics) }
        let terminal = try CursesTerminal(theme: settings.theme, color: settings.color, mouse: settings.mouse)
        defer {
            stores.feed?.stop()
            backlog?.stop()
            follower?.stop()
            courier?.stop()
            terminal.stop()
            metricsQueue.sync {}
            try? activity.metrics?.persist(into: stores.counters)
        }
        let signals = StopRequest(signals: [SIGTERM, SIGHUP, SIGINT])
        signals.whenRequested { [wakeup] in wakeup.signal() }
        let size = terminal.size
        let app = try TriageApp(store: store, writer: stores.writer, keymap: settings.keymap, theme: settings.theme, themes: settings.themes,
                                query: settings.query, mouse: settings.mouse, following: follower.map { _ in true },
                                width: size.width, height: size.height,
                                trackers: TrackerActions(store: stores.writer, trackers: trackers, activity: activity), activity: activity,
                                unicode: settings.unicode, readOnly: readOnly, storeReachable: stores.isConnected)
        let history = QueryHistoryFile(environment: ProcessInfo.processInfo.environment)
        app.queryHistory = history.load()
        app.watch(spoolPath)
        defer { history.save(app.queryHistory) }
        if let notice { app.show(notice) }
        if !settings.keymapProblems.isEmpty {
            app.show(Message(kind: .error, text: settings.keymapProblems.joined(separator: "; ")))
        }
        stores.feed?.start { [events, wakeup] event in
            events.post(event)
            wakeup.signal()
        }
        if let follower, let spoolPath, let local {
            // The first pass takes whatever backlog the spool holds: say so until it is through.
            app.setIngesting(true)
            startFollowing(follower, into: local, spoolPath: spoolPath)
            backlog?.start { [events, wakeup] counts in
                events.post(counts)
                wakeup.signal()
            }
        }
        terminal.draw(app.render())
        var lastDraw = Date()
        while !signals.isRequested {
            let ready = wakeup.wait(alsoOn: STDIN_FILENO, timeout: 1)
            if ready.woken || ready.timedOut {
                if let message = events.takeMessage() { app.show(message) }
                if events.takeFirstPassOver() { app.setIngesting(false) }
                if let counts = events.takeBacklog() { app.setBacklog(waiting: counts.waiting, failed: counts.failed) }
                finishJobs(app)
                // A login refused once the server answers (it was away at start) ends the UI as at start.
                if let refusal = events.takeRefusal() { throw TriageFailure.runtime(refusal) }
                if let reachable = events.takeReachability(), reachable == app.state.storeUnreachable {
                    // Back, it says so briefly, with what arrived meanwhile once the catch-up below has read it.
                    app.setStoreUnreachable(!reachable)
                    if reachable { stores.serverIsBack() }
                }
                // The team store's feed says when to re-read; a SQLite store is re-read on each wake and each second.
                // A first read that failed (the screen's connection refused a moment after the feed's got in)
                // is tried again each second until the screen has data.
                if stores.feed == nil || events.takeStoreChanged() || !app.state.list.loaded, !app.state.storeUnreachable {
                    do { try app.dataChanged(givingWayWhen: { Wakeup.inputWaiting(on: STDIN_FILENO) }) } catch {
                        app.show(Message(kind: .error, text: "\(error)"))
                    }
                }
            }
            var quit = false
            while let key = terminal.readKey() {
                if key == .resize {
                    let size = terminal.size
                    // A store that cannot be read now leaves the last rows at the new size.
                    do { try app.resize(width: size.width, height: size.height) } catch { app.show(Message(kind: .error, text: "\(error)")) }
                }
                let writes = app.writesRequested
                if app.handle(key) == .quit { quit = true; break }
                if app.writesRequested != writes {
                    perform(app.takeEffects(), on: terminal, app: app)
                    awaitWrites(app, on: terminal)
                }
            }
            if quit { break }
            perform(app.takeEffects(), on: terminal, app: app)
            if let follower, let following = app.state.following, follower.isPaused == following {
                follower.isPaused = !following
            }
            let expired = app.expireMessage()
            // Redraw on input, on data, and once a second so relative times ("12s ago") stay true.
            if ready.input || ready.woken || expired || Date().timeIntervalSince(lastDraw) >= 1 {
                terminal.draw(app.render())
                lastDraw = Date()
            }
            // A search that ran out of its keystroke's budget finishes now, unless a key is waiting:
            // then the key comes first and the search starts again from what it typed.
            if app.isSearching {
                do {
                    if try app.finishSearch(stoppingWhen: { Wakeup.inputWaiting(on: STDIN_FILENO) }) { terminal.draw(app.render()) }
                } catch {
                    app.show(Message(kind: .error, text: "\(error)"))
                    terminal.draw(app.render())
                }
            }
        }
        landWrites(app, on: terminal)
    }

    /// A write the store answers within a keystroke's budget lands before the next key is read, so a
    /// quick `r r` resolves two groups as it always did; a slower one (the store locked by another
    /// writer) finishes while keys are served, its target state on screen meanwhile.
    private func awaitWrites(_ app: TriageApp, on terminal: CursesTerminal) {
        let deadline = Date().addingTimeInterval(TriageApp.defaultKeystrokeBudget)
        var consumed = false
        while app.hasPendingWrites {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { break }
            consumed = wakeup.wait(alsoOn: -1, timeout: remaining).woken || consumed
            finishJobs(app)
            perform(app.takeEffects(), on: terminal, app: app)
        }
        // Whatever else woke the loop meanwhile (the follower, the backlog watch) is still to be read.
        if consumed { wakeup.signal() }
    }

    /// Status changes asked for just before quitting still reach the store, for a few seconds at
    /// most: a store another writer holds must not keep the terminal from the user.
    private func landWrites(_ app: TriageApp, on terminal: CursesTerminal) {
        let deadline = Date().addingTimeInterval(5)
        var effects = app.takeEffects()
        while true {
            for case let .perform(job) in effects where job.lane == .store { perform([.perform(job)], on: terminal, app: app) }
            guard app.hasPendingWrites, Date() < deadline else { return }
            _ = wakeup.wait(alsoOn: -1, timeout: 0.1)
            finishJobs(app)
            effects = app.takeEffects()
        }
    }

    /// Hands finished jobs' results to the app, then keeps what they counted (a status change, a
    /// tracker call) in the store at once, as an ingest pass does: `triage metrics` shows it while
    /// the UI stays open, and a UI that dies keeps it.
    private func finishJobs(_ app: TriageApp) {
        let finished = events.takeFinishedJobs()
        guard !finished.isEmpty else { return }
        for (job, result) in finished { app.dispatch(.finished(jobID: job, result)) }
        guard let metrics = activity.metrics else { return }
        let counters = stores.counters
        metricsQueue.async { try? metrics.persist(into: counters) }
    }

    private func perform(_ effects: [Effect], on terminal: CursesTerminal, app: TriageApp) {
        for effect in effects {
            switch effect {
            case let .copy(text): terminal.copyToClipboard(text)
            case let .mouse(on): terminal.setMouse(on)
            case .bell: terminal.bell()
            case .repaint: terminal.repaint()
            case .deliverNotifications: courier?.wake()
            case let .perform(job):
                let events = events
                let wakeup = wakeup
                DispatchQueue.global(qos: .userInitiated).async {
                    events.finished(job.id, with: job.work())
                    wakeup.signal()
                }
            case let .page(text):
                var failure: String?
                terminal.suspend { failure = Pager.show(text, environment: ProcessInfo.processInfo.environment) }
                if let failure { app.show(Message(kind: .error, text: failure)) }
            case let .theme(theme):
                // Without colour, a theme change keeps attributes only.
                if settings.color { terminal.theme = theme }
            }
        }
    }

    /// Ingests on a background thread; each pass that changed something wakes the UI.
    private func startFollowing(_ follower: SpoolFollower, into store: SQLiteStore, spoolPath: String) {
        let wakeup = wakeup
        let events = events
        FollowThread.start(follower, store: store, spoolPath: spoolPath, limits: limits, courier: courier, activity: activity, onPass: { pass in
            if events.passOver() { wakeup.signal() }
            if let unread = pass.unread.first {
                let more = pass.unread.count > 1 ? " (and \(pass.unread.count - 1) more)" : ""
                events.post(Message(kind: .error, text: "unread: \(unread)\(more); it stays in the spool"))
            }
            guard pass.files > 0 || pass.rejected > 0 || !pass.unread.isEmpty else { return }
            if pass.rejected > 0 {
                events.post(Message(kind: .error, text: "\(pass.rejected) payload\(pass.rejected == 1 ? "" : "s") refused; see \(spoolPath)/failed/"))
            }
            wakeup.signal()
        }, onNotice: { notice in
            _ = events.passOver()
            switch notice {
            case .otherIngester:
                events.post(Message(kind: .info, text: "another triage process is ingesting this spool; its results appear here as they land"))
            case .tookOver: events.post(Message(kind: .info, text: "the other ingester has stopped; this triage ingests the spool now"))
            case let .failed(error): events.post(Message(kind: .error, text: "following stopped: \(error)"))
            }
            wakeup.signal()
        })
    }
}

/// Messages from the follower thread and background jobs to the UI thread.
final class EngineEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var message: Message?

    private var passes = 0
    private var firstPassReported = false

    func post(_ message: Message) { lock.withLock { self.message = message } }

    private var backlog: SpoolBacklogWatch.Counts?

    func post(_ counts: SpoolBacklogWatch.Counts) { lock.withLock { backlog = counts } }
    func takeBacklog() -> SpoolBacklogWatch.Counts? { lock.withLock { defer { backlog = nil }; return backlog } }
    func takeMessage() -> Message? { lock.withLock { defer { message = nil }; return message } }

    private var finishedJobs: [(Int, JobResult)] = []

    func finished(_ job: Int, with result: JobResult) { lock.withLock { finishedJobs.append((job, result)) } }
    func takeFinishedJobs() -> [(Int, JobResult)] { lock.withLock { defer { finishedJobs.removeAll() }; return finishedJobs } }

    private var storeChanged = false
    private var reachable: Bool?

    /// What the team store's feed heard: a change, the server gone (said once, with why), or listening
    /// again, which means catching up on whatever changed meanwhile.
    func post(_ event: PostgresChangeFeed.Event) {
        lock.withLock {
            switch event {
            case .changed: storeChanged = true
            case .live:
                storeChanged = true
                reachable = true
            case let .unreachable(reason):
                reachable = false
                message = Message(kind: .error, text: "the team store is unreachable (\(reason)); retrying")
            case let .refused(sentence): refusal = sentence
            }
        }
    }

    private var refusal: String?

    /// The team store's refusal of the login, once the feed has heard it.
    func takeRefusal() -> String? { lock.withLock { defer { refusal = nil }; return refusal } }

    func takeStoreChanged() -> Bool { lock.withLock { defer { storeChanged = false }; return storeChanged } }
    /// The store's reachability, if it changed since the last call.
    func takeReachability() -> Bool? { lock.withLock { defer { reachable = nil }; return reachable } }

    /// Counts a finished pass (or the end of following); true for the first.
    func passOver() -> Bool { lock.withLock { passes += 1; return passes == 1 } }

    /// True once, after the first pass is over.
    func takeFirstPassOver() -> Bool {
        lock.withLock {
            guard passes > 0, !firstPassReported else { return false }
            firstPassReported = true
            return true
        }
    }
}

/// What the UI thread sleeps on: the keyboard, plus a self-pipe the follower thread and signal
/// handlers write to.
final class Wakeup: Sendable {
    private let pipe: SelfPipe

    init() throws { pipe = try SelfPipe() }

    func signal() { pipe.send(1) }

    /// True when `descriptor` has something to read right now.
    static func inputWaiting(on descriptor: Int32) -> Bool {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        return poll(&descriptors, 1, 0) > 0
    }

    /// Waits for input on `descriptor`, a signal, or the timeout.
    func wait(alsoOn descriptor: Int32, timeout: Double) -> (input: Bool, woken: Bool, timedOut: Bool) {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: pipe.readEnd, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&descriptors, 2, Int32(timeout * 1000))
        // EINTR is how SIGWINCH arrives: report it as input so the resize key gets read.
        if ready < 0 { return (true, false, false) }
        let woken = descriptors[1].revents & Int16(POLLIN) != 0
        if woken { _ = pipe.drain() }
        return (descriptors[0].revents != 0, woken, ready == 0)
    }
}

/// `v`: text in the user's pager (`$PAGER`, else `less -R`, run by `sh` as git runs it), from a
/// private temporary file, so a payload of any size never blocks on a pipe.
enum Pager {
    /// Nil when the pager ran; otherwise what went wrong, in one line.
    static func show(_ text: String, environment: [String: String]) -> String? {
        let path = NSTemporaryDirectory() + "triage-payload-\(UUID().uuidString).json"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            return "cannot write the payload for the pager to \(path)"
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pager = environment["PAGER"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "less -R"
        // posix_spawn, not Foundation's Process: that starts the child in a process group of its own,
        // which the terminal treats as background, so the pager could not read the keyboard.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The UI ignores SIGINT and friends (StopRequest); the pager gets the usual dispositions.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        // The path is an argument, never part of the command text.
        let command = pager + " \"$1\""
        let words: [String] = ["sh", "-c", command, "sh", path]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ)
        guard spawned == 0 else { return "cannot run the pager (\(pager)): \(String(cString: strerror(spawned)))" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status >> 8) & 0xFF
        return status == 0 ? nil : "the pager (\(pager)) exited with status \(exitStatus)"
    }
}
