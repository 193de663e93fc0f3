import Foundation
import NIOCore

extension FakeMoonshotServer {
    struct ChatCall {
        var model: String
        var window: Int
        var messages: [(role: String, content: String)]
        var maxTokens: Int
        var stream: Bool
        var promptTokens: Int
        /// Identifies the request's content, to spot the same call completed twice.
        var identity: String
        /// Whether the answer starts with `reasoning_content`.
        var thinks = false
        /// Partial mode's prefix: the answer goes on from it and leaves it out.
        var prefix: String?
        /// How much reasoning a thinking call writes, in multiples of the configured amount.
        var reasoningScale = 1
    }

    /// Handles `/chat/completions`: validation, window, faults, limits, then the answer.
    func chat(_ body: [UInt8], writer: ResponseWriter) async throws -> Bool {
        state.withLock {
            $0.stats.chatRequests += 1
            $0.stats.active += 1
        }
        defer { state.withLock { $0.stats.active -= 1 } }
        let call: ChatCall
        switch validate(body) {
        case .success(let valid): call = valid
        case .failure(let failure):
            try await writer.error(failure.status, type: failure.type, failure.message)
            return true
        }
        let fault = nextFault()
        switch fault {
        case .status(let status, let type)?:
            try await writer.error(status, type: type, "injected fault \(status)")
            return true
        case .rateLimited(let seconds)?:
            try await writer.error(
                429, type: "rate_limit_reached_error", "rate limit reached", headers: [("Retry-After", "\(seconds)")])
            return true
        case .overloaded?:
            try await writer.error(
                429, type: "engine_overloaded_error", "The engine is currently overloaded, please try again later")
            return true
        case .quotaExceeded?:
            try await writer.error(
                429, type: "exceeded_current_quota_error", "Your account is suspended due to insufficient balance")
            return true
        case .contentFilter?:
            try await writer.error(
                400, type: "content_filter", "The request was rejected because it was considered high risk")
            return true
        case .detailUnauthorized?:
            try await writer.json(401, ["detail": "Invalid API Key"])
            return true
        case .drop?:
            return false
        case .malformedJSON?:
            if call.stream {
                try await writer.startStream()
                try await writer.send(Array("data: {\"choices\": [oops\n\n".utf8))
                try await writer.endStream()
            } else {
                try await writer.raw(200, Array("{\"choices\": [oops".utf8), contentType: "application/json")
            }
            return true
        case .emptyBody?:
            if call.stream {
                try await writer.startStream()
                try await writer.endStream()
            } else {
                try await writer.raw(200, [], contentType: "application/json")
            }
            return true
        case .delay(let duration)?:
            try await Task.sleep(for: duration)
        case .cutStream?, .noFinishReason?, nil:
            break
        }
        let (refusal, budgetHeaders) = admit(call)
        if let refusal {
            try await writer.error(
                429, type: "rate_limit_reached_error", refusal.message,
                headers: [("Retry-After", "\(refusal.retryAfter)")] + budgetHeaders)
            return true
        }
        // A request stops counting against concurrency once its answer is ready to go out, as on a
        // real server; the client may send its next request the moment the last byte arrives.
        var released = false
        let began = ContinuousClock.now
        func release() {
            if !released {
                let ended = ContinuousClock.now
                state.withLock {
                    $0.inFlight -= 1
                    $0.stats.timeline.append((began, ended))
                }
            }
            released = true
        }
        defer { release() }
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }

