import SidecacheEngine
import SidecacheRESP

extension ClientSession {
    /// The ACL check of redis-server's `processCommand`, run after the NOAUTH check: `nil`
    /// when the user may run `spec` with these arguments, else the denial, logged in ACL LOG
    /// and counted (INFO `acl_access_denied_*`). Free for users that may run everything.
    func aclDenial(_ spec: CommandSpec) -> ACLDenial? {
        refreshACLUser()
        guard !aclUnrestricted, let denial = aclUser.denial(spec, frame) else { return nil }
        recordDenial(denial, spec, context: transaction != nil ? .multi : .toplevel)
        return denial
    }

    /// The same check for a request about to be forwarded upstream (answered here when refused;
    /// `false` then). A request whose arity or subcommand is wrong passes: the answer to that
    /// comes first in Redis, and upstream gives it. A renamed command goes out under its own
    /// name, which is the one upstream knows.
    func admitForwarded(_ spec: CommandSpec, suppressed: Bool) -> Bool {
        if spec.acceptsArgumentCount(frame.count) && !(spec.isContainer && frame.count >= 2),
            let denial = aclDenial(spec)
        {
            statistics.recordRejection(commandID: spec.id)
            if !suppressed { replyError(denial.error(for: spec)) }
            return false
        }
        if server.table.hasRenames { restoreOriginalName() }
        return true
    }

    /// Redis's EXEC re-check: a queued command the user may no longer run (the rules changed
    /// since it was queued) answers this error instead of running.
    func aclRefusalAtExec(_ spec: CommandSpec) -> String? {
        refreshACLUser()
        guard !aclUnrestricted, let denial = aclUser.denial(spec, frame) else { return nil }
        recordDenial(denial, spec, context: .multi)
        let reason: String
        switch denial {
        case .command: reason = "no permission to execute the command or subcommand"
        case .key: reason = "no permission to touch the specified keys"
        case .channel: reason = "no permission to access one of the channels used as arguments"
        }
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
            + "This command is no longer allowed for the following reason: \(reason)"
    }

    /// Picks up changes of the user made since the last command. A deleted user leaves the
    /// connection as the default user, not authenticated (Redis closes such connections).
    func refreshACLUser() {
        let generation = server.acl.generation.load(ordering: .acquiring)
        guard generation != aclGeneration else { return }
        aclGeneration = generation
        if let user = server.acl.user(named: aclUser.name) {
            aclUser = user
        } else {
            aclUser = server.acl.defaultUser
            authenticatedFlag = false
            publishUser()
        }
        aclUnrestricted = aclUser.isUnrestricted
    }

    /// Runs as `user` from now on (AUTH, HELLO AUTH, RESET).
    func switchUser(to user: ACLUser) {
        aclGeneration = server.acl.generation.load(ordering: .acquiring)
        aclUser = user
        aclUnrestricted = user.isUnrestricted
        publishUser()
    }

    private func publishUser() {
        let name = String(decoding: aclUser.name, as: UTF8.self)
        record.update { $0.user = name }
    }

    /// Redis's `ACLAuthenticateUser`: a success authenticates the connection as the user; a
    /// failure (unknown user, disabled user, wrong password) is logged in ACL LOG under the
    /// command's name and the user tried, and counted; never with the password.
    func authenticate(user name: [UInt8], password: [UInt8]) -> Bool {
        if let user = server.acl.user(named: name), user.accepts(password: password) {
            authenticated = true
            switchUser(to: user)
            return true
        }
        server.logger.warning(
            "authentication failed",
            metadata: ["client": "\(record.address)", "user": "\(String(decoding: name, as: UTF8.self))"]
        )
        addLogEntry(.auth, context: transaction != nil ? .multi : .toplevel, object: frame.bytes(0), username: name)
        return false
    }

    private func recordDenial(_ denial: ACLDenial, _ spec: CommandSpec, context: ACLLog.Context) {
        switch denial {
        case .command: addLogEntry(.command, context: context, object: Array(spec.name.utf8), username: aclUser.name)
        case .key(let position): addLogEntry(.key, context: context, object: frame.bytes(position), username: aclUser.name)
        case .channel(let position):
            addLogEntry(.channel, context: context, object: frame.bytes(position), username: aclUser.name)
        }
    }

    private func addLogEntry(_ reason: ACLLog.Reason, context: ACLLog.Context, object: [UInt8], username: [UInt8]) {
        server.statistics.update { totals in
            switch reason {
            case .auth: totals.aclDeniedAuth += 1
            case .command: totals.aclDeniedCommand += 1
            case .key: totals.aclDeniedKey += 1
            case .channel: totals.aclDeniedChannel += 1
            }
        }
        server.acl.record(
            ACLLog.Entry(
                reason: reason, context: context, object: object, username: username,
                milliseconds: Clocks.wallMilliseconds(), clientInfo: record.infoLine(now: Clocks.monotonicNanoseconds())
            )
        )
    }

    /// A renamed command's request carries the name the client used; upstream knows the
    /// command by its own.
    private func restoreOriginalName() {
        guard let spec = frame.withArgument(0, { server.table.lookup($0) }) else { return }
        let typed = frame.bytes(0)
        guard !typed.equalsIgnoringCase(spec.lookupName) else { return }
        var arguments = frame.arguments
        arguments[0] = spec.lookupName
        frame = RESPCommandFrame(arguments)
    }
}