        let answer = self.answer(call)
        let (text, reasoning, finish, usage, id) = (
            answer.text, answer.reasoning, answer.finish, answer.usage, answer.id
        )
        let (completionTokens, reasoningTokens, cachedTokens) = (
            answer.completionTokens, answer.reasoningTokens, answer.cachedTokens
        )
        if !call.stream {
            release()
            try await writer.json(200, completionObject(call, answer), headers: budgetHeaders)
            record(
                call, completionTokens: completionTokens, reasoningTokens: reasoningTokens, cachedTokens: cachedTokens)
            return true
        }
        try await writer.startStream(headers: budgetHeaders)
        func event(_ object: Any) throws -> [UInt8] {
            Array("data: ".utf8) + Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
                + Array("\n\n".utf8)
        }
        func chunk(_ delta: [String: Any], finish: String?, usage: [String: Any]? = nil) throws -> [UInt8] {
            var choice: [String: Any] = ["index": 0, "delta": delta, "finish_reason": finish ?? NSNull()]
            if let usage { choice["usage"] = usage }
            return try event([
                "id": id, "object": "chat.completion.chunk", "created": 0, "model": call.model, "choices": [choice]
            ])
        }
        var bytes = try chunk(["role": "assistant", "content": ""], finish: nil)
        bytes += Array(": keep-alive\n\n".utf8)
        var piece = ""
        // In a stream, reasoning_content deltas come first, then the answer's.
        for character in reasoning {
            piece.append(character)
            if piece.count >= 9 {
                bytes += try chunk(["reasoning_content": piece], finish: nil)
                piece = ""
            }
        }
        if !piece.isEmpty {
            bytes += try chunk(["reasoning_content": piece], finish: nil)
            piece = ""
        }
        for character in text {
            piece.append(character)
            if piece.count >= 9 {
                bytes += try chunk(["content": piece], finish: nil)
                piece = ""
            }
        }
        if !piece.isEmpty { bytes += try chunk(["content": piece], finish: nil) }
        if fault == .cutStream {
            try await writer.send(Array(bytes.prefix(bytes.count / 2)))
            try await writer.endStream()
            return true
        }
        if fault != .noFinishReason {
            bytes += try chunk([:], finish: finish, usage: configuration.streamUsage ? usage : nil)
        }
        bytes += Array("data: [DONE]\n\n".utf8)
        release()
        try await writer.send(bytes)
        try await writer.endStream()
        if fault != .noFinishReason {
            record(
                call, completionTokens: completionTokens, reasoningTokens: reasoningTokens, cachedTokens: cachedTokens)
            state.withLock { $0.stats.streamed += 1 }
        }
        return true
    }

    /// The queued fault, else a random one at `faultRate`.
    private func nextFault() -> FakeFault? {
        state.withLock { s -> FakeFault? in
            if !s.faults.isEmpty { return s.faults.removeFirst() }
            guard configuration.faultRate > 0, !configuration.faultKinds.isEmpty else { return nil }
            s.random = s.random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let draw = Double(s.random >> 11) / Double(1 << 53)
            guard draw < configuration.faultRate else { return nil }
            s.stats.injectedFaults += 1
            return configuration.faultKinds[Int(s.random >> 33) % configuration.faultKinds.count]
        }
    }

    func record(_ call: ChatCall, completionTokens: Int, reasoningTokens: Int = 0, cachedTokens: Int = 0) {
        state.withLock {
            $0.stats.completed += 1
            $0.stats.promptTokens += call.promptTokens
            $0.stats.completionTokens += completionTokens
            $0.stats.reasoningTokens += reasoningTokens
            $0.stats.cachedTokens += cachedTokens
            $0.stats.completions[call.identity, default: 0] += 1
            $0.stats.models[call.model, default: 0] += 1
            if call.prefix != nil { $0.stats.continuations += 1 }
        }
    }

    /// Admits a call or refuses it, with the `X-RateLimit-*` headers as the window stood at that
    /// instant: counted under the same lock, so another client's turn cannot fall between the two.
    private func admit(_ call: ChatCall) -> (refusal: (message: String, retryAfter: Int)?, headers: [(String, String)])
    {
        let now = ContinuousClock.now
        return state.withLock { s in
            let refusal = admit(call, &s, now: now)
            return (refusal, rateLimitHeaders(s, now: now))
        }
    }

    /// Admits a call against the account limits, or says why not and when to come back.
    private func admit(_ call: ChatCall, _ s: inout State, now: ContinuousClock.Instant) -> (
        message: String, retryAfter: Int
    )? {
        let charge = call.promptTokens + call.maxTokens
        let window = configuration.window
        s.admitted.removeAll { now - $0.at >= window }
        admitOtherClient(&s, now: now)
        // Retry-After in whole seconds, as servers send it; at least 1.
        let retry = s.admitted.first.map { max(1, Int(((window - (now - $0.at)) / .seconds(1)).rounded(.up))) } ?? 1
        if let limit = configuration.concurrency, s.inFlight >= limit {
            return ("max organization concurrency: \(limit), please try again after 1 seconds", 1)
        }
        if let limit = configuration.rpm, s.admitted.count >= limit {
            return ("max RPM: \(limit), please try again after \(retry) seconds", retry)
        }
        if let limit = configuration.tpm, s.admitted.reduce(0, { $0 + $1.tokens }) + charge > limit {
            return ("max TPM: \(limit), please try again after \(retry) seconds", retry)
        }
        s.admitted.append((now, charge))
        s.stats.chargedTokens += charge
        s.inFlight += 1
        s.stats.peakConcurrency = max(s.stats.peakConcurrency, s.inFlight)
        return nil
    }
}

extension FakeMoonshotServer {
    /// `X-RateLimit-*` for the RPM window as it stands at `now`, when the configuration sends them.
    func rateLimitHeaders(_ s: State, now: ContinuousClock.Instant) -> [(String, String)] {
        guard configuration.rateLimitHeaders, let rpm = configuration.rpm else { return [] }
        let window = configuration.window
        let live = s.admitted.filter { now - $0.at < window }
        let reset = live.first.map { window - (now - $0.at) } ?? window
        let seconds = Double(reset.components.seconds) + Double(reset.components.attoseconds) / 1e18
        return [
            ("X-RateLimit-Limit", "\(rpm)"), ("X-RateLimit-Remaining", "\(max(0, rpm - live.count))"),
            ("X-RateLimit-Reset", String(format: "%.3f", seconds))
        ]
    }

    /// The other client's requests that are due by `now`, spread evenly over each window.
    func admitOtherClient(_ s: inout State, now: ContinuousClock.Instant) {
        guard configuration.otherClientRequests > 0 else { return }
        let every = configuration.window / configuration.otherClientRequests
        if s.otherClientNext == nil {
            // It was already at its pace when this test began: a window's worth is in flight.
            for k in 1...configuration.otherClientRequests {
                s.admitted.append((now - configuration.window + every * k, 0))
            }
            s.otherClientNext = now + every
        }
        while let next = s.otherClientNext, next <= now {
            if now - next < configuration.window { s.admitted.append((next, 0)) }
            s.stats.otherClientRequests += 1
            s.otherClientNext = next + every
        }
        s.admitted.sort { $0.at < $1.at }
    }
}
